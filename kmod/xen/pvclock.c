// SPDX-License-Identifier: GPL-2.0
/* Each vCPU's pvclock and its copies (see pvclock.h). */
#include <linux/math64.h>
#include <linux/mm.h>
#include <linux/rcupdate.h>
#include <linux/timekeeping.h>
#include <asm/cpufeature.h>
#include <asm/msr-index.h>
#include <asm/tsc.h>
#include <abi/xen/errno.h>
#include <abi/xen/shared_info.h>
#include <abi/xen/vcpu.h>

#include "irq/inject.h"
#include "guest_area.h"
#include "guest_mem.h"
#include "hypercall.h"
#include "pvclock.h"
#include "smp.h"
#include "vcpu.h"
#include "vcpu_info.h"
#include "vendor.h"
#include "vm.h"

/*
 * ns = ((tsc_delta << shift) * mul) >> 32, with mul < 2^32: normalise the
 * TSC rate into (1e9, 2e9] by shifting, then mul = 1e9 * 2^32 / rate.
 */
static void pvclock_scale(u64 tsc_hz, s8 *shift, u32 *mul)
{
	s8 s = 0;

	while (tsc_hz > 2 * NSEC_PER_SEC) {
		tsc_hz >>= 1;
		s--;
	}
	while (tsc_hz <= NSEC_PER_SEC) {
		tsc_hz <<= 1;
		s++;
	}
	*shift = s;
	*mul = div64_u64((u64)NSEC_PER_SEC << 32, tsc_hz);
}

static u64 pvclock_scale_delta(u64 delta, s8 shift, u32 mul)
{
	delta = shift >= 0 ? delta << shift : delta >> -shift;
	return mul_u64_u32_shr(delta, mul, 32);
}

void hvk_pvclock_vm_init(struct hvk_vm *vm)
{
	struct hvk_shared_info *si = &vm->shared_info;

	pvclock_scale((u64)tsc_khz * 1000, &si->tsc_shift, &si->tsc_to_system_mul);
	si->flags = (boot_cpu_has(X86_FEATURE_CONSTANT_TSC) &&
		     boot_cpu_has(X86_FEATURE_NONSTOP_TSC) && !check_tsc_unstable()) ?
		    XEN_PVCLOCK_TSC_STABLE : 0;
}

u64 hvk_xen_system_time(struct hvk_vm *vm)
{
	return ktime_get_ns() - vm->shared_info.created_ns;
}

/* The clock extrapolated to @guest_tsc from the values last published. */
static u64 pvclock_at(struct hvk_vcpu *vcpu, u64 guest_tsc)
{
	const struct hvk_shared_info *si = &vcpu->vm->shared_info;
	const struct hvk_pvclock *pc = &vcpu->xen.pvclock;

	/* A guest that set its TSC back gets no time from the difference. */
	if (guest_tsc < pc->tsc_timestamp)
		return pc->system_time;
	return pc->system_time + pvclock_scale_delta(guest_tsc - pc->tsc_timestamp,
						     si->tsc_shift, si->tsc_to_system_mul);
}

u64 hvk_pvclock_now(struct hvk_vcpu *vcpu)
{
	u64 guest_tsc;

	if (!vcpu->xen.pvclock.tsc_timestamp ||
	    hvk_ops->get_msr(vcpu, MSR_IA32_TSC, &guest_tsc))
		return hvk_xen_system_time(vcpu->vm);
	return pvclock_at(vcpu, guest_tsc);
}

/* Everything after `version`: the same 28 bytes in every copy. */
#define PVCLOCK_BODY_OFFSET  offsetof(struct xen_vcpu_time_info, tsc_timestamp)
#define PVCLOCK_BODY_SIZE    (sizeof(struct xen_vcpu_time_info) - PVCLOCK_BODY_OFFSET)

/* A copy in kernel-addressable memory (vcpu_info, the physical area). */
static void pvclock_publish(struct xen_vcpu_time_info *dst,
			    const struct xen_vcpu_time_info *t)
{
	WRITE_ONCE(dst->version, t->version - 1);
	smp_wmb();
	memcpy((u8 *)dst + PVCLOCK_BODY_OFFSET, (const u8 *)t + PVCLOCK_BODY_OFFSET,
	       PVCLOCK_BODY_SIZE);
	smp_wmb();
	WRITE_ONCE(dst->version, t->version);
}

/*
 * The virtual area, through the guest's page tables; a failing first
 * write leaves it alone (Xen's update_secondary_system_time()).
 */
static void pvclock_publish_virtual(struct hvk_vcpu *vcpu, u64 gva,
				    const struct xen_vcpu_time_info *t)
{
	u32 odd = t->version - 1;

	if (hvk_copy_to_guest(vcpu, gva, &odd, sizeof(odd)))
		return;
	smp_wmb();
	hvk_copy_to_guest(vcpu, gva + PVCLOCK_BODY_OFFSET,
			  (const u8 *)t + PVCLOCK_BODY_OFFSET, PVCLOCK_BODY_SIZE);
	smp_wmb();
	hvk_copy_to_guest(vcpu, gva, &t->version, sizeof(t->version));
}

void hvk_pvclock_update(struct hvk_vcpu *vcpu)
{
	const struct hvk_shared_info *si = &vcpu->vm->shared_info;
	struct hvk_pvclock *pc = &vcpu->xen.pvclock;
	u8 *vi = hvk_vcpu_info(vcpu);
	void *phys;
	u64 gva = READ_ONCE(pc->time_gva), guest_tsc;
	struct xen_vcpu_time_info t = {};

	if ((!vi && !READ_ONCE(pc->time_phys.map) && !gva) ||
	    hvk_ops->get_msr(vcpu, MSR_IA32_TSC, &guest_tsc))
		return;
	t.system_time = pc->tsc_timestamp ? pvclock_at(vcpu, guest_tsc) :
					    hvk_xen_system_time(vcpu->vm);
	t.tsc_timestamp = guest_tsc;
	t.tsc_to_system_mul = si->tsc_to_system_mul;
	t.tsc_shift = si->tsc_shift;
	t.flags = si->flags;
	/* One counter for every copy: a guest writing a copy cannot confuse it. */
	pc->version += 2;
	t.version = pc->version;
	pc->tsc_timestamp = guest_tsc;
	pc->system_time = t.system_time;
	if (vi)
		pvclock_publish((void *)(vi + offsetof(struct xen_vcpu_info64, time)), &t);
	/* The physical copy stays pinned until the unlock (guest_area.h). */
	rcu_read_lock();
	phys = READ_ONCE(pc->time_phys.map);
	if (phys)
		pvclock_publish(phys, &t);
	rcu_read_unlock();
	if (gva)
		pvclock_publish_virtual(vcpu, gva, &t);
}

/*
 * A copy for @target appears now: written at once by its own thread, or at
 * its next entry (the updates are that thread's alone).
 */
static void pvclock_refresh(struct hvk_hcall *hc, struct hvk_vcpu *target)
{
	if (target == hc->vcpu) {
		hvk_pvclock_update(target);
		return;
	}
	WRITE_ONCE(target->pvclock_dirty, true);
	spin_lock(&target->vm->power_lock);
	hvk_vcpu_kick_event(target);
	spin_unlock(&target->vm->power_lock);
}

/*
 * The address is a guest handle: 8 bytes from a 64-bit caller, 4 (the low
 * half of the 8-byte struct) from a 32-bit one (Xen's compat_vcpu_op).
 * Any address is accepted, as Xen takes any handle of an HVM guest: a
 * copy that cannot be written is not written.  0 unregisters.
 */
static int pvclock_read_handle(struct hvk_hcall *hc, u64 *gva)
{
	u32 handle32;

	if (hc->long_mode)
		return hvk_copy_from_guest(hc->vcpu, gva, hc->arg[2], sizeof(*gva)) ?
		       -XEN_EFAULT : 0;
	if (hvk_copy_from_guest(hc->vcpu, &handle32, hc->arg[2], sizeof(handle32)))
		return -XEN_EFAULT;
	*gva = handle32;
	return 0;
}

long hvk_pvclock_register_virtual(struct hvk_hcall *hc, struct hvk_vcpu *target)
{
	u64 gva;
	int err = pvclock_read_handle(hc, &gva);

	if (err)
		return err;
	WRITE_ONCE(target->xen.pvclock.time_gva, gva);
	pvclock_refresh(hc, target);
	return 0;
}

/*
 * Xen's map_guest_area(): an all-ones address unregisters; a new area
 * replaces the old one; it must hold a whole vcpu_time_info.
 */
long hvk_pvclock_register_phys(struct hvk_hcall *hc, struct hvk_vcpu *target)
{
	struct hvk_guest_area area = {}, old;
	u64 gpa;
	int err;

	if (hvk_copy_from_guest(hc->vcpu, &gpa, hc->arg[2], sizeof(gpa)))
		return -XEN_EFAULT;
	if (gpa != ~0ULL) {
		err = hvk_guest_area_resolve(hc->vcpu->vm, gpa,
					     sizeof(struct xen_vcpu_time_info), &area);
		if (err)
			return err;
	}
	/* Two registrations at once: each retires what it replaced. */
	mutex_lock(&target->vm->vcpus_lock);
	old = target->xen.pvclock.time_phys;
	/* The slot first: a deletion check never sees a map without it. */
	WRITE_ONCE(target->xen.pvclock.time_phys.slot, area.slot);
	target->xen.pvclock.time_phys.gpa = area.gpa;
	WRITE_ONCE(target->xen.pvclock.time_phys.map, area.map);
	mutex_unlock(&target->vm->vcpus_lock);
	hvk_guest_area_retire(hc, target, &old);
	if (area.map)
		pvclock_refresh(hc, target);
	return 0;
}
