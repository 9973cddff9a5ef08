/* SPDX-License-Identifier: MIT */
/*
 * 32-bit APs: XEN_VCPU_HVM_MODE_32B with flat segments, paging off or on
 * (see smp.h).
 */
#include <stdint.h>

#include "../smp.h"

#define CR0_PG                  0x80000000u
#define CR4_PSE                 (1u << 4)
#define PDE_PRESENT             (1u << 0)
#define PDE_WRITABLE            (1u << 1)
#define PDE_LARGE               (1u << 7)       /* PS: a 4 MiB page */
#define PDES                    1024

void smp_ap_entry(void);                /* smp_entry.S */

/* 32-bit paging (SDM Vol. 3 §4.3): 1024 PDEs of 4 MiB map 4 GiB 1:1. */
static uint32_t page_directory[PDES] __attribute__((aligned(4096)));

void smp_ap_context(struct xen_vcpu_hvm_context *ctx, unsigned int id,
		    smp_ap_fn fn, unsigned long arg, void *stack_top)
{
	struct xen_vcpu_hvm_x86_32 *r = &ctx->cpu_regs.x86_32;

	smp_context_flat32(ctx, (uintptr_t)smp_ap_entry, (uintptr_t)stack_top & ~0xfu);
	r->ebx = id;
	r->esi = arg;
	r->edi = (uintptr_t)fn;
}

void smp_ap_context_paged(struct xen_vcpu_hvm_context *ctx, unsigned int id,
			  smp_ap_fn fn, unsigned long arg, void *stack_top)
{
	struct xen_vcpu_hvm_x86_32 *r = &ctx->cpu_regs.x86_32;

	for (uint32_t i = 0; i < PDES; i++)
		page_directory[i] = i << 22 | PDE_LARGE | PDE_WRITABLE | PDE_PRESENT;
	smp_ap_context(ctx, id, fn, arg, stack_top);
	r->cr0 |= CR0_PG;
	r->cr3 = (uintptr_t)page_directory;
	r->cr4 = CR4_PSE;
}
