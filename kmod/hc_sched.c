// SPDX-License-Identifier: GPL-2.0
/* sched_op: yield and shutdown. */
#include <linux/sched.h>
#include <abi/xen/errno.h>
#include <abi/xen/sched.h>

#include "guest_mem.h"
#include "hypercall.h"
#include "vcpu.h"
#include "vm.h"

/* SCHEDOP_shutdown stops the whole VM with the guest's reason. */
static long sched_shutdown(struct hvk_hcall *hc)
{
	struct hvk_vcpu *vcpu = hc->vcpu;
	struct hvk_vm *vm = vcpu->vm;
	struct xen_sched_shutdown arg;
	unsigned int i;

	if (hvk_copy_from_guest(vcpu, &arg, hc->arg[1], sizeof(arg)))
		return -XEN_EFAULT;
	if (!READ_ONCE(vm->shut_down)) {
		WRITE_ONCE(vm->shutdown_reason, arg.reason);
		WRITE_ONCE(vm->shutdown_vcpu, vcpu->id);
		smp_wmb();      /* reason before the flag other vCPUs poll */
		WRITE_ONCE(vm->shut_down, true);
	}
	for (i = 0; i < HVK_MAX_VCPUS; i++)
		if (vm->vcpus[i])
			wake_up(&vm->vcpus[i]->wait);
	vcpu->run->exit_reason = HVK_EXIT_SHUTDOWN;
	vcpu->run->exit.shutdown.reason = READ_ONCE(vm->shutdown_reason);
	vcpu->run->exit.shutdown.vcpu_id = READ_ONCE(vm->shutdown_vcpu);
	hc->to_vmm = true;
	return 0;
}

long hvk_hc_sched_op(struct hvk_hcall *hc)
{
	switch (hc->arg[0]) {
	case XEN_SCHEDOP_YIELD:
		cond_resched();
		return 0;
	case XEN_SCHEDOP_SHUTDOWN:
		return sched_shutdown(hc);
	}
	return -XEN_ENOSYS;
}
