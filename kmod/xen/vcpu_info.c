// SPDX-License-Identifier: GPL-2.0
/* Where a vCPU's vcpu_info lives, and moving it (see vcpu_info.h). */
#include <linux/mm.h>
#include <abi/xen/errno.h>
#include <abi/xen/shared_info.h>
#include <abi/xen/vcpu.h>

#include "irq/inject.h"
#include "evtchn.h"
#include "guest_area.h"
#include "guest_mem.h"
#include "hypercall.h"
#include "shared_info.h"
#include "smp.h"
#include "vcpu.h"
#include "vcpu_info.h"
#include "vm.h"

void *hvk_vcpu_info(struct hvk_vcpu *vcpu)
{
	void *registered = smp_load_acquire(&vcpu->xen.vcpu_info.map);
	struct page *page;

	if (registered)
		return registered;
	if (vcpu->id >= XEN_LEGACY_MAX_VCPUS)
		return NULL;
	page = READ_ONCE(vcpu->vm->shared_info.page);
	return page ? page_address(page) + vcpu->id * XEN_VCPU_INFO_SIZE : NULL;
}

/*
 * The new copy starts as the old one (Xen's vcpu_info_populate()); a vCPU
 * with none (>= 32, or no shared_info page yet) starts from zeros, with
 * upcall_mask set for the vCPUs Xen gives its dummy vcpu_info.
 */
static void vcpu_info_populate(struct hvk_vcpu *target, u8 *dst)
{
	const u8 *old = hvk_vcpu_info(target);

	if (old) {
		/* The guest may name the very slot it has: memmove. */
		memmove(dst, old, XEN_VCPU_INFO_SIZE);
		return;
	}
	memset(dst, 0, XEN_VCPU_INFO_SIZE);
	if (target->id >= XEN_LEGACY_MAX_VCPUS)
		dst[offsetof(struct xen_vcpu_info64, upcall_mask)] = 1;
}

/*
 * Events raised at the old copy while this one was made ready are not
 * lost: every selector bit is set and an upcall raised by the vCPU's
 * upcall method (Xen: "the domain will get a spurious event, but it can
 * cope"; its vcpu_mark_events_pending()).
 */
static void vcpu_info_mark_all_pending(struct hvk_vcpu *target, u8 *vi)
{
	if (hvk_shared_info_layout32(&target->vm->shared_info))
		WRITE_ONCE(*(u32 *)(vi + offsetof(struct xen_vcpu_info32, pending_sel)), ~0U);
	else
		WRITE_ONCE(*(u64 *)(vi + offsetof(struct xen_vcpu_info64, pending_sel)), ~0ULL);
	hvk_evtchn_raise_upcall(target);
}

/* Its clock moves too: written at once by its own thread, else at its next entry. */
static void vcpu_info_refresh_clock(struct hvk_hcall *hc, struct hvk_vcpu *target)
{
	WRITE_ONCE(target->pvclock_dirty, true);
	if (target == hc->vcpu)
		return;                 /* the run loop refreshes it before entering */
	spin_lock(&target->vm->power_lock);
	hvk_vcpu_kick_event(target);
	spin_unlock(&target->vm->power_lock);
}

long hvk_vcpu_info_register(struct hvk_hcall *hc, struct hvk_vcpu *target)
{
	struct xen_vcpu_register_vcpu_info arg;
	struct hvk_vm *vm = target->vm;
	struct hvk_guest_area area;
	u64 gpa;
	int err;

	if (hvk_copy_from_guest(hc->vcpu, &arg, hc->arg[2], sizeof(arg)))
		return -XEN_EFAULT;
	/* The offset may not leave the frame, nor the frame the address space. */
	gpa = (arg.mfn << PAGE_SHIFT) + arg.offset;
	if (gpa == ~0ULL || (gpa >> PAGE_SHIFT) != arg.mfn)
		return -XEN_EINVAL;
	if (READ_ONCE(target->xen.vcpu_info.map))
		return -XEN_EBUSY;
	err = hvk_guest_area_resolve(vm, gpa, XEN_VCPU_INFO_SIZE, &area);
	if (err)
		return err;
	/* Two registrations of one vCPU at once: the second finds the first. */
	mutex_lock(&vm->vcpus_lock);
	if (target->xen.vcpu_info.map) {
		mutex_unlock(&vm->vcpus_lock);
		hvk_guest_area_put(vm, &area);
		return -XEN_EBUSY;
	}
	vcpu_info_populate(target, area.map);
	WRITE_ONCE(target->xen.vcpu_info.slot, area.slot);
	smp_store_release(&target->xen.vcpu_info.map, area.map);
	mutex_unlock(&vm->vcpus_lock);
	vcpu_info_mark_all_pending(target, area.map);
	vcpu_info_refresh_clock(hc, target);
	return 0;
}
