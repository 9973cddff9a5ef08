/* SPDX-License-Identifier: MIT */
#include "../segments.h"
#include "usermode.h"

#define RFLAGS_RESERVED 0x2     /* bit 1 always set; IF and IOPL clear */

	.code64
	.text
/* long usermode_enter(long (*fn)(void), void *user_stack_top) */
	.globl usermode_enter
usermode_enter:
	push %rbx
	push %rbp
	push %r12
	push %r13
	push %r14
	push %r15
	mov %rsp, kernel_rsp(%rip)
	lea -8(%rsi), %rax              /* fn returns into usermode_exit */
	movq $usermode_exit, (%rax)
	/* IRETQ frame (SDM Vol. 3 §6.14.3): SS, RSP, RFLAGS, CS, RIP. */
	pushq $(SEL_USER_DATA | RPL_USER)
	push %rax
	pushq $RFLAGS_RESERVED
	pushq $(SEL_USER_CODE64 | RPL_USER)
	push %rdi
	iretq

/* CPL 3, fn's result in RAX. */
usermode_exit:
	int $USERMODE_RETURN_VECTOR
	ud2

/*
 * CPL 0 through the DPL-3 gate, on TSS.RSP0 with SS = NULL: reload the data
 * segments and the stack usermode_enter saved, and return RAX.
 */
	.globl usermode_return
usermode_return:
	mov $SEL_KERNEL_DATA, %ecx
	mov %ecx, %ds
	mov %ecx, %es
	mov %ecx, %ss
	mov kernel_rsp(%rip), %rsp
	pop %r15
	pop %r14
	pop %r13
	pop %r12
	pop %rbp
	pop %rbx
	ret

	.bss
	.p2align 3
kernel_rsp:
	.skip 8
