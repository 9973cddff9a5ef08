/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Small per-vCPU structures a guest registers by guest-physical address:
 * the vcpu_info (VCPUOP_register_vcpu_info) and the _phys_area copies of
 * the runstate and the pvclock.  As Xen's map_guest_area(): the area may
 * not cross a page, must be aligned to xen_ulong_t of the VM's shared_info
 * layout (-XEN_ENXIO), and must lie in writable RAM or a hypervisor page
 * the guest mapped (-XEN_EINVAL; a read-only slot -XEN_EPERM).
 *
 * The result is a kernel address into the page, which stays valid while
 * the area is registered: the RAM page holding an area is pinned until the
 * last area there goes (ram.h), and a slot holding an area cannot be
 * deleted (hvk_guest_areas_use_slot(): HVK_SET_MEMORY_REGION answers
 * -EBUSY), because Xen keeps a reference on a registered page for as long
 * as the registration lasts; a vcpu_info registration lasts for the VM's
 * life.  Overlay pages (shared_info, grant frames) live until the VM is
 * destroyed.  If the VMM maps other memory at such a page meanwhile, the
 * area stays on the old page, as a Xen area stays on the page it took a
 * reference on.
 *
 * An area replaced or unregistered (the runstate and time copies) is
 * released by hvk_guest_area_retire().  Its writers are the vCPU's own
 * thread alone, each write inside rcu_read_lock() from reading where the
 * area is to the last byte written: the page of an area a vCPU replaced
 * of its own is released at once, that of another vCPU's after an RCU
 * grace period, by a worker (Xen's map_guest_area() pauses the other
 * vCPU instead).
 */
#ifndef HVK_KMOD_XEN_GUEST_AREA_H
#define HVK_KMOD_XEN_GUEST_AREA_H

#include <linux/types.h>

struct hvk_memslot;
struct hvk_vm;

struct hvk_guest_area {
	void *map;                      /* NULL: none registered */
	const struct hvk_memslot *slot; /* the RAM's slot; NULL in an overlay */
	u64 gpa;
};

struct hvk_hcall;
struct hvk_vcpu;

/*
 * Validates and resolves [@gpa, @gpa + @size), holding its page; 0 or a
 * negative Xen errno.
 */
int hvk_guest_area_resolve(struct hvk_vm *vm, u64 gpa, unsigned int size,
			   struct hvk_guest_area *area);
/*
 * @old, an area of @target's that hc's caller just replaced: its page is
 * released now if the caller is @target, else after a grace period.
 */
void hvk_guest_area_retire(struct hvk_hcall *hc, struct hvk_vcpu *target,
			   const struct hvk_guest_area *old);
/* An area resolved but not registered after all (a lost race). */
void hvk_guest_area_put(struct hvk_vm *vm, const struct hvk_guest_area *area);
/* Does any vCPU's registered area lie in @slot?  Under slots_lock (write). */
bool hvk_guest_areas_use_slot(struct hvk_vm *vm, const struct hvk_memslot *slot);

#endif /* HVK_KMOD_XEN_GUEST_AREA_H */
