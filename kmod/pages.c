// SPDX-License-Identifier: GPL-2.0
/* Module-owned memory accounting (see pages.h). */
#include <linux/atomic.h>
#include <linux/gfp.h>
#include <linux/highmem.h>
#include <linux/mm.h>

#include "pages.h"

static atomic64_t hvk_pages_allocated = ATOMIC64_INIT(0);
static atomic64_t hvk_pages_pinned = ATOMIC64_INIT(0);

struct page *hvk_pages_alloc(unsigned int order)
{
	struct page *page = alloc_pages(GFP_KERNEL_ACCOUNT | __GFP_ZERO, order);

	if (page)
		atomic64_add(1L << order, &hvk_pages_allocated);
	return page;
}

void hvk_pages_free(struct page *page, unsigned int order)
{
	if (!page)
		return;
	__free_pages(page, order);
	atomic64_sub(1L << order, &hvk_pages_allocated);
}

void hvk_page_copy(struct page *page, unsigned int offset, void *buf, size_t len, bool write)
{
	void *map = kmap_local_page(page);

	if (write)
		memcpy(map + offset, buf, len);
	else
		memcpy(buf, map + offset, len);
	kunmap_local(map);
}

void hvk_pages_pinned_add(long nr)
{
	atomic64_add(nr, &hvk_pages_pinned);
}

u64 hvk_pages_allocated_count(void)
{
	return atomic64_read(&hvk_pages_allocated);
}

u64 hvk_pages_pinned_count(void)
{
	return atomic64_read(&hvk_pages_pinned);
}
