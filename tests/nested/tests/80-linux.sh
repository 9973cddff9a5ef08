# 80-linux.sh: the L1's own Debian kernel boots as a Xen PVH guest of hvk
# (docs/linux.md) to a busybox /init, tests/tools/linux-guest-init, which
# prints HVK-LINUX-* markers and ends the run as hvktest.action says.  The
# host's tests/nested/run extracted the vmlinux and built the initramfs
# (tests/tools/linux-guest.sh) and passes their directory as hvktest.linux.
#
# Results (QEMU backends: four boots; Bochs, in make check-linux only: the
# first boot with 2 vCPUs, which then also gives linux.smp):
#   linux.poweroff     --cpus 1, poweroff -f: exit 0, /init ran
#   linux.uptime       same boot: /proc/uptime advanced across 'sleep 1'
#   linux.console-log  same boot: the whole kernel log on stdout, from
#                      "Linux version" to "reboot: Power down"
#   linux.clean-log    same boot: the guest kernel logged no oops or WARNING
#   linux.smp          --cpus 4: cpu/online = 0-3, a pinned process ran on
#                      each CPU, exit 0
#   linux.reboot       reboot -f: exit 11
#   linux.panic        echo c > /proc/sysrq-trigger: exit 10
# Runs only when hvk.ko has event channels (HVK_CAP_XEN_EVTCHN: the PV
# console and the timers Linux needs); until then every result is a SKIP
# saying so.  A boot that fails says how: exit status, the first oops or
# panic line, and the last lines.

LINUX_TESTS="linux.poweroff linux.uptime linux.console-log linux.clean-log
	linux.smp linux.reboot linux.panic"
# earlyprintk=xen: console_io until hvc0 is up, so a boot that dies early
# still shows why (the PV console then replays nothing twice).
LINUX_CMDLINE="console=hvc0 earlyprintk=xen"
LINUX_MEM=256M
VMLINUX=${HVK_LINUX_DIR:-/nonexistent}/vmlinux
INITRD=${HVK_LINUX_DIR:-/nonexistent}/initrd.gz
LINUX_OUT=/tmp/hvktest.linux.out

if [ "$HVK_BACKEND" = bochs-vmx ]; then
	LINUX_TIMEOUT=900       # hvk --timeout per boot; Bochs: minutes
	SMP_CPUS=2
else
	LINUX_TIMEOUT=300       # 25 times the 12 s a boot to /init takes under tcg-svm
	SMP_CPUS=4
fi

skip_all() {
	for _t in $LINUX_TESTS; do
		t_skip "$_t" "$*"
	done
}

# Why the Linux boots cannot run here, or nothing when they can.
linux_unavailable() {
	if [ "$HVK_BACKEND" = bochs-vmx ] && [ "$HVK_SUITE" != linux ]; then
		echo "under Bochs the Linux boots take minutes each: they run in" \
		     "'make check-linux BACKEND=bochs-vmx'"
	elif [ ! -f "$VMLINUX" ] || [ ! -f "$INITRD" ]; then
		echo "no Linux guest in hvktest.linux='$HVK_LINUX_DIR' (the host's" \
		     "tests/nested/run writes out/<backend>/linux-guest.log on why)"
	elif ! "$HVK" info >/tmp/hvktest.info 2>&1; then
		echo "hvk info failed: $(tail -n 1 /tmp/hvktest.info)"
	elif ! grep -q '^features:.* xen-evtchn' /tmp/hvktest.info; then
		echo "hvk.ko has no event channels yet (HVK_CAP_XEN_EVTCHN, 'xen-evtchn'" \
		     "in hvk info): no PV console, Linux cannot boot"
	fi
}

# linux_boot ACTION CPUS: one boot; output (CRs dropped) in $LINUX_OUT,
# hvk's exit status in $T_STATUS.  hvk's --timeout ends a hung guest first,
# so what it printed is kept; t_run's limit is only the backstop.
linux_boot() {
	_saved_timeout=$HVKTEST_TIMEOUT
	HVKTEST_TIMEOUT=$((LINUX_TIMEOUT + 60))
	t_run "$HVK" run --xen --mem "$LINUX_MEM" --cpus "$2" --timeout "$LINUX_TIMEOUT" \
		"$VMLINUX" --module "$INITRD" --cmdline "$LINUX_CMDLINE hvktest.action=$1"
	HVKTEST_TIMEOUT=$_saved_timeout
	tr -d '\r' <"$T_OUT" >"$LINUX_OUT"
}

has() {
	grep -qF -- "$1" "$LINUX_OUT"
}

# A failed boot in one line: the status, the first sign of trouble, the end.
linux_why() {
	_trouble=$(grep -m 1 -E 'Kernel panic|BUG:|Oops:|general protection|WARNING: CPU:' "$LINUX_OUT")
	_last=$(grep -v '^[[:space:]]*$' "$LINUX_OUT" | tail -n 3 | tr '\n' '|')
	_status="exit status $T_STATUS"
	[ "$T_STATUS" -ne 124 ] || _status="hvk's --timeout of ${LINUX_TIMEOUT}s ended it (124)"
	[ "$T_STATUS" -ne 143 ] || _status="killed after $((LINUX_TIMEOUT + 60))s"
	echo "$_status${_trouble:+; first trouble: $_trouble}; last lines: $_last"
}

# check_boot NAME WANT-STATUS ACTION: the exit status and the /init markers.
check_boot() {
	if [ "$T_STATUS" -ne "$2" ]; then
		t_fail "$1" "want exit $2: $(linux_why)"
	elif ! has "HVK-LINUX-INIT"; then
		t_fail "$1" "exit $2 but no HVK-LINUX-INIT: /init never ran; $(linux_why)"
	elif ! has "HVK-LINUX-ACTION $3"; then
		t_fail "$1" "no 'HVK-LINUX-ACTION $3' line: $(linux_why)"
	else
		return 0
	fi
	return 1
}

check_uptime() {
	if ! has "HVK-LINUX-INIT"; then
		t_fail linux.uptime "/init never ran (see linux.poweroff)"
	elif has "HVK-LINUX-UPTIME ok"; then
		t_pass linux.uptime
	else
		t_fail linux.uptime "$(grep -m 1 'HVK-LINUX-UPTIME' "$LINUX_OUT" ||
			echo 'no HVK-LINUX-UPTIME line: sleep 1 never returned?')"
	fi
}

# The kernel log from its first line to power-off, through console_io
# (earlyprintk) and then the PV console: nothing lost on the way or at exit.
check_console_log() {
	_missing=
	for _line in "Linux version " "Run /init as init process" "reboot: Power down"; do
		has "$_line" || _missing="$_missing '$_line'"
	done
	if [ -z "$_missing" ]; then
		t_pass linux.console-log
	else
		t_fail linux.console-log "hvk's stdout lacks$_missing"
	fi
}

# The first oops/WARNING line, with the line before it: for a bare
# "Call Trace:" that one says what happened (an unchecked MSR access...).
first_trouble() {
	grep -m 1 -B 1 -E "$1" "$LINUX_OUT" | tr '\n' ' '
}

check_clean_log() {
	_bad=$(first_trouble "$T_OOPS_RE")
	if [ -n "$_bad" ]; then
		t_fail linux.clean-log "the guest kernel logged: $_bad"
	else
		t_pass linux.clean-log
	fi
}

# check_smp N: cpu/online is 0-(N-1) and the pinned process ran on each.
check_smp() {
	_want="0-$(($1 - 1))"
	_online=$(sed -n 's/.*HVK-LINUX-CPUS online=\([0-9,-]*\).*/\1/p' "$LINUX_OUT" | head -n 1)
	_pinned=$(grep -c 'HVK-LINUX-PIN cpu=.* ok' "$LINUX_OUT")
	if ! check_boot linux.smp 0 poweroff; then
		return
	elif [ "$_online" != "$_want" ]; then
		t_fail linux.smp "cpu/online is '$_online', want $_want (--cpus $1)"
	elif [ "$_pinned" -ne "$1" ]; then
		t_fail linux.smp "$_pinned of $1 pinned processes ran where pinned:" \
			"$(grep 'HVK-LINUX-PIN' "$LINUX_OUT" | tr '\n' ' ')"
	else
		t_pass linux.smp
	fi
}

linux_tests() {
	first_cpus=1
	[ "$HVK_BACKEND" != bochs-vmx ] || first_cpus=$SMP_CPUS
	linux_boot poweroff "$first_cpus"
	check_boot linux.poweroff 0 poweroff && t_pass linux.poweroff
	check_uptime
	check_console_log
	check_clean_log
	hung=0
	case $T_STATUS in 124|143) hung=1 ;; esac

	if [ "$HVK_BACKEND" = bochs-vmx ]; then
		check_smp "$SMP_CPUS"
		t_skip linux.reboot "one boot under Bochs: reboot and panic run on QEMU backends"
		t_skip linux.panic "one boot under Bochs: reboot and panic run on QEMU backends"
		return
	fi
	if [ $hung = 1 ]; then
		# Another three boots would each hang as long: say so instead.
		for _t in linux.smp linux.reboot linux.panic; do
			t_fail "$_t" "not booted: the first boot hung (linux.poweroff)"
		done
		return
	fi
	linux_boot poweroff "$SMP_CPUS"
	check_smp "$SMP_CPUS"

	linux_boot reboot 1
	check_boot linux.reboot 11 reboot && t_pass linux.reboot

	linux_boot panic 1
	if check_boot linux.panic 10 panic; then
		if has "Kernel panic - not syncing: sysrq triggered crash"; then
			t_pass linux.panic
		else
			t_fail linux.panic "exit 10 without the sysrq panic message: $(linux_why)"
		fi
	fi
}

why=$(linux_unavailable)
if [ -n "$why" ]; then
	skip_all "$why"
else
	linux_tests
fi
