/* SPDX-License-Identifier: MIT */
/*
 * A nanosecond clock for the timing checks of the APIC guests (clock.c).
 *
 *   hvk / Xen: the pvclock of vcpu_info[0] in shared_info, which
 *              clock_init() maps with memory_op(add_to_physmap) at a page
 *              of the guest's own (as guests/hcall.c does).  The
 *              hypervisor's own time: exact enough for tight bounds.
 *   otherwise: the TSC, its rate measured once against PIT channel 2
 *              (1.193182 MHz, gated and read through port 0x61, as Linux's
 *              pit_calibrate_tsc does) over 50 ms.  Under QEMU TCG both run
 *              on the host's clock, but an emulated CPU's timing is rough:
 *              guests give this clock loose bounds (clock_is_pvclock()).
 *
 * Any vCPU may read it once vCPU 0 has called clock_init(); the TSC is the
 * same on every vCPU of the VM.
 */
#ifndef GUEST_CLOCK_H
#define GUEST_CLOCK_H

#include <stdbool.h>
#include <stdint.h>

#define NS_PER_US               1000ull
#define NS_PER_MS               1000000ull
#define NS_PER_SEC              1000000000ull

void clock_init(void);
uint64_t clock_ns(void);
/* The shared_info page clock_init() mapped (hvk / Xen), else NULL. */
volatile void *clock_shared_info(void);
bool clock_is_pvclock(void);
const char *clock_name(void);           /* "pvclock" or "TSC by the PIT" */

uint64_t clock_tsc_hz(void);
uint64_t clock_ns_to_tsc(uint64_t ns);
uint64_t clock_tsc_to_ns(uint64_t tsc_delta);

/* Busy-waits (the clock's own reads only: no exits under hvk). */
void clock_delay_ns(uint64_t ns);

#endif /* GUEST_CLOCK_H */
