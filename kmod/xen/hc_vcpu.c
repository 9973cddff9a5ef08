// SPDX-License-Identifier: GPL-2.0
/* vcpu_op: bring secondary vCPUs up and down (see smp.h). */
#include <abi/xen/errno.h>
#include <abi/xen/vcpu.h>

#include "guest_mem.h"
#include "hvm_context.h"
#include "hypercall.h"
#include "smp.h"
#include "trace.h"
#include "vcpu.h"
#include "vm.h"

/*
 * VCPUOP_initialise(id, &vcpu_hvm_context): the same validator as the VMM's
 * HVK_VCPU_SET_HVM_CONTEXT.  Order of refusals: no such vCPU (-ENOENT), it
 * is running (-EEXIST), unreadable context (-EFAULT), bad context (-EINVAL).
 */
static long vcpu_initialise(struct hvk_hcall *hc, u32 id)
{
	struct xen_vcpu_hvm_context ctx;
	struct hvk_regs regs;
	int up = hvk_smp_is_up(hc->vcpu->vm, id);

	if (up < 0)
		return up;
	if (up)
		return -XEN_EEXIST;
	if (hvk_copy_from_guest(hc->vcpu, &ctx, hc->arg[2], sizeof(ctx)))
		return -XEN_EFAULT;
	if (hvk_hvm_context_to_regs(&ctx, &regs))
		return -XEN_EINVAL;
	return hvk_smp_initialise(hc->vcpu->vm, id, &regs);
}

static long vcpu_op(struct hvk_hcall *hc, u32 id)
{
	switch (hc->arg[0]) {
	case XEN_VCPUOP_INITIALISE:
		return vcpu_initialise(hc, id);
	case XEN_VCPUOP_UP:
		return hvk_smp_up(hc->vcpu->vm, id);
	case XEN_VCPUOP_DOWN:
		return hvk_smp_down(hc->vcpu->vm, id);
	case XEN_VCPUOP_IS_UP:
		return hvk_smp_is_up(hc->vcpu->vm, id);
	case XEN_VCPUOP_GET_PHYSID:
		/* Physical CPU ids mean nothing to an HVM guest (as Xen for HVM). */
		return -XEN_ENOSYS;
	}
	return -XEN_ENOSYS;
}

long hvk_hc_vcpu_op(struct hvk_hcall *hc)
{
	u32 id = hc->arg[1];
	long result = vcpu_op(hc, id);

	trace_hvk_vcpuop(hc->vcpu->vm->id, hc->vcpu->id, hc->arg[0], id, result);
	return result;
}
