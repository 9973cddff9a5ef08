/* SPDX-License-Identifier: MIT */
/*
 * bench: what the basic round trips to the hypervisor cost, measured the way
 * kvm-unit-tests' vmexit test does, on hvk, on KVM (QEMU's own PVH loader)
 * or natively; one binary for all (docs/performance.md).
 *
 * For each operation the loop runs 1, 2, 4, ... times until one run lasts
 * `threshold` TSC ticks or reaches `max-iters` iterations, and the last run
 * gives the cost of one:
 *
 *   bench: op=NAME iters=N ticks=T ticks_per_op=X.Y what=INSN
 *   bench: op=NAME n/a (why)            where the platform has no such thing
 *
 * `what` names the instruction and its target on this platform:
 *
 *   op               hvk                          KVM
 *   hypercall-null   hvk null call                hypercall nr 0 (-KVM_ENOSYS)
 *   cpuid            cpuid leaf 0                 the same
 *   pio-kernel       out to 0x80 (hvk.ko)         in from 0x21 (in-kernel PIC)
 *   pio-vmm          out to 0x5e0 (the hvk VMM)   out to 0x5e0 (QEMU: no device)
 *   multicall-N      N hvk null calls, 1 exit     n/a
 *   vcpu-up          VCPUOP_initialise + up       INIT-SIPI-SIPI (pv_ops)
 *   ipi-roundtrip    fixed IPI to vCPU 1 and back, both halted meanwhile
 *   timer-tick       TSC-deadline timer armed for "now", to its interrupt
 *   eoi              the EOI write alone, in a self-IPI's handler
 *   idle-exits       STI;HLT until a one-shot timer fires (idle-ms)
 *
 * vcpu-up is the time from the BSP's start call to the AP's first C
 * instruction (ap_main), averaged over the rounds; the AP then goes down
 * (hvk: the next round sends it INIT first, untimed, so that it may be
 * initialised again, as on Xen) or halts until the next INIT (native, KVM).
 *
 * The local APIC ops run the APIC as the CPU offers it, the same way on
 * every platform: x2APIC (MSRs) if CPUID.1:ECX says so, else xAPIC (MMIO at
 * the base IA32_APIC_BASE had at start); `what` names which.  vCPU 0 sends
 * a fixed IPI to APIC ID 1, whose handler EOIs and sends one back; vCPU 1
 * is started once (as vcpu-up does) and stays in STI;HLT.  timer-tick
 * (kvm-unit-tests' tscdeadline_immed) writes the current TSC to
 * IA32_TSC_DEADLINE, or 1 to the initial count where CPUID has no
 * TSC-deadline mode, and spins with IF = 1 until the handler has EOIed.
 * eoi counts only the TSC ticks around the EOI write, with the self-IPI's
 * vector in service.  idle-exits halts through one one-shot period of
 * idle-ms (default 1000) at divide-by-1: 1 ms = 10^6 counts, as hvk's,
 * KVM's and QEMU's APIC timers all count 1 per ns; its "cost" is the idle
 * period in TSC ticks, its count-mode exits those of an idle period.
 *
 * Boot: the TSC at the PVH entry (boot_entry_tsc) and just before the first
 * output; on hvk an OUT to the VMM port follows that output at once, so
 * that the VMM prints it now rather than when its buffer fills:
 *
 *   bench: platform=hvk|kvm|native|xen
 *   bench: boot entry_to_output_ticks=T
 *
 * Command line, all optional:
 *   threshold=T   ticks one measurement must last (default 1 << 26)
 *   max-iters=N   iterations one measurement may take (default 1 << 20)
 *   only=NAME     measure only operation NAME
 *   count=N       count mode: each chosen operation exactly N times, untimed
 *                 ("bench: op=NAME count=N"), so that a hypervisor's exit
 *                 counters can be divided by N (tests/bench/l1-bench.sh)
 *   cpus=N        vCPUs in the VM; vcpu-up and ipi-roundtrip need 2
 *   idle-ms=N     idle-exits' idle period in ms (default 1000, at most 4000)
 *   touch-ram     at the end, write every RAM page above the image, so the
 *                 VMM's peak RSS holds all of guest RAM
 *   hold          after "bench: done", print "bench: holding" and stay
 *                 (blocked on hvk, halted elsewhere) until killed, so that
 *                 the hypervisor's memory for the VM can be read meanwhile
 * Ends with "bench: done" and powers off.
 */
#include <abi/hvk_guest.h>
#include <abi/hvk_hypercall.h>
#include <abi/xen/hypercall.h>
#include <abi/xen/multicall.h>
#include <abi/xen/sched.h>
#include <abi/xen/vcpu.h>

#include "guest.h"
#include "io.h"
#include "irq.h"
#include "kvm.h"
#include "lapic.h"
#include "pv/pv.h"

#define DEFAULT_THRESHOLD       (1ull << 26)
#define DEFAULT_MAX_ITERS       (1ull << 20)
#define HVK_NULL                HVK_HC_NR(HVK_FAMILY_BASE, HVK_BASE_NULL, 0)
/* Unassigned, as kvm-unit-tests' vmexit test uses it: KVM answers -KVM_ENOSYS. */
#define KVM_HC_BENCH_NULL       0
#define PORT_POST_CODE          0x80
#define PORT_PIC1_DATA          0x21    /* the 8259's mask register */
#define MULTICALL_MAX           64
#define AP_ID                   1
#define IMAGE_END               0x200000ul      /* guest.ld: the image ends below */
#define PAGE_SIZE               0x1000ul
#define BSP_APIC_ID             0       /* APIC ID = vCPU id (hvk; QEMU, one socket) */
#define VECTOR_PING             0x40    /* vCPU 0 to 1: ipi-roundtrip */
#define VECTOR_PONG             0x41    /* and back */
#define VECTOR_TIMER            0x42    /* timer-tick, idle-exits */
#define VECTOR_SELF             0x43    /* eoi */
#define DEFAULT_IDLE_MS         1000
#define MAX_IDLE_MS             4000    /* 32-bit initial count at 1 per ns */
#define APIC_COUNTS_PER_MS      1000000u

typedef void (*op_fn)(void);

/* An operation on this platform: fn, or NULL and why not (in `what`). */
struct op_impl {
	op_fn fn;
	const char *what;
};

struct bench_op {
	const char *name;
	unsigned int arg;                               /* multicall: entries */
	struct op_impl (*impl)(const struct bench_op *op);
	/* Runs fn iters times; the ticks it took. */
	uint64_t (*measure)(op_fn fn, uint64_t iters);
};

#define UNAVAILABLE(reason)     ((struct op_impl){ NULL, reason })

/* ---- the operations ------------------------------------------------- */

static void op_hvk_null(void)
{
	hypercall0(HVK_NULL);
}

static void op_kvm_null(void)
{
	kvm_hypercall0(KVM_HC_BENCH_NULL);
}

static struct op_impl impl_hypercall(const struct bench_op *op)
{
	static char what[24];
	const char *insn = hypercall_insn_name(hypercall_insn);

	(void)op;
	switch (platform.kind) {
	case PLATFORM_HVK:
		expect_eq(hypercall0(HVK_NULL), 0, "hvk null");
		snprintf(what, sizeof(what), "%s:hvk-null", insn);
		return (struct op_impl){ op_hvk_null, what };
	case PLATFORM_KVM:
		expect_eq(kvm_hypercall0(KVM_HC_BENCH_NULL), -KVM_ENOSYS, "KVM hypercall %d",
			  KVM_HC_BENCH_NULL);
		snprintf(what, sizeof(what), "%s:kvm-nr%d", insn, KVM_HC_BENCH_NULL);
		return (struct op_impl){ op_kvm_null, what };
	default:
		return UNAVAILABLE("no hvk or KVM hypercalls here");
	}
}

static void op_cpuid(void)
{
	cpuid(0);
}

static struct op_impl impl_cpuid(const struct bench_op *op)
{
	(void)op;
	return (struct op_impl){ op_cpuid, "cpuid:0" };
}

static void op_out_post_code(void)
{
	outb(PORT_POST_CODE, 0);
}

static void op_in_pic_mask(void)
{
	inb(PORT_PIC1_DATA);
}

/* A port the hypervisor's kernel part answers without its VMM. */
static struct op_impl impl_pio_kernel(const struct bench_op *op)
{
	(void)op;
	if (platform.kind == PLATFORM_KVM)
		return (struct op_impl){ op_in_pic_mask, "in:0x21" };
	return (struct op_impl){ op_out_post_code, "out:0x80" };
}

static void op_out_vmm_port(void)
{
	outb(HVK_VMM_NULL_PORT, 0);
}

/* hvk's VMM answers 0x5e0; QEMU has no device there and answers it itself. */
static struct op_impl impl_pio_vmm(const struct bench_op *op)
{
	(void)op;
	return (struct op_impl){ op_out_vmm_port, "out:0x5e0" };
}

static struct xen_multicall_entry64 mc_entries[MULTICALL_MAX];
static unsigned int mc_count;

static long multicall(void)
{
	return hypercall2(XEN_HC_MULTICALL, (unsigned long)mc_entries, mc_count);
}

static void op_multicall(void)
{
	multicall();
}

static struct op_impl impl_multicall(const struct bench_op *op)
{
	static char what[24];

	if (platform.kind != PLATFORM_HVK)
		return UNAVAILABLE("hvk multicalls only");
	mc_count = op->arg;
	for (unsigned int i = 0; i < mc_count; i++)
		mc_entries[i] = (struct xen_multicall_entry64){ .op = HVK_NULL, .result = 1 };
	expect_eq(multicall(), 0, "multicall of %u null calls", mc_count);
	for (unsigned int i = 0; i < mc_count; i++)
		expect_eq(mc_entries[i].result, 0, "multicall entry %u", i);
	snprintf(what, sizeof(what), "multicall:%ux-null", mc_count);
	return (struct op_impl){ op_multicall, what };
}

/* vcpu-up: the AP stores the TSC as its first C statement. */
static volatile uint64_t ap_tsc;

static void ap_main(unsigned int id, unsigned long arg)
{
	(void)id;
	(void)arg;
	ap_tsc = rdtsc();
	if (platform.kind == PLATFORM_HVK)
		return;         /* smp_ap_start() takes it down: VCPUOP_down */
	halt_forever();         /* natively until the next INIT */
}

/*
 * hvk, like Xen, keeps the state of a vCPU that went down (is_initialised):
 * VCPUOP_initialise gives it a new one only after an INIT.  So every start
 * but the first sends one first, untimed.  Natively the start is INIT-SIPI.
 */
static void ap_reset_before_start(void)
{
	static bool started;

	if (platform.kind == PLATFORM_HVK && started &&
	    !lapic_send_ipi(ICR_INIT_LEVEL_ASSERT, AP_ID))
		guest_fail("bench: INIT to vCPU %u stays pending", AP_ID);
	started = true;
}

/* One start of the AP: its latency; the AP is down or halted again after. */
static uint64_t ap_start_once(void)
{
	uint64_t t0, t1;
	long rc;

	ap_tsc = 0;
	ap_reset_before_start();
	t0 = rdtsc();
	rc = pv_start_vcpu(AP_ID, ap_main, 0);
	if (rc)
		guest_fail("bench: starting vCPU %u returned %ld", AP_ID, rc);
	while (!(t1 = ap_tsc))
		cpu_relax();
	if (platform.kind == PLATFORM_HVK)
		while (hc_vcpu_op(XEN_VCPUOP_IS_UP, AP_ID, 0) != 0)
			cpu_relax();
	return t1 > t0 ? t1 - t0 : 0;
}

static void op_vcpu_up(void)
{
	ap_start_once();
}

/* The sum of the latencies, not the rounds' whole time (the AP's going down). */
static uint64_t measure_vcpu_up(op_fn fn, uint64_t iters)
{
	uint64_t sum = 0;

	(void)fn;
	for (uint64_t i = 0; i < iters; i++)
		sum += ap_start_once();
	return sum;
}

/* Why vCPU 1 cannot be started through pv_ops here, or NULL once it can. */
static const char *ap_unavailable(void)
{
	static bool pv_ready;

	if (cmdline_number("cpus", 1) < 2)
		return "1 vCPU: run with cpus=2 and 2 vCPUs";
	if (platform.kind == PLATFORM_XEN)
		return "no pv_ops table for Xen";
	if (!pv_ready) {
		pvops_init();
		pv_ready = true;
	}
	return NULL;
}

static struct op_impl impl_vcpu_up(const struct bench_op *op)
{
	const char *why = ap_unavailable();

	(void)op;
	if (why)
		return UNAVAILABLE(why);
	return (struct op_impl){ op_vcpu_up, platform.kind == PLATFORM_HVK ?
				 "vcpuop:initialise+up" : "init-sipi-sipi" };
}

static uint64_t measure_loop(op_fn fn, uint64_t iters)
{
	uint64_t t0 = rdtsc();

	for (uint64_t i = 0; i < iters; i++)
		fn();
	return rdtsc() - t0;
}

/* ---- the local APIC ops ---------------------------------------------- */

/*
 * The mode every vCPU uses and its registers.  Not lapic_read/lapic_write:
 * those read IA32_APIC_BASE on every access, an exit of its own.  No wait
 * for an xAPIC ICR's delivery status either: hvk, KVM and QEMU deliver
 * at the write, and Linux's x2APIC path has no such read.
 */
static struct {
	bool prepared, bsp_enabled, x2apic, tsc_deadline;
	volatile uint32_t *mmio;                /* xAPIC */
} apic;

static volatile unsigned long pongs, timer_fired, self_ipis;
static volatile uint64_t eoi_ticks;
static volatile bool ap_apic_ready;

static inline void compiler_barrier(void)
{
	__asm__ volatile("" : : : "memory");
}

static void apic_write(unsigned int reg, uint32_t value)
{
	if (apic.x2apic)
		x2apic_write(reg, value);
	else
		apic.mmio[reg / 4] = value;
}

static void apic_eoi(void)
{
	apic_write(APIC_EOI, 0);
}

/* A fixed IPI with physical destination `dest` or a shorthand in `icr`. */
static void apic_send(uint32_t icr, uint32_t dest)
{
	icr |= ICR_FIXED | ICR_ASSERT;
	if (apic.x2apic) {
		x2apic_write(APIC_ICR, (uint64_t)dest << 32 | icr);
		return;
	}
	apic.mmio[APIC_ICR_HIGH / 4] = dest << 24;      /* the low write sends */
	apic.mmio[APIC_ICR / 4] = icr;
}

static const char *apic_mode_what(void)
{
	return apic.x2apic ? "x2apic" : "xapic";
}

/* This vCPU's APIC in the chosen mode, software-enabled, LVTs masked. */
static void apic_enable_this_cpu(void)
{
	if (lapic_mode() == LAPIC_DISABLED)
		lapic_set_mode(LAPIC_XAPIC);
	if (apic.x2apic && lapic_mode() != LAPIC_X2APIC)
		lapic_set_mode(LAPIC_X2APIC);   /* from xAPIC, as the SDM wants */
	lapic_reset_for_test();
}

/* vCPU 1 (ipi-roundtrip): each ping is EOIed and answered from its handler. */
static void on_ping(struct irq_frame *f)
{
	(void)f;
	apic_eoi();
	apic_send(VECTOR_PONG, BSP_APIC_ID);
}

static void on_pong(struct irq_frame *f)
{
	(void)f;
	apic_eoi();
	pongs++;
}

static void on_timer(struct irq_frame *f)
{
	(void)f;
	apic_eoi();
	timer_fired++;
}

static void on_self_ipi(struct irq_frame *f)
{
	uint64_t t0;

	(void)f;
	t0 = rdtsc();
	apic_eoi();
	eoi_ticks += rdtsc() - t0;
	self_ipis++;
}

/* Once, on vCPU 0: the mode from CPUID, the gates, the handlers; no APIC write yet. */
static const char *apic_prepare(void)
{
	if (apic.prepared)
		return NULL;
	if (!cpu_has_apic())
		return "no local APIC (CPUID.1:EDX.APIC = 0)";
	if (lapic_mode() == LAPIC_INVALID)
		return "IA32_APIC_BASE in an invalid mode";
	apic.x2apic = cpu_has_x2apic();
	apic.tsc_deadline = cpu_has_tsc_deadline();
	apic.mmio = (volatile uint32_t *)(uintptr_t)(rdmsr(MSR_APIC_BASE) & APIC_BASE_ADDR_MASK);
	irq_init();
	irq_set_handler(VECTOR_PING, on_ping);
	irq_set_handler(VECTOR_PONG, on_pong);
	irq_set_handler(VECTOR_TIMER, on_timer);
	irq_set_handler(VECTOR_SELF, on_self_ipi);
	apic.prepared = true;
	return NULL;
}

/* apic_prepare() and vCPU 0's APIC enabled in the chosen mode. */
static const char *apic_ready_on_bsp(void)
{
	const char *why = apic_prepare();

	if (why)
		return why;
	if (!apic.bsp_enabled) {
		apic_enable_this_cpu();
		apic.bsp_enabled = true;
	}
	return NULL;
}

/* vCPU 1 for ipi-roundtrip: halted with IF = 1 for good, between pings. */
static void ap_answer_pings(unsigned int id, unsigned long arg)
{
	(void)id;
	(void)arg;
	apic_enable_this_cpu();
	__atomic_store_n(&ap_apic_ready, true, __ATOMIC_SEQ_CST);
	for (;;)
		irq_enable_and_halt();
}

/* Halts until *counter moves past `before`; IF = 0 on return. */
static void halt_until_changed(volatile unsigned long *counter, unsigned long before)
{
	irq_disable();
	while (*counter == before) {
		irq_enable_and_halt();
		irq_disable();
	}
}

static void op_ipi_roundtrip(void)
{
	unsigned long before = pongs;

	apic_send(VECTOR_PING, AP_ID);
	halt_until_changed(&pongs, before);
}

static struct op_impl impl_ipi_roundtrip(const struct bench_op *op)
{
	static char what[24];
	const char *why = ap_unavailable();
	long rc;

	(void)op;
	if (why || (why = apic_prepare()))
		return UNAVAILABLE(why);
	if (!ap_apic_ready) {
		/* The native start sends INIT-SIPI through the xAPIC page. */
		if (apic.bsp_enabled && apic.x2apic && platform.kind != PLATFORM_HVK)
			return UNAVAILABLE("vCPU 0 already in x2APIC mode: run it first");
		ap_reset_before_start();
		rc = pv_start_vcpu(AP_ID, ap_answer_pings, 0);
		if (rc)
			guest_fail("bench: starting vCPU %u returned %ld", AP_ID, rc);
		while (!__atomic_load_n(&ap_apic_ready, __ATOMIC_SEQ_CST))
			cpu_relax();
	}
	apic_ready_on_bsp();
	snprintf(what, sizeof(what), "%s:fixed-ipi", apic_mode_what());
	return (struct op_impl){ op_ipi_roundtrip, what };
}

/* With IF = 1 throughout (measure_irq_loop): the interrupt needs no window. */
static void op_timer_tick(void)
{
	unsigned long before = timer_fired;

	if (apic.tsc_deadline)
		wrmsr(MSR_TSC_DEADLINE, rdtsc());
	else
		apic_write(APIC_TIMER_INITIAL, 1);
	while (timer_fired == before)
		compiler_barrier();
}

static struct op_impl impl_timer_tick(const struct bench_op *op)
{
	static char what[24];
	const char *why = apic_ready_on_bsp();

	(void)op;
	if (why)
		return UNAVAILABLE(why);
	if (apic.tsc_deadline) {
		lapic_timer_start(LVT_TIMER_TSC_DEADLINE | VECTOR_TIMER, APIC_DIVIDE_1, 0);
		snprintf(what, sizeof(what), "%s:deadline-now", apic_mode_what());
	} else {
		lapic_timer_start(LVT_TIMER_ONESHOT | VECTOR_TIMER, APIC_DIVIDE_1, 0);
		snprintf(what, sizeof(what), "%s:oneshot-1", apic_mode_what());
	}
	return (struct op_impl){ op_timer_tick, what };
}

static uint64_t measure_irq_loop(op_fn fn, uint64_t iters)
{
	uint64_t ticks;

	irq_enable();
	ticks = measure_loop(fn, iters);
	irq_disable();
	return ticks;
}

static void op_eoi(void)
{
	unsigned long before = self_ipis;

	apic_send(ICR_SELF | VECTOR_SELF, 0);
	while (self_ipis == before)
		compiler_barrier();
}

/* Only the EOI writes' ticks (on_self_ipi), not the self-IPIs'. */
static uint64_t measure_eoi(op_fn fn, uint64_t iters)
{
	eoi_ticks = 0;
	measure_irq_loop(fn, iters);
	return eoi_ticks;
}

static struct op_impl impl_eoi(const struct bench_op *op)
{
	static char what[24];
	const char *why = apic_ready_on_bsp();

	(void)op;
	if (why)
		return UNAVAILABLE(why);
	if (apic.x2apic)
		snprintf(what, sizeof(what), "x2apic:wrmsr-0x%x", X2APIC_MSR(APIC_EOI));
	else
		snprintf(what, sizeof(what), "xapic:mmio-0x%x", APIC_EOI);
	return (struct op_impl){ op_eoi, what };
}

static uint32_t idle_counts;

static void op_idle(void)
{
	unsigned long before = timer_fired;

	apic_write(APIC_TIMER_INITIAL, idle_counts);
	halt_until_changed(&timer_fired, before);
}

static struct op_impl impl_idle_exits(const struct bench_op *op)
{
	static char what[24];
	const char *why = apic_ready_on_bsp();
	uint64_t ms = cmdline_number("idle-ms", DEFAULT_IDLE_MS);

	(void)op;
	if (why)
		return UNAVAILABLE(why);
	if (ms < 1 || ms > MAX_IDLE_MS)
		guest_fail("bench: idle-ms=%llu is not 1..%u", (unsigned long long)ms, MAX_IDLE_MS);
	idle_counts = (uint32_t)ms * APIC_COUNTS_PER_MS;
	lapic_timer_start(LVT_TIMER_ONESHOT | VECTOR_TIMER, APIC_DIVIDE_1, 0);
	snprintf(what, sizeof(what), "sti-hlt:oneshot-%llums", (unsigned long long)ms);
	return (struct op_impl){ op_idle, what };
}

static const struct bench_op ops[] = {
	{ "hypercall-null", 0, impl_hypercall, measure_loop },
	{ "cpuid", 0, impl_cpuid, measure_loop },
	{ "pio-kernel", 0, impl_pio_kernel, measure_loop },
	{ "pio-vmm", 0, impl_pio_vmm, measure_loop },
	{ "multicall-1", 1, impl_multicall, measure_loop },
	{ "multicall-4", 4, impl_multicall, measure_loop },
	{ "multicall-16", 16, impl_multicall, measure_loop },
	{ "multicall-64", 64, impl_multicall, measure_loop },
	{ "vcpu-up", 0, impl_vcpu_up, measure_vcpu_up },
	/* ipi-roundtrip first: vCPU 1's native start needs vCPU 0 in xAPIC mode. */
	{ "ipi-roundtrip", 0, impl_ipi_roundtrip, measure_loop },
	{ "timer-tick", 0, impl_timer_tick, measure_irq_loop },
	{ "eoi", 0, impl_eoi, measure_eoi },
	{ "idle-exits", 0, impl_idle_exits, measure_loop },
};

/* ---- driver ---------------------------------------------------------- */

struct settings {
	uint64_t threshold, max_iters, count;
	bool count_mode;
	char only[32];
};

/* The value of "key=VALUE" on the command line into buf; false if absent. */
static bool cmdline_string(const char *key, char *buf, size_t size)
{
	const char *p = boot_cmdline();
	size_t len = strlen(key), n = 0;

	while (*p) {
		while (*p == ' ')
			p++;
		if (!strncmp(p, key, len) && p[len] == '=') {
			for (p += len + 1; *p && *p != ' ' && n + 1 < size; p++)
				buf[n++] = *p;
			buf[n] = '\0';
			return true;
		}
		while (*p && *p != ' ')
			p++;
	}
	return false;
}

static void measure(const struct bench_op *op, const struct op_impl *impl,
		    const struct settings *s)
{
	uint64_t iters, ticks;

	for (iters = 1;; iters *= 2) {
		ticks = op->measure(impl->fn, iters);
		if (ticks >= s->threshold || iters >= s->max_iters)
			break;
	}
	printf("bench: op=%s iters=%llu ticks=%llu ticks_per_op=%llu.%llu what=%s\n",
	       op->name, (unsigned long long)iters, (unsigned long long)ticks,
	       (unsigned long long)(ticks / iters),
	       (unsigned long long)(ticks * 10 / iters % 10), impl->what);
}

static void run_op(const struct bench_op *op, const struct settings *s)
{
	struct op_impl impl = op->impl(op);

	if (!impl.fn) {
		printf("bench: op=%s n/a (%s)\n", op->name, impl.what);
	} else if (s->count_mode) {
		op->measure(impl.fn, s->count);
		printf("bench: op=%s count=%llu\n", op->name, (unsigned long long)s->count);
	} else {
		measure(op, &impl, s);
	}
}

/* Every RAM page from the end of the image up, per the PVH memory map; pages written. */
static uint64_t touch_ram(void)
{
	const struct xen_hvm_start_info *si = start_info();
	const struct xen_hvm_memmap_entry *map;
	uint64_t touched = 0;

	if (!si || si->version < 1 || !si->memmap_paddr)
		guest_fail("bench: touch-ram: no memory map");
	map = (const struct xen_hvm_memmap_entry *)(uintptr_t)si->memmap_paddr;
	for (uint32_t i = 0; i < si->memmap_entries; i++) {
		uint64_t a = map[i].addr, end = map[i].addr + map[i].size;

		if (map[i].type != XEN_HVM_MEMMAP_TYPE_RAM)
			continue;
		for (a = a < IMAGE_END ? IMAGE_END : a; a + PAGE_SIZE <= end; a += PAGE_SIZE) {
			*(volatile uint8_t *)(uintptr_t)a = 1;
			touched++;
		}
	}
	return touched;
}

static __attribute__((noreturn)) void hold(void)
{
	printf("bench: holding\n");
	outb(HVK_VMM_NULL_PORT, 0);     /* hvk: the VMM prints it now */
	if (platform.kind == PLATFORM_HVK)
		for (;;)
			hc_sched_op(XEN_SCHEDOP_BLOCK, 0);
	halt_forever();
}

int guest_main(void)
{
	uint64_t first_output = rdtsc();
	struct settings s;
	char word[24];
	bool any = false;

	printf("bench: platform=%s\n", platform_name());
	outb(HVK_VMM_NULL_PORT, 0);     /* hvk: the VMM prints that line now */
	printf("bench: boot entry_to_output_ticks=%llu\n",
	       (unsigned long long)(first_output - boot_entry_tsc));

	check_name = "bench";
	s.threshold = cmdline_number("threshold", DEFAULT_THRESHOLD);
	s.max_iters = cmdline_number("max-iters", DEFAULT_MAX_ITERS);
	s.count = cmdline_number("count", 0);
	s.count_mode = cmdline_string("count", word, sizeof(word));
	if (!cmdline_string("only", s.only, sizeof(s.only)))
		s.only[0] = '\0';
	if (!s.max_iters)
		s.max_iters = 1;

	for (size_t i = 0; i < sizeof(ops) / sizeof(ops[0]); i++) {
		if (s.only[0] && strncmp(s.only, ops[i].name, sizeof(s.only)))
			continue;
		run_op(&ops[i], &s);
		any = true;
	}
	if (!any)
		guest_fail("bench: no operation named '%s'", s.only);
	/*
	 * One console write with or without touch-ram, so that a touch run's
	 * exits differ from its base run's by what touching RAM cost alone.
	 */
	if (cmdline_has_word("touch-ram")) {
		uint64_t touched = touch_ram();

		printf("bench: touched %llu KiB of RAM (RAM ends at %llu KiB)\nbench: done\n",
		       (unsigned long long)(touched * PAGE_SIZE >> 10),
		       (unsigned long long)(boot_ram_end() >> 10));
	} else {
		printf("bench: done\n");
	}
	if (cmdline_has_word("hold"))
		hold();
	return 0;
}
