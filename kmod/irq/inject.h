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

#include <linux/types.h>

struct hvk_vcpu;

/* From any context: an event for @vcpu may be pending; wake or kick it. */
void hvk_vcpu_kick_event(struct hvk_vcpu *vcpu);
/* On the vCPU's own thread: re-evaluate events before the next entry. */
void hvk_irq_request_check(struct hvk_vcpu *vcpu);

/* Run loop, before each entry: inject what is deliverable, or ask for a window. */
void hvk_irq_inject_pending(struct hvk_vcpu *vcpu);
/* Would an event end a HLT now?  (NMI, or an interrupt with IF = 1.) */
bool hvk_irq_wakeup_pending(struct hvk_vcpu *vcpu);

/* hvk_vcpu_enter_guest_mode() and _leave_ are in vcpu.h (inline). */

#endif /* HVK_KMOD_IRQ_INJECT_H */
