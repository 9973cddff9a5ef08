/* SPDX-License-Identifier: MIT */
/* 64-bit APs: XEN_VCPU_HVM_MODE_64B on the boot page tables (see smp.h). */
#include <stdint.h>

#include "../smp.h"
#include "../string.h"
#include "paging.h"

#define CR0_ET                  (1u << 4)
#define RFLAGS_FIXED            0x2u

extern uint64_t identity_pml4[];        /* longmode.S */
void smp_ap_entry(void);                /* smp_entry.S */

void smp_ap_context(struct xen_vcpu_hvm_context *ctx, unsigned int id,
		    smp_ap_fn fn, unsigned long arg, void *stack_top)
{
	struct xen_vcpu_hvm_x86_64 *r = &ctx->cpu_regs.x86_64;

	memset(ctx, 0, sizeof(*ctx));
	ctx->mode = XEN_VCPU_HVM_MODE_64B;
	r->rip = (uintptr_t)smp_ap_entry;
	r->rsp = (uintptr_t)stack_top & ~0xful;
	r->rdi = id;
	r->rsi = arg;
	r->rdx = (uintptr_t)fn;
	r->rflags = RFLAGS_FIXED;
	r->cr0 = CR0_PG | CR0_ET | CR0_PE;
	r->cr3 = (uintptr_t)identity_pml4;
	r->cr4 = CR4_PAE;
	r->efer = EFER_LME;     /* the hypervisor adds LMA */
}
