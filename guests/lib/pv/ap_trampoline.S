/* SPDX-License-Identifier: MIT */
/*
 * A natively started AP's first instructions (native_ap.h).  The first
 * part is copied to the SIPI page and runs there in real mode, CS = the
 * page >> 4, IP = 0 (SDM Vol. 3A §9.4.4 "MP Initialization Example",
 * §8.4.4 in older editions), so it addresses itself relative to its
 * start.  From the far jump on, the code runs where it was linked.
 */
#include "../segments.h"
#include "native_ap.h"

#define CR0_PE          (1 << 0)
#define CR0_PG          0x80000000
#define MSR_EFER        0xc0000080
#define EFER_LME        (1 << 8)

#define MAILBOX(field)  native_ap_mailbox + AP_MB_##field

	.text
	.code16
	.globl ap_trampoline_start, ap_trampoline_end
	.p2align 4
ap_trampoline_start:
	cli
	cld
	mov %cs, %ax
	mov %ax, %ds
	lgdtl ap_gdtr - ap_trampoline_start     /* 32-bit base with the 0x66 prefix */
	mov %cr0, %eax
	or $CR0_PE, %eax
	mov %eax, %cr0
	ljmpl $SEL_KERNEL_CODE32, $native_ap_entry32

	.p2align 3
ap_gdtr:
	.word GDT_SLOTS * 8 - 1
	.long gdt
ap_trampoline_end:

	.code32
native_ap_entry32:
	mov $SEL_KERNEL_DATA, %eax
	mov %eax, %ds
	mov %eax, %es
	mov %eax, %fs
	mov %eax, %gs
	mov %eax, %ss
	mov MAILBOX(CR4), %eax
	mov %eax, %cr4
	mov MAILBOX(CR3), %eax
	mov %eax, %cr3
#ifdef __x86_64__
	/* Long mode as the BSP entered it (x86_64/longmode.S). */
	mov $MSR_EFER, %ecx
	rdmsr
	or $EFER_LME, %eax
	wrmsr
	mov %cr0, %eax
	or $(CR0_PG | CR0_PE), %eax
	mov %eax, %cr0
	ljmp $SEL_KERNEL_CODE64, $native_ap_entry64

	.code64
native_ap_entry64:
	mov MAILBOX(STACK_TOP), %rsp
	mov MAILBOX(ID), %edi
	mov MAILBOX(ARG), %rsi
	mov MAILBOX(FN), %rdx
	movl $1, MAILBOX(TAKEN)
	jmp smp_ap_entry                /* x86_64/smp_entry.S */
#else
	mov MAILBOX(CR0_PG), %eax
	mov %cr0, %ecx
	or %eax, %ecx
	mov %ecx, %cr0
	mov MAILBOX(STACK_TOP), %esp
	mov MAILBOX(ID), %ebx
	mov MAILBOX(ARG), %esi
	mov MAILBOX(FN), %edi
	movl $1, MAILBOX(TAKEN)
	jmp smp_ap_entry                /* x86_32/smp_entry.S */
#endif
