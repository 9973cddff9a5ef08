// SPDX-License-Identifier: GPL-2.0
/*
 * Intel VT-x backend: per-CPU VMX operation, vCPU lifetime, VMCS ownership
 * across CPUs, and the run step.  The probe is in vmx_caps.c, VMCS contents
 * in vmx_vmcs.c, state accessors in vmx_state.c, exit handlers in
 * vmx_exit.c, the world switch in vmx_enter.S.
 *
 * A VMCS is "active" on at most one CPU at a time and must be VMCLEARed
 * there before another CPU may VMPTRLD it (SDM 24.1, 24.11.1).  As KVM, a
 * vCPU's VMCS stays active on the CPU it last ran on; vcpu_load() on a new
 * CPU VMCLEARs it on the old one by IPI.  Each CPU lists the VMCSs active
 * on it, so that VMXOFF (CPU offline, module unload) can VMCLEAR them.
 */
#include <linux/io.h>
#include <linux/mm.h>
#include <linux/percpu.h>
#include <linux/slab.h>
#include <linux/smp.h>
#include <linux/spinlock.h>
#include <asm/debugreg.h>
#include <asm/idtentry.h>
#include <asm/msr.h>
#include <asm/nospec-branch.h>
#include <asm/special_insns.h>
#include <asm/tlbflush.h>
#include <asm/tsc.h>
#include <asm/virtext.h>

#include "../debugreg.h"
#include "../gpt.h"
#include "../irq/inject.h"
#include "../pages.h"
#include "../vendor.h"
#include "vmcs.h"
#include "vmx.h"
#include "vmx_enter.h"

static DEFINE_PER_CPU(struct vmx_cpu_data *, vmx_cpu);

/* VPID 0 is the host's (SDM 28.1): guests get 1..65535 while they last. */
static DECLARE_BITMAP(vmx_vpid_bitmap, VMX_NR_VPIDS);
static DEFINE_SPINLOCK(vmx_vpid_lock);

/* EPT entries (SDM 28.2.2): R/W/X permissions, write-back leaves. */
#define EPT_RWX         (VMX_EPT_READABLE_MASK | VMX_EPT_WRITABLE_MASK | \
			 VMX_EPT_EXECUTABLE_MASK)
#define EPT_LEAF_WB     (VMX_EPTP_MT_WB << VMX_EPT_MT_EPTE_SHIFT)

/* Bit 7 of an EPT PDE: it maps a 2 MiB page (SDM 29.3.2). */
#define EPT_LEAF_2M     (1ULL << 7)

/* huge_flag is set by hardware_setup where the CPU has 2 MiB EPT pages. */
static struct hvk_gpt_format vmx_ept_format = {
	.table_flags   = EPT_RWX,
	.leaf_rw_flags = EPT_RWX | EPT_LEAF_WB,
	.leaf_ro_flags = VMX_EPT_READABLE_MASK | VMX_EPT_EXECUTABLE_MASK | EPT_LEAF_WB,
	.present_mask  = EPT_RWX,
};

void vmx_insn_failed(const char *insn, u64 arg1, u64 arg2)
{
	pr_err_ratelimited("hvk: %s failed (%#llx, %#llx)\n", insn, arg1, arg2);
}

static int vmx_hardware_setup(void)
{
	vmx_ept_format.huge_flag = vmx_cfg.ept_2m ? EPT_LEAF_2M : 0;
	return 0;
}

static void vmx_hardware_unsetup(void)
{
}

/* VMX operation requires CR0/CR4 to respect the FIXED MSRs (SDM 23.8). */
static int vmx_check_host_cr(unsigned int cpu)
{
	unsigned long cr0 = read_cr0(), cr4 = cr4_read_shadow() | X86_CR4_VMXE;

	if ((cr0 & vmx_cfg.cr0_fixed0) != vmx_cfg.cr0_fixed0 ||
	    (cr0 & ~vmx_cfg.cr0_fixed1) ||
	    (cr4 & vmx_cfg.cr4_fixed0) != vmx_cfg.cr4_fixed0 ||
	    (cr4 & ~vmx_cfg.cr4_fixed1)) {
		pr_err("hvk: CPU %u: CR0 %#lx / CR4 %#lx do not allow VMX operation\n",
		       cpu, cr0, cr4);
		return -EIO;
	}
	return 0;
}

static int vmx_vmxon(unsigned int cpu, phys_addr_t pa)
{
	cr4_set_bits(X86_CR4_VMXE);
	/* A fault (VMX disabled behind our back) is a failure too. */
	asm goto("1: vmxon %[pa]\n\t"
		 "jna %l[fail]\n\t"
		 _ASM_EXTABLE(1b, %l[fail])
		 : : [pa] "m"(pa) : "memory", "cc" : fail);
	return 0;
fail:
	cr4_clear_bits(X86_CR4_VMXE);
	pr_err("hvk: CPU %u: VMXON failed\n", cpu);
	return -EIO;
}

static void vmx_cpu_data_free(struct vmx_cpu_data *cd)
{
	if (cd->vmxon_page)
		__free_page(cd->vmxon_page);
	kfree(cd);
}

static int vmx_cpu_enable(unsigned int cpu)
{
	struct vmx_cpu_data *cd;
	int err;

	if (cr4_read_shadow() & X86_CR4_VMXE) {
		pr_err("hvk: CPU %u: VT-x already in use by another hypervisor "
		       "(CR4.VMXE set; unload kvm_intel)\n", cpu);
		return -EBUSY;
	}
	err = vmx_check_host_cr(cpu);
	if (err)
		return err;
	cd = kzalloc(sizeof(*cd), GFP_KERNEL);
	if (!cd)
		return -ENOMEM;
	INIT_LIST_HEAD(&cd->loaded);
	cd->vmxon_page = alloc_page(GFP_KERNEL | __GFP_ZERO);
	if (!cd->vmxon_page) {
		vmx_cpu_data_free(cd);
		return -ENOMEM;
	}
	/* The VMXON region starts with the VMCS revision (SDM 24.11.5). */
	*(u32 *)page_address(cd->vmxon_page) = vmx_cfg.revision_id;
	err = vmx_vmxon(cpu, page_to_phys(cd->vmxon_page));
	if (err) {
		vmx_cpu_data_free(cd);
		return err;
	}
	per_cpu(vmx_cpu, cpu) = cd;
	return 0;
}

/*
 * On the CPU where the VMCS is active (IPI or local), interrupts off.  A
 * vCPU that moved on, or a CPU that went offline, already cleared it.
 */
static void vmx_vmcs_clear_here(void *arg)
{
	struct vmx_vcpu *vmx = arg;
	struct vmx_cpu_data *cd;

	if (vmx->cpu != smp_processor_id())
		return;
	cd = this_cpu_read(vmx_cpu);
	vmcs_clear(vmx->vmcs_pa);
	if (cd->current_vmcs == vmx->vmcs)
		cd->current_vmcs = NULL;
	list_del(&vmx->loaded_link);
	vmx->launched = false;
	/* Off the list before the loader may put it on another. */
	smp_wmb();
	WRITE_ONCE(vmx->cpu, -1);
}

static void vmx_cpu_disable(unsigned int cpu)
{
	struct vmx_cpu_data *cd = per_cpu(vmx_cpu, cpu);
	struct vmx_vcpu *vmx, *next;

	if (!cd)
		return;
	local_irq_disable();
	list_for_each_entry_safe(vmx, next, &cd->loaded, loaded_link)
		vmx_vmcs_clear_here(vmx);
	per_cpu(vmx_cpu, cpu) = NULL;
	local_irq_enable();
	cpu_vmxoff();                   /* VMXOFF and CR4.VMXE off */
	vmx_cpu_data_free(cd);
}

static int vmx_vm_init(struct hvk_vm *vm)
{
	/* The guest's TSC starts near zero when the VM is created. */
	to_vmx_vm(vm)->tsc_offset = -rdtsc_ordered();
	return 0;
}

static void vmx_vm_destroy(struct hvk_vm *vm)
{
}

static u16 vmx_vpid_alloc(void)
{
	unsigned long vpid;

	if (!vmx_cfg.invvpid_type)
		return 0;
	spin_lock(&vmx_vpid_lock);
	vpid = find_next_zero_bit(vmx_vpid_bitmap, VMX_NR_VPIDS, 1);
	if (vpid < VMX_NR_VPIDS)
		__set_bit(vpid, vmx_vpid_bitmap);
	else
		vpid = 0;               /* run untagged: flushed at every entry */
	spin_unlock(&vmx_vpid_lock);
	return vpid;
}

static void vmx_vpid_free(u16 vpid)
{
	if (!vpid)
		return;
	spin_lock(&vmx_vpid_lock);
	__clear_bit(vpid, vmx_vpid_bitmap);
	spin_unlock(&vmx_vpid_lock);
}

static int vmx_vcpu_init(struct hvk_vcpu *vcpu)
{
	struct vmx_vcpu *vmx = to_vmx(vcpu);

	vmx->vmcs_page = hvk_pages_alloc(0);
	vmx->msr_page = hvk_pages_alloc(0);
	if (!vmx->vmcs_page || !vmx->msr_page) {
		hvk_pages_free(vmx->vmcs_page, 0);
		hvk_pages_free(vmx->msr_page, 0);
		return -ENOMEM;
	}
	vmx->vmcs = page_address(vmx->vmcs_page);
	vmx->vmcs_pa = page_to_phys(vmx->vmcs_page);
	*(u32 *)vmx->vmcs = vmx_cfg.revision_id;       /* SDM 24.2 */
	vmx->msrs = page_address(vmx->msr_page);
	vmx_msr_areas_init(vmx->msrs);
	/* 4-level walk, write-back paging structures (SDM 24.6.11). */
	vmx->eptp = hvk_gpt_root_pa(&vcpu->vm->gpt) | VMX_EPTP_MT_WB | VMX_EPTP_PWL_4;
	vmx->vpid = vmx_vpid_alloc();
	vmx->cpu = -1;
	INIT_LIST_HEAD(&vmx->loaded_link);
	return 0;
}

static void vmx_vcpu_destroy(struct hvk_vcpu *vcpu)
{
	struct vmx_vcpu *vmx = to_vmx(vcpu);
	int cpu = READ_ONCE(vmx->cpu);

	if (cpu >= 0)
		smp_call_function_single(cpu, vmx_vmcs_clear_here, vmx, 1);
	vmx_vpid_free(vmx->vpid);
	hvk_pages_free(vmx->msr_page, 0);
	hvk_pages_free(vmx->vmcs_page, 0);
}

/* Make the VMCS active on @cpu (this one), VMCLEARing it where it was. */
static void vmx_vmcs_move_here(struct vmx_vcpu *vmx, struct vmx_cpu_data *cd,
			       int cpu)
{
	int old = READ_ONCE(vmx->cpu);

	if (old >= 0)
		smp_call_function_single(old, vmx_vmcs_clear_here, vmx, 1);
	else
		vmcs_clear(vmx->vmcs_pa);       /* first use: launch state clear */
	smp_rmb();
	/* IPIs walk this CPU's list too. */
	local_irq_disable();
	list_add(&vmx->loaded_link, &cd->loaded);
	vmx->cpu = cpu;
	local_irq_enable();
	vmx->launched = false;
	/*
	 * This CPU may hold translations tagged with our EPTP (and VPID) from
	 * an earlier stay, or from a freed VM whose EPT root had our address.
	 */
	WRITE_ONCE(vmx->need_flush, true);
}

/* Preemption is off; from a preempt notifier or the ioctl path. */
static void vmx_vcpu_load(struct hvk_vcpu *vcpu, int cpu)
{
	struct vmx_vcpu *vmx = to_vmx(vcpu);
	struct vmx_cpu_data *cd = per_cpu(vmx_cpu, cpu);
	bool moved = vmx->cpu != cpu;

	if (moved)
		vmx_vmcs_move_here(vmx, cd, cpu);
	if (cd->current_vmcs != vmx->vmcs) {
		vmcs_load(vmx->vmcs_pa);
		cd->current_vmcs = vmx->vmcs;
	}
	if (!vmx->vmcs_ready) {
		vmx_vmcs_setup(vmx);
		vmx->vmcs_ready = true;
	}
	if (moved)
		vmx_vmcs_set_host_cpu(vmx, cpu);
	vmx_host_save(vmx);
}

/*
 * The VMCS stays active here until the vCPU runs elsewhere; the host's
 * descriptor-table limits an exit left are put right now.
 */
static void vmx_vcpu_put(struct hvk_vcpu *vcpu)
{
	vmx_host_put(to_vmx(vcpu));
}

/* From any thread, even while the vCPU runs elsewhere: no VMCS access. */
static void vmx_flush_gpt(struct hvk_vcpu *vcpu)
{
	WRITE_ONCE(to_vmx(vcpu)->need_flush, true);
}

void hvk_vmx_update_host_rsp(struct vmx_vcpu *vmx, unsigned long rsp)
{
	if (unlikely(rsp != vmx->host.rsp)) {
		vmcs_writel(HOST_RSP, rsp);
		vmx->host.rsp = rsp;
	}
}

/* Legacy IBRS must be written again after the guest ran (as KVM). */
void hvk_vmx_spec_ctrl_restore_host(void)
{
	if (cpu_feature_enabled(X86_FEATURE_KERNEL_IBRS))
		native_wrmsrl(MSR_IA32_SPEC_CTRL, __this_cpu_read(x86_spec_ctrl_current));
}

/* INVEPT covers guest-physical and combined mappings of all VPIDs. */
static void vmx_flush_tlb(struct vmx_vcpu *vmx)
{
	/*
	 * flush_gpt() may set the flag from another vCPU's thread at any time:
	 * take it before flushing, so that a request racing with this flush
	 * is kept for the next entry rather than lost.
	 */
	if (!xchg(&vmx->need_flush, false))
		return;
	vmx_invept(vmx_cfg.invept_type, vmx->eptp);
	if (vmx->vpid)
		vmx_invvpid(vmx_cfg.invvpid_type, vmx->vpid);
}

static void vmx_sync_to_vmcs(struct vmx_vcpu *vmx)
{
	unsigned long rsp = vmx->vcpu.gpr[HVK_REG_RSP], rip = vmx->vcpu.rip;
	/* Bit 1 reads as one and VM entry insists (SDM 26.3.1.4). */
	unsigned long rflags = vmx->vcpu.rflags | X86_EFLAGS_FIXED;
	bool known = vmx->vmcs_regs_known;

	if (!known || rsp != vmx->vmcs_rsp)
		vmcs_writel(GUEST_RSP, rsp);
	if (!known || rip != vmx->vmcs_rip)
		vmcs_writel(GUEST_RIP, rip);
	if (!known || rflags != vmx->vmcs_rflags)
		vmcs_writel(GUEST_RFLAGS, rflags);
}

static void vmx_sync_from_vmcs(struct vmx_vcpu *vmx)
{
	vmx->vmcs_rsp = vmx->vcpu.gpr[HVK_REG_RSP] = vmcs_readl(GUEST_RSP);
	vmx->vmcs_rip = vmx->vcpu.rip = vmcs_readl(GUEST_RIP);
	vmx->vmcs_rflags = vmx->vcpu.rflags = vmcs_readl(GUEST_RFLAGS);
	vmx->vmcs_regs_known = true;
}

/* Neither CR2 nor DR6 is in the VMCS (SDM 27.3): switch them by hand. */
static void vmx_guest_cr2_dr6_in(struct vmx_vcpu *vmx)
{
	unsigned long dr6;

	if (native_read_cr2() != vmx->cr2)
		native_write_cr2(vmx->cr2);
	get_debugreg(dr6, 6);
	if (dr6 != vmx->dr6)
		set_debugreg(vmx->dr6, 6);
}

static void vmx_guest_cr2_dr6_out(struct vmx_vcpu *vmx)
{
	vmx->cr2 = native_read_cr2();
	get_debugreg(vmx->dr6, 6);
	/* The host's #DB handler expects DR6 at its reset value. */
	if (vmx->dr6 != DR6_RESERVED)
		set_debugreg(DR6_RESERVED, 6);
}

/*
 * Right after the exit, interrupts still off: an NMI that caused the exit
 * was not delivered to the host (SDM 25.2), so run the host's handler
 * now, before anything can depend on it having run.
 */
static void vmx_after_exit_irqoff(struct vmx_vcpu *vmx)
{
	vmx_guest_cr2_dr6_out(vmx);
	if (vmx->fail != VMX_ENTER_EXIT)
		return;
	vmx->exit_reason = vmcs_read32(VM_EXIT_REASON);
	if (vmx->exit_reason & VMX_EXIT_REASONS_FAILED_VMENTRY)
		return;
	vmx->launched = true;
	if ((u16)vmx->exit_reason != EXIT_REASON_EXCEPTION_NMI)
		return;
	vmx->exit_intr_info = vmcs_read32(VM_EXIT_INTR_INFO);
	if ((vmx->exit_intr_info & INTR_INFO_INTR_TYPE_MASK) == INTR_TYPE_NMI_INTR)
		hvk_vmx_do_nmi_irqoff((unsigned long)asm_exc_nmi_noist);
}

static void vmx_set_dr_intercept(struct hvk_vcpu *vcpu, bool on)
{
	vmx_set_exec_control(to_vmx(vcpu), CPU_BASED_MOV_DR_EXITING, on);
}

/*
 * One world switch; preemption and interrupts are off inside.  False when
 * an event arrived after injection was decided: no entry, decide again.
 */
static bool vmx_enter_guest(struct vmx_vcpu *vmx)
{
	vmx_sync_to_vmcs(vmx);
	preempt_disable();
	local_irq_disable();
	if (!hvk_vcpu_enter_guest_mode(&vmx->vcpu)) {
		local_irq_enable();
		preempt_enable();
		return false;
	}
	vmx_flush_tlb(vmx);
	vmx_host_update_entry(vmx);
	vmx_guest_cr2_dr6_in(vmx);
	hvk_debugreg_enter(&vmx->vcpu.debugreg, vmcs_readl(GUEST_DR7));
	vmx->fail = hvk_vmx_enter(vmx, vmx->vcpu.gpr, vmx->launched);
	hvk_vcpu_leave_guest_mode(&vmx->vcpu);
	vmx_after_exit_irqoff(vmx);
	vmx_host_restore(vmx);
	hvk_debugreg_exit(&vmx->vcpu, &vmx->vcpu.debugreg);
	local_irq_enable();
	preempt_enable();
	vmx_sync_from_vmcs(vmx);
	return true;
}

/*
 * What the exit tracepoint and counters get: the basic exit reason (or,
 * when VMLAUNCH/VMRESUME failed, the full value with bit 31), the exit
 * qualification and, for EPT exits, the guest-physical address.
 */
static void vmx_report_exit(struct vmx_vcpu *vmx)
{
	u32 reason = vmx->exit_reason;
	u64 info2 = 0;

	if (vmx->fail != VMX_ENTER_EXIT) {
		hvk_vcpu_exit_event(&vmx->vcpu, VMX_EXIT_REASONS_FAILED_VMENTRY, 0, 0);
		return;
	}
	if (!(reason & VMX_EXIT_REASONS_FAILED_VMENTRY))
		reason = (u16)reason;
	/* Only the tracepoint takes them: no VMREADs while it is off. */
	if (!hvk_vcpu_exit_traced()) {
		hvk_vcpu_exit_event(&vmx->vcpu, reason, 0, 0);
		return;
	}
	if (reason == EXIT_REASON_EPT_VIOLATION || reason == EXIT_REASON_EPT_MISCONFIG)
		info2 = vmcs_read64(GUEST_PHYSICAL_ADDRESS);
	else if (reason == EXIT_REASON_EXCEPTION_NMI)
		info2 = vmx->exit_intr_info;
	hvk_vcpu_exit_event(&vmx->vcpu, reason, vmcs_readl(EXIT_QUALIFICATION), info2);
}

static int vmx_vcpu_run(struct hvk_vcpu *vcpu)
{
	struct vmx_vcpu *vmx = to_vmx(vcpu);

	if (!vmx_enter_guest(vmx))
		return 1;
	vmx_report_exit(vmx);
	return vmx_handle_exit(vmx);
}

const struct hvk_vendor_ops hvk_vmx_ops = {
	.name = "vmx",
	.vendor = HVK_VENDOR_VMX,
	.vm_size = sizeof(struct vmx_vm),
	.vcpu_size = sizeof(struct vmx_vcpu),
	.gpt_format = &vmx_ept_format,
	.probe = vmx_probe,
	.hardware_setup = vmx_hardware_setup,
	.hardware_unsetup = vmx_hardware_unsetup,
	.cpu_enable = vmx_cpu_enable,
	.cpu_disable = vmx_cpu_disable,
	.vm_init = vmx_vm_init,
	.vm_destroy = vmx_vm_destroy,
	.vcpu_init = vmx_vcpu_init,
	.vcpu_destroy = vmx_vcpu_destroy,
	.vcpu_load = vmx_vcpu_load,
	.vcpu_put = vmx_vcpu_put,
	.vcpu_run = vmx_vcpu_run,
	.get_regs = vmx_get_regs,
	.set_regs = vmx_set_regs,
	.in_long_mode = vmx_in_long_mode,
	.get_paging = vmx_get_paging,
	.get_msr = vmx_get_msr,
	.set_msr = vmx_set_msr,
	.queue_exception = vmx_queue_exception,
	.interrupt_allowed = vmx_interrupt_allowed,
	.nmi_allowed = vmx_nmi_allowed,
	.inject_interrupt = vmx_inject_interrupt,
	.inject_nmi = vmx_inject_nmi,
	.request_interrupt_window = vmx_request_interrupt_window,
	.request_nmi_window = vmx_request_nmi_window,
	.set_dr_intercept = vmx_set_dr_intercept,
	.skip_instruction = vmx_skip_instruction,
	.flush_gpt = vmx_flush_gpt,
};
