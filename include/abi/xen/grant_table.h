/* SPDX-License-Identifier: MIT */
/*
 * grant_table_op (hypercall 20): grant_table_op(cmd, uop, count)
 * (xen/include/public/grant_table.h; REFERENCE-GUEST-SERVICES §9).
 *
 * Byte offsets of the ops hvk serves (64-bit caller / 32-bit caller):
 *   setup_table  0 dom, 4 nr_frames, 8 →status, 16 / 12 frame_list
 *                (xen_pfn_t: 8 / 4 bytes each)             24 / 16 bytes
 *   query_size   0 dom, 4 →nr_frames, 8 →max_nr_frames, 12 →status  16
 *   set_version  0 version (in, and out: the version now)            4
 *   get_version  0 dom, 2 pad, 4 →version                            8
 * status fields are int16 GNTST_* values; the call itself returns 0.
 */
#ifndef HVK_ABI_XEN_GRANT_TABLE_H
#define HVK_ABI_XEN_GRANT_TABLE_H

#include "../types.h"

#define XEN_GNTTABOP_MAP_GRANT_REF      0
#define XEN_GNTTABOP_UNMAP_GRANT_REF    1
#define XEN_GNTTABOP_SETUP_TABLE        2
#define XEN_GNTTABOP_DUMP_TABLE         3
#define XEN_GNTTABOP_TRANSFER           4
#define XEN_GNTTABOP_COPY               5
#define XEN_GNTTABOP_QUERY_SIZE         6
#define XEN_GNTTABOP_UNMAP_AND_REPLACE  7
#define XEN_GNTTABOP_SET_VERSION        8
#define XEN_GNTTABOP_GET_STATUS_FRAMES  9
#define XEN_GNTTABOP_GET_VERSION       10
#define XEN_GNTTABOP_SWAP_GRANT_REF    11
#define XEN_GNTTABOP_CACHE_FLUSH       12

/* GNTST_*: per-op status codes. */
#define XEN_GNTST_OKAY                  0
#define XEN_GNTST_GENERAL_ERROR       (-1)
#define XEN_GNTST_BAD_DOMAIN          (-2)
#define XEN_GNTST_BAD_VIRT_ADDR       (-5)
#define XEN_GNTST_PERMISSION_DENIED   (-8)
#define XEN_GNTST_ADDRESS_TOO_BIG    (-11)

/* A version 1 entry: 8 bytes, 512 to a 4 KiB frame. */
struct xen_grant_entry_v1 {
	uint16_t flags;                 /* GTF_* */
	uint16_t domid;
	uint32_t frame;
};

#define XEN_GTF_PERMIT_ACCESS   (1u << 0)
#define XEN_GTF_READONLY        (1u << 2)

struct xen_gnttab_setup_table64 {
	uint16_t dom;
	uint16_t pad0;
	uint32_t nr_frames;
	int16_t status;
	uint16_t pad1[3];
	hvk_u64 frame_list;
};

struct xen_gnttab_setup_table32 {
	uint16_t dom;
	uint16_t pad0;
	uint32_t nr_frames;
	int16_t status;
	uint16_t pad1;
	uint32_t frame_list;
};

struct xen_gnttab_query_size {
	uint16_t dom;
	uint16_t pad0;
	uint32_t nr_frames;
	uint32_t max_nr_frames;
	int16_t status;
	uint16_t pad1;
};

struct xen_gnttab_set_version {
	uint32_t version;
};

struct xen_gnttab_get_version {
	uint16_t dom;
	uint16_t pad;
	uint32_t version;
};

#endif /* HVK_ABI_XEN_GRANT_TABLE_H */
