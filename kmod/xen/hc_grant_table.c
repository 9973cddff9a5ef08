// SPDX-License-Identifier: GPL-2.0
/*
 * grant_table_op(cmd, uop, count) (grant_table.h; Xen: hvm_grant_table_op()
 * then do_grant_table_op() or its compat twin for a 32-bit caller).  hvk
 * serves the table's own ops: setup_table, query_size, set_version (1;
 * 2 as a Xen without v2), get_version.  Mapping, unmapping, copying and
 * swapping grants need another domain: -ENOSYS.  Their failures are the
 * kind Linux survives (REFERENCE-GUEST-SERVICES §9: grants are off, boot
 * goes on).  Errors of the op itself are in its status field, the call
 * returning 0; the call fails only for its arguments.
 */
#include <linux/kernel.h>
#include <abi/xen/errno.h>
#include <abi/xen/grant_table.h>

#include "domain.h"
#include "grant_table.h"
#include "guest_mem.h"
#include "hypercall.h"
#include "vcpu.h"

struct gnttab_call {
	struct hvk_hcall *hc;
	u64 uop;
	u32 count;
};

/*
 * The status of setup_table and query_size is a field of the caller's
 * struct, at the same offset from 32- and 64-bit callers.
 */
static int gnttab_put_status(const struct gnttab_call *c, unsigned int offset, s16 status)
{
	return hvk_copy_to_guest(c->hc->vcpu, c->uop + offset, &status, sizeof(status)) ?
	       -XEN_EFAULT : 0;
}

/*
 * The frame list: xen_pfn_t, 8 bytes from a 64-bit caller; 4 from a 32-bit
 * one, where a frame that does not fit (HVK_GNTTAB_NO_GFN) stops the list
 * with GNTST_address_too_big (Xen's compat translation).
 */
static s16 gnttab_put_frames(const struct gnttab_call *c, u64 list, const u64 *gfns,
			     unsigned int nr)
{
	struct hvk_vcpu *vcpu = c->hc->vcpu;
	unsigned int i;
	u32 gfn32;

	for (i = 0; i < nr; i++) {
		if (c->hc->long_mode) {
			if (hvk_copy_to_guest(vcpu, list + i * 8, &gfns[i], 8))
				return XEN_GNTST_BAD_VIRT_ADDR;
			continue;
		}
		gfn32 = gfns[i];
		if (gfn32 != gfns[i])
			return XEN_GNTST_ADDRESS_TOO_BIG;
		if (hvk_copy_to_guest(vcpu, list + i * 4, &gfn32, 4))
			return XEN_GNTST_BAD_VIRT_ADDR;
	}
	return XEN_GNTST_OKAY;
}

static long gnttab_setup_table(const struct gnttab_call *c)
{
	struct xen_gnttab_setup_table64 op64;
	struct xen_gnttab_setup_table32 op32;
	u64 gfns[HVK_GNTTAB_MAX_FRAMES], list;
	u32 nr;
	u16 dom;
	s16 status;

	/* Xen's compat path does nothing for a count of 0. */
	if (!c->hc->long_mode && c->count == 0)
		return 0;
	if (c->count != 1)
		return -XEN_EINVAL;
	if (c->hc->long_mode) {
		if (hvk_copy_from_guest(c->hc->vcpu, &op64, c->uop, sizeof(op64)))
			return -XEN_EFAULT;
		dom = op64.dom, nr = op64.nr_frames, list = op64.frame_list;
	} else {
		if (hvk_copy_from_guest(c->hc->vcpu, &op32, c->uop, sizeof(op32)))
			return -XEN_EFAULT;
		dom = op32.dom, nr = op32.nr_frames, list = op32.frame_list;
	}
	if (!hvk_xen_domid_is_self(dom))
		status = XEN_GNTST_BAD_DOMAIN;
	else if (nr > HVK_GNTTAB_MAX_FRAMES || hvk_gnttab_setup(c->hc->vcpu->vm, nr, gfns))
		status = XEN_GNTST_GENERAL_ERROR;
	else
		status = gnttab_put_frames(c, list, gfns, nr);
	return gnttab_put_status(c, offsetof(struct xen_gnttab_setup_table64, status), status);
}

static long gnttab_query_size(const struct gnttab_call *c)
{
	struct xen_gnttab_query_size op;

	if (c->count != 1)
		return -XEN_EINVAL;
	if (hvk_copy_from_guest(c->hc->vcpu, &op, c->uop, sizeof(op)))
		return -XEN_EFAULT;
	if (hvk_xen_domid_is_self(op.dom)) {
		op.nr_frames = hvk_gnttab_nr_frames(c->hc->vcpu->vm);
		op.max_nr_frames = HVK_GNTTAB_MAX_FRAMES;
		op.status = XEN_GNTST_OKAY;
	} else {
		op.status = XEN_GNTST_BAD_DOMAIN;
	}
	return hvk_copy_to_guest(c->hc->vcpu, c->uop, &op, sizeof(op)) ? -XEN_EFAULT : 0;
}

/*
 * Version 1 is what the table is and stays; 2 is -ENOSYS, as a Xen whose
 * max_grant_version is 1 answers ("as before set_version existed").  The
 * version in force is written back either way.
 */
static long gnttab_set_version(const struct gnttab_call *c)
{
	struct xen_gnttab_set_version op;
	long ret = 0;

	if (hvk_copy_from_guest(c->hc->vcpu, &op, c->uop, sizeof(op)))
		return -XEN_EFAULT;
	if (op.version != 1 && op.version != 2)
		ret = -XEN_EINVAL;
	else if (op.version == 2)
		ret = -XEN_ENOSYS;
	op.version = HVK_GNTTAB_VERSION;
	if (hvk_copy_to_guest(c->hc->vcpu, c->uop, &op, sizeof(op)))
		ret = -XEN_EFAULT;
	return ret;
}

static long gnttab_get_version(const struct gnttab_call *c)
{
	struct xen_gnttab_get_version op;
	u32 version = HVK_GNTTAB_VERSION;

	if (hvk_copy_from_guest(c->hc->vcpu, &op, c->uop, sizeof(op)))
		return -XEN_EFAULT;
	if (!hvk_xen_domid_is_self(op.dom))
		return -XEN_ESRCH;
	return hvk_copy_to_guest(c->hc->vcpu, c->uop + offsetof(typeof(op), version),
				 &version, sizeof(version)) ? -XEN_EFAULT : 0;
}

long hvk_hc_grant_table_op(struct hvk_hcall *hc)
{
	/* Xen's types: unsigned int cmd and count, checked as an int. */
	const struct gnttab_call c = { hc, hc->arg[1], (u32)hc->arg[2] };
	u32 cmd = hc->arg[0];

	/* hvm_grant_table_op(): other commands are not for HVM guests. */
	switch (cmd) {
	case XEN_GNTTABOP_SETUP_TABLE:
	case XEN_GNTTABOP_QUERY_SIZE:
	case XEN_GNTTABOP_SET_VERSION:
	case XEN_GNTTABOP_GET_VERSION:
		break;
	default:
		/* map, unmap, copy, swap: no other domain to grant to. */
		return -XEN_ENOSYS;
	}
	if ((s32)c.count < 0)
		return -XEN_EINVAL;
	switch (cmd) {
	case XEN_GNTTABOP_SETUP_TABLE:
		return gnttab_setup_table(&c);
	case XEN_GNTTABOP_QUERY_SIZE:
		return gnttab_query_size(&c);
	case XEN_GNTTABOP_SET_VERSION:
		return gnttab_set_version(&c);
	}
	return gnttab_get_version(&c);
}
