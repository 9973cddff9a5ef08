// SPDX-License-Identifier: GPL-2.0
/* The guest's changes to its guest-physical map (see physmap.h). */
#include <linux/highmem.h>
#include <linux/io.h>
#include <linux/mm.h>
#include <abi/xen/errno.h>

#include "irq/inject.h"
#include "gpt.h"
#include "memslot.h"
#include "physmap.h"
#include "ram.h"
#include "shared_info.h"
#include "smp.h"
#include "vcpu.h"
#include "vendor.h"
#include "vm.h"

/* The xarray value of a frame whose RAM the guest gave back. */
#define PHYSMAP_RELEASED  xa_mk_value(1)

void hvk_physmap_init(struct hvk_vm *vm)
{
	mutex_init(&vm->physmap.lock);
	xa_init(&vm->physmap.frames);
	atomic_long_set(&vm->physmap.gen, 0);
}

/* Overlay pages belong to their owners (grant_table.c), who free them. */
void hvk_physmap_destroy(struct hvk_vm *vm)
{
	xa_destroy(&vm->physmap.frames);
}

static struct hvk_memslot *physmap_slot(struct hvk_vm *vm, u64 gfn)
{
	return hvk_gfn_valid(gfn) ? hvk_vm_find_slot(vm, gfn << PAGE_SHIFT) : NULL;
}

struct page *hvk_physmap_page(struct hvk_vm *vm, u64 gfn, struct hvk_memslot **slot)
{
	struct page *page = hvk_shared_info_page_at(vm, gfn);
	void *entry;

	*slot = NULL;
	if (page || !hvk_gfn_valid(gfn))
		return page;
	entry = xa_load(&vm->physmap.frames, gfn);
	if (xa_is_value(entry))
		return NULL;                    /* released */
	if (entry)
		return entry;                   /* an overlay */
	*slot = physmap_slot(vm, gfn);
	return NULL;
}

struct hvk_memslot *hvk_physmap_ram_slot(struct hvk_vm *vm, u64 gpa)
{
	struct hvk_memslot *slot;

	hvk_physmap_page(vm, gpa >> PAGE_SHIFT, &slot);
	return slot;
}

/*
 * Under the lock: is the 2 MiB around @gpa plain RAM of the slots, with no
 * overlay, released frame or shared_info in it?  Only then may it be
 * mapped as one 2 MiB page.
 */
static bool physmap_huge_plain(struct hvk_vm *vm, u64 gpa)
{
	unsigned long first = (gpa & ~(HVK_GPT_HUGE_SIZE - 1)) >> PAGE_SHIFT;
	unsigned long last = first + (HVK_GPT_HUGE_SIZE >> PAGE_SHIFT) - 1;
	unsigned long index = first;
	const struct hvk_shared_info *si = &vm->shared_info;

	if (READ_ONCE(si->page) && READ_ONCE(si->gfn) >= first && READ_ONCE(si->gfn) <= last)
		return false;
	return !xa_find(&vm->physmap.frames, &index, last, XA_PRESENT);
}

int hvk_physmap_map_fault(struct hvk_vcpu *vcpu, u64 gpa, bool write)
{
	struct hvk_vm *vm = vcpu->vm;
	struct hvk_memslot *slot;
	struct page *page;
	int ret = 0;

	mutex_lock(&vm->physmap.lock);
	page = hvk_physmap_page(vm, gpa >> PAGE_SHIFT, &slot);
	if (page)               /* a page the guest placed: bounded */
		ret = hvk_gpt_map(&vm->gpt, gpa & PAGE_MASK, page_to_phys(page), true, true) ?
		      -ENOMEM : 1;
	else if (slot && !(write && (slot->flags & HVK_MEM_READONLY)))
		ret = hvk_ram_map_fault(vcpu, slot, gpa, write, physmap_huge_plain(vm, gpa));
	/* else a hole, released RAM, or a ROM write: the VMM's to handle */
	mutex_unlock(&vm->physmap.lock);
	return ret;
}

/*
 * A frame's mapping changed: it leaves the nested tables now; the vCPUs'
 * TLBs are flushed by hvk_physmap_flush() once the caller's batch is done.
 */
static void physmap_unmap_frame(struct hvk_vm *vm, u64 gfn)
{
	hvk_gpt_unmap(&vm->gpt, gfn << PAGE_SHIFT);
	WRITE_ONCE(vm->physmap.flush_pending, true);
	hvk_physmap_changed(vm);
}

/* Atomic: the shared_info page moves under another lock (shared_info.c). */
void hvk_physmap_changed(struct hvk_vm *vm)
{
	atomic_long_inc(&vm->physmap.gen);
}

/*
 * Every vCPU flushes before its next entry, and the running ones are
 * kicked out, so none keeps using an old page from its TLB longer than it
 * takes to exit.
 */
void hvk_physmap_flush(struct hvk_vm *vm)
{
	unsigned int i;

	if (!xchg(&vm->physmap.flush_pending, false))
		return;
	spin_lock(&vm->power_lock);
	for (i = 0; i < HVK_MAX_VCPUS; i++)
		if (vm->vcpus[i]) {
			hvk_ops->flush_gpt(vm->vcpus[i]);
			hvk_vcpu_kick_event(vm->vcpus[i]);
		}
	spin_unlock(&vm->power_lock);
}

/* Under the lock: @gfn shows @entry (a page, released, or NULL = the slots). */
static int physmap_store(struct hvk_vm *vm, u64 gfn, void *entry)
{
	int err = xa_err(xa_store(&vm->physmap.frames, gfn, entry, GFP_KERNEL_ACCOUNT));

	if (err)
		return -XEN_ENOMEM;
	physmap_unmap_frame(vm, gfn);
	return 0;
}

/*
 * The shared_info page keeps its own frame (shared_info.c): hvk cannot
 * take it out of the guest's view, so operations on that frame fail.
 */
static bool physmap_is_shared_info(struct hvk_vm *vm, u64 gfn)
{
	return hvk_shared_info_page_at(vm, gfn) != NULL;
}

int hvk_physmap_set_overlay(struct hvk_vm *vm, u64 gfn, struct page *page)
{
	int err;

	if (!hvk_gfn_valid(gfn))
		return -XEN_EINVAL;
	mutex_lock(&vm->physmap.lock);
	err = physmap_store(vm, gfn, page);
	mutex_unlock(&vm->physmap.lock);
	return err;
}

/* What is left at @gfn when its overlay or RAM goes: released RAM, or a hole. */
static void *physmap_emptied(struct hvk_vm *vm, u64 gfn)
{
	return physmap_slot(vm, gfn) ? PHYSMAP_RELEASED : NULL;
}

int hvk_physmap_remove(struct hvk_vm *vm, u64 gfn)
{
	void *entry;
	int err;

	if (!hvk_gfn_valid(gfn))
		return -XEN_ENOENT;
	mutex_lock(&vm->physmap.lock);
	entry = xa_load(&vm->physmap.frames, gfn);
	if (physmap_is_shared_info(vm, gfn))
		err = -XEN_EBUSY;
	else if (xa_is_value(entry) || (!entry && !physmap_slot(vm, gfn)))
		err = -XEN_ENOENT;              /* nothing there */
	else
		err = physmap_store(vm, gfn, physmap_emptied(vm, gfn));
	mutex_unlock(&vm->physmap.lock);
	return err;
}

void hvk_physmap_remove_overlay(struct hvk_vm *vm, u64 gfn, struct page *page)
{
	mutex_lock(&vm->physmap.lock);
	if (xa_load(&vm->physmap.frames, gfn) == page)
		physmap_store(vm, gfn, physmap_emptied(vm, gfn));
	mutex_unlock(&vm->physmap.lock);
}

int hvk_physmap_populate(struct hvk_vm *vm, u64 gfn)
{
	struct hvk_memslot *slot = physmap_slot(vm, gfn);
	void *entry;
	int err;

	mutex_lock(&vm->physmap.lock);
	entry = xa_load(&vm->physmap.frames, gfn);
	/* Only RAM the guest gave back can come back: no memory beyond it. */
	if (!slot || !entry || (slot->flags & HVK_MEM_READONLY) ||
	    physmap_is_shared_info(vm, gfn)) {
		err = -XEN_ENOMEM;
		goto out;
	}
	/* A fresh page, as Xen's allocator gives: the old contents are gone. */
	if (hvk_ram_clear_page(vm, slot, gfn << PAGE_SHIFT)) {
		err = -XEN_EFAULT;
		goto out;
	}
	err = physmap_store(vm, gfn, NULL);
out:
	mutex_unlock(&vm->physmap.lock);
	return err;
}

void hvk_physmap_forget_range(struct hvk_vm *vm, u64 gpa, u64 size)
{
	unsigned long gfn;
	void *entry;

	mutex_lock(&vm->physmap.lock);
	xa_for_each_range(&vm->physmap.frames, gfn, entry, gpa >> PAGE_SHIFT,
			  ((gpa + size) >> PAGE_SHIFT) - 1)
		if (xa_is_value(entry))
			xa_erase(&vm->physmap.frames, gfn);
	hvk_physmap_changed(vm);
	mutex_unlock(&vm->physmap.lock);
}
