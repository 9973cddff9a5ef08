/* SPDX-License-Identifier: GPL-2.0 */
/*
 * hvk's own hypercall families (include/abi/hvk_hypercall.h), dispatched
 * inline in hvk_hcall_dispatch(): null, the round trip the benchmark
 * measures and a multicall entry's whole work, then costs a switch, not a
 * call.  Included by hypercall.h once struct hvk_hcall is defined.
 */
#ifndef HVK_KMOD_XEN_HC_HVK_H
#define HVK_KMOD_XEN_HC_HVK_H

#include <abi/hvk.h>
#include <abi/hvk_hypercall.h>
#include <abi/xen/errno.h>

/* The handlers with work to do, in hc_hvk.c. */
long hvk_hc_hvk_query(struct hvk_hcall *hc);
long hvk_hc_hvk_set_pte(struct hvk_hcall *hc);
long hvk_hc_hvk_flush_tlb(struct hvk_hcall *hc);

static inline long hvk_hc_hvk_null(struct hvk_hcall *hc)
{
	return 0;
}

static inline long hvk_hc_hvk_api_version(struct hvk_hcall *hc)
{
	return HVK_API_VERSION;
}

/*
 * Every call of hvk's families, once: the dispatch below and query() are
 * both built from this list.  A switch, not tables of handlers: a call
 * through a pointer pays for a retpoline.  Both flushes drop all of the
 * vCPU's guest translations: correct for invlpg too, if coarser.
 */
#define HVK_CALLS(X)							\
	X(HVK_FAMILY_BASE, HVK_BASE_QUERY,       hvk_hc_hvk_query)	\
	X(HVK_FAMILY_BASE, HVK_BASE_NULL,        hvk_hc_hvk_null)	\
	X(HVK_FAMILY_BASE, HVK_BASE_API_VERSION, hvk_hc_hvk_api_version) \
	X(HVK_FAMILY_MMU,  HVK_MMU_SET_PTE,      hvk_hc_hvk_set_pte)	\
	X(HVK_FAMILY_MMU,  HVK_MMU_FLUSH_TLB,    hvk_hc_hvk_flush_tlb)	\
	X(HVK_FAMILY_MMU,  HVK_MMU_INVLPG,       hvk_hc_hvk_flush_tlb)

/* The switch's key: the number without its annotation bits (HVK_HC_NR). */
#define HVK_CALL_KEY(family, call)  HVK_HC_NR((u64)(family), (u64)(call), 0)
#define HVK_CALL_KEY_MASK           0xffffffu

/* A call of hvk's families (hvk_hcall_is_hvk_family(hc->nr)). */
static __always_inline long hvk_hc_hvk(struct hvk_hcall *hc)
{
	/* Annotation bits (24-31) are hints: unknown ones are ignored. */
	if (hc->nr >> 32)
		return -XEN_ENOSYS;
#define HVK_CALL_CASE(family, call, fn) case HVK_CALL_KEY(family, call): return fn(hc);
	switch (hc->nr & HVK_CALL_KEY_MASK) {
	HVK_CALLS(HVK_CALL_CASE)
	}
#undef HVK_CALL_CASE
	return -XEN_ENOSYS;
}

#endif /* HVK_KMOD_XEN_HC_HVK_H */
