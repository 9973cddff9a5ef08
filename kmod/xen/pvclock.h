/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Each vCPU's pvclock (struct xen_vcpu_time_info): system time, the ns
 * since the VM was created, extrapolated by the guest from its TSC with
 * the VM's fixed scale.  Every update re-bases on the previous one, so the
 * clock the guest computes never jumps back at an update.
 *
 * A vCPU's clock is published, together, to up to three places, each with
 * the version protocol (odd while it changes):
 *   - its vcpu_info's `time` (hvk_vcpu_info(): the shared_info slot, or
 *     the copy VCPUOP_register_vcpu_info moved it to, which alone is
 *     written from then on);
 *   - the area of VCPUOP_register_vcpu_time_memory_area, by guest-virtual
 *     address, through the vCPU's own page tables (Linux's vDSO clock);
 *   - the area of VCPUOP_register_vcpu_time_phys_area (guest_area.h).
 * Updates run on the vCPU's own thread before it enters the guest, after
 * it was loaded onto a CPU or something moved (pvclock_dirty).
 *
 * Other parts of hvk measure system time by the host's clock from the same
 * origin (hvk_xen_system_time); the two agree to the accuracy of the
 * host's TSC calibration.  Deadlines a guest computes from its pvclock
 * (timers) are converted with hvk_pvclock_now, the clock it reads.
 */
#ifndef HVK_KMOD_XEN_PVCLOCK_H
#define HVK_KMOD_XEN_PVCLOCK_H

#include <linux/types.h>

#include "guest_area.h"

struct hvk_hcall;
struct hvk_vcpu;
struct hvk_vm;

struct hvk_pvclock {
	u64 tsc_timestamp;              /* of the values last published; 0: never */
	u64 system_time;
	u32 version;                    /* of the last update, even */
	u64 time_gva;                   /* the virtual area; 0: none */
	struct hvk_guest_area time_phys;
};

/* The VM's scale and flags, from the host's TSC. */
void hvk_pvclock_vm_init(struct hvk_vm *vm);
/* Publishes @vcpu's clock; its own thread, preemption may be off. */
void hvk_pvclock_update(struct hvk_vcpu *vcpu);
/* System time as @vcpu's pvclock reads it now; its own thread. */
u64 hvk_pvclock_now(struct hvk_vcpu *vcpu);
/* System time by the host's monotonic clock; any context. */
u64 hvk_xen_system_time(struct hvk_vm *vm);

/* vcpu_op: register_vcpu_time_memory_area / _phys_area for @target. */
long hvk_pvclock_register_virtual(struct hvk_hcall *hc, struct hvk_vcpu *target);
long hvk_pvclock_register_phys(struct hvk_hcall *hc, struct hvk_vcpu *target);

#endif /* HVK_KMOD_XEN_PVCLOCK_H */
