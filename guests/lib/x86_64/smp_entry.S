/* SPDX-License-Identifier: MIT */
/*
 * A 64-bit AP's first instructions (x86_64/smp.c).  The hypervisor gave it
 * flat 64-bit segments with null selectors and no GDT or IDT: load the
 * library's GDT, reload CS (far return) and the data segments, then
 * smp_ap_start(id, arg, fn), which loads the IDT.  RDI = id, RSI = arg,
 * RDX = fn, RSP = the AP's stack, from the context.
 */
#include "../segments.h"

	.code64
	.text
	.globl smp_ap_entry
smp_ap_entry:
	lgdt gdt_ptr
	pushq $SEL_KERNEL_CODE64
	leaq 1f(%rip), %rax
	pushq %rax
	lretq
1:	mov $SEL_KERNEL_DATA, %eax
	mov %eax, %ds
	mov %eax, %es
	mov %eax, %fs
	mov %eax, %gs
	mov %eax, %ss
	and $-16, %rsp
	call smp_ap_start               /* does not return */
	ud2
