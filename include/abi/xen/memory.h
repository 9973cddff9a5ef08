/* SPDX-License-Identifier: MIT */
/*
 * memory_op (hypercall 12): memory_op(cmd, arg).
 *
 * Xen declares xen_add_to_physmap with xen_ulong_t idx and xen_pfn_t gpfn,
 * both "unsigned long": 24 bytes from a 64-bit guest, 16 bytes from a 32-bit
 * one.  hvk spells out both layouts; the caller's mode picks one.
 */
#ifndef HVK_ABI_XEN_MEMORY_H
#define HVK_ABI_XEN_MEMORY_H

#include "../types.h"

#define XEN_XENMEM_ADD_TO_PHYSMAP     7

#define XEN_XENMAPSPACE_SHARED_INFO   0
#define XEN_XENMAPSPACE_GRANT_TABLE   1

/* 64-bit caller: 0 domid, 2 size, 4 space, 8 idx, 16 gpfn. */
struct xen_add_to_physmap64 {
	uint16_t domid;
	uint16_t size;
	uint32_t space;
	hvk_u64 idx;
	hvk_u64 gpfn;
};

/* 32-bit caller: 0 domid, 2 size, 4 space, 8 idx, 12 gpfn. */
struct xen_add_to_physmap32 {
	uint16_t domid;
	uint16_t size;
	uint32_t space;
	uint32_t idx;
	uint32_t gpfn;
};

#endif /* HVK_ABI_XEN_MEMORY_H */
