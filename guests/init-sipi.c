/* SPDX-License-Identifier: MIT */
/*
 * init-sipi: APs started the hardware's way, INIT then Start-up IPIs into
 * a real-mode trampoline below 1 MiB (lib/sipi.h), mixed with
 * VCPUOP_initialise/up.  Run with `hvk run --cpus 4`; natively (QEMU)
 * with `-smp 4 -append cpus=4`, where the VCPUOP steps are skipped.
 *
 *   1. vCPUs 1 and 2 by INIT-SIPI-SIPI (INIT level assert, 10 ms, INIT
 *      level de-assert, SIPI, 200 us, SIPI, as Linux): each arrives in
 *      real mode at CS = vector << 8, IP 0, goes through protected mode to
 *      long mode and C, counts itself in once (the second SIPI finds it
 *      running) and spins with IF = 0.  hvk: is_up says 1 for both.
 *   2. hvk: vCPU 3 by VCPUOP_initialise/up; initialise of the SIPI-started
 *      vCPU 1 -> -EEXIST.  Natively vCPU 3 comes by INIT-SIPI-SIPI.
 *   3. Ignored while a vCPU runs: a SIPI (vCPUs 2 and 3, whichever way
 *      they started) and INIT level de-assert (0x8500) to vCPU 2 and to
 *      all but self: every vCPU keeps spinning, none starts again.
 *   4. INIT alone to vCPU 1 stops it (wait-for-SIPI).  hvk: is_up(1) 0,
 *      up(1) -EINVAL (INIT left it no state to resume, as on Xen),
 *      initialise + up runs the new entry.  Natively a SIPI restarts it.
 *   5. INIT-SIPI-SIPI to vCPU 3, which VCPUOP started (hvk): it leaves
 *      long mode and arrives at the trampoline.
 *   6. x2APIC (if CPUID has it; hvk must): vCPU 0 and vCPU 2 switch to
 *      x2APIC mode; INIT-SIPI-SIPI by the 64-bit ICR restarts vCPU 2,
 *      which finds itself still in x2APIC mode (SDM §11.12.5.1).
 *   7. INIT-SIPI-SIPI with the all-but-self shorthand: every AP starts
 *      again, through the trampoline's lock together.
 *   8. The architectural state of every SIPI arrival, checked last so that
 *      the steps above report first (SDM Vol. 3A Table 10-1 for INIT,
 *      §11.4.7.3 for the APIC): CS V<<8, DS SS ESP 0, EDX = CPUID.1:EAX,
 *      CR0 PE and PG clear, EFLAGS 0x2 (arithmetic flags aside: the lock's
 *      BTS changed them), IDTR 0/0xffff; the APIC: enabled, BSP flag clear,
 *      ID kept, SVR 0xff, TPR 0, LVT timer masked, although each AP left
 *      SVR 0x1ff, TPR 0x20 and an unmasked LVT timer before its INIT.
 * Ends with "init-sipi: all checks passed" and powers off.
 */
#include <abi/xen/errno.h>
#include <abi/xen/sched.h>
#include <abi/xen/vcpu.h>

#include "clock.h"
#include "guest.h"
#include "irq.h"
#include "lapic.h"
#include "sipi.h"

#define NAME                    "init-sipi"
#define CPUS                    4
#define MAX_RUNS                8
#define AP_STACK_SIZE           8192
#define WAIT_NS                 (5 * NS_PER_SEC)        /* only a failure waits this long */
#define STILL_NS                (30 * NS_PER_MS)        /* a stopped vCPU's heartbeat */
#define INIT_DELAY_NS           (10 * NS_PER_MS)
#define SIPI_DELAY_NS           (200 * NS_PER_US)

#define CR0_PE                  (1u << 0)
#define CR0_PG                  0x80000000u
#define EFLAGS_ARITH            0x8d5u                  /* CF PF AF ZF SF OF */
#define EFLAGS_FIXED            0x2u
#define REAL_MODE_IDT_LIMIT     0xffff
/* What each AP leaves for INIT to reset (SDM §11.4.7.3). */
#define DIRTY_SVR               (APIC_SVR_ENABLE | APIC_SPURIOUS_VECTOR)
#define DIRTY_TPR               0x20
#define DIRTY_LVT_TIMER         (LVT_TIMER_PERIODIC | 0xef)

enum start_how {
	BY_SIPI,
	BY_VCPUOP,
};

/* What an AP found at its C entry: the APIC state INIT must have reset. */
struct entry_state {
	enum start_how how;
	uint64_t apic_base;
	uint32_t apic_id, svr, tpr, lvt_timer;
};

/* A SIPI arrival, as the trampoline recorded it, with what the step expected. */
struct arrival {
	unsigned int id, step;
	struct sipi_arrival rec;
};

static unsigned int nr_cpus;
static bool hvk;                                /* VCPUOP steps */
static uint8_t ap_stacks[CPUS][AP_STACK_SIZE] __attribute__((aligned(16)));
static volatile unsigned int runs[CPUS];
static volatile unsigned long heartbeat[CPUS];
static volatile bool want_x2apic[CPUS], in_x2apic[CPUS];
static struct entry_state entries[CPUS][MAX_RUNS];
static struct arrival arrivals[4 * CPUS];
static unsigned int nr_arrivals;

/* ---- the APs ---- */

static void record_entry(unsigned int id, enum start_how how)
{
	unsigned int run = runs[id];
	struct entry_state *e;

	if (run >= MAX_RUNS)
		guest_fail(NAME ": vCPU %u started more than %u times", id, MAX_RUNS);
	e = &entries[id][run];
	e->how = how;
	e->apic_base = rdmsr(MSR_APIC_BASE);
	e->apic_id = lapic_id();
	e->svr = lapic_read(APIC_SVR);
	e->tpr = lapic_read(APIC_TPR);
	e->lvt_timer = lapic_read(APIC_LVT_TIMER);
}

static void ap_entry(unsigned int id, unsigned long how)
{
	record_entry(id, how);
	/* State that INIT must reset before the next SIPI arrival. */
	lapic_write(APIC_SVR, DIRTY_SVR);
	lapic_write(APIC_TPR, DIRTY_TPR);
	lapic_write(APIC_LVT_TIMER, DIRTY_LVT_TIMER);
	in_x2apic[id] = lapic_mode() == LAPIC_X2APIC;
	printf(NAME ": vCPU %u up by %s (start %u, %s)\n", id,
	       how == BY_SIPI ? "INIT-SIPI-SIPI" : "VCPUOP_initialise/up", runs[id] + 1,
	       lapic_mode_name(lapic_mode()));
	__atomic_add_fetch(&runs[id], 1, __ATOMIC_SEQ_CST);
	irq_disable();
	for (;;) {
		__atomic_add_fetch(&heartbeat[id], 1, __ATOMIC_SEQ_CST);
		if (want_x2apic[id] && !in_x2apic[id]) {
			lapic_set_mode(LAPIC_X2APIC);
			in_x2apic[id] = lapic_mode() == LAPIC_X2APIC;
		}
		cpu_relax();
	}
}

static void *stack_top(unsigned int id)
{
	return ap_stacks[id] + AP_STACK_SIZE;
}

/* ---- waiting ---- */

static void relax(void)
{
	cpu_relax();
	if (hvk)
		hc_sched_op(XEN_SCHEDOP_YIELD, 0);
}

#define WAIT_UNTIL(cond, ns) ({						\
	uint64_t end_ = clock_ns() + (ns);				\
	bool ok_;							\
	while (!(ok_ = (cond)) && clock_ns() < end_)			\
		relax();						\
	ok_;								\
})

static void pause_ns(uint64_t ns)
{
	uint64_t end = clock_ns() + ns;

	while (clock_ns() < end)
		relax();
}

/* The heartbeat stands still for STILL_NS (checked twice: a vCPU may be descheduled). */
static bool stopped(unsigned int id)
{
	for (unsigned int i = 0; i < 2; i++) {
		unsigned long h = heartbeat[id];

		pause_ns(STILL_NS);
		if (heartbeat[id] != h)
			return false;
	}
	return true;
}

static void expect_running(unsigned int id, const char *after)
{
	unsigned long h = heartbeat[id];

	expect_true(WAIT_UNTIL(heartbeat[id] != h, WAIT_NS), "vCPU %u stopped running after %s",
		    id, after);
}

static long is_up(unsigned int id)
{
	return hc_vcpu_op(XEN_VCPUOP_IS_UP, id, 0);
}

/* ---- starting ---- */

/* Waits for a SIPI arrival of `id` and its C entry; keeps the record for step 8. */
static void expect_arrival(unsigned int id, unsigned int step, uint32_t count_before,
			   unsigned int runs_before)
{
	struct arrival *a;

	expect_true(sipi_wait_arrival(id, count_before, WAIT_NS), "step %u: vCPU %u did not "
		    "reach the trampoline after INIT-SIPI-SIPI", step, id);
	expect_true(WAIT_UNTIL(runs[id] > runs_before, WAIT_NS), "step %u: vCPU %u reached the "
		    "trampoline but not its C entry", step, id);
	expect_eq(sipi_arrivals[id].count, count_before + 1, "step %u: trampoline arrivals of "
		  "vCPU %u (two SIPIs, one start)", step, id);
	expect_eq(runs[id], runs_before + 1, "step %u: starts of vCPU %u", step, id);
	/* SDM §11.6.1, Start-up: CS selector V << 8, base V << 12, IP 0. */
	expect_eq(sipi_arrivals[id].cs, sipi_vector() << 8, "step %u: vCPU %u's CS in real mode "
		  "(SIPI vector 0x%x)", step, id, sipi_vector());
	if (nr_arrivals < sizeof(arrivals) / sizeof(arrivals[0])) {
		a = &arrivals[nr_arrivals++];
		a->id = id;
		a->step = step;
		memcpy(&a->rec, (const void *)&sipi_arrivals[id], sizeof(a->rec));
	}
}

static void sipi_sipi(uint32_t shorthand, uint32_t dest)
{
	sipi_send_startup(shorthand, dest);
	clock_delay_ns(SIPI_DELAY_NS);
	sipi_send_startup(shorthand, dest);     /* finds it running: ignored */
}

/* INIT level assert, 10 ms, INIT level de-assert (Linux's smpboot.c). */
static void init_assert_deassert(uint32_t shorthand, uint32_t dest)
{
	sipi_send_init(shorthand, dest);
	clock_delay_ns(INIT_DELAY_NS);
	lapic_send_ipi(shorthand | ICR_INIT_LEVEL_DEASSERT, dest);
}

static void start_by_sipi(unsigned int id, unsigned int step)
{
	uint32_t count = sipi_arrivals[id].count;
	unsigned int before = runs[id];

	sipi_set_entry(id, ap_entry, BY_SIPI, stack_top(id));
	init_assert_deassert(0, id);
	sipi_sipi(0, id);
	expect_arrival(id, step, count, before);
}

static void start_by_vcpuop(unsigned int id, unsigned int step)
{
	struct xen_vcpu_hvm_context ctx;
	unsigned int before = runs[id];

	smp_ap_context(&ctx, id, ap_entry, BY_VCPUOP, stack_top(id));
	expect_eq(hc_vcpu_op(XEN_VCPUOP_INITIALISE, id, &ctx), 0, "step %u: initialise(%u)",
		  step, id);
	expect_eq(hc_vcpu_op(XEN_VCPUOP_UP, id, 0), 0, "step %u: up(%u)", step, id);
	expect_true(WAIT_UNTIL(runs[id] > before, WAIT_NS), "step %u: vCPU %u did not run its "
		    "VCPUOP entry", step, id);
	expect_eq(runs[id], before + 1, "step %u: starts of vCPU %u", step, id);
}

/* ---- the steps ---- */

static void step1_sipi_starts(void)
{
	for (unsigned int id = 1; id <= 2; id++)
		start_by_sipi(id, 1);
	if (hvk)
		for (unsigned int id = 1; id <= 2; id++)
			expect_eq(is_up(id), 1, "step 1: is_up(%u) of a vCPU started by SIPI", id);
	printf(NAME ": step 1: vCPUs 1 and 2 started by INIT-SIPI-SIPI (SIPI vector 0x%x, "
	       "trampoline at 0x%x)\n", sipi_vector(), sipi_page());
}

static void step2_vcpuop_start(void)
{
	struct xen_vcpu_hvm_context ctx;

	if (!hvk) {
		start_by_sipi(3, 2);
		printf(NAME ": step 2: vCPU 3 by INIT-SIPI-SIPI (native: no VCPUOP)\n");
		return;
	}
	start_by_vcpuop(3, 2);
	expect_eq(is_up(3), 1, "step 2: is_up(3)");
	smp_ap_context(&ctx, 1, ap_entry, BY_VCPUOP, stack_top(1));
	expect_eq(hc_vcpu_op(XEN_VCPUOP_INITIALISE, 1, &ctx), -XEN_EEXIST,
		  "step 2: initialise(1) of a vCPU running since its SIPI");
	expect_eq(runs[1], 1, "step 2: starts of vCPU 1 after a refused initialise");
	printf(NAME ": step 2: vCPU 3 started by VCPUOP_initialise/up; initialise of vCPU 1 "
	       "-EEXIST\n");
}

static void expect_untouched(const unsigned int *runs_before, const uint32_t *count_before,
			     const char *after)
{
	for (unsigned int id = 1; id < nr_cpus; id++) {
		expect_running(id, after);
		expect_eq(runs[id], runs_before[id], "starts of vCPU %u after %s", id, after);
		expect_eq(sipi_arrivals[id].count, count_before[id], "trampoline arrivals of "
			  "vCPU %u after %s", id, after);
	}
}

static void snapshot(unsigned int *runs_now, uint32_t *counts_now)
{
	for (unsigned int id = 1; id < nr_cpus; id++) {
		runs_now[id] = runs[id];
		counts_now[id] = sipi_arrivals[id].count;
	}
}

static void step3_ignored(void)
{
	unsigned int r[CPUS];
	uint32_t c[CPUS];

	snapshot(r, c);
	/* A SIPI is only accepted in wait-for-SIPI (SDM §9.4.4, §11.6.1). */
	sipi_send_startup(0, 2);
	sipi_send_startup(0, 3);
	pause_ns(STILL_NS);
	expect_untouched(r, c, "a SIPI to a running vCPU");
	/* INIT level de-assert: no effect on modern CPUs (SDM §11.6.1). */
	lapic_send_ipi(ICR_INIT_LEVEL_DEASSERT, 2);
	lapic_send_ipi(ICR_ALL_BUT_SELF | ICR_INIT_LEVEL_DEASSERT, 0);
	pause_ns(STILL_NS);
	expect_untouched(r, c, "INIT level de-assert (0x8500)");
	printf(NAME ": step 3: SIPIs to running vCPUs and INIT level de-assert ignored\n");
}

static void step4_init_then_vcpuop(void)
{
	init_assert_deassert(0, 1);
	expect_true(stopped(1), "step 4: vCPU 1 still runs after INIT");
	if (!hvk) {
		uint32_t count = sipi_arrivals[1].count;
		unsigned int before = runs[1];

		sipi_sipi(0, 1);
		expect_arrival(1, 4, count, before);
		printf(NAME ": step 4: INIT stopped vCPU 1, SIPI restarted it (native)\n");
		return;
	}
	expect_eq(is_up(1), 0, "step 4: is_up(1) in wait-for-SIPI after INIT");
	expect_eq(hc_vcpu_op(XEN_VCPUOP_UP, 1, 0), -XEN_EINVAL,
		  "step 4: up(1) without a new state after INIT");
	expect_true(stopped(1), "step 4: vCPU 1 runs after the refused up");
	start_by_vcpuop(1, 4);
	expect_eq(is_up(1), 1, "step 4: is_up(1) after initialise and up");
	printf(NAME ": step 4: INIT stopped vCPU 1 (is_up 0, up -EINVAL); "
	       "VCPUOP_initialise/up restarted it\n");
}

static void step5_sipi_after_vcpuop(void)
{
	start_by_sipi(3, 5);
	if (hvk)
		expect_eq(is_up(3), 1, "step 5: is_up(3)");
	printf(NAME ": step 5: INIT-SIPI-SIPI restarted vCPU 3 (started by %s)\n",
	       hvk ? "VCPUOP" : "SIPI");
}

static void step6_x2apic(void)
{
	if (!cpu_has_x2apic()) {
		expect_true(!hvk, "step 6: hvk shows no x2APIC in CPUID.1:ECX[21]");
		printf(NAME ": step 6: skipped (no x2APIC)\n");
		return;
	}
	lapic_set_mode(LAPIC_X2APIC);
	want_x2apic[2] = true;
	expect_true(WAIT_UNTIL(in_x2apic[2], WAIT_NS), "step 6: vCPU 2 did not switch to "
		    "x2APIC mode");
	start_by_sipi(2, 6);
	expect_eq(sipi_arrivals[2].apic_base & (APIC_BASE_EN | APIC_BASE_EXTD),
		  APIC_BASE_EN | APIC_BASE_EXTD,
		  "step 6: IA32_APIC_BASE EN|EXTD of vCPU 2 after INIT in x2APIC mode");
	expect_true(in_x2apic[2], "step 6: vCPU 2's C entry found xAPIC mode");
	/* One mode on every vCPU for step 7, as firmware and OSes set them up. */
	for (unsigned int id = 1; id < nr_cpus; id++) {
		want_x2apic[id] = true;
		expect_true(WAIT_UNTIL(in_x2apic[id], WAIT_NS), "step 6: vCPU %u did not switch "
			    "to x2APIC mode", id);
	}
	printf(NAME ": step 6: INIT-SIPI-SIPI by the x2APIC ICR; vCPU 2 stayed in x2APIC "
	       "mode\n");
}

static void step7_broadcast(void)
{
	unsigned int r[CPUS];
	uint32_t c[CPUS];

	snapshot(r, c);
	for (unsigned int id = 1; id < nr_cpus; id++)
		sipi_set_entry(id, ap_entry, BY_SIPI, stack_top(id));
	init_assert_deassert(ICR_ALL_BUT_SELF, 0);
	sipi_sipi(ICR_ALL_BUT_SELF, 0);
	for (unsigned int id = 1; id < nr_cpus; id++)
		expect_arrival(id, 7, c[id], r[id]);
	expect_eq(sipi_unexpected, 0, "step 7: APs that arrived without an entry");
	printf(NAME ": step 7: INIT-SIPI-SIPI to all but self restarted vCPUs 1-%u\n",
	       nr_cpus - 1);
}

/* ---- step 8: the architectural state of the arrivals ---- */

static void check_arrival_state(const struct arrival *a, uint32_t signature)
{
	const struct sipi_arrival *r = &a->rec;
	unsigned int id = a->id, s = a->step;

	expect_eq(r->ds, 0, "step %u: vCPU %u's DS after INIT-SIPI", s, id);
	expect_eq(r->ss, 0, "step %u: vCPU %u's SS after INIT-SIPI", s, id);
	expect_eq(r->esp, 0, "step %u: vCPU %u's ESP after INIT-SIPI", s, id);
	expect_eq(r->edx, signature, "step %u: vCPU %u's EDX after INIT-SIPI (the CPUID.1:EAX "
		  "signature)", s, id);
	expect_eq(r->cr0 & (CR0_PE | CR0_PG), 0, "step %u: vCPU %u's CR0.PE|PG after INIT-SIPI "
		  "(CR0 0x%x)", s, id, r->cr0);
	expect_eq(r->eflags & ~EFLAGS_ARITH, EFLAGS_FIXED, "step %u: vCPU %u's EFLAGS after "
		  "INIT-SIPI, arithmetic flags aside", s, id);
	expect_eq(r->idt_base, 0, "step %u: vCPU %u's IDTR base after INIT-SIPI", s, id);
	expect_eq(r->idt_limit, REAL_MODE_IDT_LIMIT, "step %u: vCPU %u's IDTR limit after "
		  "INIT-SIPI", s, id);
	expect_eq(r->apic_base & (APIC_BASE_EN | APIC_BASE_BSP), APIC_BASE_EN,
		  "step %u: vCPU %u's IA32_APIC_BASE EN|BSP", s, id);
	expect_eq(r->apic_base & APIC_BASE_ADDR_MASK, APIC_DEFAULT_BASE,
		  "step %u: vCPU %u's APIC base address", s, id);
}

static void check_entry_states(void)
{
	for (unsigned int id = 1; id < nr_cpus; id++) {
		for (unsigned int run = 0; run < runs[id] && run < MAX_RUNS; run++) {
			const struct entry_state *e = &entries[id][run];

			expect_eq(e->apic_id, id, "vCPU %u start %u: APIC ID", id, run + 1);
			if (e->how != BY_SIPI)
				continue;
			/* INIT resets all but the ID and the mode (SDM §11.4.7.3). */
			expect_eq(e->svr, APIC_SVR_RESET, "vCPU %u start %u by SIPI: SVR after "
				  "INIT (was 0x%x)", id, run + 1, DIRTY_SVR);
			expect_eq(e->tpr, 0, "vCPU %u start %u by SIPI: TPR after INIT (was 0x%x)",
				  id, run + 1, DIRTY_TPR);
			expect_eq(e->lvt_timer, LVT_RESET, "vCPU %u start %u by SIPI: LVT timer "
				  "after INIT (was 0x%x)", id, run + 1, DIRTY_LVT_TIMER);
		}
	}
}

static void step8_arrival_state(void)
{
	uint32_t signature = cpuid(1).eax;

	for (unsigned int i = 0; i < nr_arrivals; i++)
		check_arrival_state(&arrivals[i], signature);
	check_entry_states();
	printf(NAME ": step 8: %u SIPI arrivals in the INIT state (real mode, EDX 0x%x, IDTR "
	       "0/0xffff); the APIC reset by each INIT\n", nr_arrivals, signature);
}

int guest_main(void)
{
	check_name = NAME;
	irq_init();
	clock_init();
	hvk = platform_has_hypercalls();
	nr_cpus = hvk ? smp_count_vcpus() : cmdline_number("cpus", 1);
	expect_eq(nr_cpus, CPUS, "vCPUs (run with --cpus %u, natively -smp %u -append cpus=%u)",
		  CPUS, CPUS, CPUS);
	lapic_reset_for_test();
	sipi_setup();
	printf(NAME ": platform %s, %u vCPUs, trampoline at 0x%x\n", platform_name(), nr_cpus,
	       sipi_page());
	step1_sipi_starts();
	step2_vcpuop_start();
	step3_ignored();
	step4_init_then_vcpuop();
	step5_sipi_after_vcpuop();
	step6_x2apic();
	step7_broadcast();
	step8_arrival_state();
	printf(NAME ": all checks passed (%lu)\n", checks_passed);
	return 0;
}
