/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The guest's grant table (REFERENCE-GUEST-SERVICES §9; Xen: common/
 * grant_table.c), version 1 only: frames of 512 grant_entry_v1 the guest
 * fills and maps into its physmap (XENMEM_add_to_physmap, space
 * grant_table) to read and write them.  hvk has no other domain, so
 * nothing ever maps or copies a grant: the table is memory the guest owns.
 *
 * Size: one frame to start, grown on demand up to HVK_GNTTAB_MAX_FRAMES,
 * Xen's default limit for a domain (opt_max_grant_frames = 64); Linux
 * sizes its table by what query_size reports.  A frame is a module page,
 * counted, allocated when the table grows to it and freed with the VM.
 */
#ifndef HVK_KMOD_XEN_GRANT_TABLE_H
#define HVK_KMOD_XEN_GRANT_TABLE_H

#include <linux/mutex.h>
#include <linux/types.h>

struct hvk_vm;
struct page;

#define HVK_GNTTAB_MAX_FRAMES  64u
#define HVK_GNTTAB_VERSION     1u
/* setup_table's answer for a frame mapped nowhere (Xen's INVALID_GFN). */
#define HVK_GNTTAB_NO_GFN      (~0ULL)

struct hvk_grant_table {
	struct mutex lock;
	unsigned int nr_frames;                 /* >= 1 */
	struct page *frames[HVK_GNTTAB_MAX_FRAMES];
	u64 gfn[HVK_GNTTAB_MAX_FRAMES];         /* where last mapped, or NO_GFN */
};

void hvk_gnttab_init(struct hvk_vm *vm);
void hvk_gnttab_destroy(struct hvk_vm *vm);

unsigned int hvk_gnttab_nr_frames(struct hvk_vm *vm);
/*
 * setup_table: grows the table to @nr frames (0 or -XEN_ENOMEM / -XEN_EINVAL
 * beyond the limit) and gives each frame's guest frame, or HVK_GNTTAB_NO_GFN.
 */
int hvk_gnttab_setup(struct hvk_vm *vm, unsigned int nr, u64 *gfns);
/*
 * add_to_physmap(XENMAPSPACE_grant_table, @idx, @gfn): frame @idx (the table
 * grows to it) shows at @gfn, and no longer where it was.  0, -XEN_EINVAL
 * (beyond the limit, or @gfn beyond guest-physical space), -XEN_ENOMEM.
 */
int hvk_gnttab_map_frame(struct hvk_vm *vm, u32 idx, u64 gfn);

#endif /* HVK_KMOD_XEN_GRANT_TABLE_H */
