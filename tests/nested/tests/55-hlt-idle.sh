# 55-hlt-idle.sh: a vCPU in HLT must cost the host nothing.  guests/hlt-idle
# sleeps about 1 s in HLT until its local APIC timer fires (and checks that
# by the pvclock itself).  Meanwhile hvk run must sleep too: its CPU time
# (user + system, all its threads) may exceed that of hello64, which boots,
# prints and powers off at once, by at most LIMIT_MS.  Once with the
# one-shot timer, once with TSC-deadline.
#
# The CPU time comes from fields 16 and 17 (cutime, cstime, in USER_HZ =
# 100 ticks per second) of /proc/PID/stat of a shell that has waited for
# timeout(1), which waited for hvk run.

LIMIT_MS=200
HZ_TICKS=100

# run_timed ELF [hvk run options]: as t_run (output in $T_OUT and shown,
# T_STATUS set), and CPU_MS = the CPU time hvk run used, in ms.
run_timed() {
	_elf=$1; shift
	echo "    \$ $HVK run $* $_elf   (CPU time measured)"
	CPU_MS=$(sh -c '
		limit=$1 out=$2 status=$3; shift 3
		timeout "$limit" "$@" </dev/null >"$out" 2>&1
		echo $? >"$status"
		# Drop "pid (comm) ": field 16 (cutime) is then ${14}, 17 (cstime) ${15}
		# (braces: in sh, $14 is ${1} followed by "4").
		set -- $(sed "s/^[^)]*) //" /proc/$$/stat)
		echo $(( (${14} + ${15}) * 1000 / '"$HZ_TICKS"' ))
	' sh "$HVKTEST_TIMEOUT" "$T_OUT" /tmp/hvktest.status "$HVK" run "$@" "$_elf")
	T_STATUS=$(cat /tmp/hvktest.status)
	t_show "$T_OUT"
	echo "    (hvk run used ${CPU_MS} ms of CPU)"
}

if ! run_timed guests/hello64.elf || [ "$T_STATUS" -ne 0 ]; then
	t_skip hlt-idle "hello64, the baseline, failed: $(t_why)"
	return 0 2>/dev/null || exit 0
fi
BASE_MS=$CPU_MS

# check_idle NAME [hvk run options]
check_idle() {
	_name=$1; shift
	run_timed guests/hlt-idle.elf "$@"
	if [ "$T_STATUS" -ne 0 ]; then
		t_fail "$_name" "expected exit status 0, got $(t_why)"
	elif ! grep -qF "hlt-idle: woke after" "$T_OUT"; then
		t_fail "$_name" "output lacks 'hlt-idle: woke after'"
	elif [ $((CPU_MS - BASE_MS)) -gt "$LIMIT_MS" ]; then
		t_fail "$_name" "hvk run used ${CPU_MS} ms of CPU for a guest asleep in HLT" \
		       "for 1 s, hello64 ${BASE_MS} ms: more than ${LIMIT_MS} ms apart"
	else
		t_pass "$_name:cpu-ms=$CPU_MS,hello64=$BASE_MS"
	fi
}

check_idle hlt-idle.cpu-time
check_idle hlt-idle.cpu-time-deadline --cmdline timer=deadline
