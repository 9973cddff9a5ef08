/* SPDX-License-Identifier: MIT */
/* The 32-bit runtime: stay in the protected mode the PVH entry gave us. */
	.code32
	.text
	.globl arch_start
arch_start:
	call guest_start                /* does not return */
1:	cli
	hlt
	jmp 1b
