/* SPDX-License-Identifier: MIT */
/*
 * hvk's own hypercalls, in Xen's arch_0..arch_7 range (48..55), made
 * extensible as the VMI proposal describes: a hypercall number is a tuple.
 *
 *   bits  0-7   Xen hypercall slot: 48 + family (families 0..7)
 *   bits  8-23  call number within the family
 *   bits 24-31  annotation bits: hints about the call.  A hypervisor ignores
 *               annotation bits it does not know, so a new hint (such as
 *               "may be queued") never breaks an older hypervisor.
 *   bits 32-63  (64-bit callers) must be zero, else -ENOSYS.
 *
 * Calling convention and errors are Xen's (hypercall.h): arguments in
 * RDI RSI RDX R10 R8 / EBX ECX EDX ESI EDI, negative Xen errno results, CPL 0
 * only.  Every argument is a fixed-width integer or a guest-virtual pointer
 * to a fixed-width struct, identical for 32- and 64-bit callers.
 * docs/hypercalls.md holds the table.
 */
#ifndef HVK_ABI_HVK_HYPERCALL_H
#define HVK_ABI_HVK_HYPERCALL_H

#define HVK_HC_SLOT_BASE        48u
#define HVK_HC_NR_FAMILIES      8u

#define HVK_HC_NR(family, call, annotations) \
	((HVK_HC_SLOT_BASE + (family)) | ((call) << 8) | ((annotations) << 24))
#define HVK_HC_FAMILY(nr)       (((nr) & 0xffu) - HVK_HC_SLOT_BASE)
#define HVK_HC_CALL(nr)         (((nr) >> 8) & 0xffffu)
#define HVK_HC_ANNOTATIONS(nr)  (((nr) >> 24) & 0xffu)

/* Annotation bits. */
#define HVK_HC_ANNOT_MAY_QUEUE  (1u << 0)  /* deferrable: may be batched */

/* Family 0: base. */
#define HVK_FAMILY_BASE         0u
/*
 * query(family, call): 1 if the call exists, 0 if not.
 * query(HVK_QUERY_FAMILIES, 0): bitmap of the families that exist.
 */
#define HVK_BASE_QUERY          0u
#define HVK_QUERY_FAMILIES      0xffffu
/* null(): returns 0 and does nothing; the cost of a round trip. */
#define HVK_BASE_NULL           1u
/* api_version(): returns HVK_API_VERSION of include/abi/hvk.h. */
#define HVK_BASE_API_VERSION    2u

/*
 * Family 1: paravirtual MMU operations (as VMI's), for a guest kernel whose
 * pv_ops route page-table updates and TLB flushes through the hypervisor.
 * 64-bit quantities travel as two 32-bit halves (lo, hi) so that 32- and
 * 64-bit callers pass identical arguments.  All may carry
 * HVK_HC_ANNOT_MAY_QUEUE and be batched into one multicall.
 */
#define HVK_FAMILY_MMU          1u
/*
 * set_pte(pte_gpa_lo, pte_gpa_hi, value_lo, value_hi, size): writes the
 * page-table entry at guest-physical pte_gpa (size 4 or 8, naturally
 * aligned) in guest RAM.  -EINVAL bad size/alignment, -EFAULT not RAM.
 */
#define HVK_MMU_SET_PTE         0u
/* flush_tlb(): drops every guest-virtual translation of the calling vCPU. */
#define HVK_MMU_FLUSH_TLB       1u
/* invlpg(va_lo, va_hi): drops the calling vCPU's translations of va. */
#define HVK_MMU_INVLPG          2u

#endif /* HVK_ABI_HVK_HYPERCALL_H */
