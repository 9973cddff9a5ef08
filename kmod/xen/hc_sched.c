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
	struct xen_sched_shutdown arg;

	if (hvk_copy_from_guest(vcpu, &arg, hc->arg[1], sizeof(arg)))
		return -XEN_EFAULT;
	hvk_vm_shutdown(vcpu->vm, arg.reason, vcpu->id);
	/* The run loop reports the VM's (first) reason to the VMM. */
	return 0;
}

long hvk_hc_sched_op(struct hvk_hcall *hc)
{
	switch (hc->arg[0]) {
	case XEN_SCHEDOP_YIELD:
		cond_resched();
		return 0;
	case XEN_SCHEDOP_BLOCK:
		/* Until an event wakes it: with no event channels yet, only the
		 * VM's end or a signal to the VMM does. */
		hvk_vcpu_halt(hc->vcpu);
		return 0;
	case XEN_SCHEDOP_SHUTDOWN:
		return sched_shutdown(hc);
	}
	return -XEN_ENOSYS;
}
