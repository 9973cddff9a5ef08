/* SPDX-License-Identifier: GPL-2.0 */
/* Private to kmod/irq/: register access and the pieces of the local APIC. */
#ifndef HVK_KMOD_IRQ_LAPIC_PRIV_H
#define HVK_KMOD_IRQ_LAPIC_PRIV_H

#include <linux/bitops.h>
#include <asm/apicdef.h>
#include <asm/msr-index.h>

#include "../vcpu.h"
#include "lapic.h"

/* hvk's APIC bus runs at 1 GHz: one timer tick per ns at divide-by-1. */
#define LAPIC_BUS_NS_PER_TICK   1
/* Version 0x14, 6 LVT entries (max LVT 5 = error), directed EOI off (SDM 11.4.8). */
#define LAPIC_VERSION           0x00050014u
/* A periodic timer faster than this fires at this rate (a guest storm cap). */
#define LAPIC_MIN_PERIOD_NS     (100 * NSEC_PER_USEC)

#define LVT_MASKED              BIT(16)
#define LVT_TIMER_MODE_MASK     (3u << 17)
#define LVT_TIMER_ONESHOT       (0u << 17)
#define LVT_TIMER_PERIODIC      (1u << 17)
#define LVT_TIMER_TSC_DEADLINE  (2u << 17)
#define SVR_SW_ENABLE           BIT(8)
/* ESR bits (SDM 11.5.3). */
#define ESR_SEND_ILLEGAL        BIT(5)
#define ESR_RECV_ILLEGAL        BIT(6)
#define ESR_ILLEGAL_REGISTER    BIT(7)
/* ICR destination shorthand, bits 19:18 (SDM Figure 11-12). */
#define ICR_SHORTHAND_MASK      (3u << 18)

static inline struct hvk_lapic *vcpu_lapic(struct hvk_vcpu *vcpu)
{
	return &vcpu->lapic;
}

static inline u32 lapic_get(const struct hvk_lapic *a, u32 off)
{
	return READ_ONCE(*(u32 *)(a->regs + off));
}

static inline void lapic_set(struct hvk_lapic *a, u32 off, u32 v)
{
	WRITE_ONCE(*(u32 *)(a->regs + off), v);
}

/* IRR, ISR and TMR: 8 words of 32 bits, 16 bytes apart. */
static inline unsigned long *lapic_vector_word(struct hvk_lapic *a, u32 base, u8 vec)
{
	/* 16-byte aligned, so an unsigned long; bits 0-31 are the register. */
	return (unsigned long *)(a->regs + base + (vec >> 5) * 0x10);
}

static inline bool lapic_x2apic_mode(const struct hvk_lapic *a)
{
	return a->base_msr & X2APIC_ENABLE;
}

static inline bool lapic_hw_enabled(const struct hvk_lapic *a)
{
	return a->base_msr & MSR_IA32_APICBASE_ENABLE;
}

static inline bool lapic_sw_enabled(const struct hvk_lapic *a)
{
	return lapic_get(a, APIC_SPIV) & SVR_SW_ENABLE;
}

static inline bool lapic_enabled(const struct hvk_lapic *a)
{
	return lapic_hw_enabled(a) && lapic_sw_enabled(a);
}

/* The x2APIC ID is the vCPU id; xAPIC keeps bits 31:24 of the register. */
static inline u32 lapic_id(const struct hvk_lapic *a)
{
	return lapic_x2apic_mode(a) ? lapic_get(a, APIC_ID) : lapic_get(a, APIC_ID) >> 24;
}

/* lapic_timer.c */
void lapic_timer_init(struct hvk_lapic *a);
void lapic_timer_cancel(struct hvk_lapic *a);
void lapic_timer_write_lvt(struct hvk_lapic *a, u32 lvt);
void lapic_timer_write_initial(struct hvk_lapic *a, u32 count);
void lapic_timer_write_divide(struct hvk_lapic *a, u32 value);
u32 lapic_timer_current_count(struct hvk_lapic *a);
u64 lapic_timer_read_deadline(struct hvk_lapic *a);
void lapic_timer_write_deadline(struct hvk_lapic *a, u64 deadline);

/* lapic_ipi.c: an ICR write (xAPIC: ICR2 holds the destination). */
void lapic_send_ipi(struct hvk_lapic *a, u32 icr_low, u32 dest);

#endif /* HVK_KMOD_IRQ_LAPIC_PRIV_H */
