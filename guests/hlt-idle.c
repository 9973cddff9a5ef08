/* SPDX-License-Identifier: MIT */
/*
 * hlt-idle: sleeps in HLT until a local APIC timer interrupt about 1 s
 * away wakes it, and checks by the clock (lib/clock.h) that it slept
 * between 0.9 and 1.5 times that.  Then powers off.  On hvk the vCPU must
 * really sleep meanwhile: tests/nested/tests/55-hlt-idle.sh compares the
 * VMM's CPU time with that of hello64.
 *
 * Command line: ms=N (default 1000), timer=deadline to arm the TSC-deadline
 * timer instead of a one-shot.  On hvk the one-shot's count is N ms at
 * HVK_APIC_BUS_HZ (divide by 1); elsewhere the timer's rate is measured
 * first (a 50 ms busy wait).
 *
 * HLT returns only after an interrupt (SDM Vol. 2A, HLT); the timer is the
 * only source left unmasked, so exactly one wakeup is expected: a HLT that
 * returns at once (a hypervisor treating it as a NOP) fails here.
 *
 * Prints "hlt-idle: woke after N ms in HLT (...)".
 */
#include <abi/hvk_guest.h>

#include "clock.h"
#include "guest.h"
#include "irq.h"
#include "lapic.h"

#define NAME                    "hlt-idle"
#define TIMER_VECTOR            0xd0
#define MEASURE_NS              (50 * NS_PER_MS)
#define MAX_WAKEUPS             1000

static volatile uint64_t fired_ns;
static volatile unsigned int fired;

static void timer_handler(struct irq_frame *f)
{
	(void)f;
	fired_ns = clock_ns();
	fired = 1;
	lapic_eoi();
}

/* Timer ticks per second at divide by 1: hvk's constant, or measured against the clock. */
static uint64_t timer_hz(void)
{
	uint32_t c0, c1;
	uint64_t t0, t1;

	if (platform.kind == PLATFORM_HVK)
		return HVK_APIC_BUS_HZ;
	lapic_timer_start(LVT_MASKED | LVT_TIMER_ONESHOT, APIC_DIVIDE_1, 0xffffffffu);
	t0 = clock_ns();
	c0 = lapic_read(APIC_TIMER_CURRENT);
	clock_delay_ns(MEASURE_NS);
	c1 = lapic_read(APIC_TIMER_CURRENT);
	t1 = clock_ns();
	lapic_timer_stop();
	return (uint64_t)(c0 - c1) * NS_PER_SEC / (t1 - t0);
}

/* A one-shot of `ns` at `hz`: divide by 1, or by 128 if the count would not fit. */
static const char *arm_oneshot(uint64_t ns, uint64_t hz)
{
	uint64_t ticks = ns * (hz / 1000) / NS_PER_MS;

	if (ticks <= 0xffffffffu) {
		lapic_timer_start(LVT_TIMER_ONESHOT | TIMER_VECTOR, APIC_DIVIDE_1, (uint32_t)ticks);
		return "one-shot LAPIC timer, divide 1";
	}
	lapic_timer_start(LVT_TIMER_ONESHOT | TIMER_VECTOR, APIC_DIVIDE_128,
			  (uint32_t)(ticks / 128));
	return "one-shot LAPIC timer, divide 128";
}

static const char *arm_deadline(uint64_t ns)
{
	if (!cpu_has_tsc_deadline())
		guest_fail(NAME ": timer=deadline, but CPUID.1:ECX[24] (TSC-deadline) is clear");
	lapic_write(APIC_LVT_TIMER, LVT_TIMER_TSC_DEADLINE | TIMER_VECTOR);
	wrmsr(MSR_TSC_DEADLINE, rdtsc() + clock_ns_to_tsc(ns));
	return "TSC-deadline timer";
}

int guest_main(void)
{
	uint64_t sleep_ns = cmdline_number("ms", 1000) * NS_PER_MS, hz = 0, t0, slept;
	bool deadline = cmdline_has_word("timer=deadline");
	unsigned int wakeups = 0;
	const char *how;

	check_name = NAME;
	irq_init();
	clock_init();
	irq_set_handler(TIMER_VECTOR, timer_handler);
	lapic_reset_for_test();
	if (!deadline)
		hz = timer_hz();
	t0 = clock_ns();
	how = deadline ? arm_deadline(sleep_ns) : arm_oneshot(sleep_ns, hz);
	while (!fired && wakeups < MAX_WAKEUPS) {
		irq_enable_and_halt();
		irq_disable();
		wakeups++;
	}
	expect_true(fired, "the timer did not fire: HLT returned %u times", wakeups);
	slept = fired_ns - t0;
	printf(NAME ": woke after %llu ms in HLT (%s, %s), %u wakeup%s\n",
	       (unsigned long long)(slept / NS_PER_MS), how, clock_name(), wakeups,
	       wakeups == 1 ? "" : "s");
	expect_eq(wakeups, 1, "HLT returns before the timer fired (nothing else is unmasked)");
	expect_true(slept >= sleep_ns / 10 * 9 && slept <= sleep_ns / 2 * 3,
		    "slept %llu ms for a %llu ms timer, expected 0.9 to 1.5 times that",
		    (unsigned long long)(slept / NS_PER_MS),
		    (unsigned long long)(sleep_ns / NS_PER_MS));
	return 0;
}
