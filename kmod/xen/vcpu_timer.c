// SPDX-License-Identifier: GPL-2.0
/* Xen's single-shot and periodic vCPU timers (see vcpu_timer.h). */
#include <linux/hrtimer.h>
#include <linux/ktime.h>
#include <abi/xen/errno.h>
#include <abi/xen/event_channel.h>
#include <abi/xen/vcpu.h>

#include "evtchn.h"
#include "guest_mem.h"
#include "hypercall.h"
#include "pvclock.h"
#include "vcpu.h"
#include "vcpu_timer.h"

/* set_timer_op's answer to a deadline over 2^50 ns away or negative (Xen). */
#define TIMER_OP_HUGE_TIMEOUT_NS  (100 * NSEC_PER_MSEC)

static void timer_event(struct hvk_vcpu_timers *tm)
{
	hvk_evtchn_send_virq(tm->vcpu, XEN_VIRQ_TIMER);
}

static enum hrtimer_restart singleshot_fire(struct hrtimer *timer)
{
	timer_event(container_of(timer, struct hvk_vcpu_timers, singleshot));
	return HRTIMER_NORESTART;
}

/* Xen's vcpu_periodic_timer_fn(): an event, then the next one a period on. */
static enum hrtimer_restart periodic_fire(struct hrtimer *timer)
{
	struct hvk_vcpu_timers *tm = container_of(timer, struct hvk_vcpu_timers, periodic);
	ktime_t now = hrtimer_cb_get_time(timer);

	timer_event(tm);
	tm->last_event = now;
	hrtimer_set_expires(timer, ktime_add_safe(now, ns_to_ktime(tm->period_ns)));
	return HRTIMER_RESTART;
}

void hvk_vcpu_timers_init(struct hvk_vcpu *vcpu)
{
	struct hvk_vcpu_timers *tm = &vcpu->xen.timers;

	tm->vcpu = vcpu;
	mutex_init(&tm->lock);
	hrtimer_init(&tm->singleshot, CLOCK_MONOTONIC, HRTIMER_MODE_REL_HARD);
	tm->singleshot.function = singleshot_fire;
	hrtimer_init(&tm->periodic, CLOCK_MONOTONIC, HRTIMER_MODE_ABS_HARD);
	tm->periodic.function = periodic_fire;
}

void hvk_vcpu_timers_destroy(struct hvk_vcpu *vcpu)
{
	hrtimer_cancel(&vcpu->xen.timers.singleshot);
	hrtimer_cancel(&vcpu->xen.timers.periodic);
}

/*
 * Xen's vcpu_periodic_timer_work_locked(): a period elapsed since the last
 * event raises one now; the timer goes off a period after the last event.
 * Under tm->lock, the timer stopped.
 */
static void periodic_work(struct hvk_vcpu_timers *tm)
{
	ktime_t now = ktime_get();
	ktime_t next = ktime_add_safe(tm->last_event, ns_to_ktime(tm->period_ns));

	if (now >= next) {
		timer_event(tm);
		tm->last_event = now;
		next = ktime_add_safe(now, ns_to_ktime(tm->period_ns));
	}
	hrtimer_start(&tm->periodic, next, HRTIMER_MODE_ABS_HARD);
}

/* Xen's vcpu_set_periodic_timer(): 0 stops it. */
static void periodic_set(struct hvk_vcpu_timers *tm, u64 period_ns)
{
	mutex_lock(&tm->lock);
	hrtimer_cancel(&tm->periodic);
	tm->period_ns = period_ns;
	if (period_ns)
		periodic_work(tm);
	mutex_unlock(&tm->lock);
}

void hvk_vcpu_timers_run(struct hvk_vcpu *vcpu)
{
	struct hvk_vcpu_timers *tm = &vcpu->xen.timers;

	mutex_lock(&tm->lock);
	if (tm->period_ns)
		periodic_work(tm);
	mutex_unlock(&tm->lock);
}

void hvk_vcpu_timers_block(struct hvk_vcpu *vcpu)
{
	struct hvk_vcpu_timers *tm = &vcpu->xen.timers;

	mutex_lock(&tm->lock);
	hrtimer_cancel(&tm->periodic);
	mutex_unlock(&tm->lock);
}

void hvk_vcpu_timers_offline(struct hvk_vcpu *vcpu)
{
	hvk_vcpu_timers_block(vcpu);
	hrtimer_cancel(&vcpu->xen.timers.singleshot);
}

/*
 * The single-shot timer at system time @deadline, read as the guest's
 * pvclock reads it now; a deadline not in the future fires at once (as
 * Xen, whose timers fire at once when set in the past; u64 deadlines of
 * 2^63 and more are negative there).  Own thread.
 */
static void singleshot_arm(struct hvk_vcpu *vcpu, s64 deadline)
{
	struct hvk_vcpu_timers *tm = &vcpu->xen.timers;
	s64 now = hvk_pvclock_now(vcpu);

	hrtimer_cancel(&tm->singleshot);
	if (deadline <= now) {
		timer_event(tm);
		return;
	}
	/* ktime is signed 64-bit ns: a deadline centuries away waits "forever". */
	hrtimer_start(&tm->singleshot, ns_to_ktime(min_t(u64, deadline - now, KTIME_MAX / 4)),
		      HRTIMER_MODE_REL_HARD);
}

/*
 * Singleshot ops act on the caller only.  A 64-bit caller is refused
 * before its argument is read; Xen's compat path reads a 32-bit caller's
 * first (compat_common_vcpu_op), so a bad pointer wins there.
 */
long hvk_vcpu_timer_set_singleshot(struct hvk_hcall *hc, struct hvk_vcpu *target)
{
	struct xen_vcpu_set_singleshot_timer64 arg64;
	struct xen_vcpu_set_singleshot_timer32 arg32;
	u64 deadline;

	if (hc->long_mode) {
		if (target != hc->vcpu)
			return -XEN_EINVAL;
		if (hvk_copy_from_guest(hc->vcpu, &arg64, hc->arg[2], sizeof(arg64)))
			return -XEN_EFAULT;
		deadline = arg64.timeout_abs_ns;
	} else {
		if (hvk_copy_from_guest(hc->vcpu, &arg32, hc->arg[2], sizeof(arg32)))
			return -XEN_EFAULT;
		if (target != hc->vcpu)
			return -XEN_EINVAL;
		deadline = arg32.timeout_abs_ns[0] | (u64)arg32.timeout_abs_ns[1] << 32;
	}
	/* VCPU_SSHOTTMR_future is ignored, as Xen >= 4.18 does. */
	singleshot_arm(target, deadline);
	return 0;
}

long hvk_vcpu_timer_stop_singleshot(struct hvk_hcall *hc, struct hvk_vcpu *target)
{
	if (target != hc->vcpu)
		return -XEN_EINVAL;
	hrtimer_cancel(&target->xen.timers.singleshot);
	return 0;
}

/* Any vCPU's; at least 1 ms, at most what Xen's signed time holds. */
long hvk_vcpu_timer_set_periodic(struct hvk_hcall *hc, struct hvk_vcpu *target)
{
	struct xen_vcpu_set_periodic_timer arg;

	if (hvk_copy_from_guest(hc->vcpu, &arg, hc->arg[2], sizeof(arg)))
		return -XEN_EFAULT;
	if (arg.period_ns < NSEC_PER_MSEC || arg.period_ns > S64_MAX)
		return -XEN_EINVAL;
	periodic_set(&target->xen.timers, arg.period_ns);
	return 0;
}

long hvk_vcpu_timer_stop_periodic(struct hvk_hcall *hc, struct hvk_vcpu *target)
{
	periodic_set(&target->xen.timers, 0);
	return 0;
}

/*
 * Xen's do_set_timer_op(): 0 stops the single-shot timer; a negative
 * deadline or one more than 2^50 ns (13 days) away is taken for a guest's
 * jiffies wrap and fires in 100 ms; any other deadline as set_singleshot.
 */
void hvk_vcpu_timer_set_timeout(struct hvk_vcpu *vcpu, s64 timeout)
{
	struct hvk_vcpu_timers *tm = &vcpu->xen.timers;
	s64 offset = timeout - (s64)hvk_pvclock_now(vcpu);

	if (timeout == 0) {
		hrtimer_cancel(&tm->singleshot);
		return;
	}
	if (timeout < 0 || (offset > 0 && (u32)(offset >> 50) != 0)) {
		hrtimer_cancel(&tm->singleshot);
		hrtimer_start(&tm->singleshot, ns_to_ktime(TIMER_OP_HUGE_TIMEOUT_NS),
			      HRTIMER_MODE_REL_HARD);
		return;
	}
	singleshot_arm(vcpu, timeout);
}
