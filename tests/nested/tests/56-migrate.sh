# 56-migrate.sh: vCPUs moved from host CPU to host CPU while they run
# (issue 11: the local APIC timer "correct across vCPU migration between
# host CPUs and across the TSC offset the guest sees").  Each guest below
# checks its own timers against its pvclock, as in guests.table; here the
# L1 moves every thread of hvk run to the next CPU every MOVE_MS
# (taskset -a -p) for as long as it runs.  A row passes when the guest
# passes as it does unmoved and the L1 saw hvk run's threads change CPU at
# least as often as the row asks (/proc/PID/task/TID/stat, field 39,
# sampled between moves) -- else nothing moved and the row proves nothing.
# Unmoved, the L1 scheduler moved them 2, 0 and 2 times (Dec 1); moved,
# 10-22, 2 and 9-14: hlt-idle's vCPU sleeps in HLT, and a sleeping thread
# changes CPU only when it wakes.
#
# Needs an L1 with two CPUs or more: HVK_NESTED_L1_CPUS=2 with a QEMU
# backend (tests/nested/run); the suite's L1s have one, and it SKIPs saying
# so (docs/testing.md, "A 2-CPU L1", for what such runs found).

MOVE_MS=20
NCPU=$(grep -c '^processor' /proc/cpuinfo)

if [ "$NCPU" -lt 2 ]; then
	t_skip migrate "the L1 has $NCPU CPU: nowhere to move a vCPU to" \
	       "(HVK_NESTED_L1_CPUS=2 tests/nested/run --backend tcg-svm runs it)"
	return 0 2>/dev/null || exit 0
fi

# sample_moves PID: adds to _moved the threads of PID now on another CPU
# than at the last call (_last: " TID:CPU ..." of that call).
sample_moves() {
	_now=' '
	for _st in /proc/"$1"/task/*/stat; do
		_tid=${_st%/stat} _tid=${_tid##*/}
		# Drop "pid (comm) ": field 39 (processor) is then the 37th.
		# shellcheck disable=SC2046 # the fields, split on purpose
		set -- $(sed 's/^[^)]*) //' "$_st" 2>/dev/null)
		[ $# -ge 37 ] || continue
		shift 36
		_c=$1
		_now="$_now$_tid:$_c "
		case $_last in
		*" $_tid:$_c "*) ;;
		*" $_tid:"*) _moved=$((_moved + 1)) ;;
		esac
	done
	_last=$_now
}

# run_moved NAME MIN_MOVED EXPECT ELF [hvk run options]
run_moved() {
	_name=migrate.$1 _min=$2 _expect=$3 _elf=guests/$4; shift 4
	echo "    \$ $HVK run --timeout $HVKTEST_TIMEOUT $* $_elf   (threads moved every $MOVE_MS ms)"
	"$HVK" run --timeout "$HVKTEST_TIMEOUT" "$@" "$_elf" </dev/null >"$T_OUT" 2>&1 &
	_pid=$! _cpu=0 _moves=0 _moved=0 _last=' '
	while kill -0 "$_pid" 2>/dev/null; do
		taskset -a -p -c "$_cpu" "$_pid" >/dev/null 2>&1 && _moves=$((_moves + 1))
		_cpu=$(( (_cpu + 1) % NCPU ))
		usleep $((MOVE_MS * 1000))
		sample_moves "$_pid"
	done
	wait "$_pid"
	T_STATUS=$?
	t_show "$T_OUT"
	echo "    ($_moves moves asked; threads seen on another CPU $_moved times)"
	if [ "$T_STATUS" -ne 0 ]; then
		t_fail "$_name" "expected exit status 0, got $(t_why)"
	elif ! grep -qF -- "$_expect" "$T_OUT"; then
		t_fail "$_name" "output lacks '$_expect'"
	elif [ "$_moved" -lt "$_min" ]; then
		t_fail "$_name" "its threads were seen on another CPU $_moved times," \
		       "fewer than $_min: nothing moved"
	else
		t_pass "$_name:moved=$_moved"
	fi
}

# The local APIC timer in every mode, IPIs between the two vCPUs.
run_moved apic-2cpus 5 "apic: all checks passed" apic.elf --cpus 2 --cmdline cpus=2 --stats
# A TSC-deadline timer armed before HLT, its vCPU moved while it sleeps.
run_moved hlt-idle-deadline 1 "hlt-idle: woke after" hlt-idle.elf --cmdline timer=deadline
# Xen's single-shot and periodic timers, runstate times, pvclock.
run_moved xenvcpu64 5 "xenvcpu64: all checks passed" xenvcpu64.elf --xen --cpus 2
