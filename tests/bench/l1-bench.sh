# l1-bench.sh: the benchmark (docs/performance.md), run in the L1 by /init
# for tests/nested/run --bench, from the repo root (busybox sh).  hvk first;
# then, hvk.ko unloaded, KVM in the same L1 booting the same guests with
# QEMU's own PVH loader.  It only runs things and prints what they said;
# tests/bench/report makes the table from these lines of the serial log:
#
#   HVKBENCH BEGIN <details>
#   HVKBENCH NOTE <progress>              shown live by tests/nested/run
#   HVKBENCH OUT <id> <line>              each output line of run <id> ...
#   HVKBENCH RUN <id> <status>            ... and then its exit status
#   HVKBENCH KVM <id> exits=N guest_exits=N userspace=N emulated=N injected=N
#                                         KVM's own counts for run <id>
#   HVKBENCH NA <side> <why>              a side (hvk, kvm) that cannot run
#   HVKBENCH END <status>                 0 when everything ran
#
# Run ids: mem-cost (tests/progs/mem-cost); hvk.live (hvk info while a
# bench guest that wrote all its RAM holds); hvk.time and kvm.time (the
# timed bench runs, under tests/progs/vmm-probe); hvk.boot<mem>.<i> and
# kvm.boot<mem>.<i> (start-up only, under vmm-probe, <mem> 64, 16 or 1024
# MiB); hvk.touch.<n> and kvm.touch.<n> (a TOUCH_MIB guest that writes all
# its RAM, n = 1, or none of it, n = 0);
# hvk.count.<op>.<n> and kvm.count.<op>.<n> (the op n times, for exit
# counts: n = 0 is the baseline); hvk.guest.<name> and kvm.guest.<name> (the
# rows of tests/nested/guests.table); hvk.linux<cpus>.<i> and
# kvm.linux<cpus>.<i> (the Linux guest of tests/nested/tests/80-linux.sh
# with <cpus> vCPUs booted to /init, where vmm-probe --at-mark snapshots
# the counts, "at-mark ..." OUT lines, and on to power-off).
. tests/nested/l1-lib.sh

# Copies in RAM (the initramfs root): no 9p I/O while a VMM starts.
B=/tmp/bench
# The local APIC's (guests/bench.c): both sides alike.
APIC_OPS="ipi-roundtrip timer-tick eoi idle-exits"
HVK_OPS="hypercall-null cpuid pio-kernel pio-vmm multicall-1 multicall-4 multicall-16 multicall-64 vcpu-up $APIC_OPS"
KVM_OPS="hypercall-null cpuid pio-kernel pio-vmm vcpu-up $APIC_OPS"
# Operations per counting run: a host interrupt adds an exit now and then,
# and under KVM the firmware's exits vary by some tens from run to run,
# which this many makes < 0.01 per operation.  Under KVM an AP start
# (INIT-SIPI-SIPI) takes 10 400 returns to QEMU: fewer rounds there.
# idle-exits: one operation is an idle second (bench.c's idle-ms), which
# under icount (sleep=off) the L1 skips rather than spends; 60 of them, so
# that the few exits a run with N > 0 adds once (first touches of pages,
# and KVM's firmware) stay below 0.1 per second.
COUNT=10000
COUNT_HVK_AP=1000
COUNT_KVM_AP=4
COUNT_IDLE=60
# Start-up runs (1 vCPU) per VMM and guest RAM size (MiB): the median is
# reported, as the L1's idle time and scheduling vary from run to run.
# 1 GiB fits the L1 (1 GiB of RAM) because neither side touches it all.
BOOT_RUNS="64 64 64 64 64 16 16 16 1024 1024 1024"
# The touch runs (issue 13): a guest of TOUCH_MIB writes every page once
# (touch-ram), against one that does not: the difference is the exits and
# the 2 MiB mappings that touching costs.
TOUCH_MIB=256
GUEST_CMDLINE=cpus=2    # every bench run has two vCPUs, for vcpu-up and ipi-roundtrip
# The Linux boots (issue 12): the same vmlinux and initramfs, RAM and vCPUs
# on both sides; each VMM's own console (hvk: the Xen PV console; QEMU: the
# UART) but a quiet kernel, so that the rows measure the boot more than the
# console.  /init's first line is the mark; it then waits for a line on the
# console (tests/tools/linux-guest-init, wait-poweroff) and powers off.
# LINUX_RUNS: the vCPU count of each boot.  Under QEMU TCG, KVM's 2-vCPU
# boots stop for good (a vCPU spins, 0.6-0.7 s into the boot) in about
# half the runs; its 1-vCPU boots never did: the 1-vCPU rows are the
# comparison, the one 2-vCPU boot says whether SMP got through.
# LINUX_TIMEOUT: a boot takes 3 s of L1 time (3 G instructions under
# icount, a minute or two of the host's); a hung one must not hold the
# benchmark for long.
LINUX_RUNS="1 1 1 2"
LINUX_TIMEOUT=10
[ "$HVK_BACKEND" != bochs-vmx ] || { LINUX_RUNS="1 2"; LINUX_TIMEOUT=1800; }
LINUX_MEM=256
LINUX_CMDLINE="quiet hvktest.action=wait-poweroff"
LINUX_MARK=HVK-LINUX-INIT
# A whole timed run takes minutes of emulated time (icount: 1 ns per instruction).
RUN_TIMEOUT=$((HVKTEST_TIMEOUT * 20))
# Packed at the host's path (tests/bench/manifest), which is not in PATH.
QEMU=/usr/bin/qemu-system-x86_64
QEMU_ARGS="-accel kvm -cpu host -nodefaults -display none -serial none -monitor none
	-no-reboot -debugcon stdio -device isa-debug-exit,iobase=0xf4,iosize=4"
# Linux: its console on the UART, which stdin feeds; ACPI powers off.
QEMU_LINUX_ARGS="-accel kvm -cpu host -nodefaults -display none -serial stdio -monitor none
	-no-reboot"
TRACING=/sys/kernel/tracing/events/kvm
STATUS=0

note() {
	echo "HVKBENCH NOTE $*"
}

na() {
	echo "HVKBENCH NA $*"
	STATUS=1
}

# bench_run ID CMD...: CMD with stdin /dev/null and a time limit; its output
# (stdout and stderr) as OUT lines, then its status as a RUN line.
bench_run() {
	_id=$1; shift
	timeout "$RUN_TIMEOUT" "$@" </dev/null >/tmp/bench.out 2>&1
	_st=$?
	sed "s/^/HVKBENCH OUT $_id /" /tmp/bench.out
	echo "HVKBENCH RUN $_id $_st"
	return $_st
}

count_for() {	# count_for hvk|kvm OP
	case $1/$2 in
	hvk/vcpu-up) echo $COUNT_HVK_AP ;;
	kvm/vcpu-up) echo $COUNT_KVM_AP ;;
	*/idle-exits) echo $COUNT_IDLE ;;
	*) echo $COUNT ;;
	esac
}

trim() {
	printf '%s' "$1" | sed 's/^[[:space:]]*//; s/[[:space:]]*$//'
}

# for_each_guest FN: FN NAME ELF OPTIONS for each row of guests.table.
for_each_guest() {
	while IFS='|' read -r _name _elf _opts _rest; do
		_name=$(trim "$_name")
		case $_name in ''|'#'*) continue ;; esac
		"$1" "$_name" "$(trim "$_elf")" "$(trim "$_opts")"
	done <tests/nested/guests.table
}

# The Linux guest in RAM, or why there is none (then no Linux rows).
LINUX_NA=
linux_guest() {
	if [ ! -f "$HVK_LINUX_DIR/vmlinux" ] || [ ! -f "$HVK_LINUX_DIR/initrd.gz" ]; then
		LINUX_NA="no Linux guest in hvktest.linux='$HVK_LINUX_DIR' (tests/nested/run's linux-guest.log)"
	elif ! cp "$HVK_LINUX_DIR/vmlinux" "$HVK_LINUX_DIR/initrd.gz" $B/; then
		LINUX_NA="copying the Linux guest to $B failed"
	fi
	[ -z "$LINUX_NA" ] || echo "HVKBENCH OUT linux n/a: $LINUX_NA"
}

# ---- hvk -------------------------------------------------------------------

hvk_bench() {	# hvk_bench ID CMDLINE: bench.elf on hvk
	bench_run "$1" "$B/hvk" run --stats --cpus 2 --cmdline "$2" "$B/bench.elf"
}

hvk_guest() {	# from guests.table, as tests/nested/tests/50-guests.sh runs it
	# shellcheck disable=SC2086 # the table's options split at spaces
	bench_run "hvk.guest.$1" "$B/hvk" run --stats $3 "guests/$2"
}

# The module's pages while a guest that wrote all its RAM holds (nested
# page tables included): hvk info, then the VMM is killed.
hvk_live() {
	"$B/hvk" run --cpus 2 --cmdline "$GUEST_CMDLINE only=cpuid count=0 touch-ram hold" \
		"$B/bench.elf" </dev/null >/tmp/bench.hold 2>&1 &
	_vmm=$!
	_i=0
	while ! grep -q '^bench: holding' /tmp/bench.hold && [ $_i -lt 300 ]; do
		sleep 1
		_i=$((_i + 1))
	done
	bench_run hvk.live "$B/hvk" info
	kill "$_vmm"
	wait "$_vmm"
}

# linux_runs FN: FN ID CPUS for each boot of LINUX_RUNS, with LINUX_TIMEOUT.
linux_runs() {
	_saved=$RUN_TIMEOUT; RUN_TIMEOUT=$LINUX_TIMEOUT
	_i=0
	for _cpus in $LINUX_RUNS; do
		_i=$((_i + 1))
		"$1" "linux$_cpus.$_i" "$_cpus"
	done
	RUN_TIMEOUT=$_saved
}

hvk_linux_boot() {	# hvk_linux_boot ID CPUS
	bench_run "hvk.$1" "$B/vmm-probe64" --mark "$LINUX_MARK" \
		--at-mark "$B/hvk stat | sed 's/^/at-mark /'" \
		"$B/hvk" run --xen --stats --mem "${LINUX_MEM}M" --cpus "$2" \
		"$B/vmlinux" --module "$B/initrd.gz" --cmdline "console=hvc0 $LINUX_CMDLINE"
}

hvk_linux() {
	[ -z "$LINUX_NA" ] || return
	note "hvk: Linux, boots with $LINUX_RUNS vCPUs"
	# hvk stat reads debugfs.
	mount -t debugfs nodev /sys/kernel/debug 2>/dev/null
	linux_runs hvk_linux_boot
}

hvk_side() {
	if ! insmod kmod/hvk.ko; then
		na hvk "insmod kmod/hvk.ko failed"
		return
	fi
	bench_run mem-cost "$B/mem-cost64"
	hvk_live
	note "hvk: timed run"
	bench_run hvk.time "$B/vmm-probe64" "$B/hvk" run --stats --cpus 2 \
		--cmdline "$GUEST_CMDLINE touch-ram" "$B/bench.elf" || STATUS=1
	i=0
	for mem in $BOOT_RUNS; do
		i=$((i + 1))
		bench_run "hvk.boot$mem.$i" "$B/vmm-probe64" "$B/hvk" run --mem "${mem}M" \
			--cmdline "only=cpuid count=0" "$B/bench.elf"
	done
	note "hvk: touching $TOUCH_MIB MiB"
	for n in 0 1; do
		_touch=; [ $n = 1 ] && _touch=" touch-ram"
		bench_run "hvk.touch.$n" "$B/hvk" run --stats --mem "${TOUCH_MIB}M" \
			--cmdline "only=cpuid count=0$_touch" "$B/bench.elf"
	done
	note "hvk: exit counts"
	for op in $HVK_OPS; do
		for n in 0 "$(count_for hvk "$op")"; do
			hvk_bench "hvk.count.$op.$n" "$GUEST_CMDLINE only=$op count=$n"
		done
	done
	note "hvk: guests.table"
	for_each_guest hvk_guest
	hvk_linux
	rmmod hvk || na hvk "rmmod hvk failed"
}

# ---- KVM -------------------------------------------------------------------

# KVM's tracepoints count every exit (kvm_exit), every return to QEMU
# (kvm_userspace_exit), every instruction its emulator decodes
# (kvm_emulate_insn) and every interrupt it injects (kvm_inj_virq, keyed
# by a common field: its own fields differ between kernels); histogram
# triggers count them without a trace, tests/bench/kvm-counts reads them.
# Under QEMU the firmware (SeaBIOS, the PVH option ROM) runs first, so the
# exits at a RIP inside the guest image (1 to 2 MiB, guests/lib/guest.ld)
# are counted apart: keyed by vcpu_id, to tell the two histograms apart.
GUEST_RIPS='guest_rip >= 0x100000 && guest_rip < 0x200000'
kvm_counting() {	# kvm_counting on|off
	_p=; [ "$1" = on ] || _p='!'
	# '>>': opening a trigger file with O_TRUNC removes all its triggers.
	echo "${_p}hist:keys=exit_reason" >>"$TRACING/kvm_exit/trigger"
	echo "${_p}hist:keys=vcpu_id if $GUEST_RIPS" >>"$TRACING/kvm_exit/trigger"
	echo "${_p}hist:keys=reason" >>"$TRACING/kvm_userspace_exit/trigger"
	echo "${_p}hist:keys=failed" >>"$TRACING/kvm_emulate_insn/trigger"
	echo "${_p}hist:keys=common_pid" >>"$TRACING/kvm_inj_virq/trigger"
}

# kvm_counted ID CMD...: bench_run with KVM's counts (a KVM line).
kvm_counted() {
	kvm_counting on
	bench_run "$@"
	sh tests/bench/kvm-counts "HVKBENCH KVM $1"
	kvm_counting off
}

kvm_bench() {	# kvm_bench ID CMDLINE
	# shellcheck disable=SC2086 # QEMU_ARGS: words
	kvm_counted "$1" $QEMU $QEMU_ARGS -m 64 -smp 2 -kernel "$B/bench.elf" -append "$2"
}

# A guests.table row under QEMU/KVM: hvk run's options as QEMU's.
kvm_guest() {
	_mem=64M _cpus=1 _cmdline=
	# shellcheck disable=SC2086 # the table's options split at spaces
	set -- "$1" "$2" $3
	_n=$1 _e=$2; shift 2
	while [ $# -gt 0 ]; do
		case $1 in
		--cmdline) _cmdline=$2; shift ;;
		--mem) _mem=$2; shift ;;
		--cpus) _cpus=$2; shift ;;
		--timeout) echo "HVKBENCH OUT kvm.guest.$_n n/a: ends only by hvk run --timeout"; return ;;
		--xen) echo "HVKBENCH OUT kvm.guest.$_n n/a: hvk's Xen-compatible mode"; return ;;
		esac
		shift
	done
	# shellcheck disable=SC2086 # QEMU_ARGS: words
	kvm_counted "kvm.guest.$_n" $QEMU $QEMU_ARGS -m "$_mem" -smp "$_cpus" \
		-kernel "guests/$_e" -append "$_cmdline"
}

kvm_linux_boot() {	# kvm_linux_boot ID CPUS
	# shellcheck disable=SC2086 # QEMU_LINUX_ARGS: words
	kvm_counted "kvm.$1" "$B/vmm-probe64" --mark "$LINUX_MARK" \
		--at-mark "sh tests/bench/kvm-counts at-mark-kvm" \
		$QEMU $QEMU_LINUX_ARGS -m "$LINUX_MEM" -smp "$2" -kernel "$B/vmlinux" \
		-initrd "$B/initrd.gz" -append "console=ttyS0 $LINUX_CMDLINE"
}

kvm_linux() {
	[ -z "$LINUX_NA" ] || return
	note "KVM: Linux, boots with $LINUX_RUNS vCPUs"
	linux_runs kvm_linux_boot
}

kvm_side() {
	_mod=kvm_amd
	[ "$HVK_EXPECT_VENDOR" = VMX ] && _mod=kvm_intel
	if ! command -v $QEMU >/dev/null; then
		na kvm "no $QEMU in the L1 (tests/bench/manifest)"
		return
	fi
	while read -r _ko; do
		insmod "$_ko" || na kvm "insmod $_ko failed"
	done </etc/hvktest/modules.$_mod
	if [ ! -c /dev/kvm ]; then
		na kvm "no /dev/kvm after loading $_mod"
		return
	fi
	mount -t tracefs nodev /sys/kernel/tracing 2>/dev/null
	note "KVM: timed run"
	# shellcheck disable=SC2086 # QEMU_ARGS: words
	bench_run kvm.time "$B/vmm-probe64" $QEMU $QEMU_ARGS -m 64 -smp 2 \
		-kernel "$B/bench.elf" -append "$GUEST_CMDLINE touch-ram"
	# isa-debug-exit: QEMU exits 1 when the guest powers off.
	[ $? = 1 ] || STATUS=1
	i=0
	for mem in $BOOT_RUNS; do
		i=$((i + 1))
		# shellcheck disable=SC2086 # QEMU_ARGS: words
		bench_run "kvm.boot$mem.$i" "$B/vmm-probe64" $QEMU $QEMU_ARGS -m "$mem" -smp 1 \
			-kernel "$B/bench.elf" -append "only=cpuid count=0"
	done
	note "KVM: touching $TOUCH_MIB MiB"
	for n in 0 1; do
		_touch=; [ $n = 1 ] && _touch=" touch-ram"
		# shellcheck disable=SC2086 # QEMU_ARGS: words
		kvm_counted "kvm.touch.$n" $QEMU $QEMU_ARGS -m "$TOUCH_MIB" -smp 1 \
			-kernel "$B/bench.elf" -append "only=cpuid count=0$_touch"
	done
	note "KVM: exit counts"
	for op in $KVM_OPS; do
		for n in 0 "$(count_for kvm "$op")"; do
			kvm_bench "kvm.count.$op.$n" "$GUEST_CMDLINE only=$op count=$n"
		done
	done
	note "KVM: guests.table"
	for_each_guest kvm_guest
	kvm_linux
	# Unloaded in the reverse order.
	while read -r _ko; do
		_m=$(basename "$_ko" .ko)
		rmmod "$_m" || na kvm "rmmod $_m failed"
	done <<-EOF
	$(sed -n '1!G;h;$p' /etc/hvktest/modules.$_mod)
	EOF
}

echo "HVKBENCH BEGIN backend=$HVK_BACKEND vendor=$HVK_EXPECT_VENDOR kernel=$(uname -r)"
mkdir -p $B
if cp vmm/hvk guests/bench.elf tests/progs/vmm-probe64 tests/progs/mem-cost64 $B/; then
	linux_guest
	hvk_side
	kvm_side
else
	na all "vmm/hvk, guests/bench.elf or tests/progs not built (make all progs)"
fi
echo "HVKBENCH END $STATUS"
t_dump_dmesg
echo "HVKTEST DONE"
