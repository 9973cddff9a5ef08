/* SPDX-License-Identifier: MIT */
/* Secondary vCPUs, the mode-independent part (see smp.h). */
#include <abi/xen/errno.h>
#include <abi/xen/hypercall.h>

#include "exceptions.h"
#include "hypercall.h"
#include "smp.h"
#include "string.h"

#define CR0_PE          (1u << 0)
#define CR0_ET          (1u << 4)
#define EFLAGS_FIXED    0x2u            /* bit 1 reads as one */
#define TSS32_LIMIT     0x67u           /* the smallest 32-bit TSS */

long hc_vcpu_op(unsigned int op, unsigned int id, void *arg)
{
	return hypercall3(XEN_HC_VCPU_OP, op, id, (unsigned long)arg);
}

unsigned int smp_count_vcpus(void)
{
	unsigned int id;

	for (id = 0; id < SMP_MAX_VCPUS; id++)
		if (hc_vcpu_op(XEN_VCPUOP_IS_UP, id, 0) == -XEN_ENOENT)
			break;
	return id;
}

void smp_context_flat32(struct xen_vcpu_hvm_context *ctx, uint32_t eip, uint32_t esp)
{
	struct xen_vcpu_hvm_x86_32 *r = &ctx->cpu_regs.x86_32;

	memset(ctx, 0, sizeof(*ctx));
	ctx->mode = XEN_VCPU_HVM_MODE_32B;
	r->eip = eip;
	r->esp = esp;
	r->eflags = EFLAGS_FIXED;
	r->cr0 = CR0_PE | CR0_ET;
	r->cs_limit = r->ds_limit = r->ss_limit = r->es_limit = 0xffffffff;
	r->cs_ar = XEN_HVM_AR_CODE32;
	r->ds_ar = r->ss_ar = r->es_ar = XEN_HVM_AR_DATA32;
	r->tr_limit = TSS32_LIMIT;
	r->tr_ar = XEN_HVM_AR_TSS32_BUSY;
}

void smp_ap_start(unsigned int id, unsigned long arg, smp_ap_fn fn)
{
	exceptions_load();
	fn(id, arg);
	for (;;)
		hc_vcpu_op(XEN_VCPUOP_DOWN, id, 0);
}
