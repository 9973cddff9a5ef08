// SPDX-License-Identifier: GPL-2.0
/*
 * vcpu_op: bring secondary vCPUs up and down (see smp.h), and a vCPU's
 * own services: vcpu_info (vcpu_info.h), pvclock copies (pvclock.h),
 * runstate (runstate.h), timers (vcpu_timer.h).
 */
#include <abi/xen/errno.h>
#include <abi/xen/vcpu.h>

#include "guest_mem.h"
#include "hvm_context.h"
#include "hypercall.h"
#include "pvclock.h"
#include "runstate.h"
#include "smp.h"
#include "trace.h"
#include "vcpu.h"
#include "vcpu_info.h"
#include "vcpu_timer.h"
#include "vm.h"

/*
 * VCPUOP_initialise(id, &vcpu_hvm_context): the same validator as the VMM's
 * HVK_VCPU_SET_HVM_CONTEXT.  Refusals in Xen's order (arch_initialise_vcpu):
 * no such vCPU (-ENOENT), unreadable context (-EFAULT), the vCPU has a
 * state already (-EEXIST: running, or down after it ran, until an INIT),
 * bad context (-EINVAL).
 */
static long vcpu_initialise(struct hvk_hcall *hc, u32 id)
{
	struct xen_vcpu_hvm_context ctx;
	struct hvk_regs regs;
	int exists = hvk_smp_is_up(hc->vcpu->vm, id);      /* -ENOENT or 0/1 */

	if (exists < 0)
		return exists;
	if (hvk_copy_from_guest(hc->vcpu, &ctx, hc->arg[2], sizeof(ctx)))
		return -XEN_EFAULT;
	return hvk_smp_initialise(hc->vcpu->vm, id,
				  hvk_hvm_context_to_regs(&ctx, &regs) ? NULL : &regs);
}

/* The services of a vCPU's own (vcpu_info, clock, runstate, timers). */
typedef long (*vcpu_service_fn)(struct hvk_hcall *hc, struct hvk_vcpu *target);

static const vcpu_service_fn vcpu_services[] = {
	[XEN_VCPUOP_GET_RUNSTATE_INFO]              = hvk_runstate_get_info,
	[XEN_VCPUOP_REGISTER_RUNSTATE_MEMORY_AREA]  = hvk_runstate_register_virtual,
	[XEN_VCPUOP_SET_PERIODIC_TIMER]             = hvk_vcpu_timer_set_periodic,
	[XEN_VCPUOP_STOP_PERIODIC_TIMER]            = hvk_vcpu_timer_stop_periodic,
	[XEN_VCPUOP_SET_SINGLESHOT_TIMER]           = hvk_vcpu_timer_set_singleshot,
	[XEN_VCPUOP_STOP_SINGLESHOT_TIMER]          = hvk_vcpu_timer_stop_singleshot,
	[XEN_VCPUOP_REGISTER_VCPU_INFO]             = hvk_vcpu_info_register,
	[XEN_VCPUOP_REGISTER_VCPU_TIME_MEMORY_AREA] = hvk_pvclock_register_virtual,
	[XEN_VCPUOP_REGISTER_RUNSTATE_PHYS_AREA]    = hvk_runstate_register_phys,
	[XEN_VCPUOP_REGISTER_VCPU_TIME_PHYS_AREA]   = hvk_pvclock_register_phys,
};

/* vCPUs are published once created and live as long as the VM. */
static struct hvk_vcpu *vcpu_target(struct hvk_vm *vm, u32 id)
{
	return id < HVK_MAX_VCPUS ? READ_ONCE(vm->vcpus[id]) : NULL;
}

/* As Xen's do_vcpu_op(): a vCPU that does not exist is -ENOENT first. */
static long vcpu_service(struct hvk_hcall *hc, u32 id, vcpu_service_fn fn)
{
	struct hvk_vcpu *target = vcpu_target(hc->vcpu->vm, id);

	return target ? fn(hc, target) : -XEN_ENOENT;
}

static long vcpu_op(struct hvk_hcall *hc, u32 id)
{
	u64 cmd = hc->arg[0];

	switch (cmd) {
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
	if (cmd < ARRAY_SIZE(vcpu_services) && vcpu_services[cmd])
		return vcpu_service(hc, id, vcpu_services[cmd]);
	return -XEN_ENOSYS;
}

long hvk_hc_vcpu_op(struct hvk_hcall *hc)
{
	u32 id = hc->arg[1];
	long result = vcpu_op(hc, id);

	trace_hvk_vcpuop(hc->vcpu->vm->id, hc->vcpu->id, hc->arg[0], id, result);
	return result;
}
