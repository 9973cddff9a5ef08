/* SPDX-License-Identifier: MIT */
/* xen_version (hypercall 17): xen_version(cmd, arg). */
#ifndef HVK_ABI_XEN_VERSION_H
#define HVK_ABI_XEN_VERSION_H

#include "../types.h"

#define XEN_XENVER_VERSION        0   /* returns major << 16 | minor */
#define XEN_XENVER_EXTRAVERSION   1   /* fills char[16] */
#define XEN_XENVER_GET_FEATURES   6   /* fills struct xen_feature_info */
#define XEN_XENVER_PAGESIZE       7   /* returns the page size */

#define XEN_EXTRAVERSION_LEN     16

/* 8 bytes: the caller sets submap_idx, the hypervisor fills submap. */
struct xen_feature_info {
	uint32_t submap_idx;
	uint32_t submap;
};

#endif /* HVK_ABI_XEN_VERSION_H */
