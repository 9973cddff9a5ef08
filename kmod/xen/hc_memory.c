// SPDX-License-Identifier: GPL-2.0
/*
 * memory_op: XENMEM_add_to_physmap for the shared_info page.  Xen's
 * xen_add_to_physmap has xen_ulong_t idx and gpfn: 24 bytes from a 64-bit
 * caller, 16 from a 32-bit one; the caller's mode picks the layout.
 */
#include <abi/xen/errno.h>
#include <abi/xen/hypercall.h>
#include <abi/xen/memory.h>

#include "guest_mem.h"
#include "hypercall.h"
#include "shared_info.h"

struct physmap_req {
	u16 domid;
	u32 space;
	u64 idx;
	u64 gpfn;
};

static int physmap_read(struct hvk_hcall *hc, struct physmap_req *r)
{
	if (hc->long_mode) {
		struct xen_add_to_physmap64 a;

		if (hvk_copy_from_guest(hc->vcpu, &a, hc->arg[1], sizeof(a)))
			return -XEN_EFAULT;
		*r = (struct physmap_req){ a.domid, a.space, a.idx, a.gpfn };
	} else {
		struct xen_add_to_physmap32 a;

		if (hvk_copy_from_guest(hc->vcpu, &a, hc->arg[1], sizeof(a)))
			return -XEN_EFAULT;
		*r = (struct physmap_req){ a.domid, a.space, a.idx, a.gpfn };
	}
	return 0;
}

static long add_to_physmap(struct hvk_hcall *hc)
{
	struct physmap_req r;
	int err = physmap_read(hc, &r);

	if (err)
		return err;
	if (r.domid != XEN_DOMID_SELF)
		return -XEN_ESRCH;
	switch (r.space) {
	case XEN_XENMAPSPACE_SHARED_INFO:
		if (r.idx != 0)
			return -XEN_EINVAL;     /* there is one shared_info page */
		return hvk_shared_info_map(hc->vcpu, r.gpfn);
	case XEN_XENMAPSPACE_GRANT_TABLE:
		return -XEN_ENOSYS;             /* no grant tables */
	}
	return -XEN_EINVAL;
}

long hvk_hc_memory_op(struct hvk_hcall *hc)
{
	switch (hc->arg[0]) {
	case XEN_XENMEM_ADD_TO_PHYSMAP:
		return add_to_physmap(hc);
	}
	return -XEN_ENOSYS;
}
