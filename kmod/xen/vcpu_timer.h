/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Xen's per-vCPU timers (REFERENCE-GUEST-SERVICES §4; Xen: common/domain.c,
 * sched/core.c): a single-shot timer at an absolute system time
 * (VCPUOP_set_singleshot_timer, set_timer_op) and a periodic one
 * (VCPUOP_set_periodic_timer).  Each expiry raises VIRQ_TIMER on the vCPU
 * through the event channels (hvk_evtchn_send_virq, from the hrtimer's
 * hard-interrupt context).
 *
 * As Xen, the periodic timer runs only while its vCPU does: stopped when
 * the vCPU blocks or goes down, and on its return a period that elapsed
 * meanwhile raises one event at once (no catching up).  The single-shot
 * timer is stopped when the vCPU goes down or is destroyed.  A deadline is
 * converted to the host's clock through the caller's own pvclock, the
 * clock the guest computed it from.
 */
#ifndef HVK_KMOD_XEN_VCPU_TIMER_H
#define HVK_KMOD_XEN_VCPU_TIMER_H

#include <linux/hrtimer.h>
#include <linux/mutex.h>
#include <linux/types.h>

struct hvk_hcall;
struct hvk_vcpu;

struct hvk_vcpu_timers {
	struct hvk_vcpu *vcpu;
	struct hrtimer singleshot;
	struct hrtimer periodic;
	struct mutex lock;              /* the periodic timer's settings */
	u64 period_ns;                  /* 0: none */
	ktime_t last_event;             /* host time of the last periodic event */
};

void hvk_vcpu_timers_init(struct hvk_vcpu *vcpu);
/* Stops both and waits for a callback in flight; the vCPU is going away. */
void hvk_vcpu_timers_destroy(struct hvk_vcpu *vcpu);

/* Runstate changes (runstate.c), on the vCPU's own thread, sleepable. */
void hvk_vcpu_timers_run(struct hvk_vcpu *vcpu);       /* running again */
void hvk_vcpu_timers_block(struct hvk_vcpu *vcpu);     /* blocked */
void hvk_vcpu_timers_offline(struct hvk_vcpu *vcpu);   /* down */

/* vcpu_op sub-ops on @target: 0 or a negative Xen errno. */
long hvk_vcpu_timer_set_singleshot(struct hvk_hcall *hc, struct hvk_vcpu *target);
long hvk_vcpu_timer_stop_singleshot(struct hvk_hcall *hc, struct hvk_vcpu *target);
long hvk_vcpu_timer_set_periodic(struct hvk_hcall *hc, struct hvk_vcpu *target);
long hvk_vcpu_timer_stop_periodic(struct hvk_hcall *hc, struct hvk_vcpu *target);
/* set_timer_op (hc_set_timer_op.c): the caller's single-shot timer, 0 stops it. */
void hvk_vcpu_timer_set_timeout(struct hvk_vcpu *vcpu, s64 timeout);

#endif /* HVK_KMOD_XEN_VCPU_TIMER_H */
