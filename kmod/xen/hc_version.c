// SPDX-License-Identifier: GPL-2.0
/* xen_version: the Xen interface version hvk implements. */
#include <linux/mm.h>
#include <abi/xen/errno.h>
#include <abi/xen/version.h>

#include "guest_mem.h"
#include "hypercall.h"

static const char hvk_xen_extraversion[XEN_EXTRAVERSION_LEN] = "-hvk";

static long version_get_features(struct hvk_hcall *hc)
{
	struct xen_feature_info info;

	if (hvk_copy_from_guest(hc->vcpu, &info, hc->arg[1], sizeof(info)))
		return -XEN_EFAULT;
	/* No XENFEAT_* is implemented yet: every submap is empty. */
	info.submap = 0;
	return hvk_copy_to_guest(hc->vcpu, hc->arg[1], &info, sizeof(info)) ?
	       -XEN_EFAULT : 0;
}

long hvk_hc_xen_version(struct hvk_hcall *hc)
{
	switch (hc->arg[0]) {
	case XEN_XENVER_VERSION:
		return (HVK_XEN_MAJOR << 16) | HVK_XEN_MINOR;
	case XEN_XENVER_EXTRAVERSION:
		return hvk_copy_to_guest(hc->vcpu, hc->arg[1], hvk_xen_extraversion,
					 sizeof(hvk_xen_extraversion)) ? -XEN_EFAULT : 0;
	case XEN_XENVER_GET_FEATURES:
		return version_get_features(hc);
	case XEN_XENVER_PAGESIZE:
		return PAGE_SIZE;
	}
	return -XEN_ENOSYS;
}
