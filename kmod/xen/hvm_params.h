/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The HVM parameters (REFERENCE-GUEST-SERVICES §7; Xen: arch/x86/hvm/hvm.c
 * hvm_allow_{get,set}_param, hvm_{get,set}_param): what the guest may read
 * and write of its own, as Xen answers a PVH domU, and the ones the VMM
 * sets before boot as a toolstack does (HVK_VM_XEN_SET_PARAM).
 *
 * Values are single words: any thread reads them without a lock.
 * HVM_PARAM_CALLBACK_IRQ (0) is the event channels' (evtchn.h).
 */
#ifndef HVK_KMOD_XEN_HVM_PARAMS_H
#define HVK_KMOD_XEN_HVM_PARAMS_H

#include <linux/types.h>
#include <abi/xen/hvm_op.h>

struct hvk_vcpu;
struct hvk_vm;
struct hvk_xen_param;

struct hvk_hvm_params {
	u64 value[XEN_HVM_NR_PARAMS];
};

/* The guest's own parameters (@index < XEN_HVM_NR_PARAMS): 0 or a Xen errno. */
int hvk_hvm_param_get(struct hvk_vcpu *caller, u32 index, u64 *value);
int hvk_hvm_param_set(struct hvk_vcpu *caller, u32 index, u64 value);

/* HVK_VM_XEN_SET_PARAM: 0 or -EINVAL (not a Xen VM, bad request or index). */
int hvk_hvm_param_vmm_set(struct hvk_vm *vm, const struct hvk_xen_param *req);

#endif /* HVK_KMOD_XEN_HVM_PARAMS_H */
