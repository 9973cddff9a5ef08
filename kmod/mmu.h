/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Guest-physical access faults (SVM #NPF, VMX EPT violation), vendor-neutral:
 * an access to a memory slot maps the 4 KiB page and resumes; anything else
 * (no slot, or a write to a read-only slot) exits to the VMM as MMIO.
 */
#ifndef HVK_KMOD_MMU_H
#define HVK_KMOD_MMU_H

#include <linux/types.h>

struct hvk_vcpu;

struct hvk_gpa_fault {
	u64 gpa;
	bool write;
	bool fetch;
};

/* 1: mapped, resume; 0: MMIO exit filled in; < 0: error. */
int hvk_mmu_fault(struct hvk_vcpu *vcpu, const struct hvk_gpa_fault *fault);

#endif /* HVK_KMOD_MMU_H */
