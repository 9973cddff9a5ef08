// SPDX-License-Identifier: GPL-2.0
/*
 * AMD-V exit handling: one table indexed by exit code (as KVM), short
 * handlers that decode what the VMCB says and call the vendor-neutral
 * emulation.  Instruction lengths are given for CPUs without NRIPS.
 */
#include <asm/mce.h>
#include <asm/svm.h>
#include <asm/traps.h>

#include "../debugreg.h"
#include "../emulate.h"
#include "../guest_mem.h"
#include "../mmu.h"
#include "../vendor.h"
#include "svm.h"

/* #NPF error code bits (APM 15.25.6), as a #PF error code. */
#define NPF_WRITE   BIT_ULL(1)
#define NPF_FETCH   BIT_ULL(4)

#define LEN_CPUID   2
#define LEN_HLT     1
#define LEN_MSR     2
#define LEN_VMCALL  3   /* 0f 01 c1 and 0f 01 d9 alike */
#define LEN_INVD    2
#define LEN_WBINVD  2

typedef int (*svm_exit_handler)(struct svm_vcpu *svm);

static int exit_resume(struct svm_vcpu *svm)
{
	return 1;       /* INTR/NMI/SMI: the host takes it after STGI */
}

static int exit_inject_ud(struct svm_vcpu *svm)
{
	/* SVM instructions, MONITOR/MWAIT, XSETBV, RDTSCP: hidden from guests. */
	svm_queue_exception(&svm->vcpu, UD_VECTOR, false, 0);
	return 1;
}

static int exit_cpuid(struct svm_vcpu *svm)
{
	return hvk_emulate_cpuid(&svm->vcpu, LEN_CPUID);
}

/* MOV DR, any register either way: the guest's DR0-DR3 are loaded. */
static int exit_dr_access(struct svm_vcpu *svm)
{
	return hvk_debugreg_access(&svm->vcpu);
}

static int exit_hlt(struct svm_vcpu *svm)
{
	return hvk_emulate_halt(&svm->vcpu, LEN_HLT);
}

static int exit_msr(struct svm_vcpu *svm)
{
	/* EXITINFO1: 0 = RDMSR, 1 = WRMSR. */
	if (svm->vmcb->control.exit_info_1)
		return hvk_emulate_wrmsr(&svm->vcpu, LEN_MSR);
	return hvk_emulate_rdmsr(&svm->vcpu, LEN_MSR);
}

/* VMMCALL, or a VMCALL decoded as one (exit_ud): both are 3 bytes. */
static __always_inline int exit_vmmcall(struct svm_vcpu *svm)
{
	bool completed;
	int ret = hvk_emulate_hypercall(&svm->vcpu, svm_get_cpl(&svm->vcpu),
					svm_in_long_mode(&svm->vcpu), &completed);

	if (completed)
		svm_skip_instruction(&svm->vcpu, LEN_VMCALL);
	return ret;
}

static int exit_cache_flush(struct svm_vcpu *svm)
{
	/* INVD/WBINVD: guest memory is ordinary cached RAM; nothing to do. */
	svm_skip_instruction(&svm->vcpu, LEN_INVD);
	return 1;
}

/* EXITINFO1 of an IOIO intercept (APM 15.10.2); EXITINFO2 is the next RIP. */
static int exit_io(struct svm_vcpu *svm)
{
	u64 info = svm->vmcb->control.exit_info_1;
	struct hvk_io_access io = {
		.port = info >> 16,
		.size = (info & SVM_IOIO_SIZE_MASK) >> SVM_IOIO_SIZE_SHIFT,
		.in = info & SVM_IOIO_TYPE_MASK,
	};

	/* SZ8/SZ16/SZ32 are one-hot bits: 1, 2, 4 -> bytes 1, 2, 4. */
	if (info & SVM_IOIO_STR_MASK)
		return hvk_vcpu_exit_internal(&svm->vcpu, HVK_INTERNAL_EMULATION,
					      svm->vcpu.rip);
	return hvk_emulate_io(&svm->vcpu, &io,
			      svm->vmcb->control.exit_info_2 - svm->vcpu.rip);
}

/* EXITINFO1 = #PF-style error code, EXITINFO2 = guest-physical address. */
static int exit_npf(struct svm_vcpu *svm)
{
	u64 error = svm->vmcb->control.exit_info_1;
	struct hvk_gpa_fault fault = {
		.gpa = svm->vmcb->control.exit_info_2,
		.write = error & NPF_WRITE,
		.fetch = error & NPF_FETCH,
	};

	return hvk_mmu_fault(&svm->vcpu, &fault);
}

/*
 * #UD: on AMD a guest's VMCALL (Intel's opcode) faults; it is a hypercall
 * all the same, since Linux picks the instruction by CPUID vendor and a
 * migrated guest may hold the other one.  Any other #UD goes to the guest.
 */
static int exit_ud(struct svm_vcpu *svm)
{
	static const u8 vmcall[LEN_VMCALL] = { 0x0f, 0x01, 0xc1 };
	u64 linear = svm->vmcb->save.cs.base + svm->vcpu.rip;
	u8 insn[LEN_VMCALL];

	if (!svm_in_long_mode(&svm->vcpu))
		linear = (u32)linear;
	if (!hvk_copy_from_guest(&svm->vcpu, insn, linear, sizeof(insn)) &&
	    !memcmp(insn, vmcall, sizeof(insn)))
		return exit_vmmcall(svm);
	return exit_inject_ud(svm);
}

/* Deliver to the guest as the CPU would have (see svm_set_intercepts()). */
static int exit_reinject_ac(struct svm_vcpu *svm)
{
	svm_queue_exception(&svm->vcpu, AC_VECTOR, true,
			    svm->vmcb->control.exit_info_1);
	return 1;
}

/* DR6 in the VMCB was updated before the intercept (APM 15.12). */
static int exit_reinject_db(struct svm_vcpu *svm)
{
	/* hvk's own step over an NMI handler's IRET is not the guest's. */
	if (svm_nmi_singlestep_done(svm)) {
		svm->vmcb->save.dr6 &= ~DR_STEP;   /* BS: not the guest's */
		return 1;
	}
	svm_queue_exception(&svm->vcpu, DB_VECTOR, false, 0);
	return 1;
}

static int exit_machine_check(struct svm_vcpu *svm)
{
	/* The #MC belongs to the host: run its handler, as KVM does. */
	struct pt_regs regs = { .cs = 3, .flags = X86_EFLAGS_IF };

	do_machine_check(&regs);
	return 1;
}

static int exit_shutdown(struct svm_vcpu *svm)
{
	/* The VMCB is undefined after a shutdown: the VMM must set new state. */
	svm->vcpu.initialised = false;
	return hvk_vcpu_exit_simple(&svm->vcpu, HVK_EXIT_TRIPLE_FAULT);
}

static const svm_exit_handler svm_exit_handlers[] = {
	[SVM_EXIT_READ_DR0 ... SVM_EXIT_WRITE_DR0 + 15] = exit_dr_access,
	[SVM_EXIT_EXCP_BASE + UD_VECTOR] = exit_ud,
	[SVM_EXIT_EXCP_BASE + MC_VECTOR] = exit_machine_check,
	[SVM_EXIT_EXCP_BASE + AC_VECTOR] = exit_reinject_ac,
	[SVM_EXIT_EXCP_BASE + DB_VECTOR] = exit_reinject_db,
	[SVM_EXIT_INTR]         = exit_resume,
	[SVM_EXIT_VINTR]        = svm_exit_vintr,
	[SVM_EXIT_IRET]         = svm_exit_iret,
	[SVM_EXIT_NMI]          = exit_resume,
	[SVM_EXIT_SMI]          = exit_resume,
	[SVM_EXIT_RDPMC]        = exit_inject_ud,
	[SVM_EXIT_CPUID]        = exit_cpuid,
	[SVM_EXIT_INVD]         = exit_cache_flush,
	[SVM_EXIT_HLT]          = exit_hlt,
	[SVM_EXIT_INVLPGA]      = exit_inject_ud,
	[SVM_EXIT_IOIO]         = exit_io,
	[SVM_EXIT_MSR]          = exit_msr,
	[SVM_EXIT_SHUTDOWN]     = exit_shutdown,
	[SVM_EXIT_VMRUN]        = exit_inject_ud,
	[SVM_EXIT_VMMCALL]      = exit_vmmcall,
	[SVM_EXIT_VMLOAD]       = exit_inject_ud,
	[SVM_EXIT_VMSAVE]       = exit_inject_ud,
	[SVM_EXIT_STGI]         = exit_inject_ud,
	[SVM_EXIT_CLGI]         = exit_inject_ud,
	[SVM_EXIT_SKINIT]       = exit_inject_ud,
	[SVM_EXIT_RDTSCP]       = exit_inject_ud,
	[SVM_EXIT_WBINVD]       = exit_cache_flush,
	[SVM_EXIT_MONITOR]      = exit_inject_ud,
	[SVM_EXIT_MWAIT]        = exit_inject_ud,
	[SVM_EXIT_MWAIT_COND]   = exit_inject_ud,
	[SVM_EXIT_XSETBV]       = exit_inject_ud,
	[SVM_EXIT_NPF]          = exit_npf,
};

/*
 * An exit that interrupted the delivery of an event (e.g. an #NPF on the
 * guest's IDT or stack page, mapped lazily) must deliver it again.  A
 * software interrupt is not re-injected: RIP still points at the INTn, which
 * simply executes again.
 */
static void svm_reinject_interrupted_event(struct svm_vcpu *svm)
{
	struct vmcb_control_area *c = &svm->vmcb->control;
	u32 info = c->exit_int_info;

	c->event_inj = 0;
	if (!(info & SVM_EXITINTINFO_VALID))
		return;
	if ((info & SVM_EXITINTINFO_TYPE_MASK) == SVM_EXITINTINFO_TYPE_SOFT)
		return;
	c->event_inj = info;
	c->event_inj_err = c->exit_int_info_err;
}

int svm_handle_exit(struct svm_vcpu *svm)
{
	u64 code = svm->vmcb->control.exit_code;
	struct hvk_run *run = svm->vcpu.run;

	/* exit_code is 32 bits here; SVM_EXIT_ERR is -1 (APM 15.6). */
	if ((u32)code == (u32)SVM_EXIT_ERR) {
		/* VMRUN refused the state (APM 15.5.1 consistency checks). */
		run->exit_reason = HVK_EXIT_FAIL_ENTRY;
		run->exit.fail_entry.hw_reason = code;
		run->exit.fail_entry.qualification = svm->vmcb->control.exit_info_1;
		svm->vcpu.initialised = false;
		return 0;
	}
	svm_reinject_interrupted_event(svm);
	/*
	 * Hypercalls and nested-page faults, the hottest exits, by direct
	 * call: through the table each would pay for a retpoline (as KVM's
	 * svm_invoke_exit_handler()).
	 */
	if (code == SVM_EXIT_VMMCALL)
		return exit_vmmcall(svm);
	if (code == SVM_EXIT_NPF)
		return exit_npf(svm);
	if (code < ARRAY_SIZE(svm_exit_handlers) && svm_exit_handlers[code])
		return svm_exit_handlers[code](svm);
	return hvk_vcpu_exit_internal(&svm->vcpu, HVK_INTERNAL_UNHANDLED_EXIT, code);
}
