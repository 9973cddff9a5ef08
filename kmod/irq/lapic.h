/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The in-kernel local APIC of a vCPU (SDM Vol. 3 ch. 11, "Advanced
 * Programmable Interrupt Controller").
 *
 * As KVM's lapic.c: the registers live in a 4 KiB page laid out as the
 * xAPIC MMIO page would show them; x2APIC MSR 0x800 + n is the register
 * at offset n << 4, so both modes share every handler.  The guest reaches
 * it through MMIO at the APIC base (xAPIC), MSRs 0x800-0x8ff (x2APIC),
 * IA32_APIC_BASE, IA32_TSC_DEADLINE and, on VT-x, MOV CR8; none of these
 * leaves the kernel.
 *
 * Concurrency: only the vCPU's own thread touches its registers, except
 * IRR, which other vCPUs (IPIs) and the timer (hrtimer, hard interrupt
 * context) set with atomic bit operations before kicking the vCPU.  The
 * owner moves a vector from IRR to ISR when it injects it.
 */
#ifndef HVK_KMOD_IRQ_LAPIC_H
#define HVK_KMOD_IRQ_LAPIC_H

#include <linux/atomic.h>
#include <linux/hrtimer.h>
#include <linux/types.h>
#include <asm/apicdef.h>

struct hvk_vcpu;
struct hvk_mmio_access;

struct hvk_lapic {
	struct hvk_vcpu *vcpu;
	struct page *regs_page;
	void *regs;                     /* xAPIC register layout, 4 KiB */
	u64 base_msr;                   /* IA32_APIC_BASE */
	atomic_t nmi_pending;           /* NMIs to inject (IPIs, LINT) */
	/*
	 * False only when IRR is empty, so that the entry path skips the scan
	 * (KVM's irr_pending).  Set after a vector's IRR bit, cleared by the
	 * owner before a scan that finds none (lapic.c: the order matters).
	 */
	bool irr_pending;

	/* The timer: one hrtimer whatever the LVT's mode (as KVM). */
	struct hrtimer timer;
	u32 timer_mode;                 /* LVT timer bits 18:17 when armed */
	u64 period_ns;                  /* periodic mode */
	ktime_t expires;                /* of the current count */
	u64 tsc_deadline;               /* IA32_TSC_DEADLINE (guest TSC) */
	bool timer_running;             /* for the current-count register */
};

int hvk_lapic_init(struct hvk_vcpu *vcpu);
void hvk_lapic_destroy(struct hvk_vcpu *vcpu);
/* Its timer stopped for good (a VM's end, before any vCPU is freed). */
void hvk_lapic_stop_timer(struct hvk_vcpu *vcpu);
/* Power-on (@init false) or INIT (true) reset, on the owner's thread. */
void hvk_lapic_reset(struct hvk_vcpu *vcpu, bool init);

/* IA32_APIC_BASE.EN: CPUID.1:EDX.APIC follows it (SDM 11.4.3). */
bool hvk_lapic_hw_enabled(struct hvk_vcpu *vcpu);

/* MSR access: 0, -EINVAL (#GP) or -ENOENT (not an APIC MSR). */
int hvk_lapic_rdmsr(struct hvk_vcpu *vcpu, u32 index, u64 *value);
int hvk_lapic_wrmsr(struct hvk_vcpu *vcpu, u32 index, u64 value);

/* xAPIC MMIO: does @gpa fall in this vCPU's enabled xAPIC page? */
bool hvk_lapic_mmio_match(struct hvk_vcpu *vcpu, u64 gpa);
/* Completes the access at @gpa in the kernel: 1 resume, 0 exit. */
int hvk_lapic_mmio(struct hvk_vcpu *vcpu, u64 gpa, bool write);

/* MOV to/from CR8: TPR bits 7:4 (SDM 10.8.6.1). */
u64 hvk_lapic_get_cr8(struct hvk_vcpu *vcpu);
void hvk_lapic_set_cr8(struct hvk_vcpu *vcpu, u64 cr8);

/*
 * The same, inline, for a backend that mirrors CR8 in hardware (SVM's
 * V_TPR) before and after every world switch: the TPR is read, and only a
 * changed value written back through hvk_lapic_set_cr8().
 */
static inline u64 hvk_lapic_cr8(const struct hvk_lapic *a)
{
	return (READ_ONCE(*(u32 *)(a->regs + APIC_TASKPRI)) >> 4) & 0xf;
}

static inline void hvk_lapic_cr8_changed(struct hvk_vcpu *vcpu, const struct hvk_lapic *a,
					 u64 cr8)
{
	if (unlikely(hvk_lapic_cr8(a) != (cr8 & 0xf)))
		hvk_lapic_set_cr8(vcpu, cr8);
}

/*
 * Injection (irq/inject.c): highest deliverable vector or -1, and accept
 * it.  When hvk_lapic_irr_maybe() is false there is none: no call needed.
 */
static inline bool hvk_lapic_irr_maybe(const struct hvk_lapic *a)
{
	return READ_ONCE(a->irr_pending);
}
int hvk_lapic_pending_vector(struct hvk_vcpu *vcpu);
void hvk_lapic_accept(struct hvk_vcpu *vcpu, int vector);

/* Delivery from any context: set IRR (fixed) or count an NMI, then kick. */
void hvk_lapic_deliver_fixed(struct hvk_vcpu *target, u8 vector);
void hvk_lapic_deliver_nmi(struct hvk_vcpu *target);

#endif /* HVK_KMOD_IRQ_LAPIC_H */
