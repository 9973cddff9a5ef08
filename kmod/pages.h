/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Module-owned memory accounting.  Every page hvk allocates for itself
 * (VMCBs/VMCSs, nested page tables, run pages, FPU areas) and every guest page
 * it pins is counted, and the counts are reported by HVK_GET_CAPS, so a test
 * can prove that they return to zero when the last VM is gone.
 */
#ifndef HVK_KMOD_PAGES_H
#define HVK_KMOD_PAGES_H

#include <linux/gfp.h>
#include <linux/mm_types.h>

struct page *hvk_pages_alloc(unsigned int order);   /* zeroed */
void hvk_pages_free(struct page *page, unsigned int order);

/* Copy @len bytes at @offset of @page (kernel-held) to or from @buf. */
void hvk_page_copy(struct page *page, unsigned int offset, void *buf, size_t len, bool write);

void hvk_pages_pinned_add(long nr);
u64 hvk_pages_allocated_count(void);
u64 hvk_pages_pinned_count(void);

#endif /* HVK_KMOD_PAGES_H */
