// SPDX-License-Identifier: GPL-2.0
/*
 * xen_version: what Xen answers a PVH domU (REFERENCE-GUEST-SERVICES §5;
 * Xen: common/kernel.c with the default XSM policy, xsm/dummy.h).  The
 * policy hides the command line and build id from a domU ("<denied>",
 * -EPERM); hvk, which has neither, answers the same.
 */
#include <linux/kernel.h>
#include <linux/mm.h>
#include <abi/xen/errno.h>
#include <abi/xen/version.h>

#include "guest_mem.h"
#include "hypercall.h"

static const char hvk_xen_extraversion[] = "-hvk";
/* Xen with HVM and no PV support lists only the hvm-3.0 interfaces. */
static const char hvk_xen_capabilities[] = "hvm-3.0-x86_32 hvm-3.0-x86_32p hvm-3.0-x86_64 ";
/* What a Xen built outside a source repository reports. */
static const char hvk_xen_changeset[] = "unavailable";
/* xsm/dummy.h denies a domU XENVER_commandline: this string, its NUL included. */
static const char hvk_xen_denied[] = "<denied>";

/*
 * Every domain gets these bits in submap 0 (Xen's XENVER_get_features for
 * a translated HVM domain without PIRQs), each one hvk honours:
 * auto_translated_physmap (guest frames are frames), hvm_callback_vector
 * and hvm_safe_pvclock (event channels, pvclock), the vnode flag (accepted
 * and ignored, as a Xen without vNUMA does), the runstate and time areas by
 * physical address, not_direct_mapped; writable_page_tables and
 * dm_msix_all_writes are set by Xen for every HVM domain and have nothing
 * for the guest to act on (its page tables are its own; hvk forwards every
 * MMIO write outside RAM and the APIC to the VMM).
 */
#define HVK_XENFEATURES_SUBMAP0 ((1u << XEN_XENFEAT_WRITABLE_PAGE_TABLES) |      \
				 (1u << XEN_XENFEAT_AUTO_TRANSLATED_PHYSMAP) |   \
				 (1u << XEN_XENFEAT_HVM_CALLBACK_VECTOR) |       \
				 (1u << XEN_XENFEAT_HVM_SAFE_PVCLOCK) |          \
				 (1u << XEN_XENFEAT_MEMORY_OP_VNODE_SUPPORTED) | \
				 (1u << XEN_XENFEAT_NOT_DIRECT_MAPPED) |         \
				 (1u << XEN_XENFEAT_RUNSTATE_PHYS_AREA) |        \
				 (1u << XEN_XENFEAT_VCPU_TIME_PHYS_AREA) |       \
				 (1u << XEN_XENFEAT_DM_MSIX_ALL_WRITES))

/* A NUL-padded char[@size] holding @str, as Xen's safe_strcpy into a zeroed array. */
static long version_copy_string(struct hvk_hcall *hc, const char *str, size_t size)
{
	char *buf = kzalloc(size, GFP_KERNEL);
	long ret;

	if (!buf)
		return -XEN_ENOMEM;
	strscpy(buf, str, size);
	ret = hvk_copy_to_guest(hc->vcpu, hc->arg[1], buf, size) ? -XEN_EFAULT : 0;
	kfree(buf);
	return ret;
}

static long version_compile_info(struct hvk_hcall *hc)
{
	struct xen_compile_info info = {};

	strscpy((char *)info.compiler, CONFIG_CC_VERSION_TEXT, sizeof(info.compiler));
	strscpy((char *)info.compile_by, "hvk", sizeof(info.compile_by));
	strscpy((char *)info.compile_domain, "hvk", sizeof(info.compile_domain));
	return hvk_copy_to_guest(hc->vcpu, hc->arg[1], &info, sizeof(info)) ? -XEN_EFAULT : 0;
}

/* xen_platform_parameters: xen_ulong_t virt_start, 0 for an HVM guest. */
static long version_platform_parameters(struct hvk_hcall *hc)
{
	u64 virt_start = 0;

	return hvk_copy_to_guest(hc->vcpu, hc->arg[1], &virt_start,
				 hc->long_mode ? 8 : 4) ? -XEN_EFAULT : 0;
}

/* Only submap 0 exists (XENFEAT_NR_SUBMAPS is 1): others are -EINVAL. */
static long version_get_features(struct hvk_hcall *hc)
{
	struct xen_feature_info info;

	if (hvk_copy_from_guest(hc->vcpu, &info, hc->arg[1], sizeof(info)))
		return -XEN_EFAULT;
	if (info.submap_idx != 0)
		return -XEN_EINVAL;
	info.submap = HVK_XENFEATURES_SUBMAP0;
	return hvk_copy_to_guest(hc->vcpu, hc->arg[1], &info, sizeof(info)) ?
	       -XEN_EFAULT : 0;
}

/* The domain handle the toolstack gave it: hvk's VMM gives none (zeros). */
static long version_guest_handle(struct hvk_hcall *hc)
{
	static const u8 handle[XEN_GUEST_HANDLE_LEN];

	return hvk_copy_to_guest(hc->vcpu, hc->arg[1], handle, sizeof(handle)) ?
	       -XEN_EFAULT : 0;
}

/*
 * XENVER_*2 (struct xen_varbuf): a NULL argument asks for the length;
 * else the string (no NUL) goes to buf if len leaves room, else -ENOBUFS.
 * The result is the length.
 */
static long version_varbuf(struct hvk_hcall *hc, const char *str)
{
	struct xen_varbuf vb;
	size_t len = strlen(str);

	if (!hc->arg[1])
		return len;
	if (hvk_copy_from_guest(hc->vcpu, &vb, hc->arg[1], sizeof(vb)))
		return -XEN_EFAULT;
	if (len > vb.len)
		return -XEN_ENOBUFS;
	if (hvk_copy_to_guest(hc->vcpu, hc->arg[1] + sizeof(vb), str, len))
		return -XEN_EFAULT;
	return len;
}

long hvk_hc_xen_version(struct hvk_hcall *hc)
{
	switch (hc->arg[0]) {
	case XEN_XENVER_VERSION:
		return (HVK_XEN_MAJOR << 16) | HVK_XEN_MINOR;
	case XEN_XENVER_EXTRAVERSION:
		return version_copy_string(hc, hvk_xen_extraversion, XEN_EXTRAVERSION_LEN);
	case XEN_XENVER_COMPILE_INFO:
		return version_compile_info(hc);
	case XEN_XENVER_CAPABILITIES:
		return version_copy_string(hc, hvk_xen_capabilities, XEN_CAPABILITIES_LEN);
	case XEN_XENVER_CHANGESET:
		return version_copy_string(hc, hvk_xen_changeset, XEN_CHANGESET_LEN);
	case XEN_XENVER_PLATFORM_PARAMETERS:
		return version_platform_parameters(hc);
	case XEN_XENVER_GET_FEATURES:
		return version_get_features(hc);
	case XEN_XENVER_PAGESIZE:
		/* Takes no buffer: a non-NULL one is a mistake (Xen). */
		return hc->arg[1] ? -XEN_EINVAL : PAGE_SIZE;
	case XEN_XENVER_GUEST_HANDLE:
		return version_guest_handle(hc);
	case XEN_XENVER_COMMANDLINE:
		return hvk_copy_to_guest(hc->vcpu, hc->arg[1], hvk_xen_denied,
					 sizeof(hvk_xen_denied)) ? -XEN_EFAULT : 0;
	case XEN_XENVER_BUILD_ID:
	case XEN_XENVER_COMMANDLINE2:
		return -XEN_EPERM;      /* denied to a domU */
	case XEN_XENVER_EXTRAVERSION2:
		return version_varbuf(hc, hvk_xen_extraversion);
	case XEN_XENVER_CAPABILITIES2:
		return version_varbuf(hc, hvk_xen_capabilities);
	case XEN_XENVER_CHANGESET2:
		return version_varbuf(hc, hvk_xen_changeset);
	}
	return -XEN_ENOSYS;
}
