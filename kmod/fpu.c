// SPDX-License-Identifier: GPL-2.0
/* Guest FPU/SIMD state (see fpu.h). */
#include <asm/cpufeature.h>
#include <asm/fpu/xcr.h>
#include <asm/fpu/xstate.h>

#include "fpu.h"

/*
 * The guest fpstate starts in the architectural init state (FCW 0x37f,
 * MXCSR 0x1f80), as after RESET; PKRU's reset value is 0.
 */
int hvk_fpu_init(struct hvk_fpu *fpu)
{
	fpu->guest_pkru = 0;
	if (!fpu_alloc_guest_fpstate(&fpu->guest))
		return -ENOMEM;
	/*
	 * fpu_alloc_guest_fpstate() leaves XFD at 0 (KVM then sets it from
	 * the guest's CPUID), and its fpstate has no room for the dynamic
	 * components (AMX tile data).  hvk's guests run with the host's XCR0
	 * (XSETBV is intercepted), so XFD is what keeps them off those
	 * registers: armed, as for any task without permission, a guest
	 * touching them takes #NM instead of leaving tile data that no
	 * context switch would save.  Only where the CPU has XFD: elsewhere
	 * the kernel's XFD is 0 throughout, and an fpstate that says
	 * otherwise fails its consistency checks (xfd_validate_state()).
	 */
	if (cpu_feature_enabled(X86_FEATURE_XFD))
		fpu_update_guest_xfd(&fpu->guest, xgetbv(XCR_XFEATURE_ENABLED_MASK) &
					     XFEATURE_MASK_USER_DYNAMIC);
	return 0;
}

void hvk_fpu_destroy(struct hvk_fpu *fpu)
{
	fpu_free_guest_fpstate(&fpu->guest);
}

void hvk_fpu_load_guest(struct hvk_fpu *fpu)
{
	if (cpu_feature_enabled(X86_FEATURE_OSPKE))
		fpu->host_pkru = rdpkru();
	fpu_swap_kvm_fpstate(&fpu->guest, true);
}

void hvk_fpu_put_guest(struct hvk_fpu *fpu)
{
	fpu_swap_kvm_fpstate(&fpu->guest, false);
}
