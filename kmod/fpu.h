/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Guest FPU/SIMD state.  The guest's x87/SSE/AVX registers live in a
 * per-vCPU XSAVE area covering every component the host's XCR0 enables: a
 * guest that sets CR4.OSXSAVE itself could otherwise read the VMM's upper
 * register halves left in the hardware.  Loaded after kernel_fpu_begin()
 * (which has saved the VMM's own state) and saved before kernel_fpu_end().
 */
#ifndef HVK_KMOD_FPU_H
#define HVK_KMOD_FPU_H

#include <linux/types.h>

struct page;

struct hvk_fpu {
	struct page *pages;
	unsigned int order;
	u64 xfeatures;          /* host XCR0; 0 = FXSAVE only */
	u32 host_pkru;          /* the VMM thread's, across the guest's run */
};

int hvk_fpu_init(struct hvk_fpu *fpu);
void hvk_fpu_destroy(struct hvk_fpu *fpu);
/* Bracket the world switch; preemption is off across the pair. */
void hvk_fpu_load_guest(struct hvk_fpu *fpu);
void hvk_fpu_put_guest(struct hvk_fpu *fpu);

#endif /* HVK_KMOD_FPU_H */
