/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Guest RAM from the VMM's memory, the way KVM treats it.
 *
 * A slot's pages are not pinned (unless HVK_MEM_PINNED): a guest access to
 * a page the nested tables do not map faults, and hvk_ram_map_fault() takes
 * whatever page the VMM maps at that address now (faulting it in on the
 * VMM's behalf, writable for a writable slot), maps it and drops its
 * reference.  The MMU notifier on the VMM's mm keeps that safe: before the
 * host unmaps, migrates, swaps, merges or write-protects any of it, the
 * affected entries are zapped and every vCPU's TLB flushed, and only then
 * may the host reuse the page.  A fault that raced with such a change
 * (invalidate_seq moved, or its address lies in a change still in
 * progress) maps nothing and lets the guest fault again.
 *
 * The kernel's own reads and writes of guest RAM (hypercall arguments,
 * page walks, the console) go through the VMM's mapping with the user
 * access functions, on the vCPU's thread; those that cannot sleep (the
 * runstate written while the thread is scheduled out) take only what is
 * resident.  The small Xen areas written from timers and other vCPUs
 * (vcpu_info, the _phys_area runstate and pvclock copies) need a kernel
 * address instead: the page holding one is pinned, once per frame, for as
 * long as an area is registered in it (Xen too keeps a reference while
 * registered), so a guest that moves its areas around pins at most one
 * page per area, and never more than its registrations.
 *
 * Lock order: physmap.lock (a mutex), then the gpt lock, then ram.lock
 * (both spinlocks: the notifier never sleeps, not even for the OOM
 * reaper, which it may not tell to come back, as its pages go once it
 * returns).  No allocation happens under the gpt lock (gpt.c): reclaim
 * may call the notifier, which takes it.
 */
#ifndef HVK_KMOD_RAM_H
#define HVK_KMOD_RAM_H

#include <linux/atomic.h>
#include <linux/mmu_notifier.h>
#include <linux/mutex.h>
#include <linux/spinlock.h>
#include <linux/types.h>
#include <linux/uaccess.h>
#include <linux/xarray.h>

struct hvk_memslot;
struct hvk_vcpu;
struct hvk_vm;
struct page;

struct hvk_ram {
	struct mmu_notifier notifier;
	bool registered;
	spinlock_t lock;                /* the fields below and vm->slots[] stores */
	unsigned long invalidate_seq;   /* bumped as each invalidation ends */
	unsigned long invalidations;    /* in progress */
	unsigned long inv_start;        /* the union of their ranges */
	unsigned long inv_end;
	struct mutex area_lock;         /* area_pins and area_pages */
	struct xarray area_pins;        /* gfn -> its ram_area_pin (ram.c) */
	unsigned long area_pages;       /* entries of area_pins: pages pinned */
	bool late_unpins;               /* some unpinned after a grace period */
	atomic64_t faults;              /* faults that mapped the VMM's pages */
	atomic64_t huge;                /* ... of which mapped 2 MiB at once */
	atomic64_t zaps;                /* 4 KiB pages the notifier unmapped */
};

/* Module load and unload: the worker that unpins area pages late (ram.c). */
int hvk_ram_module_init(void);
void hvk_ram_module_exit(void);

/* On the creating VMM's thread: subscribes to its mm. */
int hvk_ram_init(struct hvk_vm *vm);
/* First in the VM's destruction (no callbacks after), then the pins last. */
void hvk_ram_stop_notifier(struct hvk_vm *vm);
void hvk_ram_destroy(struct hvk_vm *vm);

/* Publishes (or, @slot NULL, withdraws) vm->slots[@id] for the notifier. */
void hvk_ram_set_slot(struct hvk_vm *vm, u32 id, struct hvk_memslot *slot);
/* The slot is going: its area pins go too (none is registered there). */
void hvk_ram_slot_deleted(struct hvk_vm *vm, const struct hvk_memslot *slot);

/*
 * A nested-page fault (a write if @write) on RAM of @slot at @gpa: 1
 * mapped (or raced with an invalidation: the guest faults again), -EFAULT
 * (the VMM maps nothing usable there), -ENOMEM.  @huge_ok: the 2 MiB around @gpa is plain RAM
 * (physmap.c), so it is mapped as one 2 MiB page if the slot covers it and
 * the VMM maps it with one transparent huge page (or hugetlbfs page).
 */
int hvk_ram_map_fault(struct hvk_vcpu *vcpu, struct hvk_memslot *slot, u64 gpa, bool write,
		      bool huge_ok);

/*
 * Copy within one page of @slot's RAM at @gpa; 0 or -EFAULT.  @nofault:
 * the caller cannot sleep; a page that is not resident fails.
 */
int hvk_ram_access(struct hvk_vm *vm, const struct hvk_memslot *slot, u64 gpa,
		   void *buf, size_t len, bool write, bool nofault);
/*
 * The VMM's memory at @uaddr, from one of its threads that may fault; 0
 * or -EFAULT.  @buf is hvk's own, sized by hvk: copy_*_user()'s
 * hardened-usercopy check, which looks for kernel objects overrun by a
 * length user space chose, has nothing to find, and with its out-of-line
 * call chain it cost a multicall entry more than the entry's own work.  A
 * page-table entry, a result, a port: one user access.  Inline: it is
 * the whole of a hypercall's access to its arguments once the address is
 * known (guest_mem.c).
 */
static inline int hvk_ram_user_copy(void __user *uaddr, void *buf, size_t len, bool write)
{
	might_fault();
	switch (len) {
	case sizeof(u32):
		return write ? put_user(*(u32 *)buf, (u32 __user *)uaddr) :
			       get_user(*(u32 *)buf, (u32 __user *)uaddr);
	case sizeof(u64):
		return write ? put_user(*(u64 *)buf, (u64 __user *)uaddr) :
			       get_user(*(u64 *)buf, (u64 __user *)uaddr);
	}
	if (!access_ok(uaddr, len))
		return -EFAULT;
	return (write ? raw_copy_to_user(uaddr, buf, len) :
			raw_copy_from_user(buf, uaddr, len)) ? -EFAULT : 0;
}

/* Zero the page at @gpa (a frame the guest populates again). */
int hvk_ram_clear_page(struct hvk_vm *vm, const struct hvk_memslot *slot, u64 gpa);
/*
 * The page at @gpa for a Xen area registered there, pinned until as many
 * hvk_ram_area_put()s (or its slot going); or NULL.  A pinned slot's page
 * needs no pin of its own.
 */
struct page *hvk_ram_area_get(struct hvk_vm *vm, const struct hvk_memslot *slot, u64 gpa);
/*
 * An area at @gpa is gone.  @writers_may_remain: another thread may still
 * be writing it, inside rcu_read_lock() (guest_area.h): a page this frees
 * is unpinned only after a grace period.
 */
void hvk_ram_area_put(struct hvk_vm *vm, u64 gpa, bool writers_may_remain);

#endif /* HVK_KMOD_RAM_H */
