// SPDX-License-Identifier: GPL-2.0
/*
 * The local APIC timer (SDM 11.5.4): one-shot, periodic and TSC-deadline
 * modes on one host hrtimer, its mode a field (as KVM's lapic.c).
 *
 * Counts run at hvk's APIC bus rate (LAPIC_BUS_NS_PER_TICK) divided by the
 * divide configuration; a TSC deadline is in the guest's TSC, which runs at
 * the host's rate plus the VM's offset, so the time left is the difference
 * of two guest TSC values converted with the host's tsc_khz.  The hrtimer
 * fires on whichever host CPU armed it and only sets IRR and kicks the
 * vCPU: a vCPU that moved between host CPUs needs nothing more.
 */
#include <linux/hrtimer.h>
#include <linux/math64.h>
#include <asm/tsc.h>

#include "../vendor.h"
#include "inject.h"
#include "lapic_priv.h"

static enum hrtimer_restart lapic_timer_fire(struct hrtimer *timer)
{
	struct hvk_lapic *a = container_of(timer, struct hvk_lapic, timer);
	u32 lvt = lapic_get(a, APIC_LVTT);
	bool periodic = a->timer_mode == LVT_TIMER_PERIODIC;

	/*
	 * A one-shot count or deadline is over before its interrupt is
	 * delivered: the vCPU, running on another CPU, may take it and read
	 * IA32_TSC_DEADLINE or the current count before this returns, and
	 * must see 0 (seen under 56-migrate: IA32_TSC_DEADLINE still armed
	 * in the interrupt's handler).
	 */
	if (!periodic) {
		if (a->timer_mode == LVT_TIMER_TSC_DEADLINE)
			WRITE_ONCE(a->tsc_deadline, 0);         /* disarmed once fired */
		WRITE_ONCE(a->timer_running, false);
	}
	if (!(lvt & LVT_MASKED))
		hvk_lapic_deliver_fixed(a->vcpu, lvt & 0xff);
	if (!periodic)
		return HRTIMER_NORESTART;
	/* Ticks the host could not deliver in time are dropped, not queued. */
	hrtimer_forward_now(timer, ns_to_ktime(a->period_ns));
	WRITE_ONCE(a->expires, hrtimer_get_expires(timer));
	return HRTIMER_RESTART;
}

void lapic_timer_init(struct hvk_lapic *a)
{
	hrtimer_init(&a->timer, CLOCK_MONOTONIC, HRTIMER_MODE_ABS_HARD);
	a->timer.function = lapic_timer_fire;
	a->timer_mode = LVT_TIMER_ONESHOT;
}

/* Waits for a running callback: afterwards the timer state is ours. */
void lapic_timer_cancel(struct hvk_lapic *a)
{
	hrtimer_cancel(&a->timer);
	a->timer_running = false;
}

static void lapic_timer_arm(struct hvk_lapic *a, u64 ns)
{
	/* Far-future deadlines must not overflow ktime. */
	ns = min_t(u64, ns, KTIME_MAX / 4);
	a->expires = ktime_add_ns(ktime_get(), ns);
	a->timer_running = true;
	hrtimer_start(&a->timer, a->expires, HRTIMER_MODE_ABS_HARD);
}

/* TDCR bits 3,1:0 -> divide by 2, 4, ..., 128, 1 (SDM Figure 11-10). */
static u32 lapic_divide_shift(struct hvk_lapic *a)
{
	u32 v = lapic_get(a, APIC_TDCR);

	v = (v & 3) | ((v & 8) >> 1);
	return (v + 1) & 7;
}

static u64 lapic_ticks_to_ns(struct hvk_lapic *a, u64 ticks)
{
	return (ticks * LAPIC_BUS_NS_PER_TICK) << lapic_divide_shift(a);
}

static void lapic_timer_start_count(struct hvk_lapic *a)
{
	u32 count = lapic_get(a, APIC_TMICT);
	u64 ns;

	lapic_timer_cancel(a);
	if (!count || a->timer_mode == LVT_TIMER_TSC_DEADLINE)
		return;
	ns = lapic_ticks_to_ns(a, count);
	if (a->timer_mode == LVT_TIMER_PERIODIC) {
		ns = max_t(u64, ns, LAPIC_MIN_PERIOD_NS);
		a->period_ns = ns;
	}
	lapic_timer_arm(a, ns);
}

/* A mode change disarms the timer (SDM 11.5.4.1), as KVM does for all. */
void lapic_timer_write_lvt(struct hvk_lapic *a, u32 lvt)
{
	u32 mode = lvt & LVT_TIMER_MODE_MASK;

	if (mode == LVT_TIMER_MODE_MASK)        /* reserved: one-shot */
		mode = LVT_TIMER_ONESHOT;
	if (mode == a->timer_mode)
		return;
	lapic_timer_cancel(a);
	a->timer_mode = mode;
	a->tsc_deadline = 0;
	lapic_set(a, APIC_TMICT, 0);
}

void lapic_timer_write_initial(struct hvk_lapic *a, u32 count)
{
	/* Ignored in TSC-deadline mode (SDM 11.5.4.1). */
	if (a->timer_mode == LVT_TIMER_TSC_DEADLINE)
		return;
	lapic_set(a, APIC_TMICT, count);
	lapic_timer_start_count(a);
}

/*
 * A new divide applies from the next count: restart it, as KVM does.  A
 * count that expired meanwhile (its hrtimer firing on another CPU) stays
 * expired: stopping the timer first says which it was.
 */
void lapic_timer_write_divide(struct hvk_lapic *a, u32 value)
{
	lapic_set(a, APIC_TDCR, value);
	if (a->timer_mode != LVT_TIMER_TSC_DEADLINE && hrtimer_cancel(&a->timer))
		lapic_timer_start_count(a);
}

u32 lapic_timer_current_count(struct hvk_lapic *a)
{
	s64 left;

	if (!READ_ONCE(a->timer_running) || a->timer_mode == LVT_TIMER_TSC_DEADLINE)
		return 0;
	left = ktime_to_ns(ktime_sub(READ_ONCE(a->expires), ktime_get()));
	if (left <= 0) {
		u64 over;

		if (a->timer_mode != LVT_TIMER_PERIODIC)
			return 0;
		/*
		 * Expired, its hrtimer not yet run to forward it: a periodic
		 * count has reloaded by now (SDM 11.5.4), it does not sit at 0.
		 */
		div64_u64_rem(-left, a->period_ns, &over);
		left = a->period_ns - over;
	}
	return div64_u64(left, LAPIC_BUS_NS_PER_TICK << lapic_divide_shift(a));
}

/*
 * The interrupt may come late but never before the guest's TSC reaches the
 * deadline: round up, and allow 2 ppm for tsc_khz being known to 1 kHz.
 */
static u64 lapic_tsc_to_ns(u64 cycles)
{
	u64 ns = mul_u64_u32_div(cycles, USEC_PER_SEC, tsc_khz) + 1;

	return ns + (ns >> 19);
}

/* Reads 0 and ignores writes outside TSC-deadline mode (SDM 11.5.4.1). */
u64 lapic_timer_read_deadline(struct hvk_lapic *a)
{
	return a->timer_mode == LVT_TIMER_TSC_DEADLINE ? READ_ONCE(a->tsc_deadline) : 0;
}

void lapic_timer_write_deadline(struct hvk_lapic *a, u64 deadline)
{
	u64 now;

	if (a->timer_mode != LVT_TIMER_TSC_DEADLINE)
		return;
	lapic_timer_cancel(a);
	a->tsc_deadline = deadline;
	if (!deadline)
		return;
	if (hvk_ops->get_msr(a->vcpu, MSR_IA32_TSC, &now))
		now = deadline;
	/* A deadline in the past fires at once. */
	if (deadline <= now) {
		/*
		 * Already due: deliver from this WRMSR's own exit, as KVM does,
		 * rather than through an hrtimer whose host interrupt would
		 * exit the guest once more.
		 */
		u32 lvt = lapic_get(a, APIC_LVTT);

		a->tsc_deadline = 0;
		if (!(lvt & LVT_MASKED))
			hvk_lapic_deliver_fixed(a->vcpu, lvt & 0xff);
		return;
	}
	lapic_timer_arm(a, lapic_tsc_to_ns(deadline - now));
}
