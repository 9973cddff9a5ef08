/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A vCPU's Xen services (struct hvk_vcpu.xen): where its vcpu_info lives
 * (vcpu_info.c), its pvclock's copies (pvclock.c), its runstate
 * (runstate.c) and its timers (vcpu_timer.c).  Set up with the vCPU,
 * stopped before it is freed.
 */
#ifndef HVK_KMOD_XEN_XEN_VCPU_H
#define HVK_KMOD_XEN_XEN_VCPU_H

#include "guest_area.h"
#include "pvclock.h"
#include "runstate.h"
#include "vcpu_timer.h"

struct hvk_vcpu;

struct hvk_xen_vcpu {
	struct hvk_guest_area vcpu_info;        /* registered; none: its shared_info slot */
	struct hvk_pvclock pvclock;
	struct hvk_runstate runstate;
	struct hvk_vcpu_timers timers;
	/* SCHEDOP_block or _poll in progress (enum evtchn_wait, evtchn_wait.c). */
	u8 evtchn_wait;
};

/* Before the vCPU is published; and once no thread can reach it. */
void hvk_xen_vcpu_init(struct hvk_vcpu *vcpu);
void hvk_xen_vcpu_destroy(struct hvk_vcpu *vcpu);

#endif /* HVK_KMOD_XEN_XEN_VCPU_H */
