// SPDX-License-Identifier: GPL-2.0
/*
 * How an upcall reaches a vCPU (REFERENCE-GUEST-SERVICES §3, "Upcall
 * methods"; Xen: hvm/irq.c, hvm/hvm.c).  upcall_mask is never consulted
 * for HVM.
 *  - Per-vCPU vector (HVMOP_set_evtchn_upcall_vector): a fixed interrupt
 *    into the vCPU's local APIC on each 0 -> 1 of upcall_pending, and once
 *    when it is set; the TPR applies and the guest EOIs it.
 *  - Global callback vector (HVM_PARAM_CALLBACK_IRQ type 2): injected at
 *    entry on any vCPU while its upcall_pending is set and IF = 1, past the
 *    APIC (no IRR, ISR, TPR or EOI); irq/inject.c asks
 *    hvk_evtchn_callback_vector().
 *  - GSI and PCI INTx callbacks need an emulated PIC and IO-APIC, which a
 *    PVH domain does not have: Xen then leaves the callback as it was
 *    (hvm_set_callback_via returns early), and so does hvk.  Linux writes
 *    "GSI 1" after choosing per-vCPU vectors and needs it to succeed.
 */
#include <abi/xen/errno.h>
#include <abi/xen/hvm_op.h>

#include "../irq/inject.h"
#include "../irq/lapic.h"
#include "../vcpu.h"
#include "../vm.h"
#include "evtchn_priv.h"
#include "shared_info.h"
#include "vcpu_info.h"

/* Below 0x10 are the vectors an APIC refuses (Xen: -EINVAL). */
#define UPCALL_VECTOR_MIN       0x10

/*
 * Xen's hvm_assert_evtchn_irq(): tell @target an upcall may be pending,
 * by its own vector if it has one, else by a kick when the domain takes
 * vector callbacks at all (Xen's is_hvm_pv_evtchn_domain(): a callback
 * vector, or an upcall vector on vCPU 0); otherwise nothing is told.
 */
static void evtchn_assert_upcall(struct hvk_evtchn_state *st, struct hvk_vcpu *target)
{
	u8 vector = READ_ONCE(st->vcpus[target->id].upcall_vector);

	if (vector)
		hvk_lapic_deliver_fixed(target, vector);
	else if (READ_ONCE(target->vm->evtchn_callback_vector) < 0 &&
		 !READ_ONCE(st->vcpus[0].upcall_vector))
		return;
	evtchn_wake_waiter(st, target);
	hvk_vcpu_kick_event(target);
}

int evtchn_raise_upcall(struct hvk_vm *vm, struct hvk_vcpu *target)
{
	u8 *vi = hvk_vcpu_info(target);

	if (!vi)
		return HVK_EVTCHN_UNNOTIFIED;
	/* upcall_pending is byte 0 of vcpu_info; Xen sets its bit 0. */
	if (guest_test_and_set_bit(0, vi))
		return HVK_EVTCHN_QUEUED;
	evtchn_assert_upcall(vm->evtchn, target);
	return HVK_EVTCHN_RAISED;
}

void hvk_evtchn_raise_upcall(struct hvk_vcpu *vcpu)
{
	evtchn_raise_upcall(vcpu->vm, vcpu);
}

int hvk_evtchn_callback_vector(struct hvk_vcpu *vcpu)
{
	int vector = READ_ONCE(vcpu->vm->evtchn_callback_vector);
	u8 *vi;

	if (vector < 0)
		return -1;
	vi = hvk_vcpu_info(vcpu);
	/* Any non-zero upcall_pending byte counts (Xen: hvm_vcpu_has_pending_irq). */
	return vi && READ_ONCE(vi[0]) ? vector : -1;
}

void hvk_evtchn_lapic_enabled(struct hvk_vcpu *vcpu)
{
	u8 vector = READ_ONCE(vcpu->vm->evtchn->vcpus[vcpu->id].upcall_vector);
	u8 *vi;

	if (!vector)
		return;
	vi = hvk_vcpu_info(vcpu);
	if (vi && READ_ONCE(vi[0]))
		hvk_lapic_deliver_fixed(vcpu, vector);
}

int hvk_evtchn_set_upcall_vector(struct hvk_vcpu *caller, u32 vcpu_id, u8 vector)
{
	struct hvk_evtchn_state *st = caller->vm->evtchn;
	struct hvk_vcpu *target;

	if (vector < UPCALL_VECTOR_MIN)
		return -XEN_EINVAL;
	target = evtchn_vcpu_by_id(caller->vm, vcpu_id);
	if (!target)
		return -XEN_ENOENT;
	WRITE_ONCE(st->vcpus[target->id].upcall_vector, vector);
	/* Once at the call, whatever upcall_pending says (as Xen). */
	evtchn_assert_upcall(st, target);
	return 0;
}

int hvk_evtchn_set_callback_irq(struct hvk_vcpu *caller, u64 value)
{
	struct hvk_vm *vm = caller->vm;
	struct hvk_evtchn_state *st = vm->evtchn;
	struct hvk_vcpu *v;
	unsigned int id;

	WRITE_ONCE(st->callback_param, value);
	if (value >> XEN_HVM_CALLBACK_TYPE_SHIFT == XEN_HVM_CALLBACK_TYPE_VECTOR) {
		WRITE_ONCE(vm->evtchn_callback_vector, (u8)value);
		/* As Xen: every vCPU that is up hears of what it may have pending. */
		for (id = 0; id < HVK_MAX_VCPUS; id++) {
			v = evtchn_vcpu_by_id(vm, id);
			if (v && READ_ONCE(v->up))
				evtchn_assert_upcall(st, v);
		}
	}
	hvk_shared_info_latch_layout(caller);
	return 0;
}

u64 hvk_evtchn_callback_irq(struct hvk_vm *vm)
{
	return READ_ONCE(vm->evtchn->callback_param);
}
