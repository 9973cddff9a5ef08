/* SPDX-License-Identifier: MIT */
/*
 * multicall (hypercall 13): multicall(entries, count).
 *
 * Xen's multicall_entry is { xen_ulong_t op, result, args[6] } with
 * xen_ulong_t = unsigned long: 64 bytes from a 64-bit guest and 32 bytes from
 * a 32-bit guest (Xen's compat layer).  Both layouts are spelled out here.
 */
#ifndef HVK_ABI_XEN_MULTICALL_H
#define HVK_ABI_XEN_MULTICALL_H

#include "../types.h"

#define XEN_MULTICALL_NR_ARGS 6

/* 64 bytes: 0 op, 8 result, 16 args[6]. */
struct xen_multicall_entry64 {
	hvk_u64 op;
	hvk_u64 result;
	hvk_u64 args[XEN_MULTICALL_NR_ARGS];
};

/* 32 bytes: 0 op, 4 result, 8 args[6]. */
struct xen_multicall_entry32 {
	uint32_t op;
	uint32_t result;
	uint32_t args[XEN_MULTICALL_NR_ARGS];
};

#endif /* HVK_ABI_XEN_MULTICALL_H */
