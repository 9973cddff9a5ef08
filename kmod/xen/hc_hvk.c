// SPDX-License-Identifier: GPL-2.0
/* hvk's own hypercall families (include/abi/hvk_hypercall.h). */
#include <linux/kernel.h>

#include "guest_mem.h"
#include "hypercall.h"
#include "vcpu.h"
#include "vendor.h"

/* A 64-bit value passed as two 32-bit halves (bitness-identical). */
static u64 arg_u64(const struct hvk_hcall *hc, int lo)
{
	return (u32)hc->arg[lo] | ((u64)(u32)hc->arg[lo + 1] << 32);
}

long hvk_hc_hvk_set_pte(struct hvk_hcall *hc)
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

/* A fresh ASID or VPID at the next entry. */
long hvk_hc_hvk_flush_tlb(struct hvk_hcall *hc)
{
	hvk_ops->flush_gpt(hc->vcpu);
	hvk_gva_cache_flush(hc->vcpu);  /* hvk's own copy of them */
	return 0;
}

static bool hvk_call_exists(u64 family, u64 call)
{
#define HVK_CALL_CASE_EXISTS(family, call, fn) case HVK_CALL_KEY(family, call):
	switch (HVK_CALL_KEY(family, call)) {
	HVK_CALLS(HVK_CALL_CASE_EXISTS)
		return true;
	}
	return false;
#undef HVK_CALL_CASE_EXISTS
}

/* query(family, call) -> 1/0; query(HVK_QUERY_FAMILIES, 0) -> bitmap. */
long hvk_hc_hvk_query(struct hvk_hcall *hc)
{
	u64 family = hc->arg[0], call = hc->arg[1];
	long map = 0;

	if (family != HVK_QUERY_FAMILIES)
		return family < HVK_HC_NR_FAMILIES && call <= 0xffff &&
		       hvk_call_exists(family, call);
#define HVK_CALL_FAMILY_BIT(family, call, fn) map |= 1L << (family);
	HVK_CALLS(HVK_CALL_FAMILY_BIT)
#undef HVK_CALL_FAMILY_BIT
	return map;
}
