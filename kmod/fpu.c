// SPDX-License-Identifier: GPL-2.0
/* Guest FPU/SIMD state (see fpu.h). */
#include "fpu.h"

/*
 * The guest fpstate starts in the architectural init state (FCW 0x37f,
 * MXCSR 0x1f80), as after RESET; PKRU's reset value is 0.
 */
int hvk_fpu_init(struct hvk_fpu *fpu)
{
	fpu->guest_pkru = 0;
	return fpu_alloc_guest_fpstate(&fpu->guest) ? 0 : -ENOMEM;
}

void hvk_fpu_destroy(struct hvk_fpu *fpu)
{
	fpu_free_guest_fpstate(&fpu->guest);
}

void hvk_fpu_load_guest(struct hvk_fpu *fpu)
{
	fpu_swap_kvm_fpstate(&fpu->guest, true);
}

void hvk_fpu_put_guest(struct hvk_fpu *fpu)
{
	fpu_swap_kvm_fpstate(&fpu->guest, false);
}
