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

/*
 * memory_op's cmd: the sub-op in bits 5:0; the reservation ops keep the
 * extent to continue from in the bits above (Xen's continuations).
 */
#define XEN_MEMOP_CMD_MASK            0x3f
#define XEN_MEMOP_EXTENT_SHIFT        6

#define XEN_XENMEM_INCREASE_RESERVATION 0
#define XEN_XENMEM_DECREASE_RESERVATION 1
#define XEN_XENMEM_POPULATE_PHYSMAP   6
#define XEN_XENMEM_ADD_TO_PHYSMAP     7
#define XEN_XENMEM_MEMORY_MAP         9
#define XEN_XENMEM_GET_VNUMAINFO     26

#define XEN_XENMAPSPACE_SHARED_INFO   0
#define XEN_XENMAPSPACE_GRANT_TABLE   1
#define XEN_XENMAPSPACE_GMFN          2
#define XEN_XENMAPSPACE_GMFN_RANGE    3
#define XEN_XENMAPSPACE_GMFN_FOREIGN  4
#define XEN_XENMAPSPACE_DEV_MMIO      5
/* XENMAPSPACE_grant_table idx bit 31: a v2 status frame. */
#define XEN_XENMAPIDX_GRANT_TABLE_STATUS 0x80000000u

/* xen_memory_reservation.mem_flags */
#define XEN_XENMEMF_ADDRESS_BITS_MASK 0xffu
#define XEN_XENMEMF_POPULATE_ON_DEMAND (1u << 16)
#define XEN_XENMEMF_VNODE             (1u << 18)

/*
 * XENMEM_{increase,decrease}_reservation, _populate_physmap: extent_start
 * is a guest pointer to nr_extents xen_pfn_t (8 bytes / 4 bytes), each the
 * first frame of an extent of 2^extent_order frames.  The result is the
 * number of extents done.
 *   64-bit: 0 extent_start, 8 nr_extents, 16 extent_order, 20 mem_flags,
 *           24 domid (32 bytes)
 *   32-bit: 0 extent_start, 4 nr_extents, 8 extent_order, 12 mem_flags,
 *           16 domid (20 bytes)
 */
struct xen_memory_reservation64 {
	hvk_u64 extent_start;
	hvk_u64 nr_extents;
	uint32_t extent_order;
	uint32_t mem_flags;
	uint16_t domid;
	uint16_t pad[3];
};

struct xen_memory_reservation32 {
	uint32_t extent_start;
	uint32_t nr_extents;
	uint32_t extent_order;
	uint32_t mem_flags;
	uint16_t domid;
	uint16_t pad;
};

/*
 * XENMEM_memory_map: { u32 nr_entries; handle buffer } -- 16 bytes
 * (buffer @8) from a 64-bit caller, 8 (buffer @4) from a 32-bit one.
 */
struct xen_memory_map64 {
	uint32_t nr_entries;
	uint32_t pad;
	hvk_u64 buffer;
};

struct xen_memory_map32 {
	uint32_t nr_entries;
	uint32_t buffer;
};

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

/*
 * XENMEM_get_vnumainfo: 40 bytes on 32- and 64-bit (the handles sit in
 * 8-byte unions): 0 domid, 2 pad, 4 nr_vnodes, 8 nr_vcpus,
 * 12 nr_vmemranges, 16 vdistance, 24 vcpu_to_vnode, 32 vmemrange.
 */
struct xen_vnuma_topology_info {
	uint16_t domid;
	uint16_t pad;
	uint32_t nr_vnodes;
	uint32_t nr_vcpus;
	uint32_t nr_vmemranges;
	hvk_u64 vdistance;
	hvk_u64 vcpu_to_vnode;
	hvk_u64 vmemrange;
};

#endif /* HVK_ABI_XEN_MEMORY_H */
