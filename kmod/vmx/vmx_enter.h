/* SPDX-License-Identifier: GPL-2.0 */
/* The VT-x world switch (vmx_enter.S), shared by the assembly and C. */
#ifndef HVK_KMOD_VMX_VMX_ENTER_H
#define HVK_KMOD_VMX_VMX_ENTER_H

/* hvk_vmx_enter() results: how VMLAUNCH/VMRESUME ended (SDM 30.2). */
#define VMX_ENTER_EXIT          0       /* VM exit (or failed-entry exit) */
#define VMX_ENTER_FAIL_VALID    1       /* ZF: see VM_INSTRUCTION_ERROR */
#define VMX_ENTER_FAIL_INVALID  2       /* CF: no current VMCS */

#ifndef __ASSEMBLY__
#include <linux/types.h>

struct vmx_vcpu;

/*
 * Enter the guest with interrupts off; gprs[] is indexed by HVK_REG_* and
 * its RSP slot is ignored (GUEST_RSP is in the VMCS).  Returns VMX_ENTER_*.
 */
int hvk_vmx_enter(struct vmx_vcpu *vmx, u64 *gprs, bool launched);
/* HOST_RIP: where the CPU continues after a VM exit. */
extern const char hvk_vmx_vmexit[];
/* Called from hvk_vmx_enter with the RSP that HOST_RSP must hold. */
void hvk_vmx_update_host_rsp(struct vmx_vcpu *vmx, unsigned long rsp);
/* Called from hvk_vmx_enter before its first RET after a VM exit. */
void hvk_vmx_spec_ctrl_restore_host(void);
/* Run a host IDT entry point (the NMI handler) as if hardware had. */
void hvk_vmx_do_nmi_irqoff(unsigned long entry);
#endif

#endif /* HVK_KMOD_VMX_VMX_ENTER_H */
