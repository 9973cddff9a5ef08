/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Memory slots: ranges of guest-physical memory backed by the VMM's own
 * anonymous memory.  The pages are pinned (and charged to the VMM's locked
 * memory limit) while the slot exists, so the nested page tables can point
 * at them without MMU notifiers.
 */
#ifndef HVK_KMOD_MEMSLOT_H
#define HVK_KMOD_MEMSLOT_H

#include <linux/types.h>
#include <abi/hvk.h>

struct page;
struct mm_struct;

struct hvk_memslot {
	u32 id;
	u32 flags;              /* HVK_MEM_* */
	u64 gpa;
	u64 size;
	u64 user_addr;
	unsigned long nr_pages;
	struct page **pages;
};

/* Checks the request's own fields (alignment, flags, reserved, wrap). */
int hvk_memslot_check(const struct hvk_memory_region *region);
struct hvk_memslot *hvk_memslot_create(struct mm_struct *mm,
				       const struct hvk_memory_region *region);
void hvk_memslot_destroy(struct mm_struct *mm, struct hvk_memslot *slot);
bool hvk_memslot_overlaps(const struct hvk_memslot *slot, u64 gpa, u64 size);
bool hvk_memslot_contains(const struct hvk_memslot *slot, u64 gpa);
struct page *hvk_memslot_page(const struct hvk_memslot *slot, u64 gpa);

#endif /* HVK_KMOD_MEMSLOT_H */
