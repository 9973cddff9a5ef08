// SPDX-License-Identifier: GPL-2.0
/* hvk's own hypercall families (include/abi/hvk_hypercall.h). */
#include <linux/kernel.h>
#include <abi/hvk.h>
#include <abi/hvk_hypercall.h>
#include <abi/xen/errno.h>

#include "guest_mem.h"
#include "hypercall.h"
#include "vcpu.h"
#include "vendor.h"

struct hvk_family {
	const hvk_hcall_fn *calls;
	unsigned int nr_calls;
};

static long base_query(struct hvk_hcall *hc);

static long base_null(struct hvk_hcall *hc)
{
	return 0;
}

static long base_api_version(struct hvk_hcall *hc)
{
	return HVK_API_VERSION;
}

static const hvk_hcall_fn base_calls[] = {
	[HVK_BASE_QUERY]       = base_query,
	[HVK_BASE_NULL]        = base_null,
	[HVK_BASE_API_VERSION] = base_api_version,
};

/* A 64-bit value passed as two 32-bit halves (bitness-identical). */
static u64 arg_u64(const struct hvk_hcall *hc, int lo)
{
	return (u32)hc->arg[lo] | ((u64)(u32)hc->arg[lo + 1] << 32);
}

static long mmu_set_pte(struct hvk_hcall *hc)
{
	u64 gpa = arg_u64(hc, 0), value = arg_u64(hc, 2);
	u32 size = hc->arg[4];
	u32 value32 = value;

	if ((size != 4 && size != 8) || (gpa & (size - 1)))
		return -XEN_EINVAL;
	/* One naturally aligned store: a walker never sees half an entry. */
	if (hvk_gpa_write(hc->vcpu->vm, gpa, size == 8 ? (void *)&value :
			  (void *)&value32, size))
		return -XEN_EFAULT;
	/* Later entries of the caller's multicall see the new entry. */
	hvk_gva_cache_flush(hc->vcpu);
	return 0;
}

/*
 * Both flushes drop all of the vCPU's guest translations (a fresh ASID or
 * VPID at the next entry): correct for invlpg too, if coarser than needed.
 */
static long mmu_flush_tlb(struct hvk_hcall *hc)
{
	hvk_ops->flush_gpt(hc->vcpu);
	hvk_gva_cache_flush(hc->vcpu);  /* hvk's own copy of them */
	return 0;
}

static const hvk_hcall_fn mmu_calls[] = {
	[HVK_MMU_SET_PTE]   = mmu_set_pte,
	[HVK_MMU_FLUSH_TLB] = mmu_flush_tlb,
	[HVK_MMU_INVLPG]    = mmu_flush_tlb,
};

static const struct hvk_family hvk_families[HVK_HC_NR_FAMILIES] = {
	[HVK_FAMILY_BASE] = { base_calls, ARRAY_SIZE(base_calls) },
	[HVK_FAMILY_MMU]  = { mmu_calls, ARRAY_SIZE(mmu_calls) },
};

static hvk_hcall_fn hvk_call(u64 family, u64 call)
{
	const struct hvk_family *f;

	if (family >= HVK_HC_NR_FAMILIES)
		return NULL;
	f = &hvk_families[family];
	return call < f->nr_calls ? f->calls[call] : NULL;
}

/* query(family, call) -> 1/0; query(HVK_QUERY_FAMILIES, 0) -> bitmap. */
static long base_query(struct hvk_hcall *hc)
{
	u64 family = hc->arg[0], call = hc->arg[1];
	unsigned int i;
	long map = 0;

	if (family != HVK_QUERY_FAMILIES)
		return hvk_call(family, call) ? 1 : 0;
	for (i = 0; i < HVK_HC_NR_FAMILIES; i++)
		if (hvk_families[i].nr_calls)
			map |= 1L << i;
	return map;
}

long hvk_hc_hvk(struct hvk_hcall *hc)
{
	hvk_hcall_fn fn;

	/* Annotation bits (24-31) are hints: unknown ones are ignored. */
	if (hc->nr >> 32)
		return -XEN_ENOSYS;
	fn = hvk_call(HVK_HC_FAMILY(hc->nr), HVK_HC_CALL(hc->nr));
	return fn ? fn(hc) : -XEN_ENOSYS;
}
