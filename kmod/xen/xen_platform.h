/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What a guest finds at CPUID 0x40000000 and up, and Xen's hypercall-page
 * MSR.  By default a VM shows hvk's signature and no Xen leaves, so Linux
 * does not take its Xen path; a VM created with HVK_VM_XEN_COMPAT shows
 * Xen's leaves at 0x40000000 (hvk's one block up) and accepts the MSR.
 */
#ifndef HVK_KMOD_XEN_PLATFORM_H
#define HVK_KMOD_XEN_PLATFORM_H

#include <linux/types.h>

struct hvk_vcpu;

/* Fills the registers for a leaf in 0x40000000..0x4000ffff. */
void hvk_platform_cpuid(struct hvk_vcpu *vcpu, u32 leaf,
			u32 *eax, u32 *ebx, u32 *ecx, u32 *edx);
/* The hypercall-page MSR: 0 handled, -ENOENT not this MSR, -EINVAL #GP. */
int hvk_platform_rdmsr(struct hvk_vcpu *vcpu, u32 index, u64 *value);
int hvk_platform_wrmsr(struct hvk_vcpu *vcpu, u32 index, u64 value);

#endif /* HVK_KMOD_XEN_PLATFORM_H */
