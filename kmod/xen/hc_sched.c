// SPDX-License-Identifier: GPL-2.0
/* sched_op: yield, block, poll and shutdown. */
#include <linux/sched.h>
#include <abi/xen/errno.h>
#include <abi/xen/sched.h>

#include "evtchn.h"
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

/*
 * SCHEDOP_block: returns 0 once woken.  The vCPU halts as for HLT (kept
 * halted if an interrupt is deliverable now, under IF and TPR) and also
 * wakes on an upcall raised for it (evtchn_wait.c).
 */
static long sched_block(struct hvk_hcall *hc)
{
	hvk_evtchn_block(hc->vcpu);
	hvk_vcpu_halt(hc->vcpu);
	return 0;
}

/* SCHEDOP_poll's argument in the caller's layout (24 / 16 bytes). */
static int sched_poll_read(struct hvk_hcall *hc, u64 *ports, u32 *nr, u64 *timeout)
{
	struct xen_sched_poll64 a64;
	struct xen_sched_poll32 a32;

	if (hc->long_mode) {
		if (hvk_copy_from_guest(hc->vcpu, &a64, hc->arg[1], sizeof(a64)))
			return -XEN_EFAULT;
		*ports = a64.ports;
		*nr = a64.nr_ports;
		*timeout = a64.timeout;
	} else {
		if (hvk_copy_from_guest(hc->vcpu, &a32, hc->arg[1], sizeof(a32)))
			return -XEN_EFAULT;
		*ports = a32.ports;
		*nr = a32.nr_ports;
		*timeout = a32.timeout;
	}
	return 0;
}

/*
 * SCHEDOP_poll: 0 at once if a listed port is pending or an interrupt is
 * deliverable; else 0 after a listed port is newly raised (masked or not),
 * an upcall or the absolute timeout (REFERENCE-GUEST-SERVICES §4).
 */
static long sched_poll(struct hvk_hcall *hc)
{
	u64 ports, timeout;
	long ret;
	u32 nr;

	ret = sched_poll_read(hc, &ports, &nr, &timeout);
	if (!ret)
		ret = hvk_evtchn_poll(hc->vcpu, ports, nr, timeout);
	if (ret != 1)
		return ret;
	hvk_vcpu_halt(hc->vcpu);
	return 0;
}

long hvk_hc_sched_op(struct hvk_hcall *hc)
{
	/* Xen's do_sched_op(int cmd, ...): the low 32 bits decide. */
	switch ((u32)hc->arg[0]) {
	case XEN_SCHEDOP_YIELD:
		/*
		 * Give the host CPU away, as Xen's vcpu_yield() does: a guest
		 * yields while it waits for another vCPU or for the VMM
		 * (Linux's hvc_xen loops on it while the console ring is
		 * full).  cond_resched() would keep the CPU unless the host
		 * scheduler already wanted it back.
		 */
		yield();
		return 0;
	case XEN_SCHEDOP_BLOCK:
		return sched_block(hc);
	case XEN_SCHEDOP_SHUTDOWN:
		return sched_shutdown(hc);
	case XEN_SCHEDOP_POLL:
		return sched_poll(hc);
	}
	return -XEN_ENOSYS;
}
