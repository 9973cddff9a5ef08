#!/bin/bash
# Run the guests under QEMU TCG with no hypervisor ("native"): the console is
# port 0xe9 (-debugcon) and shutdown is isa-debug-exit at 0xf4, which makes
# QEMU exit with (value << 1) | 1: 1 for poweroff, 3 for crash (lib/shutdown.h).
# Hypercall guests cannot pass here; they must fail cleanly, not hang.
# pvops/pvops32 pass with their native pv_ops table, starting an AP by
# INIT-SIPI-SIPI (cpus column: QEMU -smp and the guest's cpus=N); bench
# measures what it can natively (no hypercalls) and starts the AP so too.
# The local APIC guests (apic*, init-sipi, hlt-idle, irq-storm) pass against
# QEMU's emulated xAPIC, skipping what QEMU 7.2's TCG lacks (x2APIC,
# TSC-deadline, #GP for unknown MSRs; guests/README.md).
set -u
cd "$(dirname "$0")" || exit 1

if ! command -v qemu-system-x86_64 >/dev/null; then
	echo "check-native: skipped, no qemu-system-x86_64"
	exit 0
fi

# guest            QEMU exit  seconds  cpus  line the output must contain
TABLE='
hello32            1          20       1     hello from a 32-bit PVH guest
hello64            1          20       1     hello from a 64-bit PVH guest
triple-fault       0          20       1     triple-fault: loading an empty IDT, then int3
wild-mmio          3          20       1     FAIL: wild-mmio: accesses to 0xc0000000 did not stop the guest
spin               124        3        1     spin: spinning
bad-hypercall      3          20       1     FAIL: bad-hypercall: no hypervisor found
bad-hypercall32    3          20       1     FAIL: bad-hypercall32: no hypervisor found
ring3-hypercall    3          20       1     ring3-hypercall: back from CPL 3
smp                3          20       1     FAIL: smp: no hypervisor found
smp32              3          20       1     FAIL: smp32: no hypervisor found
hcall64            3          20       1     FAIL: hcall64: no hypervisor found
hcall32            3          20       1     FAIL: hcall32: no hypervisor found
xenmode            3          20       1     FAIL: xenmode: no Xen signature at CPUID 0x40000000
xenmode32          3          20       1     FAIL: xenmode32: no Xen signature at CPUID 0x40000000
stress             3          20       1     FAIL: stress: no hypervisor found
stress32           3          20       1     FAIL: stress32: no hypervisor found
pvops              1          20       2     pvops: all checks passed (platform native, 232 set_pte in 0 multicalls)
pvops32            1          20       2     pvops32: all checks passed (platform native, 232 set_pte in 0 multicalls)
bench              1          20       2     bench: done
apic               1          30       3     apic: all checks passed
apic32             1          30       2     apic32: all checks passed
init-sipi          1          30       4     init-sipi: all checks passed
hlt-idle           1          20       1     hlt-idle: woke after
irq-storm          1          60       2     irq-storm: survived
'

out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
failed=0
while read -r guest want secs cpus line; do
	[ -n "$guest" ] || continue
	# More than one CPU: -smp N, and cpus=N tells the guest (pvops).
	smp=(-smp "$cpus")
	[ "$cpus" -gt 1 ] && smp+=(-append "cpus=$cpus")
	timeout "$secs" qemu-system-x86_64 -accel tcg -cpu max -m 64 "${smp[@]}" \
		-display none -serial none -monitor none -no-reboot \
		-kernel "$guest.elf" -debugcon "file:$out/$guest.log" \
		-device isa-debug-exit,iobase=0xf4,iosize=4 2>"$out/$guest.err"
	got=$?
	if [ "$got" = "$want" ] && grep -qF -- "$line" "$out/$guest.log"; then
		echo "ok   $guest (exit $got)"
	else
		echo "FAIL $guest: exit $got (want $want), output:"
		sed 's/^/     | /' "$out/$guest.log" "$out/$guest.err"
		failed=1
	fi
done <<<"$TABLE"
exit $failed
