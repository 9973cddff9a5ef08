/* SPDX-License-Identifier: MIT */
/*
 * A 32-bit AP's first instructions (x86_32/smp.c).  The hypervisor loaded
 * flat segments from the context, with null selectors and no GDT or IDT:
 * load the library's GDT, reload CS (far jump) and the data segments, then
 * smp_ap_start(id, arg, fn), which loads the IDT.  EBX = id, ESI = arg,
 * EDI = fn, ESP = the AP's stack, from the context.
 */
#include "../segments.h"

	.code32
	.text
	.globl smp_ap_entry
smp_ap_entry:
	lgdt gdt_ptr
	ljmp $SEL_KERNEL_CODE32, $1f
1:	mov $SEL_KERNEL_DATA, %eax
	mov %eax, %ds
	mov %eax, %es
	mov %eax, %fs
	mov %eax, %gs
	mov %eax, %ss
	and $-16, %esp
	sub $4, %esp                    /* 16-byte aligned at the call */
	push %edi
	push %esi
	push %ebx
	call smp_ap_start               /* does not return */
	ud2
