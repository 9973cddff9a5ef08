# Sourced by the check scripts of tests/abi: settings and helpers they share.
# Each script sets $group first; the Makefile exports CC, CXX (the defaults
# here are for running a script by hand from any directory).

group=${group:?set group before sourcing lib.sh}
pass() { echo "PASS $group: $*"; exit 0; }
fail() { echo "FAIL $group: $*"; exit 1; }
note() { echo "  $group: $*"; }

CC=${CC:-gcc}
CXX=${CXX:-g++}
ABI_TESTS=$(cd "$(dirname "$0")" && pwd -P)
# Absolute and canonical: DWARF records header paths as the compiler saw
# them, and layout.sh recognises hvk's own types by that path.
incdir=${INCDIR:-$ABI_TESTS/../../include}
INCDIR=$(cd "$incdir" && pwd -P) || fail "no include directory '$incdir'"
BUILD=${BUILD:-$ABI_TESTS/build}
case $BUILD in /*) ;; *) BUILD=$ABI_TESTS/$BUILD ;; esac

# Every header under include/abi/, at any depth, as "abi/...h" (the form
# consumers include, with -I include).  Found, not listed: a new header is
# checked without touching the tests.
abi_headers() {
	(cd "$INCDIR" && find abi -name '*.h' -type f) | LC_ALL=C sort
}

# check_m32: fail at once, with the fix, if -m32 cannot compile.  Skipping
# would turn the checks' whole point (m32 == m64) into a silent pass.  Only
# compiling is needed: no check runs a -m32 program (see abi_value.h).
check_m32() {
	mkdir -p "$BUILD"
	printf '#include <stddef.h>\n#include <stdint.h>\n#include <stdio.h>\nint probe;\n' \
		>"$BUILD/probe.c"
	"$CC" -m32 -c -o "$BUILD/probe32.o" "$BUILD/probe.c" >/dev/null 2>&1 ||
		fail "'$CC -m32' cannot compile a trivial TU (gcc-multilib missing? run 'make deps')"
}

# abi_values ASM: the ABI_VALUE lines (abi_value.h) of compiler output ASM
# decoded, one per line, to "KEY 0xVALUE SIZE": VALUE the 64-bit two's
# complement in 16 hex digits, so -m32 and -m64 output compare as text.
# Fails if there are none: an extraction that finds nothing must not pass.
abi_values() {
	grep -q '@abi ' "$1" || return 1
	sed -n 's/.*"@abi \([^ ]*\) \$\(-*[0-9]*\) \$\(-*[0-9]*\) \$\([0-9]*\)".*/\1 \2 \3 \4/p' "$1" |
	while read -r key hi lo size; do
		# The halves are printed signed; sh arithmetic is 64-bit (intmax_t).
		printf '%s 0x%016x %s\n' "$key" \
			$(( ((hi & 0xffffffff) << 32) | (lo & 0xffffffff) )) "$size"
	done
}
