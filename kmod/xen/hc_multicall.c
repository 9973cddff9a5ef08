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
#include <abi/xen/errno.h>
#include <abi/xen/multicall.h>

#include "guest_mem.h"
#include "hypercall.h"
#include "vcpu.h"

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

static int mc_read(struct hvk_hcall *hc, u64 gva, union mc_entry *e)
{
	return hvk_copy_from_guest(hc->vcpu, e, gva, mc_entry_size(hc)) ? -XEN_EFAULT : 0;
}

static int mc_write_result(struct hvk_hcall *hc, u64 gva, long result)
{
	u64 r64 = result;
	u32 r32 = result;

	if (hc->long_mode)
		return hvk_copy_to_guest(hc->vcpu, gva + offsetof(struct xen_multicall_entry64,
				result), &r64, sizeof(r64)) ? -XEN_EFAULT : 0;
	return hvk_copy_to_guest(hc->vcpu, gva + offsetof(struct xen_multicall_entry32,
				 result), &r32, sizeof(r32)) ? -XEN_EFAULT : 0;
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

/* Runs one entry; returns its result. */
static long mc_run_entry(struct hvk_hcall *hc, const union mc_entry *e,
			 struct hvk_hcall *sub)
{
	int i;

	*sub = (struct hvk_hcall){
		.vcpu = hc->vcpu,
		.long_mode = hc->long_mode,
		.in_multicall = true,
	};
	/* One test of the layout, not one per field: every entry pays. */
	if (hc->long_mode) {
		sub->nr = e->e64.op;
		for (i = 0; i < XEN_HC_MAX_ARGS; i++)
			sub->arg[i] = e->e64.args[i];
	} else {
		sub->nr = e->e32.op;
		for (i = 0; i < XEN_HC_MAX_ARGS; i++)
			sub->arg[i] = e->e32.args[i];
	}
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

	struct hvk_hcall sub;
	union mc_entry e;

	for (done = 0; done < count; done++, gva += size) {
		long result;

		if (mc_should_preempt(done))
			return mc_continue(hc, gva, count - done, false);
		if (mc_read(hc, gva, &e))
			return -XEN_EFAULT;
		result = mc_run_entry(hc, &e, &sub);
		if (sub.continuation)
			return mc_write_args(hc, gva, &sub) ?:
			       mc_continue(hc, gva, count - done, sub.to_vmm);
		if (mc_write_result(hc, gva, result))
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
