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

# check_m32: fail at once, with the fix, if -m32 cannot compile and link.
# Skipping would turn the checks' whole point (m32 == m64) into a silent pass.
check_m32() {
	mkdir -p "$BUILD"
	printf '#include <stdint.h>\n#include <stdio.h>\nint main(void) { return 0; }\n' \
		>"$BUILD/probe.c"
	if ! "$CC" -m32 -o "$BUILD/probe32" "$BUILD/probe.c" >/dev/null 2>&1 ||
		! "$BUILD/probe32"; then
		fail "'$CC -m32' cannot build and run a trivial program (gcc-multilib missing? run 'make deps')"
	fi
}
