/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Where each vCPU's vcpu_info lives (REFERENCE-GUEST-SERVICES §2): its slot
 * in shared_info (vCPU < 32) until VCPUOP_register_vcpu_info moves it to
 * a guest frame of the guest's choosing, for good.  Guest RAM is pinned
 * for the slot's life (kmod/memslot.c), so the location is a stable
 * kernel address; all writers (pvclock, event delivery) go through here.
 *
 * A slot holding a registered vcpu_info cannot be deleted by the VMM
 * (guest_area.h): Xen holds a reference on the page for the registration's
 * life, which is the VM's, and event delivery (from hrtimers, at any time)
 * must never find the address gone.
 */
#ifndef HVK_KMOD_XEN_VCPU_INFO_H
#define HVK_KMOD_XEN_VCPU_INFO_H

#include <linux/types.h>

struct hvk_vcpu;

/*
 * The kernel address of @vcpu's 64-byte vcpu_info, or NULL while it has
 * none (no shared_info mapped and none registered, or vCPU >= 32 not
 * registered).  Any thread; the value may change once (registration),
 * so read it once per use.
 */
void *hvk_vcpu_info(struct hvk_vcpu *vcpu);

struct hvk_hcall;

/*
 * VCPUOP_register_vcpu_info for @target, any vCPU (APs are registered by
 * the BSP while down): 0 or a negative Xen errno (guest_area.h; -XEN_EBUSY
 * when registered already, as Xen >= 4.18).
 */
long hvk_vcpu_info_register(struct hvk_hcall *hc, struct hvk_vcpu *target);

#endif /* HVK_KMOD_XEN_VCPU_INFO_H */
