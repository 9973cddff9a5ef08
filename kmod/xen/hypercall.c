// SPDX-License-Identifier: GPL-2.0
/* Hypercall decoding and dispatch (see hypercall.h). */
#include <linux/kernel.h>
#include <abi/xen/errno.h>

#include "emulate.h"
#include "guest_mem.h"
#include "hypercall.h"
#include "vcpu.h"
#include "trace.h"
#include "vendor.h"
#include "vm.h"

/* Argument registers by caller mode (Xen ABI): 64-bit RDI RSI RDX R10 R8. */
static const u8 hcall_args64[XEN_HC_MAX_ARGS] = {
	HVK_REG_RDI, HVK_REG_RSI, HVK_REG_RDX, HVK_REG_R10, HVK_REG_R8,
};
/* 32-bit EBX ECX EDX ESI EDI. */
static const u8 hcall_args32[XEN_HC_MAX_ARGS] = {
	HVK_REG_RBX, HVK_REG_RCX, HVK_REG_RDX, HVK_REG_RSI, HVK_REG_RDI,
};

static const u8 *hcall_arg_regs(const struct hvk_hcall *hc)
{
	return hc->long_mode ? hcall_args64 : hcall_args32;
}

/*
 * Straight-line rather than through hcall_arg_regs(): every hypercall pays.
 * The same registers as hcall_args64/32 above (the write-back uses those).
 */
static void hcall_decode(struct hvk_vcpu *vcpu, bool long_mode, struct hvk_hcall *hc)
{
	const u64 *gpr = vcpu->gpr;

	BUILD_BUG_ON(XEN_HC_MAX_ARGS != 5);
	hc->vcpu = vcpu;
	hc->long_mode = long_mode;
	if (long_mode) {
		hc->nr = gpr[HVK_REG_RAX];
		hc->arg[0] = gpr[HVK_REG_RDI];
		hc->arg[1] = gpr[HVK_REG_RSI];
		hc->arg[2] = gpr[HVK_REG_RDX];
		hc->arg[3] = gpr[HVK_REG_R10];
		hc->arg[4] = gpr[HVK_REG_R8];
	} else {
		hc->nr = (u32)gpr[HVK_REG_RAX];
		hc->arg[0] = (u32)gpr[HVK_REG_RBX];
		hc->arg[1] = (u32)gpr[HVK_REG_RCX];
		hc->arg[2] = (u32)gpr[HVK_REG_RDX];
		hc->arg[3] = (u32)gpr[HVK_REG_RSI];
		hc->arg[4] = (u32)gpr[HVK_REG_RDI];
	}
}

static void hcall_write_back_args(const struct hvk_hcall *hc)
{
	const u8 *regs = hcall_arg_regs(hc);
	int i;

	for (i = 0; i < XEN_HC_MAX_ARGS; i++)
		hc->vcpu->gpr[regs[i]] = hc->arg[i];
}

int hvk_emulate_hypercall(struct hvk_vcpu *vcpu, int cpl, bool long_mode, bool *completed)
{
	struct hvk_hcall hc = {};
	long result;

	hcall_decode(vcpu, long_mode, &hc);
	/* Xen refuses hypercalls from guest user mode. */
	if (cpl != 0) {
		result = -XEN_EPERM;
		hvk_hcall_account(&hc, result);
	} else {
		hvk_gva_cache_begin(&vcpu->gva_cache);
		result = hvk_hcall_dispatch(&hc);
		hvk_gva_cache_end(&vcpu->gva_cache);
	}
	*completed = !hc.continuation;
	if (hc.continuation) {
		hcall_write_back_args(&hc);
		return hc.to_vmm ? 0 : 1;
	}
	/* A 32-bit caller sees EAX; keep RAX's upper half clear for it. */
	vcpu->gpr[HVK_REG_RAX] = hc.long_mode ? (u64)result : (u32)result;
	return hc.to_vmm ? 0 : 1;
}
