# l1-suite.sh: run in the L1 by /init (busybox sh), from the repo root.
# Runs tests/nested/tests/*.sh in name order, each sourced in a subshell
# with l1-lib.sh's helpers, then prints the kernel log and HVKTEST DONE.
# The order matters: 10-module.sh loads hvk.ko, 99-unload.sh removes it.
. tests/nested/l1-lib.sh

echo "HVKTEST START backend=$HVK_BACKEND expect_vendor=$HVK_EXPECT_VENDOR kernel=$(uname -r)"
for f in tests/nested/tests/*.sh; do
	[ -f "$f" ] || continue
	echo "=== $f"
	# A syntax error would otherwise only show up as missing results.
	if ! sh -n "$f" 2>/tmp/hvktest.syntax; then
		t_fail "$(basename "$f")" "syntax error: $(cat /tmp/hvktest.syntax)"
		continue
	fi
	# shellcheck disable=SC1090
	( . "$f" )
done
t_dump_dmesg
echo "HVKTEST DONE"
