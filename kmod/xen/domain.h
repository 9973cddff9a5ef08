/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The guest's domain, as Xen names it.  hvk's guest is alone: it is told
 * its own id (CPUID base+4 ECX, as Xen does) and finds itself by that id or
 * by DOMID_SELF (Xen's rcu_lock_domain_by_any_id()); no other domain can be
 * named (-ESRCH, GNTST_bad_domain).  The VMM's event channel ports show
 * domain 0 as their other end (evtchn.c).
 */
#ifndef HVK_KMOD_XEN_DOMAIN_H
#define HVK_KMOD_XEN_DOMAIN_H

#include <linux/types.h>
#include <abi/xen/hypercall.h>

/* The first id Xen gives a guest after dom0's. */
#define HVK_XEN_DOMID  1

static inline bool hvk_xen_domid_is_self(u16 domid)
{
	return domid == XEN_DOMID_SELF || domid == HVK_XEN_DOMID;
}

#endif /* HVK_KMOD_XEN_DOMAIN_H */
