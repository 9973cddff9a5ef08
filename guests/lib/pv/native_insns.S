/* SPDX-License-Identifier: MIT */
/*
 * The native instruction sequences the patcher may copy over a site
 * (patch.h): one record per template in section .pv_templates, in the
 * layout of a site record (addr = the bytes, len, op, clobbers).  Each
 * does exactly what the op's native function (native.c) does, with the pv
 * calling convention's registers (pvops.h): argument 1 in ARG1, 2 in ARG2,
 * result in AX.  A template longer than a site (flush_tlb) is never
 * inlined; the site calls native_flush_tlb instead.
 *
 * Also native_cpuid, the cpuid op's function: the instruction's own
 * registers are its calling convention.
 */
#include "pvops.h"

#ifdef __x86_64__
#define PTR             .quad
#define PTR_ALIGN       8
#define AX              %rax
#define ARG1            %rdi
#define ARG2            %rsi
#else
#define PTR             .long
#define PTR_ALIGN       4
#define AX              %eax
#define ARG1            %eax
#define ARG2            %edx
#endif

	/* template_begin; the instructions; template_end op, clobbers */
	.macro template_begin
	.pushsection .rodata.pv_template_bytes, "a"
990:
	.endm

	.macro template_end op, clobbers
991:
	.popsection
	.pushsection .pv_templates, "a"
	.balign PTR_ALIGN
	PTR 990b
	.byte 991b - 990b, \op
	.short \clobbers
	.balign PTR_ALIGN
	.popsection
	.endm

	template_begin
	cli
	template_end PV_OP_IRQ_DISABLE, 0

	template_begin
	sti
	template_end PV_OP_IRQ_ENABLE, 0

	template_begin
	pushf
	pop AX
	template_end PV_OP_SAVE_FL, PV_CLOBBER_AX

	template_begin
	push ARG1
	popf
	template_end PV_OP_RESTORE_FL, 0

	template_begin
	hlt
	template_end PV_OP_HALT, 0

	template_begin
	cpuid
	template_end PV_OP_CPUID, PV_CLOBBER_AX | PV_CLOBBER_BX | PV_CLOBBER_CX | PV_CLOBBER_DX

	template_begin
	mov %cr0, AX
	template_end PV_OP_READ_CR0, PV_CLOBBER_AX

	template_begin
	mov ARG1, %cr0
	template_end PV_OP_WRITE_CR0, 0

	template_begin
	mov %cr2, AX
	template_end PV_OP_READ_CR2, PV_CLOBBER_AX

	template_begin
	mov %cr3, AX
	template_end PV_OP_READ_CR3, PV_CLOBBER_AX

	template_begin
	mov ARG1, %cr3
	template_end PV_OP_WRITE_CR3, 0

	template_begin
	mov %cr4, AX
	template_end PV_OP_READ_CR4, PV_CLOBBER_AX

	template_begin
	mov ARG1, %cr4
	template_end PV_OP_WRITE_CR4, 0

	template_begin
	mov ARG2, (ARG1)
	template_end PV_OP_SET_PTE, 0

	/* 6 bytes: longer than a site, so always a call. */
	template_begin
	mov %cr3, AX
	mov AX, %cr3
	template_end PV_OP_FLUSH_TLB, PV_CLOBBER_AX

	template_begin
	invlpg (ARG1)
	template_end PV_OP_INVLPG, 0

	/* Nothing to do natively: the site becomes one NOP. */
	template_begin
	template_end PV_OP_LAZY_MMU_BEGIN, 0

	template_begin
	template_end PV_OP_LAZY_MMU_END, 0

	.text
	.globl native_cpuid
native_cpuid:
	cpuid
	ret
