# l1-suite.sh: run in the L1 by /init (busybox sh), from the repo root.
# Runs tests/nested/tests/*.sh in name order, each sourced in a subshell
# with l1-lib.sh's helpers, then prints the kernel log and HVKTEST DONE.
# The order matters: 10-module.sh loads hvk.ko, 99-unload.sh removes it.
# The linux suite (run --linux, make check-linux) runs only the Linux
# guest's tests between the module's load and unload.
. tests/nested/l1-lib.sh

# suite_wants FILE: does this suite (HVK_SUITE) run tests/nested/tests/FILE?
suite_wants() {
	[ "$HVK_SUITE" = linux ] || return 0
	case $(basename "$1") in 10-*|80-*|90-*|99-*) return 0 ;; esac
	return 1
}

echo "HVKTEST START backend=$HVK_BACKEND expect_vendor=$HVK_EXPECT_VENDOR kernel=$(uname -r)"
for f in tests/nested/tests/*.sh; do
	[ -f "$f" ] || continue
	# hvktest.only=GLOB (run --append): just the guest-table rows it names,
	# between loading and unloading the module: for timing one guest; and
	# the tests/*.sh it names less number and .sh (fuzz-ioctl: 25-fuzz-ioctl.sh).
	if [ -n "$HVKTEST_ONLY" ]; then
		_n=$(basename "$f" .sh)
		# shellcheck disable=SC2254 # a glob on purpose
		case $f in */10-*|*/50-*|*/90-*|*/99-*) ;; *)
			case ${_n#*-} in $HVKTEST_ONLY) ;; *) continue ;; esac ;;
		esac
	fi
	suite_wants "$f" || continue
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
