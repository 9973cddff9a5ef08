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
 */
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
 * The common case, an entry on the page the one before it was read from:
 * the op and the five arguments a hypercall takes, with user accessors, from the
 * VMM's mapping of it, which the batch holds (hvk_gva_page), rather than
 * a look-up in the hypercall's cache and a copy of the whole entry for
 * each.  Reading each entry just before running it keeps Xen's order: an
 * earlier entry may have rewritten a later one.
 */
static int mc_read_user(const struct hvk_hcall *hc, const void __user *u,
			struct hvk_hcall *sub)
{
	BUILD_BUG_ON(XEN_HC_MAX_ARGS != 5);
	if (!user_access_begin(u, mc_entry_size(hc)))
		return -XEN_EFAULT;
	/* Straight-line: a loop here costs more than the loads. */
	if (hc->long_mode) {
		const struct xen_multicall_entry64 __user *ue = u;

		unsafe_get_user(sub->nr, &ue->op, efault);
		unsafe_get_user(sub->arg[0], &ue->args[0], efault);
		unsafe_get_user(sub->arg[1], &ue->args[1], efault);
		unsafe_get_user(sub->arg[2], &ue->args[2], efault);
		unsafe_get_user(sub->arg[3], &ue->args[3], efault);
		unsafe_get_user(sub->arg[4], &ue->args[4], efault);
	} else {
		const struct xen_multicall_entry32 __user *ue = u;
		u32 v;

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
 * The entry's op and arguments into @sub; *@at: the VMM's address of the
 * entry, NULL if its page is no plain RAM the batch holds.
 */
static int mc_read(struct hvk_hcall *hc, struct hvk_gva_page *page, u64 gva,
		   struct hvk_hcall *sub, void __user **at)
{
	void __user *u = hvk_gva_page_at(&hc->vcpu->gva_cache, mc_physmap_gen(hc), page,
					 gva, mc_entry_size(hc), false);

	*at = u;
	if (u && !mc_read_user(hc, u, sub))
		return 0;
	*at = NULL;
	if (mc_read_copy(hc, gva, sub))
		return -XEN_EFAULT;
	/* Cached by that copy (unless it is no plain RAM): the next entries use it. */
	hvk_gva_page_lookup(hc->vcpu, gva, page);
	*at = hvk_gva_page_at(&hc->vcpu->gva_cache, mc_physmap_gen(hc), page, gva,
			      mc_entry_size(hc), false);
	return 0;
}

static int mc_put_result(const struct hvk_hcall *hc, void __user *u, long result)
{
	if (!user_access_begin(u, hc->long_mode ? sizeof(u64) : sizeof(u32)))
		return -XEN_EFAULT;
	if (hc->long_mode)
		unsafe_put_user((u64)result, (u64 __user *)u, efault);
	else
		unsafe_put_user((u32)result, (u32 __user *)u, efault);
	user_access_end();
	return 0;
efault:
	user_access_end();
	return -XEN_EFAULT;
}

/*
 * The result into the entry read at @at (from mc_read()): its page is
 * still the one read if neither the cache was flushed nor a frame changed
 * while the entry ran.
 */
static int mc_write_result(struct hvk_hcall *hc, const struct hvk_gva_page *page, u64 gva,
			   void __user *at, long result)
{
	size_t off = hc->long_mode ? offsetof(struct xen_multicall_entry64, result)
				   : offsetof(struct xen_multicall_entry32, result);
	u64 r64 = result;
	u32 r32 = result;
	void __user *u = NULL;

	gva += off;
	if (at && page->writable && page->epoch == hc->vcpu->gva_cache.epoch &&
	    page->physmap_gen == mc_physmap_gen(hc))
		u = at + off;
	if (u && !mc_put_result(hc, u, result))
		return 0;
	if (hc->long_mode)
		return hvk_copy_to_guest(hc->vcpu, gva, &r64, sizeof(r64)) ? -XEN_EFAULT : 0;
	return hvk_copy_to_guest(hc->vcpu, gva, &r32, sizeof(r32)) ? -XEN_EFAULT : 0;
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
 * Runs the entry mc_read() put in @sub; returns its result.  Every field
 * is set, one store each: a struct literal zeroes it with a string store,
 * dearer than the call it prepares.
 */
static long mc_run_entry(struct hvk_hcall *hc, struct hvk_hcall *sub)
{
	sub->vcpu = hc->vcpu;
	sub->long_mode = hc->long_mode;
	sub->to_vmm = false;
	sub->continuation = false;
	sub->in_multicall = true;
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

	struct hvk_gva_page page = { .uaddr = 0 };
	void __user *at;
	struct hvk_hcall sub;

	for (done = 0; done < count; done++, gva += size) {
		long result;

		if (mc_should_preempt(done))
			return mc_continue(hc, gva, count - done, false);
		if (mc_read(hc, &page, gva, &sub, &at))
			return -XEN_EFAULT;
		result = mc_run_entry(hc, &sub);
		if (sub.continuation)
			return mc_write_args(hc, gva, &sub) ?:
			       mc_continue(hc, gva, count - done, sub.to_vmm);
		if (mc_write_result(hc, &page, gva, at, result))
			return -XEN_EFAULT;
		hc->to_vmm |= sub.to_vmm;
		/*
		 * A block or poll that waits halted the vCPU: the rest of the
		 * batch runs once it is woken, from the next entry, as in Xen
		 * (whose preemption check deschedules the blocked vCPU there).
		 * Run now, a later poll would end this wait and leave the vCPU
		 * halted with nothing to wake it.
		 */
		if (READ_ONCE(hc->vcpu->halted) && done + 1 < count)
			return mc_continue(hc, gva + size, count - done - 1, hc->to_vmm);
	}
	return 0;
}
