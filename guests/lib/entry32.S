/* SPDX-License-Identifier: MIT */
/*
 * PVH entry, shared by both runtimes (assembled -m32 or -m64; the code is
 * 32-bit either way).  The loader finds the entry through the Xen
 * PHYS32_ENTRY note and starts us in 32-bit protected mode with paging off
 * and EBX = physical address of struct hvm_start_info (REFERENCE.md, "PVH
 * boot").  ESP, the GDT and the IDT are unspecified, so: the TSC, our own
 * GDT, our own stack, a clear BSS, then the mode's arch_start
 * (x86_32/start.S or x86_64/longmode.S).
 */
#include <abi/xen/elfnote.h>

#include "segments.h"

#define BOOT_STACK_SIZE 0x4000

	.section .note.Xen, "a", @note
	.p2align 2
	.long 2f - 1f                   /* namesz, with the NUL */
	.long 4f - 3f                   /* descsz */
	.long XEN_ELFNOTE_PHYS32_ENTRY
1:	.asciz XEN_ELFNOTE_NAME
2:	.p2align 2
3:
#ifdef __x86_64__
	/*
	 * 8 bytes in an ELF64 kernel, as Linux emits it: QEMU's PVH loader
	 * (up to at least 7.2) reads a size_t from an ELF64 note, so a 4-byte
	 * descriptor would pick up whatever follows it.
	 */
	.quad pvh_start
#else
	.long pvh_start
#endif
4:	.p2align 2

	.code32
	.section .text.entry, "ax"
	.globl pvh_start
pvh_start:
	/* First, the time of the first instruction (boot benchmarks, start.h). */
	rdtsc
	mov %eax, boot_entry_tsc
	mov %edx, boot_entry_tsc + 4
	cld
	lgdt gdt_ptr
	ljmp $SEL_KERNEL_CODE32, $1f
1:	mov $SEL_KERNEL_DATA, %eax
	mov %eax, %ds
	mov %eax, %es
	mov %eax, %fs
	mov %eax, %gs
	mov %eax, %ss
	mov $boot_stack_top, %esp

	/* ELF loaders zero p_memsz beyond p_filesz, but PVH does not say so. */
	mov $__bss_start, %edi
	mov $__bss_end, %ecx
	sub %edi, %ecx
	xor %eax, %eax
	rep stosb

	mov %ebx, boot_start_info_paddr
	jmp arch_start

	/*
	 * Flat 4 GiB segments (SDM Vol. 3 §3.4.5).  In .data: the CPU sets
	 * accessed and TSS-busy bits, and tss_init() fills the TSS slot.
	 */
	.data
	.p2align 3
	.globl gdt
gdt:
	.quad 0                         /* null */
	.quad 0x00cf9a000000ffff        /* 0x08 kernel code, 32-bit: G D P S exec/read */
	.quad 0x00cf92000000ffff        /* 0x10 kernel data: G B P S read/write */
	.quad 0x00af9a000000ffff        /* 0x18 kernel code, 64-bit: G L P S exec/read */
	.quad 0x00cff2000000ffff        /* 0x20 user data: as 0x10 with DPL 3 */
	.quad 0x00affa000000ffff        /* 0x28 user code, 64-bit: as 0x18 with DPL 3 */
	.quad 0, 0                      /* 0x30 TSS (x86_64/tss.c) */
gdt_end:

	/* LGDT reads a 32-bit base in 32-bit mode and a 64-bit one in 64-bit mode. */
	.p2align 3
	.globl gdt_ptr
gdt_ptr:
	.word gdt_end - gdt - 1
	.long gdt, 0

	/* In .data, not .bss: the BSS is cleared after it is stored. */
	.p2align 3
	.globl boot_entry_tsc
boot_entry_tsc:
	.quad 0

	/* Aligned to its size: lib/pv/percpu.h finds CPU 0's data at its base. */
	.bss
	.p2align 14                     /* 1 << 14 = BOOT_STACK_SIZE */
	.globl boot_stack
boot_stack:
	.skip BOOT_STACK_SIZE
	.globl boot_stack_top
boot_stack_top:
