/* SPDX-License-Identifier: MIT */
/*
 * One trampoline per pv op: where every site calls until pv_patch_sites()
 * rewrites it (patch.h).  Each counts itself in pv_tramp_hits (a locked
 * add: any CPU; only the flags change, which every site declares) and
 * jumps through the op's pv_ops slot, so the op returns straight to the
 * site.  pv_trampolines[] lists them in op order.
 */
#include "pvops.h"

#ifdef __x86_64__
#define PTR             .quad
#define PTR_SIZE        8
#define RIPREL          (%rip)
#else
#define PTR             .long
#define PTR_SIZE        4
#define RIPREL
#endif

	.section .rodata
	.p2align 3
	.globl pv_trampolines
pv_trampolines:

	.macro trampoline name, op
	.text
	.p2align 4
	.globl pv_tramp_\name
pv_tramp_\name:
	lock incl pv_tramp_hits RIPREL
	.set pv_slot_\name, pv_ops + \op * PTR_SIZE
	jmp *pv_slot_\name RIPREL

	.section .rodata
	.if . - pv_trampolines - \op * PTR_SIZE
	.error "pv trampolines must be listed in op order (pvops.h)"
	.endif
	PTR pv_tramp_\name
	.endm

	trampoline irq_disable,    PV_OP_IRQ_DISABLE
	trampoline irq_enable,     PV_OP_IRQ_ENABLE
	trampoline save_fl,        PV_OP_SAVE_FL
	trampoline restore_fl,     PV_OP_RESTORE_FL
	trampoline halt,           PV_OP_HALT
	trampoline cpuid,          PV_OP_CPUID
	trampoline read_cr0,       PV_OP_READ_CR0
	trampoline write_cr0,      PV_OP_WRITE_CR0
	trampoline read_cr2,       PV_OP_READ_CR2
	trampoline read_cr3,       PV_OP_READ_CR3
	trampoline write_cr3,      PV_OP_WRITE_CR3
	trampoline read_cr4,       PV_OP_READ_CR4
	trampoline write_cr4,      PV_OP_WRITE_CR4
	trampoline set_pte,        PV_OP_SET_PTE
	trampoline flush_tlb,      PV_OP_FLUSH_TLB
	trampoline invlpg,         PV_OP_INVLPG
	trampoline lazy_mmu_begin, PV_OP_LAZY_MMU_BEGIN
	trampoline lazy_mmu_end,   PV_OP_LAZY_MMU_END
	trampoline inb,            PV_OP_INB
	trampoline outb,           PV_OP_OUTB
	trampoline outl,           PV_OP_OUTL
	trampoline console_write,  PV_OP_CONSOLE_WRITE
	trampoline shutdown,       PV_OP_SHUTDOWN
	trampoline vcpu_up,        PV_OP_VCPU_UP

	.section .rodata
	.if . - pv_trampolines - PV_NR_OPS * PTR_SIZE
	.error "one trampoline per pv op"
	.endif
