/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Event injection: which interrupt or NMI the guest gets next, decided in
 * generic code before every entry and delivered through the vendor ops
 * (inject_interrupt/_nmi, or an interrupt-/NMI-window exit when the guest
 * cannot take it now: IF = 0, an interrupt shadow, NMIs blocked, another
 * event already being injected).
 *
 * Sources on other threads (IPIs, the APIC timer's hrtimer, later event
 * channels) mark the target vCPU and kick it: a waiting vCPU wakes, one in
 * guest mode gets a reschedule IPI and exits at once.  The vCPU thread
 * marks itself "in guest mode" with interrupts off and re-checks for a
 * new event after that (the pairing of KVM's vcpu->mode and requests), so
 * an event raised while it enters is never left waiting for the next exit.
 */
#ifndef HVK_KMOD_IRQ_INJECT_H
#define HVK_KMOD_IRQ_INJECT_H

#include <linux/atomic.h>
#include <linux/types.h>

#include "../vcpu.h"

/* From any context: an event for @vcpu may be pending; wake or kick it. */
void hvk_vcpu_kick_event(struct hvk_vcpu *vcpu);
/* On the vCPU's own thread: re-evaluate events before the next entry. */
void hvk_irq_request_check(struct hvk_vcpu *vcpu);

/* The decision below when a source may have something: out of line. */
void hvk_irq_inject_decide(struct hvk_vcpu *vcpu);

/*
 * Run loop, before each entry: inject what is deliverable, or ask for a
 * window.  Inline, as every entry pays for it: with no NMI counted, no
 * vector possibly in IRR (the APIC's irr_pending) and no callback vector
 * set up (whose upcall_pending the guest may set itself), nothing can be.
 */
static inline void hvk_irq_inject_pending(struct hvk_vcpu *vcpu)
{
	/* Full barrier: a source that sets IRR after this is seen at entry. */
	xchg(&vcpu->event_pending, false);
	if (atomic_read(&vcpu->lapic.nmi_pending) || hvk_lapic_irr_maybe(&vcpu->lapic) ||
	    READ_ONCE(vcpu->vm->evtchn_callback_vector) >= 0)
		hvk_irq_inject_decide(vcpu);
}

/* Would an event end a HLT now?  (NMI, or an interrupt with IF = 1.) */
bool hvk_irq_wakeup_pending(struct hvk_vcpu *vcpu);

/* hvk_vcpu_enter_guest_mode() and _leave_ are in vcpu.h (inline). */

#endif /* HVK_KMOD_IRQ_INJECT_H */
