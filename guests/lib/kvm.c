/* SPDX-License-Identifier: MIT */
/* KVM hypercalls (kvm.h); the registers are the same in both modes. */
#include "hypercall.h"
#include "kvm.h"

#define KVM_HYPERCALL_ASM(insn)						\
	__asm__ volatile(insn						\
			 : "+a"(nr)					\
			 : "b"(a0), "c"(a1), "d"(a2), "S"(a3)		\
			 : "memory")

long kvm_hypercall4(unsigned long nr, unsigned long a0, unsigned long a1,
		    unsigned long a2, unsigned long a3)
{
	if (hypercall_insn == HYPERCALL_VMMCALL)
		KVM_HYPERCALL_ASM("vmmcall");
	else
		KVM_HYPERCALL_ASM("vmcall");
	return (long)nr;
}
