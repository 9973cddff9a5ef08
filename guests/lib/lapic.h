/* SPDX-License-Identifier: MIT */
/*
 * The local APIC (Intel SDM Vol. 3A ch. 11, "Advanced Programmable
 * Interrupt Controller (APIC)"; ch. 10 in editions before 2023): its
 * registers, both ways to reach them and the few operations every APIC
 * guest needs.  lapic.c.
 *
 * xAPIC mode: 32-bit registers in a 4 KiB MMIO page at the base from
 * IA32_APIC_BASE (0xfee00000 after reset), one every 16 bytes.
 * x2APIC mode: the same registers as MSRs 0x800 + offset / 16, the ICR one
 * 64-bit MSR, no DFR, plus SELF_IPI (SDM §11.12.1.2, Table 11-6).
 * Register names below are their xAPIC offsets; the x2APIC functions take
 * the same offsets.
 *
 * Only linked into the guests of APIC_GUESTS (Makefile), with irq.h,
 * clock.h and sipi.h.
 */
#ifndef GUEST_LAPIC_H
#define GUEST_LAPIC_H

/* Plain numbers where the assembly (sipi_trampoline.S) uses them. */
#define MSR_APIC_BASE           0x1b
#define APIC_BASE_BSP           (1 << 8)
#define APIC_BASE_EXTD          (1 << 10)       /* x2APIC mode */
#define APIC_BASE_EN            (1 << 11)       /* globally enabled */
#define APIC_BASE_ADDR_MASK     0xfffff000
#define APIC_DEFAULT_BASE       0xfee00000
#define MSR_TSC_DEADLINE        0x6e0
#define X2APIC_MSR_BASE         0x800
#define X2APIC_MSR_LAST         0x8ff

/* Register offsets in the xAPIC page (SDM Table 11-1). */
#define APIC_ID                 0x020
#define APIC_VERSION            0x030
#define APIC_TPR                0x080
#define APIC_APR                0x090           /* xAPIC only */
#define APIC_PPR                0x0a0
#define APIC_EOI                0x0b0
#define APIC_RRD                0x0c0           /* xAPIC only */
#define APIC_LDR                0x0d0
#define APIC_DFR                0x0e0           /* xAPIC only */
#define APIC_SVR                0x0f0
#define APIC_ISR                0x100           /* 8 words, 0x100-0x170 */
#define APIC_TMR                0x180
#define APIC_IRR                0x200
#define APIC_ESR                0x280
#define APIC_LVT_CMCI           0x2f0
#define APIC_ICR                0x300           /* low half; x2APIC: all 64 bits */
#define APIC_ICR_HIGH           0x310           /* xAPIC only */
#define APIC_LVT_TIMER          0x320
#define APIC_LVT_THERMAL        0x330
#define APIC_LVT_PERF           0x340
#define APIC_LVT_LINT0          0x350
#define APIC_LVT_LINT1          0x360
#define APIC_LVT_ERROR          0x370
#define APIC_TIMER_INITIAL      0x380
#define APIC_TIMER_CURRENT      0x390
#define APIC_TIMER_DIVIDE       0x3e0
#define APIC_SELF_IPI           0x3f0           /* x2APIC only, write-only */
#define APIC_LAST_REG           0x3f0

#define X2APIC_MSR(reg)         (X2APIC_MSR_BASE + ((reg) >> 4))

#define APIC_SVR_ENABLE         (1u << 8)       /* software enable */
#define APIC_SVR_RESET          0xffu           /* after reset or INIT */
#define APIC_SPURIOUS_VECTOR    0xffu

/* LVT entries (SDM Figure 11-8). */
#define LVT_VECTOR_MASK         0xffu
#define LVT_DELIVERY_FIXED      (0u << 8)
#define LVT_DELIVERY_NMI        (4u << 8)
#define LVT_DELIVERY_MASK       (7u << 8)
#define LVT_PENDING             (1u << 12)      /* delivery status */
#define LVT_MASKED              (1u << 16)
#define LVT_TIMER_ONESHOT       (0u << 17)
#define LVT_TIMER_PERIODIC      (1u << 17)
#define LVT_TIMER_TSC_DEADLINE  (2u << 17)
#define LVT_RESET               LVT_MASKED      /* after reset or INIT */

/* Divide configuration register values (SDM Figure 11-10). */
#define APIC_DIVIDE_1           0xbu
#define APIC_DIVIDE_2           0x0u
#define APIC_DIVIDE_16          0x3u
#define APIC_DIVIDE_128         0xau

/* ICR low word (SDM Figure 11-12). */
#define ICR_VECTOR_MASK         0xffu
#define ICR_FIXED               (0u << 8)
#define ICR_LOWEST              (1u << 8)
#define ICR_SMI                 (2u << 8)
#define ICR_NMI                 (4u << 8)
#define ICR_INIT                (5u << 8)
#define ICR_STARTUP             (6u << 8)
#define ICR_DELIVERY_MASK       (7u << 8)
#define ICR_LOGICAL             (1u << 11)
#define ICR_BUSY                (1u << 12)      /* xAPIC delivery status */
#define ICR_ASSERT              (1u << 14)
#define ICR_LEVEL               (1u << 15)
#define ICR_SELF                (1u << 18)
#define ICR_ALL                 (2u << 18)
#define ICR_ALL_BUT_SELF        (3u << 18)
#define ICR_SHORTHAND_MASK      (3u << 18)
/* INIT as Linux sends it, then its level de-assert (to be ignored). */
#define ICR_INIT_LEVEL_ASSERT   (ICR_INIT | ICR_ASSERT | ICR_LEVEL)
#define ICR_INIT_LEVEL_DEASSERT (ICR_INIT | ICR_LEVEL)

/* Destination format (xAPIC): flat or cluster model, bits 27:0 read as 1. */
#define APIC_DFR_FLAT           0xffffffffu
#define APIC_DFR_CLUSTER        0x0fffffffu

#define APIC_XAPIC_BROADCAST    0xffu
#define APIC_X2APIC_BROADCAST   0xffffffffu

#ifndef __ASSEMBLER__
#include <stdbool.h>
#include <stdint.h>

enum lapic_mode {
	LAPIC_DISABLED,         /* EN = 0, EXTD = 0 */
	LAPIC_XAPIC,            /* EN = 1, EXTD = 0 */
	LAPIC_X2APIC,           /* EN = 1, EXTD = 1 */
	LAPIC_INVALID,          /* EN = 0, EXTD = 1: never readable */
};

uint64_t rdmsr(uint32_t msr);
void wrmsr(uint32_t msr, uint64_t value);

/* CPUID.1 feature bits (SDM Vol. 2A, Table 3-10/3-11). */
bool cpu_has_apic(void);                /* EDX[9]: 0 while globally disabled */
bool cpu_has_x2apic(void);              /* ECX[21] */
bool cpu_has_tsc_deadline(void);        /* ECX[24] */

/* The mode from IA32_APIC_BASE, and its name. */
enum lapic_mode lapic_mode(void);
const char *lapic_mode_name(enum lapic_mode mode);

/* Writes IA32_APIC_BASE with EN/EXTD for `mode`, the base and BSP kept. */
void lapic_set_mode(enum lapic_mode mode);
uint64_t lapic_base_with_mode(enum lapic_mode mode);

/*
 * The 64-bit runtime maps the xAPIC page write-back like the rest of the
 * first 4 GiB: map its 2 MiB page uncacheable (PCD|PWT), as the SDM asks
 * for the APIC registers (§11.4.1).  The 32-bit runtime has paging off.
 */
void lapic_map_mmio(void);

/* Explicit interfaces: xAPIC MMIO (32-bit) and x2APIC MSRs (by offset). */
uint32_t xapic_read(unsigned int reg);
void xapic_write(unsigned int reg, uint32_t value);
uint64_t x2apic_read(unsigned int reg);
void x2apic_write(unsigned int reg, uint64_t value);

/* Through whichever interface the current mode has (IA32_APIC_BASE read each time). */
uint32_t lapic_read(unsigned int reg);
void lapic_write(unsigned int reg, uint32_t value);

/* xAPIC: ID bits 31:24; x2APIC: all 32 bits. */
uint32_t lapic_id(void);

/* Bit `vector` of ISR, IRR or TMR (pass APIC_ISR / APIC_IRR / APIC_TMR). */
bool lapic_vector_set(unsigned int bank, unsigned int vector);
/* The highest vector set in the bank, -1 if none. */
int lapic_highest_vector(unsigned int bank);

void lapic_eoi(void);

/*
 * Sends an IPI: `icr` is the low word (vector, delivery, destination mode,
 * level, trigger, shorthand), `dest` the destination: 8 bits in xAPIC mode
 * (ICR bits 63:56), 32 bits in x2APIC mode (63:32).  xAPIC: waits until the
 * delivery status is idle again (a bounded wait; false if it stayed busy).
 */
bool lapic_send_ipi(uint32_t icr, uint32_t dest);
void lapic_self_ipi(unsigned int vector);       /* shorthand self, fixed */

/*
 * Software-enables the APIC (SVR bit 8, spurious vector 0xff), TPR 0, every
 * LVT masked, the timer stopped: a clean start for a test on this vCPU.
 */
void lapic_reset_for_test(void);

/* Timer: LVT timer entry, divide configuration and initial count, in that order. */
void lapic_timer_start(uint32_t lvt, uint32_t divide, uint32_t initial_count);
void lapic_timer_stop(void);
#endif /* !__ASSEMBLER__ */

#endif /* GUEST_LAPIC_H */
