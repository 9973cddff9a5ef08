// SPDX-License-Identifier: GPL-2.0
/* The guest's version 1 grant table (see grant_table.h). */
#include <linux/mm.h>
#include <abi/xen/errno.h>

#include "grant_table.h"
#include "memslot.h"
#include "pages.h"
#include "physmap.h"
#include "vm.h"

void hvk_gnttab_init(struct hvk_vm *vm)
{
	struct hvk_grant_table *gt = &vm->gnttab;
	unsigned int i;

	mutex_init(&gt->lock);
	gt->nr_frames = 1;              /* Xen's INITIAL_NR_GRANT_FRAMES */
	for (i = 0; i < HVK_GNTTAB_MAX_FRAMES; i++)
		gt->gfn[i] = HVK_GNTTAB_NO_GFN;
}

void hvk_gnttab_destroy(struct hvk_vm *vm)
{
	unsigned int i;

	for (i = 0; i < HVK_GNTTAB_MAX_FRAMES; i++)
		hvk_pages_free(vm->gnttab.frames[i], 0);
}

unsigned int hvk_gnttab_nr_frames(struct hvk_vm *vm)
{
	return READ_ONCE(vm->gnttab.nr_frames);
}

/* Xen's gnttab_grow_table(): frames [0, @nr) exist afterwards.  Locked. */
static int gnttab_grow(struct hvk_grant_table *gt, unsigned int nr)
{
	unsigned int i;

	if (nr > HVK_GNTTAB_MAX_FRAMES)
		return -XEN_EINVAL;
	for (i = 0; i < nr; i++) {
		if (gt->frames[i])
			continue;
		gt->frames[i] = hvk_pages_alloc(0);     /* zeroed: invalid entries */
		if (!gt->frames[i])
			return -XEN_ENOMEM;
	}
	if (nr > gt->nr_frames)
		WRITE_ONCE(gt->nr_frames, nr);
	return 0;
}

/* Where frame @i shows now: where it was put, unless something replaced it. */
static u64 gnttab_frame_gfn(struct hvk_vm *vm, unsigned int i)
{
	struct hvk_grant_table *gt = &vm->gnttab;
	struct hvk_memslot *slot;
	u64 gfn = gt->gfn[i];

	if (gfn == HVK_GNTTAB_NO_GFN || !gt->frames[i] ||
	    hvk_physmap_page(vm, gfn, &slot) != gt->frames[i])
		return HVK_GNTTAB_NO_GFN;
	return gfn;
}

int hvk_gnttab_setup(struct hvk_vm *vm, unsigned int nr, u64 *gfns)
{
	struct hvk_grant_table *gt = &vm->gnttab;
	unsigned int i;
	int err;

	mutex_lock(&gt->lock);
	err = gnttab_grow(gt, nr);
	for (i = 0; !err && i < nr; i++)
		gfns[i] = gnttab_frame_gfn(vm, i);
	mutex_unlock(&gt->lock);
	return err;
}

int hvk_gnttab_map_frame(struct hvk_vm *vm, u32 idx, u64 gfn)
{
	struct hvk_grant_table *gt = &vm->gnttab;
	u64 old_gfn;
	int err;

	if (idx >= HVK_GNTTAB_MAX_FRAMES)
		return -XEN_EINVAL;
	mutex_lock(&gt->lock);
	err = gnttab_grow(gt, max(idx + 1, gt->nr_frames));
	if (err) {
		/* Xen: a table that cannot grow leaves the index invalid. */
		err = -XEN_EINVAL;
		goto out;
	}
	old_gfn = gnttab_frame_gfn(vm, idx);
	err = hvk_physmap_set_overlay(vm, gfn, gt->frames[idx]);
	if (err)
		goto out;
	/* One frame shows at one guest frame: it leaves its old place. */
	if (old_gfn != HVK_GNTTAB_NO_GFN && old_gfn != gfn)
		hvk_physmap_remove_overlay(vm, old_gfn, gt->frames[idx]);
	gt->gfn[idx] = gfn;
out:
	mutex_unlock(&gt->lock);
	hvk_physmap_flush(vm);
	return err;
}
