/* SPDX-License-Identifier: MIT */
/*
 * Deferred MMU hypercalls for the hvk table (hvk.c).  Between
 * lazy_mmu_begin() and lazy_mmu_end() (calls.h) a CPU's queueable ops
 * (set_pte, flush_tlb, invlpg: hvk family 1, which all carry
 * HVK_HC_ANNOT_MAY_QUEUE) go into that CPU's fixed buffer of
 * LAZY_MMU_BATCH multicall entries instead of out at once.  The buffer
 * leaves in one multicall (a batch of one as the plain hypercall, as
 * Linux's xen_mc_flush does):
 *   - when it is full, from inside the op that filled it;
 *   - at lazy_mmu_end();
 *   - before any other hvk op that reaches the hypervisor or changes paging
 *     (halt, write_cr*, console_write, shutdown, vcpu_up), so those see
 *     every update queued before them.
 * Entries run in the order they were queued.  Outside a lazy section, with
 * batching off ("batch=off") or on native (whose table never queues),
 * every op is carried out at once.  A queued op that fails is reported
 * when its batch leaves, and fails the guest.
 */
#ifndef GUEST_PV_LAZY_MMU_H
#define GUEST_PV_LAZY_MMU_H

#include <stdbool.h>

#define LAZY_MMU_BATCH          32

struct lazy_mmu_stats {
	unsigned long multicalls;       /* batches sent as a multicall */
	unsigned long batched;          /* entries those carried */
	unsigned long direct;           /* MMU hypercalls made on their own */
};

/* On by default; off makes lazy_mmu_begin() open no section. */
void lazy_mmu_set_batching(bool on);
bool lazy_mmu_batching(void);           /* on, and the table queues (hvk) */

/* For the hvk table: an hvk family-1 call, queued or made now. */
void lazy_mmu_call(unsigned int call, unsigned long a1, unsigned long a2,
		   unsigned long a3, unsigned long a4, unsigned long a5);
void lazy_mmu_enter(void);
void lazy_mmu_leave(void);
void lazy_mmu_flush(void);              /* this CPU's queue, now */

unsigned int lazy_mmu_pending(void);    /* entries queued on this CPU */
struct lazy_mmu_stats lazy_mmu_stats(void);     /* all CPUs */

#endif /* GUEST_PV_LAZY_MMU_H */
