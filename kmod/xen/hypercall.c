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

static bool hcall_is_hvk_family(u64 nr)
{
	u64 slot = nr & 0xff;

	return slot >= XEN_HC_ARCH_0 && slot <= XEN_HC_ARCH_7;
}

static __always_inline void hcall_account(struct hvk_hcall *hc, long result)
{
	struct hvk_vcpu *vcpu = hc->vcpu;

	hvk_stats_count_hypercall(&vcpu->stats, hc->nr & 0xff);
	trace_hvk_hypercall(vcpu->vm->id, vcpu->id, hc->nr, hc->arg, result,
			    hc->long_mode);
}

/*
 * A switch, not a table of handlers: each call is then a direct call,
 * where through a table it would pay for a retpoline (multicall entries
 * too).
 */
static __always_inline long hcall_run(struct hvk_hcall *hc)
{
	if (hcall_is_hvk_family(hc->nr))
		return hvk_hc_hvk(hc);
	switch (hc->nr) {
	case XEN_HC_MEMORY_OP:          return hvk_hc_memory_op(hc);
	case XEN_HC_MULTICALL:          return hvk_hc_multicall(hc);
	case XEN_HC_SET_TIMER_OP:       return hvk_hc_set_timer_op(hc);
	case XEN_HC_XEN_VERSION:        return hvk_hc_xen_version(hc);
	case XEN_HC_CONSOLE_IO:         return hvk_hc_console_io(hc);
	case XEN_HC_GRANT_TABLE_OP:     return hvk_hc_grant_table_op(hc);
	case XEN_HC_VCPU_OP:            return hvk_hc_vcpu_op(hc);
	case XEN_HC_SCHED_OP:           return hvk_hc_sched_op(hc);
	case XEN_HC_EVENT_CHANNEL_OP:   return hvk_hc_event_channel_op(hc);
	case XEN_HC_HVM_OP:             return hvk_hc_hvm_op(hc);
	}
	return -XEN_ENOSYS;
}

/* Counted and traced per call, multicall entries included. */
static __always_inline long hcall_run_counted(struct hvk_hcall *hc)
{
	long result = hcall_run(hc);

	hcall_account(hc, result);
	return result;
}

long hvk_hcall_dispatch(struct hvk_hcall *hc)
{
	return hcall_run_counted(hc);
}

int hvk_emulate_hypercall(struct hvk_vcpu *vcpu, int cpl, bool long_mode, bool *completed)
{
	struct hvk_hcall hc = {};
	long result;

	hcall_decode(vcpu, long_mode, &hc);
	/* Xen refuses hypercalls from guest user mode. */
	if (cpl != 0) {
		result = -XEN_EPERM;
		hcall_account(&hc, result);
	} else {
		hvk_gva_cache_begin(&vcpu->gva_cache);
		result = hcall_run_counted(&hc);
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
