/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Where Xen's guest-physical map differs from the memory slots.
 *
 * The slots say what RAM a VM has; a Xen guest changes its own physmap on
 * top of that: it maps hypervisor pages (the shared_info page, grant-table
 * frames) at frames of its choosing, inside RAM or in a hole, and it gives
 * RAM frames back (XENMEM_decrease_reservation, the balloon) and takes them
 * again (XENMEM_populate_physmap).  This file keeps those differences, per
 * frame, in one xarray:
 *   - an overlay page: the frame shows this module-owned page;
 *   - released: the frame is RAM the guest gave back, so it is not mapped
 *     and reads as no memory at all (as a hole does), until populated.
 * Frames with no entry are what the slots say.  The shared_info page keeps
 * its own frame (shared_info.c) and takes precedence over both.
 *
 * Released RAM stays the VMM's memory (hvk cannot give it back to the host
 * on the guest's behalf); a released frame reads zeros once populated
 * again, as a fresh Xen page.
 *
 * Changes (the shared_info move too) and the fault path's look-up-and-map
 * are serialised by `lock`, so a frame released by one vCPU is never
 * mapped again by another's fault that raced with it; plain look-ups
 * (guest_mem.c) need no lock.  Taken inside the VM's vcpus_lock.
 */
#ifndef HVK_KMOD_XEN_PHYSMAP_H
#define HVK_KMOD_XEN_PHYSMAP_H

#include <linux/atomic.h>
#include <linux/mutex.h>
#include <linux/types.h>
#include <linux/xarray.h>

struct hvk_memslot;
struct hvk_vcpu;
struct hvk_vm;
struct page;

struct hvk_physmap {
	struct mutex lock;
	struct xarray frames;           /* gfn -> overlay page, or released */
	bool flush_pending;             /* frames left the nested tables */
	atomic_long_t gen;              /* bumped by every change of a frame */
};

void hvk_physmap_init(struct hvk_vm *vm);
void hvk_physmap_destroy(struct hvk_vm *vm);

/*
 * What backs guest frame @gfn: an overlay page (returned, *@slot NULL),
 * RAM of *@slot (NULL returned: ram.c reaches it), or nothing (both NULL:
 * a hole, or released RAM).  Any thread; callers inside HVK_RUN (slots
 * stable).
 */
struct page *hvk_physmap_page(struct hvk_vm *vm, u64 gfn, struct hvk_memslot **slot);
/* The slot whose RAM backs @gpa now: NULL in a hole or if released. */
struct hvk_memslot *hvk_physmap_ram_slot(struct hvk_vm *vm, u64 gpa);
/*
 * What a look-up answered stays true while this reads the same (a cache
 * of guest-virtual translations keeps the RAM slot behind each, as long as
 * no frame changed: guest_mem.c).  Bumped after each change.
 */
static inline unsigned long hvk_physmap_gen(struct hvk_physmap *physmap)
{
	return atomic_long_read(&physmap->gen);
}
void hvk_physmap_changed(struct hvk_vm *vm);

/*
 * A nested-page fault at @gpa: maps the RAM or overlay there.  1 mapped
 * (or to be retried), 0 nothing to map (a hole, released RAM, a write to a
 * read-only slot: the caller treats it as MMIO), -ENOMEM, -EFAULT (the
 * VMM maps nothing usable at the RAM's address).
 */
int hvk_physmap_map_fault(struct hvk_vcpu *vcpu, u64 gpa, bool write);

/*
 * Changes, as Xen's p2m does them; callers hold no physmap lock.  All
 * return 0 or a negative Xen errno.
 *   set_overlay: @gfn shows @page from now on; RAM there is released (Xen
 *                frees it), an overlay there is unhooked.
 *   remove:      @gfn shows nothing: RAM is released, an overlay unhooked.
 *                -XEN_ENOENT if there was nothing.
 *   remove_overlay: as remove, only if @gfn shows @page (moving a frame).
 *   populate:    @gfn is RAM again, zeroed: only a released frame of a
 *                slot can be (hvk has no memory beyond the slots);
 *                -XEN_ENOMEM otherwise.
 * An overlay's owner learns where its page is by asking (physmap_page).
 * Callers end a batch of changes with hvk_physmap_flush(), before the
 * guest goes on: until then other vCPUs may still reach old pages.
 */
int hvk_physmap_set_overlay(struct hvk_vm *vm, u64 gfn, struct page *page);
int hvk_physmap_remove(struct hvk_vm *vm, u64 gfn);
void hvk_physmap_remove_overlay(struct hvk_vm *vm, u64 gfn, struct page *page);
int hvk_physmap_populate(struct hvk_vm *vm, u64 gfn);
void hvk_physmap_flush(struct hvk_vm *vm);

/* The VMM deletes a slot: forget what was released in it. */
void hvk_physmap_forget_range(struct hvk_vm *vm, u64 gpa, u64 size);

#endif /* HVK_KMOD_XEN_PHYSMAP_H */
