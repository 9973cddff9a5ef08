/* SPDX-License-Identifier: MIT */
/*
 * Starting APs the hardware's way: INIT, then Start-up IPIs (SIPI) into a
 * real-mode trampoline (SDM Vol. 3A §9.4.4, "MP Initialization Example";
 * §8.4.4 in editions before 2023).  sipi.c, sipi_trampoline.S.
 *
 * sipi_setup() copies the trampoline to a free RAM page P below 1 MiB; a
 * SIPI with vector V = P >> 12 starts an AP that waits for one in real mode
 * at CS selector V << 8, base P, IP 0 (SDM §11.6.1, "Start-Up").  Each AP
 * there:
 *   1. takes the page's lock: APs started together (broadcast INIT-SIPI)
 *      arrive together and share the page's scratch record and stack;
 *   2. records the state it arrived with (CS, DS, SS, ESP, EDX, CR0,
 *      EFLAGS, IDTR) before changing any of it;
 *   3. enters 32-bit protected mode through the library's GDT, reads its
 *      APIC ID (by MSR if INIT left it in x2APIC mode, SDM §11.12.5.1, else
 *      from the xAPIC page), copies the record to sipi_arrivals[id] with
 *      its IA32_APIC_BASE, releases the lock and counts itself in (in that
 *      order: once counted in it may be sent INIT again at any time);
 *   4. 64-bit library: enters long mode on the boot page tables;
 *   5. continues at the library's smp_ap_entry with the entry the BSP set
 *      for its ID (sipi_set_entry): fn(id, arg) in C on its own stack, as
 *      a vCPU started by VCPUOP_initialise would (smp.h).
 * An AP whose ID is out of range or has no entry counts itself in
 * sipi_unexpected and halts with interrupts off.
 */
#ifndef GUEST_SIPI_H
#define GUEST_SIPI_H

/* Trampoline page layout: code from 0, the lock, the record, a stack at the top. */
#define SIPI_PAGE_LOCK          0xf00
#define SIPI_PAGE_RECORD        0xf10
#define SIPI_PAGE_STACK_TOP     0x1000

/* struct sipi_arrival offsets, for the assembly (sipi.c checks them). */
#define SIPI_REC_CS             0
#define SIPI_REC_DS             4
#define SIPI_REC_SS             8
#define SIPI_REC_ESP            12
#define SIPI_REC_EDX            16
#define SIPI_REC_CR0            20
#define SIPI_REC_EFLAGS         24
#define SIPI_REC_IDTR           30      /* SIDT: 2-byte limit, 4-byte base */
#define SIPI_REC_DWORDS         9       /* the record part, copied from the page */
#define SIPI_ARR_APIC_BASE      36
#define SIPI_ARR_COUNT          40
#define SIPI_ARRIVAL_SIZE       48
#define SIPI_MAX_APIC_ID        64      /* exclusive; = SMP_MAX_VCPUS (sipi.c) */

#ifndef __ASSEMBLER__
#include <stdbool.h>
#include <stdint.h>

#include "smp.h"

struct sipi_arrival {
	/* As the AP found them in real mode, before touching anything. */
	uint32_t cs, ds, ss, esp, edx, cr0, eflags;
	uint16_t pad0;
	uint16_t idt_limit;
	uint32_t idt_base;
	/* Read in protected mode: the mode INIT left, for the ID read. */
	uint32_t apic_base;
	uint32_t count;                 /* arrivals of this APIC ID */
	uint32_t pad1;
};

extern volatile struct sipi_arrival sipi_arrivals[SMP_MAX_VCPUS];
extern volatile uint32_t sipi_arrivals_total;
extern volatile uint32_t sipi_unexpected;      /* no entry, or ID too large */

/*
 * Copies the trampoline to the first free RAM page at or above 4 KiB
 * and below 640 KiB (by the PVH memmap, not holding start_info, the
 * memmap or the command line) and returns its address.  Fails the guest
 * if there is none.
 */
uint32_t sipi_setup(void);
uint32_t sipi_page(void);
/* The SIPI vector for the trampoline page: its page number. */
unsigned int sipi_vector(void);

/* What an AP with this APIC ID runs after the trampoline; NULL: halt. */
void sipi_set_entry(unsigned int id, smp_ap_fn fn, unsigned long arg, void *stack_top);

/*
 * The sequence Linux uses (smpboot.c): INIT level assert, 10 ms, INIT level
 * de-assert (no effect on modern CPUs), two SIPIs 200 us apart; then waits
 * (about 5 s at most) for the AP to count itself in.  Physical destination
 * `apic_id`.  False if it did not arrive.
 */
bool sipi_start_ap(unsigned int apic_id, smp_ap_fn fn, unsigned long arg, void *stack_top);

/* The parts, for guests that vary the sequence.  `dest` as lapic_send_ipi(). */
void sipi_send_init(uint32_t shorthand, uint32_t dest);
void sipi_send_startup(uint32_t shorthand, uint32_t dest);
/* Waits (up to timeout_ns) until sipi_arrivals[id].count > before. */
bool sipi_wait_arrival(unsigned int id, uint32_t before, uint64_t timeout_ns);
#endif

#endif /* GUEST_SIPI_H */
