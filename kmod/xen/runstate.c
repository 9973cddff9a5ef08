// SPDX-License-Identifier: GPL-2.0
/* A vCPU's runstate and the areas showing it (see runstate.h). */
#include <linux/rcupdate.h>
#include <linux/sched.h>
#include <abi/xen/errno.h>
#include <abi/xen/vcpu.h>

#include "guest_area.h"
#include "guest_mem.h"
#include "hypercall.h"
#include "pvclock.h"
#include "runstate.h"
#include "shared_info.h"
#include "vcpu.h"
#include "vcpu_timer.h"
#include "vm.h"

void hvk_runstate_init(struct hvk_vcpu *vcpu)
{
	struct hvk_runstate *rs = &vcpu->xen.runstate;

	spin_lock_init(&rs->lock);
	rs->state = XEN_RUNSTATE_OFFLINE;
	rs->entry_time = hvk_xen_system_time(vcpu->vm);
}

/* Where the runstate is shown, read together under the lock. */
struct runstate_areas {
	u64 gva;
	void *phys;
	bool phys_32bit;
};

/*
 * The runstate as Xen's vcpu_runstate_get() reports it (with @up_to_now:
 * the current state's time to now), and, if @areas, where it is shown.
 */
static void runstate_snapshot(struct hvk_vcpu *vcpu, struct xen_vcpu_runstate_info64 *info,
			      bool up_to_now, struct runstate_areas *areas)
{
	struct hvk_runstate *rs = &vcpu->xen.runstate;
	unsigned long flags;
	u64 now;

	spin_lock_irqsave(&rs->lock, flags);
	if (areas)
		*areas = (struct runstate_areas){ rs->area_gva, rs->phys.map, rs->phys_32bit };
	info->state = rs->state;
	info->pad = 0;
	info->state_entry_time = rs->entry_time;
	memcpy(info->time, rs->time, sizeof(info->time));
	now = hvk_xen_system_time(vcpu->vm);
	if (up_to_now && now > rs->entry_time)
		info->time[rs->state] += now - rs->entry_time;
	spin_unlock_irqrestore(&rs->lock, flags);
}

static void runstate_to_32(const struct xen_vcpu_runstate_info64 *in,
			   struct xen_vcpu_runstate_info32 *out)
{
	int i;

	out->state = in->state;
	out->state_entry_time[0] = in->state_entry_time;
	out->state_entry_time[1] = in->state_entry_time >> 32;
	for (i = 0; i < XEN_RUNSTATE_NR; i++) {
		out->time[i][0] = in->time[i];
		out->time[i][1] = in->time[i] >> 32;
	}
}

/*
 * The virtual area in the VM's shared_info layout (as Xen's
 * update_runstate_area(), without the update flag, which needs a
 * vm_assist hvk does not offer): state and times first, the entry time
 * last, so a reader comparing the entry time before and after (Linux)
 * never takes a mix of old and new.
 */
static void runstate_write_virtual(struct hvk_vcpu *vcpu, u64 gva,
				   const struct xen_vcpu_runstate_info64 *info, bool nofault)
{
	int (*copy)(struct hvk_vcpu *, u64, const void *, size_t) =
		nofault ? hvk_copy_to_guest_nofault : hvk_copy_to_guest;
	struct xen_vcpu_runstate_info32 info32;

	if (!hvk_shared_info_layout32(&vcpu->vm->shared_info)) {
		copy(vcpu, gva, &info->state, sizeof(info->state));
		copy(vcpu, gva + offsetof(typeof(*info), time), info->time, sizeof(info->time));
		smp_wmb();
		copy(vcpu, gva + offsetof(typeof(*info), state_entry_time),
		     &info->state_entry_time, sizeof(info->state_entry_time));
		return;
	}
	runstate_to_32(info, &info32);
	copy(vcpu, gva, &info32.state, sizeof(info32.state));
	copy(vcpu, gva + offsetof(typeof(info32), time), info32.time, sizeof(info32.time));
	smp_wmb();
	copy(vcpu, gva + offsetof(typeof(info32), state_entry_time),
	     info32.state_entry_time, sizeof(info32.state_entry_time));
}

/*
 * The physical area, always with XEN_RUNSTATE_UPDATE set in the entry time
 * while the rest changes (Xen does so there): flag, contents (flagged
 * still), then the entry time alone.
 */
static void runstate_write_phys(void *map, bool layout32,
				const struct xen_vcpu_runstate_info64 *info)
{
	struct xen_vcpu_runstate_info64 flagged = *info;
	struct xen_vcpu_runstate_info32 info32;
	u64 *entry = map + (layout32 ? offsetof(typeof(info32), state_entry_time) :
				       offsetof(typeof(*info), state_entry_time));

	flagged.state_entry_time |= XEN_RUNSTATE_UPDATE;
	WRITE_ONCE(*entry, flagged.state_entry_time);
	smp_wmb();
	if (layout32) {
		runstate_to_32(&flagged, &info32);
		memcpy(map, &info32, sizeof(info32));
	} else {
		memcpy(map, &flagged, sizeof(flagged));
	}
	smp_wmb();
	WRITE_ONCE(*entry, info->state_entry_time);
}

/*
 * After a change, on the vCPU's own thread inside HVK_RUN.  @nofault from
 * the preempt notifiers: the virtual area is written only if its pages
 * are resident (a page walk there cannot fault RAM in); the next change
 * writes the whole area again.
 */
static void runstate_write_areas(struct hvk_vcpu *vcpu, bool nofault)
{
	struct xen_vcpu_runstate_info64 info;
	struct runstate_areas areas;

	if (!READ_ONCE(vcpu->xen.runstate.in_run))
		return;
	/* The physical area stays pinned until the unlock (guest_area.h). */
	rcu_read_lock();
	runstate_snapshot(vcpu, &info, false, &areas);
	if (areas.phys)
		runstate_write_phys(areas.phys, areas.phys_32bit, &info);
	rcu_read_unlock();
	if (areas.gva)
		runstate_write_virtual(vcpu, areas.gva, &info, nofault);
}

/* Accounts the time in the old state and enters @state; false if no change. */
static bool runstate_switch(struct hvk_vcpu *vcpu, int state)
{
	struct hvk_runstate *rs = &vcpu->xen.runstate;
	unsigned long flags;
	u64 now;

	if (READ_ONCE(rs->state) == state)
		return false;
	spin_lock_irqsave(&rs->lock, flags);
	now = hvk_xen_system_time(vcpu->vm);
	if (now > rs->entry_time)
		rs->time[rs->state] += now - rs->entry_time;
	WRITE_ONCE(rs->state, state);
	rs->entry_time = now;
	spin_unlock_irqrestore(&rs->lock, flags);
	return true;
}

void hvk_runstate_set(struct hvk_vcpu *vcpu, int state)
{
	int old = READ_ONCE(vcpu->xen.runstate.state);

	if (!runstate_switch(vcpu, state))
		return;
	runstate_write_areas(vcpu, false);
	/* Xen's timers follow: see vcpu_timer.h. */
	if (state == XEN_RUNSTATE_OFFLINE)
		hvk_vcpu_timers_offline(vcpu);
	else if (state == XEN_RUNSTATE_BLOCKED)
		hvk_vcpu_timers_block(vcpu);
	else if (state == XEN_RUNSTATE_RUNNING && old != XEN_RUNSTATE_RUNNABLE)
		hvk_vcpu_timers_run(vcpu);
}

void hvk_runstate_enter_run(struct hvk_vcpu *vcpu)
{
	WRITE_ONCE(vcpu->xen.runstate.in_run, true);
	hvk_runstate_set(vcpu, READ_ONCE(vcpu->up) ? XEN_RUNSTATE_RUNNING :
						    XEN_RUNSTATE_OFFLINE);
}

/* Back to the VMM: it handles an exit for the vCPU, which waits for it. */
void hvk_runstate_leave_run(struct hvk_vcpu *vcpu)
{
	hvk_runstate_set(vcpu, READ_ONCE(vcpu->up) ? XEN_RUNSTATE_BLOCKED :
						    XEN_RUNSTATE_OFFLINE);
	WRITE_ONCE(vcpu->xen.runstate.in_run, false);
}

/*
 * Preempt notifiers, interrupts off: no timer changes here (the periodic
 * timer keeps running while the vCPU only waits for a CPU).  A thread that
 * sleeps (halted, down) has left RUNNING already; only a preempted one,
 * still on the run queue, becomes runnable.
 */
void hvk_runstate_preempted(struct hvk_vcpu *vcpu)
{
	if (READ_ONCE(vcpu->xen.runstate.state) == XEN_RUNSTATE_RUNNING &&
	    current->on_rq && runstate_switch(vcpu, XEN_RUNSTATE_RUNNABLE))
		runstate_write_areas(vcpu, true);
}

void hvk_runstate_resumed(struct hvk_vcpu *vcpu)
{
	if (READ_ONCE(vcpu->xen.runstate.state) == XEN_RUNSTATE_RUNNABLE &&
	    runstate_switch(vcpu, XEN_RUNSTATE_RUNNING))
		runstate_write_areas(vcpu, true);
}

/*
 * A new virtual area (@gva) or physical one (@phys, the one it replaces
 * into @old_phys), under the lock.
 */
static void runstate_set_areas(struct hvk_vcpu *vcpu, const u64 *gva,
			       const struct hvk_guest_area *phys, bool phys_32bit,
			       struct hvk_guest_area *old_phys)
{
	struct hvk_runstate *rs = &vcpu->xen.runstate;
	unsigned long flags;

	spin_lock_irqsave(&rs->lock, flags);
	if (gva)
		rs->area_gva = *gva;
	if (phys) {
		*old_phys = rs->phys;
		rs->phys = *phys;
		rs->phys_32bit = phys_32bit;
	}
	spin_unlock_irqrestore(&rs->lock, flags);
}

/* Copies @info out in the caller's layout: 48 bytes, or 44 from a 32-bit caller. */
static int runstate_copy_out(struct hvk_hcall *hc, u64 gva,
			     const struct xen_vcpu_runstate_info64 *info)
{
	struct xen_vcpu_runstate_info32 info32;

	if (hc->long_mode)
		return hvk_copy_to_guest(hc->vcpu, gva, info, sizeof(*info));
	runstate_to_32(info, &info32);
	return hvk_copy_to_guest(hc->vcpu, gva, &info32, sizeof(info32));
}

long hvk_runstate_get_info(struct hvk_hcall *hc, struct hvk_vcpu *target)
{
	struct xen_vcpu_runstate_info64 info;

	runstate_snapshot(target, &info, true, NULL);
	return runstate_copy_out(hc, hc->arg[2], &info) ? -XEN_EFAULT : 0;
}

/*
 * A guest handle: 8 bytes from a 64-bit caller, 4 from a 32-bit one.  As
 * Xen for an HVM guest, any address is taken (0 unregisters) and written
 * at once through the caller's page tables, in the caller's layout: its
 * own runstate as it stands, another vCPU's up to now.  A write that
 * fails is not an error.
 */
long hvk_runstate_register_virtual(struct hvk_hcall *hc, struct hvk_vcpu *target)
{
	struct xen_vcpu_runstate_info64 info;
	u32 handle32;
	u64 gva;

	if (hc->long_mode) {
		if (hvk_copy_from_guest(hc->vcpu, &gva, hc->arg[2], sizeof(gva)))
			return -XEN_EFAULT;
	} else {
		if (hvk_copy_from_guest(hc->vcpu, &handle32, hc->arg[2], sizeof(handle32)))
			return -XEN_EFAULT;
		gva = handle32;
	}
	runstate_set_areas(target, &gva, NULL, false, NULL);
	if (gva) {
		runstate_snapshot(target, &info, target != hc->vcpu, NULL);
		runstate_copy_out(hc, gva, &info);
	}
	return 0;
}

/*
 * Xen's map_guest_area() with runstate_area_populate(): all ones
 * unregisters; a new area replaces the old; its layout is the caller's
 * (48 or 44 bytes), and the caller's own runstate is written at once.
 */
long hvk_runstate_register_phys(struct hvk_hcall *hc, struct hvk_vcpu *target)
{
	struct xen_vcpu_runstate_info64 info;
	struct hvk_guest_area area = {}, old;
	bool layout32 = !hc->long_mode;
	u64 gpa;
	int err;

	if (hvk_copy_from_guest(hc->vcpu, &gpa, hc->arg[2], sizeof(gpa)))
		return -XEN_EFAULT;
	if (gpa != ~0ULL) {
		err = hvk_guest_area_resolve(hc->vcpu->vm, gpa,
					     layout32 ? sizeof(struct xen_vcpu_runstate_info32) :
							sizeof(struct xen_vcpu_runstate_info64),
					     &area);
		if (err)
			return err;
	}
	if (area.map && target == hc->vcpu) {
		runstate_snapshot(target, &info, false, NULL);
		runstate_write_phys(area.map, layout32, &info);
	}
	runstate_set_areas(target, NULL, &area, layout32, &old);
	hvk_guest_area_retire(hc, target, &old);
	return 0;
}
