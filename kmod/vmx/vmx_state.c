// SPDX-License-Identifier: GPL-2.0
/*
 * VT-x: architectural vCPU state in the VMCS guest-state area (SDM 24.4),
 * and the control-register writes hvk intercepts (CR0.PE/PG/NE, all of
 * CR4, CR3 only if the CPU forces CR3 exiting on).
 */
#include <linux/kernel.h>
#include <asm/msr-index.h>
#include <asm/pgtable_types.h>
#include <asm/processor-flags.h>
#include <asm/tsc.h>
#include <uapi/asm/debugreg.h>

#include "../guest_mem.h"
#include "../x86.h"
#include "../vendor.h"
#include "vmcs.h"
#include "vmx.h"

/* hvk's ar (the VMCB/Xen layout): type/S/DPL/P in 7:0, AVL/L/DB/G in 11:8. */
#define HVK_AR_LOW         0x0ffu
#define HVK_AR_HIGH        0xf00u
#define HVK_AR_HIGH_SHIFT  4       /* VMX puts AVL/L/DB/G at 15:12 (SDM 24.4.1) */
#define HVK_AR_DPL         (3u << VMX_AR_DPL_SHIFT)

struct vmx_seg_fields {
	u32 selector, base, limit, ar;
};

#define VMX_SEG(s) { GUEST_##s##_SELECTOR, GUEST_##s##_BASE, \
		     GUEST_##s##_LIMIT, GUEST_##s##_AR_BYTES }
static const struct vmx_seg_fields seg_cs = VMX_SEG(CS), seg_ds = VMX_SEG(DS),
	seg_es = VMX_SEG(ES), seg_fs = VMX_SEG(FS), seg_gs = VMX_SEG(GS),
	seg_ss = VMX_SEG(SS), seg_tr = VMX_SEG(TR), seg_ldtr = VMX_SEG(LDTR);

/* P = 0 is hvk's "unusable"; SS keeps its DPL, which is the CPL. */
static u32 ar_to_vmx(u16 ar)
{
	u32 vmx;

	if (!(ar & VMX_AR_P_MASK))
		return VMX_AR_UNUSABLE_MASK | (ar & HVK_AR_DPL);
	vmx = (ar & HVK_AR_LOW) | ((ar & HVK_AR_HIGH) << HVK_AR_HIGH_SHIFT);
	/* A load sets "accessed"; VM entry insists on it (SDM 26.3.1.2). */
	if (vmx & VMX_AR_S_MASK)
		vmx |= VMX_AR_TYPE_ACCESSES_MASK;
	return vmx;
}

static u16 ar_from_vmx(u32 vmx)
{
	if (vmx & VMX_AR_UNUSABLE_MASK)
		return vmx & HVK_AR_DPL;
	return (vmx & HVK_AR_LOW) | ((vmx >> HVK_AR_HIGH_SHIFT) & HVK_AR_HIGH);
}

static void seg_to_vmcs(const struct vmx_seg_fields *f, const struct hvk_segment *s)
{
	vmcs_write16(f->selector, s->selector);
	vmcs_writel(f->base, s->base);
	vmcs_write32(f->limit, s->limit);
	vmcs_write32(f->ar, ar_to_vmx(s->ar));
}

static void seg_from_vmcs(struct hvk_segment *s, const struct vmx_seg_fields *f)
{
	s->selector = vmcs_read16(f->selector);
	s->base = vmcs_readl(f->base);
	s->limit = vmcs_read32(f->limit);
	s->ar = ar_from_vmx(vmcs_read32(f->ar));
}

/* The guest's view: host-owned bits from the read shadow (SDM 25.3). */
unsigned long vmx_get_cr0(struct vmx_vcpu *vmx)
{
	unsigned long mask = vmx_cr0_host_owned();

	return (vmcs_readl(GUEST_CR0) & ~mask) | (vmcs_readl(CR0_READ_SHADOW) & mask);
}

static void vmx_write_cr0(unsigned long cr0)
{
	vmcs_writel(GUEST_CR0, cr0 | vmx_cr0_fixed_on());
	vmcs_writel(CR0_READ_SHADOW, cr0);
}

static void vmx_write_cr4(unsigned long cr4)
{
	vmcs_writel(GUEST_CR4, cr4 | vmx_cr4_fixed_on());
	vmcs_writel(CR4_READ_SHADOW, cr4);
}

/* VM entry checks EFER.LMA against "IA-32e mode guest" (SDM 26.3.1.1). */
static void vmx_write_efer(u64 efer)
{
	vmcs_write64(GUEST_IA32_EFER, efer);
	if (efer & EFER_LMA)
		vmcs_set_bits(VM_ENTRY_CONTROLS, VM_ENTRY_IA32E_MODE);
	else
		vmcs_clear_bits(VM_ENTRY_CONTROLS, VM_ENTRY_IA32E_MODE);
}

static bool vmx_pae_paging(unsigned long cr0, unsigned long cr4, u64 efer)
{
	return (cr0 & X86_CR0_PG) && (cr4 & X86_CR4_PAE) && !(efer & EFER_LMA);
}

/*
 * With EPT, VM entry takes PAE paging's four PDPTEs from the VMCS, not from
 * memory (SDM 26.3.2.4): whatever hvk emulates that would load them (MOV
 * to CR0/CR3/CR4, set_regs) reads them itself.  Reserved bits are #GP.
 */
static int vmx_load_pdptrs(struct vmx_vcpu *vmx, unsigned long cr3)
{
	u64 rsvd = GENMASK_ULL(63, boot_cpu_data.x86_phys_bits) |
		   GENMASK_ULL(8, 5) | GENMASK_ULL(2, 1);
	u64 pdpte[4];
	int i;

	if (hvk_gpa_read(vmx->vcpu.vm, (u32)cr3 & ~0x1fu, pdpte, sizeof(pdpte)))
		return -EINVAL;
	for (i = 0; i < 4; i++)
		if ((pdpte[i] & _PAGE_PRESENT) && (pdpte[i] & rsvd))
			return -EINVAL;
	for (i = 0; i < 4; i++)
		vmcs_write64(GUEST_PDPTR0 + 2 * i, pdpte[i]);
	return 0;
}

/* MOV to CR0 (SDM Vol. 2 "MOV to/from Control Registers"; 9.8.5). */
int vmx_set_cr0(struct vmx_vcpu *vmx, unsigned long cr0)
{
	unsigned long old = vmx_get_cr0(vmx), cr4 = vmcs_readl(CR4_READ_SHADOW);
	u64 efer = vmcs_read64(GUEST_IA32_EFER);
	int err;

	if ((cr0 >> 32) || ((cr0 & X86_CR0_PG) && !(cr0 & X86_CR0_PE)) ||
	    ((cr0 & X86_CR0_NW) && !(cr0 & X86_CR0_CD)))
		return -EINVAL;
	if (!(old & X86_CR0_PG) && (cr0 & X86_CR0_PG) && (efer & EFER_LME)) {
		if (!(cr4 & X86_CR4_PAE))
			return -EINVAL;
		efer |= EFER_LMA;               /* long mode activates */
	} else if ((old & X86_CR0_PG) && !(cr0 & X86_CR0_PG) && (efer & EFER_LMA)) {
		/* Paging goes off only from compatibility mode. */
		if (vmx_in_long_mode(&vmx->vcpu) || (cr4 & X86_CR4_PCIDE))
			return -EINVAL;
		efer &= ~EFER_LMA;
	}
	if (vmx_pae_paging(cr0, cr4, efer)) {
		err = vmx_load_pdptrs(vmx, vmcs_readl(GUEST_CR3));
		if (err)
			return err;
	}
	vmx_write_efer(efer);
	vmx_write_cr0(cr0);
	return 0;
}

/* MOV to CR4: bits VMX operation refuses, and VMX/SMX themselves, are #GP. */
int vmx_set_cr4(struct vmx_vcpu *vmx, unsigned long cr4)
{
	u64 efer = vmcs_read64(GUEST_IA32_EFER);
	int err;

	if (cr4 & (~vmx_cfg.cr4_fixed1 | X86_CR4_VMXE | X86_CR4_SMXE))
		return -EINVAL;
	if ((efer & EFER_LMA) && !(cr4 & X86_CR4_PAE))
		return -EINVAL;
	if ((cr4 & X86_CR4_PCIDE) && !(efer & EFER_LMA))
		return -EINVAL;
	if (vmx_pae_paging(vmx_get_cr0(vmx), cr4, efer)) {
		err = vmx_load_pdptrs(vmx, vmcs_readl(GUEST_CR3));
		if (err)
			return err;
	}
	vmx_write_cr4(cr4);
	return 0;
}

/* Only reached when the CPU forces CR3-load exiting on (no TRUE controls). */
int vmx_set_cr3(struct vmx_vcpu *vmx, unsigned long cr3)
{
	unsigned long cr4 = vmcs_readl(CR4_READ_SHADOW);
	int err;

	if (cr4 & X86_CR4_PCIDE)
		cr3 &= ~BIT_ULL(63);            /* the no-flush hint is not stored */
	if (vmx_pae_paging(vmx_get_cr0(vmx), cr4, vmcs_read64(GUEST_IA32_EFER))) {
		err = vmx_load_pdptrs(vmx, cr3);
		if (err)
			return err;
	}
	vmcs_writel(GUEST_CR3, cr3);
	WRITE_ONCE(vmx->need_flush, true);     /* MOV CR3 flushes the TLB */
	return 0;
}

void vmx_get_regs(struct hvk_vcpu *vcpu, struct hvk_regs *r)
{
	struct vmx_vcpu *vmx = to_vmx(vcpu);

	memcpy(r->gpr, vcpu->gpr, sizeof(r->gpr));
	r->rip = vcpu->rip;
	r->rflags = vcpu->rflags;
	r->cr0 = vmx_get_cr0(vmx);
	r->cr2 = vmx->cr2;
	r->cr3 = vmcs_readl(GUEST_CR3);
	r->cr4 = vmcs_readl(CR4_READ_SHADOW);
	r->efer = vmcs_read64(GUEST_IA32_EFER);
	r->dr6 = vmx->dr6;
	r->dr7 = vmcs_readl(GUEST_DR7);
	seg_from_vmcs(&r->cs, &seg_cs);
	seg_from_vmcs(&r->ds, &seg_ds);
	seg_from_vmcs(&r->es, &seg_es);
	seg_from_vmcs(&r->fs, &seg_fs);
	seg_from_vmcs(&r->gs, &seg_gs);
	seg_from_vmcs(&r->ss, &seg_ss);
	seg_from_vmcs(&r->tr, &seg_tr);
	seg_from_vmcs(&r->ldtr, &seg_ldtr);
	r->gdt.base = vmcs_readl(GUEST_GDTR_BASE);
	r->gdt.limit = vmcs_read32(GUEST_GDTR_LIMIT);
	r->idt.base = vmcs_readl(GUEST_IDTR_BASE);
	r->idt.limit = vmcs_read32(GUEST_IDTR_LIMIT);
}

/* Control registers and EFER; LMA is the CPU's: LME with paging on. */
static void vmx_set_control_regs(struct vmx_vcpu *vmx, const struct hvk_regs *r)
{
	u64 efer = r->efer & ~EFER_LMA;

	if ((efer & EFER_LME) && (r->cr0 & X86_CR0_PG))
		efer |= EFER_LMA;
	vmx->cr2 = r->cr2;
	vmcs_writel(GUEST_CR3, r->cr3);
	vmx_write_cr0(r->cr0);
	vmx_write_cr4(r->cr4);
	vmx_write_efer(efer);
	/* A bad PDPT faults the guest's first access, as it would natively. */
	if (vmx_pae_paging(r->cr0, r->cr4, efer))
		vmx_load_pdptrs(vmx, r->cr3);
	WRITE_ONCE(vmx->need_flush, true);
}

void vmx_set_regs(struct hvk_vcpu *vcpu, const struct hvk_regs *r)
{
	struct vmx_vcpu *vmx = to_vmx(vcpu);

	memcpy(vcpu->gpr, r->gpr, sizeof(vcpu->gpr));
	vcpu->rip = r->rip;
	vcpu->rflags = r->rflags;
	vmx_set_control_regs(vmx, r);
	vmx->dr6 = r->dr6 ? r->dr6 : DR6_RESERVED;
	vmcs_writel(GUEST_DR7, r->dr7 ? r->dr7 : 0x400);
	seg_to_vmcs(&seg_cs, &r->cs);
	seg_to_vmcs(&seg_ds, &r->ds);
	seg_to_vmcs(&seg_es, &r->es);
	seg_to_vmcs(&seg_fs, &r->fs);
	seg_to_vmcs(&seg_gs, &r->gs);
	seg_to_vmcs(&seg_ss, &r->ss);
	seg_to_vmcs(&seg_tr, &r->tr);
	seg_to_vmcs(&seg_ldtr, &r->ldtr);
	vmcs_writel(GUEST_GDTR_BASE, r->gdt.base);
	vmcs_write32(GUEST_GDTR_LIMIT, r->gdt.limit);
	vmcs_writel(GUEST_IDTR_BASE, r->idt.base);
	vmcs_write32(GUEST_IDTR_LIMIT, r->idt.limit);
	/* A new state drops pending events, shadows and a HLT/shutdown. */
	vmcs_write32(VM_ENTRY_INTR_INFO_FIELD, 0);
	vmcs_write32(GUEST_INTERRUPTIBILITY_INFO, 0);
	vmcs_write32(GUEST_ACTIVITY_STATE, GUEST_ACTIVITY_ACTIVE);
}

/* SS.DPL is the CPL (SDM 24.4.1), 0 in real mode. */
int vmx_get_cpl(struct hvk_vcpu *vcpu)
{
	if (!(vmcs_readl(GUEST_CR0) & X86_CR0_PE))
		return 0;
	return VMX_AR_DPL(vmcs_read32(GUEST_SS_AR_BYTES));
}

bool vmx_in_long_mode(struct hvk_vcpu *vcpu)
{
	return (vmcs_read64(GUEST_IA32_EFER) & EFER_LMA) &&
	       (vmcs_read32(GUEST_CS_AR_BYTES) & VMX_AR_L_MASK);
}

void vmx_get_paging(struct hvk_vcpu *vcpu, struct hvk_paging_state *ps)
{
	ps->cr0 = vmx_get_cr0(to_vmx(vcpu));
	ps->cr3 = vmcs_readl(GUEST_CR3);
	ps->cr4 = vmcs_readl(CR4_READ_SHADOW);
	ps->efer = vmcs_read64(GUEST_IA32_EFER);
}

static struct vmx_msr_entry *vmx_switched_msr(struct vmx_vcpu *vmx, u32 index)
{
	int i;

	for (i = 0; i < VMX_NR_SWITCHED_MSRS; i++)
		if (vmx->msrs->guest[i].index == index)
			return &vmx->msrs->guest[i];
	return NULL;
}

/* The VMCS field backing a plain MSR, or 0 (no field has encoding 0 here). */
static u32 vmx_msr_field(u32 index)
{
	switch (index) {
	case MSR_FS_BASE:               return GUEST_FS_BASE;
	case MSR_GS_BASE:               return GUEST_GS_BASE;
	case MSR_IA32_SYSENTER_CS:      return GUEST_SYSENTER_CS;
	case MSR_IA32_SYSENTER_ESP:     return GUEST_SYSENTER_ESP;
	case MSR_IA32_SYSENTER_EIP:     return GUEST_SYSENTER_EIP;
	case MSR_IA32_CR_PAT:           return GUEST_IA32_PAT;
	}
	return 0;
}

int vmx_get_msr(struct hvk_vcpu *vcpu, u32 index, u64 *value)
{
	struct vmx_msr_entry *msr = vmx_switched_msr(to_vmx(vcpu), index);
	u32 field = vmx_msr_field(index);

	if (msr) {
		*value = msr->value;
		return 0;
	}
	if (field) {
		*value = vmcs_read64(field);
		return 0;
	}
	switch (index) {
	case MSR_EFER:
		*value = vmcs_read64(GUEST_IA32_EFER);
		return 0;
	case MSR_IA32_TSC:
		*value = rdtsc() + vmcs_read64(TSC_OFFSET);
		return 0;
	}
	return -ENOENT;
}

static int vmx_set_efer(struct vmx_vcpu *vmx, u64 value)
{
	u64 old = vmcs_read64(GUEST_IA32_EFER);

	if (value & ~(u64)(EFER_SCE | EFER_LME | EFER_LMA | EFER_NX))
		return -EINVAL;
	/* LME may not change while paging is on (SDM 9.8.5). */
	if (((value ^ old) & EFER_LME) && (vmx_get_cr0(vmx) & X86_CR0_PG))
		return -EINVAL;
	/* LMA is the processor's: keep it. */
	vmx_write_efer((value & ~EFER_LMA) | (old & EFER_LMA));
	return 0;
}

/* A value WRMSR would refuse fails the VM entry that loads it (SDM 26.4). */
static bool vmx_msr_value_ok(u32 index, u64 value)
{
	switch (index) {
	case MSR_IA32_CR_PAT:
		return hvk_pat_valid(value);
	case MSR_SYSCALL_MASK:
		return !(value >> 32);
	case MSR_LSTAR: case MSR_CSTAR: case MSR_KERNEL_GS_BASE:
	case MSR_FS_BASE: case MSR_GS_BASE:
	case MSR_IA32_SYSENTER_ESP: case MSR_IA32_SYSENTER_EIP:
		return hvk_is_canonical(value);
	}
	return true;
}

int vmx_set_msr(struct hvk_vcpu *vcpu, u32 index, u64 value)
{
	struct vmx_vcpu *vmx = to_vmx(vcpu);
	struct vmx_msr_entry *msr = vmx_switched_msr(vmx, index);
	u32 field = vmx_msr_field(index);

	if (index == MSR_EFER)
		return vmx_set_efer(vmx, value);
	if (index == MSR_IA32_TSC) {
		vmcs_write64(TSC_OFFSET, value - rdtsc());
		return 0;
	}
	if (!msr && !field)
		return -ENOENT;
	if (!vmx_msr_value_ok(index, value))
		return -EINVAL;
	if (msr)
		msr->value = value;
	else
		vmcs_write64(field, value);
	return 0;
}

void vmx_queue_exception(struct hvk_vcpu *vcpu, u8 vector, bool has_error,
			 u32 error_code)
{
	u32 info = vector | INTR_TYPE_HARD_EXCEPTION | INTR_INFO_VALID_MASK;

	/* Real mode pushes no error code; VM entry refuses one (SDM 26.2.1.3). */
	if (has_error && (vmcs_readl(GUEST_CR0) & X86_CR0_PE)) {
		info |= INTR_INFO_DELIVER_CODE_MASK;
		vmcs_write32(VM_ENTRY_EXCEPTION_ERROR_CODE, error_code);
	}
	vmcs_write32(VM_ENTRY_INTR_INFO_FIELD, info);
}

/*
 * The exit handlers pass VM_EXIT_INSTRUCTION_LEN where the CPU provides it
 * (instruction exits, SDM 27.2.4) and the decoded length otherwise (#UD).
 */
void vmx_skip_instruction(struct hvk_vcpu *vcpu, unsigned int len)
{
	u32 intr = vmcs_read32(GUEST_INTERRUPTIBILITY_INFO);
	u32 shadow = GUEST_INTR_STATE_STI | GUEST_INTR_STATE_MOV_SS;

	vcpu->rip += len;
	/* The instruction completed: its STI/MOV SS shadow is over. */
	if (intr & shadow)
		vmcs_write32(GUEST_INTERRUPTIBILITY_INFO, intr & ~shadow);
}
