/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Port I/O and MMIO nobody in the kernel serves: the VMM's claims and the
 * VM's policy for the rest (HVK_VM_SET_IO_POLICY, include/abi/hvk.h), and
 * the per-port / per-page counts of what the kernel answered itself.
 *
 * The table changes only while no vCPU runs (the caller holds slots_lock
 * for writing, as for memory regions), so vCPUs read it without a lock;
 * the counts take a spinlock, being shared by all vCPUs.
 */
#ifndef HVK_KMOD_IO_POLICY_H
#define HVK_KMOD_IO_POLICY_H

#include <linux/spinlock.h>
#include <abi/hvk.h>

struct hvk_vcpu;
struct hvk_vm;

struct hvk_io_policy_state {
	u32 unclaimed;                  /* HVK_UNCLAIMED_* */
	u32 nr_claims;
	struct hvk_io_range claims[HVK_MAX_IO_CLAIMS];
	spinlock_t counts_lock;
	u32 nr_counts;
	u64 other;
	struct hvk_io_count counts[HVK_IO_STATS_ENTRIES];
};

void hvk_io_policy_init(struct hvk_io_policy_state *p);
/* Validates and installs @req: 0 or -EINVAL.  slots_lock held for writing. */
int hvk_io_policy_set(struct hvk_io_policy_state *p, const struct hvk_io_policy *req);
/* Is this access answered in the kernel as an empty bus? */
bool hvk_io_unclaimed_ignored(struct hvk_vm *vm, u32 space, u64 addr);
/* Counts and traces one access answered that way. */
void hvk_io_count_unclaimed(struct hvk_vcpu *vcpu, u32 space, u64 addr, u8 size,
			    bool write);
void hvk_io_stats_get(struct hvk_io_policy_state *p, struct hvk_io_stats *out);

#endif /* HVK_KMOD_IO_POLICY_H */
