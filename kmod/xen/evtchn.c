// SPDX-License-Identifier: GPL-2.0
/*
 * Event channels, the generic part (see evtchn.h; Xen: common/
 * event_channel.c): the port table, bindings, close, send, status, reset,
 * the ports whose other end is the VMM, VIRQs.  Delivery is the ABI's
 * (evtchn_2l.c, through st->ops).  Results are Xen errnos, in the order
 * Xen finds them.
 *
 * The domain (domain.h): hvk's guest is alone, domain HVK_XEN_DOMID or
 * DOMID_SELF to itself; naming any other is -ESRCH, as Xen answers a domU
 * looking for a peer that does not exist.  So only loopback interdomain
 * channels can be bound; the VMM's ports show dom 0 as their other end.
 * Ports: all of the latched layout's (4096 / 1024) are valid at once, as
 * if Xen had grown its table to the limit; port 0 is reserved.
 */
#include <linux/nospec.h>
#include <linux/slab.h>
#include <abi/xen/errno.h>
#include <abi/xen/event_channel.h>
#include <abi/xen/hypercall.h>

#include "../trace.h"
#include "../vcpu.h"
#include "../vm.h"
#include "domain.h"
#include "evtchn_priv.h"

#define EVTCHN_VMM_DOMID        0       /* the VMM plays dom0's part */

enum virq_kind {
	VIRQ_PER_VCPU,
	VIRQ_PER_DOMAIN,
	VIRQ_GLOBAL,
};

/* Xen's get_virq_type(); every arch VIRQ is global on x86. */
static enum virq_kind evtchn_virq_kind(u32 virq)
{
	switch (virq) {
	case XEN_VIRQ_TIMER:
	case XEN_VIRQ_DEBUG:
	case XEN_VIRQ_XENOPROF:
	case XEN_VIRQ_XENPMU:
		return VIRQ_PER_VCPU;
	case XEN_VIRQ_ARGO:
		return VIRQ_PER_DOMAIN;
	}
	return VIRQ_GLOBAL;
}

/* ---- lifetime ---- */

int hvk_evtchn_vm_init(struct hvk_vm *vm)
{
	struct hvk_evtchn_state *st = kvzalloc(sizeof(*st), GFP_KERNEL_ACCOUNT);

	if (!st)
		return -ENOMEM;
	spin_lock_init(&st->lock);
	st->ops = &hvk_evtchn_2l_ops;
	vm->evtchn_callback_vector = -1;
	st->ports[0].state = EVTCHN_RESERVED;
	evtchn_wait_init(st);
	vm->evtchn = st;
	return 0;
}

void hvk_evtchn_vm_destroy(struct hvk_vm *vm)
{
	if (!vm->evtchn)
		return;
	evtchn_wait_destroy(vm->evtchn);
	kvfree(vm->evtchn);
	vm->evtchn = NULL;
}

/* ---- lookups (indices are the guest's: bounded, also speculatively) ---- */

struct hvk_vcpu *evtchn_vcpu_by_id(struct hvk_vm *vm, u32 id)
{
	if (id >= HVK_MAX_VCPUS)
		return NULL;
	return READ_ONCE(vm->vcpus[array_index_nospec(id, HVK_MAX_VCPUS)]);
}

static struct evtchn_port *evtchn_port(struct hvk_vm *vm, u32 port)
{
	struct hvk_evtchn_state *st = vm->evtchn;
	u32 nr = st->ops->nr_ports(vm);

	if (port >= nr)
		return NULL;
	return &st->ports[array_index_nospec(port, nr)];
}

static bool evtchn_bound(const struct evtchn_port *chn)
{
	return chn->state > EVTCHN_RESERVED;
}

/* Xen's rcu_lock_domain_by_any_id(): the guest itself, or nobody. */
static int evtchn_check_dom(u16 dom)
{
	return hvk_xen_domid_is_self(dom) ? 0 : -XEN_ESRCH;
}

/* The lowest free port, or -XEN_ENOSPC; it stays free until bound. */
static int evtchn_find_free(struct hvk_vm *vm)
{
	struct hvk_evtchn_state *st = vm->evtchn;
	u32 port, nr = st->ops->nr_ports(vm);

	for (port = 1; port < nr; port++)
		if (st->ports[port].state == EVTCHN_FREE)
			return port;
	return -XEN_ENOSPC;
}

/* As Xen's evtchn_free(): the pending bit goes, the binding resets to vCPU 0. */
static void evtchn_free(struct hvk_vm *vm, u32 port)
{
	struct hvk_evtchn_state *st = vm->evtchn;

	st->ops->clear_pending(vm, port);
	st->ports[port] = (struct evtchn_port){ .state = EVTCHN_FREE };
}

/* ---- delivery ---- */

void evtchn_deliver(struct hvk_vm *vm, u32 port, unsigned int from)
{
	struct hvk_evtchn_state *st = vm->evtchn;
	u32 vcpu_id = st->ports[port].vcpu;
	int outcome;

	outcome = st->ops->set_pending(vm, evtchn_vcpu_by_id(vm, vcpu_id), port);
	trace_hvk_evtchn(vm->id, vcpu_id, port, from, outcome);
}

int evtchn_port_poll(struct hvk_vm *vm, u32 port)
{
	struct evtchn_port *chn = evtchn_port(vm, port);

	if (!chn || !evtchn_bound(chn))
		return -XEN_EINVAL;
	return vm->evtchn->ops->is_pending(vm, port);
}

void hvk_evtchn_send_virq(struct hvk_vcpu *vcpu, unsigned int virq)
{
	struct hvk_vm *vm = vcpu->vm;
	struct hvk_evtchn_state *st = vm->evtchn;
	unsigned long flags;
	u32 owner, port;

	if (virq >= XEN_NR_VIRQS)
		return;
	/* A VIRQ that is not per vCPU is bound on vCPU 0's table (as Xen). */
	owner = evtchn_virq_kind(virq) == VIRQ_PER_VCPU ? vcpu->id : 0;
	spin_lock_irqsave(&st->lock, flags);
	port = st->vcpus[owner].virq_port[virq];
	if (port)
		evtchn_deliver(vm, port, HVK_EVTCHN_FROM_VIRQ);
	spin_unlock_irqrestore(&st->lock, flags);
}

/* ---- the operations of event_channel_op (decoded by hc_evtchn.c) ---- */

int evtchn_alloc_unbound(struct hvk_vm *vm, u16 dom, u16 remote_dom)
{
	struct hvk_evtchn_state *st = vm->evtchn;
	unsigned long flags;
	int port = evtchn_check_dom(dom);

	if (port)
		return port;
	spin_lock_irqsave(&st->lock, flags);
	port = evtchn_find_free(vm);
	/* Xen keeps the id DOMID_SELF names (status shows it). */
	if (port > 0)
		st->ports[port] = (struct evtchn_port){
			.state = EVTCHN_UNBOUND,
			.remote_dom = remote_dom == XEN_DOMID_SELF ? HVK_XEN_DOMID : remote_dom,
		};
	spin_unlock_irqrestore(&st->lock, flags);
	return port;
}

/*
 * Only a loopback can be bound: the remote port must be one of ours,
 * unbound and offered to ourselves.  Xen takes the local port before it
 * looks at the remote one (-ENOSPC first), and raises the new port once
 * for notifications the unbound remote end may have lost.
 */
int evtchn_bind_interdomain(struct hvk_vm *vm, u16 remote_dom, u32 remote_port)
{
	struct hvk_evtchn_state *st = vm->evtchn;
	struct evtchn_port *rchn;
	unsigned long flags;
	int lport = evtchn_check_dom(remote_dom);

	if (lport)
		return lport;
	spin_lock_irqsave(&st->lock, flags);
	lport = evtchn_find_free(vm);
	if (lport < 0)
		goto out;
	rchn = evtchn_port(vm, remote_port);
	if (!rchn || rchn->state != EVTCHN_UNBOUND || rchn->remote_dom != HVK_XEN_DOMID) {
		lport = -XEN_EINVAL;
		goto out;
	}
	st->ports[lport] = (struct evtchn_port){
		.state = EVTCHN_INTERDOMAIN, .remote_dom = HVK_XEN_DOMID,
		.remote_port = remote_port,
	};
	rchn->state = EVTCHN_INTERDOMAIN;
	rchn->remote_port = lport;
	evtchn_deliver(vm, lport, HVK_EVTCHN_FROM_BIND);
out:
	spin_unlock_irqrestore(&st->lock, flags);
	return lport;
}

/*
 * Global VIRQs go to the domain Xen makes their handler (the hardware
 * domain unless the toolstack says otherwise): never a domU such as this
 * guest, so -EBUSY.  Linux binds them only as dom0.
 */
int evtchn_bind_virq(struct hvk_vm *vm, u32 virq, u32 vcpu_id)
{
	struct hvk_evtchn_state *st = vm->evtchn;
	enum virq_kind kind;
	unsigned long flags;
	u16 *slot;
	int port;

	if (virq >= XEN_NR_VIRQS)
		return -XEN_EINVAL;
	virq = array_index_nospec(virq, XEN_NR_VIRQS);
	kind = evtchn_virq_kind(virq);
	if (kind != VIRQ_PER_VCPU && vcpu_id != 0)
		return -XEN_EINVAL;
	if (!evtchn_vcpu_by_id(vm, vcpu_id))
		return -XEN_ENOENT;
	if (kind == VIRQ_GLOBAL)
		return -XEN_EBUSY;
	spin_lock_irqsave(&st->lock, flags);
	slot = &st->vcpus[array_index_nospec(vcpu_id, HVK_MAX_VCPUS)].virq_port[virq];
	port = *slot ? -XEN_EEXIST : evtchn_find_free(vm);
	if (port > 0) {
		st->ports[port] = (struct evtchn_port){
			.state = EVTCHN_VIRQ, .vcpu = vcpu_id, .virq = virq,
		};
		*slot = port;
	}
	spin_unlock_irqrestore(&st->lock, flags);
	return port;
}

int evtchn_bind_ipi(struct hvk_vm *vm, u32 vcpu_id)
{
	struct hvk_evtchn_state *st = vm->evtchn;
	unsigned long flags;
	int port;

	if (!evtchn_vcpu_by_id(vm, vcpu_id))
		return -XEN_ENOENT;
	spin_lock_irqsave(&st->lock, flags);
	port = evtchn_find_free(vm);
	if (port > 0)
		st->ports[port] = (struct evtchn_port){ .state = EVTCHN_IPI, .vcpu = vcpu_id };
	spin_unlock_irqrestore(&st->lock, flags);
	return port;
}

/* Lock held; @port is bound.  An interdomain peer becomes unbound (as Xen). */
static void evtchn_unbind(struct hvk_vm *vm, u32 port)
{
	struct hvk_evtchn_state *st = vm->evtchn;
	struct evtchn_port *chn = &st->ports[port], *peer;
	u32 owner;

	switch (chn->state) {
	case EVTCHN_VIRQ:
		owner = evtchn_virq_kind(chn->virq) == VIRQ_PER_VCPU ? chn->vcpu : 0;
		st->vcpus[owner].virq_port[chn->virq] = 0;
		break;
	case EVTCHN_INTERDOMAIN:
		if (chn->to_vmm)
			break;          /* the VMM's end is not a port of ours */
		peer = &st->ports[chn->remote_port];
		peer->state = EVTCHN_UNBOUND;
		peer->remote_dom = HVK_XEN_DOMID;
		break;
	}
	evtchn_free(vm, port);
}

int evtchn_close(struct hvk_vm *vm, u32 port)
{
	struct hvk_evtchn_state *st = vm->evtchn;
	struct evtchn_port *chn;
	unsigned long flags;
	int err = 0;

	spin_lock_irqsave(&st->lock, flags);
	chn = evtchn_port(vm, port);
	if (chn && evtchn_bound(chn))
		evtchn_unbind(vm, port);
	else
		err = -XEN_EINVAL;
	spin_unlock_irqrestore(&st->lock, flags);
	return err;
}

/* A send on an unbound port is dropped and succeeds (as Xen). */
int evtchn_send(struct hvk_vm *vm, u32 port)
{
	struct hvk_evtchn_state *st = vm->evtchn;
	struct evtchn_port *chn;
	unsigned long flags;
	int ret = 0;

	spin_lock_irqsave(&st->lock, flags);
	chn = evtchn_port(vm, port);
	switch (chn ? chn->state : EVTCHN_FREE) {
	case EVTCHN_INTERDOMAIN:
		if (chn->to_vmm)
			ret = EVTCHN_SEND_TO_VMM;
		else
			evtchn_deliver(vm, chn->remote_port, HVK_EVTCHN_FROM_SEND);
		break;
	case EVTCHN_IPI:
		evtchn_deliver(vm, port, HVK_EVTCHN_FROM_SEND);
		break;
	case EVTCHN_UNBOUND:
		break;
	default:                /* free, reserved, VIRQ */
		ret = -XEN_EINVAL;
	}
	spin_unlock_irqrestore(&st->lock, flags);
	return ret;
}

/* Fills the out fields of @s; the rest of the union is left as the guest gave it. */
int evtchn_status(struct hvk_vm *vm, struct xen_evtchn_status *s)
{
	struct hvk_evtchn_state *st = vm->evtchn;
	struct evtchn_port *chn;
	unsigned long flags;
	int err = evtchn_check_dom(s->dom);

	if (err)
		return err;
	spin_lock_irqsave(&st->lock, flags);
	chn = evtchn_port(vm, s->port);
	if (!chn) {
		err = -XEN_EINVAL;
		goto out;
	}
	switch (chn->state) {
	case EVTCHN_UNBOUND:
		s->status = XEN_EVTCHNSTAT_UNBOUND;
		s->u.unbound_dom = chn->remote_dom;
		break;
	case EVTCHN_INTERDOMAIN:
		s->status = XEN_EVTCHNSTAT_INTERDOMAIN;
		s->u.interdomain.dom = chn->remote_dom;
		s->u.interdomain.port = chn->remote_port;
		break;
	case EVTCHN_VIRQ:
		s->status = XEN_EVTCHNSTAT_VIRQ;
		s->u.virq = chn->virq;
		break;
	case EVTCHN_IPI:
		s->status = XEN_EVTCHNSTAT_IPI;
		break;
	default:                /* free, reserved */
		s->status = XEN_EVTCHNSTAT_CLOSED;
	}
	s->vcpu = chn->vcpu;
out:
	spin_unlock_irqrestore(&st->lock, flags);
	return err;
}

/* Only VIRQs that are not per vCPU, unbound and interdomain ports move (as Xen). */
int evtchn_bind_vcpu(struct hvk_vm *vm, u32 port, u32 vcpu_id)
{
	struct hvk_evtchn_state *st = vm->evtchn;
	struct evtchn_port *chn;
	unsigned long flags;
	int err = 0;

	if (!evtchn_vcpu_by_id(vm, vcpu_id))
		return -XEN_ENOENT;
	spin_lock_irqsave(&st->lock, flags);
	chn = evtchn_port(vm, port);
	switch (chn ? chn->state : EVTCHN_FREE) {
	case EVTCHN_VIRQ:
		if (evtchn_virq_kind(chn->virq) == VIRQ_PER_VCPU) {
			err = -XEN_EINVAL;
			break;
		}
		fallthrough;
	case EVTCHN_UNBOUND:
	case EVTCHN_INTERDOMAIN:
		chn->vcpu = vcpu_id;
		break;
	default:                /* free, reserved, IPI */
		err = -XEN_EINVAL;
	}
	spin_unlock_irqrestore(&st->lock, flags);
	return err;
}

/* Any valid port may be unmasked; only a bound one re-raises (as Xen). */
int evtchn_unmask(struct hvk_vm *vm, u32 port)
{
	struct hvk_evtchn_state *st = vm->evtchn;
	struct evtchn_port *chn;
	unsigned long flags;
	int outcome = -1;

	spin_lock_irqsave(&st->lock, flags);
	chn = evtchn_port(vm, port);
	if (chn && evtchn_bound(chn))
		outcome = st->ops->unmask(vm, evtchn_vcpu_by_id(vm, chn->vcpu), port);
	if (outcome >= 0)
		trace_hvk_evtchn(vm->id, chn->vcpu, port, HVK_EVTCHN_FROM_UNMASK, outcome);
	spin_unlock_irqrestore(&st->lock, flags);
	return chn ? 0 : -XEN_EINVAL;
}

/*
 * Closes every port.  Xen may stop half way and continue the call; 4096
 * ports close quickly enough in one call, with the lock let go every 64
 * as Xen checks for preemption (interrupts are off under it).
 * EVTCHNOP_reset_cont (Xen's own continuation) then never has a reset to
 * continue: -EBUSY, as Xen says to a guest that calls it with none in
 * progress.
 */
#define EVTCHN_RESET_BATCH      64

int evtchn_reset(struct hvk_vm *vm, u16 dom, bool cont)
{
	struct hvk_evtchn_state *st = vm->evtchn;
	unsigned long flags;
	u32 port;
	int err = evtchn_check_dom(dom);

	if (err || cont)
		return err ?: -XEN_EBUSY;
	spin_lock_irqsave(&st->lock, flags);
	/* All of the table: ports bound under a layout with more of them too. */
	for (port = 1; port < XEN_EVTCHN_2L_PORTS64; port++) {
		if (evtchn_bound(&st->ports[port]))
			evtchn_unbind(vm, port);
		if (!(port % EVTCHN_RESET_BATCH)) {
			spin_unlock_irqrestore(&st->lock, flags);
			spin_lock_irqsave(&st->lock, flags);
		}
	}
	spin_unlock_irqrestore(&st->lock, flags);
	return 0;
}

/* 2-level has no priorities: Xen checks the port, then says -ENOSYS. */
int evtchn_set_priority(struct hvk_vm *vm, u32 port)
{
	return port < vm->evtchn->ops->nr_ports(vm) ? -XEN_ENOSYS : -XEN_EINVAL;
}

/* ---- ports whose other end is the VMM ---- */

int hvk_evtchn_bind_vmm(struct hvk_vm *vm)
{
	struct hvk_evtchn_state *st = vm->evtchn;
	unsigned long flags;
	int port;

	spin_lock_irqsave(&st->lock, flags);
	port = evtchn_find_free(vm);
	if (port > 0) {
		/* The VMM's end is numbered as ours: status shows (dom 0, port). */
		st->ports[port] = (struct evtchn_port){
			.state = EVTCHN_INTERDOMAIN, .to_vmm = true,
			.remote_dom = EVTCHN_VMM_DOMID, .remote_port = port,
		};
		set_bit(port, st->vmm_ports);
	}
	spin_unlock_irqrestore(&st->lock, flags);
	return port > 0 ? port : -ENOSPC;
}

/*
 * A port the guest has since closed is dropped with success, as Xen drops
 * a send from an end whose peer went away (and the number may now be
 * bound to something else); a port never given to the VMM is -EINVAL.
 */
int hvk_evtchn_vmm_send(struct hvk_vm *vm, u32 port)
{
	struct hvk_evtchn_state *st = vm->evtchn;
	struct evtchn_port *chn;
	unsigned long flags;
	int err = 0;

	if (port >= XEN_EVTCHN_2L_PORTS64)
		return -EINVAL;
	port = array_index_nospec(port, XEN_EVTCHN_2L_PORTS64);
	spin_lock_irqsave(&st->lock, flags);
	chn = &st->ports[port];
	if (!test_bit(port, st->vmm_ports))
		err = -EINVAL;
	else if (chn->state == EVTCHN_INTERDOMAIN && chn->to_vmm)
		evtchn_deliver(vm, port, HVK_EVTCHN_FROM_VMM);
	spin_unlock_irqrestore(&st->lock, flags);
	return err;
}
