// SPDX-License-Identifier: GPL-2.0
/*
 * The 2-level event channel ABI (REFERENCE-GUEST-SERVICES §1, §3): one
 * pending and one mask bit per port in shared_info, one pending_sel bit
 * per bitmap word in the target's vcpu_info, and upcall_pending.  Word
 * size, port count and offsets follow the layout latched for the guest's
 * bitness.  All under the event channel lock (evtchn_priv.h).
 */
#include <linux/mm.h>
#include <abi/xen/event_channel.h>
#include <abi/xen/shared_info.h>

#include "../vm.h"
#include "evtchn_priv.h"
#include "vcpu_info.h"

/* Where the 2-level state lives for the latched layout. */
struct evtchn_2l_layout {
	u8 *pending;            /* shared_info's evtchn_pending[], NULL if unmapped */
	u8 *mask;
	u32 nr_ports;
	unsigned int word_bits; /* bits of a xen_ulong_t: ports per pending_sel bit */
	unsigned int sel_offset;/* pending_sel in vcpu_info */
};

static void evtchn_2l_layout(struct hvk_vm *vm, struct evtchn_2l_layout *l)
{
	struct page *page = READ_ONCE(vm->shared_info.page);
	bool layout32 = hvk_shared_info_layout32(&vm->shared_info);
	u8 *si = page ? page_address(page) : NULL;

	l->word_bits = layout32 ? 32 : 64;
	l->nr_ports = layout32 ? XEN_EVTCHN_2L_PORTS32 : XEN_EVTCHN_2L_PORTS64;
	l->sel_offset = layout32 ? offsetof(struct xen_vcpu_info32, pending_sel) :
				   offsetof(struct xen_vcpu_info64, pending_sel);
	l->pending = si ? si + XEN_EVTCHN_PENDING_OFFSET : NULL;
	l->mask = si ? si + (layout32 ? XEN_EVTCHN_MASK_OFFSET32 : XEN_EVTCHN_MASK_OFFSET64)
		     : NULL;
}

static u32 evtchn_2l_nr_ports(struct hvk_vm *vm)
{
	return hvk_shared_info_layout32(&vm->shared_info) ? XEN_EVTCHN_2L_PORTS32 :
							     XEN_EVTCHN_2L_PORTS64;
}

/* Step 2: this port's word in @target's pending_sel, then upcall_pending. */
static int evtchn_2l_select(struct hvk_vm *vm, const struct evtchn_2l_layout *l,
			    struct hvk_vcpu *target, u32 port)
{
	u8 *vi = target ? hvk_vcpu_info(target) : NULL;

	if (!vi)
		return HVK_EVTCHN_UNNOTIFIED;
	if (guest_test_and_set_bit(port / l->word_bits, vi + l->sel_offset))
		return HVK_EVTCHN_QUEUED;
	return evtchn_raise_upcall(vm, target);
}

static int evtchn_2l_set_pending(struct hvk_vm *vm, struct hvk_vcpu *target, u32 port)
{
	struct evtchn_2l_layout l;
	int outcome;

	evtchn_2l_layout(vm, &l);
	/* Without shared_info Xen would still have the bits; hvk has no page yet. */
	if (!l.pending || port >= l.nr_ports)
		return HVK_EVTCHN_DROPPED;
	/* The order matters (Xen's event_2l.c): pending, then mask, then selector. */
	if (guest_test_and_set_bit(port, l.pending))
		return HVK_EVTCHN_COALESCED;
	if (guest_test_bit(port, l.mask))
		outcome = HVK_EVTCHN_MASKED;
	else
		outcome = evtchn_2l_select(vm, &l, target, port);
	/* Step 3: pollers wake whether or not the port is masked. */
	evtchn_check_pollers(vm, port);
	return outcome;
}

static void evtchn_2l_clear_pending(struct hvk_vm *vm, u32 port)
{
	struct evtchn_2l_layout l;

	evtchn_2l_layout(vm, &l);
	if (l.pending && port < l.nr_ports)
		guest_test_and_clear_bit(port, l.pending);
}

static int evtchn_2l_unmask(struct hvk_vm *vm, struct hvk_vcpu *target, u32 port)
{
	struct evtchn_2l_layout l;

	evtchn_2l_layout(vm, &l);
	if (!l.pending || port >= l.nr_ports)
		return -1;
	if (!guest_test_and_clear_bit(port, l.mask) || !guest_test_bit(port, l.pending))
		return -1;
	return evtchn_2l_select(vm, &l, target, port);
}

static bool evtchn_2l_is_pending(struct hvk_vm *vm, u32 port)
{
	struct evtchn_2l_layout l;

	evtchn_2l_layout(vm, &l);
	return l.pending && port < l.nr_ports && guest_test_bit(port, l.pending);
}

const struct evtchn_port_ops hvk_evtchn_2l_ops = {
	.nr_ports = evtchn_2l_nr_ports,
	.set_pending = evtchn_2l_set_pending,
	.clear_pending = evtchn_2l_clear_pending,
	.unmask = evtchn_2l_unmask,
	.is_pending = evtchn_2l_is_pending,
};
