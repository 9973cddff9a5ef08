/* SPDX-License-Identifier: MIT */
/*
 * hvk's guest-visible platform interface.
 *
 * A VM not in Xen-compatible mode shows hvk's own CPUID signature at
 * 0x40000000 instead of Xen's, so a Linux guest does not take its Xen path.
 * It still accepts the Xen hypercall ABI (include/abi/xen/hypercall.h).
 *
 * CPUID 0x40000000: EAX = highest hvk leaf, EBX ECX EDX = "hvkhvkhvk\0\0\0".
 *
 * A VM in Xen-compatible mode (HVK_VM_XEN_COMPAT) shows Xen's leaves at
 * 0x40000000 (abi/xen/cpuid.h) and hvk's signature one block up, at
 * 0x40000100, so hvk-aware guests still find hvk.
 */
#ifndef HVK_ABI_HVK_GUEST_H
#define HVK_ABI_HVK_GUEST_H

#define HVK_CPUID_BASE            0x40000000u
#define HVK_CPUID_SIGNATURE_EBX   0x686b7668u   /* "hvkh" */
#define HVK_CPUID_SIGNATURE_ECX   0x76686b76u   /* "vkhv" */
#define HVK_CPUID_SIGNATURE_EDX   0x0000006bu   /* "k\0\0\0" */
#define HVK_CPUID_MAX_LEAF        0x40000000u
#define HVK_CPUID_BASE_XEN_MODE   0x40000100u

/*
 * The local APIC timer's input clock, the "bus clock" the divide
 * configuration register divides (Intel SDM Vol. 3A §11.5.4): 1 GHz, so at
 * divide-by-1 one count is 1 ns.  Guests cannot learn it from CPUID 0x15 or
 * 0x16; it is this constant (guests/apic.c checks it against the pvclock).
 */
#define HVK_APIC_BUS_HZ 1000000000

/* Port 0xe9 (the Bochs/QEMU debug console): bytes written go to the console. */
#define HVK_DEBUGCON_PORT         0xe9

/*
 * A port the hvk VMM (not the kernel) answers: OUT is ignored, IN reads 0,
 * any size.  It costs a full return to the VMM, so it measures that path
 * (benchmarks) and lets tests exercise it.  Other ports are fatal to hvk run.
 */
#define HVK_VMM_NULL_PORT         0x5e0

/*
 * hvk's ACPI platform, served by the VMM (docs/acpi.md): hardware-reduced
 * ACPI whose FADT sleep control/status and reset registers are these
 * one-byte I/O ports.  Guests find them through the FADT; the numbers are
 * here so tests can check what the tables say.
 */
#define HVK_ACPI_SLEEP_CONTROL_PORT 0x600
#define HVK_ACPI_SLEEP_STATUS_PORT  0x601
#define HVK_ACPI_RESET_PORT         0x602
#define HVK_ACPI_RESET_VALUE        0x01

#endif /* HVK_ABI_HVK_GUEST_H */
