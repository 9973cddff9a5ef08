/* SPDX-License-Identifier: MIT */
/*
 * 32-bit interrupt entry (irq.h) and the MSR accesses whose #GP the
 * dispatcher turns into a return value.
 */
	.code32
#define PUSH_WORD pushl
#define POINTER .long
#include "../irq_stubs.inc"

/* Same privilege: the CPU pushed EFLAGS, CS, EIP (SDM Vol. 3 §6.12.1). */
irq_common:
	push %eax
	push %ecx
	push %edx
	mov %esp, %eax
	cld
	push %eax                       /* the frame */
	call irq_dispatch
	add $4, %esp
	pop %edx
	pop %ecx
	pop %eax
	add $8, %esp                    /* vector, error code */
	iret

/* bool msr_read_faults(uint32_t msr, uint64_t *value) */
	.globl msr_read_faults, msr_read_insn, msr_read_fault
msr_read_faults:
	mov 4(%esp), %ecx
msr_read_insn:
	rdmsr
	mov 8(%esp), %ecx
	mov %eax, (%ecx)
	mov %edx, 4(%ecx)
	xor %eax, %eax
	ret
msr_read_fault:
	mov 8(%esp), %ecx
	movl $0, (%ecx)
	movl $0, 4(%ecx)
	mov $1, %eax
	ret

/* bool msr_write_faults(uint32_t msr, uint64_t value) */
	.globl msr_write_faults, msr_write_insn, msr_write_fault
msr_write_faults:
	mov 4(%esp), %ecx
	mov 8(%esp), %eax
	mov 12(%esp), %edx
msr_write_insn:
	wrmsr
	xor %eax, %eax
	ret
msr_write_fault:
	mov $1, %eax
	ret
