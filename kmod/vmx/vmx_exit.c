// SPDX-License-Identifier: GPL-2.0
/*
 * VT-x exit handling: one table indexed by basic exit reason (as KVM and
 * svm_exit.c), short handlers that decode the exit qualification (SDM
 * 27.2.1) and call the vendor-neutral emulation.  Instruction lengths come
 * from VM_EXIT_INSTRUCTION_LEN, valid for every instruction exit here.
 */
#include <asm/mce.h>
#include <asm/trapnr.h>
#include <asm/traps.h>
#include <asm/vmx.h>

#include "../debugreg.h"
#include "../emulate.h"
#include "../guest_mem.h"
#include "../irq/lapic.h"
#include "../mmu.h"
#include "../vendor.h"
#include "vmcs.h"
#include "vmx.h"
#include "vmx_enter.h"

/* Exit qualification of I/O instructions (SDM Table 27-5). */
#define IO_SIZE_MASK    0x7ul   /* size - 1 */
#define IO_IN           BIT(3)
#define IO_STRING       BIT(4)
#define IO_PORT_SHIFT   16

/* Control-register accesses (SDM Table 27-3): the CR number is bits 3:0. */
#define CR_NUM_MASK     0xful
#define CR_MOV_TO       0
#define CR_MOV_FROM     1
#define CR_CLTS         2
#define CR_LMSW         3

#define LEN_VMMCALL     3       /* 0f 01 d9 */

typedef int (*vmx_exit_handler)(struct vmx_vcpu *vmx);

static unsigned int exit_insn_len(void)
{
	return vmcs_read32(VM_EXIT_INSTRUCTION_LEN);
}

/* External interrupt: taken after local_irq_enable(); the slice ended. */
static int exit_resume(struct vmx_vcpu *vmx)
{
	return 1;
}

static int exit_inject_ud(struct vmx_vcpu *vmx)
{
	/* VMX instructions, MONITOR/MWAIT, XSETBV, RDPMC: hidden from guests. */
	vmx_queue_exception(&vmx->vcpu, X86_TRAP_UD, false, 0);
	return 1;
}

static int exit_cpuid(struct vmx_vcpu *vmx)
{
	return hvk_emulate_cpuid(&vmx->vcpu, exit_insn_len());
}

/* MOV DR, any register either way: the guest's DR0-DR3 are loaded. */
static int exit_dr_access(struct vmx_vcpu *vmx)
{
	return hvk_debugreg_access(&vmx->vcpu);
}

static int exit_hlt(struct vmx_vcpu *vmx)
{
	return hvk_emulate_halt(&vmx->vcpu, exit_insn_len());
}

static int exit_rdmsr(struct vmx_vcpu *vmx)
{
	return hvk_emulate_rdmsr(&vmx->vcpu, exit_insn_len());
}

static int exit_wrmsr(struct vmx_vcpu *vmx)
{
	return hvk_emulate_wrmsr(&vmx->vcpu, exit_insn_len());
}

/* VMCALL (@len from the exit), or a VMMCALL decoded as one. */
static int exit_hypercall(struct vmx_vcpu *vmx, unsigned int len)
{
	bool completed;
	int ret = hvk_emulate_hypercall(&vmx->vcpu, vmx_get_cpl(&vmx->vcpu),
					vmx_in_long_mode(&vmx->vcpu), &completed);

	if (completed)
		vmx_skip_instruction(&vmx->vcpu, len);
	return ret;
}

static int exit_vmcall(struct vmx_vcpu *vmx)
{
	return exit_hypercall(vmx, exit_insn_len());
}

static int exit_cache_flush(struct vmx_vcpu *vmx)
{
	/* INVD/WBINVD: guest memory is ordinary cached RAM; nothing to do. */
	vmx_skip_instruction(&vmx->vcpu, exit_insn_len());
	return 1;
}

static int exit_io(struct vmx_vcpu *vmx)
{
	unsigned long q = vmcs_readl(EXIT_QUALIFICATION);
	struct hvk_io_access io = {
		.port = q >> IO_PORT_SHIFT,
		.size = (q & IO_SIZE_MASK) + 1,         /* 0, 1, 3 -> 1, 2, 4 */
		.in = q & IO_IN,
	};

	if (q & IO_STRING)
		return hvk_vcpu_exit_internal(&vmx->vcpu, HVK_INTERNAL_EMULATION,
					      vmx->vcpu.rip);
	return hvk_emulate_io(&vmx->vcpu, &io, exit_insn_len());
}

/* Qualification: what the access was (SDM Table 27-7); the GPA is a field. */
static int exit_ept_violation(struct vmx_vcpu *vmx)
{
	unsigned long q = vmcs_readl(EXIT_QUALIFICATION);
	struct hvk_gpa_fault fault = {
		.gpa = vmcs_read64(GUEST_PHYSICAL_ADDRESS),
		.write = q & EPT_VIOLATION_ACC_WRITE,
		.fetch = q & EPT_VIOLATION_ACC_INSTR,
	};

	return hvk_mmu_fault(&vmx->vcpu, &fault);
}

/* hvk writes no misconfigured entry: this is an hvk bug, reported. */
static int exit_ept_misconfig(struct vmx_vcpu *vmx)
{
	struct hvk_exit_internal *internal = &vmx->vcpu.run->exit.internal;

	hvk_vcpu_exit_internal(&vmx->vcpu, HVK_INTERNAL_UNHANDLED_EXIT,
			       vmx->exit_reason);
	internal->data[1] = vmcs_read64(GUEST_PHYSICAL_ADDRESS);
	internal->ndata = 2;
	return 0;
}

static int exit_triple_fault(struct vmx_vcpu *vmx)
{
	/* The guest state is that of the shutdown: the VMM must set a new one. */
	vmx->vcpu.initialised = false;
	return hvk_vcpu_exit_simple(&vmx->vcpu, HVK_EXIT_TRIPLE_FAULT);
}

static int exit_mov_to_cr(struct vmx_vcpu *vmx, int cr, u64 value)
{
	if (!vmx_in_long_mode(&vmx->vcpu))
		value = (u32)value;
	switch (cr) {
	case 0:
		return vmx_set_cr0(vmx, value);
	case 3:
		return vmx_set_cr3(vmx, value);
	case 4:
		return vmx_set_cr4(vmx, value);
	case 8:                 /* the APIC's TPR (SDM 10.8.6.1) */
		if (value & ~0xfULL)
			return -EINVAL;
		hvk_lapic_set_cr8(&vmx->vcpu, value);
		return 0;
	}
	return -EINVAL;
}

/* LMSW loads CR0 bits 3:0 and can set PE but not clear it. */
static unsigned long exit_lmsw_value(struct vmx_vcpu *vmx, unsigned long q)
{
	unsigned long source = (q & LMSW_SOURCE_DATA) >> LMSW_SOURCE_DATA_SHIFT;

	return (vmx_get_cr0(vmx) & ~0xeul) | (source & 0xf);
}

static int exit_cr_access(struct vmx_vcpu *vmx)
{
	unsigned long q = vmcs_readl(EXIT_QUALIFICATION);
	u64 *gpr = &vmx->vcpu.gpr[(q & CONTROL_REG_ACCESS_REG) >> 8];
	int cr = q & CR_NUM_MASK, err = 0;

	switch ((q & CONTROL_REG_ACCESS_TYPE) >> 4) {
	case CR_MOV_TO:
		err = exit_mov_to_cr(vmx, cr, *gpr);
		break;
	case CR_MOV_FROM:       /* only CR3 and CR8 exit on reads */
		*gpr = cr == 3 ? vmcs_readl(GUEST_CR3) : hvk_lapic_get_cr8(&vmx->vcpu);
		break;
	case CR_CLTS:
		err = vmx_set_cr0(vmx, vmx_get_cr0(vmx) & ~X86_CR0_TS);
		break;
	case CR_LMSW:
		err = vmx_set_cr0(vmx, exit_lmsw_value(vmx, q));
		break;
	}
	if (err) {
		vmx_queue_exception(&vmx->vcpu, X86_TRAP_GP, true, 0);
		return 1;
	}
	vmx_skip_instruction(&vmx->vcpu, exit_insn_len());
	return 1;
}

/*
 * #UD: on Intel a guest's VMMCALL (AMD's opcode) faults; it is a hypercall
 * all the same, since Linux picks the instruction by CPUID vendor and a
 * migrated guest may hold the other one.  Any other #UD goes to the guest.
 */
static int exit_ud(struct vmx_vcpu *vmx)
{
	static const u8 vmmcall[LEN_VMMCALL] = { 0x0f, 0x01, 0xd9 };
	u64 linear = vmcs_readl(GUEST_CS_BASE) + vmx->vcpu.rip;
	u8 insn[LEN_VMMCALL];

	if (!vmx_in_long_mode(&vmx->vcpu))
		linear = (u32)linear;
	if (!hvk_copy_from_guest(&vmx->vcpu, insn, linear, sizeof(insn)) &&
	    !memcmp(insn, vmmcall, sizeof(insn)))
		return exit_hypercall(vmx, LEN_VMMCALL);
	return exit_inject_ud(vmx);
}

static int exit_machine_check(struct vmx_vcpu *vmx)
{
	/* The #MC belongs to the host: run its handler, as KVM does. */
	struct pt_regs regs = { .cs = 3, .flags = X86_EFLAGS_IF };

	do_machine_check(&regs);
	return 1;
}

/* DR6 bits a #DB exit reports in its qualification (SDM 27.2.1): B0-B3, BD, BS. */
#define DB_QUAL_DR6_BITS 0x600f

/*
 * Intercepted only so the host keeps control (see the exception bitmap):
 * deliver to the guest as the CPU would have.  A #DB VM exit leaves DR6
 * untouched and reports its bits in the qualification instead.
 */
static int exit_reinject_ac_db(struct vmx_vcpu *vmx, u8 vector)
{
	if (vector == X86_TRAP_AC) {
		vmx_queue_exception(&vmx->vcpu, X86_TRAP_AC, true,
				    vmcs_read32(VM_EXIT_INTR_ERROR_CODE));
		return 1;
	}
	vmx->dr6 |= vmcs_readl(EXIT_QUALIFICATION) & DB_QUAL_DR6_BITS;
	vmx_queue_exception(&vmx->vcpu, X86_TRAP_DB, false, 0);
	return 1;
}

/* NMIs were handed to the host with interrupts still off (vmx.c). */
static int exit_exception_nmi(struct vmx_vcpu *vmx)
{
	u32 info = vmx->exit_intr_info;
	u32 type = info & INTR_INFO_INTR_TYPE_MASK;
	u8 vector = info & INTR_INFO_VECTOR_MASK;

	if (type == INTR_TYPE_NMI_INTR)
		return 1;
	if (type == INTR_TYPE_HARD_EXCEPTION && vector == X86_TRAP_UD)
		return exit_ud(vmx);
	if (type == INTR_TYPE_HARD_EXCEPTION && vector == X86_TRAP_MC)
		return exit_machine_check(vmx);
	if (vector == X86_TRAP_AC || vector == X86_TRAP_DB)
		return exit_reinject_ac_db(vmx, vector);
	return hvk_vcpu_exit_internal(&vmx->vcpu, HVK_INTERNAL_UNHANDLED_EXIT,
				      vmx->exit_reason);
}

static const vmx_exit_handler vmx_exit_handlers[] = {
	[EXIT_REASON_EXCEPTION_NMI]       = exit_exception_nmi,
	[EXIT_REASON_EXTERNAL_INTERRUPT]  = exit_resume,
	[EXIT_REASON_TRIPLE_FAULT]        = exit_triple_fault,
	[EXIT_REASON_INTERRUPT_WINDOW]    = vmx_exit_interrupt_window,
	[EXIT_REASON_NMI_WINDOW]          = vmx_exit_nmi_window,
	[EXIT_REASON_CPUID]               = exit_cpuid,
	[EXIT_REASON_HLT]                 = exit_hlt,
	[EXIT_REASON_DR_ACCESS]           = exit_dr_access,
	[EXIT_REASON_INVD]                = exit_cache_flush,
	[EXIT_REASON_RDPMC]               = exit_inject_ud,
	[EXIT_REASON_VMCALL]              = exit_vmcall,
	[EXIT_REASON_VMCLEAR]             = exit_inject_ud,
	[EXIT_REASON_VMLAUNCH]            = exit_inject_ud,
	[EXIT_REASON_VMPTRLD]             = exit_inject_ud,
	[EXIT_REASON_VMPTRST]             = exit_inject_ud,
	[EXIT_REASON_VMREAD]              = exit_inject_ud,
	[EXIT_REASON_VMRESUME]            = exit_inject_ud,
	[EXIT_REASON_VMWRITE]             = exit_inject_ud,
	[EXIT_REASON_VMOFF]               = exit_inject_ud,
	[EXIT_REASON_VMON]                = exit_inject_ud,
	[EXIT_REASON_CR_ACCESS]           = exit_cr_access,
	[EXIT_REASON_IO_INSTRUCTION]      = exit_io,
	[EXIT_REASON_MSR_READ]            = exit_rdmsr,
	[EXIT_REASON_MSR_WRITE]           = exit_wrmsr,
	[EXIT_REASON_MWAIT_INSTRUCTION]   = exit_inject_ud,
	[EXIT_REASON_MONITOR_INSTRUCTION] = exit_inject_ud,
	[EXIT_REASON_EPT_VIOLATION]       = exit_ept_violation,
	[EXIT_REASON_EPT_MISCONFIG]       = exit_ept_misconfig,
	[EXIT_REASON_INVEPT]              = exit_inject_ud,
	[EXIT_REASON_INVVPID]             = exit_inject_ud,
	[EXIT_REASON_WBINVD]              = exit_cache_flush,
	[EXIT_REASON_PREEMPTION_TIMER]    = exit_resume,
	[EXIT_REASON_XSETBV]              = exit_inject_ud,
	[EXIT_REASON_VMFUNC]              = exit_inject_ud,
};

/*
 * An exit that interrupted the delivery of an event (e.g. an EPT violation
 * on the guest's IDT or stack page, mapped lazily) must deliver it again
 * (SDM 27.2.3, 26.5).  Software events restart at their INTn/INT3/INTO
 * and need its length to push the right return address.
 */
static void vmx_reinject_interrupted_event(struct vmx_vcpu *vmx)
{
	u32 info = vmcs_read32(IDT_VECTORING_INFO_FIELD);
	u32 type = info & VECTORING_INFO_TYPE_MASK;

	if (!(info & VECTORING_INFO_VALID_MASK))
		return;
	/* Bit 12 is undefined here and reserved on entry. */
	vmcs_write32(VM_ENTRY_INTR_INFO_FIELD, info & ~INTR_INFO_RESVD_BITS_MASK);
	if (info & VECTORING_INFO_DELIVER_CODE_MASK)
		vmcs_write32(VM_ENTRY_EXCEPTION_ERROR_CODE,
			     vmcs_read32(IDT_VECTORING_ERROR_CODE));
	if (type == INTR_TYPE_SOFT_INTR || type == INTR_TYPE_SOFT_EXCEPTION ||
	    type == INTR_TYPE_PRIV_SW_EXCEPTION)
		vmcs_write32(VM_ENTRY_INSTRUCTION_LEN, exit_insn_len());
}

/*
 * VMLAUNCH/VMRESUME failed (hw_reason = VM-instruction error, 0 if there
 * was no current VMCS), or VM entry failed while loading guest state or
 * MSRs (hw_reason = the exit reason with bit 31 set, SDM 26.7).
 */
static int vmx_exit_fail_entry(struct vmx_vcpu *vmx)
{
	struct hvk_exit_fail_entry *fail = &vmx->vcpu.run->exit.fail_entry;

	vmx->vcpu.run->exit_reason = HVK_EXIT_FAIL_ENTRY;
	if (vmx->fail == VMX_ENTER_EXIT) {
		if ((u16)vmx->exit_reason == EXIT_REASON_MCE_DURING_VMENTRY)
			exit_machine_check(vmx);
		fail->hw_reason = vmx->exit_reason;
		fail->qualification = vmcs_readl(EXIT_QUALIFICATION);
	} else {
		fail->hw_reason = vmx->fail == VMX_ENTER_FAIL_VALID ?
				  vmcs_read32(VM_INSTRUCTION_ERROR) : 0;
		fail->qualification = 0;
	}
	vmx->vcpu.initialised = false;
	return 0;
}

int vmx_handle_exit(struct vmx_vcpu *vmx)
{
	u16 basic = vmx->exit_reason;

	if (vmx->fail != VMX_ENTER_EXIT ||
	    (vmx->exit_reason & VMX_EXIT_REASONS_FAILED_VMENTRY))
		return vmx_exit_fail_entry(vmx);
	vmx_reinject_interrupted_event(vmx);
	/*
	 * Hypercalls and EPT violations, the hottest exits, by direct call:
	 * through the table each would pay for a retpoline (as KVM's
	 * __vmx_handle_exit()).
	 */
	if (basic == EXIT_REASON_VMCALL)
		return exit_vmcall(vmx);
	if (basic == EXIT_REASON_EPT_VIOLATION)
		return exit_ept_violation(vmx);
	if (basic < ARRAY_SIZE(vmx_exit_handlers) && vmx_exit_handlers[basic])
		return vmx_exit_handlers[basic](vmx);
	return hvk_vcpu_exit_internal(&vmx->vcpu, HVK_INTERNAL_UNHANDLED_EXIT,
				      vmx->exit_reason);
}
