/* SPDX-License-Identifier: MIT */
/*
 * 32-bit hypercall: nr in EAX, arguments in EBX ECX EDX ESI EDI, result in
 * EAX (Xen's x86-32 convention).  Every argument register is an in/out
 * operand because Xen may clobber them.  EBX is free: guests are not PIC.
 */
#include "../hypercall.h"

#define HYPERCALL_ASM(insn)						\
	__asm__ volatile(insn						\
			 : "+a"(nr), "+b"(a1), "+c"(a2), "+d"(a3),	\
			   "+S"(a4), "+D"(a5)				\
			 : : "memory")

long hypercall_with(enum hypercall_insn insn, unsigned long nr,
		    unsigned long a1, unsigned long a2, unsigned long a3,
		    unsigned long a4, unsigned long a5)
{
	if (insn == HYPERCALL_VMMCALL)
		HYPERCALL_ASM("vmmcall");
	else
		HYPERCALL_ASM("vmcall");
	return (long)nr;
}
