/* SPDX-License-Identifier: GPL-2.0 */
/* AMD-V backend internals: private to kmod/svm/. */
#ifndef HVK_KMOD_SVM_SVM_H
#define HVK_KMOD_SVM_SVM_H

#include <asm/svm.h>

#include "../vcpu.h"
#include "../vm.h"

struct svm_vm {
	struct hvk_vm vm;               /* first: generic code allocates us */
	u64 tsc_offset;                 /* guest TSC = host TSC + offset */
};

struct svm_vcpu {
	struct hvk_vcpu vcpu;           /* first: generic code allocates us */
	struct vmcb *vmcb;
	struct page *vmcb_page;
	phys_addr_t vmcb_pa;
	/* NMI blocking, which SVM does not track for us (svm_events.c). */
	bool nmi_masked;
	bool nmi_awaiting_iret;
	bool nmi_singlestep;            /* TF set by hvk to step over that IRET */
	u64 nmi_iret_rip;
	/* ASID ownership: valid on last_cpu while the generations match. */
	int last_cpu;
	u64 asid_generation;
	bool need_flush;                /* flush_gpt(): a new ASID next entry */
};

/* Per-CPU state set up by svm_cpu_enable(). */
struct svm_cpu_data {
	struct page *hsave;             /* VM_HSAVE_PA: VMRUN's host save area */
	struct page *host_vmcb;         /* VMSAVE/VMLOAD of host FS/GS/TR/... */
	phys_addr_t host_vmcb_pa;
	u32 next_asid;
	u64 asid_generation;
};

extern u32 svm_features;        /* HVK_HW_* */
extern u32 svm_max_asid;

static inline struct svm_vcpu *to_svm(struct hvk_vcpu *vcpu)
{
	return container_of(vcpu, struct svm_vcpu, vcpu);
}

static inline struct svm_vm *to_svm_vm(struct hvk_vm *vm)
{
	return container_of(vm, struct svm_vm, vm);
}

/* svm_state.c: architectural state in the VMCB. */
void svm_get_regs(struct hvk_vcpu *vcpu, struct hvk_regs *regs);
void svm_set_regs(struct hvk_vcpu *vcpu, const struct hvk_regs *regs);
void svm_get_paging(struct hvk_vcpu *vcpu, struct hvk_paging_state *ps);
int svm_get_msr(struct hvk_vcpu *vcpu, u32 index, u64 *value);
int svm_set_msr(struct hvk_vcpu *vcpu, u32 index, u64 value);
void svm_queue_exception(struct hvk_vcpu *vcpu, u8 vector, bool has_error,
			 u32 error_code);

/* Inline, as every hypercall exit asks them (in_long_mode is an op too). */
static inline int svm_get_cpl(struct hvk_vcpu *vcpu)
{
	return to_svm(vcpu)->vmcb->save.cpl;
}

static inline bool svm_in_long_mode(struct hvk_vcpu *vcpu)
{
	struct vmcb_save_area *s = &to_svm(vcpu)->vmcb->save;

	return (s->efer & EFER_LMA) && (s->cs.attrib & SVM_SELECTOR_L_MASK);
}

/*
 * Without NRIPS (as under QEMU TCG) the length comes from the caller, who
 * knows the intercepted instruction; with it, the CPU's next RIP wins, which
 * also covers prefixed forms.
 */
static inline void svm_skip_instruction(struct hvk_vcpu *vcpu, unsigned int len)
{
	struct vmcb_control_area *c = &to_svm(vcpu)->vmcb->control;

	if ((svm_features & HVK_HW_NRIPS) && c->next_rip)
		vcpu->rip = c->next_rip;
	else
		vcpu->rip += len;
	/* The instruction completed: its STI/MOV SS shadow is over. */
	c->int_state &= ~SVM_INTERRUPT_SHADOW_MASK;
}

/* svm_events.c: interrupt and NMI injection. */
static inline void svm_set_intercept(struct vmcb_control_area *c, u32 bit)
{
	c->intercepts[bit / 32] |= BIT(bit % 32);
}

static inline void svm_clear_intercept(struct vmcb_control_area *c, u32 bit)
{
	c->intercepts[bit / 32] &= ~BIT(bit % 32);
}

bool svm_interrupt_allowed(struct hvk_vcpu *vcpu);
bool svm_nmi_allowed(struct hvk_vcpu *vcpu);
void svm_inject_interrupt(struct hvk_vcpu *vcpu, u8 vector);
void svm_inject_nmi(struct hvk_vcpu *vcpu);
void svm_request_interrupt_window(struct hvk_vcpu *vcpu);
void svm_request_nmi_window(struct hvk_vcpu *vcpu);
bool svm_nmi_singlestep_done(struct svm_vcpu *svm);
int svm_exit_vintr(struct svm_vcpu *svm);
int svm_exit_iret(struct svm_vcpu *svm);

/*
 * Inline, as every exit pays for them.  Every exit drops the window
 * request; it is made again if still needed.
 */
static inline void svm_clear_interrupt_window(struct svm_vcpu *svm)
{
	struct vmcb_control_area *c = &svm->vmcb->control;

	c->int_ctl &= ~(V_IRQ_MASK | V_IGN_TPR_MASK | V_INTR_PRIO_MASK);
	svm_clear_intercept(c, INTERCEPT_VINTR);
}

/* The guest's CR8 writes land in V_TPR without an exit (APM 15.21.1). */
static inline void svm_sync_tpr_to_vmcb(struct svm_vcpu *svm)
{
	struct vmcb_control_area *c = &svm->vmcb->control;

	c->int_ctl = (c->int_ctl & ~V_TPR_MASK) | hvk_lapic_cr8(&svm->vcpu.lapic);
}

static inline void svm_sync_tpr_from_vmcb(struct svm_vcpu *svm)
{
	hvk_lapic_cr8_changed(&svm->vcpu, &svm->vcpu.lapic,
			      svm->vmcb->control.int_ctl & V_TPR_MASK);
}

/* svm_exit.c */
int svm_handle_exit(struct svm_vcpu *svm);

/* svm_enter.S: the world switch, with GIF = 0 and IF = 0. */
void hvk_svm_enter(unsigned long vmcb_pa, unsigned long host_vmcb_pa, u64 *gprs);

#endif /* HVK_KMOD_SVM_SVM_H */
