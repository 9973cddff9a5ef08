/* SPDX-License-Identifier: MIT */
/*
 * irq-storm (hostile): keeps the local APIC as busy as a guest can, in
 * every way it can, and must keep making progress: each phase is bounded
 * by the clock (lib/clock.h) and checks that its interrupt handlers ran
 * (at least 100 times where it counts them).
 * The hypervisor must survive it and stay killable: with `--cmdline
 * forever` the rounds never end and `hvk run --timeout 3` must still stop
 * the VM (exit 124), as Ctrl-C must.
 *
 * Each round, in xAPIC mode and then (if CPUID has it) in x2APIC mode:
 *   1. self-IPIs in a tight loop with IF = 1 for 200 ms (ICR shorthand
 *      self; in x2APIC mode also the SELF_IPI MSR), then a handler that
 *      sends itself again before its EOI, 5000 times or for 200 ms;
 *   2. a periodic timer at initial count 1000, divide 1 (1 us on hvk), then
 *      at initial count 1 (1 ns on hvk): its handler stops it after 1000
 *      ticks or 5 s (a CPU may never get back to the loop between ticks);
 *   3. IPIs to nobody, 500 of each or for 200 ms: physical ID 200 and
 *      logical IDs no vCPU has, as fixed, NMI, INIT and SIPI (and lowest
 *      priority in xAPIC mode): nothing may arrive anywhere;
 *   4. a SIPI to running vCPUs (itself by physical ID; AP 1 with --cpus 2
 *      or more) and INIT level de-assert to all: ignored, the AP's
 *      heartbeat goes on; with APs also 200 ms of fixed IPIs and of NMIs
 *      to AP 1, which must take some of each;
 *   5. garbage: pseudo-random values (xorshift64*, seed=N on the command
 *      line, default 1) to every xAPIC register offset 0x000-0x3f0 (0x010
 *      on natively, see garbage_xapic) or every MSR 0x800-0x8ff, each read
 *      back, #GPs counted, 3 times over; then
 *      the APIC is put back (SVR, TPR, LVTs, ID, LDR, DFR, ISR drained) and
 *      a self-IPI must arrive.
 *   Between the modes every vCPU goes x2APIC -> disabled -> xAPIC.
 *
 * So that the guest itself survives its garbage (not to spare the
 * hypervisor): vectors below 32 become 32-63 (16-31 would arrive as
 * exceptions; 0-15 are illegal, and QEMU delivers them anyway); an ICR of
 * a delivery mode other than fixed, lowest (xAPIC) and NMI goes to
 * physical ID 200 with no shorthand (an INIT to itself would end the
 * test), and the xAPIC ID never becomes 200; LVTs that have a delivery
 * mode keep only fixed and NMI.  The LVT timer and error entries keep
 * random reserved bits 10:8 on hvk, which must ignore them; natively they
 * are cleared, as QEMU 7.2 takes them for a delivery mode (INIT included).
 *
 * Ends with "irq-storm: survived (...)" and powers off.
 */
#include <abi/xen/sched.h>
#include <abi/xen/vcpu.h>

#include "clock.h"
#include "guest.h"
#include "irq.h"
#include "lapic.h"
#include "sipi.h"

#define NAME                    "irq-storm"
#define MAX_CPUS                8
#define AP_STACK_SIZE           8192
#define GARBAGE_ROUNDS          3
#define NOBODY_SENDS            500
#define CHAIN_LENGTH            5000
#define TIMER_TICKS             1000
#define MIN_PROGRESS            100     /* handler runs a phase must see at least */
#define PHASE_NS                (200 * NS_PER_MS)
#define LIMIT_NS                (5 * NS_PER_SEC)

#define SELF_VECTOR             0x41
#define CHAIN_VECTOR            0x42
#define TIMER_VECTOR            0x43
#define NOBODY_VECTOR           0x44
#define AP_VECTOR               0x45
#define CHECK_VECTOR            0x46
#define NOBODY_APIC_ID          200

static unsigned int nr_cpus;
static uint64_t timer_hz;
static uint64_t rng_state;

static struct {
	unsigned long self_sent, chain, timer_ticks, nobody_sent, garbage, gp, rounds;
} stats;

/* ---- small helpers ---- */

/* xorshift64* (Vigna): one 64-bit draw. */
static uint64_t rng_next(void)
{
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return rng_state * 0x2545f4914f6cdd1dull;
}

static void relax(void)
{
	cpu_relax();
	if (platform_has_hypercalls() && nr_cpus > 1)
		hc_sched_op(XEN_SCHEDOP_YIELD, 0);
}

#define WAIT_UNTIL(cond, ns) ({						\
	uint64_t end_ = clock_ns() + (ns);				\
	bool ok_;							\
	while (!(ok_ = (cond)) && clock_ns() < end_)			\
		relax();						\
	ok_;								\
})

static void pump_interrupts(uint64_t ns)
{
	uint64_t end = clock_ns() + ns;

	do
		irq_window();
	while (clock_ns() < end);
}

/* Vectors below 32 would hit exception handlers: move them to 32-63. */
static uint64_t safe_vector(uint64_t v)
{
	return (v & 0xe0) ? v : v | 0x20;
}

/* ---- the AP: counts heartbeats with interrupts on ---- */

static uint8_t ap_stacks[MAX_CPUS][AP_STACK_SIZE] __attribute__((aligned(16)));
static volatile unsigned long ap_heartbeat[MAX_CPUS];
static volatile unsigned int ap_starts[MAX_CPUS];
/* The APs follow vCPU 0 into each mode: no mixed xAPIC/x2APIC system. */
static volatile enum lapic_mode ap_wanted_mode = LAPIC_XAPIC;
static volatile enum lapic_mode ap_mode[MAX_CPUS];

static void ap_follow_mode(unsigned int id)
{
	enum lapic_mode want = ap_wanted_mode;

	if (lapic_mode() == want)
		return;
	irq_disable();
	if (want == LAPIC_XAPIC)                /* x2APIC -> xAPIC only through disabled */
		lapic_set_mode(LAPIC_DISABLED);
	lapic_set_mode(want);
	lapic_reset_for_test();
	ap_mode[id] = lapic_mode();
	irq_enable();
}

static void ap_main(unsigned int id, unsigned long arg)
{
	(void)arg;
	__atomic_add_fetch(&ap_starts[id], 1, __ATOMIC_SEQ_CST);
	lapic_reset_for_test();
	ap_mode[id] = lapic_mode();
	irq_enable();
	for (;;) {
		__atomic_add_fetch(&ap_heartbeat[id], 1, __ATOMIC_SEQ_CST);
		ap_follow_mode(id);
		cpu_relax();
	}
}

static void set_mode_everywhere(enum lapic_mode mode)
{
	if (mode == LAPIC_XAPIC)
		lapic_set_mode(LAPIC_DISABLED);
	lapic_set_mode(mode);
	ap_wanted_mode = mode;
	for (unsigned int id = 1; id < nr_cpus; id++)
		expect_true(WAIT_UNTIL(ap_mode[id] == mode, LIMIT_NS), "AP %u did not switch to "
			    "%s mode", id, lapic_mode_name(mode));
}

static void start_aps(void)
{
	for (unsigned int id = 1; id < nr_cpus; id++) {
		void *top = ap_stacks[id] + AP_STACK_SIZE;

		if (platform_has_hypercalls()) {
			struct xen_vcpu_hvm_context ctx;

			smp_ap_context(&ctx, id, ap_main, 0, top);
			expect_eq(hc_vcpu_op(XEN_VCPUOP_INITIALISE, id, &ctx), 0, "initialise(%u)",
				  id);
			expect_eq(hc_vcpu_op(XEN_VCPUOP_UP, id, 0), 0, "up(%u)", id);
		} else {
			expect_true(sipi_start_ap(id, ap_main, 0, top), "AP %u did not arrive "
				    "after INIT-SIPI-SIPI", id);
		}
		expect_true(WAIT_UNTIL(ap_heartbeat[id] > 0, LIMIT_NS), "AP %u does not run", id);
	}
}

static void expect_ap_running(unsigned int id, const char *after)
{
	unsigned long h = ap_heartbeat[id];

	expect_true(WAIT_UNTIL(ap_heartbeat[id] != h, LIMIT_NS), "AP %u stopped after %s", id,
		    after);
	expect_eq(ap_starts[id], 1, "starts of AP %u after %s", id, after);
}

/* ---- 1. self-IPIs ---- */

static volatile uint64_t chain_end_ns;

static void chain_handler(struct irq_frame *f)
{
	(void)f;
	if (irq_count[CHAIN_VECTOR] < CHAIN_LENGTH && clock_ns() < chain_end_ns)
		lapic_self_ipi(CHAIN_VECTOR);   /* lands in IRR behind the one in service */
	lapic_eoi();
}

static void phase_self_ipis(enum lapic_mode mode)
{
	unsigned long before = irq_count[SELF_VECTOR], sent = 0;
	uint64_t end = clock_ns() + PHASE_NS;

	irq_enable();
	while (clock_ns() < end) {
		if (mode == LAPIC_X2APIC && sent % 2)
			x2apic_write(APIC_SELF_IPI, SELF_VECTOR);
		else
			lapic_self_ipi(SELF_VECTOR);
		sent++;
	}
	irq_disable();
	pump_interrupts(NS_PER_MS);
	expect_true(irq_count[SELF_VECTOR] > before, "%s: none of %lu self-IPIs arrived",
		    lapic_mode_name(mode), sent);
	stats.self_sent += sent;

	irq_count[CHAIN_VECTOR] = 0;            /* the handler counts from here */
	chain_end_ns = clock_ns() + PHASE_NS;
	irq_set_handler(CHAIN_VECTOR, chain_handler);
	lapic_self_ipi(CHAIN_VECTOR);
	irq_enable();
	WAIT_UNTIL(irq_count[CHAIN_VECTOR] >= CHAIN_LENGTH || clock_ns() > chain_end_ns, LIMIT_NS);
	irq_disable();
	pump_interrupts(NS_PER_MS);
	irq_set_handler(CHAIN_VECTOR, 0);
	expect_true(irq_count[CHAIN_VECTOR] >= MIN_PROGRESS, "%s: a handler re-sending its own "
		    "vector: %lu deliveries in %llu ms", lapic_mode_name(mode),
		    irq_count[CHAIN_VECTOR], (unsigned long long)(PHASE_NS / NS_PER_MS));
	stats.chain += irq_count[CHAIN_VECTOR];
}

/* ---- 2. a periodic timer as fast as it goes ---- */

static volatile unsigned long phase_ticks;
static volatile uint64_t timer_limit_ns;
static volatile bool timer_stopped;

static void timer_handler(struct irq_frame *f)
{
	(void)f;
	if (++phase_ticks >= TIMER_TICKS || clock_ns() > timer_limit_ns) {
		lapic_write(APIC_TIMER_INITIAL, 0);     /* stops it */
		timer_stopped = true;
	}
	lapic_eoi();
}

/* The APIC's state when a phase stalls: what the failure message needs. */
static void dump_apic(const char *why)
{
	uint32_t c1 = lapic_read(APIC_TIMER_CURRENT);

	printf(NAME ": %s: TPR 0x%x PPR 0x%x SVR 0x%x LVT timer 0x%x initial 0x%x divide 0x%x "
	       "current 0x%x, then 0x%x\n", why, lapic_read(APIC_TPR), lapic_read(APIC_PPR),
	       lapic_read(APIC_SVR), lapic_read(APIC_LVT_TIMER), lapic_read(APIC_TIMER_INITIAL),
	       lapic_read(APIC_TIMER_DIVIDE), c1, lapic_read(APIC_TIMER_CURRENT));
	for (unsigned int w = 0; w < 8; w++)
		if (lapic_read(APIC_ISR + w * 0x10) || lapic_read(APIC_IRR + w * 0x10))
			printf(NAME ": %s: ISR[%u] 0x%08x IRR[%u] 0x%08x\n", why, w,
			       lapic_read(APIC_ISR + w * 0x10), w, lapic_read(APIC_IRR + w * 0x10));
}

static void storm_timer(enum lapic_mode mode, uint32_t initial)
{
	unsigned long loops = 0;

	phase_ticks = 0;
	timer_stopped = false;
	timer_limit_ns = clock_ns() + LIMIT_NS;
	irq_set_handler(TIMER_VECTOR, timer_handler);
	lapic_timer_start(LVT_TIMER_PERIODIC | TIMER_VECTOR, APIC_DIVIDE_1, initial);
	irq_enable();
	while (!timer_stopped && clock_ns() < timer_limit_ns + NS_PER_SEC)
		loops++;
	irq_disable();
	if (!timer_stopped)
		dump_apic("timer stalled");
	lapic_timer_stop();
	pump_interrupts(NS_PER_MS);
	irq_set_handler(TIMER_VECTOR, 0);
	expect_true(timer_stopped, "%s: periodic timer at count %u: its handler never stopped it "
		    "(%lu ticks)", lapic_mode_name(mode), initial, phase_ticks);
	expect_true(phase_ticks >= MIN_PROGRESS, "%s: periodic timer at count %u: %lu ticks "
		    "in %llu ms", lapic_mode_name(mode), initial, phase_ticks,
		    (unsigned long long)(LIMIT_NS / NS_PER_MS));
	printf(NAME ": %s: periodic timer at count %u: %lu ticks, %lu loop iterations between\n",
	       lapic_mode_name(mode), initial, phase_ticks, loops);
	stats.timer_ticks += phase_ticks;
}

/*
 * On hvk (and any hypervisor with Xen's ABI): 1 us, then count 1 (1 ns),
 * which the hypervisor has to bear somehow.  Natively 100 us, then 10 us:
 * QEMU 7.2's emulated APIC timer at count 1 starves QEMU's own main loop
 * (the guest stops, and so does QEMU's reaction to SIGTERM for a while).
 */
static void phase_timer(enum lapic_mode mode)
{
	uint64_t us = timer_hz / 1000000 ? timer_hz / 1000000 : 1;     /* ticks per us */

	if (platform_has_hypercalls()) {
		storm_timer(mode, (uint32_t)us);
		storm_timer(mode, 1);
	} else {
		storm_timer(mode, (uint32_t)(100 * us));
		storm_timer(mode, (uint32_t)(10 * us));
	}
}

/* ---- 3. IPIs to nobody ---- */

static void nobody_handler(struct irq_frame *f)
{
	(void)f;
	guest_fail(NAME ": an IPI sent to nobody (vector 0x%x) arrived on APIC ID %u",
		   NOBODY_VECTOR, lapic_id());
}

static void phase_nobody(enum lapic_mode mode)
{
	bool x2 = mode == LAPIC_X2APIC;
	/* Logical: xAPIC flat bit 7 (vCPU 0 has bit 0, APs none); x2APIC cluster 7. */
	uint32_t logical = x2 ? 7u << 16 | 0xffff : 0x80;
	unsigned long nmis = irq_count[VECTOR_NMI];
	uint64_t end = clock_ns() + PHASE_NS;
	unsigned int i;

	irq_set_handler(NOBODY_VECTOR, nobody_handler);
	if (!x2) {
		xapic_write(APIC_DFR, APIC_DFR_FLAT);
		xapic_write(APIC_LDR, 1u << 24);
	}
	for (i = 0; i < NOBODY_SENDS && clock_ns() < end; i++) {
		lapic_send_ipi(ICR_FIXED | ICR_ASSERT | NOBODY_VECTOR, NOBODY_APIC_ID);
		lapic_send_ipi(ICR_LOGICAL | ICR_FIXED | ICR_ASSERT | NOBODY_VECTOR, logical);
		lapic_send_ipi(ICR_NMI | ICR_ASSERT, NOBODY_APIC_ID);
		lapic_send_ipi(ICR_LOGICAL | ICR_NMI | ICR_ASSERT, logical);
		lapic_send_ipi(ICR_INIT_LEVEL_ASSERT, NOBODY_APIC_ID);
		lapic_send_ipi(ICR_LOGICAL | ICR_INIT_LEVEL_ASSERT, logical);
		lapic_send_ipi(ICR_STARTUP | ICR_ASSERT | 0x10, NOBODY_APIC_ID);
		if (!x2)
			lapic_send_ipi(ICR_LOGICAL | ICR_LOWEST | ICR_ASSERT | NOBODY_VECTOR,
				       logical);
		else
			lapic_send_ipi(ICR_FIXED | ICR_ASSERT | NOBODY_VECTOR, 0x12345678u);
	}
	stats.nobody_sent += i * 8;
	pump_interrupts(10 * NS_PER_MS);
	expect_eq(irq_count[VECTOR_NMI], nmis, "%s: NMIs taken after NMIs to nobody",
		  lapic_mode_name(mode));
	for (unsigned int id = 1; id < nr_cpus; id++)
		expect_ap_running(id, "INIT and SIPI to nobody");
	if (!x2)
		xapic_write(APIC_LDR, 0);
	irq_set_handler(NOBODY_VECTOR, 0);     /* garbage may use the vector later */
}

/* ---- 4. what running vCPUs must ignore; IPIs and NMIs at an AP ---- */

static void ap_storm(enum lapic_mode mode, uint32_t icr, volatile unsigned long *counter)
{
	unsigned long before = *counter, sent = 0;
	uint64_t end = clock_ns() + PHASE_NS;

	while (clock_ns() < end) {
		lapic_send_ipi(icr, 1);
		sent++;
	}
	expect_true(WAIT_UNTIL(*counter > before, LIMIT_NS), "%s: AP 1 took none of %lu IPIs "
		    "(ICR 0x%x)", lapic_mode_name(mode), sent, icr);
	expect_ap_running(1, "an IPI storm");
}

static void phase_running(enum lapic_mode mode)
{
	unsigned long self_before = irq_count[SELF_VECTOR];

	sipi_send_startup(0, lapic_id());       /* to itself, running */
	lapic_send_ipi(ICR_ALL_BUT_SELF | ICR_INIT_LEVEL_DEASSERT, 0);
	if (nr_cpus > 1)
		sipi_send_startup(0, 1);
	/* Still here and still taking interrupts. */
	lapic_self_ipi(SELF_VECTOR);
	pump_interrupts(NS_PER_MS);
	expect_true(irq_count[SELF_VECTOR] > self_before, "%s: no self-IPI after a SIPI to "
		    "itself", lapic_mode_name(mode));
	expect_eq(sipi_unexpected, 0, "%s: vCPUs that took a SIPI while running",
		  lapic_mode_name(mode));
	if (nr_cpus < 2)
		return;
	expect_ap_running(1, "a SIPI and INIT de-assert");
	ap_storm(mode, ICR_FIXED | ICR_ASSERT | AP_VECTOR, &irq_count[AP_VECTOR]);
	ap_storm(mode, ICR_NMI | ICR_ASSERT, &irq_count[VECTOR_NMI]);
}

/* ---- 5. garbage in every register ---- */

/*
 * Keeps the guest alive (see the header); everything else stays random.
 * An ICR is returned as 64 bits with the destination where x2APIC mode
 * has it (63:32) or xAPIC mode (63:56).
 */
static uint64_t sanitize(unsigned int reg, uint64_t v, bool x2)
{
	unsigned int mode = v >> 8 & 7;
	bool harmless = mode == 0 || mode == 4 || (mode == 1 && !x2);

	switch (reg) {
	case APIC_ICR:
		v = (v & ~0xffull) | safe_vector(v & 0xff);
		if (harmless)
			return v;
		v &= 0xffffffffull & ~(uint64_t)(ICR_SHORTHAND_MASK | ICR_LOGICAL);
		return v | (uint64_t)NOBODY_APIC_ID << (x2 ? 32 : 56);
	case APIC_ID:                           /* xAPIC: writable on some CPUs */
		return (v >> 24 & 0xff) == NOBODY_APIC_ID ? v ^ 1u << 24 : v;
	case APIC_LVT_TIMER:
	case APIC_LVT_ERROR:
		/* Bits 10:8 are reserved here; QEMU 7.2 takes them for a delivery mode. */
		if (!platform_has_hypercalls())
			v &= ~(uint64_t)LVT_DELIVERY_MASK;
		return (v & ~0xffull) | safe_vector(v & 0xff);
	case APIC_LVT_THERMAL:
	case APIC_LVT_PERF:
	case APIC_LVT_LINT0:
	case APIC_LVT_LINT1:
	case APIC_LVT_CMCI:
		if (mode != 0 && mode != 4)     /* SMI, INIT, ExtINT: would act on us */
			v &= ~(uint64_t)LVT_DELIVERY_MASK;
		/* fall through */
	case APIC_SVR:
	case APIC_SELF_IPI:
		return (v & ~0xffull) | safe_vector(v & 0xff);
	}
	return v;
}

/*
 * Natively offset 0 is left out: QEMU 7.2 takes a write there for an MSI
 * (its APIC page and the MSI window share 0xfee00000), delivering INIT or
 * SMI to CPU 0 with garbage for data.  On hvk it is a reserved register.
 */
static void garbage_xapic(void)
{
	unsigned int first = platform_has_hypercalls() ? 0 : 0x10;

	for (unsigned int reg = first; reg <= APIC_LAST_REG; reg += 0x10) {
		uint64_t v = sanitize(reg, rng_next(), false);

		if (reg == APIC_ICR)
			xapic_write(APIC_ICR_HIGH, (uint32_t)(v >> 32));
		xapic_write(reg, (uint32_t)v);
		(void)xapic_read(reg);
		stats.garbage++;
	}
}

static void garbage_x2apic(void)
{
	for (uint32_t msr = X2APIC_MSR_BASE; msr <= X2APIC_MSR_LAST; msr++) {
		unsigned int reg = (msr - X2APIC_MSR_BASE) << 4;
		uint64_t v = sanitize(reg, rng_next(), true);

		/* Half the values 32-bit clean, so more of them get past the #GP. */
		if (rng_next() & 1 && reg != APIC_ICR)
			v &= 0xffffffffu;
		stats.gp += msr_write_faults(msr, v);
		stats.gp += msr_read_faults(msr, &v);
		stats.garbage++;
	}
}

static void restore_apic(enum lapic_mode mode, uint32_t id)
{
	if (mode == LAPIC_XAPIC) {
		xapic_write(APIC_ID, id << 24);
		xapic_write(APIC_DFR, APIC_DFR_FLAT);
		xapic_write(APIC_LDR, 0);
		xapic_write(APIC_ICR_HIGH, 0);
	}
	lapic_reset_for_test();
	pump_interrupts(NS_PER_MS);             /* what the garbage left in IRR */
	lapic_reset_for_test();
}

static void phase_garbage(enum lapic_mode mode)
{
	uint32_t id = lapic_id();
	unsigned long before;

	for (unsigned int round = 0; round < GARBAGE_ROUNDS; round++) {
		if (mode == LAPIC_X2APIC)
			garbage_x2apic();
		else
			garbage_xapic();
		restore_apic(mode, id);
	}
	expect_eq(lapic_mode(), mode, "the APIC mode after garbage in every register");
	expect_eq(lapic_id(), id, "%s: APIC ID after garbage and restore", lapic_mode_name(mode));
	before = irq_count[CHECK_VECTOR];
	lapic_self_ipi(CHECK_VECTOR);
	pump_interrupts(NS_PER_MS);
	expect_eq(irq_count[CHECK_VECTOR], before + 1, "%s: self-IPIs after garbage and restore",
		  lapic_mode_name(mode));
	for (unsigned int ap = 1; ap < nr_cpus; ap++)
		expect_ap_running(ap, "garbage in vCPU 0's APIC");
}

/* ---- rounds ---- */

static void storm(enum lapic_mode mode)
{
	lapic_reset_for_test();
	phase_self_ipis(mode);
	phase_timer(mode);
	phase_nobody(mode);
	phase_running(mode);
	phase_garbage(mode);
}

static void round_once(void)
{
	storm(LAPIC_XAPIC);
	if (cpu_has_x2apic()) {
		set_mode_everywhere(LAPIC_X2APIC);
		storm(LAPIC_X2APIC);
		set_mode_everywhere(LAPIC_XAPIC);
	}
	stats.rounds++;
}

static uint64_t measure_timer_hz(void)
{
	uint32_t c0, c1;
	uint64_t t0, t1;

	lapic_timer_start(LVT_MASKED | LVT_TIMER_ONESHOT, APIC_DIVIDE_1, 0xffffffffu);
	t0 = clock_ns();
	c0 = lapic_read(APIC_TIMER_CURRENT);
	clock_delay_ns(50 * NS_PER_MS);
	c1 = lapic_read(APIC_TIMER_CURRENT);
	t1 = clock_ns();
	lapic_timer_stop();
	return (uint64_t)(c0 - c1) * NS_PER_SEC / (t1 - t0);
}

int guest_main(void)
{
	bool forever = cmdline_has_word("forever");

	check_name = NAME;
	irq_init();
	clock_init();
	rng_state = cmdline_number("seed", 1) | 1;
	nr_cpus = platform_has_hypercalls() ? smp_count_vcpus() : cmdline_number("cpus", 1);
	expect_true(nr_cpus >= 1 && nr_cpus <= MAX_CPUS, "%u vCPUs: this guest takes 1 to %u",
		    nr_cpus, MAX_CPUS);
	lapic_reset_for_test();
	sipi_setup();           /* a real trampoline for the SIPIs that must be ignored */
	timer_hz = measure_timer_hz();
	start_aps();
	printf(NAME ": %u vCPU%s, x2APIC %s, APIC timer %llu kHz%s\n", nr_cpus,
	       nr_cpus > 1 ? "s" : "", cpu_has_x2apic() ? "yes" : "no",
	       (unsigned long long)(timer_hz / 1000), forever ? ", forever" : "");
	/* rounds=N: that many rounds (forever: until the hypervisor stops it). */
	unsigned long rounds = cmdline_number("rounds", 1);

	do {
		round_once();
		if (forever || rounds > 1)
			printf(NAME ": round %lu survived\n", stats.rounds);
	} while (forever || stats.rounds < rounds);
	printf(NAME ": survived (%lu self-IPIs sent, %lu chained, %lu timer ticks, %lu IPIs to "
	       "nobody, %lu garbage writes with %lu #GPs)\n", stats.self_sent, stats.chain,
	       stats.timer_ticks, stats.nobody_sent, stats.garbage, stats.gp);
	return 0;
}
