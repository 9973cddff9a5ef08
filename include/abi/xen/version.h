/* SPDX-License-Identifier: MIT */
/* xen_version (hypercall 17): xen_version(cmd, arg). */
#ifndef HVK_ABI_XEN_VERSION_H
#define HVK_ABI_XEN_VERSION_H

#include "../types.h"

#define XEN_XENVER_VERSION        0   /* returns major << 16 | minor */
#define XEN_XENVER_EXTRAVERSION   1   /* fills char[16] */
#define XEN_XENVER_COMPILE_INFO   2   /* fills struct xen_compile_info */
#define XEN_XENVER_CAPABILITIES   3   /* fills char[1024] */
#define XEN_XENVER_CHANGESET      4   /* fills char[64] */
#define XEN_XENVER_PLATFORM_PARAMETERS 5 /* fills xen_ulong_t virt_start */
#define XEN_XENVER_GET_FEATURES   6   /* fills struct xen_feature_info */
#define XEN_XENVER_PAGESIZE       7   /* returns the page size; arg NULL */
#define XEN_XENVER_GUEST_HANDLE   8   /* fills u8[16], the domain's handle */
#define XEN_XENVER_COMMANDLINE    9   /* fills char[1024] */
/* struct xen_varbuf sub-ops: return the length, or fill buf. */
#define XEN_XENVER_BUILD_ID      10
#define XEN_XENVER_EXTRAVERSION2 11
#define XEN_XENVER_CAPABILITIES2 12
#define XEN_XENVER_CHANGESET2    13
#define XEN_XENVER_COMMANDLINE2  14

#define XEN_EXTRAVERSION_LEN     16
#define XEN_CAPABILITIES_LEN   1024
#define XEN_CHANGESET_LEN        64
#define XEN_GUEST_HANDLE_LEN     16
#define XEN_COMMANDLINE_LEN    1024

/* XENVER_compile_info: 144 bytes. */
struct xen_compile_info {
	uint8_t compiler[64];
	uint8_t compile_by[16];
	uint8_t compile_domain[32];
	uint8_t compile_date[32];
};

/* XENVER_*2: u32 len (in: room in buf), then the bytes, no NUL. */
struct xen_varbuf {
	uint32_t len;
};

/* XENVER_get_features submap 0 (xen/include/public/features.h). */
#define XEN_XENFEAT_WRITABLE_PAGE_TABLES       0
#define XEN_XENFEAT_AUTO_TRANSLATED_PHYSMAP    2
#define XEN_XENFEAT_HVM_CALLBACK_VECTOR        8
#define XEN_XENFEAT_HVM_SAFE_PVCLOCK           9
#define XEN_XENFEAT_MEMORY_OP_VNODE_SUPPORTED  13
#define XEN_XENFEAT_NOT_DIRECT_MAPPED          16
#define XEN_XENFEAT_RUNSTATE_PHYS_AREA         18
#define XEN_XENFEAT_VCPU_TIME_PHYS_AREA        19
#define XEN_XENFEAT_DM_MSIX_ALL_WRITES         20

/* 8 bytes: the caller sets submap_idx, the hypervisor fills submap. */
struct xen_feature_info {
	uint32_t submap_idx;
	uint32_t submap;
};

#endif /* HVK_ABI_XEN_VERSION_H */
