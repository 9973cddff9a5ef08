/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Guest-physical page tables: the nested page tables (AMD NPT) or extended
 * page tables (Intel EPT) that map guest-physical to host-physical memory.
 * Both are 4-level radix trees with 512 8-byte entries per 4 KiB table; only
 * the entry bits differ, so the backend supplies a format and this code does
 * the rest.  Entries are created lazily, 4 KiB at a time, on the first guest
 * access fault (hvk_mmu_fault in mmu.c), and zapped when the host changes
 * the VMM's mapping of guest RAM (ram.c).
 */
#ifndef HVK_KMOD_GPT_H
#define HVK_KMOD_GPT_H

#include <linux/spinlock.h>
#include <linux/types.h>
#include <asm/page_types.h>

struct page;

struct hvk_gpt_format {
	u64 table_flags;        /* non-leaf entry, ORed with the table's PA */
	u64 leaf_rw_flags;      /* leaf entry, guest may read, write, execute */
	u64 leaf_ro_flags;      /* leaf entry, guest writes fault */
	u64 present_mask;       /* an entry with none of these bits is empty */
	u64 huge_flag;          /* in a level-1 leaf: it maps 2 MiB; 0: none */
};

struct hvk_gpt {
	const struct hvk_gpt_format *format;
	spinlock_t lock;                /* the notifier may not sleep (ram.c) */
	struct page *root;
	unsigned long nr_tables;        /* table pages, the root included */
	unsigned long max_tables;       /* a bounded hvk_gpt_map() fails beyond */
};

#define HVK_GPT_LEVELS     4
#define HVK_GPT_ADDR_BITS  (12 + 9 * HVK_GPT_LEVELS)   /* 48 */

/*
 * Four levels translate 48 bits of guest-physical address: a frame above
 * would index the tables modulo 2^48 and alias low memory, so every frame
 * a guest names is checked first.  Xen's four-level p2m takes the same
 * frames (and refuses the rest with -EINVAL), whatever MAXPHYADDR says.
 */
static inline bool hvk_gfn_valid(u64 gfn)
{
	return gfn < 1ULL << (HVK_GPT_ADDR_BITS - PAGE_SHIFT);
}

/*
 * The MAXPHYADDR guests are told (CPUID 0x80000008 EAX[7:0]): the host's,
 * at most 48.  RAM, claimed MMIO and the APIC base lie below it: a guest
 * PTE cannot reach above (the hardware checks its own MAXPHYADDR).
 */
unsigned int hvk_guest_phys_bits(void);

static inline bool hvk_gpa_valid(u64 gpa)
{
	return gpa < 1ULL << hvk_guest_phys_bits();
}

int hvk_gpt_init(struct hvk_gpt *gpt, const struct hvk_gpt_format *format);
void hvk_gpt_destroy(struct hvk_gpt *gpt);
/*
 * Tables stay until hvk_gpt_clear() (a vCPU's walk or its paging-structure
 * caches may hold them), so a guest placing pages at ever new addresses
 * would grow them for ever: the owner bounds such maps.  Table pages
 * needed to map [@gpa, @gpa + @size) completely, the root excepted:
 */
unsigned long hvk_gpt_tables_for_range(u64 gpa, u64 size);
void hvk_gpt_set_max_tables(struct hvk_gpt *gpt, unsigned long max);
/*
 * Map one 4 KiB guest frame; replaces an existing leaf.  A @bounded map
 * (a page the guest placed, not RAM of a slot) fails with -ENOMEM rather
 * than take the tables past max_tables; RAM is bounded by its slots.
 * Table pages are allocated before the lock is taken, never under it: the
 * lock is a spinlock, because the MMU notifier (ram.c) takes it where it
 * may not sleep (the OOM reaper), and nothing under it may sleep.
 */
int hvk_gpt_map(struct hvk_gpt *gpt, u64 gpa, phys_addr_t hpa, bool writable, bool bounded);
/*
 * The same, only if @still_valid(@arg), asked under the lock: RAM faulted
 * in from the VMM's page tables is mapped only if no invalidation raced
 * with the look-up (ram.c); -EAGAIN otherwise.
 */
int hvk_gpt_map_if(struct hvk_gpt *gpt, u64 gpa, phys_addr_t hpa, bool writable,
		   bool bounded, bool (*still_valid)(void *arg), void *arg);
/*
 * Map the 2 MiB around @gpa to the 2 MiB around @hpa with one level-1 leaf
 * (RAM only, so unbounded), if @still_valid(@arg) under the lock.  -EEXIST
 * where the format has no 2 MiB leaves or 4 KiB mappings are there already
 * (the caller maps 4 KiB instead), -EAGAIN, -ENOMEM.
 */
#define HVK_GPT_HUGE_SIZE  (1ULL << 21)
int hvk_gpt_map_huge_if(struct hvk_gpt *gpt, u64 gpa, phys_addr_t hpa, bool writable,
			bool (*still_valid)(void *arg), void *arg);
/* Clear one 4 KiB leaf, if present (or the 2 MiB leaf over it); allocates nothing. */
void hvk_gpt_unmap(struct hvk_gpt *gpt, u64 gpa);
/*
 * Clear every leaf in a range, under hvk_gpt_lock(): a 2 MiB leaf it
 * touches goes whole.  The number of 4 KiB pages no longer mapped.
 */
void hvk_gpt_lock(struct hvk_gpt *gpt);
void hvk_gpt_unlock(struct hvk_gpt *gpt);
unsigned long hvk_gpt_unmap_range_locked(struct hvk_gpt *gpt, u64 gpa, u64 size);
/* Drop every mapping (memory regions changed); callers flush the TLBs. */
void hvk_gpt_clear(struct hvk_gpt *gpt);
phys_addr_t hvk_gpt_root_pa(const struct hvk_gpt *gpt);

#endif /* HVK_KMOD_GPT_H */
