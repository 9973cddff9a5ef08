/* SPDX-License-Identifier: GPL-2.0 */
/*
 * struct xen_vcpu_hvm_context -> architectural vCPU state.
 *
 * The one validator for a vCPU's start state: HVK_VCPU_SET_HVM_CONTEXT (the
 * VMM's boot vCPU) and VCPUOP_initialise (a guest's secondary vCPUs) both
 * call hvk_hvm_context_to_regs(), so they accept and refuse exactly the same
 * contexts.  Refusals are -EINVAL, as Xen answers.
 */
#ifndef HVK_KMOD_HVM_CONTEXT_H
#define HVK_KMOD_HVM_CONTEXT_H

#include <abi/hvk.h>
#include <abi/xen/vcpu.h>

int hvk_hvm_context_to_regs(const struct xen_vcpu_hvm_context *ctx,
			    struct hvk_regs *regs);
/* The control-register, EFER, RFLAGS and segment rules, for SET_REGS too. */
int hvk_regs_check(const struct hvk_regs *regs);

#endif /* HVK_KMOD_HVM_CONTEXT_H */
