/* SPDX-License-Identifier: MIT */
#include <abi/hvk_hypercall.h>
#include <abi/xen/hypercall.h>
#include <abi/xen/multicall.h>

#include "../hypercall.h"
#include "../shutdown.h"
#include "lazy_mmu.h"
#include "percpu.h"
#include "pvops.h"

/* Xen's multicall_entry in the caller's width (abi/xen/multicall.h). */
#ifdef __x86_64__
typedef struct xen_multicall_entry64 mc_entry;
typedef int64_t mc_result;
#else
typedef struct xen_multicall_entry32 mc_entry;
typedef int32_t mc_result;
#endif

struct lazy_cpu {
	bool open;                      /* inside lazy_mmu_begin/end */
	unsigned int count;
	mc_entry entries[LAZY_MMU_BATCH];
};

static struct lazy_cpu lazy_cpus[PV_MAX_CPUS];
static bool batching = true;
static struct lazy_mmu_stats stats;

static struct lazy_cpu *this_lazy(void)
{
	return &lazy_cpus[pv_cpu_id()];
}

void lazy_mmu_set_batching(bool on)
{
	batching = on;
}

bool lazy_mmu_batching(void)
{
	return batching && pv_ops.lazy_mmu_begin == pv_hvk_ops.lazy_mmu_begin;
}

static void count(unsigned long *counter, unsigned long n)
{
	__atomic_add_fetch(counter, n, __ATOMIC_RELAXED);
}

static void check_result(const mc_entry *e, long rc, const char *how)
{
	if (rc)
		guest_fail("lazy mmu: hvk mmu call %lu (%s) returned %ld",
			   (unsigned long)HVK_HC_CALL(e->op), how, rc);
}

static long call_now(const mc_entry *e)
{
	return hypercall5(e->op, e->args[0], e->args[1], e->args[2],
			  e->args[3], e->args[4]);
}

/* A batch of one costs as much as the call itself: make the call. */
static void send(struct lazy_cpu *c)
{
	long rc;

	if (c->count == 1) {
		check_result(&c->entries[0], call_now(&c->entries[0]), "direct");
		count(&stats.direct, 1);
	} else if (c->count > 1) {
		rc = hypercall2(XEN_HC_MULTICALL, (unsigned long)c->entries, c->count);
		if (rc)
			guest_fail("lazy mmu: multicall of %u entries returned %ld",
				   c->count, rc);
		for (unsigned int i = 0; i < c->count; i++)
			check_result(&c->entries[i], (mc_result)c->entries[i].result,
				     "queued");
		count(&stats.multicalls, 1);
		count(&stats.batched, c->count);
	}
	c->count = 0;
}

void lazy_mmu_call(unsigned int call, unsigned long a1, unsigned long a2,
		   unsigned long a3, unsigned long a4, unsigned long a5)
{
	struct lazy_cpu *c = this_lazy();
	mc_entry e = {
		.op = HVK_HC_NR(HVK_FAMILY_MMU, call, HVK_HC_ANNOT_MAY_QUEUE),
		.args = { a1, a2, a3, a4, a5 },
	};

	if (!c->open || !batching) {
		check_result(&e, call_now(&e), "direct");
		count(&stats.direct, 1);
		return;
	}
	c->entries[c->count++] = e;
	if (c->count == LAZY_MMU_BATCH)
		send(c);
}

void lazy_mmu_enter(void)
{
	struct lazy_cpu *c = this_lazy();

	if (c->open)
		guest_fail("lazy mmu: lazy_mmu_begin() inside a lazy section");
	c->open = true;
}

void lazy_mmu_leave(void)
{
	struct lazy_cpu *c = this_lazy();

	send(c);
	c->open = false;
}

void lazy_mmu_flush(void)
{
	send(this_lazy());
}

unsigned int lazy_mmu_pending(void)
{
	return this_lazy()->count;
}

struct lazy_mmu_stats lazy_mmu_stats(void)
{
	return (struct lazy_mmu_stats){
		.multicalls = __atomic_load_n(&stats.multicalls, __ATOMIC_RELAXED),
		.batched = __atomic_load_n(&stats.batched, __ATOMIC_RELAXED),
		.direct = __atomic_load_n(&stats.direct, __ATOMIC_RELAXED),
	};
}
