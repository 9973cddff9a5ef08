// SPDX-License-Identifier: GPL-2.0
/*
 * hvm_op: the HVM parameters (hvm_params.h) as Xen's hvmop_{get,set}_param
 * check them: an unreadable argument -EFAULT, an index beyond the last
 * -EINVAL, then the domain (-ESRCH unless the guest's own), then the
 * parameter's own rules.  HVMOP_set_evtchn_upcall_vector is the event
 * channels' (hc_evtchn.c).
 */
#include <abi/xen/errno.h>
#include <abi/xen/hvm_op.h>
#include <abi/xen/hypercall.h>

#include "domain.h"
#include "guest_mem.h"
#include "hvm_params.h"
#include "hypercall.h"

static long hvm_param(struct hvk_hcall *hc, bool set)
{
	struct xen_hvm_param p;
	int err;

	if (hvk_copy_from_guest(hc->vcpu, &p, hc->arg[1], sizeof(p)))
		return -XEN_EFAULT;
	if (p.index >= XEN_HVM_NR_PARAMS)
		return -XEN_EINVAL;
	if (!hvk_xen_domid_is_self(p.domid))
		return -XEN_ESRCH;
	if (set)
		return hvk_hvm_param_set(hc->vcpu, p.index, p.value);
	err = hvk_hvm_param_get(hc->vcpu, p.index, &p.value);
	if (err)
		return err;
	return hvk_copy_to_guest(hc->vcpu, hc->arg[1], &p, sizeof(p)) ? -XEN_EFAULT : 0;
}

long hvk_hc_hvm_op(struct hvk_hcall *hc)
{
	switch (hc->arg[0]) {
	case XEN_HVMOP_SET_PARAM:
		return hvm_param(hc, true);
	case XEN_HVMOP_GET_PARAM:
		return hvm_param(hc, false);
	case XEN_HVMOP_SET_EVTCHN_UPCALL_VECTOR:
		return hvk_hvmop_set_evtchn_upcall_vector(hc);     /* hc_evtchn.c */
	}
	return -XEN_ENOSYS;
}
