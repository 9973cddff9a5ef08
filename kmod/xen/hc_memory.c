// SPDX-License-Identifier: GPL-2.0
/*
 * memory_op(cmd, arg) (Xen: common/memory.c, arch/x86/mm.c): the guest's
 * changes to its physmap (physmap.h).  cmd's bits 5:0 are the sub-op; the
 * reservation ops keep the extent to go on from in the bits above, and
 * continue themselves that way after a batch (Xen's continuations).
 *
 * Structs with xen_ulong_t or handles come in the caller's layout: 64-bit
 * or 32-bit (include/abi/xen/memory.h).
 */
#include <linux/kernel.h>
#include <abi/xen/errno.h>
#include <abi/xen/hypercall.h>
#include <abi/xen/memory.h>

#include "domain.h"
#include "grant_table.h"
#include "guest_mem.h"
#include "hypercall.h"
#include "physmap.h"
#include "shared_info.h"
#include "vcpu.h"

/* Xen's memop_max_order for a domU: 2 MiB extents at most. */
#define MEMOP_MAX_ORDER         9
/* Frames one call handles before it lets the guest (and the host) go on. */
#define MEMOP_BATCH_FRAMES      512

/* ---- add_to_physmap ---- */

struct physmap_req {
	u16 domid;
	u32 space;
	u64 idx;
	u64 gpfn;
	u64 invalid_gfn;                /* INVALID_GFN in the caller's xen_pfn_t */
};

static int physmap_read(struct hvk_hcall *hc, struct physmap_req *r)
{
	if (hc->long_mode) {
		struct xen_add_to_physmap64 a;

		if (hvk_copy_from_guest(hc->vcpu, &a, hc->arg[1], sizeof(a)))
			return -XEN_EFAULT;
		*r = (struct physmap_req){ a.domid, a.space, a.idx, a.gpfn, ~0ULL };
	} else {
		struct xen_add_to_physmap32 a;

		if (hvk_copy_from_guest(hc->vcpu, &a, hc->arg[1], sizeof(a)))
			return -XEN_EFAULT;
		/* Zero-extended by Xen's compat layer: ~0 is not INVALID_GFN there. */
		*r = (struct physmap_req){ a.domid, a.space, a.idx, a.gpfn, ~0ULL };
	}
	return 0;
}

/* In Xen's order of checks (do_memory_op, xenmem_add_to_physmap_one). */
static long add_to_physmap(struct hvk_hcall *hc, u64 start_extent)
{
	struct physmap_req r;
	int err;

	/* The continuation field is a u16 size for gmfn_range. */
	if (start_extent > U16_MAX)
		return -XEN_EDOM;
	err = physmap_read(hc, &r);
	if (err)
		return err;
	if (r.space == XEN_XENMAPSPACE_GMFN_FOREIGN)
		return -XEN_ENOSYS;     /* foreign maps: add_to_physmap_batch only */
	if (!hvk_xen_domid_is_self(r.domid))
		return -XEN_ESRCH;
	if (r.space == XEN_XENMAPSPACE_DEV_MMIO)
		return -XEN_EACCES;     /* the hardware domain's */
	if (r.gpfn == r.invalid_gfn)
		return -XEN_EINVAL;
	switch (r.space) {
	case XEN_XENMAPSPACE_SHARED_INFO:
		if (r.idx != 0)
			return -XEN_EINVAL;     /* there is one shared_info page */
		return hvk_shared_info_map(hc->vcpu, r.gpfn);
	case XEN_XENMAPSPACE_GRANT_TABLE:
		/* Xen takes the index as an unsigned int. */
		return hvk_gnttab_map_frame(hc->vcpu->vm, (u32)r.idx, r.gpfn);
	}
	/* gmfn, gmfn_range (moving RAM frames): not offered. */
	return -XEN_EINVAL;
}

/* ---- increase/decrease_reservation, populate_physmap ---- */

struct reservation {
	u64 extent_start;               /* guest pointer to xen_pfn_t[] */
	u64 nr_extents;
	u32 extent_order;
	u32 mem_flags;
	u16 domid;
};

static int reservation_read(struct hvk_hcall *hc, struct reservation *r)
{
	if (hc->long_mode) {
		struct xen_memory_reservation64 a;

		if (hvk_copy_from_guest(hc->vcpu, &a, hc->arg[1], sizeof(a)))
			return -XEN_EFAULT;
		*r = (struct reservation){ a.extent_start, a.nr_extents, a.extent_order,
					   a.mem_flags, a.domid };
	} else {
		struct xen_memory_reservation32 a;

		if (hvk_copy_from_guest(hc->vcpu, &a, hc->arg[1], sizeof(a)))
			return -XEN_EFAULT;
		*r = (struct reservation){ a.extent_start, a.nr_extents, a.extent_order,
					   a.mem_flags, a.domid };
	}
	return 0;
}

/* Extent @i's first frame: xen_pfn_t, 8 or 4 bytes by the caller. */
static int reservation_extent(struct hvk_hcall *hc, const struct reservation *r,
			      u64 i, u64 *gfn)
{
	u32 gfn32;

	if (hc->long_mode)
		return hvk_copy_from_guest(hc->vcpu, gfn, r->extent_start + i * 8, 8);
	if (hvk_copy_from_guest(hc->vcpu, &gfn32, r->extent_start + i * 4, 4))
		return -XEN_EFAULT;
	*gfn = gfn32;
	return 0;
}

/*
 * One extent of 2^order frames from @gfn: every frame given back (decrease)
 * or taken again (populate).  A frame that fails ends the extent, and the
 * call: those done stay done, the extent is not counted (as Xen).
 */
static int reservation_one(struct hvk_vm *vm, unsigned int op, u64 gfn, u32 order)
{
	u64 j;
	int err;

	for (j = 0; j < (1ULL << order); j++) {
		err = op == XEN_XENMEM_DECREASE_RESERVATION ? hvk_physmap_remove(vm, gfn + j) :
							      hvk_physmap_populate(vm, gfn + j);
		if (err)
			return err;
	}
	return 0;
}

/*
 * Extents from @done on, a batch at a time; returns the extents done, or
 * asks to be continued from there when there are more.
 */
static long reservation_run(struct hvk_hcall *hc, unsigned int op,
			    const struct reservation *r, u64 done)
{
	u64 frames = 0, gfn;

	while (done < r->nr_extents) {
		if (frames >= MEMOP_BATCH_FRAMES) {
			hc->arg[0] = op | done << XEN_MEMOP_EXTENT_SHIFT;
			hc->continuation = true;
			break;
		}
		if (reservation_extent(hc, r, done, &gfn) ||
		    reservation_one(hc->vcpu->vm, op, gfn, r->extent_order))
			break;
		frames += 1ULL << r->extent_order;
		done++;
	}
	hvk_physmap_flush(hc->vcpu->vm);
	return done;
}

/*
 * As do_memory_op(): any refusal of the request as a whole answers the
 * extent it started from.  Memory beyond the VM's slots does not exist, so
 * increase_reservation allocates nothing (0 extents) and populate_physmap
 * only gives back frames of the slots that were given up.
 */
static long reservation(struct hvk_hcall *hc, unsigned int op, u64 start)
{
	struct reservation r;
	u32 address_bits;

	if (reservation_read(hc, &r))
		return start;
	/* Too large to continue, nothing left, or not the guest's domain. */
	if (r.nr_extents > (U32_MAX >> XEN_MEMOP_EXTENT_SHIFT) || start >= r.nr_extents ||
	    !hvk_xen_domid_is_self(r.domid))
		return start;
	/* An allocation below 4 KiB cannot be met. */
	address_bits = r.mem_flags & XEN_XENMEMF_ADDRESS_BITS_MASK;
	if (address_bits && address_bits <= PAGE_SHIFT)
		return start;
	if (r.extent_order > MEMOP_MAX_ORDER)
		return start;
	switch (op) {
	case XEN_XENMEM_INCREASE_RESERVATION:
		return start;
	case XEN_XENMEM_POPULATE_PHYSMAP:
		/* Populate-on-demand is the toolstack's, never on oneself. */
		if (r.mem_flags & XEN_XENMEMF_POPULATE_ON_DEMAND)
			return start;
		break;
	}
	return reservation_run(hc, op, &r, start);
}

/* ---- memory_map, get_vnumainfo ---- */

/*
 * The E820 map is the VMM's, in start_info (Linux reads it there first);
 * the kernel has none, as a Xen whose toolstack set none: -ENOSYS, after
 * reading the argument.
 */
static long memory_map(struct hvk_hcall *hc)
{
	struct xen_memory_map64 map64;
	struct xen_memory_map32 map32;

	if (hc->long_mode ? hvk_copy_from_guest(hc->vcpu, &map64, hc->arg[1], sizeof(map64)) :
			    hvk_copy_from_guest(hc->vcpu, &map32, hc->arg[1], sizeof(map32)))
		return -XEN_EFAULT;
	return -XEN_ENOSYS;
}

/* No vNUMA topology: -EOPNOTSUPP, after Xen's checks of the argument. */
static long get_vnumainfo(struct hvk_hcall *hc, u64 start_extent)
{
	struct xen_vnuma_topology_info t;

	if (start_extent)
		return -XEN_EINVAL;
	if (hvk_copy_from_guest(hc->vcpu, &t, hc->arg[1], sizeof(t)))
		return -XEN_EFAULT;
	if (t.pad)
		return -XEN_EINVAL;
	if (!hvk_xen_domid_is_self(t.domid))
		return -XEN_ESRCH;
	return -XEN_EOPNOTSUPP;
}

long hvk_hc_memory_op(struct hvk_hcall *hc)
{
	unsigned int op = hc->arg[0] & XEN_MEMOP_CMD_MASK;
	u64 start = hc->arg[0] >> XEN_MEMOP_EXTENT_SHIFT;

	switch (op) {
	case XEN_XENMEM_INCREASE_RESERVATION:
	case XEN_XENMEM_DECREASE_RESERVATION:
	case XEN_XENMEM_POPULATE_PHYSMAP:
		return reservation(hc, op, start);
	case XEN_XENMEM_ADD_TO_PHYSMAP:
		return add_to_physmap(hc, start);
	case XEN_XENMEM_MEMORY_MAP:
		return memory_map(hc);
	case XEN_XENMEM_GET_VNUMAINFO:
		return get_vnumainfo(hc, start);
	}
	return -XEN_ENOSYS;
}
