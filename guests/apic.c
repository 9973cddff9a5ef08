/* SPDX-License-Identifier: MIT */
/*
 * apic (64-bit) / apic32: the local APIC as the Intel SDM (Vol. 3A ch. 11)
 * describes it, written so that it passes on a real local APIC too.  Run
 * with `hvk run [--cpus N] apic.elf` (N <= 8); natively (QEMU) with
 * `-smp N -append cpus=N`.  On hvk N is counted by VCPUOP_is_up and the APs
 * start by VCPUOP_initialise/up; natively by INIT-SIPI-SIPI (lib/sipi.h).
 *
 *   1. Features: CPUID.1 APIC, x2APIC, TSC-deadline (hvk must offer all),
 *      CPUID.1:EBX[31:24] = the APIC ID on every vCPU, the state after reset
 *      (hvk: vCPU 0 at the PVH entry; every AP at its first start), the
 *      timer's rate: on hvk HVK_APIC_BUS_HZ (abi/hvk_guest.h), measured
 *      against the pvclock; elsewhere measured and then used.
 *   2. For xAPIC mode, then (if CPUID has it) x2APIC mode:
 *      registers (ID = vCPU id, version, LDR, DFR, TPR, divide), the
 *      self-IPI (ICR shorthand self, physical self, x2APIC SELF_IPI MSR),
 *      IRR coalescing, one more queued behind the one in service, priority
 *      (TPR blocks a class in IRR with PPR = TPR, lowering TPR delivers,
 *      highest vector first, a higher class nests, the same or a lower
 *      class waits for EOI, EOI clears the highest ISR bit, PPR rules),
 *      the timer (one-shot at divide 1 and 16, periodic, masked: counts to
 *      0 with no IRR bit, TSC-deadline: fires at or after the deadline,
 *      clears the MSR, past deadline at once, 0 and a mode change disarm,
 *      the MSR ignored outside that mode, the counters ignored inside it),
 *      and with N >= 2 IPIs between vCPUs: fixed to each physical ID,
 *      broadcast ID, logical flat/cluster (xAPIC) and cluster (x2APIC)
 *      destinations, nobody's logical ID, lowest priority (xAPIC: exactly
 *      one of the set), NMI to a vCPU with IF = 0, all-including-self and
 *      all-but-self.
 *   3. The #GPs: x2APIC MSRs in xAPIC mode; in x2APIC mode the read-only
 *      registers (ID, version, LDR, PPR, ISR, TMR, IRR, current count),
 *      write-only ones (EOI, SELF_IPI) read, DFR/APR/RRD/ICR-high and other
 *      reserved MSRs, non-zero ESR and EOI writes, reserved bits (TPR
 *      31:8, SELF_IPI 31:8, bit 32 of a 32-bit register, ICR bit 20).
 *      These need a CPU that faults on unknown MSRs: QEMU 7.2's TCG does
 *      not (probed with MSR 0x12345678), so natively they are skipped there.
 *   4. IA32_APIC_BASE (SDM §11.12.5): x2APIC -> xAPIC, EXTD without EN,
 *      disabled -> x2APIC and reserved bit 9 all #GP; x2APIC -> disabled
 *      clears CPUID.1:EDX[9] and takes the x2APIC MSRs away; disabled ->
 *      xAPIC keeps the ID and works again.
 *
 * Timing bounds (clock.h): with the pvclock (hvk) an event of T must come
 * after T - 1% - 50 us and before T + 50% + 100 ms (room for nested
 * emulation); with the PIT-calibrated TSC (native) after 90% of T and
 * before 3 T + 100 ms.  A late measurement is taken again up to 3 times (a
 * loaded host can hold an emulated vCPU back); an early one fails at once.
 * Ends with "apic: all checks passed" (power off).
 */
#include <abi/hvk_guest.h>
#include <abi/xen/errno.h>
#include <abi/xen/sched.h>
#include <abi/xen/vcpu.h>

#include "clock.h"
#include "guest.h"
#include "irq.h"
#include "lapic.h"
#include "sipi.h"

#ifdef __x86_64__
#define NAME "apic"
#else
#define NAME "apic32"
#endif

#define MAX_CPUS                8
#define AP_STACK_SIZE           8192
#define WAIT_NS                 (5 * NS_PER_SEC)        /* only a failure waits this long */
#define SETTLE_NS               (20 * NS_PER_MS)        /* for "nothing else happened" */

/* Vectors: the class (bits 7:4) decides priority (SDM §11.8.3). */
#define IPI_VECTOR              0xe0
#define NOBODY_VECTOR           0xe8
#define TIMER_VECTOR            0xd0
#define COALESCE_VECTOR         0x60
#define REQUEUE_VECTOR          0x61

#define UNKNOWN_MSR             0x12345678u
#define CPUID1_EBX_APIC_ID(ebx) ((ebx) >> 24)

static unsigned int nr_cpus;
static uint64_t timer_hz;               /* APIC timer ticks per second at divide by 1 */
static bool strict_msrs;                /* unknown MSRs #GP on this CPU */

/* ---- waiting, timing ---- */

static void relax(void)
{
	cpu_relax();
	if (platform_has_hypercalls() && nr_cpus > 1)
		hc_sched_op(XEN_SCHEDOP_YIELD, 0);     /* let the host run the other vCPUs */
}

#define WAIT_UNTIL(cond, ns) ({						\
	uint64_t end_ = clock_ns() + (ns);				\
	bool ok_;							\
	while (!(ok_ = (cond)) && clock_ns() < end_)			\
		relax();						\
	ok_;								\
})

/* Interrupt windows for `ns`, on this vCPU. */
static void pump_interrupts(uint64_t ns)
{
	uint64_t end = clock_ns() + ns;

	do
		irq_window();
	while (clock_ns() < end);
}

/* Interrupt windows until vector's count reaches `want` (or WAIT_NS). */
static bool take_until(unsigned int vector, unsigned long want)
{
	uint64_t end = clock_ns() + WAIT_NS;

	while (irq_count[vector] < want && clock_ns() < end)
		irq_window();
	return irq_count[vector] >= want;
}

static unsigned long long us(uint64_t ns)
{
	return (unsigned long long)(ns / NS_PER_US);
}

/* See the header: tight with the pvclock, loose with the emulated TSC. */
static uint64_t duration_lo(uint64_t want)
{
	if (clock_is_pvclock())
		return want > want / 100 + 50 * NS_PER_US ? want - want / 100 - 50 * NS_PER_US : 0;
	return want / 10 * 9;
}

static uint64_t duration_hi(uint64_t want)
{
	if (clock_is_pvclock())
		return want + want / 2 + 100 * NS_PER_MS;
	return 3 * want + 100 * NS_PER_MS;
}

static void expect_duration(uint64_t got, uint64_t want, const char *what)
{
	uint64_t lo = duration_lo(want), hi = duration_hi(want);

	expect_true(got >= lo && got <= hi, "%s took %llu us, expected %llu us "
		    "(between %llu and %llu by the %s)", what, us(got), us(want), us(lo),
		    us(hi), clock_name());
}

/*
 * An early event is always the APIC's fault; a late one may be the host's
 * (an emulator's thread descheduled for 100 ms, the vCPU not running when
 * its interrupt came -- seen under nested TCG on a loaded host).  A timer
 * measurement that came late, or whose vCPU was away past the deadline
 * before a check of the armed state, is taken again, up to LATE_RETRIES
 * times; only the last one decides.
 */
#define LATE_RETRIES            3
static unsigned int late_retries;

static bool again_if_late(bool late, unsigned int *attempt)
{
	if (!late || *attempt >= LATE_RETRIES)
		return false;
	(*attempt)++;
	late_retries++;
	lapic_timer_stop();
	pump_interrupts(NS_PER_MS);     /* whatever the late timer left in IRR */
	return true;
}

/* ---- interrupt bookkeeping ---- */

static volatile unsigned long ipi_hits[MAX_CPUS];       /* IPI_VECTOR, by APIC ID */
static volatile unsigned long nmi_hits[MAX_CPUS];
static volatile unsigned long nobody_hits;
static volatile unsigned int order_log[16];
static volatile unsigned int order_len;

static unsigned int my_cpu(void)
{
	unsigned int id = lapic_id();

	if (id >= MAX_CPUS)
		guest_fail(NAME ": an interrupt on APIC ID %u, beyond the %u vCPUs", id, nr_cpus);
	return id;
}

static void ipi_handler(struct irq_frame *f)
{
	(void)f;
	__atomic_add_fetch(&ipi_hits[my_cpu()], 1, __ATOMIC_SEQ_CST);
	lapic_eoi();
}

/*
 * check_nmi_latched(): how deep NMIs nest, a handler that waits, and how
 * many turns of AP 1's loop (nmi_loop_turns) ran between the first
 * handler's IRET and the second NMI.
 */
static volatile unsigned int nmi_depth, nmi_max_depth;
static volatile bool nmi_hold, nmi_held;
static volatile unsigned long nmi_loop_turns, nmi_first_iret_turns, nmi_second_turns;

static void nmi_handler(struct irq_frame *f)
{
	unsigned int depth = __atomic_add_fetch(&nmi_depth, 1, __ATOMIC_SEQ_CST);
	bool held = nmi_hold && my_cpu() == 1;

	(void)f;
	if (depth > nmi_max_depth)
		nmi_max_depth = depth;
	if (!held)
		nmi_second_turns = nmi_loop_turns;
	if (held) {
		nmi_held = true;
		while (nmi_hold)
			cpu_relax();
		nmi_first_iret_turns = nmi_loop_turns;
	}
	__atomic_add_fetch(&nmi_hits[my_cpu()], 1, __ATOMIC_SEQ_CST);
	__atomic_sub_fetch(&nmi_depth, 1, __ATOMIC_SEQ_CST);
}

static void nobody_handler(struct irq_frame *f)
{
	(void)f;
	__atomic_add_fetch(&nobody_hits, 1, __ATOMIC_SEQ_CST);
	lapic_eoi();
}

static void log_vector(unsigned int v)
{
	unsigned int i = order_len;

	if (i < sizeof(order_log) / sizeof(order_log[0]))
		order_log[i] = v;
	order_len = i + 1;
}

static void logging_handler(struct irq_frame *f)
{
	log_vector(f->vector);
	lapic_eoi();
}

/* ---- the state after reset (SDM §11.4.7.1; §11.12.5.1 for x2APIC parts) ---- */

struct reset_state {
	uint64_t apic_base;
	uint32_t svr, tpr, ldr, dfr, lvt_timer, lvt_lint0, lvt_lint1, lvt_error;
	uint32_t timer_initial, timer_divide;
	int isr_highest, irr_highest;
};

static void record_reset_state(struct reset_state *r)
{
	r->apic_base = rdmsr(MSR_APIC_BASE);
	r->svr = xapic_read(APIC_SVR);
	r->tpr = xapic_read(APIC_TPR);
	r->ldr = xapic_read(APIC_LDR);
	r->dfr = xapic_read(APIC_DFR);
	r->lvt_timer = xapic_read(APIC_LVT_TIMER);
	r->lvt_lint0 = xapic_read(APIC_LVT_LINT0);
	r->lvt_lint1 = xapic_read(APIC_LVT_LINT1);
	r->lvt_error = xapic_read(APIC_LVT_ERROR);
	r->timer_initial = xapic_read(APIC_TIMER_INITIAL);
	r->timer_divide = xapic_read(APIC_TIMER_DIVIDE);
	r->isr_highest = lapic_highest_vector(APIC_ISR);
	r->irr_highest = lapic_highest_vector(APIC_IRR);
}

static void check_reset_state(const struct reset_state *r, unsigned int id, const char *when)
{
	uint64_t want_base = APIC_DEFAULT_BASE | APIC_BASE_EN | (id == 0 ? APIC_BASE_BSP : 0);

	expect_eq(r->apic_base, want_base, "vCPU %u %s: IA32_APIC_BASE", id, when);
	expect_eq(r->svr, APIC_SVR_RESET, "vCPU %u %s: SVR (software-disabled, vector 0xff)",
		  id, when);
	expect_eq(r->tpr, 0, "vCPU %u %s: TPR", id, when);
	expect_eq(r->ldr, 0, "vCPU %u %s: LDR", id, when);
	expect_eq(r->dfr, APIC_DFR_FLAT, "vCPU %u %s: DFR (all ones)", id, when);
	expect_eq(r->lvt_timer, LVT_RESET, "vCPU %u %s: LVT timer (masked)", id, when);
	expect_eq(r->lvt_lint0, LVT_RESET, "vCPU %u %s: LVT LINT0 (masked)", id, when);
	expect_eq(r->lvt_lint1, LVT_RESET, "vCPU %u %s: LVT LINT1 (masked)", id, when);
	expect_eq(r->lvt_error, LVT_RESET, "vCPU %u %s: LVT error (masked)", id, when);
	expect_eq(r->timer_initial, 0, "vCPU %u %s: timer initial count", id, when);
	expect_eq(r->timer_divide, 0, "vCPU %u %s: timer divide configuration", id, when);
	expect_eq(r->isr_highest, -1, "vCPU %u %s: highest ISR vector (none)", id, when);
	expect_eq(r->irr_highest, -1, "vCPU %u %s: highest IRR vector (none)", id, when);
}

/* ---- the APs: a command loop with interrupts on ---- */

enum ap_cmd {
	AP_CMD_RESET_APIC,      /* lapic_reset_for_test() */
	AP_CMD_SET_MODE,        /* arg0: enum lapic_mode */
	AP_CMD_SET_LOGICAL,     /* xAPIC: arg0 DFR, arg1 LDR */
	AP_CMD_CLI_UNTIL_NMI,   /* IF = 0 until this vCPU takes arg0 NMIs */
	AP_CMD_REPORT_LDR,      /* result = LDR */
	AP_CMD_REPORT_ID,       /* result = APIC ID */
};

struct ap_slot {
	volatile unsigned int seq, done;
	volatile enum ap_cmd cmd;
	volatile uint32_t arg0, arg1, result;
	volatile bool ready;
	volatile bool cli_seen;         /* IF was 0 when the NMI came */
	struct reset_state reset;       /* as the AP found its APIC */
	uint32_t apic_id, cpuid_apic_id;
};

static struct ap_slot ap_slots[MAX_CPUS];
static uint8_t ap_stacks[MAX_CPUS][AP_STACK_SIZE] __attribute__((aligned(16)));

static void ap_run(struct ap_slot *s, unsigned int id)
{
	unsigned long before;

	switch (s->cmd) {
	case AP_CMD_RESET_APIC:
		lapic_reset_for_test();
		break;
	case AP_CMD_SET_MODE:
		lapic_set_mode(s->arg0);
		lapic_reset_for_test();
		break;
	case AP_CMD_SET_LOGICAL:
		xapic_write(APIC_DFR, s->arg0);
		xapic_write(APIC_LDR, s->arg1);
		break;
	case AP_CMD_CLI_UNTIL_NMI:
		before = nmi_hits[id];
		irq_disable();
		s->result = 1;                  /* tells the BSP IF is 0 now */
		while (nmi_hits[id] - before < s->arg0) {
			nmi_loop_turns++;
			cpu_relax();
		}
		s->cli_seen = !irq_enabled();
		irq_enable();
		break;
	case AP_CMD_REPORT_LDR:
		s->result = lapic_read(APIC_LDR);
		break;
	case AP_CMD_REPORT_ID:
		s->result = lapic_id();
		break;
	}
}

static void ap_main(unsigned int id, unsigned long arg)
{
	struct ap_slot *s = &ap_slots[id];

	(void)arg;
	record_reset_state(&s->reset);
	s->apic_id = lapic_id();
	s->cpuid_apic_id = CPUID1_EBX_APIC_ID(cpuid(1).ebx);
	lapic_reset_for_test();
	irq_enable();
	s->ready = true;
	for (;;) {
		unsigned int seq = s->seq;

		if (seq != s->done) {
			ap_run(s, id);
			__atomic_store_n(&s->done, seq, __ATOMIC_SEQ_CST);
		}
		relax();        /* vCPU 0's timer checks need the host CPU */
	}
}

/* Runs a command on AP `id` and waits for it to finish. */
static uint32_t ap_command(unsigned int id, enum ap_cmd cmd, uint32_t arg0, uint32_t arg1)
{
	struct ap_slot *s = &ap_slots[id];
	unsigned int seq = s->seq + 1;

	s->cmd = cmd;
	s->arg0 = arg0;
	s->arg1 = arg1;
	s->result = 0;
	__atomic_store_n(&s->seq, seq, __ATOMIC_SEQ_CST);
	expect_true(WAIT_UNTIL(s->done == seq, WAIT_NS), "AP %u did not finish command %u", id,
		    cmd);
	return s->result;
}

static void start_ap(unsigned int id)
{
	void *top = ap_stacks[id] + AP_STACK_SIZE;

	if (platform_has_hypercalls()) {
		struct xen_vcpu_hvm_context ctx;

		smp_ap_context(&ctx, id, ap_main, 0, top);
		expect_eq(hc_vcpu_op(XEN_VCPUOP_INITIALISE, id, &ctx), 0, "initialise(%u)", id);
		expect_eq(hc_vcpu_op(XEN_VCPUOP_UP, id, 0), 0, "up(%u)", id);
	} else {
		expect_true(sipi_start_ap(id, ap_main, 0, top),
			    "AP %u did not arrive after INIT-SIPI-SIPI", id);
	}
	expect_true(WAIT_UNTIL(ap_slots[id].ready, WAIT_NS), "AP %u did not start", id);
}

static void start_aps(void)
{
	for (unsigned int id = 1; id < nr_cpus; id++) {
		start_ap(id);
		check_reset_state(&ap_slots[id].reset, id, "at its first start");
		expect_eq(ap_slots[id].apic_id, id, "APIC ID of vCPU %u", id);
		expect_eq(ap_slots[id].cpuid_apic_id, id, "CPUID.1:EBX[31:24] on vCPU %u", id);
	}
	if (nr_cpus > 1)
		printf(NAME ": %u APs started (%s), each with its APIC ID, CPUID initial ID "
		       "and reset state\n", nr_cpus - 1,
		       platform_has_hypercalls() ? "VCPUOP_initialise/up" : "INIT-SIPI-SIPI");
}

static void all_aps(enum ap_cmd cmd, uint32_t arg0, uint32_t arg1)
{
	for (unsigned int id = 1; id < nr_cpus; id++)
		ap_command(id, cmd, arg0, arg1);
}

/* ---- 1. features, the timer's rate ---- */

static void check_features(void)
{
	bool hvk = platform.kind == PLATFORM_HVK;
	uint64_t v;

	expect_true(cpu_has_apic(), "CPUID.1:EDX[9] (APIC) is clear");
	if (hvk) {
		expect_true(cpu_has_x2apic(), "hvk: CPUID.1:ECX[21] (x2APIC) is clear");
		expect_true(cpu_has_tsc_deadline(), "hvk: CPUID.1:ECX[24] (TSC-deadline) is clear");
	}
	expect_eq(CPUID1_EBX_APIC_ID(cpuid(1).ebx), 0, "CPUID.1:EBX[31:24] on vCPU 0");
	strict_msrs = msr_read_faults(UNKNOWN_MSR, &v);
	if (platform_has_hypercalls())
		expect_true(strict_msrs, "RDMSR 0x%x (no such MSR) did not raise #GP", UNKNOWN_MSR);
	printf(NAME ": platform %s, %u vCPU%s, x2APIC %s, TSC-deadline %s, #GP for unknown "
	       "MSRs %s\n", platform_name(), nr_cpus, nr_cpus > 1 ? "s" : "",
	       cpu_has_x2apic() ? "yes" : "no (skipped)",
	       cpu_has_tsc_deadline() ? "yes" : "no (skipped)",
	       strict_msrs ? "yes" : "no (those checks skipped: QEMU TCG?)");
}

/*
 * The current count and when it was read: between two clock reads at most
 * 200 us apart, retried (for up to 1 s) if the vCPU was away in between.
 */
static uint32_t read_current_count_at(uint64_t *when)
{
	uint64_t a, b, give_up = clock_ns() + NS_PER_SEC;
	uint32_t count;

	do {
		a = clock_ns();
		count = lapic_read(APIC_TIMER_CURRENT);
		b = clock_ns();
	} while (b - a > 200 * NS_PER_US && b < give_up);
	*when = a + (b - a) / 2;
	return count;
}

/* Current-count ticks per second at divide by 1, against the clock, over 100 ms. */
static uint64_t measure_timer_hz(void)
{
	uint64_t t0, t1;
	uint32_t c0, c1;

	lapic_timer_start(LVT_MASKED | LVT_TIMER_ONESHOT, APIC_DIVIDE_1, 0xffffffffu);
	c0 = read_current_count_at(&t0);
	clock_delay_ns(100 * NS_PER_MS);
	c1 = read_current_count_at(&t1);
	lapic_timer_stop();
	return (uint64_t)(c0 - c1) * NS_PER_SEC / (t1 - t0);
}

static void find_timer_rate(void)
{
	uint64_t measured = measure_timer_hz();

	if (platform.kind == PLATFORM_HVK) {
		expect_true(measured > HVK_APIC_BUS_HZ / 100 * 95 &&
			    measured < HVK_APIC_BUS_HZ / 100 * 105,
			    "the APIC timer counts %llu Hz at divide 1, expected HVK_APIC_BUS_HZ "
			    "= %llu (within 5%%)", (unsigned long long)measured,
			    (unsigned long long)HVK_APIC_BUS_HZ);
		timer_hz = HVK_APIC_BUS_HZ;
	} else {
		expect_true(measured > 0, "the APIC timer did not count");
		timer_hz = measured;
	}
	printf(NAME ": clock: %s, TSC %llu kHz; APIC timer %llu kHz measured, %llu kHz used\n",
	       clock_name(), (unsigned long long)(clock_tsc_hz() / 1000),
	       (unsigned long long)(measured / 1000), (unsigned long long)(timer_hz / 1000));
}

/* Initial count for `ns` at a divide-by value of `divisor`. */
static uint32_t timer_ticks(uint64_t ns, unsigned int divisor)
{
	return (uint32_t)(ns * (timer_hz / 1000) / NS_PER_MS / divisor);
}

/* ---- 2a. registers ---- */

static void check_registers(enum lapic_mode mode)
{
	const char *m = lapic_mode_name(mode);
	uint32_t version = lapic_read(APIC_VERSION), v;

	/* Version: 0x1X = integrated APIC; bits 23:16 = LVT entries - 1 (SDM §11.4.8). */
	expect_true((version & 0xf0) == 0x10, "%s: version register 0x%x: bits 7:4 not 1 "
		    "(integrated APIC)", m, version);
	expect_true((version >> 16 & 0xff) >= 3 && (version >> 16 & 0xff) <= 6,
		    "%s: version register 0x%x: max LVT entry %u, expected 3-6", m, version,
		    version >> 16 & 0xff);
	expect_eq(version & 0xfe00ff00u, 0, "%s: reserved bits of the version register 0x%x", m,
		  version);
	if (mode == LAPIC_XAPIC) {
		expect_eq(xapic_read(APIC_ID), 0, "xAPIC: ID register of vCPU 0 (bits 31:24)");
		xapic_write(APIC_VERSION, ~version);
		expect_eq(xapic_read(APIC_VERSION), version, "xAPIC: version after a write "
			  "(read-only)");
		/* LDR: bits 31:24 only; DFR: model in 31:28, 27:0 read as ones (SDM §11.6.2.2). */
		xapic_write(APIC_LDR, 0xffffffffu);
		expect_eq(xapic_read(APIC_LDR), 0xff000000u, "xAPIC: LDR after writing ~0");
		xapic_write(APIC_LDR, 0);
		xapic_write(APIC_DFR, 0);
		expect_eq(xapic_read(APIC_DFR), APIC_DFR_CLUSTER, "xAPIC: DFR after writing 0");
		xapic_write(APIC_DFR, APIC_DFR_FLAT);
		expect_eq(xapic_read(APIC_DFR), APIC_DFR_FLAT, "xAPIC: DFR after writing ~0");
		xapic_write(APIC_TPR, 0x1ff);
		expect_eq(xapic_read(APIC_TPR), 0xff, "xAPIC: TPR after writing 0x1ff (bits "
			  "31:8 reserved)");
		xapic_write(APIC_TPR, 0);
		/* Only bits 0, 1, 3 (in x2APIC mode the others would #GP). */
		xapic_write(APIC_TIMER_DIVIDE, 0xffffffffu);
		expect_eq(xapic_read(APIC_TIMER_DIVIDE), 0xb, "xAPIC: divide configuration after "
			  "writing ~0");
	}
	lapic_write(APIC_TIMER_DIVIDE, APIC_DIVIDE_16);
	expect_eq(lapic_read(APIC_TIMER_DIVIDE), APIC_DIVIDE_16, "%s: divide configuration", m);
	lapic_write(APIC_TIMER_DIVIDE, APIC_DIVIDE_1);
	lapic_write(APIC_SVR, APIC_SVR_ENABLE | APIC_SPURIOUS_VECTOR);
	expect_eq(lapic_read(APIC_SVR) & 0x1ff, 0x1ff, "%s: SVR", m);
	lapic_write(APIC_ESR, 0);
	v = lapic_read(APIC_ESR);
	expect_eq(v, 0, "%s: ESR after the write that latches it, nothing having gone wrong",
		  m);
	printf(NAME ": %s: version 0x%x, LDR/DFR/TPR/divide/SVR/ESR behave\n", m, version);
}

/* ---- 2b. self-IPIs ---- */

static void send_self(unsigned int how, unsigned int vector)
{
	switch (how) {
	case 0:
		lapic_self_ipi(vector);         /* shorthand self */
		break;
	case 1:
		lapic_send_ipi(ICR_FIXED | ICR_ASSERT | vector, lapic_id());
		break;
	default:
		x2apic_write(APIC_SELF_IPI, vector);
		break;
	}
}

static const char *const self_names[] = {
	"ICR shorthand self", "ICR physical own ID", "the SELF_IPI MSR",
};

static void check_self_ipis(enum lapic_mode mode)
{
	unsigned int ways = mode == LAPIC_X2APIC ? 3 : 2;
	const char *m = lapic_mode_name(mode);

	for (unsigned int how = 0; how < ways; how++) {
		unsigned int vector = 0x70 + how;
		unsigned long before = irq_count[vector];

		send_self(how, vector);
		/* IF = 0: the request waits in IRR (SDM §11.8.4). */
		expect_true(WAIT_UNTIL(lapic_vector_set(APIC_IRR, vector), WAIT_NS),
			    "%s: IRR bit 0x%x after a self-IPI by %s with IF = 0", m, vector,
			    self_names[how]);
		expect_eq(irq_count[vector], before, "%s: deliveries of 0x%x with IF = 0", m,
			  vector);
		expect_true(take_until(vector, before + 1), "%s: self-IPI 0x%x by %s was not "
			    "delivered once IF = 1", m, vector, self_names[how]);
		pump_interrupts(NS_PER_MS);
		expect_eq(irq_count[vector], before + 1, "%s: deliveries of self-IPI 0x%x by %s",
			  m, vector, self_names[how]);
		expect_true(!lapic_vector_set(APIC_IRR, vector) && !lapic_vector_set(APIC_ISR, vector),
			    "%s: IRR/ISR bit 0x%x left after delivery and EOI", m, vector);
	}
	if (mode == LAPIC_XAPIC) {
		uint32_t icr = ICR_SELF | ICR_FIXED | ICR_ASSERT | 0x72;

		lapic_send_ipi(icr, 0);
		expect_eq(xapic_read(APIC_ICR), icr, "xAPIC: ICR low read back after a self-IPI");
		take_until(0x72, irq_count[0x72] + 1);
	}
	printf(NAME ": %s: self-IPIs by %s wait in IRR with IF = 0, then arrive once\n", m,
	       ways == 3 ? "shorthand, own ID and SELF_IPI" : "shorthand and own ID");
}

/* Two requests while pending make one; one more behind the one in service. */
static volatile unsigned int requeue_sent;

static void requeue_handler(struct irq_frame *f)
{
	(void)f;
	if (!requeue_sent) {
		requeue_sent = 1;
		lapic_self_ipi(REQUEUE_VECTOR);        /* ISR and IRR both hold it */
		WAIT_UNTIL(lapic_vector_set(APIC_IRR, REQUEUE_VECTOR), WAIT_NS);
	}
	lapic_eoi();
}

static void check_coalescing(const char *m)
{
	unsigned long before = irq_count[COALESCE_VECTOR];

	lapic_self_ipi(COALESCE_VECTOR);
	lapic_self_ipi(COALESCE_VECTOR);
	WAIT_UNTIL(lapic_vector_set(APIC_IRR, COALESCE_VECTOR), WAIT_NS);
	take_until(COALESCE_VECTOR, before + 1);
	pump_interrupts(NS_PER_MS);
	expect_eq(irq_count[COALESCE_VECTOR], before + 1, "%s: deliveries of two self-IPIs "
		  "0x%x sent while the first waited in IRR (one IRR bit)", m, COALESCE_VECTOR);

	requeue_sent = 0;
	before = irq_count[REQUEUE_VECTOR];
	irq_set_handler(REQUEUE_VECTOR, requeue_handler);
	lapic_self_ipi(REQUEUE_VECTOR);
	take_until(REQUEUE_VECTOR, before + 2);
	pump_interrupts(NS_PER_MS);
	irq_set_handler(REQUEUE_VECTOR, 0);
	expect_eq(irq_count[REQUEUE_VECTOR], before + 2, "%s: deliveries of 0x%x when its "
		  "handler sends it again before EOI (ISR + IRR)", m, REQUEUE_VECTOR);
}

/* ---- 2c. priority: TPR, PPR, ISR, EOI (SDM §11.8.3) ---- */

static void check_tpr_blocks(const char *m)
{
	unsigned long before55 = irq_count[0x55], before65 = irq_count[0x65];

	lapic_write(APIC_TPR, 0x53);
	expect_eq(lapic_read(APIC_PPR), 0x53, "%s: PPR with TPR 0x53 and nothing in service", m);
	lapic_write(APIC_TPR, 0x50);
	lapic_self_ipi(0x55);
	pump_interrupts(2 * NS_PER_MS);
	expect_eq(irq_count[0x55], before55, "%s: deliveries of 0x55 (class 5) under TPR 0x50", m);
	expect_true(lapic_vector_set(APIC_IRR, 0x55), "%s: IRR bit 0x55 held under TPR 0x50", m);
	expect_eq(lapic_read(APIC_PPR), 0x50, "%s: PPR with TPR 0x50 and 0x55 waiting", m);
	lapic_self_ipi(0x65);
	expect_true(take_until(0x65, before65 + 1), "%s: 0x65 (class 6) not delivered under "
		    "TPR 0x50", m);
	expect_eq(irq_count[0x55], before55, "%s: deliveries of 0x55 under TPR 0x50, after 0x65",
		  m);
	lapic_write(APIC_TPR, 0x40);
	expect_true(take_until(0x55, before55 + 1), "%s: 0x55 not delivered after TPR went "
		    "from 0x50 to 0x40", m);
	expect_true(!lapic_vector_set(APIC_IRR, 0x55), "%s: IRR bit 0x55 after delivery", m);
	lapic_write(APIC_TPR, 0);
}

static void check_highest_first(const char *m)
{
	static const unsigned int want[] = { 0x7f, 0x6f, 0x5f };

	for (unsigned int v = 0; v < 3; v++)
		irq_set_handler(want[v], logging_handler);
	order_len = 0;
	lapic_self_ipi(0x5f);
	lapic_self_ipi(0x7f);
	lapic_self_ipi(0x6f);
	/* All three in IRR before the window opens: self-IPIs take a moment. */
	expect_true(WAIT_UNTIL(lapic_vector_set(APIC_IRR, 0x5f) && lapic_vector_set(APIC_IRR, 0x6f)
			       && lapic_vector_set(APIC_IRR, 0x7f), WAIT_NS),
		    "%s: self-IPIs 0x5f, 0x6f, 0x7f not all in IRR with IF = 0", m);
	expect_true(WAIT_UNTIL((irq_window(), order_len >= 3), WAIT_NS),
		    "%s: only %u of 3 pending self-IPIs delivered", m, order_len);
	for (unsigned int i = 0; i < 3; i++)
		expect_eq(order_log[i], want[i], "%s: pending 0x5f, 0x7f, 0x6f: delivery %u", m, i);
	for (unsigned int v = 0; v < 3; v++)
		irq_set_handler(want[v], 0);
}

/*
 * 0x40's handler sends 0x80 and opens a window: 0x80 (class 8) nests.
 * 0x80's handler sees both in ISR, PPR 0x80, and its EOI clears only 0x80.
 * Back in 0x40's handler, 0x45 (same class) and 0x3f (lower) wait in IRR
 * until 0x40's EOI; then 0x45 comes before 0x3f.
 */
#define LOG_END                 0x100   /* marks the end of 0x40's handler */

static volatile uint32_t nested_ppr_40, nested_ppr_80, nested_ppr_tpr_same;
static volatile bool nested_isr_both, nested_eoi_cleared_80, nested_40_still;
static volatile bool nested_waiting_45, nested_waiting_3f;

static void outer_handler(struct irq_frame *f)
{
	(void)f;
	log_vector(0x40);
	nested_ppr_40 = lapic_read(APIC_PPR);
	lapic_self_ipi(0x80);
	WAIT_UNTIL((irq_window(), order_len >= 2), WAIT_NS);      /* 0x80 nests here */
	lapic_self_ipi(0x45);
	lapic_self_ipi(0x3f);
	WAIT_UNTIL(lapic_vector_set(APIC_IRR, 0x45) && lapic_vector_set(APIC_IRR, 0x3f), WAIT_NS);
	pump_interrupts(2 * NS_PER_MS);
	nested_waiting_45 = lapic_vector_set(APIC_IRR, 0x45);
	nested_waiting_3f = lapic_vector_set(APIC_IRR, 0x3f);
	log_vector(0x40 | LOG_END);
	lapic_eoi();
}

static void inner_handler(struct irq_frame *f)
{
	(void)f;
	log_vector(0x80);
	nested_isr_both = lapic_vector_set(APIC_ISR, 0x80) && lapic_vector_set(APIC_ISR, 0x40) &&
			  lapic_highest_vector(APIC_ISR) == 0x80;
	nested_ppr_80 = lapic_read(APIC_PPR);
	lapic_write(APIC_TPR, 0x8c);            /* TPR class = ISRV class: PPR = TPR */
	nested_ppr_tpr_same = lapic_read(APIC_PPR);
	lapic_write(APIC_TPR, 0);
	lapic_eoi();
	nested_eoi_cleared_80 = !lapic_vector_set(APIC_ISR, 0x80);
	nested_40_still = lapic_vector_set(APIC_ISR, 0x40);
}

static void check_nesting(const char *m)
{
	static const unsigned int want[] = { 0x40, 0x80, 0x40 | LOG_END, 0x45, 0x3f };
	const unsigned int n = sizeof(want) / sizeof(want[0]);

	irq_set_handler(0x40, outer_handler);
	irq_set_handler(0x80, inner_handler);
	irq_set_handler(0x45, logging_handler);
	irq_set_handler(0x3f, logging_handler);
	order_len = 0;
	lapic_self_ipi(0x40);
	expect_true(WAIT_UNTIL((irq_window(), order_len >= n), WAIT_NS),
		    "%s: nesting: %u of %u handler events", m, order_len, n);
	for (unsigned int i = 0; i < n; i++)
		expect_eq(order_log[i], want[i], "%s: nesting: event %u (0x1xx = end of 0x40's "
			  "handler)", m, i);
	expect_eq(nested_ppr_40, 0x40, "%s: PPR in 0x40's handler", m);
	expect_true(nested_isr_both, "%s: ISR in 0x80's handler nested in 0x40's: expected 0x80 "
		    "(highest) and 0x40", m);
	expect_eq(nested_ppr_80, 0x80, "%s: PPR in 0x80's handler", m);
	expect_eq(nested_ppr_tpr_same, 0x8c, "%s: PPR with TPR 0x8c and 0x80 in service", m);
	expect_true(nested_eoi_cleared_80 && nested_40_still, "%s: EOI in 0x80's handler "
		    "cleared ISR 0x80: %d, left 0x40: %d", m, nested_eoi_cleared_80,
		    nested_40_still);
	expect_true(nested_waiting_45 && nested_waiting_3f, "%s: 0x45 (same class) and 0x3f "
		    "(lower) waiting in IRR during 0x40's handler: %d, %d", m,
		    nested_waiting_45, nested_waiting_3f);
	expect_eq(lapic_highest_vector(APIC_ISR), -1, "%s: ISR after all the EOIs", m);
	irq_set_handler(0x40, 0);
	irq_set_handler(0x80, 0);
	irq_set_handler(0x45, 0);
	irq_set_handler(0x3f, 0);
}

static void check_priority(enum lapic_mode mode)
{
	const char *m = lapic_mode_name(mode);

	check_coalescing(m);
	check_tpr_blocks(m);
	check_highest_first(m);
	check_nesting(m);
	lapic_eoi();                            /* nothing in service: no effect */
	expect_eq(lapic_read(APIC_PPR), 0, "%s: PPR at the end", m);
	printf(NAME ": %s: IRR coalescing and requeue, TPR/PPR, highest first, nesting, "
	       "EOI of the highest ISR bit\n", m);
}

/* ---- 2d. the timer (SDM §11.5.4) ---- */

static volatile uint64_t timer_fired_ns, timer_fired_tsc;

static void timer_handler(struct irq_frame *f)
{
	(void)f;
	timer_fired_tsc = rdtsc();
	timer_fired_ns = clock_ns();
	lapic_eoi();
}

/* Starts the timer at t0, waits with IF = 1 for `fires` more interrupts. */
static uint64_t time_fires(unsigned long fires, uint64_t t0, uint64_t limit_ns)
{
	unsigned long want = irq_count[TIMER_VECTOR] + fires;

	irq_enable();
	WAIT_UNTIL(irq_count[TIMER_VECTOR] >= want, limit_ns);
	irq_disable();
	expect_true(irq_count[TIMER_VECTOR] >= want, "the timer did not fire %lu time(s) "
		    "within %llu ms", fires, us(limit_ns) / 1000);
	return timer_fired_ns - t0;
}

static void check_oneshot(const char *m, unsigned int divide, unsigned int divisor)
{
	const uint64_t period = 20 * NS_PER_MS;
	uint32_t initial = timer_ticks(period, divisor), current;
	unsigned long fires;
	char what[48];
	uint64_t t0, read_at, got;
	unsigned int attempt = 0;

	snprintf(what, sizeof(what), "%s: a one-shot at divide by %u", m, divisor);
	do {
		t0 = clock_ns();
		lapic_timer_start(LVT_TIMER_ONESHOT | TIMER_VECTOR, divide, initial);
		current = lapic_read(APIC_TIMER_CURRENT);
		read_at = clock_ns();
		got = time_fires(1, t0, 100 * period + 5 * NS_PER_SEC);
	} while (again_if_late(got > duration_hi(period) ||
			       (current == 0 && read_at - t0 >= period), &attempt));
	expect_true(current > 0 && current <= initial, "%s: current count %u right after "
		    "starting a one-shot of %u", m, current, initial);
	expect_duration(got, period, what);
	fires = irq_count[TIMER_VECTOR];
	irq_enable();
	clock_delay_ns(2 * period);
	irq_disable();
	expect_eq(irq_count[TIMER_VECTOR], fires, "%s: one-shot fires after 2 more periods", m);
	expect_eq(lapic_read(APIC_TIMER_CURRENT), 0, "%s: current count after a one-shot", m);
	expect_eq(lapic_read(APIC_TIMER_INITIAL), initial, "%s: initial count after a one-shot",
		  m);
}

static void check_periodic(const char *m)
{
	const uint64_t period = 10 * NS_PER_MS;
	const unsigned long fires = 5;
	uint32_t initial = timer_ticks(period, 1), current;
	unsigned long stopped;
	unsigned int attempt = 0;
	uint64_t t0, got;

	do {
		t0 = clock_ns();
		lapic_timer_start(LVT_TIMER_PERIODIC | TIMER_VECTOR, APIC_DIVIDE_1, initial);
		got = time_fires(fires, t0, 100 * period + 5 * NS_PER_SEC);
	} while (again_if_late(got > duration_hi(fires * period), &attempt));
	expect_duration(got, fires * period, "5 periods of a periodic timer");
	current = lapic_read(APIC_TIMER_CURRENT);
	expect_true(current > 0 && current <= initial, "%s: periodic: current count %u after "
		    "5 periods, expected reloaded (1..%u)", m, current, initial);
	lapic_write(APIC_TIMER_INITIAL, 0);     /* stops it (SDM §11.5.4) */
	pump_interrupts(NS_PER_MS);
	stopped = irq_count[TIMER_VECTOR];
	irq_enable();
	clock_delay_ns(3 * period);
	irq_disable();
	expect_eq(irq_count[TIMER_VECTOR], stopped, "%s: periodic fires after initial count 0", m);
	lapic_timer_stop();
}

static void check_masked_timer(const char *m)
{
	const uint64_t period = 5 * NS_PER_MS;
	unsigned long before = irq_count[TIMER_VECTOR];

	lapic_timer_start(LVT_MASKED | LVT_TIMER_ONESHOT | TIMER_VECTOR, APIC_DIVIDE_1,
			  timer_ticks(period, 1));
	irq_enable();
	clock_delay_ns(4 * period);
	irq_disable();
	expect_eq(lapic_read(APIC_TIMER_CURRENT), 0, "%s: masked one-shot: current count "
		  "after 4 periods", m);
	expect_true(!lapic_vector_set(APIC_IRR, TIMER_VECTOR), "%s: masked timer set IRR bit "
		    "0x%x", m, TIMER_VECTOR);
	expect_eq(irq_count[TIMER_VECTOR], before, "%s: deliveries of a masked timer", m);
	lapic_timer_stop();
}

static uint64_t deadline_in(uint64_t ns)
{
	return rdtsc() + clock_ns_to_tsc(ns);
}

static void check_tsc_deadline(const char *m)
{
	const uint64_t period = 20 * NS_PER_MS;
	uint64_t deadline, t0, read_back, read_tsc, got;
	unsigned int attempt = 0;
	unsigned long before;

	do {
		lapic_write(APIC_LVT_TIMER, LVT_TIMER_TSC_DEADLINE | TIMER_VECTOR);
		lapic_write(APIC_TIMER_INITIAL, 12345);
		expect_eq(lapic_read(APIC_TIMER_CURRENT), 0, "%s: TSC-deadline mode: current "
			  "count (always 0)", m);
		t0 = clock_ns();
		deadline = deadline_in(period);
		wrmsr(MSR_TSC_DEADLINE, deadline);
		read_back = rdmsr(MSR_TSC_DEADLINE);
		read_tsc = rdtsc();
		got = time_fires(1, t0, 100 * period + 5 * NS_PER_SEC);
	} while (again_if_late(got > duration_hi(period) ||
			       (read_back == 0 && read_tsc >= deadline), &attempt));
	expect_eq(read_back == deadline, 1, "%s: IA32_TSC_DEADLINE reads back the armed "
		  "deadline", m);
	expect_duration(got, period, "a TSC deadline");
	expect_true(timer_fired_tsc >= deadline, "%s: TSC-deadline interrupt at TSC 0x%llx, "
		    "before the deadline 0x%llx", m, (unsigned long long)timer_fired_tsc,
		    (unsigned long long)deadline);
	expect_eq(rdmsr(MSR_TSC_DEADLINE) == 0, 1, "%s: IA32_TSC_DEADLINE is 0 after it fired",
		  m);

	attempt = 0;
	do {
		lapic_write(APIC_LVT_TIMER, LVT_TIMER_TSC_DEADLINE | TIMER_VECTOR);
		t0 = clock_ns();
		wrmsr(MSR_TSC_DEADLINE, 1);     /* long past */
		got = time_fires(1, t0, 5 * NS_PER_SEC);
	} while (again_if_late(got > duration_hi(0), &attempt));
	expect_duration(got, 0, "a TSC deadline in the past");

	before = irq_count[TIMER_VECTOR];
	wrmsr(MSR_TSC_DEADLINE, deadline_in(period));
	wrmsr(MSR_TSC_DEADLINE, 0);             /* disarms */
	pump_interrupts(2 * period);
	expect_eq(irq_count[TIMER_VECTOR], before, "%s: fires of a deadline disarmed by 0", m);

	wrmsr(MSR_TSC_DEADLINE, deadline_in(period));
	lapic_write(APIC_LVT_TIMER, LVT_TIMER_ONESHOT | TIMER_VECTOR);  /* disarms too */
	pump_interrupts(2 * period);
	expect_eq(irq_count[TIMER_VECTOR], before, "%s: fires after a switch from TSC-deadline "
		  "to one-shot mode", m);
	wrmsr(MSR_TSC_DEADLINE, deadline_in(period));
	expect_eq(rdmsr(MSR_TSC_DEADLINE) == 0, 1, "%s: IA32_TSC_DEADLINE in one-shot mode "
		  "(reads 0, writes ignored)", m);
	pump_interrupts(2 * period);
	expect_eq(irq_count[TIMER_VECTOR], before, "%s: fires of a deadline written in one-shot "
		  "mode", m);
	lapic_timer_stop();
}

static void check_timer(enum lapic_mode mode)
{
	const char *m = lapic_mode_name(mode);

	late_retries = 0;
	irq_set_handler(TIMER_VECTOR, timer_handler);
	check_oneshot(m, APIC_DIVIDE_1, 1);
	check_oneshot(m, APIC_DIVIDE_16, 16);
	check_periodic(m);
	check_masked_timer(m);
	if (cpu_has_tsc_deadline())
		check_tsc_deadline(m);
	irq_set_handler(TIMER_VECTOR, 0);
	printf(NAME ": %s: timer one-shot (divide 1, 16), periodic, masked%s in bounds by "
	       "the %s\n", m, cpu_has_tsc_deadline() ? ", TSC-deadline" : "", clock_name());
	if (late_retries)
		printf(NAME ": %s: %u timer measurement(s) came late and were taken again\n", m,
		       late_retries);
}

/* ---- 2e. IPIs between vCPUs ---- */

static void snapshot(unsigned long *copy, volatile unsigned long *hits)
{
	for (unsigned int i = 0; i < nr_cpus; i++)
		copy[i] = hits[i];
}

/*
 * Sends an IPI and checks that exactly the vCPUs in `want` (a bit per
 * APIC ID) took one more IPI_VECTOR (or NMI), vCPU 0 taking its own with
 * IF = 1.
 */
static void expect_ipi_to(uint32_t icr, uint32_t dest, uint32_t want, const char *what)
{
	volatile unsigned long *hits = (icr & ICR_DELIVERY_MASK) == ICR_NMI ? nmi_hits : ipi_hits;
	unsigned long before[MAX_CPUS];

	snapshot(before, hits);
	expect_true(lapic_send_ipi(icr, dest), "%s: ICR delivery status stayed busy", what);
	for (unsigned int id = 0; id < nr_cpus; id++) {
		bool got;

		if (!(want >> id & 1))
			continue;
		if (id == 0)            /* its own: only in an interrupt window */
			got = WAIT_UNTIL((irq_window(), hits[0] > before[0]), WAIT_NS);
		else
			got = WAIT_UNTIL(hits[id] > before[id], WAIT_NS);
		expect_true(got, "%s: vCPU %u got nothing", what, id);
	}
	irq_enable();
	clock_delay_ns(SETTLE_NS);
	irq_disable();
	for (unsigned int id = 0; id < nr_cpus; id++)
		expect_eq(hits[id] - before[id], want >> id & 1, "%s: IPIs taken by vCPU %u",
			  what, id);
}

static uint32_t all_cpus(void)
{
	return (1u << nr_cpus) - 1;
}

/* x2APIC logical ID (SDM §11.12.10.2): cluster = id >> 4, bit id & 15. */
static uint32_t x2apic_logical(unsigned int id)
{
	return (id >> 4) << 16 | 1u << (id & 15);
}

static unsigned long ap_hits_sum(void)
{
	unsigned long sum = 0;

	for (unsigned int id = 1; id < nr_cpus; id++)
		sum += ipi_hits[id];
	return sum;
}

/* Lowest priority to a logical set: exactly one of them takes it (SDM §11.6.2.4). */
static void check_lowest_priority(uint32_t aps)
{
	unsigned long before = ap_hits_sum(), bsp = ipi_hits[0];

	lapic_send_ipi(ICR_LOGICAL | ICR_LOWEST | ICR_ASSERT | IPI_VECTOR, aps);
	expect_true(WAIT_UNTIL(ap_hits_sum() > before, WAIT_NS), "xAPIC: lowest priority to "
		    "every AP's bit: none took it");
	irq_enable();
	clock_delay_ns(SETTLE_NS);
	irq_disable();
	expect_eq(ap_hits_sum() - before, 1, "xAPIC: lowest priority to every AP's bit: IPIs "
		  "taken by the APs together");
	expect_eq(ipi_hits[0], bsp, "xAPIC: lowest priority to the APs: IPIs taken by vCPU 0");
}

static void check_logical_xapic(void)
{
	uint32_t aps = all_cpus() & ~1u;

	/* Flat model: one bit of LDR[31:24] per vCPU (SDM §11.6.2.2). */
	xapic_write(APIC_DFR, APIC_DFR_FLAT);
	xapic_write(APIC_LDR, 1u << 24);
	for (unsigned int id = 1; id < nr_cpus; id++)
		ap_command(id, AP_CMD_SET_LOGICAL, APIC_DFR_FLAT, 1u << (24 + id));
	expect_ipi_to(ICR_LOGICAL | ICR_FIXED | ICR_ASSERT | IPI_VECTOR, aps, aps,
		      "xAPIC: logical flat, every AP's bit");
	expect_ipi_to(ICR_LOGICAL | ICR_FIXED | ICR_ASSERT | IPI_VECTOR, 1u << 1, 1u << 1,
		      "xAPIC: logical flat, AP 1's bit");
	if (nr_cpus < 8)
		expect_ipi_to(ICR_LOGICAL | ICR_FIXED | ICR_ASSERT | NOBODY_VECTOR, 1u << 7, 0,
			      "xAPIC: logical flat, bit 7 (nobody's)");
	check_lowest_priority(aps);
	/* Cluster model: cluster in LDR[31:28], a bit in 27:24; all in cluster 1. */
	xapic_write(APIC_DFR, APIC_DFR_CLUSTER);
	xapic_write(APIC_LDR, 0x11u << 24);
	for (unsigned int id = 1; id < nr_cpus && id < 4; id++)
		ap_command(id, AP_CMD_SET_LOGICAL, APIC_DFR_CLUSTER, (0x10u | 1u << id) << 24);
	expect_ipi_to(ICR_LOGICAL | ICR_FIXED | ICR_ASSERT | IPI_VECTOR, 0x10 | (aps & 0xe),
		      aps & 0xe, "xAPIC: logical cluster 1, APs 1-3");
	expect_ipi_to(ICR_LOGICAL | ICR_FIXED | ICR_ASSERT | NOBODY_VECTOR, 0x2f, 0,
		      "xAPIC: logical cluster 2 (nobody's)");
	xapic_write(APIC_DFR, APIC_DFR_FLAT);
	xapic_write(APIC_LDR, 0);
	all_aps(AP_CMD_SET_LOGICAL, APIC_DFR_FLAT, 0);
}

static void check_logical_x2apic(void)
{
	uint32_t aps = all_cpus() & ~1u, dest = 0;

	for (unsigned int id = 1; id < nr_cpus; id++) {
		expect_eq(ap_command(id, AP_CMD_REPORT_ID, 0, 0), id, "x2APIC: ID of vCPU %u", id);
		expect_eq(ap_command(id, AP_CMD_REPORT_LDR, 0, 0), x2apic_logical(id),
			  "x2APIC: LDR of vCPU %u", id);
		dest |= x2apic_logical(id);     /* all in cluster 0 (ids < 16) */
	}
	expect_ipi_to(ICR_LOGICAL | ICR_FIXED | ICR_ASSERT | IPI_VECTOR, dest, aps,
		      "x2APIC: logical cluster 0, every AP's bit");
	expect_ipi_to(ICR_LOGICAL | ICR_FIXED | ICR_ASSERT | IPI_VECTOR, x2apic_logical(1),
		      1u << 1, "x2APIC: logical, AP 1");
	expect_ipi_to(ICR_LOGICAL | ICR_FIXED | ICR_ASSERT | NOBODY_VECTOR, 5u << 16 | 0xffff, 0,
		      "x2APIC: logical cluster 5 (nobody's)");
}

static void check_nmi_ipi(const char *m)
{
	struct ap_slot *s = &ap_slots[1];
	unsigned long before = nmi_hits[1];
	unsigned int seq = s->seq + 1;

	/* AP 1 with IF = 0: an NMI still comes (SDM §6.7.1). */
	s->cmd = AP_CMD_CLI_UNTIL_NMI;
	s->arg0 = 1;
	s->result = 0;
	__atomic_store_n(&s->seq, seq, __ATOMIC_SEQ_CST);
	expect_true(WAIT_UNTIL(s->result == 1, WAIT_NS), "%s: AP 1 did not disable interrupts",
		    m);
	lapic_send_ipi(ICR_NMI | ICR_ASSERT, 1);
	expect_true(WAIT_UNTIL(s->done == seq, WAIT_NS), "%s: NMI IPI to AP 1 with IF = 0 did "
		    "not arrive", m);
	expect_eq(nmi_hits[1] - before, 1, "%s: NMIs taken by AP 1", m);
	expect_true(s->cli_seen, "%s: AP 1 had IF = 1 when its NMI came", m);
	expect_eq(nmi_hits[0], 0, "%s: NMIs taken by vCPU 0", m);
}

/*
 * An NMI that arrives while the handler of the previous one runs is held
 * until that handler's IRET, then taken: never nested (SDM §6.7.1).  The
 * interrupted code has IF = 0, so nothing but the IRET itself can tell the
 * hypervisor when to deliver the second one.
 */
static void check_nmi_latched(const char *m)
{
	struct ap_slot *s = &ap_slots[1];
	unsigned long before = nmi_hits[1];
	unsigned int seq = s->seq + 1;

	nmi_max_depth = 0;
	nmi_held = false;
	nmi_hold = true;
	s->cmd = AP_CMD_CLI_UNTIL_NMI;
	s->arg0 = 2;
	s->result = 0;
	__atomic_store_n(&s->seq, seq, __ATOMIC_SEQ_CST);
	expect_true(WAIT_UNTIL(s->result == 1, WAIT_NS), "%s: AP 1 did not disable interrupts",
		    m);
	lapic_send_ipi(ICR_NMI | ICR_ASSERT, 1);
	expect_true(WAIT_UNTIL(nmi_held, WAIT_NS), "%s: the first NMI did not reach AP 1", m);
	lapic_send_ipi(ICR_NMI | ICR_ASSERT, 1);
	clock_delay_ns(SETTLE_NS);      /* time enough to nest, were it allowed */
	nmi_hold = false;
	expect_true(WAIT_UNTIL(s->done == seq, WAIT_NS), "%s: the NMI sent while AP 1 was in "
		    "its NMI handler never arrived after that handler's IRET", m);
	expect_eq(nmi_hits[1] - before, 2, "%s: NMIs taken by AP 1", m);
	expect_eq(nmi_max_depth, 1, "%s: NMI handler nesting depth", m);
	/* Held NMIs are taken right after the IRET, not at some later exit. */
	expect_eq(nmi_second_turns - nmi_first_iret_turns, 0, "%s: turns of AP 1's loop "
		  "between its NMI handler's IRET and the held NMI", m);
}

static void check_ipis(enum lapic_mode mode)
{
	const char *m = lapic_mode_name(mode);
	uint32_t broadcast = mode == LAPIC_X2APIC ? APIC_X2APIC_BROADCAST : APIC_XAPIC_BROADCAST;
	char what[64];

	if (nr_cpus < 2)
		return;
	for (unsigned int id = 1; id < nr_cpus; id++) {
		snprintf(what, sizeof(what), "%s: fixed to physical ID %u", m, id);
		expect_ipi_to(ICR_FIXED | ICR_ASSERT | IPI_VECTOR, id, 1u << id, what);
	}
	expect_ipi_to(ICR_FIXED | ICR_ASSERT | NOBODY_VECTOR, 200, 0, mode == LAPIC_X2APIC ?
		      "x2APIC: fixed to physical ID 200 (nobody)" :
		      "xAPIC: fixed to physical ID 200 (nobody)");
	expect_ipi_to(ICR_FIXED | ICR_ASSERT | IPI_VECTOR, broadcast, all_cpus(),
		      mode == LAPIC_X2APIC ? "x2APIC: physical ID 0xffffffff (broadcast)" :
					     "xAPIC: physical ID 0xff (broadcast)");
	expect_ipi_to(ICR_ALL | ICR_FIXED | ICR_ASSERT | IPI_VECTOR, 0, all_cpus(),
		      mode == LAPIC_X2APIC ? "x2APIC: all including self" :
					     "xAPIC: all including self");
	expect_ipi_to(ICR_ALL_BUT_SELF | ICR_FIXED | ICR_ASSERT | IPI_VECTOR, 0,
		      all_cpus() & ~1u, mode == LAPIC_X2APIC ? "x2APIC: all but self" :
							       "xAPIC: all but self");
	if (mode == LAPIC_XAPIC) {
		check_logical_xapic();
	} else {
		check_logical_x2apic();
	}
	check_nmi_ipi(m);
	check_nmi_latched(m);
	expect_eq(nobody_hits, 0, "%s: IPIs to nobody taken by someone", m);
	printf(NAME ": %s: IPIs to each physical ID, broadcast, logical, shorthands, NMI with "
	       "IF = 0, an NMI held until the handler's IRET; none to absent IDs\n", m);
}

/* ---- 3. the #GPs (SDM §11.12.1.2-3, Table 11-6) ---- */

static void expect_rdmsr_gp(uint32_t msr, const char *what)
{
	unsigned long before = gp_caught;
	uint64_t v;
	bool faulted = msr_read_faults(msr, &v);

	expect_true(faulted, "RDMSR 0x%x (%s) did not raise #GP (read 0x%llx)", msr, what,
		    (unsigned long long)v);
	expect_eq(gp_caught, before + 1, "#GPs caught for RDMSR 0x%x", msr);
	expect_eq(gp_last_error_code, 0, "#GP error code of RDMSR 0x%x", msr);
}

static void expect_wrmsr_gp(uint32_t msr, uint64_t value, const char *what)
{
	expect_true(msr_write_faults(msr, value), "WRMSR 0x%x = 0x%llx (%s) did not raise #GP",
		    msr, (unsigned long long)value, what);
	expect_eq(gp_last_error_code, 0, "#GP error code of WRMSR 0x%x", msr);
}

static void expect_wrmsr_ok(uint32_t msr, uint64_t value, const char *what)
{
	expect_true(!msr_write_faults(msr, value), "WRMSR 0x%x = 0x%llx (%s) raised #GP", msr,
		    (unsigned long long)value, what);
}

/* In xAPIC mode the x2APIC MSRs do not exist (SDM §11.12.1.2). */
static void check_xapic_msr_faults(void)
{
	if (!strict_msrs)
		return;
	expect_rdmsr_gp(X2APIC_MSR(APIC_ID), "x2APIC ID in xAPIC mode");
	expect_rdmsr_gp(X2APIC_MSR(APIC_TPR), "x2APIC TPR in xAPIC mode");
	expect_rdmsr_gp(X2APIC_MSR(APIC_ICR), "x2APIC ICR in xAPIC mode");
	expect_wrmsr_gp(X2APIC_MSR(APIC_EOI), 0, "x2APIC EOI in xAPIC mode");
	expect_wrmsr_gp(X2APIC_MSR(APIC_SELF_IPI), 0x70, "SELF_IPI in xAPIC mode");
	expect_eq(lapic_vector_set(APIC_IRR, 0x70), 0, "IRR bit 0x70 after the refused SELF_IPI");
	expect_wrmsr_gp(MSR_APIC_BASE, rdmsr(MSR_APIC_BASE) | 1u << 9,
			"IA32_APIC_BASE with reserved bit 9");
	printf(NAME ": xAPIC: x2APIC MSRs and IA32_APIC_BASE bit 9 raise #GP\n");
}

struct x2apic_fault {
	unsigned int reg;
	bool write;             /* else read */
	uint64_t value;
	const char *what;
};

static const struct x2apic_fault x2apic_faults[] = {
	{ APIC_ID, true, 0, "ID is read-only" },
	{ APIC_VERSION, true, 0, "version is read-only" },
	{ APIC_PPR, true, 0, "PPR is read-only" },
	{ APIC_LDR, true, 0, "LDR is read-only in x2APIC mode" },
	{ APIC_ISR, true, 0, "ISR is read-only" },
	{ APIC_TMR, true, 0, "TMR is read-only" },
	{ APIC_IRR, true, 0, "IRR is read-only" },
	{ APIC_TIMER_CURRENT, true, 0, "current count is read-only" },
	{ APIC_EOI, false, 0, "EOI is write-only" },
	{ APIC_SELF_IPI, false, 0, "SELF_IPI is write-only" },
	{ APIC_DFR, false, 0, "no DFR in x2APIC mode" },
	{ APIC_DFR, true, APIC_DFR_FLAT, "no DFR in x2APIC mode" },
	{ APIC_APR, false, 0, "no APR in x2APIC mode" },
	{ APIC_RRD, false, 0, "no RRD in x2APIC mode" },
	{ APIC_ICR_HIGH, false, 0, "no ICR high half: the ICR is one MSR" },
	{ 0x000, false, 0, "reserved MSR 0x800" },
	{ 0x010, false, 0, "reserved MSR 0x801" },
	{ 0x040, false, 0, "reserved MSR 0x804" },
	{ 0x3c0, false, 0, "reserved MSR 0x83c" },
	{ APIC_EOI, true, 1, "non-zero EOI" },
	{ APIC_ESR, true, 1, "non-zero ESR" },
	{ APIC_TPR, true, 0x100, "TPR bits 31:8 are reserved" },
	{ APIC_TPR, true, 1ull << 32, "bits 63:32 of a 32-bit register are reserved" },
	{ APIC_SVR, true, 1ull << 32 | APIC_SVR_ENABLE | APIC_SPURIOUS_VECTOR,
	  "bits 63:32 of a 32-bit register are reserved" },
	{ APIC_SELF_IPI, true, 0x170, "SELF_IPI bits 31:8 are reserved" },
	{ APIC_ICR, true, 1u << 20 | ICR_SELF | ICR_ASSERT | 0x71, "ICR bit 20 is reserved" },
};

static void check_x2apic_faults(void)
{
	unsigned int n = sizeof(x2apic_faults) / sizeof(x2apic_faults[0]);
	unsigned long sent = irq_count[0x70] + irq_count[0x71];
	char what[96];

	for (unsigned int i = 0; i < n; i++) {
		const struct x2apic_fault *f = &x2apic_faults[i];

		snprintf(what, sizeof(what), "x2APIC: %s", f->what);
		if (f->write)
			expect_wrmsr_gp(X2APIC_MSR(f->reg), f->value, what);
		else
			expect_rdmsr_gp(X2APIC_MSR(f->reg), what);
	}
	pump_interrupts(NS_PER_MS);
	expect_eq(irq_count[0x70] + irq_count[0x71] - sent, 0, "x2APIC: interrupts sent by "
		  "the refused SELF_IPI/ICR writes");
	expect_eq(lapic_read(APIC_TPR), 0, "x2APIC: TPR after refused writes");
	expect_eq(lapic_read(APIC_SVR), APIC_SVR_ENABLE | APIC_SPURIOUS_VECTOR,
		  "x2APIC: SVR after a refused write");
	expect_wrmsr_ok(X2APIC_MSR(APIC_EOI), 0, "EOI of 0");
	expect_wrmsr_ok(X2APIC_MSR(APIC_ESR), 0, "ESR of 0");
	printf(NAME ": x2APIC: %u refused accesses raise #GP(0) and change nothing\n", n);
}

/* ID, LDR and version in x2APIC mode (SDM §11.12.2, §11.12.10.2). */
static void check_x2apic_registers(uint32_t xapic_version)
{
	/* Register state across xAPIC -> x2APIC is not defined (SDM §11.12.5.1). */
	lapic_reset_for_test();
	expect_eq(x2apic_read(APIC_ID), 0, "x2APIC: ID of vCPU 0 (32 bits)");
	expect_eq(x2apic_read(APIC_LDR), x2apic_logical(0), "x2APIC: LDR of vCPU 0");
	expect_eq(x2apic_read(APIC_VERSION), xapic_version, "x2APIC: version (same as in xAPIC "
		  "mode)");
	if (strict_msrs)
		check_x2apic_faults();
}

/* ---- 4. IA32_APIC_BASE transitions (SDM §11.12.5, Figure 11-27) ---- */

static void check_mode_transitions(void)
{
	uint64_t v;

	expect_wrmsr_gp(MSR_APIC_BASE, lapic_base_with_mode(LAPIC_XAPIC), "x2APIC -> xAPIC");
	expect_wrmsr_gp(MSR_APIC_BASE, lapic_base_with_mode(LAPIC_INVALID), "EXTD without EN");
	expect_eq(lapic_mode(), LAPIC_X2APIC, "mode after refused IA32_APIC_BASE writes");
	expect_wrmsr_ok(MSR_APIC_BASE, lapic_base_with_mode(LAPIC_DISABLED), "x2APIC -> disabled");
	expect_eq(lapic_mode(), LAPIC_DISABLED, "mode after clearing EN and EXTD");
	expect_true(!cpu_has_apic(), "CPUID.1:EDX[9] set while the APIC is globally disabled "
		    "(SDM §11.4.3)");
	expect_rdmsr_gp(X2APIC_MSR(APIC_ID), "x2APIC ID with the APIC disabled");
	expect_wrmsr_gp(MSR_APIC_BASE, lapic_base_with_mode(LAPIC_X2APIC), "disabled -> x2APIC");
	expect_wrmsr_gp(MSR_APIC_BASE, lapic_base_with_mode(LAPIC_INVALID), "EXTD without EN");
	expect_eq(lapic_mode(), LAPIC_DISABLED, "mode after refused IA32_APIC_BASE writes");
	expect_wrmsr_ok(MSR_APIC_BASE, lapic_base_with_mode(LAPIC_XAPIC), "disabled -> xAPIC");
	expect_eq(lapic_mode(), LAPIC_XAPIC, "mode after setting EN");
	expect_true(cpu_has_apic(), "CPUID.1:EDX[9] clear with the APIC enabled again");
	expect_eq(xapic_read(APIC_ID), 0, "xAPIC: ID of vCPU 0 after x2APIC -> disabled -> xAPIC");
	expect_true(msr_read_faults(X2APIC_MSR(APIC_ID), &v), "RDMSR 0x%x (x2APIC ID) did not "
		    "raise #GP in xAPIC mode again", X2APIC_MSR(APIC_ID));
	printf(NAME ": IA32_APIC_BASE: x2APIC -> xAPIC, EXTD without EN and disabled -> x2APIC "
	       "raise #GP; x2APIC -> disabled -> xAPIC works\n");
}

/* ---- the whole run in one mode ---- */

static void run_mode(enum lapic_mode mode)
{
	lapic_reset_for_test();
	if (nr_cpus > 1)
		all_aps(AP_CMD_RESET_APIC, 0, 0);
	check_registers(mode);
	check_self_ipis(mode);
	check_priority(mode);
	check_timer(mode);
	check_ipis(mode);
}

static void switch_to_x2apic(void)
{
	lapic_set_mode(LAPIC_X2APIC);
	expect_eq(lapic_mode(), LAPIC_X2APIC, "mode after setting EXTD");
	for (unsigned int id = 1; id < nr_cpus; id++)
		ap_command(id, AP_CMD_SET_MODE, LAPIC_X2APIC, 0);
}

int guest_main(void)
{
	struct reset_state reset;
	uint32_t xapic_version;

	check_name = NAME;
	irq_init();                             /* writes no APIC register */
	record_reset_state(&reset);
	clock_init();
	irq_set_handler(IPI_VECTOR, ipi_handler);
	irq_set_handler(VECTOR_NMI, nmi_handler);
	irq_set_handler(NOBODY_VECTOR, nobody_handler);
	nr_cpus = platform_has_hypercalls() ? smp_count_vcpus() : cmdline_number("cpus", 1);
	expect_eq(nr_cpus, cmdline_number("cpus", nr_cpus), "the vCPU count, against cpus=");
	expect_true(nr_cpus >= 1 && nr_cpus <= MAX_CPUS, "%u vCPUs: this guest takes 1 to %u",
		    nr_cpus, MAX_CPUS);
	check_features();
	expect_eq(lapic_mode(), LAPIC_XAPIC, "the APIC mode at the PVH entry");
	if (platform.kind == PLATFORM_HVK) {
		check_reset_state(&reset, 0, "at the PVH entry");
		printf(NAME ": vCPU 0: APIC in its reset state at the PVH entry\n");
	}
	find_timer_rate();
	start_aps();

	xapic_version = lapic_read(APIC_VERSION);
	run_mode(LAPIC_XAPIC);
	check_xapic_msr_faults();
	if (cpu_has_x2apic()) {
		switch_to_x2apic();
		check_x2apic_registers(xapic_version);
		run_mode(LAPIC_X2APIC);
		if (strict_msrs)
			check_mode_transitions();
	}
	printf(NAME ": all checks passed (%lu)\n", checks_passed);
	return 0;
}
