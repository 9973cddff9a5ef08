# 40-trace.sh: hvk's tracepoints and counters as a developer uses them.
# 'hvk run --trace' must show the ioctl sequence and the guest's hypercalls
# with names and results; 'hvk stat PID' must count exactly the hypercalls
# guests/counted makes (100 hvk null, 7 xen_version); tracefs is left as it
# was found.

mount -t tracefs nodev /sys/kernel/tracing 2>/dev/null
mount -t debugfs nodev /sys/kernel/debug 2>/dev/null

# expect_line NAME PATTERN...: each grep -E pattern must match a line of $T_OUT.
expect_lines() {
	_name=$1; shift
	for _p in "$@"; do
		if ! grep -qE -- "$_p" "$T_OUT"; then
			t_fail "$_name" "no line matches '$_p'"
			return
		fi
	done
	t_pass "$_name"
}

if t_run "$HVK" run --trace guests/hello32.elf; then
	expect_lines trace.ioctl-sequence \
		'hvk_ioctl: dev CREATE_VM .* ret [0-9]+$' \
		'hvk_vm_create: vm [0-9]+' \
		'hvk_ioctl: vm SET_MEMORY_REGION args 0x0 0x0 0x4000000 ret 0' \
		'hvk_ioctl: vm CREATE_VCPU .* ret [0-9]+$' \
		'hvk_ioctl: vcpu VCPU_SET_HVM_CONTEXT args 0x0 0x100000 0x0 ret 0' \
		'hvk_ioctl: vcpu RUN .* ret 0' \
		'hvk_vm_destroy: vm [0-9]+'
	expect_lines trace.hypercalls \
		'hvk_hypercall: vm [0-9]+ vcpu 0 console_io\(0x12\) 0x0 .* = 0 32-bit' \
		'hvk_hypercall: vm [0-9]+ vcpu 0 sched_op\(0x1d\) 0x2 .* = 0 32-bit' \
		'hvk_vcpu_exit: vm [0-9]+ vcpu 0 reason (hypercall|VMCALL|vmcall)' \
		'hvk_userspace_exit: vm [0-9]+ vcpu 0 reason shutdown ret 0'
	# Guest RAM faulted in from the VMM's memory (2M where both the host
	# and the CPU have 2 MiB pages).
	expect_lines trace.ram-faults \
		'hvk_ram_fault: vm [0-9]+ vcpu 0 gpa 0x[0-9a-f]+ hva 0x[0-9a-f]+ rw (2M|4K)$'
else
	t_fail trace.ioctl-sequence "hvk run --trace: $(t_why)"
	t_skip trace.hypercalls "hvk run --trace failed"
	t_skip trace.ram-faults "hvk run --trace failed"
fi

# The interrupt machinery: a timer interrupt injected into a halted vCPU,
# and the accesses the kernel answers under --unclaimed-io=ignore.
if t_run "$HVK" run --trace guests/hlt-idle.elf; then
	expect_lines trace.interrupts \
		'hvk_vcpu_exit: vm [0-9]+ vcpu 0 reason (hlt|HLT)' \
		'hvk_inject: vm [0-9]+ vcpu 0 interrupt vector 0x[0-9a-f]+'
else
	t_fail trace.interrupts "hvk run --trace hlt-idle: $(t_why)"
fi
if t_run "$HVK" run --trace --unclaimed-io=ignore guests/unclaimed-io.elf; then
	expect_lines trace.unclaimed-io \
		'hvk_unclaimed_io: vm [0-9]+ vcpu 0 ignored pio read 0xcf8 size 4' \
		'hvk_unclaimed_io: vm [0-9]+ vcpu 0 ignored mmio write 0xfed00' \
		'hvk_pio: vm [0-9]+ vcpu 0 in port 0xcf8 size 4 value 0x0 \(kernel\)'
else
	t_fail trace.unclaimed-io "hvk run --trace unclaimed-io: $(t_why)"
fi

# Event channel deliveries: where each came from and what it did.
# Under Bochs the live stream (all events, 100k+ lines) falls behind the
# guest and the kernel's trace ring drops events: checked on QEMU only.
if [ "$HVK_BACKEND" = bochs-vmx ]; then
	t_skip trace.evtchn "under Bochs hvk run --trace loses events of this busy guest" \
	       "(trace ring overrun); checked on the QEMU backends"
elif t_run "$HVK" run --trace --xen --cpus 2 --cmdline storm=16 guests/evtchn64.elf; then
	expect_lines trace.evtchn \
		'hvk_evtchn: vm [0-9]+ vcpu 0 port [0-9]+ from send: masked' \
		'hvk_evtchn: vm [0-9]+ vcpu 0 port [0-9]+ from send: raised' \
		'hvk_evtchn: vm [0-9]+ vcpu 1 port [0-9]+ from send: raised' \
		'hvk_evtchn: vm [0-9]+ vcpu 0 port [0-9]+ from unmask: raised' \
		'hvk_evtchn: vm [0-9]+ vcpu 0 port [0-9]+ from bind: masked' \
		'hvk_hypercall: vm [0-9]+ vcpu 0 event_channel_op\(0x20\) 0x4 .* = 0 64-bit'
else
	t_fail trace.evtchn "hvk run --trace evtchn64: $(t_why)"
fi

enabled=$(cat /sys/kernel/tracing/events/hvk/hvk_ioctl/enable 2>/dev/null)
[ "$enabled" = 0 ] && t_pass trace.restored ||
	t_fail trace.restored "events/hvk/hvk_ioctl/enable is '$enabled' after hvk run --trace"

"$HVK" run --cmdline then=block guests/counted.elf >/tmp/counted.out 2>&1 </dev/null &
vmm=$!
sleep 3
if t_run "$HVK" stat "$vmm"; then
	expect_lines stat.counts \
		'^  hvk_base +100 ' \
		'^  xen_version +7 ' \
		'^  console_io +1 ' \
		"^VM [0-9]+ \(VMM pid $vmm\)"
else
	t_fail stat.counts "hvk stat $vmm: $(t_why)"
fi
kill "$vmm"
wait "$vmm" 2>/dev/null

if t_run "$HVK" stat 999999; then
	t_fail stat.no-vm "hvk stat of a pid without a VM succeeded"
else
	expect_lines stat.no-vm 'no VM of process 999999'
fi
if t_run "$HVK" trace --events no_such_event; then
	t_fail trace.bad-event "an unknown event was accepted"
else
	expect_lines trace.bad-event "unknown event 'no_such_event'"
fi
