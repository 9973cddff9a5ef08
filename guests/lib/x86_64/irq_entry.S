/* SPDX-License-Identifier: MIT */
/*
 * 64-bit interrupt entry (irq.h) and the MSR accesses whose #GP the
 * dispatcher turns into a return value.
 */
	.code64
#define PUSH_WORD pushq
#define POINTER .quad
#include "../irq_stubs.inc"

/*
 * The CPU aligned RSP to 16 before pushing its 5 words (SDM Vol. 3
 * §6.14.2); with vector, error code and these 9 registers the call sees
 * a 16-byte aligned stack.  Only caller-saved registers need saving.
 */
irq_common:
	push %rax
	push %rcx
	push %rdx
	push %rsi
	push %rdi
	push %r8
	push %r9
	push %r10
	push %r11
	mov %rsp, %rdi
	cld
	call irq_dispatch
	pop %r11
	pop %r10
	pop %r9
	pop %r8
	pop %rdi
	pop %rsi
	pop %rdx
	pop %rcx
	pop %rax
	add $16, %rsp                   /* vector, error code */
	iretq

/* bool msr_read_faults(uint32_t msr, uint64_t *value) */
	.globl msr_read_faults, msr_read_insn, msr_read_fault
msr_read_faults:
	mov %edi, %ecx
msr_read_insn:
	rdmsr
	shl $32, %rdx
	or %rdx, %rax
	mov %rax, (%rsi)
	xor %eax, %eax
	ret
msr_read_fault:
	movq $0, (%rsi)
	mov $1, %eax
	ret

/* bool msr_write_faults(uint32_t msr, uint64_t value) */
	.globl msr_write_faults, msr_write_insn, msr_write_fault
msr_write_faults:
	mov %edi, %ecx
	mov %esi, %eax
	mov %rsi, %rdx
	shr $32, %rdx
msr_write_insn:
	wrmsr
	xor %eax, %eax
	ret
msr_write_fault:
	mov $1, %eax
	ret
