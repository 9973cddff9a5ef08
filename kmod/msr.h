/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Model-specific registers every vCPU has, whatever the vendor: the local
 * APIC's (IA32_APIC_BASE, x2APIC, TSC deadline) and one table of the MSRs
 * mainstream kernels touch at boot, each emulated or answered with #GP
 * exactly as a CPU without the feature would (docs/cpu-model.md).
 * 0 = done, -EINVAL = #GP, -ENOENT = not one of these.
 */
#ifndef HVK_KMOD_MSR_H
#define HVK_KMOD_MSR_H

#include <linux/types.h>

struct hvk_vcpu;

int hvk_msr_read(struct hvk_vcpu *vcpu, u32 index, u64 *value);
int hvk_msr_write(struct hvk_vcpu *vcpu, u32 index, u64 value);

#endif /* HVK_KMOD_MSR_H */
