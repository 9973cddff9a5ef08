/* SPDX-License-Identifier: MIT */
/*
 * KVM's guest interface, the part the library uses (Linux's
 * Documentation/virt/kvm/x86/cpuid.rst and hypercalls.rst): the CPUID
 * signature that platform_detect() looks for, and KVM's own hypercall
 * convention, which is not Xen's: nr in (E/R)AX, up to four arguments in
 * BX CX DX SI, result in AX (-KVM_ENOSYS for an unknown nr), CPL 0 only,
 * by the vendor's instruction (hypercall_insn).  On KVM the library has no
 * Xen-ABI hypercalls (platform_has_hypercalls() is false): the console and
 * shutdown stay QEMU's debugcon and isa-debug-exit, as natively.
 */
#ifndef GUEST_KVM_H
#define GUEST_KVM_H

/* CPUID 0x40000000 (or a later 0x100 block): "KVMKVMKVM\0\0\0". */
#define KVM_CPUID_SIGNATURE_EBX 0x4b4d564bu     /* "KVMK" */
#define KVM_CPUID_SIGNATURE_ECX 0x564b4d56u     /* "VMKV" */
#define KVM_CPUID_SIGNATURE_EDX 0x0000004du     /* "M\0\0\0" */

/* include/uapi/linux/kvm_para.h: KVM's errors are its own, not errno. */
#define KVM_ENOSYS              1000

long kvm_hypercall4(unsigned long nr, unsigned long a0, unsigned long a1,
		    unsigned long a2, unsigned long a3);

static inline long kvm_hypercall0(unsigned long nr)
{
	return kvm_hypercall4(nr, 0, 0, 0, 0);
}

#endif /* GUEST_KVM_H */
