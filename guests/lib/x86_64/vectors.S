/* SPDX-License-Identifier: MIT */
	.code64
#define PUSH_WORD pushq
#define POINTER .quad
#include "../vectors.inc"

/*
 * Stack: vector, error code, RIP, CS, RFLAGS, RSP, SS (SDM Vol. 3 §6.14.2).
 * exception_report(vector, error, rip, cs) fails the guest; no return.
 */
exception_common:
	mov 0(%rsp), %rdi
	mov 8(%rsp), %rsi
	mov 16(%rsp), %rdx
	mov 24(%rsp), %rcx
	and $-16, %rsp
	call exception_report
1:	cli
	hlt
	jmp 1b
