/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Exit and hypercall counters, per vCPU (written only by the vCPU's own
 * thread), summed per VM on read; read through HVK_*_GET_STATS and debugfs
 * (/sys/kernel/debug/hvk/vm<ID>/).  Exit codes are the hardware's (SVM exit
 * code or VMX basic exit reason), kept as (code, count) pairs so one table
 * serves both vendors.
 */
#ifndef HVK_KMOD_STATS_H
#define HVK_KMOD_STATS_H

#include <linux/types.h>
#include <abi/hvk.h>

struct dentry;
struct hvk_vcpu;
struct hvk_vm;

struct hvk_vcpu_stats {
	u64 exits;
	u64 userspace_exits;
	u64 hypercalls;
	u64 exits_other;
	u64 hypercalls_other;
	u64 interrupts;                 /* injected vectors */
	u64 nmis;
	u64 unclaimed_io;               /* answered under HVK_UNCLAIMED_IGNORE */
	u32 nr_exit_codes;
	u32 last_exit_code;             /* index of the last code counted */
	u64 hypercall_count[HVK_STATS_HYPERCALLS];
	struct hvk_exit_count exit_count[HVK_STATS_EXIT_CODES];
};

void hvk_stats_count_new_exit(struct hvk_vcpu_stats *s, u64 code);

/* Inline, on every exit: a run of exits mostly repeats the last code. */
static inline void hvk_stats_count_exit(struct hvk_vcpu_stats *s, u64 code)
{
	struct hvk_exit_count *last = &s->exit_count[s->last_exit_code];

	if (likely(s->nr_exit_codes && last->code == code)) {
		s->exits++;
		last->count++;
		return;
	}
	hvk_stats_count_new_exit(s, code);
}

static inline void hvk_stats_count_hypercall(struct hvk_vcpu_stats *s, u64 nr)
{
	s->hypercalls++;
	if (nr < HVK_STATS_HYPERCALLS)
		s->hypercall_count[nr]++;
	else
		s->hypercalls_other++;
}
/* Adds @s into @out (an ABI struct the caller zeroed). */
void hvk_stats_add(struct hvk_stats *out, const struct hvk_vcpu_stats *s);
void hvk_stats_vm(struct hvk_vm *vm, struct hvk_stats *out);

int hvk_debugfs_init(void);
void hvk_debugfs_exit(void);
void hvk_debugfs_vm_add(struct hvk_vm *vm);
void hvk_debugfs_vm_remove(struct hvk_vm *vm);

#endif /* HVK_KMOD_STATS_H */
