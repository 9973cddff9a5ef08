/* SPDX-License-Identifier: MIT */
	.code32
#define PUSH_WORD pushl
#define POINTER .long
#include "../vectors.inc"

/*
 * Stack: vector, error code, EIP, CS, EFLAGS (no SS:ESP: the 32-bit runtime
 * never leaves ring 0).  exception_report(vector, error, eip, cs) fails the
 * guest; no return.
 */
exception_common:
	mov %esp, %eax
	pushl 12(%eax)
	pushl 8(%eax)
	pushl 4(%eax)
	pushl 0(%eax)
	call exception_report
1:	cli
	hlt
	jmp 1b
