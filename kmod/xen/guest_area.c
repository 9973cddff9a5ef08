// SPDX-License-Identifier: GPL-2.0
/* Guest areas registered by guest-physical address (see guest_area.h). */
#include <linux/mm.h>
#include <abi/xen/errno.h>

#include "guest_area.h"
#include "hypercall.h"
#include "memslot.h"
#include "physmap.h"
#include "ram.h"
#include "shared_info.h"
#include "vcpu.h"
#include "vm.h"

int hvk_guest_area_resolve(struct hvk_vm *vm, u64 gpa, unsigned int size,
			   struct hvk_guest_area *area)
{
	/* alignof(xen_ulong_t) of the layout the VM latched (Xen: compat or not). */
	unsigned int align = hvk_shared_info_layout32(&vm->shared_info) ? 4 : 8;
	struct hvk_memslot *slot;
	struct page *page;

	if ((gpa >> PAGE_SHIFT) != ((gpa + size - 1) >> PAGE_SHIFT) || (gpa & (align - 1)))
		return -XEN_ENXIO;
	page = hvk_physmap_page(vm, gpa >> PAGE_SHIFT, &slot);
	if (!page && !slot)
		return -XEN_EINVAL;             /* not RAM, or given back */
	if (slot && (slot->flags & HVK_MEM_READONLY))
		return -XEN_EPERM;
	/* RAM: its page is pinned from now on (ram.h). */
	if (slot)
		page = hvk_ram_area_get(vm, slot, gpa);
	if (!page)
		return -XEN_EFAULT;             /* the VMM maps nothing there */
	area->map = page_address(page) + offset_in_page(gpa);
	area->slot = slot;
	area->gpa = gpa;
	return 0;
}

void hvk_guest_area_put(struct hvk_vm *vm, const struct hvk_guest_area *area)
{
	if (area->map && area->slot)
		hvk_ram_area_put(vm, area->gpa, false);     /* never published */
}

void hvk_guest_area_retire(struct hvk_hcall *hc, struct hvk_vcpu *target,
			   const struct hvk_guest_area *old)
{
	if (!old->map || !old->slot)
		return;
	/* The caller's own writes are done: they are on this thread. */
	hvk_ram_area_put(target->vm, old->gpa, target != hc->vcpu);
}

static bool vcpu_areas_use_slot(const struct hvk_vcpu *vcpu, const struct hvk_memslot *slot)
{
	const struct hvk_xen_vcpu *x = &vcpu->xen;

	return (x->vcpu_info.map && x->vcpu_info.slot == slot) ||
	       (x->runstate.phys.map && x->runstate.phys.slot == slot) ||
	       (x->pvclock.time_phys.map && x->pvclock.time_phys.slot == slot);
}

bool hvk_guest_areas_use_slot(struct hvk_vm *vm, const struct hvk_memslot *slot)
{
	unsigned int i;

	for (i = 0; i < HVK_MAX_VCPUS; i++)
		if (vm->vcpus[i] && vcpu_areas_use_slot(vm->vcpus[i], slot))
			return true;
	return false;
}
