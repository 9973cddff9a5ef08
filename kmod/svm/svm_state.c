// SPDX-License-Identifier: GPL-2.0
/* AMD-V: architectural vCPU state kept in the VMCB save area. */
#include <linux/percpu.h>
#include <linux/sched.h>
#include <asm/debugreg.h>
#include <asm/msr-index.h>
#include <asm/processor-flags.h>
#include <asm/tsc.h>

#include "../vendor.h"
#include "../x86.h"
#include "svm.h"

/* The VMCB attrib layout equals hvk's (Xen's) segment `ar` layout. */
static void seg_to_vmcb(struct vmcb_seg *v, const struct hvk_segment *s)
{
	v->selector = s->selector;
	v->attrib = s->ar & 0xfff;
	v->limit = s->limit;
	v->base = s->base;
}

static void seg_from_vmcb(struct hvk_segment *s, const struct vmcb_seg *v)
{
	s->selector = v->selector;
	s->ar = v->attrib & 0xfff;
	s->limit = v->limit;
	s->base = v->base;
}

static void dtable_to_vmcb(struct vmcb_seg *v, const struct hvk_dtable *d)
{
	v->base = d->base;
	v->limit = d->limit;
	v->selector = 0;
	v->attrib = 0;
}

void svm_get_regs(struct hvk_vcpu *vcpu, struct hvk_regs *r)
{
	struct vmcb_save_area *s = &to_svm(vcpu)->vmcb->save;

	memcpy(r->gpr, vcpu->gpr, sizeof(r->gpr));
	r->rip = vcpu->rip;
	r->rflags = vcpu->rflags;
	r->cr0 = s->cr0;
	r->cr2 = s->cr2;
	r->cr3 = s->cr3;
	r->cr4 = s->cr4;
	r->efer = s->efer & ~EFER_SVME;         /* SVME is hvk's, not the guest's */
	r->dr6 = s->dr6;
	r->dr7 = s->dr7;
	seg_from_vmcb(&r->cs, &s->cs);
	seg_from_vmcb(&r->ds, &s->ds);
	seg_from_vmcb(&r->es, &s->es);
	seg_from_vmcb(&r->fs, &s->fs);
	seg_from_vmcb(&r->gs, &s->gs);
	seg_from_vmcb(&r->ss, &s->ss);
	seg_from_vmcb(&r->tr, &s->tr);
	seg_from_vmcb(&r->ldtr, &s->ldtr);
	r->gdt.base = s->gdtr.base;
	r->gdt.limit = s->gdtr.limit;
	r->idt.base = s->idtr.base;
	r->idt.limit = s->idtr.limit;
}

void svm_set_regs(struct hvk_vcpu *vcpu, const struct hvk_regs *r)
{
	struct vmcb_save_area *s = &to_svm(vcpu)->vmcb->save;

	memcpy(vcpu->gpr, r->gpr, sizeof(vcpu->gpr));
	vcpu->rip = r->rip;
	vcpu->rflags = r->rflags;
	s->cr0 = r->cr0;
	s->cr2 = r->cr2;
	s->cr3 = r->cr3;
	s->cr4 = r->cr4;
	s->efer = r->efer | EFER_SVME;          /* VMRUN requires it (APM 15.5.1) */
	s->dr6 = r->dr6 ? r->dr6 : DR6_RESERVED;
	s->dr7 = r->dr7 ? r->dr7 : 0x400;
	seg_to_vmcb(&s->cs, &r->cs);
	seg_to_vmcb(&s->ds, &r->ds);
	seg_to_vmcb(&s->es, &r->es);
	seg_to_vmcb(&s->fs, &r->fs);
	seg_to_vmcb(&s->gs, &r->gs);
	seg_to_vmcb(&s->ss, &r->ss);
	seg_to_vmcb(&s->tr, &r->tr);
	seg_to_vmcb(&s->ldtr, &r->ldtr);
	dtable_to_vmcb(&s->gdtr, &r->gdt);
	dtable_to_vmcb(&s->idtr, &r->idt);
	/* The VMCB's CPL field is authoritative: SS.DPL, 0 in real mode. */
	s->cpl = (r->cr0 & X86_CR0_PE) ? (r->ss.ar >> 5) & 3 : 0;
	/* A new state (VMM, VCPUOP_initialise, INIT-SIPI) has no event in flight. */
	to_svm(vcpu)->vmcb->control.event_inj = 0;
	to_svm(vcpu)->vmcb->control.int_state = 0;
	to_svm(vcpu)->nmi_masked = false;
	to_svm(vcpu)->nmi_singlestep = false;
	svm_clear_intercept(&to_svm(vcpu)->vmcb->control, INTERCEPT_IRET);
}

void svm_get_paging(struct hvk_vcpu *vcpu, struct hvk_paging_state *ps)
{
	struct vmcb_save_area *s = &to_svm(vcpu)->vmcb->save;

	ps->cr0 = s->cr0;
	ps->cr3 = s->cr3;
	ps->cr4 = s->cr4;
	ps->efer = s->efer;
}

/* Returns a pointer to the VMCB field backing a plain 64-bit MSR. */
static u64 *svm_msr_field(struct vmcb_save_area *s, u32 index)
{
	switch (index) {
	case MSR_STAR:			return &s->star;
	case MSR_LSTAR:			return &s->lstar;
	case MSR_CSTAR:			return &s->cstar;
	case MSR_SYSCALL_MASK:		return &s->sfmask;
	case MSR_KERNEL_GS_BASE:	return &s->kernel_gs_base;
	case MSR_FS_BASE:		return &s->fs.base;
	case MSR_GS_BASE:		return &s->gs.base;
	case MSR_IA32_SYSENTER_CS:	return &s->sysenter_cs;
	case MSR_IA32_SYSENTER_ESP:	return &s->sysenter_esp;
	case MSR_IA32_SYSENTER_EIP:	return &s->sysenter_eip;
	case MSR_IA32_CR_PAT:		return &s->g_pat;
	}
	return NULL;
}

int svm_get_msr(struct hvk_vcpu *vcpu, u32 index, u64 *value)
{
	struct svm_vcpu *svm = to_svm(vcpu);
	u64 *field = svm_msr_field(&svm->vmcb->save, index);

	if (field) {
		*value = *field;
		return 0;
	}
	switch (index) {
	case MSR_EFER:
		*value = svm->vmcb->save.efer & ~EFER_SVME;
		return 0;
	case MSR_IA32_TSC:
		*value = rdtsc() + svm->vmcb->control.tsc_offset;
		return 0;
	}
	return -ENOENT;
}

static int svm_set_efer(struct svm_vcpu *svm, u64 value)
{
	struct vmcb_save_area *s = &svm->vmcb->save;
	u64 old = s->efer;

	if (value & ~(u64)(EFER_SCE | EFER_LME | EFER_LMA | EFER_NX))
		return -EINVAL;
	/* LME may not change while paging is on (SDM 9.8.5). */
	if (((value ^ old) & EFER_LME) && (s->cr0 & X86_CR0_PG))
		return -EINVAL;
	/* LMA is the processor's: keep it. */
	s->efer = (value & ~EFER_LMA) | (old & EFER_LMA) | EFER_SVME;
	return 0;
}

int svm_set_msr(struct hvk_vcpu *vcpu, u32 index, u64 value)
{
	struct svm_vcpu *svm = to_svm(vcpu);
	u64 *field = svm_msr_field(&svm->vmcb->save, index);

	switch (index) {
	case MSR_EFER:
		return svm_set_efer(svm, value);
	case MSR_IA32_TSC:
		svm->vmcb->control.tsc_offset = value - rdtsc();
		return 0;
	case MSR_IA32_CR_PAT:
		if (!hvk_pat_valid(value))
			return -EINVAL;
		break;
	case MSR_LSTAR: case MSR_CSTAR: case MSR_KERNEL_GS_BASE:
	case MSR_FS_BASE: case MSR_GS_BASE:
		if (!hvk_is_canonical(value))
			return -EINVAL;
		break;
	}
	if (!field)
		return -ENOENT;
	*field = value;
	return 0;
}

void svm_queue_exception(struct hvk_vcpu *vcpu, u8 vector, bool has_error,
			 u32 error_code)
{
	struct vmcb_control_area *c = &to_svm(vcpu)->vmcb->control;

	c->event_inj = vector | SVM_EVTINJ_TYPE_EXEPT | SVM_EVTINJ_VALID |
		       (has_error ? SVM_EVTINJ_VALID_ERR : 0);
	c->event_inj_err = error_code;
}
