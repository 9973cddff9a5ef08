// SPDX-License-Identifier: GPL-2.0
/*
 * multicall(entries, count): a batch of hypercalls for the price of one
 * exit.  Entries are read in the caller's layout: 64 bytes from a 64-bit
 * caller, 32 bytes from a 32-bit caller (Xen's compat layout).  Each
 * entry's result is written back to it in order.
 *
 * An entry that must be continued (a console write that filled the run
 * page) writes its updated arguments into its own entry, and the multicall
 * is continued from that entry, so no entry runs twice.  Long batches are
 * continued every MULTICALL_PREEMPT_BATCH entries when the host wants the
 * CPU or a signal is pending, and after an entry that left the vCPU
 * waiting (SCHEDOP_block, poll).
 *
 * The batch is read where the VMM maps it: its guest page is translated
 * once and held (hvk_gva_page) while no entry flushes a translation or
 * changes a frame, and an entry's result and the next entry go through
 * one user access.  Anything else (paging off, an entry across two pages,
 * memory that is no plain RAM, a fault) takes the long way through
 * hvk_copy_*_guest(), which reports the fault.
 */
#include <linux/mm.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>
#include <linux/uaccess.h>
#include <abi/xen/errno.h>
#include <abi/xen/multicall.h>

#include "guest_mem.h"
#include "hypercall.h"
#include "physmap.h"
#include "vcpu.h"
#include "vm.h"

#define MULTICALL_PREEMPT_BATCH 64

/* An entry as the caller laid it out. */
union mc_entry {
	struct xen_multicall_entry64 e64;
	struct xen_multicall_entry32 e32;
};

static size_t mc_entry_size(const struct hvk_hcall *hc)
{
	return hc->long_mode ? sizeof(struct xen_multicall_entry64)
			     : sizeof(struct xen_multicall_entry32);
}

/*
 * The common case: an entry on the guest page the batch holds
 * (hvk_gva_page), read with user accessors from the VMM's mapping of it,
 * the op and the five arguments a hypercall takes, rather than a look-up
 * in the hypercall's cache and a copy of the whole entry for each.
 * Reading each entry just before running it keeps Xen's order: an earlier
 * entry may have rewritten a later one.  With @put_prev, the entry before
 * it (on the same page) gets its result first, in the same user access:
 * one access_ok() and one SMAP window an entry, not two.
 */
static __always_inline int mc_read_user(const struct hvk_hcall *hc, void __user *u,
					bool put_prev, long prev_result,
					struct hvk_hcall *sub)
{
	BUILD_BUG_ON(XEN_HC_MAX_ARGS != 5);
	/* Straight-line: a loop here costs more than the loads. */
	if (hc->long_mode) {
		struct xen_multicall_entry64 __user *ue = u;

		if (!user_access_begin(ue - put_prev, (1 + put_prev) * sizeof(*ue)))
			return -XEN_EFAULT;
		if (put_prev)
			unsafe_put_user((u64)prev_result, &ue[-1].result, efault);
		unsafe_get_user(sub->nr, &ue->op, efault);
		unsafe_get_user(sub->arg[0], &ue->args[0], efault);
		unsafe_get_user(sub->arg[1], &ue->args[1], efault);
		unsafe_get_user(sub->arg[2], &ue->args[2], efault);
		unsafe_get_user(sub->arg[3], &ue->args[3], efault);
		unsafe_get_user(sub->arg[4], &ue->args[4], efault);
	} else {
		struct xen_multicall_entry32 __user *ue = u;
		u32 v;

		if (!user_access_begin(ue - put_prev, (1 + put_prev) * sizeof(*ue)))
			return -XEN_EFAULT;
		if (put_prev)
			unsafe_put_user((u32)prev_result, &ue[-1].result, efault);
		unsafe_get_user(v, &ue->op, efault);
		sub->nr = v;
		unsafe_get_user(v, &ue->args[0], efault);
		sub->arg[0] = v;
		unsafe_get_user(v, &ue->args[1], efault);
		sub->arg[1] = v;
		unsafe_get_user(v, &ue->args[2], efault);
		sub->arg[2] = v;
		unsafe_get_user(v, &ue->args[3], efault);
		sub->arg[3] = v;
		unsafe_get_user(v, &ue->args[4], efault);
		sub->arg[4] = v;
	}
	user_access_end();
	return 0;
efault:
	user_access_end();
	return -XEN_EFAULT;
}

static unsigned long mc_physmap_gen(const struct hvk_hcall *hc)
{
	return hvk_physmap_gen(&hc->vcpu->vm->physmap);
}

/* The long way: the whole entry copied in the caller's layout. */
static int mc_read_copy(struct hvk_hcall *hc, u64 gva, struct hvk_hcall *sub)
{
	union mc_entry e;
	int i;

	if (hvk_copy_from_guest(hc->vcpu, &e, gva, mc_entry_size(hc)))
		return -XEN_EFAULT;
	if (hc->long_mode) {
		sub->nr = e.e64.op;
		for (i = 0; i < XEN_HC_MAX_ARGS; i++)
			sub->arg[i] = e.e64.args[i];
	} else {
		sub->nr = e.e32.op;
		for (i = 0; i < XEN_HC_MAX_ARGS; i++)
			sub->arg[i] = e.e32.args[i];
	}
	return 0;
}

/*
 * The VMM's address of the entry at @gva, on its page, now held in
 * @page; NULL where that page is no plain RAM the VMM maps or the entry
 * straddles two pages: the long way then.  Once per page of the batch.
 */
static void __user *mc_hold(struct hvk_hcall *hc, struct hvk_gva_page *page, u64 gva)
{
	hvk_gva_page_get(hc->vcpu, gva, page);
	return hvk_gva_page_at(&hc->vcpu->gva_cache, mc_physmap_gen(hc), page, gva,
			       mc_entry_size(hc), false);
}

/* The entry's op and arguments into @sub, through *@at if it is set. */
static __always_inline int mc_read(struct hvk_hcall *hc, void __user **at, u64 gva,
				   struct hvk_hcall *sub)
{
	if (*at && !mc_read_user(hc, *at, false, 0, sub))
		return 0;
	*at = NULL;
	return mc_read_copy(hc, gva, sub);
}

/*
 * The held page still is the entry's: the entry that ran flushed no
 * translation (hvk's own page-table calls) and changed no frame.
 */
static bool mc_page_holds(const struct hvk_hcall *hc, const struct hvk_gva_page *page)
{
	return page->epoch == hc->vcpu->gva_cache.epoch &&
	       page->physmap_gen == mc_physmap_gen(hc);
}

/* The result through the VMM's mapping of its entry at @at. */
static __always_inline int mc_put_result(const struct hvk_hcall *hc, void __user *at,
					 long result)
{
	if (hc->long_mode) {
		u64 __user *u = at + offsetof(struct xen_multicall_entry64, result);

		if (!user_access_begin(u, sizeof(*u)))
			return -XEN_EFAULT;
		unsafe_put_user((u64)result, u, efault);
	} else {
		u32 __user *u = at + offsetof(struct xen_multicall_entry32, result);

		if (!user_access_begin(u, sizeof(*u)))
			return -XEN_EFAULT;
		unsafe_put_user((u32)result, u, efault);
	}
	user_access_end();
	return 0;
efault:
	user_access_end();
	return -XEN_EFAULT;
}

/* The long way, out of line: its buffers would be spilled for every entry. */
static noinline int mc_copy_result(struct hvk_hcall *hc, u64 gva, long result)
{
	u64 r64 = result;
	u32 r32 = result;

	if (hc->long_mode)
		return hvk_copy_to_guest(hc->vcpu, gva + offsetof(struct xen_multicall_entry64,
								  result),
					 &r64, sizeof(r64)) ? -XEN_EFAULT : 0;
	return hvk_copy_to_guest(hc->vcpu, gva + offsetof(struct xen_multicall_entry32, result),
				 &r32, sizeof(r32)) ? -XEN_EFAULT : 0;
}

/*
 * The result into the entry, through @at (the entry's address in the held
 * page, checked by mc_page_holds() since it ran) if the page is writable.
 */
static __always_inline int mc_write_result(struct hvk_hcall *hc,
					   const struct hvk_gva_page *page, u64 gva,
					   void __user *at, long result)
{
	if (at && page->writable && !mc_put_result(hc, at, result))
		return 0;
	return mc_copy_result(hc, gva, result);
}

/* A continued entry keeps its progress in its own argument slots. */
static int mc_write_args(struct hvk_hcall *hc, u64 gva, const struct hvk_hcall *sub)
{
	int i;

	for (i = 0; i < XEN_HC_MAX_ARGS; i++) {
		u64 a64 = sub->arg[i];
		u32 a32 = sub->arg[i];
		int err = hc->long_mode ?
			hvk_copy_to_guest(hc->vcpu, gva + offsetof(struct xen_multicall_entry64,
					  args[i]), &a64, sizeof(a64)) :
			hvk_copy_to_guest(hc->vcpu, gva + offsetof(struct xen_multicall_entry32,
					  args[i]), &a32, sizeof(a32));
		if (err)
			return -XEN_EFAULT;
	}
	return 0;
}

/* Stop here; the guest re-executes the multicall from entry @gva. */
static long mc_continue(struct hvk_hcall *hc, u64 gva, u32 left, bool to_vmm)
{
	hc->arg[0] = gva;
	hc->arg[1] = left;
	hc->continuation = true;
	hc->to_vmm = to_vmm;
	return 0;
}

static bool mc_should_preempt(u32 done)
{
	return done && !(done % MULTICALL_PREEMPT_BATCH) &&
	       (need_resched() || signal_pending(current));
}

/*
 * Runs the entry mc_read() put in @sub (whose vcpu, long_mode and
 * in_multicall the batch set once); returns its result.  Field by field:
 * a struct literal zeroes it with a string store, dearer than the call it
 * prepares.
 */
static long mc_run_entry(struct hvk_hcall *sub)
{
	sub->to_vmm = false;
	sub->continuation = false;
	/* No multicall inside a multicall (as Xen): refused per entry. */
	if (sub->nr == XEN_HC_MULTICALL)
		return -XEN_EINVAL;
	return hvk_hcall_dispatch(sub);
}

long hvk_hc_multicall(struct hvk_hcall *hc)
{
	u64 gva = hc->arg[0];
	u32 count = hc->arg[1], done;
	size_t size = mc_entry_size(hc);
	struct hvk_gva_page page;
	void __user *at = NULL;
	bool have_next = false;         /* @sub holds the entry at @gva already */
	struct hvk_hcall sub;

	sub.vcpu = hc->vcpu;
	sub.long_mode = hc->long_mode;
	sub.in_multicall = true;
	for (done = 0; done < count; done++, gva += size) {
		long result;
		bool next_on_page;

		if (mc_should_preempt(done))
			return mc_continue(hc, gva, count - done, false);
		if (!have_next) {
			if (!at)
				at = mc_hold(hc, &page, gva);
			if (mc_read(hc, &at, gva, &sub))
				return -XEN_EFAULT;
		}
		result = mc_run_entry(&sub);
		if (at && !mc_page_holds(hc, &page))
			at = NULL;
		if (sub.continuation)
			return mc_write_args(hc, gva, &sub) ?:
			       mc_continue(hc, gva, count - done, sub.to_vmm);
		hc->to_vmm |= sub.to_vmm;
		/*
		 * A block or poll that waits halted the vCPU: the rest of the
		 * batch runs once it is woken, from the next entry, as in Xen
		 * (whose preemption check deschedules the blocked vCPU there).
		 * Run now, a later poll would end this wait and leave the vCPU
		 * halted with nothing to wake it.
		 */
		if (READ_ONCE(hc->vcpu->halted) && done + 1 < count)
			return mc_write_result(hc, &page, gva, at, result) ?:
			       mc_continue(hc, gva + size, count - done - 1, hc->to_vmm);
		/* The result, and the next entry if it is on the page, in one access. */
		next_on_page = at && offset_in_page(gva) + 2 * size <= PAGE_SIZE;
		have_next = next_on_page && page.writable && done + 1 < count &&
			    !mc_read_user(hc, at + size, true, result, &sub);
		if (!have_next && mc_write_result(hc, &page, gva, at, result))
			return -XEN_EFAULT;
		at = next_on_page ? at + size : NULL;
	}
	return 0;
}
