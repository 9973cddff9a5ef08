// SPDX-License-Identifier: GPL-2.0
/*
 * The local APIC's registers: reset, IA32_APIC_BASE, one read and one write
 * dispatch on the register offset shared by xAPIC MMIO and x2APIC MSRs,
 * priorities (IRR/ISR/TPR/PPR, EOI).  The timer is in lapic_timer.c, the
 * ICR and its destinations in lapic_ipi.c.  SDM numbers are Vol. 3A ch. 11
 * of the 2023 SDM ("Advanced Programmable Interrupt Controller").
 */
#include <linux/mm.h>
#include <asm/processor.h>

#include "../gpt.h"
#include "../insn.h"
#include "../pages.h"
#include "../vendor.h"
#include "../vm.h"
#include "../xen/evtchn.h"
#include "inject.h"
#include "lapic_priv.h"

#define X2APIC_MSR_FIRST        0x800u
#define X2APIC_MSR_LAST         0x8ffu
#define X2APIC_ICR_MSR          0x830u
/* x2APIC ICR bits that must be zero (SDM 11.12.9): 13, 16-17, 20-31. */
#define X2APIC_ICR_RESERVED     0xfff32000u

/* Writable bits of each LVT (SDM Figure 11-8). */
#define LVT_TIMER_BITS          (0xffu | LVT_MASKED | LVT_TIMER_MODE_MASK)
#define LVT_LINT_BITS           (0xffu | (7u << 8) | BIT(13) | BIT(15) | LVT_MASKED)
#define LVT_ERROR_BITS          (0xffu | LVT_MASKED)
#define LVT_DELIVERY_BITS       (0xffu | (7u << 8) | LVT_MASKED)

/* ---- priorities ---- */

static int lapic_highest(struct hvk_lapic *a, u32 base)
{
	int word;

	for (word = 7; word >= 0; word--) {
		u32 bits = lapic_get(a, base + word * 0x10);

		if (bits)
			return word * 32 + fls(bits) - 1;
	}
	return -1;
}

/* PPR = TPR if its class is not below the highest in service (SDM 11.8.3.1). */
static u32 lapic_ppr(struct hvk_lapic *a)
{
	u32 tpr = lapic_get(a, APIC_TASKPRI) & 0xff;
	int isr = lapic_highest(a, APIC_ISR);
	u32 isrv = isr < 0 ? 0 : isr;

	return (tpr & 0xf0) >= (isrv & 0xf0) ? tpr : isrv & 0xf0;
}

int hvk_lapic_pending_vector(struct hvk_vcpu *vcpu)
{
	struct hvk_lapic *a = vcpu_lapic(vcpu);
	int irr;

	if (!lapic_enabled(a))
		return -1;
	irr = lapic_highest(a, APIC_IRR);
	if (irr < 0) {
		/*
		 * Empty: say so, then look again.  A sender sets its bit before
		 * the flag (hvk_lapic_deliver_fixed()); with the full barrier
		 * between this store and the second scan, either that scan sees
		 * the bit or the sender's flag store comes after ours.
		 */
		WRITE_ONCE(a->irr_pending, false);
		smp_mb();
		irr = lapic_highest(a, APIC_IRR);
		if (irr < 0)
			return -1;
		WRITE_ONCE(a->irr_pending, true);
	}
	if ((irr & 0xf0) <= (lapic_ppr(a) & 0xf0))
		return -1;
	return irr;
}

void hvk_lapic_accept(struct hvk_vcpu *vcpu, int vector)
{
	struct hvk_lapic *a = vcpu_lapic(vcpu);

	clear_bit(vector & 31, lapic_vector_word(a, APIC_IRR, vector));
	/* ISR is the owner's alone. */
	__set_bit(vector & 31, lapic_vector_word(a, APIC_ISR, vector));
}

/* EOI retires the highest vector in service (SDM 11.8.5); no I/O APIC. */
static void lapic_eoi(struct hvk_lapic *a)
{
	int isr = lapic_highest(a, APIC_ISR);

	if (isr < 0)
		return;
	__clear_bit(isr & 31, lapic_vector_word(a, APIC_ISR, isr));
	__clear_bit(isr & 31, lapic_vector_word(a, APIC_TMR, isr));
	/* A lower-priority vector may be deliverable now. */
	hvk_irq_request_check(a->vcpu);
}

/* ---- delivery into a (possibly other) vCPU's APIC ---- */

void hvk_lapic_deliver_fixed(struct hvk_vcpu *target, u8 vector)
{
	struct hvk_lapic *a = vcpu_lapic(target);

	/* A disabled APIC accepts no fixed interrupts (as KVM). */
	if (!lapic_enabled(a))
		return;
	if (vector < 16) {
		set_bit(__ffs(ESR_RECV_ILLEGAL), (unsigned long *)(a->regs + APIC_ESR));
		return;
	}
	set_bit(vector & 31, lapic_vector_word(a, APIC_IRR, vector));
	smp_mb__after_atomic();         /* the bit before the flag: see above */
	WRITE_ONCE(a->irr_pending, true);
	hvk_vcpu_kick_event(target);
}

void hvk_lapic_deliver_nmi(struct hvk_vcpu *target)
{
	/* One NMI in service and one latched, as the CPU keeps them. */
	if (atomic_add_unless(&vcpu_lapic(target)->nmi_pending, 1, 2))
		hvk_vcpu_kick_event(target);
}

/* ---- reset and IA32_APIC_BASE ---- */

static void lapic_set_ids(struct hvk_lapic *a)
{
	u32 id = a->vcpu->id;

	if (lapic_x2apic_mode(a)) {
		/* Logical x2APIC ID: cluster in 31:16, one bit of 16 (SDM 11.12.10.2). */
		lapic_set(a, APIC_ID, id);
		lapic_set(a, APIC_LDR, ((id >> 4) << 16) | (1u << (id & 15)));
	} else {
		lapic_set(a, APIC_ID, id << 24);
	}
}

static void lapic_reset_registers(struct hvk_lapic *a)
{
	static const u32 lvts[] = { APIC_LVTT, APIC_LVTTHMR, APIC_LVTPC,
				    APIC_LVT0, APIC_LVT1, APIC_LVTERR };
	unsigned int i;

	lapic_timer_cancel(a);
	a->tsc_deadline = 0;
	memset(a->regs, 0, PAGE_SIZE);
	lapic_set(a, APIC_LVR, LAPIC_VERSION);
	lapic_set(a, APIC_DFR, 0xffffffffu);
	lapic_set(a, APIC_SPIV, 0xff);
	for (i = 0; i < ARRAY_SIZE(lvts); i++)
		lapic_set(a, lvts[i], LVT_MASKED);
	lapic_set_ids(a);
	atomic_set(&a->nmi_pending, 0);
}

/* INIT keeps IA32_APIC_BASE (and so the mode and ID) (SDM 11.4.7.3). */
void hvk_lapic_reset(struct hvk_vcpu *vcpu, bool init)
{
	struct hvk_lapic *a = vcpu_lapic(vcpu);

	if (!init)
		a->base_msr = APIC_DEFAULT_PHYS_BASE | MSR_IA32_APICBASE_ENABLE |
			      (vcpu->id == 0 ? MSR_IA32_APICBASE_BSP : 0);
	lapic_reset_registers(a);
}

/* Transitions of SDM Figure 11-27: EN/EXTD 00 -> 10 -> 11 -> 00 only. */
static int lapic_set_base(struct hvk_lapic *a, u64 value)
{
	u64 phys = ~0ULL << hvk_guest_phys_bits();
	u64 reserved = phys | 0x2ff;    /* bits 0-7, 9 and above MAXPHYADDR */
	bool old_en = lapic_hw_enabled(a), old_x2 = lapic_x2apic_mode(a);
	bool en = value & MSR_IA32_APICBASE_ENABLE, x2 = value & X2APIC_ENABLE;

	if (value & reserved)
		return -EINVAL;
	if ((x2 && !en) || (old_x2 && en && !x2) || (!old_en && x2))
		return -EINVAL;
	/* The BSP flag is the platform's. */
	a->base_msr = (value & ~MSR_IA32_APICBASE_BSP) |
		      (a->base_msr & MSR_IA32_APICBASE_BSP);
	if (!en)                /* disabling loses the state (SDM 11.4.3) */
		lapic_reset_registers(a);
	else if (x2 != old_x2 || !old_en)
		lapic_set_ids(a);
	hvk_irq_request_check(a->vcpu);
	return 0;
}

/* ---- register access: one dispatch for both modes ---- */

static bool lapic_is_lvt(u32 off)
{
	return off >= APIC_LVTT && off <= APIC_LVTERR;
}

static bool lapic_is_vector_reg(u32 off)
{
	return off >= APIC_ISR && off < APIC_ESR;       /* ISR, TMR, IRR */
}

/* 0 or -EINVAL (x2APIC: #GP; xAPIC callers read 0 instead). */
static int lapic_reg_read(struct hvk_lapic *a, u32 off, bool x2, u32 *val)
{
	switch (off) {
	case APIC_ID: case APIC_LVR: case APIC_TASKPRI: case APIC_LDR:
	case APIC_SPIV: case APIC_ESR: case APIC_ICR: case APIC_TMICT:
	case APIC_TDCR:
		*val = lapic_get(a, off);
		return 0;
	case APIC_ARBPRI: case APIC_DFR: case APIC_ICR2:
		if (x2)
			return -EINVAL;         /* no such x2APIC register */
		*val = off == APIC_ARBPRI ? 0 : lapic_get(a, off);
		return 0;
	case APIC_PROCPRI:
		*val = lapic_ppr(a);
		return 0;
	case APIC_TMCCT:
		*val = lapic_timer_current_count(a);
		return 0;
	}
	if (lapic_is_lvt(off) || lapic_is_vector_reg(off)) {
		*val = lapic_get(a, off);
		return 0;
	}
	/* EOI and SELF_IPI are write-only; the rest is reserved. */
	*val = 0;
	return x2 ? -EINVAL : 0;
}

static u32 lapic_lvt_bits(u32 off)
{
	switch (off) {
	case APIC_LVTT:         return LVT_TIMER_BITS;
	case APIC_LVT0:
	case APIC_LVT1:         return LVT_LINT_BITS;
	case APIC_LVTERR:       return LVT_ERROR_BITS;
	}
	return LVT_DELIVERY_BITS;       /* thermal, performance counters */
}

static void lapic_write_lvt(struct hvk_lapic *a, u32 off, u32 val)
{
	val &= lapic_lvt_bits(off);
	/* A software-disabled APIC keeps every LVT masked (SDM 11.4.7.2). */
	if (!lapic_sw_enabled(a))
		val |= LVT_MASKED;
	lapic_set(a, off, val);
	if (off == APIC_LVTT)
		lapic_timer_write_lvt(a, val);
}

static void lapic_write_svr(struct hvk_lapic *a, u32 val)
{
	u32 off;

	lapic_set(a, APIC_SPIV, val & 0x3ff);   /* no EOI-broadcast suppression */
	if (!(val & SVR_SW_ENABLE))
		for (off = APIC_LVTT; off <= APIC_LVTERR; off += 0x10)
			lapic_set(a, off, lapic_get(a, off) | LVT_MASKED);
	else
		hvk_evtchn_lapic_enabled(a->vcpu);
	hvk_irq_request_check(a->vcpu);
}

/* Writes whose meaning does not depend on the mode; false if none matched. */
static bool lapic_reg_write_common(struct hvk_lapic *a, u32 off, u32 val)
{
	switch (off) {
	case APIC_TASKPRI:
		lapic_set(a, APIC_TASKPRI, val & 0xff);
		hvk_irq_request_check(a->vcpu);
		return true;
	case APIC_EOI:
		lapic_eoi(a);
		return true;
	case APIC_SPIV:
		lapic_write_svr(a, val);
		return true;
	case APIC_ESR:
		lapic_set(a, APIC_ESR, 0);
		return true;
	case APIC_TMICT:
		lapic_timer_write_initial(a, val);
		return true;
	case APIC_TDCR:
		lapic_timer_write_divide(a, val & 0xb);
		return true;
	}
	if (lapic_is_lvt(off)) {
		lapic_write_lvt(a, off, val);
		return true;
	}
	return false;
}

/* xAPIC: writes to read-only or reserved registers are ignored. */
static void lapic_xapic_write(struct hvk_lapic *a, u32 off, u32 val)
{
	switch (off) {
	case APIC_ID:
		lapic_set(a, APIC_ID, val & 0xff000000u);
		return;
	case APIC_LDR:
		lapic_set(a, APIC_LDR, val & 0xff000000u);
		return;
	case APIC_DFR:
		lapic_set(a, APIC_DFR, val | 0x0fffffffu);
		return;
	case APIC_ICR2:
		lapic_set(a, APIC_ICR2, val & 0xff000000u);
		return;
	case APIC_ICR:
		lapic_set(a, APIC_ICR, val & ~APIC_ICR_BUSY);
		lapic_send_ipi(a, val, lapic_get(a, APIC_ICR2) >> 24);
		return;
	}
	lapic_reg_write_common(a, off, val);
}

/*
 * Bits an x2APIC WRMSR may set: the writable ones and, in LVTs, the
 * read-only status bits (delivery status 12, remote IRR 14).
 */
static u32 lapic_x2apic_writable(u32 off)
{
	if (lapic_is_lvt(off))
		return lapic_lvt_bits(off) | APIC_SEND_PENDING | APIC_LVT_REMOTE_IRR;
	switch (off) {
	case APIC_TASKPRI:
		return 0xff;
	case APIC_SPIV:
		return 0x3ff;           /* no EOI-broadcast suppression */
	case APIC_TDCR:
		return 0xb;
	}
	return ~0u;
}

/* x2APIC (SDM 11.12.1.2): read-only, reserved and bad values are #GP. */
static int lapic_x2apic_write(struct hvk_lapic *a, u32 off, u64 val)
{
	if (off == (X2APIC_ICR_MSR - X2APIC_MSR_FIRST) << 4) {
		if ((u32)val & X2APIC_ICR_RESERVED)
			return -EINVAL;
		lapic_set(a, APIC_ICR, (u32)val);
		lapic_set(a, APIC_ICR2, val >> 32);
		lapic_send_ipi(a, (u32)val, val >> 32);
		return 0;
	}
	if (val >> 32)
		return -EINVAL;
	switch (off) {
	case APIC_SELF_IPI:
		if (val & ~0xffULL)
			return -EINVAL;
		lapic_send_ipi(a, APIC_DEST_SELF | (u32)val, 0);
		return 0;
	case APIC_EOI:
	case APIC_ESR:
		if (val)
			return -EINVAL;
		break;
	}
	if (val & ~lapic_x2apic_writable(off))
		return -EINVAL;         /* reserved bits set (SDM 11.12.1.3) */
	return lapic_reg_write_common(a, off, val) ? 0 : -EINVAL;
}

bool hvk_lapic_hw_enabled(struct hvk_vcpu *vcpu)
{
	return lapic_hw_enabled(vcpu_lapic(vcpu));
}

/* ---- MSRs ---- */

static bool lapic_is_x2apic_msr(u32 index)
{
	return index >= X2APIC_MSR_FIRST && index <= X2APIC_MSR_LAST;
}

int hvk_lapic_rdmsr(struct hvk_vcpu *vcpu, u32 index, u64 *value)
{
	struct hvk_lapic *a = vcpu_lapic(vcpu);
	u32 val;

	if (index == MSR_IA32_APICBASE) {
		*value = a->base_msr;
		return 0;
	}
	if (index == MSR_IA32_TSC_DEADLINE) {
		*value = lapic_timer_read_deadline(a);
		return 0;
	}
	if (!lapic_is_x2apic_msr(index))
		return -ENOENT;
	if (!lapic_x2apic_mode(a))
		return -EINVAL;         /* x2APIC MSRs #GP outside x2APIC mode */
	if (index == X2APIC_ICR_MSR) {
		*value = lapic_get(a, APIC_ICR) | (u64)lapic_get(a, APIC_ICR2) << 32;
		return 0;
	}
	if (lapic_reg_read(a, (index - X2APIC_MSR_FIRST) << 4, true, &val))
		return -EINVAL;
	*value = val;
	return 0;
}

int hvk_lapic_wrmsr(struct hvk_vcpu *vcpu, u32 index, u64 value)
{
	struct hvk_lapic *a = vcpu_lapic(vcpu);

	if (index == MSR_IA32_APICBASE)
		return lapic_set_base(a, value);
	if (index == MSR_IA32_TSC_DEADLINE) {
		lapic_timer_write_deadline(a, value);
		return 0;
	}
	if (!lapic_is_x2apic_msr(index))
		return -ENOENT;
	if (!lapic_x2apic_mode(a))
		return -EINVAL;
	return lapic_x2apic_write(a, (index - X2APIC_MSR_FIRST) << 4, value);
}

/* ---- xAPIC MMIO ---- */

bool hvk_lapic_mmio_match(struct hvk_vcpu *vcpu, u64 gpa)
{
	struct hvk_lapic *a = vcpu_lapic(vcpu);

	/* In x2APIC mode (or disabled) the page is not decoded (SDM 11.12.1.2). */
	return lapic_hw_enabled(a) && !lapic_x2apic_mode(a) &&
	       (gpa & PAGE_MASK) == (a->base_msr & MSR_IA32_APICBASE_BASE);
}

/*
 * Registers are 32 bits at 16-byte strides; software must use aligned
 * 32-bit accesses (SDM 11.4.1).  Narrower reads get the addressed bytes;
 * other writes are dropped.
 */
int hvk_lapic_mmio(struct hvk_vcpu *vcpu, u64 gpa, bool write)
{
	struct hvk_lapic *a = vcpu_lapic(vcpu);
	struct hvk_mmio_insn insn;
	u32 off = gpa & ~PAGE_MASK, reg = off & ~0xfu, val = 0;

	if (!hvk_insn_decode_mmio(vcpu, &insn) || insn.is_write != write ||
	    insn.size > 4)
		return hvk_vcpu_exit_internal(vcpu, HVK_INTERNAL_EMULATION, vcpu->rip);
	if (write) {
		if (insn.size == 4 && !(off & 0xf))
			lapic_xapic_write(a, reg, insn.data);
	} else {
		if ((off & 0xf) < 4)
			lapic_reg_read(a, reg, false, &val);
		hvk_insn_complete_read(vcpu, &insn, val >> ((off & 3) * 8));
	}
	hvk_vendor_call(skip_instruction)(vcpu, insn.len);
	return 1;
}

/* ---- CR8 ---- */

u64 hvk_lapic_get_cr8(struct hvk_vcpu *vcpu)
{
	return hvk_lapic_cr8(vcpu_lapic(vcpu));
}

void hvk_lapic_set_cr8(struct hvk_vcpu *vcpu, u64 cr8)
{
	struct hvk_lapic *a = vcpu_lapic(vcpu);

	if (((lapic_get(a, APIC_TASKPRI) >> 4) & 0xf) == (cr8 & 0xf))
		return;
	lapic_set(a, APIC_TASKPRI, (cr8 & 0xf) << 4);
	hvk_irq_request_check(vcpu);
}

/* ---- lifetime ---- */

int hvk_lapic_init(struct hvk_vcpu *vcpu)
{
	struct hvk_lapic *a = vcpu_lapic(vcpu);

	a->vcpu = vcpu;
	a->regs_page = hvk_pages_alloc(0);
	if (!a->regs_page)
		return -ENOMEM;
	a->regs = page_address(a->regs_page);
	lapic_timer_init(a);
	hvk_lapic_reset(vcpu, false);
	return 0;
}

void hvk_lapic_stop_timer(struct hvk_vcpu *vcpu)
{
	struct hvk_lapic *a = vcpu_lapic(vcpu);

	if (a->regs_page)
		lapic_timer_cancel(a);
}

void hvk_lapic_destroy(struct hvk_vcpu *vcpu)
{
	struct hvk_lapic *a = vcpu_lapic(vcpu);

	if (!a->regs_page)
		return;
	lapic_timer_cancel(a);
	hvk_pages_free(a->regs_page, 0);
	a->regs_page = NULL;
}
