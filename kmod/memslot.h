/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Memory slots: ranges of guest-physical memory backed by the VMM's own
 * memory at user_addr.  By default nothing is pinned: each page is faulted
 * in from the VMM's page tables on the guest's first access and the MMU
 * notifier keeps the nested tables coherent with them (ram.c), as under
 * KVM.  An HVK_MEM_PINNED slot pins every page (charged to the VMM's
 * RLIMIT_MEMLOCK) while it exists, for guests that must never wait for the
 * host's memory management; pages[] holds them.
 */
#ifndef HVK_KMOD_MEMSLOT_H
#define HVK_KMOD_MEMSLOT_H

#include <linux/types.h>
#include <asm/page.h>
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
	struct page **pages;            /* HVK_MEM_PINNED only, else NULL */
};

/* Checks the request's own fields (alignment, flags, reserved, wrap). */
int hvk_memslot_check(const struct hvk_memory_region *region);
struct hvk_memslot *hvk_memslot_create(struct mm_struct *mm,
				       const struct hvk_memory_region *region);
void hvk_memslot_destroy(struct mm_struct *mm, struct hvk_memslot *slot);
bool hvk_memslot_overlaps(const struct hvk_memslot *slot, u64 gpa, u64 size);

/* Inline: every guest memory access asks these. */
static inline bool hvk_memslot_contains(const struct hvk_memslot *slot, u64 gpa)
{
	return gpa >= slot->gpa && gpa - slot->gpa < slot->size;
}

/* The pinned page at @gpa; NULL unless the slot is HVK_MEM_PINNED. */
static inline struct page *hvk_memslot_page(const struct hvk_memslot *slot, u64 gpa)
{
	return slot->pages ? slot->pages[(gpa - slot->gpa) >> PAGE_SHIFT] : NULL;
}

/* Where the VMM maps @gpa. */
static inline unsigned long hvk_memslot_hva(const struct hvk_memslot *slot, u64 gpa)
{
	return slot->user_addr + (gpa - slot->gpa);
}

#endif /* HVK_KMOD_MEMSLOT_H */
