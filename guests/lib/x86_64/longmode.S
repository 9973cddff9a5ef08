/* SPDX-License-Identifier: MIT */
/*
 * The 64-bit runtime: from the PVH entry's 32-bit protected mode into
 * 64-bit mode (SDM Vol. 3 §10.8.5, "Initializing IA-32e Mode"): build the
 * page tables, set CR4.PAE, load CR3, set EFER.LME, set CR0.PG (the CPU is
 * now in compatibility mode), then far-jump to a 64-bit code segment.
 */
#include "../segments.h"
#include "paging.h"

	.code32
	.text
	.globl arch_start
arch_start:
	call build_identity_map

	mov %cr4, %eax
	or $CR4_PAE, %eax
	mov %eax, %cr4
	mov $identity_pml4, %eax
	mov %eax, %cr3
	mov $MSR_EFER, %ecx
	rdmsr
	or $EFER_LME, %eax
	wrmsr
	mov %cr0, %eax
	or $(CR0_PG | CR0_PE), %eax
	mov %eax, %cr0
	ljmp $SEL_KERNEL_CODE64, $long_mode

/* 4 GiB with 2 MiB pages: 2048 PDEs, 4 PDPTEs, 1 PML4E; the BSS is clear. */
build_identity_map:
	mov $identity_pd, %edi
	mov $(PTE_PRESENT | PTE_WRITABLE | PTE_LARGE), %eax
	xor %ecx, %ecx
1:	mov %eax, (%edi, %ecx, 8)
	add $LARGE_PAGE_SIZE, %eax
	inc %ecx
	cmp $IDENTITY_PDES, %ecx
	jne 1b

	mov $identity_pdpt, %edi
	mov $(identity_pd + PTE_PRESENT + PTE_WRITABLE + PTE_USER), %eax
	xor %ecx, %ecx
2:	mov %eax, (%edi, %ecx, 8)
	add $PAGE_SIZE, %eax
	inc %ecx
	cmp $IDENTITY_PDS, %ecx
	jne 2b

	movl $(identity_pdpt + PTE_PRESENT + PTE_WRITABLE + PTE_USER), identity_pml4
	ret

	.code64
long_mode:
	lgdt gdt_ptr                    /* again, now with its 64-bit base */
	mov $SEL_KERNEL_DATA, %eax
	mov %eax, %ds
	mov %eax, %es
	mov %eax, %fs
	mov %eax, %gs
	mov %eax, %ss
	mov $boot_stack_top, %rsp       /* 16-byte aligned before the call */
	call guest_start                /* does not return */
3:	cli
	hlt
	jmp 3b

	.bss
	.p2align 12
	.globl identity_pml4, identity_pdpt, identity_pd
identity_pml4:
	.skip PAGE_SIZE
identity_pdpt:
	.skip PAGE_SIZE
identity_pd:
	.skip IDENTITY_PDS * PAGE_SIZE
