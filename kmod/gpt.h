/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Guest-physical page tables: the nested page tables (AMD NPT) or extended
 * page tables (Intel EPT) that map guest-physical to host-physical memory.
 * Both are 4-level radix trees with 512 8-byte entries per 4 KiB table; only
 * the entry bits differ, so the backend supplies a format and this code does
 * the rest.  Entries are created lazily, 4 KiB at a time, on the first guest
 * access fault (hvk_mmu_fault in vm.c).
 */
#ifndef HVK_KMOD_GPT_H
#define HVK_KMOD_GPT_H

#include <linux/mutex.h>
#include <linux/types.h>

struct page;

struct hvk_gpt_format {
	u64 table_flags;        /* non-leaf entry, ORed with the table's PA */
	u64 leaf_rw_flags;      /* leaf entry, guest may read, write, execute */
	u64 leaf_ro_flags;      /* leaf entry, guest writes fault */
	u64 present_mask;       /* an entry with none of these bits is empty */
};

struct hvk_gpt {
	const struct hvk_gpt_format *format;
	struct mutex lock;
	struct page *root;
	unsigned long nr_tables;
};

int hvk_gpt_init(struct hvk_gpt *gpt, const struct hvk_gpt_format *format);
void hvk_gpt_destroy(struct hvk_gpt *gpt);
/* Map one 4 KiB guest frame; replaces an existing leaf. */
int hvk_gpt_map(struct hvk_gpt *gpt, u64 gpa, phys_addr_t hpa, bool writable);
/* Clear one 4 KiB leaf, if present; tables stay (vCPUs may walk them). */
int hvk_gpt_unmap(struct hvk_gpt *gpt, u64 gpa);
/* Drop every mapping (memory regions changed); callers flush the TLBs. */
void hvk_gpt_clear(struct hvk_gpt *gpt);
phys_addr_t hvk_gpt_root_pa(const struct hvk_gpt *gpt);

#endif /* HVK_KMOD_GPT_H */
