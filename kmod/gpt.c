// SPDX-License-Identifier: GPL-2.0
/* Guest-physical page tables, shared by NPT and EPT (see gpt.h). */
#include <linux/io.h>
#include <linux/minmax.h>
#include <linux/mm.h>
#include <asm/processor.h>

#include "gpt.h"
#include "pages.h"

#define GPT_LEVELS       HVK_GPT_LEVELS
#define GPT_ENTRIES      512
#define GPT_ADDR_MASK    0x000ffffffffff000ULL   /* bits 51:12 */

unsigned int hvk_guest_phys_bits(void)
{
	return min_t(unsigned int, boot_cpu_data.x86_phys_bits, HVK_GPT_ADDR_BITS);
}

static unsigned int gpt_index(u64 gpa, int level)
{
	return (gpa >> (12 + 9 * level)) & (GPT_ENTRIES - 1);
}

static u64 *gpt_table(phys_addr_t pa)
{
	return page_address(pfn_to_page(pa >> PAGE_SHIFT));
}

/* A level-1 entry mapping 2 MiB itself rather than pointing at a table. */
static bool gpt_is_huge(const struct hvk_gpt *gpt, u64 entry, int level)
{
	return level == 1 && gpt->format->huge_flag && (entry & gpt->format->huge_flag);
}

int hvk_gpt_init(struct hvk_gpt *gpt, const struct hvk_gpt_format *format)
{
	gpt->format = format;
	spin_lock_init(&gpt->lock);
	gpt->root = hvk_pages_alloc(0);
	gpt->nr_tables = gpt->root ? 1 : 0;
	gpt->max_tables = 1;
	return gpt->root ? 0 : -ENOMEM;
}

/* One table per 2 MiB, 1 GiB and 512 GiB the range touches. */
unsigned long hvk_gpt_tables_for_range(u64 gpa, u64 size)
{
	unsigned long n = 0;
	int level;

	if (!size)
		return 0;
	for (level = 1; level < GPT_LEVELS; level++) {
		unsigned int shift = 12 + 9 * level;

		n += ((gpa + size - 1) >> shift) - (gpa >> shift) + 1;
	}
	return n;
}

void hvk_gpt_set_max_tables(struct hvk_gpt *gpt, unsigned long max)
{
	spin_lock(&gpt->lock);
	gpt->max_tables = max;
	spin_unlock(&gpt->lock);
}

phys_addr_t hvk_gpt_root_pa(const struct hvk_gpt *gpt)
{
	return page_to_phys(gpt->root);
}

/*
 * Table pages for a walk, allocated before the (spin)lock is taken: the
 * MMU notifier (ram.c) takes the lock to zap entries, also where it may
 * not sleep, and reclaim entered from an allocation made under it could
 * call the notifier on this very VM.
 */
struct gpt_prealloc {
	struct page *pages[GPT_LEVELS - 1];
	unsigned int nr;
};

static int gpt_prealloc_fill(struct gpt_prealloc *pa, unsigned int want)
{
	while (pa->nr < want) {
		pa->pages[pa->nr] = hvk_pages_alloc(0);
		if (!pa->pages[pa->nr])
			return -ENOMEM;
		pa->nr++;
	}
	return 0;
}

static void gpt_prealloc_free(struct gpt_prealloc *pa)
{
	while (pa->nr)
		hvk_pages_free(pa->pages[--pa->nr], 0);
}

/*
 * Under the lock: the entry for @gpa at level @stop (0: a 4 KiB leaf, 1: a
 * 2 MiB one), taking missing tables from @pa (within the bound if
 * @bounded).  NULL with *@missing set to the tables still needed, or with
 * *@missing 0 if the bound forbids them.  Without @pa (a look-up to clear)
 * or with @keep_huge (RAM: another vCPU's fault mapped it 2 MiB meanwhile)
 * a 2 MiB leaf on the way is the entry returned: clearing it unmaps the
 * whole 2 MiB.  Otherwise a 2 MiB leaf where a table must go (a page the
 * guest placed) is dropped; the caller flushes the TLBs, as after any
 * change of its physmap.
 */
static u64 *gpt_walk(struct hvk_gpt *gpt, u64 gpa, struct gpt_prealloc *pa,
		     bool bounded, unsigned int *missing, int stop, bool keep_huge)
{
	u64 *table = page_address(gpt->root);
	int level;

	*missing = 0;
	for (level = GPT_LEVELS - 1; level > stop; level--) {
		u64 *entry = &table[gpt_index(gpa, level)];

		if (gpt_is_huge(gpt, *entry, level)) {
			if (!pa || keep_huge)
				return entry;
			WRITE_ONCE(*entry, 0);
		}
		if (!(*entry & gpt->format->present_mask)) {
			if (!pa)
				return NULL;
			if (bounded && gpt->nr_tables >= gpt->max_tables)
				return NULL;
			if (!pa->nr) {
				*missing = level - stop;
				return NULL;
			}
			gpt->nr_tables++;
			*entry = page_to_phys(pa->pages[--pa->nr]) | gpt->format->table_flags;
		}
		table = gpt_table(*entry & GPT_ADDR_MASK);
	}
	return &table[gpt_index(gpa, stop)];
}

void hvk_gpt_lock(struct hvk_gpt *gpt)
{
	spin_lock(&gpt->lock);
}

void hvk_gpt_unlock(struct hvk_gpt *gpt)
{
	spin_unlock(&gpt->lock);
}

/* A leaf at level @stop (0 or 1); -EEXIST: a 2 MiB one where a table is. */
static int gpt_map(struct hvk_gpt *gpt, u64 gpa, phys_addr_t hpa, bool writable,
		   bool bounded, int stop, bool (*still_valid)(void *arg), void *arg)
{
	const struct hvk_gpt_format *fmt = gpt->format;
	u64 leaf = (hpa & GPT_ADDR_MASK) | (writable ? fmt->leaf_rw_flags : fmt->leaf_ro_flags);
	struct gpt_prealloc pa = { .nr = 0 };
	unsigned int missing = 0;
	u64 *entry;
	int err;

	for (;;) {
		err = gpt_prealloc_fill(&pa, missing);
		if (err)
			break;
		spin_lock(&gpt->lock);
		entry = gpt_walk(gpt, gpa, &pa, bounded, &missing, stop, still_valid != NULL);
		if (entry || !missing)
			break;
		spin_unlock(&gpt->lock);
	}
	if (err)
		goto out;
	if (!entry)
		err = -ENOMEM;          /* past the bound */
	else if (!stop && gpt_is_huge(gpt, *entry, 1))
		/*
		 * The 2 MiB leaf the walk stopped at, mapped by another vCPU's
		 * fault (a 4 KiB leaf never has huge_flag: bit 7 of a PTE is
		 * PAT for NPT and ignored by EPT, and hvk sets neither).
		 */
		err = 0;
	else if (stop && (*entry & fmt->present_mask) && !gpt_is_huge(gpt, *entry, stop))
		err = -EEXIST;          /* 4 KiB mappings there already */
	else if (still_valid && !still_valid(arg))
		err = -EAGAIN;
	else
		/* A single aligned 8-byte store: the walker never sees a torn entry. */
		WRITE_ONCE(*entry, stop ? leaf | fmt->huge_flag : leaf);
	spin_unlock(&gpt->lock);
out:
	gpt_prealloc_free(&pa);
	return err;
}

int hvk_gpt_map_if(struct hvk_gpt *gpt, u64 gpa, phys_addr_t hpa, bool writable,
		   bool bounded, bool (*still_valid)(void *arg), void *arg)
{
	return gpt_map(gpt, gpa, hpa, writable, bounded, 0, still_valid, arg);
}

int hvk_gpt_map_huge_if(struct hvk_gpt *gpt, u64 gpa, phys_addr_t hpa, bool writable,
			bool (*still_valid)(void *arg), void *arg)
{
	if (!gpt->format->huge_flag)
		return -EEXIST;
	return gpt_map(gpt, gpa & ~(HVK_GPT_HUGE_SIZE - 1), hpa & ~(HVK_GPT_HUGE_SIZE - 1),
		       writable, false, 1, still_valid, arg);
}

int hvk_gpt_map(struct hvk_gpt *gpt, u64 gpa, phys_addr_t hpa, bool writable, bool bounded)
{
	return hvk_gpt_map_if(gpt, gpa, hpa, writable, bounded, NULL, NULL);
}

void hvk_gpt_unmap(struct hvk_gpt *gpt, u64 gpa)
{
	unsigned int missing;
	u64 *entry;

	spin_lock(&gpt->lock);
	entry = gpt_walk(gpt, gpa, NULL, false, &missing, 0, false);
	if (entry)
		WRITE_ONCE(*entry, 0);
	spin_unlock(&gpt->lock);
}

/* Clears the leaves of [@gpa, @end) under @table (level @level); counts them. */
static unsigned long gpt_zap_level(struct hvk_gpt *gpt, u64 *table, int level,
				   u64 gpa, u64 end)
{
	unsigned int shift = 12 + 9 * level;
	unsigned long zapped = 0;

	while (gpa < end) {
		u64 next = ((gpa >> shift) + 1) << shift;
		u64 *entry = &table[gpt_index(gpa, level)];

		if (next > end || next == 0)
			next = end;
		if (*entry & gpt->format->present_mask) {
			if (level == 0 || gpt_is_huge(gpt, *entry, level)) {
				/* A 2 MiB leaf goes whole, even if partly in range. */
				zapped += level ? HVK_GPT_HUGE_SIZE >> PAGE_SHIFT : 1;
				WRITE_ONCE(*entry, 0);
			} else {
				zapped += gpt_zap_level(gpt, gpt_table(*entry & GPT_ADDR_MASK),
							level - 1, gpa, next);
			}
		}
		gpa = next;
	}
	return zapped;
}

unsigned long hvk_gpt_unmap_range_locked(struct hvk_gpt *gpt, u64 gpa, u64 size)
{
	lockdep_assert_held(&gpt->lock);
	if (!size)
		return 0;
	return gpt_zap_level(gpt, page_address(gpt->root), GPT_LEVELS - 1, gpa, gpa + size);
}

static void gpt_free_level(struct hvk_gpt *gpt, u64 *table, int level)
{
	int i;

	for (i = 0; i < GPT_ENTRIES; i++) {
		u64 entry = table[i];

		if (!(entry & gpt->format->present_mask))
			continue;
		table[i] = 0;
		if (level == 0 || gpt_is_huge(gpt, entry, level))
			continue;
		gpt_free_level(gpt, gpt_table(entry & GPT_ADDR_MASK), level - 1);
		hvk_pages_free(pfn_to_page((entry & GPT_ADDR_MASK) >> PAGE_SHIFT), 0);
		gpt->nr_tables--;
	}
}

void hvk_gpt_clear(struct hvk_gpt *gpt)
{
	spin_lock(&gpt->lock);
	gpt_free_level(gpt, page_address(gpt->root), GPT_LEVELS - 1);
	spin_unlock(&gpt->lock);
}

void hvk_gpt_destroy(struct hvk_gpt *gpt)
{
	if (!gpt->root)
		return;
	hvk_gpt_clear(gpt);
	hvk_pages_free(gpt->root, 0);
	gpt->root = NULL;
	gpt->nr_tables = 0;
}
