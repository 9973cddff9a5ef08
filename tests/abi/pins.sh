#!/bin/sh
# pins: pin.c's _Static_asserts hold for -m32 and -m64, then its run-time
# checks (CPUID signature words against their strings, string macros) pass.
#
# When the static build fails, pin.c is compiled again with -DPIN_REPORT,
# which turns the same table into values read from the assembly
# (abi_value.h), so the failure prints each wrong pin with its actual and
# expected value; the compiler's log is shown only if that is not possible
# (a syntax error, a field that no longer exists).  Nothing -m32 is run: the
# run-time checks read macros that constants.sh proves the same for -m32.
group=pins
. "$(dirname "$0")/lib.sh"

dir=$BUILD/pins
rm -rf "$dir"
mkdir -p "$dir" || fail "cannot create $dir"
check_m32

src=$ABI_TESTS/pin.c
FLAGS="-std=c11 -Wall -Wextra -Werror -pedantic"

# report M: each pin of the -DPIN_REPORT assembly for -mM that does not hold,
# as "pin.c:LINE: TEXT: WHAT is GOT, expected WANT".
report() {
	abi_values "$dir/report$1.s" | awk -v src="$src" '
		BEGIN { while ((getline l < src) > 0) text[++n] = l }
		{ split($1, k, ":"); key = k[2] ":" k[3]
		  if (k[1] == "got") { got[key] = $2; order[++m] = key } else want[key] = $2 }
		END { for (i = 1; i <= m; i++) { key = order[i]
			if (got[key] == want[key]) continue
			split(key, k, ":"); t = text[k[1]]; sub(/^[ \t]*/, "", t); sub(/;$/, "", t)
			g = got[key]; w = want[key]; sub(/^0x0*/, "0x", g); sub(/^0x0*/, "0x", w)
			if (g == "0x") g = "0x0"; if (w == "0x") w = "0x0"
			printf "  pins: pin.c:%s: %s: %s is %s, expected %s\n", k[1], t, k[2], g, w } }'
}

problems=
runtime=0
for m in 32 64; do
	# shellcheck disable=SC2086
	if ! "$CC" -m$m $FLAGS -I"$INCDIR" -c -o "$dir/pin$m.o" "$src" \
		>"$dir/build$m.log" 2>&1; then
		if "$CC" -m$m -std=c11 -DPIN_REPORT -I"$INCDIR" -iquote "$ABI_TESTS" \
			-S -o "$dir/report$m.s" "$src" >/dev/null 2>&1; then
			echo "  pins: -m$m:"
			report $m
		else
			cat "$dir/build$m.log"
		fi
		problems="$problems; static pins fail with -m$m"
	fi
done

# The run-time checks, on the host's own bitness.
if "$CC" -m64 $FLAGS -I"$INCDIR" -o "$dir/pin64" "$src" >/dev/null 2>&1; then
	out=$("$dir/pin64")
	st=$?
	echo "$out" | sed '$d'                  # the mismatches, if any
	if [ $st -ne 0 ]; then
		problems="$problems; run-time pins fail"
	else
		runtime=$(echo "$out" | tail -n 1 | cut -d' ' -f1)
	fi
elif [ -z "$problems" ]; then
	problems="$problems; pin.c compiles with -m64 -c but does not link"
fi
[ -z "$problems" ] || fail "${problems#; }"

# One _Static_assert per PIN_SIZE/PIN_VAL line, two per PIN line.
nstatic=$(awk '/^PIN\(/ { n += 2 } /^PIN_(SIZE|VAL)\(/ { n++ } END { print n + 0 }' "$src")
pass "$nstatic static assertions (-m32, -m64) and $runtime run-time checks (-m64) hold"
