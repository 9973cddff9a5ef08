# demo.sh: what 'make demo' shows in the L1 (busybox sh, from the repo root):
# load hvk.ko, 'hvk info', run guests/hello64.elf if it is built, unload.
# tests/nested/run --demo prints what lies between HVKDEMO BEGIN and END;
# END carries the status of the first step that failed (0 if none).
. tests/nested/l1-lib.sh

# step CMD...: show and run a command (with the suite's time limit); status
# keeps the first failure's exit status.
step() {
	echo "\$ $*"
	timeout "$HVKTEST_TIMEOUT" "$@" </dev/null 2>&1
	_st=$?
	[ $_st -eq 0 ] || echo "(exit status $_st)"
	[ "$status" -ne 0 ] || status=$_st
	return $_st
}

status=0
echo "HVKDEMO BEGIN"
echo "L1: Linux $(uname -r) on $HVK_BACKEND, CPU offers $HVK_EXPECT_VENDOR"
if step insmod kmod/hvk.ko; then
	step vmm/hvk info
	if [ -f guests/hello64.elf ]; then
		step vmm/hvk run guests/hello64.elf
	else
		echo "(guests/hello64.elf is not built: nothing to run)"
	fi
	step rmmod hvk
	dmesg | grep 'hvk:' | sed 's/^/dmesg: /'
fi
echo "HVKDEMO END $status"
t_dump_dmesg
echo "HVKTEST DONE"
