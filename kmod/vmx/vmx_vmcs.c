// SPDX-License-Identifier: GPL-2.0
/*
 * VMCS contents (SDM Vol. 3C chapter 24): the controls, the initial guest
 * state, and the host state.  Host state comes in four lifetimes: constant
 * (written once), per CPU (on migration), per thread (at every vcpu_load)
 * and per entry (CR3, CR4); what a VM exit clobbers without reloading it
 * from the VMCS (SDM 27.5) is put back by vmx_host_restore().
 */
#include <linux/io.h>
#include <linux/mm.h>
#include <asm/cpu_entry_area.h>
#include <asm/debugreg.h>
#include <asm/desc.h>
#include <asm/hw_breakpoint.h>
#include <asm/msr.h>
#include <asm/processor.h>
#include <asm/segment.h>
#include <asm/special_insns.h>
#include <asm/tlbflush.h>
#include <asm/trapnr.h>

#include "vmcs.h"
#include "vmx.h"
#include "vmx_enter.h"

#define PAT_POWER_ON 0x0007040600070406ULL

static const u32 vmx_switched_msrs[VMX_NR_SWITCHED_MSRS] = {
	[VMX_MSR_STAR]           = MSR_STAR,
	[VMX_MSR_LSTAR]          = MSR_LSTAR,
	[VMX_MSR_CSTAR]          = MSR_CSTAR,
	[VMX_MSR_SFMASK]         = MSR_SYSCALL_MASK,
	[VMX_MSR_KERNEL_GS_BASE] = MSR_KERNEL_GS_BASE,
};

void vmx_msr_areas_init(struct vmx_msr_areas *areas)
{
	int i;

	for (i = 0; i < VMX_NR_SWITCHED_MSRS; i++) {
		areas->guest[i].index = vmx_switched_msrs[i];
		areas->host[i].index = vmx_switched_msrs[i];
	}
}

static void vmx_vmcs_setup_controls(struct vmx_vcpu *vmx)
{
	u32 proc2 = vmx_cfg.proc2;

	if (!vmx->vpid)
		proc2 &= ~SECONDARY_EXEC_ENABLE_VPID;
	vmcs_write32(PIN_BASED_VM_EXEC_CONTROL, vmx_cfg.pin);
	vmx->exec_control = vmx_cfg.proc;
	vmcs_write32(CPU_BASED_VM_EXEC_CONTROL, vmx->exec_control);
	vmcs_write32(SECONDARY_VM_EXEC_CONTROL, proc2);
	vmcs_write32(VM_EXIT_CONTROLS, vmx_cfg.exit);
	vmcs_write32(VM_ENTRY_CONTROLS, vmx_cfg.entry);
	/* #UD: VMMCALL is a hypercall too; #MC belongs to the host. */
	/*
	 * #AC and #DB are intercepted only to be re-injected: a guest that
	 * makes their delivery fault again would otherwise keep the CPU in
	 * microcode forever, with no exit (CVE-2015-5307, CVE-2015-8104).
	 */
	vmcs_write32(EXCEPTION_BITMAP, BIT(X86_TRAP_UD) | BIT(X86_TRAP_MC) |
		     BIT(X86_TRAP_AC) | BIT(X86_TRAP_DB));
	vmcs_write32(PAGE_FAULT_ERROR_CODE_MASK, 0);
	vmcs_write32(PAGE_FAULT_ERROR_CODE_MATCH, 0);
	vmcs_write32(CR3_TARGET_COUNT, 0);
	vmcs_writel(CR0_GUEST_HOST_MASK, vmx_cr0_host_owned());
	/* CR4 writes are rare and VMXE must stay set behind the shadow. */
	vmcs_writel(CR4_GUEST_HOST_MASK, ~0UL);
	vmcs_write64(EPT_POINTER, vmx->eptp);
	if (vmx->vpid)
		vmcs_write16(VIRTUAL_PROCESSOR_ID, vmx->vpid);
	vmcs_write64(TSC_OFFSET, to_vmx_vm(vmx->vcpu.vm)->tsc_offset);
	if (vmx_cfg.preemption_timer)   /* reloaded at every entry (SDM 26.6.4) */
		vmcs_write32(VMX_PREEMPTION_TIMER_VALUE, vmx_cfg.preemption_timer);
	/* No shadow VMCS: the link pointer must be all ones (SDM 26.3.1.5). */
	vmcs_write64(VMCS_LINK_POINTER, -1ULL);
}

static void vmx_vmcs_setup_msr_areas(struct vmx_vcpu *vmx)
{
	phys_addr_t pa = page_to_phys(vmx->msr_page);
	phys_addr_t guest = pa + offsetof(struct vmx_msr_areas, guest);

	vmcs_write64(VM_ENTRY_MSR_LOAD_ADDR, guest);
	vmcs_write32(VM_ENTRY_MSR_LOAD_COUNT, VMX_NR_SWITCHED_MSRS);
	vmcs_write64(VM_EXIT_MSR_STORE_ADDR, guest);
	vmcs_write32(VM_EXIT_MSR_STORE_COUNT, VMX_NR_SWITCHED_MSRS);
	vmcs_write64(VM_EXIT_MSR_LOAD_ADDR, pa + offsetof(struct vmx_msr_areas, host));
	vmcs_write32(VM_EXIT_MSR_LOAD_COUNT, VMX_NR_SWITCHED_MSRS);
}

/* Host state that is the same on every CPU and for every thread. */
static void vmx_vmcs_setup_host(void)
{
	u64 value;

	vmcs_writel(HOST_CR0, read_cr0());
	vmcs_write16(HOST_CS_SELECTOR, __KERNEL_CS);
	vmcs_write16(HOST_SS_SELECTOR, __KERNEL_DS);
	/* User selectors have RPL 3, refused here (SDM 26.2.3): 0, restored later. */
	vmcs_write16(HOST_DS_SELECTOR, 0);
	vmcs_write16(HOST_ES_SELECTOR, 0);
	vmcs_write16(HOST_FS_SELECTOR, 0);
	vmcs_write16(HOST_GS_SELECTOR, 0);
	vmcs_write16(HOST_TR_SELECTOR, GDT_ENTRY_TSS * 8);
	rdmsrl(MSR_IA32_SYSENTER_CS, value);
	vmcs_write32(HOST_IA32_SYSENTER_CS, value);
	rdmsrl(MSR_IA32_SYSENTER_EIP, value);
	vmcs_writel(HOST_IA32_SYSENTER_EIP, value);
	rdmsrl(MSR_IA32_CR_PAT, value);
	vmcs_write64(HOST_IA32_PAT, value);
	rdmsrl(MSR_EFER, value);
	vmcs_write64(HOST_IA32_EFER, value);
	vmcs_writel(HOST_RIP, (unsigned long)hvk_vmx_vmexit);
}

/* What set_regs does not write but VM entry checks (SDM 26.3.1). */
static void vmx_vmcs_setup_guest(struct vmx_vcpu *vmx)
{
	vmcs_write64(GUEST_IA32_PAT, PAT_POWER_ON);
	vmcs_write64(GUEST_IA32_DEBUGCTL, 0);
	vmcs_write32(GUEST_SYSENTER_CS, 0);
	vmcs_writel(GUEST_SYSENTER_ESP, 0);
	vmcs_writel(GUEST_SYSENTER_EIP, 0);
	vmcs_write64(GUEST_PDPTR0, 0);
	vmcs_write64(GUEST_PDPTR1, 0);
	vmcs_write64(GUEST_PDPTR2, 0);
	vmcs_write64(GUEST_PDPTR3, 0);
	vmcs_writel(GUEST_PENDING_DBG_EXCEPTIONS, 0);
	vmcs_write32(GUEST_ACTIVITY_STATE, GUEST_ACTIVITY_ACTIVE);
	vmcs_write32(GUEST_INTERRUPTIBILITY_INFO, 0);
	vmcs_write32(VM_ENTRY_INTR_INFO_FIELD, 0);
	vmx->dr6 = DR6_RESERVED;
}

/* Once, on the first vcpu_load: the VMCS is current from then on. */
void vmx_vmcs_setup(struct vmx_vcpu *vmx)
{
	vmx_vmcs_setup_controls(vmx);
	vmx_vmcs_setup_msr_areas(vmx);
	vmx_vmcs_setup_host();
	vmx_vmcs_setup_guest(vmx);
}

/* Per-CPU host state: tables, per-CPU base and stacks (SDM 27.5.2). */
void vmx_vmcs_set_host_cpu(struct vmx_vcpu *vmx, int cpu)
{
	struct vmx_msr_entry *host = vmx->msrs->host;
	struct desc_ptr idt;
	u64 value;

	vmcs_writel(HOST_TR_BASE, (unsigned long)&get_cpu_entry_area(cpu)->tss.x86_tss);
	vmcs_writel(HOST_GDTR_BASE, (unsigned long)get_current_gdt_ro());
	store_idt(&idt);
	vmcs_writel(HOST_IDTR_BASE, idt.address);
	vmcs_writel(HOST_GS_BASE, cpu_kernelmode_gs_base(cpu));
	rdmsrl(MSR_IA32_SYSENTER_ESP, value);          /* the CPU's entry stack */
	vmcs_writel(HOST_IA32_SYSENTER_ESP, value);
	rdmsrl(MSR_STAR, host[VMX_MSR_STAR].value);
	rdmsrl(MSR_LSTAR, host[VMX_MSR_LSTAR].value);
	rdmsrl(MSR_CSTAR, host[VMX_MSR_CSTAR].value);
	rdmsrl(MSR_SYSCALL_MASK, host[VMX_MSR_SFMASK].value);
}

/*
 * Per-thread host state, at every vcpu_load: the thread's user segments and
 * FS/GS bases stay loaded while it runs in the kernel, and a vCPU may be
 * run by any thread of its VMM.
 */
void vmx_host_save(struct vmx_vcpu *vmx)
{
	struct vmx_host_state *h = &vmx->host;

	savesegment(ds, h->ds_sel);
	savesegment(es, h->es_sel);
	savesegment(fs, h->fs_sel);
	savesegment(gs, h->gs_sel);
	store_ldt(h->ldt_sel);
	rdmsrl(MSR_FS_BASE, h->fs_base);
	vmcs_writel(HOST_FS_BASE, h->fs_base);
	/* After SWAPGS on kernel entry this holds the user's GS base. */
	rdmsrl(MSR_KERNEL_GS_BASE, vmx->msrs->host[VMX_MSR_KERNEL_GS_BASE].value);
	/* Not every CPU model has it (Bochs' has not): 0 = nothing to restore. */
	if (rdmsrl_safe(MSR_IA32_DEBUGCTLMSR, &h->debugctl))
		h->debugctl = 0;
}

/* Per entry, interrupts off: CR3 follows the mm (PCID), CR4 may toggle. */
void vmx_host_update_entry(struct vmx_vcpu *vmx)
{
	struct vmx_host_state *h = &vmx->host;
	unsigned long cr3 = __read_cr3(), cr4 = cr4_read_shadow();

	if (unlikely(cr3 != h->cr3)) {
		vmcs_writel(HOST_CR3, cr3);
		h->cr3 = cr3;
	}
	if (unlikely(cr4 != h->cr4)) {
		vmcs_writel(HOST_CR4, cr4);
		h->cr4 = cr4;
	}
}

/*
 * After a VM exit, interrupts off.  The exit nulled LDTR and loaded our 0
 * selectors, set the GDTR limit to 0xffff and the TR limit to 0x67 (which
 * hides the I/O bitmap), cleared DEBUGCTL and set DR7 to 0x400 (SDM
 * 27.5.1, 27.5.2).  The IDTR limit, also 0xffff, is harmless: every vector
 * has a gate.  The GDTR and TR limits are harmless in the kernel too (its
 * selectors are all in the GDT, the IST stacks in the first 0x68 bytes of
 * the TSS): vmx_host_put() puts them right once the thread leaves the vCPU.
 */
void vmx_host_restore(struct vmx_vcpu *vmx)
{
	struct vmx_host_state *h = &vmx->host;

	if (unlikely(h->ldt_sel))
		asm volatile("lldt %0" : : "rm"(h->ldt_sel));
	if (unlikely(h->ds_sel | h->es_sel)) {
		loadsegment(ds, h->ds_sel);
		loadsegment(es, h->es_sel);
	}
	if (unlikely(h->fs_sel)) {
		loadsegment(fs, h->fs_sel);
		wrmsrl(MSR_FS_BASE, h->fs_base);
	}
	if (unlikely(h->gs_sel)) {
		load_gs_index(h->gs_sel);
		wrmsrl(MSR_KERNEL_GS_BASE, vmx->msrs->host[VMX_MSR_KERNEL_GS_BASE].value);
	}
	h->descriptors_stale = true;
	if (h->debugctl)
		wrmsrl(MSR_IA32_DEBUGCTLMSR, h->debugctl);
	/* DR7 and the host's breakpoints: hvk_debugreg_exit(), next. */
}

/*
 * The thread leaves the vCPU (preempted, or back to user mode), preemption
 * off: the GDTR limit its user code may read (SGDT) and the TR limit that
 * covers the I/O bitmap (ioperm) as the host had them.
 */
void vmx_host_put(struct vmx_vcpu *vmx)
{
	struct vmx_host_state *h = &vmx->host;

	if (!h->descriptors_stale)
		return;
	load_fixmap_gdt(raw_smp_processor_id());
	invalidate_tss_limit();
	h->descriptors_stale = false;
}
