/* SPDX-License-Identifier: MIT */
/*
 * Interrupts for the APIC guests (irq.c, x86_64/irq_entry.S,
 * x86_32/irq_entry.S): gates for vectors 32-255, NMI (2) and #GP (13) in
 * the library's IDT, one C dispatcher, per-vector handlers and counts.
 *
 * Without a handler of its own a vector 32-254 is counted and EOIed; the
 * spurious vector (0xff) and NMI are only counted: neither sets an ISR bit
 * (SDM §11.9, §11.5.1).  A handler replaces the EOI: it sends one itself
 * when it wants to.
 *
 * #GP is fatal as before unless it comes from msr_read_faults() or
 * msr_write_faults(), which then return true: how the APIC guests check
 * which MSR accesses the CPU must refuse.
 *
 * Natively (QEMU's PC or QEMU/KVM) irq_init() masks both 8259 PICs:
 * SeaBIOS leaves the PIT ticking into IRQ 0, which would arrive as vector
 * 8, our #DF, as soon as IF is set.  hvk has no PIC (and its ports are not
 * answered), so nothing is written there.
 */
#ifndef GUEST_IRQ_H
#define GUEST_IRQ_H

#include <stdbool.h>
#include <stdint.h>

#include "exceptions.h"

#define VECTOR_NMI              2
#define VECTOR_GP               13
#define IRQ_FIRST_VECTOR        32      /* 0-31 are exceptions (SDM §6.2) */

/* The stack at the dispatcher: saved registers, then what the CPU pushed. */
#ifdef __x86_64__
struct irq_frame {
	unsigned long r11, r10, r9, r8, di, si, dx, cx, ax;
	unsigned long vector, error_code;
	unsigned long ip, cs, flags, sp, ss;
};
#else
struct irq_frame {
	unsigned long dx, cx, ax;
	unsigned long vector, error_code;
	unsigned long ip, cs, flags;    /* same privilege: no SS:ESP */
};
#endif

typedef void (*irq_handler_t)(struct irq_frame *frame);

/* Deliveries per vector on all vCPUs (NMIs at [2]); #GP is not counted here. */
extern volatile unsigned long irq_count[IDT_VECTORS];
/* #GPs caught by msr_read_faults / msr_write_faults, and the last error code. */
extern volatile unsigned long gp_caught;
extern volatile unsigned long gp_last_error_code;

/* Gates, PIC masking, the xAPIC page mapping (lapic_map_mmio).  vCPU 0, before APs. */
void irq_init(void);

/* NULL restores the default (count, and EOI for 32-254). */
void irq_set_handler(unsigned int vector, irq_handler_t handler);

/* RDMSR / WRMSR that report a #GP instead of failing the guest. */
bool msr_read_faults(uint32_t msr, uint64_t *value);   /* *value = 0 on #GP */
bool msr_write_faults(uint32_t msr, uint64_t value);

static inline void irq_enable(void)
{
	__asm__ volatile("sti" : : : "memory");
}

static inline void irq_disable(void)
{
	__asm__ volatile("cli" : : : "memory");
}

static inline bool irq_enabled(void)
{
	unsigned long flags;

	__asm__ volatile("pushf; pop %0" : "=r"(flags) : : "memory");
	return flags & (1u << 9);
}

/*
 * Lets pending interrupts in, then disables them again.  STI delays
 * recognition by one instruction (SDM Vol. 2B, STI), so "sti; cli" alone
 * would open no window: the NOPs are the window.
 */
static inline void irq_window(void)
{
	__asm__ volatile("sti; nop; nop; cli" : : : "memory");
}

/*
 * STI; HLT: the STI shadow makes sure an interrupt that is already pending
 * wakes the HLT instead of slipping in between.  Returns with IF set.
 */
static inline void irq_enable_and_halt(void)
{
	__asm__ volatile("sti; hlt" : : : "memory");
}

#endif /* GUEST_IRQ_H */
