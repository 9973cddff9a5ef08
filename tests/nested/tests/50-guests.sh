# 50-guests.sh: one test per row of tests/nested/guests.table (its header
# describes the columns): hvk run, then check exit status and output.

table=tests/nested/guests.table

trim() {
	printf '%s' "$1" | sed 's/^[[:space:]]*//; s/[[:space:]]*$//'
}

# run_guest NAME ELF OPTIONS STATUS EXPECT
run_guest() {
	name=guest.$1 elf=guests/$2 opts=$3 want=$4 expect=$5
	if [ ! -f "$elf" ]; then
		t_fail "$name" "$elf not built (make guests)"
		return
	fi
	if [ ! -x "$HVK" ]; then
		t_fail "$name" "vmm/hvk not built (make vmm)"
		return
	fi
	# $opts unquoted on purpose: the table's options split at spaces.
	# shellcheck disable=SC2086
	t_run "$HVK" run $opts "$elf"
	if [ "$T_STATUS" -ne "$want" ]; then
		t_fail "$name" "expected exit status $want, got $(t_why)"
	elif [ -n "$expect" ] && ! grep -qF -- "$expect" "$T_OUT"; then
		t_fail "$name" "output lacks '$expect'"
	else
		t_pass "$name"
	fi
}

rows=0
while IFS='|' read -r name elf opts want expect slow_on; do
	name=$(trim "$name")
	case $name in ''|'#'*) continue ;; esac
	# Column 6: backends too slow for this row within make check's budget
	# (docs/testing.md); make check-nested-full (hvktest.full=1) runs it.
	if [ -z "$HVKTEST_FULL" ] && [ -n "$HVK_BACKEND" ] &&
	   printf ' %s ' "$(trim "$slow_on")" | grep -qF " $HVK_BACKEND "; then
		t_skip "guest.$name" "left out of make check under $HVK_BACKEND" \
		       "(guests.table says why): run by make check-nested-full"
		continue
	fi
	# shellcheck disable=SC2254 # a glob on purpose (l1-suite.sh)
	[ -z "$HVKTEST_ONLY" ] || case $name in $HVKTEST_ONLY) ;; *) continue ;; esac
	rows=$((rows + 1))
	want=$(trim "$want")
	case $want in
	''|*[!0-9]*)
		t_fail "guest.$name" "guests.table: status '$want' is not a number"
		continue ;;
	esac
	run_guest "$name" "$(trim "$elf")" "$(trim "$opts")" "$want" "$(trim "$expect")"
done <"$table"

[ "$rows" -gt 0 ] || t_skip guests "guests.table lists no guest yet"
