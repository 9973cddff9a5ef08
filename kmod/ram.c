// SPDX-License-Identifier: GPL-2.0
/* Guest RAM from the VMM's memory, kept coherent with it (see ram.h). */
#include <linux/highmem.h>
#include <linux/io.h>
#include <linux/mm.h>
#include <linux/pgtable.h>
#include <linux/sched/mm.h>
#include <linux/slab.h>
#include <linux/smp.h>
#include <linux/uaccess.h>
#include <linux/workqueue.h>

#include "memslot.h"
#include "pages.h"
#include "ram.h"
#include "trace.h"
#include "vcpu.h"
#include "vendor.h"
#include "vm.h"

static struct hvk_vm *ram_to_vm(struct hvk_ram *ram)
{
	return container_of(ram, struct hvk_vm, ram);
}

/* ---- keeping every vCPU's view coherent ---- */

static void ram_ipi_done(void *unused)
{
}

/*
 * Every vCPU drops its cached translations before the notifier returns:
 * each is told to flush at its next entry, and those in guest mode now
 * are interrupted, the call waiting until they have left it.  Pairs with
 * hvk_vcpu_enter_guest_mode(): a vCPU either sees the flush request after
 * it set in_guest, or is seen in guest mode here.
 */
static void ram_flush_vcpus(struct hvk_vm *vm)
{
	unsigned int i;

	for (i = 0; i < HVK_MAX_VCPUS; i++) {
		struct hvk_vcpu *vcpu = READ_ONCE(vm->vcpus[i]);

		if (vcpu)
			hvk_ops->flush_gpt(vcpu);
	}
	smp_mb();
	for (i = 0; i < HVK_MAX_VCPUS; i++) {
		struct hvk_vcpu *vcpu = READ_ONCE(vm->vcpus[i]);

		/* In guest mode its thread cannot move: cpu is where it runs. */
		if (vcpu && READ_ONCE(vcpu->in_guest))
			smp_call_function_single(READ_ONCE(vcpu->cpu), ram_ipi_done, NULL, 1);
	}
}

/* ---- the MMU notifier ---- */

/*
 * Zaps what [@start, @end) of the VMM's memory backs in the slots that
 * follow the VMM's mapping (a pinned slot keeps its pages), counting an
 * invalidation in progress if @begin.  Then, if the range backs guest RAM
 * at all, flushes every vCPU, even when nothing was mapped: an entry
 * cleared just before by another invalidation, or by the guest's own
 * physmap changes (flushed without waiting), may still be in a TLB.
 */
static void ram_invalidate(struct hvk_vm *vm, unsigned long start, unsigned long end,
			   bool begin)
{
	struct hvk_ram *ram = &vm->ram;
	unsigned long zapped = 0;
	bool backs_ram = false;
	unsigned int i;

	hvk_gpt_lock(&vm->gpt);
	spin_lock(&ram->lock);
	if (begin && !ram->invalidations++) {
		ram->inv_start = start;
		ram->inv_end = end;
	} else if (begin) {
		ram->inv_start = min(ram->inv_start, start);
		ram->inv_end = max(ram->inv_end, end);
	}
	for (i = 0; i < HVK_MAX_MEM_SLOTS; i++) {
		const struct hvk_memslot *slot = vm->slots[i];
		unsigned long from, to;

		if (!slot || slot->pages)
			continue;
		from = max_t(unsigned long, start, slot->user_addr);
		to = min_t(unsigned long, end, slot->user_addr + slot->size);
		if (from >= to)
			continue;
		backs_ram = true;
		zapped += hvk_gpt_unmap_range_locked(&vm->gpt, slot->gpa + (from - slot->user_addr),
						     to - from);
	}
	spin_unlock(&ram->lock);
	hvk_gpt_unlock(&vm->gpt);
	if (!backs_ram)
		return;
	ram_flush_vcpus(vm);
	if (zapped) {
		atomic64_add(zapped, &ram->zaps);
		trace_hvk_ram_zap(vm->id, start, end, zapped);
	}
}

/*
 * Never -EAGAIN, even where the caller may not block (the OOM reaper
 * freeing a killed VMM's memory): 6.1 warns of a notifier with an
 * invalidate_range_end that fails, and the pages go once this returns.
 * Nothing here sleeps: the tables' lock is a spinlock and the vCPUs are
 * waited for with IPIs, as KVM does.
 */
static int ram_invalidate_start(struct mmu_notifier *mn, const struct mmu_notifier_range *range)
{
	struct hvk_ram *ram = container_of(mn, struct hvk_ram, notifier);

	ram_invalidate(ram_to_vm(ram), range->start, range->end, true);
	return 0;
}

static void ram_invalidate_end(struct mmu_notifier *mn, const struct mmu_notifier_range *range)
{
	struct hvk_ram *ram = container_of(mn, struct hvk_ram, notifier);

	spin_lock(&ram->lock);
	ram->invalidate_seq++;
	if (!WARN_ON_ONCE(!ram->invalidations))
		ram->invalidations--;
	spin_unlock(&ram->lock);
}

/* The VMM's mm is going (its last thread exited): nothing of it stays mapped. */
static void ram_release(struct mmu_notifier *mn, struct mm_struct *mm)
{
	struct hvk_ram *ram = container_of(mn, struct hvk_ram, notifier);

	spin_lock(&ram->lock);
	ram->invalidate_seq++;
	spin_unlock(&ram->lock);
	ram_invalidate(ram_to_vm(ram), 0, ULONG_MAX, false);
}

static const struct mmu_notifier_ops ram_notifier_ops = {
	.invalidate_range_start = ram_invalidate_start,
	.invalidate_range_end = ram_invalidate_end,
	.release = ram_release,
};

int hvk_ram_init(struct hvk_vm *vm)
{
	struct hvk_ram *ram = &vm->ram;
	int err;

	spin_lock_init(&ram->lock);
	mutex_init(&ram->area_lock);
	xa_init(&ram->area_pins);
	ram->area_pages = 0;
	ram->late_unpins = false;
	atomic64_set(&ram->faults, 0);
	atomic64_set(&ram->huge, 0);
	atomic64_set(&ram->zaps, 0);
	ram->notifier.ops = &ram_notifier_ops;
	err = mmu_notifier_register(&ram->notifier, current->mm);
	ram->registered = !err;
	return err;
}

void hvk_ram_stop_notifier(struct hvk_vm *vm)
{
	if (vm->ram.registered)
		mmu_notifier_unregister(&vm->ram.notifier, vm->mm);
	vm->ram.registered = false;
}

/*
 * A frame pinned for the Xen areas registered in it.  One given back
 * while another vCPU's thread may still be writing an area in it is
 * unpinned after an RCU grace period (guest_area.h), by a worker, as
 * unpinning a dirty page may sleep: waiting for the grace period in the
 * hypercall doubled the hostile-guest fuzzer's time.
 */
struct ram_area_pin {
	struct page *page;
	unsigned int areas;             /* registrations holding it */
	struct rcu_work late;           /* that late unpin */
};

static struct workqueue_struct *ram_area_wq;

static void ram_area_unpin_now(struct ram_area_pin *pin)
{
	unpin_user_pages_dirty_lock(&pin->page, 1, true);
	hvk_pages_pinned_add(-1);
	kfree(pin);
}

static void ram_area_late_unpin_fn(struct work_struct *work)
{
	ram_area_unpin_now(container_of(to_rcu_work(work), struct ram_area_pin, late));
}

/*
 * Under area_lock, its entry erased: the page back to the VMM, now or,
 * if @writers_may_remain, once they cannot be writing it any more.
 */
static void ram_area_unpin(struct hvk_vm *vm, struct ram_area_pin *pin,
			   bool writers_may_remain)
{
	WRITE_ONCE(vm->ram.area_pages, vm->ram.area_pages - 1);
	if (!writers_may_remain) {
		ram_area_unpin_now(pin);
		return;
	}
	INIT_RCU_WORK(&pin->late, ram_area_late_unpin_fn);
	vm->ram.late_unpins = true;
	queue_rcu_work(ram_area_wq, &pin->late);
}

int hvk_ram_module_init(void)
{
	ram_area_wq = alloc_workqueue("hvk_area_unpin", 0, 0);
	return ram_area_wq ? 0 : -ENOMEM;
}

void hvk_ram_module_exit(void)
{
	destroy_workqueue(ram_area_wq);
}

/* Every pin in the range, whatever still holds it (the slot or the VM goes). */
static void ram_unpin_areas(struct hvk_vm *vm, u64 gpa, u64 size)
{
	struct ram_area_pin *pin;
	unsigned long gfn;

	mutex_lock(&vm->ram.area_lock);
	xa_for_each_range(&vm->ram.area_pins, gfn, pin, gpa >> PAGE_SHIFT,
			  ((gpa + size) >> PAGE_SHIFT) - 1) {
		xa_erase(&vm->ram.area_pins, gfn);
		ram_area_unpin(vm, pin, false);
	}
	mutex_unlock(&vm->ram.area_lock);
}

void hvk_ram_destroy(struct hvk_vm *vm)
{
	ram_unpin_areas(vm, 0, 1ULL << HVK_GPT_ADDR_BITS);
	xa_destroy(&vm->ram.area_pins);
	/* Its late unpins done too: the module's counters are exact once it is gone. */
	if (vm->ram.late_unpins) {
		rcu_barrier();
		flush_workqueue(ram_area_wq);
	}
}

void hvk_ram_set_slot(struct hvk_vm *vm, u32 id, struct hvk_memslot *slot)
{
	spin_lock(&vm->ram.lock);
	vm->slots[id] = slot;
	spin_unlock(&vm->ram.lock);
}

void hvk_ram_slot_deleted(struct hvk_vm *vm, const struct hvk_memslot *slot)
{
	ram_unpin_areas(vm, slot->gpa, slot->size);
}

/* ---- faults ---- */

struct ram_fault {
	struct hvk_ram *ram;
	unsigned long hva;
	unsigned long seq;
};

/* Under the gpt lock: did an invalidation touch the page since the look-up? */
static bool ram_fault_still_valid(void *arg)
{
	struct ram_fault *f = arg;
	struct hvk_ram *ram = f->ram;
	bool valid;

	spin_lock(&ram->lock);
	valid = ram->invalidate_seq == f->seq &&
		!(ram->invalidations && f->hva >= ram->inv_start && f->hva < ram->inv_end);
	spin_unlock(&ram->lock);
	return valid;
}

/*
 * Does the VMM map the 2 MiB around @hva with one entry (a transparent
 * huge page or a hugetlbfs page)?  Read without locks, as KVM does:
 * interrupts off keep the tables from being freed under the walk (x86
 * frees page tables only after an IPI or an RCU grace period), and the
 * invalidation check under the gpt lock catches any change since.
 */
static bool ram_host_maps_2m(struct mm_struct *mm, unsigned long hva)
{
	unsigned long flags;
	bool huge = false;
	pgd_t pgd;
	p4d_t p4d;
	pud_t pud;
	pmd_t pmd;

	local_irq_save(flags);
	pgd = READ_ONCE(*pgd_offset(mm, hva));
	if (!pgd_present(pgd))
		goto out;
	p4d = READ_ONCE(*p4d_offset(&pgd, hva));
	if (!p4d_present(p4d))
		goto out;
	pud = READ_ONCE(*pud_offset(&p4d, hva));
	if (!pud_present(pud))
		goto out;
	if (pud_large(pud)) {
		huge = true;            /* a 1 GiB page covers the 2 MiB */
		goto out;
	}
	pmd = READ_ONCE(*pmd_offset(&pud, hva));
	huge = pmd_present(pmd) && pmd_large(pmd);
out:
	local_irq_restore(flags);
	return huge;
}

/* The 2 MiB around @gpa lies in @slot, at the same offset in a 2 MiB of the VMM's. */
static bool ram_slot_fits_2m(const struct hvk_memslot *slot, u64 gpa)
{
	u64 base = gpa & ~(HVK_GPT_HUGE_SIZE - 1);

	return base >= slot->gpa && base + HVK_GPT_HUGE_SIZE <= slot->gpa + slot->size &&
	       !((slot->user_addr - slot->gpa) & (HVK_GPT_HUGE_SIZE - 1));
}

int hvk_ram_map_fault(struct hvk_vcpu *vcpu, struct hvk_memslot *slot, u64 gpa, bool write,
		      bool huge_ok)
{
	struct hvk_vm *vm = vcpu->vm;
	bool writable = !(slot->flags & HVK_MEM_READONLY), huge = false;
	struct ram_fault f = { .ram = &vm->ram };
	struct page *page;
	phys_addr_t base;
	int got, err = -EEXIST;

	/* The fault's address has its byte offset: the page's, from here on. */
	gpa &= PAGE_MASK;
	f.hva = hvk_memslot_hva(slot, gpa);
	page = hvk_memslot_page(slot, gpa);
	if (page)               /* HVK_MEM_PINNED */
		return hvk_gpt_map(&vm->gpt, gpa, page_to_phys(page), writable, false) ?
		       -ENOMEM : 1;
	if (current->mm != vm->mm)
		return -EFAULT;
	f.seq = READ_ONCE(vm->ram.invalidate_seq);
	smp_rmb();              /* the sequence before the page tables */
	/*
	 * A writable slot is faulted in for writing at once (breaking COW,
	 * allocating a private page): the nested entry is then writable and
	 * the host's PTE dirty, so the page is written back if reclaimed.
	 */
	got = get_user_pages_fast(f.hva, 1, writable ? FOLL_WRITE : 0, &page);
	/*
	 * A read where the VMM maps the page read-only (a VMM tracking its
	 * dirty pages with mprotect): mapped read-only; a write faults again
	 * and ends the run if the VMM still does not let it write.
	 */
	if (got != 1 && writable && !write && !fatal_signal_pending(current)) {
		writable = false;
		got = get_user_pages_fast(f.hva, 1, 0, &page);
	}
	if (got != 1) {
		/* A fatal signal interrupted it: the run loop returns -EINTR. */
		if (fatal_signal_pending(current))
			return 1;
		return -EFAULT;
	}
	/* One 2 MiB page of the VMM's backs the whole 2 MiB: one entry for it. */
	base = page_to_phys(page) - (f.hva & (HVK_GPT_HUGE_SIZE - 1));
	if (huge_ok && ram_slot_fits_2m(slot, gpa) && !(base & (HVK_GPT_HUGE_SIZE - 1)) &&
	    ram_host_maps_2m(vm->mm, f.hva)) {
		err = hvk_gpt_map_huge_if(&vm->gpt, gpa, base, writable,
					  ram_fault_still_valid, &f);
		huge = !err;
	}
	if (err == -EEXIST)
		err = hvk_gpt_map_if(&vm->gpt, gpa, page_to_phys(page), writable, false,
				     ram_fault_still_valid, &f);
	if (!err && writable)
		set_page_dirty_lock(page);
	put_page(page);
	if (err == -EAGAIN)
		return 1;       /* raced with an invalidation: fault again */
	if (err)
		return err;
	atomic64_inc(&vm->ram.faults);
	if (huge)
		atomic64_inc(&vm->ram.huge);
	trace_hvk_ram_fault(vm->id, vcpu->id, gpa, f.hva, writable, huge);
	return 1;
}

/* ---- the kernel's own accesses ---- */

int hvk_ram_access(struct hvk_vm *vm, const struct hvk_memslot *slot, u64 gpa,
		   void *buf, size_t len, bool write, bool nofault)
{
	void __user *uaddr = (void __user *)hvk_memslot_hva(slot, gpa);
	struct page *page = hvk_memslot_page(slot, gpa);

	if (page) {             /* HVK_MEM_PINNED */
		hvk_page_copy(page, offset_in_page(gpa), buf, len, write);
		return 0;
	}
	/* Only the VMM's own threads reach its memory (HVK_RUN checks). */
	if (current->mm != vm->mm)
		return -EFAULT;
	if (nofault || !in_task())
		return (write ? copy_to_user_nofault(uaddr, buf, len) :
				copy_from_user_nofault(buf, uaddr, len)) ? -EFAULT : 0;
	return hvk_ram_user_copy(uaddr, buf, len, write);
}

int hvk_ram_clear_page(struct hvk_vm *vm, const struct hvk_memslot *slot, u64 gpa)
{
	struct page *page = hvk_memslot_page(slot, gpa);

	if (page) {
		clear_highpage(page);
		return 0;
	}
	if (current->mm != vm->mm || !in_task())
		return -EFAULT;
	return clear_user((void __user *)hvk_memslot_hva(slot, gpa & PAGE_MASK), PAGE_SIZE) ?
	       -EFAULT : 0;
}

struct page *hvk_ram_area_get(struct hvk_vm *vm, const struct hvk_memslot *slot, u64 gpa)
{
	unsigned long gfn = gpa >> PAGE_SHIFT;
	struct page *page = hvk_memslot_page(slot, gpa);
	struct ram_area_pin *pin;

	if (page)
		return page;
	if (current->mm != vm->mm || !in_task())
		return NULL;
	mutex_lock(&vm->ram.area_lock);
	pin = xa_load(&vm->ram.area_pins, gfn);
	if (pin) {
		pin->areas++;
		page = pin->page;
		goto out;
	}
	pin = kzalloc(sizeof(*pin), GFP_KERNEL_ACCOUNT);
	if (!pin)
		goto out;
	if (pin_user_pages_fast(hvk_memslot_hva(slot, gpa & PAGE_MASK), 1,
				FOLL_WRITE | FOLL_LONGTERM, &pin->page) != 1) {
		kfree(pin);
		goto out;
	}
	if (xa_is_err(xa_store(&vm->ram.area_pins, gfn, pin, GFP_KERNEL_ACCOUNT))) {
		unpin_user_page(pin->page);
		kfree(pin);
		goto out;
	}
	pin->areas = 1;
	page = pin->page;
	WRITE_ONCE(vm->ram.area_pages, vm->ram.area_pages + 1);
	hvk_pages_pinned_add(1);
out:
	mutex_unlock(&vm->ram.area_lock);
	return page;
}

void hvk_ram_area_put(struct hvk_vm *vm, u64 gpa, bool writers_may_remain)
{
	unsigned long gfn = gpa >> PAGE_SHIFT;
	struct ram_area_pin *pin;

	mutex_lock(&vm->ram.area_lock);
	pin = xa_load(&vm->ram.area_pins, gfn);
	/* None: a pinned slot's page, or its slot went first. */
	if (pin && !--pin->areas) {
		xa_erase(&vm->ram.area_pins, gfn);
		ram_area_unpin(vm, pin, writers_may_remain);
	}
	mutex_unlock(&vm->ram.area_lock);
}
