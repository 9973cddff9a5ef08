// SPDX-License-Identifier: GPL-2.0
/*
 * event_channel_op(cmd, arg) (hypercall 32; REFERENCE-GUEST-SERVICES §3):
 * the argument is read first (-EFAULT before anything else, as Xen), the
 * operation runs (evtchn.c) and the structs with out fields are written
 * back.  One layout for 32- and 64-bit guests.  Also the decoding of
 * HVMOP_set_evtchn_upcall_vector (hvm_op 23).
 *
 * hvk answers as a Xen built without FIFO event channels: init_control and
 * expand_array -EOPNOTSUPP (Linux then uses 2-level), set_priority -ENOSYS
 * on a valid port.  A PVH domU has no pirqs: bind_pirq -EINVAL.
 */
#include <abi/xen/errno.h>
#include <abi/xen/event_channel.h>
#include <abi/xen/hvm_op.h>

#include "../guest_mem.h"
#include "../vcpu.h"
#include "../vm.h"
#include "evtchn_priv.h"
#include "hypercall.h"

union evtchn_arg {
	struct xen_evtchn_alloc_unbound alloc_unbound;
	struct xen_evtchn_bind_interdomain bind_interdomain;
	struct xen_evtchn_bind_virq bind_virq;
	struct xen_evtchn_bind_pirq bind_pirq;
	struct xen_evtchn_bind_ipi bind_ipi;
	struct xen_evtchn_port port;            /* close, send, unmask */
	struct xen_evtchn_status status;
	struct xen_evtchn_bind_vcpu bind_vcpu;
	struct xen_evtchn_reset reset;
	struct xen_evtchn_init_control init_control;
	struct xen_evtchn_expand_array expand_array;
	struct xen_evtchn_set_priority set_priority;
};

struct evtchn_op_desc {
	u8 size;                /* of the argument; 0: no such operation */
	bool writes_back;       /* has out fields (written on success) */
};

static const struct evtchn_op_desc evtchn_ops[] = {
	[XEN_EVTCHNOP_BIND_INTERDOMAIN] = { sizeof(struct xen_evtchn_bind_interdomain), true },
	[XEN_EVTCHNOP_BIND_VIRQ]        = { sizeof(struct xen_evtchn_bind_virq), true },
	[XEN_EVTCHNOP_BIND_PIRQ]        = { sizeof(struct xen_evtchn_bind_pirq), true },
	[XEN_EVTCHNOP_CLOSE]            = { sizeof(struct xen_evtchn_port), false },
	[XEN_EVTCHNOP_SEND]             = { sizeof(struct xen_evtchn_port), false },
	[XEN_EVTCHNOP_STATUS]           = { sizeof(struct xen_evtchn_status), true },
	[XEN_EVTCHNOP_ALLOC_UNBOUND]    = { sizeof(struct xen_evtchn_alloc_unbound), true },
	[XEN_EVTCHNOP_BIND_IPI]         = { sizeof(struct xen_evtchn_bind_ipi), true },
	[XEN_EVTCHNOP_BIND_VCPU]        = { sizeof(struct xen_evtchn_bind_vcpu), false },
	[XEN_EVTCHNOP_UNMASK]           = { sizeof(struct xen_evtchn_port), false },
	[XEN_EVTCHNOP_RESET]            = { sizeof(struct xen_evtchn_reset), false },
	[XEN_EVTCHNOP_INIT_CONTROL]     = { sizeof(struct xen_evtchn_init_control), true },
	[XEN_EVTCHNOP_EXPAND_ARRAY]     = { sizeof(struct xen_evtchn_expand_array), false },
	[XEN_EVTCHNOP_SET_PRIORITY]     = { sizeof(struct xen_evtchn_set_priority), false },
	[XEN_EVTCHNOP_RESET_CONT]       = { sizeof(struct xen_evtchn_reset), false },
};

/* A bind's port goes into the argument; the call itself returns 0. */
static long evtchn_bound_port(int port, u32 *out)
{
	if (port < 0)
		return port;
	*out = port;
	return 0;
}

/*
 * A send whose other end is the VMM: the call completes, then HVK_RUN
 * returns HVK_EXIT_XEN_EVTCHN.  One port per exit: a multicall batch that
 * sends on a second VMM port is continued from that entry once the VMM
 * has seen the first, so no notification is lost.
 */
static long evtchn_send_to_vmm(struct hvk_hcall *hc, u32 port)
{
	struct hvk_vcpu *vcpu = hc->vcpu;
	struct hvk_run *run = vcpu->run;

	hc->to_vmm = true;
	if (vcpu->vmm_evtchn_port >= 0 && (u32)vcpu->vmm_evtchn_port != port) {
		hc->continuation = true;
		return 0;
	}
	vcpu->vmm_evtchn_port = port;
	run->exit_reason = HVK_EXIT_XEN_EVTCHN;
	run->exit.xen_evtchn.port = port;
	run->exit.xen_evtchn.reserved = 0;
	return 0;
}

static long evtchn_send_op(struct hvk_hcall *hc, u32 port)
{
	int ret = evtchn_send(hc->vcpu->vm, port);

	return ret == EVTCHN_SEND_TO_VMM ? evtchn_send_to_vmm(hc, port) : ret;
}

static long evtchn_run(struct hvk_hcall *hc, u64 cmd, union evtchn_arg *a)
{
	struct hvk_vm *vm = hc->vcpu->vm;

	switch (cmd) {
	case XEN_EVTCHNOP_ALLOC_UNBOUND:
		return evtchn_bound_port(evtchn_alloc_unbound(vm, a->alloc_unbound.dom,
							      a->alloc_unbound.remote_dom),
					 &a->alloc_unbound.port);
	case XEN_EVTCHNOP_BIND_INTERDOMAIN:
		return evtchn_bound_port(evtchn_bind_interdomain(vm,
					 a->bind_interdomain.remote_dom,
					 a->bind_interdomain.remote_port),
					 &a->bind_interdomain.local_port);
	case XEN_EVTCHNOP_BIND_VIRQ:
		return evtchn_bound_port(evtchn_bind_virq(vm, a->bind_virq.virq,
							  a->bind_virq.vcpu),
					 &a->bind_virq.port);
	case XEN_EVTCHNOP_BIND_IPI:
		return evtchn_bound_port(evtchn_bind_ipi(vm, a->bind_ipi.vcpu), &a->bind_ipi.port);
	case XEN_EVTCHNOP_BIND_PIRQ:
		return -XEN_EINVAL;     /* pirq >= nr_pirqs, which is 0 */
	case XEN_EVTCHNOP_CLOSE:
		return evtchn_close(vm, a->port.port);
	case XEN_EVTCHNOP_SEND:
		return evtchn_send_op(hc, a->port.port);
	case XEN_EVTCHNOP_STATUS:
		return evtchn_status(vm, &a->status);
	case XEN_EVTCHNOP_BIND_VCPU:
		return evtchn_bind_vcpu(vm, a->bind_vcpu.port, a->bind_vcpu.vcpu);
	case XEN_EVTCHNOP_UNMASK:
		return evtchn_unmask(vm, a->port.port);
	case XEN_EVTCHNOP_RESET:
	case XEN_EVTCHNOP_RESET_CONT:
		return evtchn_reset(vm, a->reset.dom, cmd == XEN_EVTCHNOP_RESET_CONT);
	case XEN_EVTCHNOP_INIT_CONTROL:
	case XEN_EVTCHNOP_EXPAND_ARRAY:
		return -XEN_EOPNOTSUPP;
	case XEN_EVTCHNOP_SET_PRIORITY:
		return evtchn_set_priority(vm, a->set_priority.port);
	}
	return -XEN_ENOSYS;
}

long hvk_hc_event_channel_op(struct hvk_hcall *hc)
{
	u64 cmd = hc->arg[0], gva = hc->arg[1];
	const struct evtchn_op_desc *op;
	union evtchn_arg a;
	long ret;

	if (cmd >= ARRAY_SIZE(evtchn_ops) || !evtchn_ops[cmd].size)
		return -XEN_ENOSYS;
	op = &evtchn_ops[cmd];
	if (hvk_copy_from_guest(hc->vcpu, &a, gva, op->size))
		return -XEN_EFAULT;
	ret = evtchn_run(hc, cmd, &a);
	/* A port already bound stays bound if this fails (as Xen). */
	if (!ret && op->writes_back && hvk_copy_to_guest(hc->vcpu, gva, &a, op->size))
		ret = -XEN_EFAULT;
	return ret;
}

long hvk_hvmop_set_evtchn_upcall_vector(struct hvk_hcall *hc)
{
	struct xen_hvm_evtchn_upcall_vector a;

	if (hvk_copy_from_guest(hc->vcpu, &a, hc->arg[1], sizeof(a)))
		return -XEN_EFAULT;
	return hvk_evtchn_set_upcall_vector(hc->vcpu, a.vcpu, a.vector);
}
