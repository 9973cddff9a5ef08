// SPDX-License-Identifier: GPL-2.0
/*
 * AMD-V backend: probe, per-CPU enable, VMCB setup and the run step.
 * State accessors are in svm_state.c, exit handlers in svm_exit.c.
 */
#include <linux/io.h>
#include <linux/mm.h>
#include <linux/percpu.h>
#include <linux/slab.h>
#include <asm/cpufeature.h>
#include <asm/debugreg.h>
#include <asm/hw_breakpoint.h>
#include <asm/msr.h>
#include <asm/tsc.h>

#include "../debugreg.h"
#include "../emulate.h"
#include "../gpt.h"
#include "../irq/inject.h"
#include "../pages.h"
#include "../vendor.h"
#include "svm.h"

/* CPUID 0x8000000a EDX (AMD APM Vol. 3, E.4.9). */
#define SVM_CPUID_NPT           BIT(0)
#define SVM_CPUID_NRIPS         BIT(3)
#define SVM_CPUID_FLUSH_BY_ASID BIT(6)
#define SVM_CPUID_DECODE_ASSIST BIT(7)
#define SVM_CPUID_VGIF          BIT(16)

#define IOPM_ORDER   2          /* 12 KiB used */
#define MSRPM_ORDER  1          /* 8 KiB */
#define PAT_POWER_ON 0x0007040600070406ULL

u32 svm_features;
u32 svm_max_asid;
static struct page *svm_iopm;   /* shared, read-only to the CPU: all ones */
static struct page *svm_msrpm;  /* shared: every MSR access intercepted */
static DEFINE_PER_CPU(struct svm_cpu_data *, svm_cpu);

/*
 * NPT entries are ordinary long-mode PTEs; guest accesses count as user.
 * Accessed, and Dirty on writable leaves, are set from the start, as
 * KVM's SPTEs: the CPU's walker then never writes hvk's tables, so no
 * walk racing a zap on another CPU can write an entry back (a walker that
 * sets the bit by a plain read-modify-write, as QEMU's TCG did before its
 * page walks used cmpxchg, would restore the entry just cleared).
 */
static const struct hvk_gpt_format svm_npt_format = {
	.table_flags   = _PAGE_PRESENT | _PAGE_RW | _PAGE_USER | _PAGE_ACCESSED,
	.leaf_rw_flags = _PAGE_PRESENT | _PAGE_RW | _PAGE_USER | _PAGE_ACCESSED | _PAGE_DIRTY,
	.leaf_ro_flags = _PAGE_PRESENT | _PAGE_USER | _PAGE_ACCESSED,
	.present_mask  = _PAGE_PRESENT,
	.huge_flag     = _PAGE_PSE,     /* NPT PDEs map 2 MiB as long mode's do */
};

static int svm_probe(u32 *hw_features)
{
	u32 eax, ebx, ecx, edx;
	u64 vm_cr, efer;

	rdmsrl(MSR_VM_CR, vm_cr);
	if (vm_cr & SVM_VM_CR_SVM_DIS_MASK) {
		pr_err("hvk: AMD-V is disabled by the firmware (VM_CR.SVMDIS set%s)\n",
		       (vm_cr & SVM_VM_CR_SVM_LOCK_MASK) ? " and locked" : "");
		return -EPERM;
	}
	rdmsrl(MSR_EFER, efer);
	if (efer & EFER_SVME) {
		pr_err("hvk: AMD-V is already in use by another hypervisor "
		       "(EFER.SVME is set; is kvm_amd running a VM?)\n");
		return -EBUSY;
	}
	cpuid(0x8000000a, &eax, &ebx, &ecx, &edx);
	if (!(edx & SVM_CPUID_NPT)) {
		pr_err("hvk: AMD-V without nested paging (NPT) is not supported\n");
		return -ENODEV;
	}
	svm_max_asid = ebx - 1;
	svm_features = HVK_HW_NESTED_PAGING | HVK_HW_TAGGED_TLB | HVK_HW_GPT_2M;
	if (edx & SVM_CPUID_NRIPS)
		svm_features |= HVK_HW_NRIPS;
	if (edx & SVM_CPUID_FLUSH_BY_ASID)
		svm_features |= HVK_HW_FLUSH_BY_ASID;
	if (edx & SVM_CPUID_DECODE_ASSIST)
		svm_features |= HVK_HW_DECODE_ASSISTS;
	if (edx & SVM_CPUID_VGIF)
		svm_features |= HVK_HW_VGIF;
	*hw_features = svm_features;
	pr_info("hvk: AMD-V with NPT, %u ASIDs%s\n", ebx,
		(svm_features & HVK_HW_NRIPS) ? ", NRIPS" : ", no NRIPS");
	return 0;
}

static int svm_hardware_setup(void)
{
	svm_iopm = alloc_pages(GFP_KERNEL, IOPM_ORDER);
	svm_msrpm = alloc_pages(GFP_KERNEL, MSRPM_ORDER);
	if (!svm_iopm || !svm_msrpm) {
		if (svm_iopm)
			__free_pages(svm_iopm, IOPM_ORDER);
		if (svm_msrpm)
			__free_pages(svm_msrpm, MSRPM_ORDER);
		return -ENOMEM;
	}
	memset(page_address(svm_iopm), 0xff, PAGE_SIZE << IOPM_ORDER);
	memset(page_address(svm_msrpm), 0xff, PAGE_SIZE << MSRPM_ORDER);
	return 0;
}

static void svm_hardware_unsetup(void)
{
	__free_pages(svm_iopm, IOPM_ORDER);
	__free_pages(svm_msrpm, MSRPM_ORDER);
}

static void svm_cpu_data_free(struct svm_cpu_data *sd)
{
	if (sd->hsave)
		__free_page(sd->hsave);
	if (sd->host_vmcb)
		__free_page(sd->host_vmcb);
	kfree(sd);
}

static int svm_cpu_enable(unsigned int cpu)
{
	struct svm_cpu_data *sd;
	u64 efer;

	rdmsrl(MSR_EFER, efer);
	if (efer & EFER_SVME) {
		pr_err("hvk: CPU %u: AMD-V is already in use by another hypervisor "
		       "(EFER.SVME is set)\n", cpu);
		return -EBUSY;
	}
	sd = kzalloc(sizeof(*sd), GFP_KERNEL);
	if (!sd)
		return -ENOMEM;
	sd->hsave = alloc_page(GFP_KERNEL | __GFP_ZERO);
	sd->host_vmcb = alloc_page(GFP_KERNEL | __GFP_ZERO);
	if (!sd->hsave || !sd->host_vmcb) {
		svm_cpu_data_free(sd);
		return -ENOMEM;
	}
	sd->host_vmcb_pa = page_to_phys(sd->host_vmcb);
	/* Start past the last ASID: the first entry wraps and flushes all. */
	sd->next_asid = svm_max_asid + 1;
	sd->asid_generation = 1;
	wrmsrl(MSR_EFER, efer | EFER_SVME);
	wrmsrl(MSR_VM_HSAVE_PA, page_to_phys(sd->hsave));
	per_cpu(svm_cpu, cpu) = sd;
	return 0;
}

static void svm_cpu_disable(unsigned int cpu)
{
	struct svm_cpu_data *sd = per_cpu(svm_cpu, cpu);
	u64 efer;

	if (!sd)
		return;
	wrmsrl(MSR_VM_HSAVE_PA, 0);
	rdmsrl(MSR_EFER, efer);
	wrmsrl(MSR_EFER, efer & ~EFER_SVME);
	per_cpu(svm_cpu, cpu) = NULL;
	svm_cpu_data_free(sd);
}

static int svm_vm_init(struct hvk_vm *vm)
{
	/* The guest's TSC starts near zero when the VM is created. */
	to_svm_vm(vm)->tsc_offset = -rdtsc_ordered();
	return 0;
}

static void svm_vm_destroy(struct hvk_vm *vm)
{
}

static void svm_set_intercepts(struct vmcb_control_area *c)
{
	/*
	 * #AC and #DB are intercepted only to be re-injected: a guest that
	 * makes their delivery fault again would otherwise keep the CPU in
	 * microcode forever, with no exit (CVE-2015-5307, CVE-2015-8104).
	 */
	/* Every MOV DR, until the guest's DR0-DR3 are loaded (debugreg.h). */
	c->intercepts[INTERCEPT_DR] = ~0U;
	c->intercepts[INTERCEPT_EXCEPTION] = BIT(UD_VECTOR) | BIT(MC_VECTOR) |
					     BIT(AC_VECTOR) | BIT(DB_VECTOR);
	c->intercepts[INTERCEPT_WORD3] =
		BIT(INTERCEPT_INTR - 96) | BIT(INTERCEPT_NMI - 96) |
		BIT(INTERCEPT_SMI - 96) | BIT(INTERCEPT_RDPMC - 96) |
		BIT(INTERCEPT_CPUID - 96) | BIT(INTERCEPT_INVD - 96) |
		BIT(INTERCEPT_HLT - 96) | BIT(INTERCEPT_INVLPGA - 96) |
		BIT(INTERCEPT_IOIO_PROT - 96) | BIT(INTERCEPT_MSR_PROT - 96) |
		BIT(INTERCEPT_SHUTDOWN - 96);
	/* VMRUN must be intercepted or VMRUN fails (APM 15.5.1). */
	c->intercepts[INTERCEPT_WORD4] =
		BIT(INTERCEPT_VMRUN - 128) | BIT(INTERCEPT_VMMCALL - 128) |
		BIT(INTERCEPT_VMLOAD - 128) | BIT(INTERCEPT_VMSAVE - 128) |
		BIT(INTERCEPT_STGI - 128) | BIT(INTERCEPT_CLGI - 128) |
		BIT(INTERCEPT_SKINIT - 128) | BIT(INTERCEPT_RDTSCP - 128) |
		BIT(INTERCEPT_WBINVD - 128) | BIT(INTERCEPT_MONITOR - 128) |
		BIT(INTERCEPT_MWAIT - 128) | BIT(INTERCEPT_MWAIT_COND - 128) |
		BIT(INTERCEPT_XSETBV - 128);
}

static void svm_vmcb_init(struct svm_vcpu *svm)
{
	struct vmcb_control_area *c = &svm->vmcb->control;
	struct vmcb_save_area *s = &svm->vmcb->save;

	svm_set_intercepts(c);
	c->iopm_base_pa = page_to_phys(svm_iopm);
	c->msrpm_base_pa = page_to_phys(svm_msrpm);
	c->tsc_offset = to_svm_vm(svm->vcpu.vm)->tsc_offset;
	/* Guest IF masks only virtual interrupts; host ones still exit. */
	c->int_ctl = V_INTR_MASKING_MASK;
	c->nested_ctl = SVM_NESTED_CTL_NP_ENABLE;
	c->nested_cr3 = hvk_gpt_root_pa(&svm->vcpu.vm->gpt);
	s->efer = EFER_SVME;
	s->g_pat = PAT_POWER_ON;
	s->dr6 = DR6_RESERVED;
	s->dr7 = 0x400;       /* DR7 bit 10 reads as one */
}

static int svm_vcpu_init(struct hvk_vcpu *vcpu)
{
	struct svm_vcpu *svm = to_svm(vcpu);

	svm->vmcb_page = hvk_pages_alloc(0);
	if (!svm->vmcb_page)
		return -ENOMEM;
	svm->vmcb = page_address(svm->vmcb_page);
	svm->vmcb_pa = page_to_phys(svm->vmcb_page);
	svm->last_cpu = -1;
	svm_vmcb_init(svm);
	return 0;
}

static void svm_vcpu_destroy(struct hvk_vcpu *vcpu)
{
	hvk_pages_free(to_svm(vcpu)->vmcb_page, 0);
}

/* The VMCB is plain memory and host state is saved per entry: nothing to do. */
static void svm_vcpu_load(struct hvk_vcpu *vcpu, int cpu)
{
}

static void svm_vcpu_put(struct hvk_vcpu *vcpu)
{
}

/* May run on another vCPU's thread: the target takes it at its next entry. */
static void svm_flush_gpt(struct hvk_vcpu *vcpu)
{
	WRITE_ONCE(to_svm(vcpu)->need_flush, true);
}

/*
 * A vCPU needs a fresh ASID when it moved CPU or its mappings changed.
 * ASIDs are handed out per CPU; when they run out, a new generation starts
 * with a flush of every ASID, so a handed-out ASID never has stale entries.
 */
static void svm_assign_asid(struct svm_vcpu *svm, struct svm_cpu_data *sd,
			    int cpu)
{
	struct vmcb_control_area *c = &svm->vmcb->control;

	/*
	 * The request is taken, not read then overwritten: one that an MMU
	 * notifier makes between here and VMRUN (which its IPI then ends at
	 * once) stays for the next entry instead of being lost.
	 */
	if (!xchg(&svm->need_flush, false) && svm->last_cpu == cpu &&
	    svm->asid_generation == sd->asid_generation)
		return;
	if (sd->next_asid > svm_max_asid) {
		sd->asid_generation++;
		sd->next_asid = 1;      /* ASID 0 is the host's */
		c->tlb_ctl = TLB_CONTROL_FLUSH_ALL_ASID;
	}
	c->asid = sd->next_asid++;
	svm->asid_generation = sd->asid_generation;
	svm->last_cpu = cpu;
}

static void svm_sync_to_vmcb(struct svm_vcpu *svm)
{
	struct vmcb_save_area *s = &svm->vmcb->save;

	s->rax = svm->vcpu.gpr[HVK_REG_RAX];
	s->rsp = svm->vcpu.gpr[HVK_REG_RSP];
	s->rip = svm->vcpu.rip;
	s->rflags = svm->vcpu.rflags;
	svm_sync_tpr_to_vmcb(svm);
	svm->vmcb->control.clean = 0;   /* hvk rewrites the VMCB freely */
	svm->vmcb->control.next_rip = 0;
}

static void svm_sync_from_vmcb(struct svm_vcpu *svm)
{
	struct vmcb_save_area *s = &svm->vmcb->save;

	svm->vcpu.gpr[HVK_REG_RAX] = s->rax;
	svm->vcpu.gpr[HVK_REG_RSP] = s->rsp;
	svm->vcpu.rip = s->rip;
	svm->vcpu.rflags = s->rflags;
	svm->vmcb->control.tlb_ctl = TLB_CONTROL_DO_NOTHING;
	svm_sync_tpr_from_vmcb(svm);
	svm_clear_interrupt_window(svm);
}

/*
 * One world switch; preemption and interrupts are off inside.  False when
 * an event arrived after injection was decided: no entry, decide again.
 */
static bool svm_enter_guest(struct svm_vcpu *svm)
{
	struct svm_cpu_data *sd;
	int cpu;

	svm_sync_to_vmcb(svm);
	cpu = get_cpu();
	local_irq_disable();
	if (!hvk_vcpu_enter_guest_mode(&svm->vcpu)) {
		local_irq_enable();
		put_cpu();
		return false;
	}
	sd = per_cpu(svm_cpu, cpu);
	svm_assign_asid(svm, sd, cpu);
	asm volatile("clgi" ::: "memory");
	hvk_debugreg_enter(&svm->vcpu.debugreg, svm->vmcb->save.dr7);
	asm volatile("vmsave %0" : : "a"(sd->host_vmcb_pa) : "memory");
	hvk_svm_enter(svm->vmcb_pa, sd->host_vmcb_pa, svm->vcpu.gpr);
	hvk_vcpu_leave_guest_mode(&svm->vcpu);
	asm volatile("stgi" ::: "memory");
	hvk_debugreg_exit(&svm->vcpu, &svm->vcpu.debugreg);
	local_irq_enable();
	put_cpu();
	svm_sync_from_vmcb(svm);
	return true;
}

static void svm_set_dr_intercept(struct hvk_vcpu *vcpu, bool on)
{
	to_svm(vcpu)->vmcb->control.intercepts[INTERCEPT_DR] = on ? ~0U : 0;
}

static int svm_vcpu_run(struct hvk_vcpu *vcpu)
{
	struct svm_vcpu *svm = to_svm(vcpu);

	if (!svm_enter_guest(svm))
		return 1;
	hvk_vcpu_exit_event(vcpu, svm->vmcb->control.exit_code,
			    svm->vmcb->control.exit_info_1,
			    svm->vmcb->control.exit_info_2);
	return svm_handle_exit(svm);
}

const struct hvk_vendor_ops hvk_svm_ops = {
	.name = "svm",
	.vendor = HVK_VENDOR_SVM,
	.vm_size = sizeof(struct svm_vm),
	.vcpu_size = sizeof(struct svm_vcpu),
	.gpt_format = &svm_npt_format,
	.probe = svm_probe,
	.hardware_setup = svm_hardware_setup,
	.hardware_unsetup = svm_hardware_unsetup,
	.cpu_enable = svm_cpu_enable,
	.cpu_disable = svm_cpu_disable,
	.vm_init = svm_vm_init,
	.vm_destroy = svm_vm_destroy,
	.vcpu_init = svm_vcpu_init,
	.vcpu_destroy = svm_vcpu_destroy,
	.vcpu_load = svm_vcpu_load,
	.vcpu_put = svm_vcpu_put,
	.vcpu_run = svm_vcpu_run,
	.get_regs = svm_get_regs,
	.set_regs = svm_set_regs,
	.in_long_mode = svm_in_long_mode,
	.get_paging = svm_get_paging,
	.get_msr = svm_get_msr,
	.set_msr = svm_set_msr,
	.queue_exception = svm_queue_exception,
	.interrupt_allowed = svm_interrupt_allowed,
	.nmi_allowed = svm_nmi_allowed,
	.inject_interrupt = svm_inject_interrupt,
	.inject_nmi = svm_inject_nmi,
	.request_interrupt_window = svm_request_interrupt_window,
	.request_nmi_window = svm_request_nmi_window,
	.set_dr_intercept = svm_set_dr_intercept,
	.skip_instruction = svm_skip_instruction,
	.flush_gpt = svm_flush_gpt,
};
