// SPDX-License-Identifier: GPL-2.0
/*
 * AMD-V: interrupt and NMI injection (APM Vol. 2, 15.20 "Event Injection",
 * 15.21 "Interrupt and LAPIC Support").
 *
 * An event goes in EVENTINJ.  An interrupt the guest cannot take yet is
 * waited for with a virtual interrupt (V_IRQ, ignoring V_TPR) and the VINTR
 * intercept, which exits as soon as the guest could take it.  SVM keeps no
 * "blocked by NMI" state the hypervisor can see: as KVM without vNMI, hvk
 * masks NMIs itself when it injects one and intercepts IRET.  The IRET
 * exit comes before the IRET executes, so NMIs are unmasked only once RIP
 * has moved past it; to get an exit right after it, a pending NMI
 * single-steps the IRET (TF, with the #DB intercept hvk has anyway): the
 * trap follows the TF the IRET started with, and the IRET itself loads
 * the guest's own RFLAGS.
 */
#include <asm/svm.h>
#include <asm/trapnr.h>

#include "../irq/lapic.h"
#include "../vendor.h"
#include "svm.h"

static bool svm_event_slot_free(struct svm_vcpu *svm)
{
	struct vmcb_control_area *c = &svm->vmcb->control;

	return !(c->event_inj & SVM_EVTINJ_VALID) &&
	       !(c->int_state & SVM_INTERRUPT_SHADOW_MASK);
}

/*
 * Not while stepping over an IRET: the interrupt frame would save hvk's TF.
 * The #DB exit comes after that one instruction anyway.
 */
bool svm_interrupt_allowed(struct hvk_vcpu *vcpu)
{
	struct svm_vcpu *svm = to_svm(vcpu);

	return !svm->nmi_singlestep && svm_event_slot_free(svm) &&
	       (vcpu->rflags & X86_EFLAGS_IF);
}

bool svm_nmi_allowed(struct hvk_vcpu *vcpu)
{
	struct svm_vcpu *svm = to_svm(vcpu);

	if (svm->nmi_masked && svm->nmi_awaiting_iret && vcpu->rip != svm->nmi_iret_rip) {
		svm->nmi_masked = false;        /* the handler's IRET completed */
		svm->nmi_awaiting_iret = false;
	}
	return !svm->nmi_masked && svm_event_slot_free(svm);
}

void svm_inject_interrupt(struct hvk_vcpu *vcpu, u8 vector)
{
	to_svm(vcpu)->vmcb->control.event_inj = vector | SVM_EVTINJ_TYPE_INTR |
						 SVM_EVTINJ_VALID;
}

void svm_inject_nmi(struct hvk_vcpu *vcpu)
{
	struct svm_vcpu *svm = to_svm(vcpu);

	svm->vmcb->control.event_inj = X86_TRAP_NMI | SVM_EVTINJ_TYPE_NMI |
				       SVM_EVTINJ_VALID;
	svm->nmi_masked = true;
	svm->nmi_awaiting_iret = false;
	svm_set_intercept(&svm->vmcb->control, INTERCEPT_IRET);
}

void svm_request_interrupt_window(struct hvk_vcpu *vcpu)
{
	struct vmcb_control_area *c = &to_svm(vcpu)->vmcb->control;

	if (to_svm(vcpu)->nmi_singlestep)
		return;

	c->int_ctl |= V_IRQ_MASK | V_IGN_TPR_MASK | (0xf << V_INTR_PRIO_SHIFT);
	svm_set_intercept(c, INTERCEPT_VINTR);
}

void svm_request_nmi_window(struct hvk_vcpu *vcpu)
{
	struct svm_vcpu *svm = to_svm(vcpu);

	if (svm->nmi_masked) {
		/* In the handler: its IRET exits; at the IRET: step over it. */
		if (svm->nmi_awaiting_iret && !svm->nmi_singlestep) {
			svm->nmi_singlestep = true;
			vcpu->rflags |= X86_EFLAGS_TF | X86_EFLAGS_RF;
		}
		return;
	}
	/* Behind a queued event or a shadow: the next instruction boundary. */
	svm_request_interrupt_window(vcpu);
}

/* #DB: true if it is hvk's step over an NMI handler's IRET, consumed. */
bool svm_nmi_singlestep_done(struct svm_vcpu *svm)
{
	if (!svm->nmi_singlestep)
		return false;
	svm->nmi_singlestep = false;
	return true;
}

/* Exit handlers. */
int svm_exit_vintr(struct svm_vcpu *svm)
{
	return 1;       /* the window is open: injection happens before entry */
}

int svm_exit_iret(struct svm_vcpu *svm)
{
	svm_clear_intercept(&svm->vmcb->control, INTERCEPT_IRET);
	svm->nmi_awaiting_iret = true;
	svm->nmi_iret_rip = svm->vcpu.rip;
	return 1;
}
