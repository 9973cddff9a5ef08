// SPDX-License-Identifier: GPL-2.0
/*
 * hvm_op: the HVM parameters a PVH guest reads at boot.  hvk offers no
 * xenstore and no PV console, so they read 0 ("no such device", which is
 * what Linux checks for); a guest may not set them (-EPERM, as Xen refuses
 * guests most parameters).  Unknown indices: -EINVAL.
 */
#include <abi/xen/errno.h>
#include <abi/xen/hvm_op.h>
#include <abi/xen/hypercall.h>

#include "guest_mem.h"
#include "hypercall.h"

static bool hvm_param_known(u32 index)
{
	switch (index) {
	case XEN_HVM_PARAM_STORE_PFN:
	case XEN_HVM_PARAM_STORE_EVTCHN:
	case XEN_HVM_PARAM_CONSOLE_PFN:
	case XEN_HVM_PARAM_CONSOLE_EVTCHN:
		return true;
	}
	return false;
}

static long hvm_param(struct hvk_hcall *hc, bool set)
{
	struct xen_hvm_param p;

	if (hvk_copy_from_guest(hc->vcpu, &p, hc->arg[1], sizeof(p)))
		return -XEN_EFAULT;
	if (p.domid != XEN_DOMID_SELF)
		return -XEN_ESRCH;
	if (!hvm_param_known(p.index))
		return -XEN_EINVAL;
	if (set)
		return -XEN_EPERM;
	p.value = 0;
	return hvk_copy_to_guest(hc->vcpu, hc->arg[1], &p, sizeof(p)) ? -XEN_EFAULT : 0;
}

long hvk_hc_hvm_op(struct hvk_hcall *hc)
{
	switch (hc->arg[0]) {
	case XEN_HVMOP_SET_PARAM:
		return hvm_param(hc, true);
	case XEN_HVMOP_GET_PARAM:
		return hvm_param(hc, false);
	}
	return -XEN_ENOSYS;
}
