// SPDX-License-Identifier: GPL-2.0
/* Event injection and vCPU kicks (see inject.h). */
#include <linux/sched.h>
#include <linux/smp.h>
#include <linux/wait.h>
#include <asm/processor-flags.h>
#include <asm/smp.h>
#include <asm/trapnr.h>

#include "../trace.h"
#include "../vcpu.h"
#include "../vendor.h"
#include "../vm.h"
#include "../xen/evtchn.h"
#include "inject.h"
#include "lapic.h"

void hvk_vcpu_kick_event(struct hvk_vcpu *vcpu)
{
	int me, cpu;

	smp_wmb();      /* what the caller changed, then the flag */
	WRITE_ONCE(vcpu->event_pending, true);
	/* Pairs with hvk_vcpu_enter_guest_mode(): flag, then mode. */
	smp_mb();
	if (READ_ONCE(vcpu->in_guest)) {
		me = get_cpu();
		cpu = READ_ONCE(vcpu->cpu);
		/* On this CPU, the interrupt that runs us already exited it. */
		if (cpu != me && (unsigned int)cpu < nr_cpu_ids && cpu_online(cpu))
			smp_send_reschedule(cpu);
		put_cpu();
	}
	wake_up(&vcpu->wait);
}

void hvk_irq_request_check(struct hvk_vcpu *vcpu)
{
	WRITE_ONCE(vcpu->event_pending, true);
}

bool hvk_irq_wakeup_pending(struct hvk_vcpu *vcpu)
{
	if (atomic_read(&vcpu->lapic.nmi_pending))
		return true;
	return (vcpu->rflags & X86_EFLAGS_IF) &&
	       (hvk_evtchn_callback_vector(vcpu) >= 0 ||
		(hvk_lapic_irr_maybe(&vcpu->lapic) && hvk_lapic_pending_vector(vcpu) >= 0));
}

static void irq_inject_nmi(struct hvk_vcpu *vcpu)
{
	if (!hvk_ops->nmi_allowed(vcpu)) {
		hvk_ops->request_nmi_window(vcpu);
		return;
	}
	atomic_dec(&vcpu->lapic.nmi_pending);
	hvk_ops->inject_nmi(vcpu);
	vcpu->stats.nmis++;
	trace_hvk_inject(vcpu->vm->id, vcpu->id, X86_TRAP_NMI, true);
}

void hvk_irq_inject_decide(struct hvk_vcpu *vcpu)
{
	int vector;
	bool from_apic = false;

	if (atomic_read(&vcpu->lapic.nmi_pending))
		irq_inject_nmi(vcpu);
	/*
	 * Xen checks the event channel callback vector before the APIC
	 * (hvm/irq.c); it bypasses IRR, ISR and the TPR, and takes no EOI.
	 */
	vector = hvk_evtchn_callback_vector(vcpu);
	if (vector < 0 && hvk_lapic_irr_maybe(&vcpu->lapic)) {
		vector = hvk_lapic_pending_vector(vcpu);
		from_apic = true;
	}
	if (vector < 0)
		return;
	if (!hvk_vendor_call(interrupt_allowed)(vcpu)) {
		hvk_vendor_call(request_interrupt_window)(vcpu);
		return;
	}
	if (from_apic)
		hvk_lapic_accept(vcpu, vector);
	hvk_vendor_call(inject_interrupt)(vcpu, vector);
	vcpu->stats.interrupts++;
	trace_hvk_inject(vcpu->vm->id, vcpu->id, vector, false);
}

