/* SPDX-License-Identifier: MIT */
/*
 * 64-bit hypercall: nr in RAX, arguments in RDI RSI RDX R10 R8, result in
 * RAX (Xen's x86-64 convention; R10 not RCX, as for SYSCALL).  Every
 * argument register is an in/out operand because Xen may clobber them.
 */
#include "../hypercall.h"

#define HYPERCALL_ASM(insn)						\
	__asm__ volatile(insn						\
			 : "+a"(nr), "+D"(a1), "+S"(a2), "+d"(a3),	\
			   "+r"(r10), "+r"(r8)				\
			 : : "memory")

long hypercall_with(enum hypercall_insn insn, unsigned long nr,
		    unsigned long a1, unsigned long a2, unsigned long a3,
		    unsigned long a4, unsigned long a5)
{
	register unsigned long r10 __asm__("r10") = a4;
	register unsigned long r8 __asm__("r8") = a5;

	if (insn == HYPERCALL_VMMCALL)
		HYPERCALL_ASM("vmmcall");
	else
		HYPERCALL_ASM("vmcall");
	return (long)nr;
}
