// SPDX-License-Identifier: GPL-2.0
/* The shared_info page, its layout and the wall clock (see shared_info.h). */
#include <linux/io.h>
#include <linux/math64.h>
#include <linux/mm.h>
#include <linux/timekeeping.h>
#include <abi/xen/errno.h>
#include <abi/xen/shared_info.h>

#include "irq/inject.h"
#include "gpt.h"
#include "memslot.h"
#include "pages.h"
#include "physmap.h"
#include "pvclock.h"
#include "shared_info.h"
#include "smp.h"
#include "vcpu.h"
#include "vendor.h"
#include "vm.h"

/*
 * The wall clock at system time 0 (REFERENCE-GUEST-SERVICES §1): the host's
 * real time when the VM was created, in the latched layout's place, with
 * wc_version odd while it changes.  Callers hold vcpus_lock.
 */
static void shared_info_write_wallclock(struct hvk_shared_info *si)
{
	u8 *base = page_address(si->page);
	bool layout32 = hvk_shared_info_layout32(si);
	struct xen_wallclock *wc = (void *)(base + (layout32 ? XEN_SHARED_INFO_WC32 :
							       XEN_SHARED_INFO_WC64));
	u32 *sec_hi = (void *)(base + (layout32 ? XEN_SHARED_INFO_WC_SEC_HI32 :
						  XEN_SHARED_INFO_WC_SEC_HI64));
	u32 nsec, version = (READ_ONCE(wc->wc_version) + 1) | 1;
	u64 sec = div_u64_rem(si->wallclock_ns, NSEC_PER_SEC, &nsec);

	WRITE_ONCE(wc->wc_version, version);
	smp_wmb();
	wc->wc_sec = sec;
	wc->wc_nsec = nsec;
	*sec_hi = sec >> 32;
	smp_wmb();
	WRITE_ONCE(wc->wc_version, version + 1);
}

void hvk_shared_info_init(struct hvk_vm *vm)
{
	struct hvk_shared_info *si = &vm->shared_info;

	hvk_pvclock_vm_init(vm);
	si->created_ns = ktime_get_ns();
	si->wallclock_ns = ktime_get_real_ns();
}

void hvk_shared_info_destroy(struct hvk_vm *vm)
{
	hvk_pages_free(vm->shared_info.page, 0);
	vm->shared_info.page = NULL;
}

struct page *hvk_shared_info_page_at(struct hvk_vm *vm, u64 gfn)
{
	struct hvk_shared_info *si = &vm->shared_info;
	struct page *page = READ_ONCE(si->page);

	return page && READ_ONCE(si->gfn) == gfn ? page : NULL;
}

static void shared_info_flush_all(struct hvk_vm *vm)
{
	unsigned int i;

	spin_lock(&vm->power_lock);
	for (i = 0; i < HVK_MAX_VCPUS; i++)
		if (vm->vcpus[i]) {
			hvk_ops->flush_gpt(vm->vcpus[i]);
			WRITE_ONCE(vm->vcpus[i]->pvclock_dirty, true);
			hvk_vcpu_kick_event(vm->vcpus[i]);
		}
	spin_unlock(&vm->power_lock);
}

int hvk_shared_info_map(struct hvk_vcpu *vcpu, u64 gfn)
{
	struct hvk_vm *vm = vcpu->vm;
	struct hvk_shared_info *si = &vm->shared_info;
	struct page *page;
	u64 old_gfn = gfn;
	int err = 0;

	if (!hvk_gfn_valid(gfn))
		return -XEN_EINVAL;
	mutex_lock(&vm->vcpus_lock);
	/*
	 * A move is a physmap change: without the physmap lock a fault
	 * another vCPU takes meanwhile at the new frame could map the RAM
	 * there over the page just placed, or one at the old frame map the
	 * page there again after it was unmapped (physmap.h).
	 */
	mutex_lock(&vm->physmap.lock);
	if (!si->page) {
		page = hvk_pages_alloc(0);
		if (!page) {
			err = -XEN_ENOMEM;
			goto out;
		}
		/* Frame, then page: a reader never sees the page at a stale frame. */
		WRITE_ONCE(si->gfn, gfn);
		smp_wmb();
		WRITE_ONCE(si->page, page);
		hvk_physmap_changed(vm);
		shared_info_write_wallclock(si);
	} else if (si->gfn != gfn) {
		old_gfn = si->gfn;
		/*
		 * Moved first, so the old frame's next fault finds what is
		 * beneath (RAM, mapped again then, or a hole).
		 */
		WRITE_ONCE(si->gfn, gfn);
		hvk_physmap_changed(vm);
		hvk_gpt_unmap(&vm->gpt, old_gfn << PAGE_SHIFT);
	}
	/*
	 * Map now: the frame may already hold a lazily mapped RAM page.  Past
	 * the VM's bound on nested tables (vm.c) the move is undone: the
	 * guest keeps its shared_info where it was and sees -ENOMEM.
	 */
	if (hvk_gpt_map(&vm->gpt, gfn << PAGE_SHIFT, page_to_phys(si->page), true, true)) {
		err = -XEN_ENOMEM;
		if (old_gfn != gfn) {
			WRITE_ONCE(si->gfn, old_gfn);
			hvk_physmap_changed(vm);
		}
	}
	shared_info_flush_all(vm);
out:
	mutex_unlock(&vm->physmap.lock);
	mutex_unlock(&vm->vcpus_lock);
	return err;
}

/*
 * As Xen's hvm_latch_shinfo_size(), the wall clock moves with the layout.
 * Leaving the 32-bit layout, its old wall clock would sit in the 64-bit
 * evtchn_pending[] as pending ports: cleared.
 */
void hvk_shared_info_latch_layout(struct hvk_vcpu *caller)
{
	struct hvk_vm *vm = caller->vm;
	struct hvk_shared_info *si = &vm->shared_info;
	bool was32, now32 = !hvk_vendor_call(in_long_mode)(caller);
	u8 *base;

	mutex_lock(&vm->vcpus_lock);
	was32 = si->layout32;
	WRITE_ONCE(si->layout32, now32);
	if (si->page) {
		base = page_address(si->page);
		if (was32 && !now32) {
			memset(base + XEN_SHARED_INFO_WC32, 0, sizeof(struct xen_wallclock));
			memset(base + XEN_SHARED_INFO_WC_SEC_HI32, 0, sizeof(u32));
		}
		shared_info_write_wallclock(si);
	}
	mutex_unlock(&vm->vcpus_lock);
}
