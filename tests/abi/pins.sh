#!/bin/sh
# pins: pin.c's _Static_asserts hold for -m32 and -m64, then its run-time
# checks (CPUID signature words against their strings, string macros) pass.
#
# When the static build fails, pin.c is rebuilt with -DPIN_REPORT, which turns
# the same table into run-time checks, so the failure prints each wrong pin
# with its actual and expected value; the compiler's log is shown only if
# that is not possible (a syntax error, a field that no longer exists).
group=pins
. "$(dirname "$0")/lib.sh"

dir=$BUILD/pins
rm -rf "$dir"
mkdir -p "$dir" || fail "cannot create $dir"
check_m32

src=$ABI_TESTS/pin.c
FLAGS="-std=c11 -Wall -Wextra -Werror -pedantic"
problems=
runtime=0
for m in 32 64; do
	# shellcheck disable=SC2086
	if ! "$CC" -m$m $FLAGS -I"$INCDIR" -o "$dir/pin$m" "$src" \
		>"$dir/build$m.log" 2>&1; then
		if "$CC" -m$m -std=c11 -DPIN_REPORT -I"$INCDIR" -o "$dir/report$m" \
			"$src" >/dev/null 2>&1; then
			echo "  pins: -m$m:"
			"$dir/report$m" | sed '$d'
		else
			cat "$dir/build$m.log"
		fi
		problems="$problems; static pins fail with -m$m"
		continue
	fi
	out=$("$dir/pin$m")
	st=$?
	echo "$out" | sed '$d'                  # the mismatches, if any
	if [ $st -ne 0 ]; then
		problems="$problems; run-time pins fail with -m$m"
		continue
	fi
	runtime=$(echo "$out" | tail -n 1 | cut -d' ' -f1)
done
[ -z "$problems" ] || fail "${problems#; }"

# One _Static_assert per PIN_SIZE/PIN_VAL line, two per PIN line.
nstatic=$(awk '/^PIN\(/ { n += 2 } /^PIN_(SIZE|VAL)\(/ { n++ } END { print n + 0 }' "$src")
pass "$nstatic static assertions and $runtime run-time checks hold for -m32 and -m64"
