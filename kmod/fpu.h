/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Guest FPU/SIMD state, kept the way KVM keeps it: in the kernel's own
 * guest fpstate (struct fpu_guest), swapped in as the VMM thread's FPU
 * state for the whole of an HVK_RUN rather than around every entry.  The
 * guest's registers then stay loaded from exit to entry; the kernel saves
 * them into the guest fpstate when the thread is preempted or a kernel user
 * of the FPU takes the registers (kernel_fpu_begin()), and they are reloaded
 * right before the next entry.  The fpstate covers every component the
 * kernel enables in XCR0 (guests cannot change XCR0: XSETBV is intercepted),
 * so a guest that sets CR4.OSXSAVE itself never sees the VMM's register
 * contents.
 *
 * PKRU is not part of the swap (the kernel keeps it per task): the guest's
 * is loaded right before each entry and the VMM thread's put back right
 * after the exit, so no kernel access to the VMM's memory runs under the
 * guest's keys.  The VMM thread's is read once per HVK_RUN: inside the
 * ioctl nothing changes it (the kernel reloads it only on the way back to
 * user mode), and a context switch saves and restores the register as it
 * is outside the entry-to-exit window, which runs with interrupts off.
 * RDPKRU/WRPKRU directly, as the feature test is already made: read_pkru()
 * and write_pkru() would test it again and WRPKRU after another RDPKRU.
 */
#ifndef HVK_KMOD_FPU_H
#define HVK_KMOD_FPU_H

#include <linux/thread_info.h>
#include <linux/types.h>
#include <asm/cpufeature.h>
#include <asm/fpu/api.h>
#include <asm/fpu/types.h>
#include <asm/special_insns.h>

struct hvk_fpu {
	struct fpu_guest guest;
	u32 guest_pkru;
	u32 host_pkru;          /* the VMM thread's, during an HVK_RUN */
};

int hvk_fpu_init(struct hvk_fpu *fpu);
void hvk_fpu_destroy(struct hvk_fpu *fpu);
/* Bracket HVK_RUN's loop, in the VMM's thread, interrupts on. */
void hvk_fpu_load_guest(struct hvk_fpu *fpu);
void hvk_fpu_put_guest(struct hvk_fpu *fpu);

/* Right before and right after each world switch, interrupts off. */
static inline void hvk_fpu_before_entry(struct hvk_fpu *fpu)
{
	/* Something used the FPU since the exit (preemption, kernel_fpu_begin). */
	if (test_thread_flag(TIF_NEED_FPU_LOAD))
		switch_fpu_return();
	if (cpu_feature_enabled(X86_FEATURE_OSPKE) && fpu->guest_pkru != fpu->host_pkru)
		wrpkru(fpu->guest_pkru);
}

static inline void hvk_fpu_after_exit(struct hvk_fpu *fpu)
{
	if (cpu_feature_enabled(X86_FEATURE_OSPKE)) {
		fpu->guest_pkru = rdpkru();
		if (fpu->guest_pkru != fpu->host_pkru)
			wrpkru(fpu->host_pkru);
	}
}

#endif /* HVK_KMOD_FPU_H */
