// SPDX-License-Identifier: GPL-2.0
/*
 * VT-x: interrupt and NMI injection (SDM Vol. 3C 26.6 "Event Injection",
 * 25.2 "Other Causes of VM Exits": interrupt-window and NMI-window
 * exiting; 24.4.2 "Guest Non-Register State": interruptibility).
 *
 * With "virtual NMIs" the CPU tracks blocking by NMI in the guest's
 * interruptibility state itself (set on delivery, cleared by IRET), so an
 * NMI window is a plain VM-execution control here, unlike on SVM.
 */
#include <asm/trapnr.h>
#include <asm/vmx.h>

#include "vmcs.h"
#include "vmx.h"

void vmx_set_exec_control(struct vmx_vcpu *vmx, u32 bit, bool on)
{
	u32 ctl = on ? vmx->exec_control | bit : vmx->exec_control & ~bit;

	if (ctl == vmx->exec_control)
		return;
	vmx->exec_control = ctl;
	vmcs_write32(CPU_BASED_VM_EXEC_CONTROL, ctl);
}

static bool vmx_event_queued(void)
{
	return vmcs_read32(VM_ENTRY_INTR_INFO_FIELD) & INTR_INFO_VALID_MASK;
}

bool vmx_interrupt_allowed(struct hvk_vcpu *vcpu)
{
	u32 blocking = GUEST_INTR_STATE_STI | GUEST_INTR_STATE_MOV_SS;

	return (vcpu->rflags & X86_EFLAGS_IF) && !vmx_event_queued() &&
	       !(vmcs_read32(GUEST_INTERRUPTIBILITY_INFO) & blocking);
}

/* STI blocking may block NMIs too, and VM entry checks it (SDM 26.3.1.5). */
bool vmx_nmi_allowed(struct hvk_vcpu *vcpu)
{
	u32 blocking = GUEST_INTR_STATE_STI | GUEST_INTR_STATE_MOV_SS |
		       GUEST_INTR_STATE_NMI;

	return !vmx_event_queued() &&
	       !(vmcs_read32(GUEST_INTERRUPTIBILITY_INFO) & blocking);
}

void vmx_inject_interrupt(struct hvk_vcpu *vcpu, u8 vector)
{
	vmcs_write32(VM_ENTRY_INTR_INFO_FIELD,
		     vector | INTR_TYPE_EXT_INTR | INTR_INFO_VALID_MASK);
}

void vmx_inject_nmi(struct hvk_vcpu *vcpu)
{
	vmcs_write32(VM_ENTRY_INTR_INFO_FIELD,
		     X86_TRAP_NMI | INTR_TYPE_NMI_INTR | INTR_INFO_VALID_MASK);
}

void vmx_request_interrupt_window(struct hvk_vcpu *vcpu)
{
	vmx_set_exec_control(to_vmx(vcpu), CPU_BASED_INTR_WINDOW_EXITING, true);
}

/*
 * An STI shadow may or may not hold off an NMI-window exit ("a logical
 * processor may also prevent such a VM exit if there is blocking of
 * events by STI", SDM 26.7.6): where it does not, the exit would come
 * at once, again and again, with the NMI never allowed.  The shadow ends
 * after one instruction with IF = 1, which an interrupt window catches.
 */
void vmx_request_nmi_window(struct hvk_vcpu *vcpu)
{
	u32 intr = vmcs_read32(GUEST_INTERRUPTIBILITY_INFO);

	if ((intr & GUEST_INTR_STATE_STI) && !(intr & GUEST_INTR_STATE_NMI) &&
	    !vmx_event_queued())
		vmx_set_exec_control(to_vmx(vcpu), CPU_BASED_INTR_WINDOW_EXITING, true);
	else
		vmx_set_exec_control(to_vmx(vcpu), CPU_BASED_NMI_WINDOW_EXITING, true);
}

/* The window is open: the request is done; injection happens before entry. */
int vmx_exit_interrupt_window(struct vmx_vcpu *vmx)
{
	vmx_set_exec_control(vmx, CPU_BASED_INTR_WINDOW_EXITING, false);
	return 1;
}

int vmx_exit_nmi_window(struct vmx_vcpu *vmx)
{
	vmx_set_exec_control(vmx, CPU_BASED_NMI_WINDOW_EXITING, false);
	return 1;
}
