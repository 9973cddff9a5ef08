// SPDX-License-Identifier: GPL-2.0
/* Memory slots: guest RAM backed by the VMM's memory (see memslot.h). */
#include <linux/mm.h>
#include <linux/sched/mm.h>
#include <linux/slab.h>
#include <linux/vmalloc.h>

#include "gpt.h"
#include "memslot.h"
#include "pages.h"

int hvk_memslot_check(const struct hvk_memory_region *r)
{
	if (r->slot >= HVK_MAX_MEM_SLOTS)
		return -EINVAL;
	if (r->flags & ~(HVK_MEM_READONLY | HVK_MEM_PINNED))
		return -EINVAL;
	if (r->reserved[0] || r->reserved[1])
		return -EINVAL;
	if (!PAGE_ALIGNED(r->guest_phys) || !PAGE_ALIGNED(r->size) ||
	    !PAGE_ALIGNED(r->user_addr))
		return -EINVAL;
	if (r->size == 0)
		return 0;               /* deletion */
	if (!hvk_gpa_valid(r->guest_phys) ||
	    r->size > (1ULL << hvk_guest_phys_bits()) - r->guest_phys)
		return -EINVAL;
	if (r->user_addr + r->size < r->user_addr ||
	    r->user_addr + r->size > TASK_SIZE_MAX)
		return -EINVAL;
	return 0;
}

static int memslot_pin(struct mm_struct *mm, struct hvk_memslot *slot)
{
	/* A read-only slot may be backed by a PROT_READ mapping (a ROM). */
	unsigned int gup = FOLL_LONGTERM |
		(slot->flags & HVK_MEM_READONLY ? 0 : FOLL_WRITE);
	unsigned long done = 0;
	int err;

	while (done < slot->nr_pages) {
		int got = pin_user_pages_fast(slot->user_addr + done * PAGE_SIZE,
					      slot->nr_pages - done, gup,
					      slot->pages + done);
		if (got <= 0) {
			err = got ? got : -EFAULT;
			goto unpin;
		}
		done += got;
	}
	hvk_pages_pinned_add(done);
	return 0;
unpin:
	unpin_user_pages(slot->pages, done);
	return err;
}

/*
 * Before anything is allocated for it, the range must be mapped in @mm
 * end to end, by mappings of memory: a PFN or I/O map (the run page, a
 * device's registers) is no RAM and cannot be pinned.  Checked again,
 * page by page, by the pin itself (the VMM may change its map meanwhile).
 */
static int memslot_check_backing(struct mm_struct *mm, u64 start, u64 size)
{
	u64 addr = start, end = start + size;
	struct vm_area_struct *vma;
	int err = 0;

	if (mmap_read_lock_killable(mm))
		return -EINTR;
	while (addr < end) {
		vma = find_vma(mm, addr);
		if (!vma || vma->vm_start > addr || (vma->vm_flags & (VM_IO | VM_PFNMAP))) {
			err = -EFAULT;
			break;
		}
		addr = vma->vm_end;
	}
	mmap_read_unlock(mm);
	return err;
}

/* HVK_MEM_PINNED: every page pinned now, within RLIMIT_MEMLOCK. */
static int memslot_pin_all(struct mm_struct *mm, struct hvk_memslot *slot)
{
	int err;

	err = account_locked_vm(mm, slot->nr_pages, true);
	if (err)
		return err;
	slot->pages = kvcalloc(slot->nr_pages, sizeof(*slot->pages), GFP_KERNEL_ACCOUNT);
	if (!slot->pages) {
		err = -ENOMEM;
		goto unaccount;
	}
	err = memslot_pin(mm, slot);
	if (!err)
		return 0;
	kvfree(slot->pages);
	slot->pages = NULL;
unaccount:
	account_locked_vm(mm, slot->nr_pages, false);
	return err;
}

struct hvk_memslot *hvk_memslot_create(struct mm_struct *mm,
				       const struct hvk_memory_region *r)
{
	struct hvk_memslot *slot;
	int err;

	err = memslot_check_backing(mm, r->user_addr, r->size);
	if (err)
		return ERR_PTR(err);
	/*
	 * No larger than the host's RAM, pinned or not: hvk sizes nothing by
	 * it, but a guest that large could not run without swapping all of it.
	 */
	if ((r->size >> PAGE_SHIFT) > totalram_pages())
		return ERR_PTR(-ENOMEM);
	slot = kzalloc(sizeof(*slot), GFP_KERNEL_ACCOUNT);
	if (!slot)
		return ERR_PTR(-ENOMEM);
	slot->id = r->slot;
	slot->flags = r->flags;
	slot->gpa = r->guest_phys;
	slot->size = r->size;
	slot->user_addr = r->user_addr;
	slot->nr_pages = r->size >> PAGE_SHIFT;
	if (r->flags & HVK_MEM_PINNED) {
		err = memslot_pin_all(mm, slot);
		if (err) {
			kfree(slot);
			return ERR_PTR(err);
		}
	}
	return slot;
}

void hvk_memslot_destroy(struct mm_struct *mm, struct hvk_memslot *slot)
{
	if (slot->pages) {
		/*
		 * The guest may have written any page of a writable slot:
		 * those are released dirty.  A read-only slot's pages were
		 * never writable (a PROT_READ mapping of a file the user may
		 * only read): marking them dirty would have the kernel write
		 * back a file nobody wrote.
		 */
		unpin_user_pages_dirty_lock(slot->pages, slot->nr_pages,
					    !(slot->flags & HVK_MEM_READONLY));
		account_locked_vm(mm, slot->nr_pages, false);
		hvk_pages_pinned_add(-(long)slot->nr_pages);
		kvfree(slot->pages);
	}
	kfree(slot);
}

bool hvk_memslot_overlaps(const struct hvk_memslot *slot, u64 gpa, u64 size)
{
	return gpa < slot->gpa + slot->size && slot->gpa < gpa + size;
}
