/* SPDX-License-Identifier: MIT */
/*
 * evtchn64 / evtchn32: Xen event channels, 2-level ABI (REFERENCE-GUEST-
 * SERVICES §1, §3, §4; kmod/xen/evtchn*.c), exact results from a 64-bit
 * and a 32-bit guest.  Run with `hvk run --xen --cpus 2`; the upcall
 * method is the per-vCPU vector (HVMOP_set_evtchn_upcall_vector, as
 * Linux 6.1 picks), or with `--cmdline upcall=callback` the global
 * callback vector (HVM_PARAM_CALLBACK_IRQ type 2): neither can be undone
 * once set, so one run tests one.
 *
 *   layout     evtchn32: the 64-bit layout until the hypercall-page MSR
 *              write latches the 32-bit one (pending_sel at 4, mask at
 *              2176, 1024 ports); evtchn64 stays 64-bit (4096 ports)
 *   errors     -EFAULT for every op, -ENOSYS for unknown ones, no FIFO
 *              (init_control, expand_array -EOPNOTSUPP; set_priority
 *              -ENOSYS), no pirqs, other domains -ESRCH, bad ports
 *   ports      alloc_unbound, a loopback interdomain pair, VIRQs (per vCPU,
 *              per domain; global ones -EBUSY), IPIs; status of each kind,
 *              bind_vcpu, close, reset, every port up to -ENOSPC
 *   bits       pending, mask, pending_sel and upcall_pending exactly as §3
 *              steps 1-3 say, unmask, to this vCPU and the other
 *   upcalls    at the call (lost while the APIC is software-disabled,
 *              asserted again when it is enabled), on each 0 -> 1 of
 *              upcall_pending, through the APIC (IRR, ISR, TPR, EOI) or
 *              past it (callback), to either vCPU, waking HLT
 *   poll       pending ports, bad ports and pointers in Xen's order,
 *              timeouts (future, past, none), a masked listed port wakes
 *              it, a masked unlisted one does not, an upcall does, 128
 *              ports and 129, a deliverable interrupt returns at once
 *   block      woken by an upcall with IF = 0, clears upcall_mask
 *   hostile    an event storm from both vCPUs, random operations and
 *              arguments, then everything still works
 * Ends with "<name>: all checks passed (...)" and powers off.
 */
#include <abi/xen/cpuid.h>
#include <abi/xen/errno.h>
#include <abi/xen/event_channel.h>
#include <abi/xen/hvm_op.h>
#include <abi/xen/hypercall.h>
#include <abi/xen/sched.h>
#include <abi/xen/shared_info.h>

#include "clock.h"
#include "guest.h"
#include "irq.h"
#include "lapic.h"

#ifdef __x86_64__
#include "x86_64/paging.h"
#define NAME "evtchn64"
typedef struct xen_vcpu_info64 vcpu_info_t;
typedef struct xen_sched_poll64 sched_poll_t;
#define HOLE_VA                 0x400000ul      /* RAM, unmapped by us */
#else
#define NAME "evtchn32"
typedef struct xen_vcpu_info32 vcpu_info_t;
typedef struct xen_sched_poll32 sched_poll_t;
#endif

#define NR_CPUS                 2
#define AP                      1
#define AP_STACK_SIZE           8192
#define WAIT_NS                 (5 * NS_PER_SEC)        /* only a failure waits this long */
#define SOON_NS                 (2 * NS_PER_SEC)        /* "at once" under nested emulation */
#define UPCALL_VECTOR           0xf3                    /* Linux's */
#define SELF_IPI_VECTOR         0x40
#define DOMID_VMM               0
#define BEYOND_RAM              0xdead0000ul
#define SENTINEL                0x5a5a5a5au
#define AFTER_MS                50      /* the AP's delayed sends */
#define DEFAULT_STORM           10000
#define HOSTILE_CALLS           3000
#define WORD_BITS               (8 * sizeof(unsigned long))     /* xen_ulong_t, latched */

static volatile uint8_t *shinfo;
static uint16_t my_domid;               /* CPUID 0x40000004 ECX */
static uint32_t nr_ports;               /* of the latched layout */
static bool callback_mode;
static uint8_t hypercall_page[4096] __attribute__((aligned(4096)));

/* ---- hypercalls ---- */

static unsigned long ptr(const volatile void *p)
{
	return (unsigned long)(uintptr_t)p;
}

static long evtchn_op(unsigned long cmd, const volatile void *arg)
{
	return hypercall2(XEN_HC_EVENT_CHANNEL_OP, cmd, ptr(arg));
}

static long ev_port_op(unsigned int cmd, uint32_t port)
{
	struct xen_evtchn_port a = { port };

	return evtchn_op(cmd, &a);
}

static long ev_send(uint32_t port)
{
	return ev_port_op(XEN_EVTCHNOP_SEND, port);
}

static long ev_close(uint32_t port)
{
	return ev_port_op(XEN_EVTCHNOP_CLOSE, port);
}

static long ev_unmask(uint32_t port)
{
	return ev_port_op(XEN_EVTCHNOP_UNMASK, port);
}

static long ev_bind_ipi(uint32_t vcpu, uint32_t *port)
{
	struct xen_evtchn_bind_ipi a = { vcpu, SENTINEL };
	long rc = evtchn_op(XEN_EVTCHNOP_BIND_IPI, &a);

	*port = a.port;
	return rc;
}

static long ev_bind_virq(uint32_t virq, uint32_t vcpu, uint32_t *port)
{
	struct xen_evtchn_bind_virq a = { virq, vcpu, SENTINEL };
	long rc = evtchn_op(XEN_EVTCHNOP_BIND_VIRQ, &a);

	*port = a.port;
	return rc;
}

static long ev_alloc_unbound(uint16_t dom, uint16_t remote_dom, uint32_t *port)
{
	struct xen_evtchn_alloc_unbound a = { dom, remote_dom, SENTINEL };
	long rc = evtchn_op(XEN_EVTCHNOP_ALLOC_UNBOUND, &a);

	*port = a.port;
	return rc;
}

static long ev_bind_interdomain(uint16_t rdom, uint32_t rport, uint32_t *lport)
{
	struct xen_evtchn_bind_interdomain a = { rdom, 0, rport, SENTINEL };
	long rc = evtchn_op(XEN_EVTCHNOP_BIND_INTERDOMAIN, &a);

	*lport = a.local_port;
	return rc;
}

static long ev_status_of(uint16_t dom, uint32_t port, struct xen_evtchn_status *s)
{
	*s = (struct xen_evtchn_status){ .dom = dom, .port = port, .status = SENTINEL,
					 .vcpu = SENTINEL };
	s->u.interdomain.dom = 0x5a5a;
	s->u.interdomain.pad = 0x5a5a;
	s->u.interdomain.port = SENTINEL;
	return evtchn_op(XEN_EVTCHNOP_STATUS, s);
}

static long ev_bind_vcpu(uint32_t port, uint32_t vcpu)
{
	struct xen_evtchn_bind_vcpu a = { port, vcpu };

	return evtchn_op(XEN_EVTCHNOP_BIND_VCPU, &a);
}

static long ev_reset(unsigned int cmd, uint16_t dom)
{
	struct xen_evtchn_reset a = { dom };

	return evtchn_op(cmd, &a);
}

static long hvm_op(unsigned int op, const volatile void *arg)
{
	return hypercall2(XEN_HC_HVM_OP, op, ptr(arg));
}

static long set_upcall_vector(uint32_t vcpu, uint8_t vector)
{
	struct xen_hvm_evtchn_upcall_vector a = { vcpu, vector, { 0 } };

	return hvm_op(XEN_HVMOP_SET_EVTCHN_UPCALL_VECTOR, &a);
}

static long param(unsigned int op, uint32_t index, uint64_t *value)
{
	struct xen_hvm_param p = { XEN_DOMID_SELF, 0, index, *value };
	long rc = hvm_op(op, &p);

	*value = p.value;
	return rc;
}

static long poll_ports(const uint32_t *ports, uint32_t nr, uint64_t timeout)
{
	sched_poll_t a = { .ports = ptr(ports), .nr_ports = nr, .timeout = timeout };

	return hc_sched_op(XEN_SCHEDOP_POLL, &a);
}

/* Must-succeed binds. */
static uint32_t bind_ipi(uint32_t vcpu)
{
	uint32_t port;

	expect_eq(ev_bind_ipi(vcpu, &port), 0, "bind_ipi(vCPU %u)", vcpu);
	return port;
}

static void mask_port(uint32_t port);

/* Masked again first, as Linux leaves a port it no longer uses: numbers are reused. */
static void close_port(uint32_t port)
{
	mask_port(port);
	expect_eq(ev_close(port), 0, "close(%u)", port);
}

/* ---- the shared_info bits, in the latched (native) layout ---- */

static volatile unsigned long *pending_words(void)
{
	return (volatile unsigned long *)(shinfo + XEN_EVTCHN_PENDING_OFFSET);
}

static volatile unsigned long *mask_words(void)
{
	return (volatile unsigned long *)(shinfo + (sizeof(long) == 8 ? XEN_EVTCHN_MASK_OFFSET64 :
						   XEN_EVTCHN_MASK_OFFSET32));
}

static volatile vcpu_info_t *vcpu_info(unsigned int cpu)
{
	return (volatile vcpu_info_t *)(shinfo + cpu * XEN_VCPU_INFO_SIZE);
}

static unsigned long port_bit(uint32_t port)
{
	return 1ul << (port % WORD_BITS);
}

static bool is_pending(uint32_t port)
{
	return pending_words()[port / WORD_BITS] & port_bit(port);
}

static bool is_masked(uint32_t port)
{
	return mask_words()[port / WORD_BITS] & port_bit(port);
}

static void clear_pending(uint32_t port)
{
	__atomic_fetch_and(&pending_words()[port / WORD_BITS], ~port_bit(port), __ATOMIC_SEQ_CST);
}

static void mask_port(uint32_t port)
{
	__atomic_fetch_or(&mask_words()[port / WORD_BITS], port_bit(port), __ATOMIC_SEQ_CST);
}

/* Linux clears its own mask bits (events_2l.c): no hypercall. */
static void unmask_locally(uint32_t port)
{
	__atomic_fetch_and(&mask_words()[port / WORD_BITS], ~port_bit(port), __ATOMIC_SEQ_CST);
}

static void mask_all(void)
{
	for (uint32_t w = 0; w < nr_ports / WORD_BITS; w++)
		mask_words()[w] = ~0ul;
}

static void clear_vcpu_events(unsigned int cpu)
{
	vcpu_info(cpu)->upcall_pending = 0;
	vcpu_info(cpu)->pending_sel = 0;
}

static bool sel_set(unsigned int cpu, uint32_t port)
{
	return vcpu_info(cpu)->pending_sel & (1ul << (port / WORD_BITS));
}

/* Pending, pending_sel bit, upcall_pending of @port on @cpu, exactly. */
static void expect_bits(uint32_t port, unsigned int cpu, bool pend, bool sel, bool upcall,
			const char *when)
{
	expect_eq(is_pending(port), pend, "%s: port %u pending", when, port);
	expect_eq(sel_set(cpu, port), sel, "%s: vCPU %u pending_sel bit %u", when, cpu,
		  (unsigned int)(port / WORD_BITS));
	expect_eq(vcpu_info(cpu)->upcall_pending, upcall, "%s: vCPU %u upcall_pending", when, cpu);
}

/* ---- upcalls: what a Linux-like handler finds ---- */

static volatile unsigned long upcalls[NR_CPUS];         /* handler runs */
static volatile unsigned long isr_seen[NR_CPUS];        /* runs with the vector in service */
static volatile uint16_t port_hits[XEN_EVTCHN_2L_PORTS64];
static volatile unsigned long self_ipis;

static unsigned int my_cpu(void)
{
	unsigned int id = lapic_id();

	if (id >= NR_CPUS)
		guest_fail(NAME ": an upcall on APIC ID %u", id);
	return id;
}

/* As Linux's __xen_evtchn_do_upcall (events_2l.c), counting what it finds. */
static void drain_events(unsigned int cpu)
{
	volatile vcpu_info_t *vi = vcpu_info(cpu);
	unsigned long sel, bits;
	unsigned int w, b;

	while (vi->upcall_pending) {
		vi->upcall_pending = 0;
		sel = __atomic_exchange_n(&vi->pending_sel, 0, __ATOMIC_SEQ_CST);
		while (sel) {
			w = __builtin_ctzl(sel);
			sel &= sel - 1;
			bits = pending_words()[w] & ~mask_words()[w];
			while (bits) {
				b = __builtin_ctzl(bits);
				bits &= bits - 1;
				__atomic_fetch_and(&pending_words()[w], ~(1ul << b), __ATOMIC_SEQ_CST);
				__atomic_add_fetch(&port_hits[w * WORD_BITS + b], 1, __ATOMIC_SEQ_CST);
			}
		}
	}
}

static void upcall_handler(struct irq_frame *f)
{
	unsigned int cpu = my_cpu();

	(void)f;
	if (lapic_vector_set(APIC_ISR, UPCALL_VECTOR))
		__atomic_add_fetch(&isr_seen[cpu], 1, __ATOMIC_SEQ_CST);
	drain_events(cpu);
	__atomic_add_fetch(&upcalls[cpu], 1, __ATOMIC_SEQ_CST);
	/* The per-vCPU vector came through the APIC; the callback did not. */
	if (!callback_mode)
		lapic_eoi();
}

/* Port numbers are reused: each check counts from zero. */
static void reset_hits(void)
{
	for (unsigned int p = 0; p < XEN_EVTCHN_2L_PORTS64; p++)
		port_hits[p] = 0;
}

static void self_ipi_handler(struct irq_frame *f)
{
	(void)f;
	self_ipis++;
	lapic_eoi();
}

/* ---- waiting ---- */

static void relax(void)
{
	cpu_relax();
	hc_sched_op(XEN_SCHEDOP_YIELD, 0);      /* let the host run the other vCPU */
}

#define WAIT_UNTIL(cond, ns) ({						\
	uint64_t end_ = clock_ns() + (ns);				\
	bool ok_;							\
	while (!(ok_ = (cond)) && clock_ns() < end_)			\
		relax();						\
	ok_;								\
})

static unsigned long long ms(uint64_t ns)
{
	return (unsigned long long)(ns / NS_PER_MS);
}

/* ---- the AP: commands, interrupts on ---- */

enum ap_cmd {
	AP_SEND,                /* arg0 port; result the send's */
	AP_SEND_AFTER,          /* arg0 port, arg1 ms after ap_go(); result the send's */
	AP_SET_OWN_VECTOR,      /* arg0 vector; result the hvm_op's */
	AP_HALT_FOR_UPCALL,     /* STI; HLT until an upcall came */
	AP_BLOCK,               /* SCHEDOP_block with IF = 0; result its */
	AP_STORM,               /* arg0 port, arg1 sends; result the failures */
};

struct ap_slot {
	volatile unsigned int seq, done;
	volatile enum ap_cmd cmd;
	volatile uint32_t arg0, arg1;
	volatile long result;
	volatile bool ready, started;   /* ready: up; started: the command began */
};

static struct ap_slot ap_slot;
static uint8_t ap_stack[AP_STACK_SIZE] __attribute__((aligned(16)));
static volatile bool ap_go_flag;

/*
 * vCPU 0 is about to wait (poll, block, HLT) for what the AP sends: the
 * AP's delay starts now, so the send comes after the wait began unless
 * vCPU 0 is held up for longer than the delay.
 */
static void ap_go(void)
{
	__atomic_store_n(&ap_go_flag, true, __ATOMIC_SEQ_CST);
}

static void ap_run(struct ap_slot *s)
{
	unsigned long before;
	long rc = 0;

	switch (s->cmd) {
	case AP_SEND:
		rc = ev_send(s->arg0);
		break;
	case AP_SEND_AFTER:
		s->started = true;
		while (!__atomic_exchange_n(&ap_go_flag, false, __ATOMIC_SEQ_CST))
			cpu_relax();
		clock_delay_ns(s->arg1 * NS_PER_MS);
		rc = ev_send(s->arg0);
		break;
	case AP_SET_OWN_VECTOR:
		rc = set_upcall_vector(AP, s->arg0);
		break;
	case AP_HALT_FOR_UPCALL:
		before = upcalls[AP];
		irq_disable();
		s->started = true;
		while (upcalls[AP] == before)
			irq_enable_and_halt();
		break;
	case AP_BLOCK:
		irq_disable();
		s->started = true;
		rc = hc_sched_op(XEN_SCHEDOP_BLOCK, 0);
		irq_enable();
		break;
	case AP_STORM:
		s->started = true;
		for (uint32_t i = 0; i < s->arg1; i++)
			rc += ev_send(s->arg0) != 0;
		break;
	}
	s->result = rc;
}

static void ap_main(unsigned int id, unsigned long arg)
{
	struct ap_slot *s = &ap_slot;

	(void)id;
	(void)arg;
	lapic_reset_for_test();
	irq_enable();
	s->ready = true;
	for (;;) {
		unsigned int seq = s->seq;

		if (seq != s->done) {
			ap_run(s);
			__atomic_store_n(&s->done, seq, __ATOMIC_SEQ_CST);
		}
		cpu_relax();
	}
}

static void ap_post(enum ap_cmd cmd, uint32_t arg0, uint32_t arg1)
{
	struct ap_slot *s = &ap_slot;

	s->cmd = cmd;
	s->arg0 = arg0;
	s->arg1 = arg1;
	s->result = SENTINEL;
	s->started = false;
	__atomic_store_n(&s->seq, s->seq + 1, __ATOMIC_SEQ_CST);
}

static long ap_wait(const char *what)
{
	expect_true(WAIT_UNTIL(ap_slot.done == ap_slot.seq, WAIT_NS),
		    "the AP did not finish: %s", what);
	return ap_slot.result;
}

static long ap_command(enum ap_cmd cmd, uint32_t arg0, uint32_t arg1, const char *what)
{
	ap_post(cmd, arg0, arg1);
	return ap_wait(what);
}

static void start_ap(void)
{
	struct xen_vcpu_hvm_context ctx;

	smp_ap_context(&ctx, AP, ap_main, 0, ap_stack + AP_STACK_SIZE);
	expect_eq(hc_vcpu_op(XEN_VCPUOP_INITIALISE, AP, &ctx), 0, "initialise(AP)");
	expect_eq(hc_vcpu_op(XEN_VCPUOP_UP, AP, 0), 0, "up(AP)");
	expect_true(WAIT_UNTIL(ap_slot.ready, WAIT_NS), "the AP did not start");
}

/* ---- ports bound before we started (the VMM's, e.g. the PV console) ---- */

static uint32_t vmm_ports[8];
static unsigned int nr_vmm_ports;

static void find_vmm_ports(void)
{
	struct xen_evtchn_status s;

	for (uint32_t port = 1; port < nr_ports; port++) {
		expect_eq(ev_status_of(XEN_DOMID_SELF, port, &s), 0, "status(%u) at start", port);
		if (s.status == XEN_EVTCHNSTAT_CLOSED)
			continue;
		expect_eq(s.status, XEN_EVTCHNSTAT_INTERDOMAIN, "status(%u) of a port bound "
			  "before boot", port);
		expect_eq(s.u.interdomain.dom, DOMID_VMM, "port %u bound before boot: remote dom",
			  port);
		expect_eq(s.u.interdomain.port, port, "port %u bound before boot: remote port",
			  port);
		expect_true(nr_vmm_ports < 8, "more than 8 ports bound before boot");
		vmm_ports[nr_vmm_ports++] = port;
	}
}

/* The lowest port free now: where the next bind must land. */
static uint32_t lowest_free_port(void)
{
	struct xen_evtchn_status s;

	for (uint32_t port = 1; port < nr_ports; port++)
		if (ev_status_of(XEN_DOMID_SELF, port, &s) == 0 && s.status == XEN_EVTCHNSTAT_CLOSED)
			return port;
	return 0;
}

/* ---- layout ---- */

static void latch_by_hypercall_page(void)
{
	wrmsr(XEN_HYPERCALL_PAGE_MSR, ptr(hypercall_page));
}

#ifndef __x86_64__
/* Byte-wise: bit n of a bitmap at @offset of shared_info, whatever the layout. */
static bool si_bit(unsigned int offset, unsigned int n)
{
	return shinfo[offset + n / 8] >> (n % 8) & 1;
}

static void si_set_bit(unsigned int offset, unsigned int n, bool on)
{
	volatile uint8_t *b = &shinfo[offset + n / 8];

	*b = on ? *b | 1u << (n % 8) : *b & ~(1u << (n % 8));
}

/*
 * Until the hypercall-page MSR write (or CALLBACK_IRQ) latches the 32-bit
 * layout, shared_info has the 64-bit one, as Xen's has_32bit_shinfo
 * starts false.  Port 40 tells them apart: mask bit at 2560 + 5 vs 2176 +
 * 5; pending_sel bit 0 of the u64 at 8 vs bit 1 of the u32 at 4.
 */
static void check_layout_latch(void)
{
	const unsigned int port = 40;
	uint32_t ports[40], p;
	unsigned int n = 0;
	struct xen_evtchn_status s;

	expect_eq(ev_status_of(XEN_DOMID_SELF, 1024, &s), 0, "status(1024) in the 64-bit layout");
	do {
		p = bind_ipi(0);
		ports[n++] = p;
	} while (p < port && n < 40);
	expect_eq(p, port, "the 40th port bound");
	for (unsigned int k = 0; k < 16; k++)
		shinfo[k] = 0;
	si_set_bit(XEN_EVTCHN_MASK_OFFSET64, port, false);
	si_set_bit(XEN_EVTCHN_MASK_OFFSET32, port, true);
	expect_eq(ev_send(port), 0, "send(%u), 64-bit layout", port);
	expect_true(si_bit(XEN_EVTCHN_PENDING_OFFSET, port), "64-bit layout: pending bit");
	expect_true(si_bit(8, 0), "64-bit layout: pending_sel bit 0 of the u64 at 8");
	expect_true(!si_bit(4, 1), "64-bit layout: the u32 at 4 untouched");
	expect_eq(shinfo[0], 1, "64-bit layout: upcall_pending");

	latch_by_hypercall_page();
	for (unsigned int k = 0; k < 16; k++)
		shinfo[k] = 0;
	si_set_bit(XEN_EVTCHN_PENDING_OFFSET, port, false);
	expect_eq(ev_send(port), 0, "send(%u), 32-bit layout", port);
	expect_true(si_bit(XEN_EVTCHN_PENDING_OFFSET, port), "32-bit layout: pending bit");
	expect_true(!si_bit(4, 1) && shinfo[0] == 0, "32-bit layout: port %u is masked at 2176",
		    port);
	expect_eq(ev_unmask(port), 0, "unmask(%u)", port);
	expect_true(!si_bit(XEN_EVTCHN_MASK_OFFSET32, port), "unmask cleared the bit at 2176");
	expect_true(si_bit(4, 1), "32-bit layout: pending_sel bit 1 of the u32 at 4");
	expect_true(!si_bit(8, 0), "32-bit layout: byte 8 untouched");
	expect_eq(shinfo[0], 1, "32-bit layout: upcall_pending");
	expect_eq(ev_status_of(XEN_DOMID_SELF, 1024, &s), -XEN_EINVAL,
		  "status(1024) in the 32-bit layout");
	for (unsigned int k = 0; k < n; k++)
		close_port(ports[k]);
	printf(NAME ": the 64-bit layout until the hypercall-page MSR, then the 32-bit one\n");
}
#endif

static void setup_layout(void)
{
	nr_ports = XEN_EVTCHN_2L_PORTS64;       /* until latched */
	find_vmm_ports();
#ifndef __x86_64__
	check_layout_latch();
#else
	latch_by_hypercall_page();              /* a 64-bit caller: 64-bit still */
#endif
	nr_ports = sizeof(long) == 8 ? XEN_EVTCHN_2L_PORTS64 : XEN_EVTCHN_2L_PORTS32;
	mask_all();
	clear_vcpu_events(0);
	clear_vcpu_events(AP);
}

/* ---- 1. bad arguments, operations a PVH domU on a FIFO-less Xen refuses ---- */

static void check_refusals(void)
{
	static const unsigned long bad[] = {
		BEYOND_RAM,
#ifdef __x86_64__
		0x100000000ul, 0x8000000000000000ul, HOLE_VA,
#endif
	};
	struct xen_evtchn_init_control ic = { 0, 0, 0, 0x5a, { 0 } };
	struct xen_evtchn_expand_array ea = { 0 };
	struct xen_evtchn_set_priority sp = { 0, 0 };
	struct xen_evtchn_bind_pirq bp = { 0, 0, SENTINEL };
	struct xen_evtchn_port any = { 1 };

	for (unsigned int i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		for (unsigned int cmd = 0; cmd <= XEN_EVTCHNOP_RESET_CONT; cmd++)
			expect_eq(hypercall2(XEN_HC_EVENT_CHANNEL_OP, cmd, bad[i]), -XEN_EFAULT,
				  "event_channel_op(%u, 0x%lx)", cmd, bad[i]);
		expect_eq(hypercall2(XEN_HC_HVM_OP, XEN_HVMOP_SET_EVTCHN_UPCALL_VECTOR, bad[i]),
			  -XEN_EFAULT, "set_evtchn_upcall_vector(0x%lx)", bad[i]);
		expect_eq(hc_sched_op(XEN_SCHEDOP_POLL, (void *)bad[i]), -XEN_EFAULT,
			  "sched_op(POLL, 0x%lx)", bad[i]);
	}
	expect_eq(evtchn_op(15, &any), -XEN_ENOSYS, "event_channel_op(15)");
	expect_eq(evtchn_op(99, &any), -XEN_ENOSYS, "event_channel_op(99)");
	expect_eq(evtchn_op(0xffffffff, &any), -XEN_ENOSYS, "event_channel_op(0xffffffff)");
#ifdef __x86_64__
	expect_eq(evtchn_op(1ul << 32 | XEN_EVTCHNOP_SEND, &any), -XEN_ENOSYS,
		  "event_channel_op(send | 1 << 32)");
#endif
	expect_eq(evtchn_op(XEN_EVTCHNOP_INIT_CONTROL, &ic), -XEN_EOPNOTSUPP, "init_control");
	expect_eq(ic.link_bits, 0x5a, "init_control wrote link_bits");
	expect_eq(evtchn_op(XEN_EVTCHNOP_EXPAND_ARRAY, &ea), -XEN_EOPNOTSUPP, "expand_array");
	expect_eq(evtchn_op(XEN_EVTCHNOP_SET_PRIORITY, &sp), -XEN_ENOSYS, "set_priority(0)");
	sp.port = nr_ports - 1;
	expect_eq(evtchn_op(XEN_EVTCHNOP_SET_PRIORITY, &sp), -XEN_ENOSYS,
		  "set_priority(%u)", sp.port);
	sp.port = nr_ports;
	expect_eq(evtchn_op(XEN_EVTCHNOP_SET_PRIORITY, &sp), -XEN_EINVAL,
		  "set_priority(%u)", sp.port);
	sp.port = 0xffffffff;
	expect_eq(evtchn_op(XEN_EVTCHNOP_SET_PRIORITY, &sp), -XEN_EINVAL,
		  "set_priority(0xffffffff)");
	expect_eq(evtchn_op(XEN_EVTCHNOP_BIND_PIRQ, &bp), -XEN_EINVAL, "bind_pirq(0)");
	bp = (struct xen_evtchn_bind_pirq){ 9, XEN_BIND_PIRQ_WILL_SHARE, SENTINEL };
	expect_eq(evtchn_op(XEN_EVTCHNOP_BIND_PIRQ, &bp), -XEN_EINVAL, "bind_pirq(9, share)");
	expect_eq(bp.port, SENTINEL, "bind_pirq wrote a port");
	printf(NAME ": -EFAULT, -ENOSYS, no FIFO (-EOPNOTSUPP, set_priority -ENOSYS), "
	       "no pirqs ok\n");
}

/* ---- 2. ports: unbound, interdomain (loopback), status, bind_vcpu, close ---- */

static void expect_status(uint32_t port, uint32_t status, uint32_t vcpu, const char *what)
{
	struct xen_evtchn_status s;

	expect_eq(ev_status_of(XEN_DOMID_SELF, port, &s), 0, "status(%u) %s", port, what);
	expect_eq(s.status, status, "status(%u) %s: status", port, what);
	expect_eq(s.vcpu, vcpu, "status(%u) %s: vcpu", port, what);
	if (status == XEN_EVTCHNSTAT_CLOSED || status == XEN_EVTCHNSTAT_IPI)
		expect_eq(s.u.interdomain.port, SENTINEL, "status(%u) %s wrote the union", port,
			  what);
}

static void expect_peer(uint32_t port, uint16_t dom, uint32_t peer)
{
	struct xen_evtchn_status s;

	expect_eq(ev_status_of(XEN_DOMID_SELF, port, &s), 0, "status(%u)", port);
	expect_eq(s.status, XEN_EVTCHNSTAT_INTERDOMAIN, "status(%u): interdomain", port);
	expect_eq(s.u.interdomain.dom, dom, "status(%u): remote dom", port);
	expect_eq(s.u.interdomain.port, peer, "status(%u): remote port", port);
}

static void expect_unbound(uint32_t port, uint16_t remote, uint32_t vcpu)
{
	struct xen_evtchn_status s;

	expect_eq(ev_status_of(XEN_DOMID_SELF, port, &s), 0, "status(%u)", port);
	expect_eq(s.status, XEN_EVTCHNSTAT_UNBOUND, "status(%u): unbound", port);
	expect_eq(s.u.unbound_dom, remote, "status(%u): remote dom", port);
	expect_eq(s.vcpu, vcpu, "status(%u): vcpu", port);
}

static void check_status_errors(void)
{
	static const uint16_t other_doms[] = { 0, 2, XEN_DOMID_SELF - 1, XEN_DOMID_SELF + 1,
					       0xffff };
	struct xen_evtchn_status s;
	uint32_t port;

	expect_eq(ev_status_of(my_domid, 0, &s), 0, "status(0) of dom %u (ourselves)", my_domid);
	expect_status(0, XEN_EVTCHNSTAT_CLOSED, 0, "(reserved)");
	expect_status(nr_ports - 1, XEN_EVTCHNSTAT_CLOSED, 0, "(never used)");
	expect_eq(ev_status_of(XEN_DOMID_SELF, nr_ports, &s), -XEN_EINVAL, "status(%u)",
		  nr_ports);
	expect_eq(s.status, SENTINEL, "a failed status wrote its argument");
	expect_eq(ev_status_of(XEN_DOMID_SELF, 0xffffffff, &s), -XEN_EINVAL,
		  "status(0xffffffff)");
	for (unsigned int i = 0; i < sizeof(other_doms) / sizeof(other_doms[0]); i++) {
		expect_eq(ev_status_of(other_doms[i], 1, &s), -XEN_ESRCH, "status of dom 0x%x",
			  other_doms[i]);
		expect_eq(ev_alloc_unbound(other_doms[i], XEN_DOMID_SELF, &port), -XEN_ESRCH,
			  "alloc_unbound in dom 0x%x", other_doms[i]);
		expect_eq(ev_bind_interdomain(other_doms[i], 1, &port), -XEN_ESRCH,
			  "bind_interdomain to dom 0x%x", other_doms[i]);
		expect_eq(port, SENTINEL, "a failed bind_interdomain wrote a port");
		expect_eq(ev_reset(XEN_EVTCHNOP_RESET, other_doms[i]), -XEN_ESRCH,
			  "reset of dom 0x%x", other_doms[i]);
		expect_eq(ev_reset(XEN_EVTCHNOP_RESET_CONT, other_doms[i]), -XEN_ESRCH,
			  "reset_cont of dom 0x%x", other_doms[i]);
	}
}

static void check_interdomain(void)
{
	uint32_t a, b, c, l, l2, port, free_port, first = lowest_free_port();

	expect_eq(ev_alloc_unbound(XEN_DOMID_SELF, XEN_DOMID_SELF, &a), 0, "alloc_unbound(self)");
	expect_eq(a, first, "alloc_unbound: the lowest free port");
	/* Xen records the id DOMID_SELF stands for. */
	expect_unbound(a, my_domid, 0);
	expect_eq(ev_alloc_unbound(my_domid, DOMID_VMM, &b), 0, "alloc_unbound(for dom 0) in dom %u",
		  my_domid);
	expect_unbound(b, DOMID_VMM, 0);
	expect_eq(ev_alloc_unbound(XEN_DOMID_SELF, 7, &c), 0, "alloc_unbound(for dom 7)");
	expect_unbound(c, 7, 0);
	expect_true(a < b && b < c, "ports in increasing order: %u %u %u", a, b, c);
	free_port = lowest_free_port();

	/* A send on an unbound port is dropped, successfully. */
	expect_eq(ev_send(a), 0, "send(unbound %u)", a);
	expect_true(!is_pending(a), "send(unbound %u) set it pending", a);

	/* Only a port of ours, unbound and offered to ourselves, can be bound. */
	expect_eq(ev_bind_interdomain(XEN_DOMID_SELF, b, &port), -XEN_EINVAL,
		  "bind_interdomain to a port offered to dom 0");
	expect_eq(ev_bind_interdomain(XEN_DOMID_SELF, c, &port), -XEN_EINVAL,
		  "bind_interdomain to a port offered to dom 7");
	expect_eq(ev_bind_interdomain(XEN_DOMID_SELF, 0, &port), -XEN_EINVAL,
		  "bind_interdomain to port 0");
	expect_eq(ev_bind_interdomain(XEN_DOMID_SELF, free_port, &port), -XEN_EINVAL,
		  "bind_interdomain to free port %u", free_port);
	expect_eq(ev_bind_interdomain(XEN_DOMID_SELF, nr_ports, &port), -XEN_EINVAL,
		  "bind_interdomain to port %u", nr_ports);
	for (unsigned int i = 0; i < nr_vmm_ports; i++)
		expect_eq(ev_bind_interdomain(XEN_DOMID_SELF, vmm_ports[i], &port), -XEN_EINVAL,
			  "bind_interdomain to the VMM's port %u", vmm_ports[i]);
	expect_eq(lowest_free_port(), free_port, "failed binds left a port taken");

	expect_eq(ev_bind_interdomain(XEN_DOMID_SELF, a, &l), 0, "bind_interdomain(self, %u)", a);
	expect_eq(l, free_port, "bind_interdomain: the lowest free port");
	expect_peer(l, my_domid, a);
	expect_peer(a, my_domid, l);
	/* Xen raises the new port once, for what the unbound end may have missed. */
	expect_true(is_pending(l) && !is_pending(a), "bind_interdomain raised port %u once", l);
	clear_pending(l);
	expect_eq(ev_send(l), 0, "send(%u)", l);
	expect_true(is_pending(a) && !is_pending(l), "send(%u) raised its peer %u", l, a);
	clear_pending(a);
	expect_eq(ev_send(a), 0, "send(%u)", a);
	expect_true(is_pending(l) && !is_pending(a), "send(%u) raised its peer %u", a, l);
	clear_pending(l);

	/* bind_vcpu: the vCPU is checked first, then the port. */
	expect_eq(ev_bind_vcpu(a, AP), 0, "bind_vcpu(%u, AP)", a);
	expect_eq(ev_bind_vcpu(b, AP), 0, "bind_vcpu(unbound %u, AP)", b);
	expect_unbound(b, DOMID_VMM, AP);
	expect_eq(ev_bind_vcpu(a, NR_CPUS), -XEN_ENOENT, "bind_vcpu(%u, %u)", a, NR_CPUS);
	expect_eq(ev_bind_vcpu(nr_ports, NR_CPUS), -XEN_ENOENT, "bind_vcpu(bad port, bad vCPU)");
	expect_eq(ev_bind_vcpu(a, 0xffffffff), -XEN_ENOENT, "bind_vcpu(%u, 0xffffffff)", a);
	expect_eq(ev_bind_vcpu(nr_ports, 0), -XEN_EINVAL, "bind_vcpu(%u, 0)", nr_ports);
	expect_eq(ev_bind_vcpu(0, 0), -XEN_EINVAL, "bind_vcpu(0, 0)");
	expect_eq(ev_bind_vcpu(lowest_free_port(), 0), -XEN_EINVAL, "bind_vcpu(free port, 0)");

	/* Closing one end leaves the other unbound, offered to ourselves. */
	expect_eq(ev_close(l), 0, "close(%u)", l);
	expect_status(l, XEN_EVTCHNSTAT_CLOSED, 0, "after close");
	expect_unbound(a, my_domid, AP);
	expect_eq(ev_close(l), -XEN_EINVAL, "close(%u) again", l);
	expect_eq(ev_close(0), -XEN_EINVAL, "close(0)");
	expect_eq(ev_close(nr_ports), -XEN_EINVAL, "close(%u)", nr_ports);
	expect_eq(ev_close(0xffffffff), -XEN_EINVAL, "close(0xffffffff)");
	expect_eq(ev_bind_interdomain(my_domid, a, &l2), 0, "bind_interdomain(dom %u) again",
		  my_domid);
	expect_eq(l2, l, "bind_interdomain again: the same lowest port");
	clear_pending(l2);
	close_port(a);
	expect_unbound(l2, my_domid, 0);
	close_port(l2);
	close_port(b);
	close_port(c);
	printf(NAME ": alloc_unbound, loopback bind_interdomain, status, bind_vcpu, close ok\n");
}

/* ---- 3. VIRQs ---- */

static void check_virqs(void)
{
	static const uint32_t global[] = { XEN_VIRQ_CONSOLE, XEN_VIRQ_DOM_EXC, 5, 14,
					   XEN_VIRQ_ARCH_0, 23 };
	struct xen_evtchn_status s;
	uint32_t t0, t1, d0, d1, xp, argo, port;

	expect_eq(ev_bind_virq(XEN_NR_VIRQS, 0, &port), -XEN_EINVAL, "bind_virq(24, 0)");
	expect_eq(ev_bind_virq(0xffffffff, 0, &port), -XEN_EINVAL, "bind_virq(0xffffffff, 0)");
	expect_eq(ev_bind_virq(XEN_VIRQ_TIMER, NR_CPUS, &port), -XEN_ENOENT,
		  "bind_virq(TIMER, vCPU %u)", NR_CPUS);
	expect_eq(ev_bind_virq(XEN_VIRQ_TIMER, 64, &port), -XEN_ENOENT, "bind_virq(TIMER, 64)");
	expect_eq(ev_bind_virq(XEN_VIRQ_TIMER, 0xffffffff, &port), -XEN_ENOENT,
		  "bind_virq(TIMER, 0xffffffff)");
	expect_eq(port, SENTINEL, "a failed bind_virq wrote a port");
	/* Global VIRQs: vCPU 0 only, and never to a domU (their handler is dom0). */
	for (unsigned int i = 0; i < sizeof(global) / sizeof(global[0]); i++) {
		expect_eq(ev_bind_virq(global[i], AP, &port), -XEN_EINVAL,
			  "bind_virq(%u, AP)", global[i]);
		expect_eq(ev_bind_virq(global[i], 0, &port), -XEN_EBUSY, "bind_virq(%u, 0)",
			  global[i]);
	}
	expect_eq(ev_bind_virq(XEN_VIRQ_ARGO, AP, &port), -XEN_EINVAL, "bind_virq(ARGO, AP)");
	expect_eq(ev_bind_virq(XEN_VIRQ_ARGO, 0, &argo), 0, "bind_virq(ARGO, 0)");
	expect_eq(ev_bind_virq(XEN_VIRQ_TIMER, 0, &t0), 0, "bind_virq(TIMER, 0)");
	expect_eq(ev_bind_virq(XEN_VIRQ_TIMER, 0, &port), -XEN_EEXIST, "bind_virq(TIMER, 0) again");
	expect_eq(ev_bind_virq(XEN_VIRQ_TIMER, AP, &t1), 0, "bind_virq(TIMER, AP)");
	expect_eq(ev_bind_virq(XEN_VIRQ_DEBUG, 0, &d0), 0, "bind_virq(DEBUG, 0)");
	expect_eq(ev_bind_virq(XEN_VIRQ_DEBUG, AP, &d1), 0, "bind_virq(DEBUG, AP)");
	expect_eq(ev_bind_virq(XEN_VIRQ_XENPMU, AP, &xp), 0, "bind_virq(XENPMU, AP)");
	expect_eq(ev_bind_virq(XEN_VIRQ_DEBUG, AP, &port), -XEN_EEXIST, "bind_virq(DEBUG, AP) again");

	expect_eq(ev_status_of(XEN_DOMID_SELF, t1, &s), 0, "status(TIMER on AP)");
	expect_true(s.status == XEN_EVTCHNSTAT_VIRQ && s.u.virq == XEN_VIRQ_TIMER && s.vcpu == AP,
		    "status(%u): %u virq %u vcpu %u, expected VIRQ TIMER on the AP", t1, s.status,
		    s.u.virq, s.vcpu);
	expect_eq(ev_status_of(XEN_DOMID_SELF, argo, &s), 0, "status(ARGO)");
	expect_true(s.status == XEN_EVTCHNSTAT_VIRQ && s.u.virq == XEN_VIRQ_ARGO && s.vcpu == 0,
		    "status(%u): %u virq %u vcpu %u, expected VIRQ ARGO on vCPU 0", argo,
		    s.status, s.u.virq, s.vcpu);
	expect_eq(ev_send(t0), -XEN_EINVAL, "send(VIRQ port %u)", t0);
	expect_eq(ev_bind_vcpu(t0, AP), -XEN_EINVAL, "bind_vcpu(TIMER port, AP)");
	expect_eq(ev_bind_vcpu(argo, AP), 0, "bind_vcpu(ARGO port, AP)");
	expect_status(argo, XEN_EVTCHNSTAT_VIRQ, AP, "after bind_vcpu");
	/* Still one per domain: bound on vCPU 0's table wherever it notifies. */
	expect_eq(ev_bind_virq(XEN_VIRQ_ARGO, 0, &port), -XEN_EEXIST, "bind_virq(ARGO) again");
	close_port(t0);
	expect_eq(ev_bind_virq(XEN_VIRQ_TIMER, 0, &port), 0, "bind_virq(TIMER, 0) after close");
	expect_eq(port, t0, "bind_virq(TIMER, 0) after close: the same port");
	close_port(port);
	close_port(argo);
	expect_eq(ev_bind_virq(XEN_VIRQ_ARGO, 0, &argo), 0, "bind_virq(ARGO) after close");
	close_port(argo);
	close_port(t1);
	close_port(d0);
	close_port(d1);
	close_port(xp);
	printf(NAME ": VIRQs per vCPU, per domain, global (-EBUSY), -EEXIST, status ok\n");
}

/* ---- 4. delivery: the bits of §3 steps 1-3, no upcall method yet ---- */

static void clear_all(uint32_t port, unsigned int cpu)
{
	clear_pending(port);
	clear_vcpu_events(cpu);
}

static void check_delivery_bits(void)
{
	uint32_t p, q, r, s, extra[WORD_BITS + 1], port;
	unsigned int n = 0;

	expect_eq(ev_bind_ipi(NR_CPUS, &port), -XEN_ENOENT, "bind_ipi(vCPU %u)", NR_CPUS);
	expect_eq(ev_bind_ipi(0xffffffff, &port), -XEN_ENOENT, "bind_ipi(0xffffffff)");
	expect_eq(port, SENTINEL, "a failed bind_ipi wrote a port");
	p = bind_ipi(0);
	expect_status(p, XEN_EVTCHNSTAT_IPI, 0, "of an IPI");
	expect_eq(ev_bind_vcpu(p, AP), -XEN_EINVAL, "bind_vcpu(IPI port, AP)");
	clear_all(p, 0);

	/* Masked: pending only.  Then unmask raises it (step 2). */
	expect_true(is_masked(p), "port %u starts masked (by the guest)", p);
	expect_eq(ev_send(p), 0, "send(%u)", p);
	expect_bits(p, 0, true, false, false, "masked send");
	expect_eq(ev_send(p), 0, "send(%u) again", p);
	expect_bits(p, 0, true, false, false, "masked send again");
	expect_eq(ev_unmask(p), 0, "unmask(%u)", p);
	expect_true(!is_masked(p), "unmask(%u) left the mask bit", p);
	expect_bits(p, 0, true, true, true, "unmask of a pending port");
	clear_vcpu_events(0);
	expect_eq(ev_unmask(p), 0, "unmask(%u) again", p);
	expect_bits(p, 0, true, false, false, "unmask of an unmasked port");

	/* Unmasked: pending, selector, upcall_pending; then coalescing. */
	clear_all(p, 0);
	expect_eq(ev_send(p), 0, "send(%u) unmasked", p);
	expect_bits(p, 0, true, true, true, "unmasked send");
	vcpu_info(0)->upcall_pending = 0;
	expect_eq(ev_send(p), 0, "send(%u) while pending", p);
	expect_bits(p, 0, true, true, false, "send while pending (step 1 stops)");
	clear_pending(p);
	expect_eq(ev_send(p), 0, "send(%u) with its selector bit set", p);
	expect_bits(p, 0, true, true, false, "selector already set (no new upcall)");

	/* A port in the second word sets selector bit 1. */
	do {
		q = bind_ipi(0);
		extra[n++] = q;
	} while (q < WORD_BITS && n < WORD_BITS + 1);
	expect_eq(q / WORD_BITS, 1, "port %u in the second word", q);
	unmask_locally(q);
	clear_all(q, 0);
	clear_pending(p);
	expect_eq(ev_send(q), 0, "send(%u)", q);
	expect_bits(q, 0, true, true, true, "a port of the second word");
	expect_eq(vcpu_info(0)->pending_sel, 2ul, "pending_sel after port %u", q);

	/* Closing a pending port clears its bit. */
	expect_eq(ev_close(q), 0, "close(pending %u)", q);
	expect_true(!is_pending(q), "close(%u) left it pending", q);
	extra[--n] = 0;
	for (unsigned int k = 0; k < n; k++)
		close_port(extra[k]);

	/* To the other vCPU, from either. */
	r = bind_ipi(AP);
	unmask_locally(r);
	clear_all(r, AP);
	clear_vcpu_events(0);
	expect_eq(ev_send(r), 0, "send(%u) to the AP", r);
	expect_bits(r, AP, true, true, true, "IPI to the AP");
	expect_true(!vcpu_info(0)->upcall_pending && !vcpu_info(0)->pending_sel,
		    "IPI to the AP touched vCPU 0's vcpu_info");
	s = bind_ipi(0);
	unmask_locally(s);
	clear_all(s, 0);
	clear_all(r, AP);
	expect_eq(ap_command(AP_SEND, s, 0, "send"), 0, "send(%u) from the AP", s);
	expect_bits(s, 0, true, true, true, "IPI from the AP");
	expect_true(!vcpu_info(AP)->upcall_pending, "IPI from the AP raised the AP");
	clear_all(s, 0);
	close_port(p);
	close_port(r);
	close_port(s);

	/* The VMM's ports, if any: a send completes (the VMM is told). */
	for (unsigned int k = 0; k < nr_vmm_ports; k++)
		expect_eq(ev_send(vmm_ports[k]), 0, "send(VMM port %u)", vmm_ports[k]);
	printf(NAME ": pending, mask, pending_sel, upcall_pending per §3; unmask; both vCPUs ok "
	       "(%u VMM port%s)\n", nr_vmm_ports, nr_vmm_ports == 1 ? "" : "s");
}

/* ---- 5. other sends; reset; every port ---- */

static void check_send_errors(void)
{
	uint32_t free_port = lowest_free_port();

	expect_eq(ev_send(0), -XEN_EINVAL, "send(0)");
	expect_eq(ev_send(free_port), -XEN_EINVAL, "send(free %u)", free_port);
	expect_eq(ev_send(nr_ports), -XEN_EINVAL, "send(%u)", nr_ports);
	expect_eq(ev_send(0xffffffff), -XEN_EINVAL, "send(0xffffffff)");
	expect_eq(ev_unmask(0), 0, "unmask(0)");
	expect_eq(ev_unmask(free_port), 0, "unmask(free %u)", free_port);
	expect_eq(ev_unmask(nr_ports), -XEN_EINVAL, "unmask(%u)", nr_ports);
	expect_eq(ev_unmask(0xffffffff), -XEN_EINVAL, "unmask(0xffffffff)");
}

static void check_reset_and_limits(void)
{
	uint32_t port, last = 0, kept, unbound, count = 0;
	long rc;

	kept = bind_ipi(AP);
	expect_eq(ev_alloc_unbound(XEN_DOMID_SELF, XEN_DOMID_SELF, &unbound), 0, "alloc_unbound");
	expect_eq(ev_bind_virq(XEN_VIRQ_TIMER, 0, &port), 0, "bind_virq(TIMER, 0)");
	expect_eq(ev_reset(XEN_EVTCHNOP_RESET_CONT, XEN_DOMID_SELF), -XEN_EBUSY,
		  "reset_cont with no reset to continue");
	expect_status(kept, XEN_EVTCHNSTAT_IPI, AP, "after reset_cont");
	expect_eq(ev_reset(XEN_EVTCHNOP_RESET, XEN_DOMID_SELF), 0, "reset");
	expect_status(kept, XEN_EVTCHNSTAT_CLOSED, 0, "after reset");
	expect_status(unbound, XEN_EVTCHNSTAT_CLOSED, 0, "after reset");
	expect_status(port, XEN_EVTCHNSTAT_CLOSED, 0, "after reset");
	for (unsigned int k = 0; k < nr_vmm_ports; k++)
		expect_status(vmm_ports[k], XEN_EVTCHNSTAT_CLOSED, 0, "(the VMM's) after reset");
	nr_vmm_ports = 0;
	expect_eq(ev_bind_virq(XEN_VIRQ_TIMER, 0, &port), 0, "bind_virq(TIMER, 0) after reset");
	expect_eq(port, 1, "the first port after reset");

	/* Every port but 0 and the TIMER's, then -ENOSPC from every bind. */
	while ((rc = ev_bind_ipi(count % NR_CPUS, &port)) == 0) {
		expect_eq(port, count + 2, "bind_ipi #%u: the lowest free port", count);
		last = port;
		count++;
	}
	expect_eq(rc, -XEN_ENOSPC, "bind_ipi with every port taken");
	expect_eq(count, nr_ports - 2, "ports bound before -ENOSPC");
	expect_eq(last, nr_ports - 1, "the last port bound");
	expect_eq(ev_alloc_unbound(XEN_DOMID_SELF, XEN_DOMID_SELF, &port), -XEN_ENOSPC,
		  "alloc_unbound with every port taken");
	expect_eq(ev_bind_virq(XEN_VIRQ_DEBUG, 0, &port), -XEN_ENOSPC,
		  "bind_virq with every port taken");
	/* Xen takes the local port before it looks at the remote one. */
	expect_eq(ev_bind_interdomain(XEN_DOMID_SELF, 0, &port), -XEN_ENOSPC,
		  "bind_interdomain with every port taken");
	close_port(last - 1);
	expect_eq(ev_bind_ipi(0, &port), 0, "bind_ipi after one close");
	expect_eq(port, last - 1, "bind_ipi after one close: that port");
	expect_eq(ev_reset(XEN_EVTCHNOP_RESET, XEN_DOMID_SELF), 0, "reset with every port bound");
	expect_status(last, XEN_EVTCHNSTAT_CLOSED, 0, "after reset");
	expect_status(1, XEN_EVTCHNSTAT_CLOSED, 0, "after reset");
	mask_all();
	printf(NAME ": reset; %u ports, then -ENOSPC from every bind ok\n", count + 1);
}

/* ---- 6. upcall methods ---- */

static void setup_vector_upcalls(void)
{
	uint32_t early;
	uint64_t v;

	expect_eq(set_upcall_vector(0, 0x0f), -XEN_EINVAL, "upcall vector 0x0f");
	expect_eq(set_upcall_vector(NR_CPUS, 0x05), -XEN_EINVAL, "upcall vector 0x05, bad vCPU");
	expect_eq(set_upcall_vector(NR_CPUS, UPCALL_VECTOR), -XEN_ENOENT, "upcall vector, vCPU %u",
		  NR_CPUS);
	expect_eq(set_upcall_vector(64, UPCALL_VECTOR), -XEN_ENOENT, "upcall vector, vCPU 64");
	expect_eq(set_upcall_vector(0xffffffff, UPCALL_VECTOR), -XEN_ENOENT,
		  "upcall vector, vCPU 0xffffffff");
	/*
	 * Set while the APIC is software-disabled (as Linux does), the call's
	 * interrupt is lost; enabling the APIC asserts it again while
	 * upcall_pending is set (Xen's vlapic, APIC_SPIV).
	 */
	early = bind_ipi(0);
	unmask_locally(early);
	clear_all(early, 0);
	reset_hits();
	expect_eq(ev_send(early), 0, "send(%u) before any upcall method", early);
	lapic_write(APIC_SVR, APIC_SVR_RESET);
	expect_eq(set_upcall_vector(0, UPCALL_VECTOR), 0, "upcall vector, APIC disabled");
	expect_true(!lapic_vector_set(APIC_IRR, UPCALL_VECTOR),
		    "an IRR bit from a software-disabled APIC");
	lapic_reset_for_test();
	expect_true(lapic_vector_set(APIC_IRR, UPCALL_VECTOR),
		    "no IRR bit when the APIC was enabled with upcall_pending set");
	irq_window();
	expect_eq(upcalls[0], 1, "upcalls on vCPU 0 after enabling the APIC");
	expect_eq(port_hits[early], 1, "port %u found by that upcall", early);
	close_port(early);
	/* Once at the call: into the IRR, taken when IF allows, with an EOI. */
	expect_eq(set_upcall_vector(0, UPCALL_VECTOR), 0, "upcall vector for vCPU 0");
	expect_true(lapic_vector_set(APIC_IRR, UPCALL_VECTOR), "no IRR bit at the call");
	irq_window();
	expect_eq(upcalls[0], 2, "upcalls on vCPU 0 after the call");
	expect_eq(isr_seen[0], 2, "upcalls through the APIC (ISR) on vCPU 0");
	expect_eq(ap_command(AP_SET_OWN_VECTOR, UPCALL_VECTOR, 0, "set vector"), 0,
		  "upcall vector for the AP, by the AP");
	expect_true(WAIT_UNTIL(upcalls[AP] == 1, WAIT_NS), "the AP's upcall at the call: %lu",
		    upcalls[AP]);
	/* Linux then writes "GSI 1", for toolstacks: it must succeed, and do nothing. */
	v = 1;
	expect_eq(param(XEN_HVMOP_SET_PARAM, XEN_HVM_PARAM_CALLBACK_IRQ, &v), 0,
		  "set CALLBACK_IRQ = GSI 1");
	v = 0;
	expect_eq(param(XEN_HVMOP_GET_PARAM, XEN_HVM_PARAM_CALLBACK_IRQ, &v), 0,
		  "get CALLBACK_IRQ");
	expect_eq(v, 1, "CALLBACK_IRQ read back");
	expect_eq(lapic_highest_vector(APIC_IRR), -1, "IRR after GSI 1");
	irq_window();
	expect_eq(upcalls[0], 2, "upcalls after GSI 1");
}

static void setup_callback_upcalls(void)
{
	uint64_t vector = (uint64_t)XEN_HVM_CALLBACK_TYPE_VECTOR << XEN_HVM_CALLBACK_TYPE_SHIFT |
			  UPCALL_VECTOR, v = 0x1234;

	expect_eq(param(XEN_HVMOP_GET_PARAM, XEN_HVM_PARAM_CALLBACK_IRQ, &v), 0,
		  "get CALLBACK_IRQ");
	expect_eq(v, 0, "CALLBACK_IRQ before it is set");
	v = vector;
	expect_eq(param(XEN_HVMOP_SET_PARAM, XEN_HVM_PARAM_CALLBACK_IRQ, &v), 0,
		  "set CALLBACK_IRQ = vector 0x%x", UPCALL_VECTOR);
	v = 0;
	expect_eq(param(XEN_HVMOP_GET_PARAM, XEN_HVM_PARAM_CALLBACK_IRQ, &v), 0,
		  "get CALLBACK_IRQ");
	expect_eq(v, vector, "CALLBACK_IRQ read back");
	/* Nothing pending: nothing injected. */
	irq_window();
	expect_eq(upcalls[0], 0, "upcalls with nothing pending");
	/* A PVH domain has no PIC or IO-APIC: GSI, INTx and none leave the vector. */
	v = 1;
	expect_eq(param(XEN_HVMOP_SET_PARAM, XEN_HVM_PARAM_CALLBACK_IRQ, &v), 0,
		  "set CALLBACK_IRQ = GSI 1");
	v = 0;
	expect_eq(param(XEN_HVMOP_SET_PARAM, XEN_HVM_PARAM_CALLBACK_IRQ, &v), 0,
		  "set CALLBACK_IRQ = none");
	v = 0;
	expect_eq(param(XEN_HVMOP_GET_PARAM, XEN_HVM_PARAM_CALLBACK_IRQ, &v), 0,
		  "get CALLBACK_IRQ");
	expect_eq(v, 0, "CALLBACK_IRQ read back after none");
}

static void take_upcalls(void)
{
	irq_window();
	irq_window();
}

static void check_upcalls(void)
{
	uint32_t p = bind_ipi(0), p2 = bind_ipi(0), r = bind_ipi(AP), s = bind_ipi(0);
	unsigned long before = upcalls[0];

	reset_hits();
	unmask_locally(p);
	unmask_locally(p2);
	unmask_locally(r);
	unmask_locally(s);

	/* IF = 0: nothing yet; then one upcall finds the port. */
	expect_eq(ev_send(p), 0, "send(%u)", p);
	expect_bits(p, 0, true, true, true, "send before the upcall");
	expect_eq(lapic_vector_set(APIC_IRR, UPCALL_VECTOR), !callback_mode,
		  "the upcall vector in the IRR");
	expect_eq(upcalls[0], before, "an upcall with IF = 0");
	take_upcalls();
	expect_eq(upcalls[0], before + 1, "upcalls after a send");
	expect_eq(port_hits[p], 1, "port %u found by the upcall", p);
	expect_bits(p, 0, false, false, false, "after the upcall");
	expect_eq(isr_seen[0], callback_mode ? 0 : before + 1,
		  "upcalls in service in the APIC (per-vCPU vector only)");
	expect_eq(lapic_highest_vector(APIC_ISR), -1, "ISR after the upcall");

	/* Two sends, one upcall (upcall_pending was set by the first). */
	expect_eq(ev_send(p), 0, "send(%u)", p);
	expect_eq(ev_send(p2), 0, "send(%u)", p2);
	take_upcalls();
	expect_eq(upcalls[0], before + 2, "one upcall for two sends");
	expect_true(port_hits[p] == 2 && port_hits[p2] == 1, "ports %u and %u found: %u %u",
		    p, p2, port_hits[p], port_hits[p2]);

	/* The TPR holds back the APIC's vector, never the callback. */
	lapic_write(APIC_TPR, 0xf0);
	expect_eq(ev_send(p), 0, "send(%u) with TPR 0xf0", p);
	take_upcalls();
	expect_eq(upcalls[0], before + 2 + callback_mode, "upcalls with TPR 0xf0");
	lapic_write(APIC_TPR, 0);
	take_upcalls();
	expect_eq(upcalls[0], before + 3, "upcalls with TPR 0");
	expect_eq(port_hits[p], 3, "port %u found", p);

	/* Masked: no upcall; unmask raises one. */
	mask_port(p);
	expect_eq(ev_send(p), 0, "send(masked %u)", p);
	take_upcalls();
	expect_eq(upcalls[0], before + 3, "an upcall for a masked port");
	expect_eq(ev_unmask(p), 0, "unmask(%u)", p);
	take_upcalls();
	expect_eq(upcalls[0], before + 4, "upcalls after unmask");
	expect_eq(port_hits[p], 4, "port %u found after unmask", p);

	/* To the AP (interrupts on), from the AP, and waking the AP's HLT. */
	expect_eq(ev_send(r), 0, "send(%u) to the AP", r);
	expect_true(WAIT_UNTIL(port_hits[r] == 1, WAIT_NS), "the AP's upcall for port %u", r);
	expect_eq(ap_command(AP_SEND, s, 0, "send"), 0, "send(%u) from the AP", s);
	take_upcalls();
	expect_eq(port_hits[s], 1, "port %u (from the AP) found on vCPU 0", s);
	ap_post(AP_HALT_FOR_UPCALL, 0, 0);
	expect_true(WAIT_UNTIL(ap_slot.started, WAIT_NS), "the AP did not halt");
	clock_delay_ns(AFTER_MS * NS_PER_MS);
	expect_eq(ev_send(r), 0, "send(%u) to the halted AP", r);
	ap_wait("HLT until an upcall");
	expect_eq(port_hits[r], 2, "port %u found by the halted AP", r);
	/* vCPU 0's own HLT (STI; HLT), woken by the AP's send. */
	before = upcalls[0];
	ap_post(AP_SEND_AFTER, s, AFTER_MS);
	ap_go();
	while (upcalls[0] == before)
		irq_enable_and_halt();
	irq_disable();
	ap_wait("a delayed send");
	expect_eq(port_hits[s], 2, "port %u found after HLT", s);
	close_port(p);
	close_port(p2);
	close_port(r);
	close_port(s);
	printf(NAME ": upcalls by %s: at each 0 -> 1, %s, to and from the AP, waking HLT ok\n",
	       callback_mode ? "the callback vector" : "per-vCPU vectors",
	       callback_mode ? "past the APIC (no IRR, ISR, TPR or EOI)" :
			       "through the APIC (IRR, ISR, TPR, EOI)");
}

/* ---- 7. SCHEDOP_poll, SCHEDOP_block ---- */

/* sti; hypercall: the STI shadow holds a pending interrupt past the call. */
static long sched_op_with_sti(unsigned int cmd, void *arg)
{
	long rc;

#ifdef __x86_64__
	if (hypercall_insn == HYPERCALL_VMCALL)
		__asm__ volatile("sti; vmcall; cli" : "=a"(rc)
				 : "a"((long)XEN_HC_SCHED_OP), "D"((long)cmd), "S"(arg) : "memory");
	else
		__asm__ volatile("sti; vmmcall; cli" : "=a"(rc)
				 : "a"((long)XEN_HC_SCHED_OP), "D"((long)cmd), "S"(arg) : "memory");
#else
	if (hypercall_insn == HYPERCALL_VMCALL)
		__asm__ volatile("sti; vmcall; cli" : "=a"(rc)
				 : "a"((long)XEN_HC_SCHED_OP), "b"((long)cmd), "c"(arg) : "memory");
	else
		__asm__ volatile("sti; vmmcall; cli" : "=a"(rc)
				 : "a"((long)XEN_HC_SCHED_OP), "b"((long)cmd), "c"(arg) : "memory");
#endif
	return rc;
}

static uint64_t timed_poll(const uint32_t *ports, uint32_t nr, uint64_t timeout, long want,
			   const char *what)
{
	uint64_t t0 = clock_ns();

	expect_eq(poll_ports(ports, nr, timeout), want, "poll(%s)", what);
	return clock_ns() - t0;
}

static void check_poll(void)
{
	static uint32_t many[XEN_SCHED_POLL_MAX_PORTS + 1];
	uint32_t a = bind_ipi(0), b = bind_ipi(0), u = bind_ipi(0), list[2];
	uint64_t took;
	sched_poll_t arg;

	unmask_locally(u);
	clear_vcpu_events(0);
	/* Argument errors, in Xen's order. */
	expect_eq(poll_ports((void *)BEYOND_RAM, XEN_SCHED_POLL_MAX_PORTS + 1, 0), -XEN_EINVAL,
		  "poll(129 unreadable ports)");
	expect_eq(poll_ports((void *)BEYOND_RAM, 0xffffffff, 0), -XEN_EINVAL,
		  "poll(0xffffffff ports)");
	expect_eq(poll_ports((void *)BEYOND_RAM, 1, 0), -XEN_EFAULT, "poll(unreadable port)");
	list[0] = 0;
	expect_eq(poll_ports(list, 1, 0), -XEN_EINVAL, "poll(port 0)");
	list[0] = lowest_free_port();
	expect_eq(poll_ports(list, 1, 0), -XEN_EINVAL, "poll(free port)");
	list[0] = nr_ports;
	expect_eq(poll_ports(list, 1, 0), -XEN_EINVAL, "poll(port %u)", nr_ports);
	list[0] = 0xffffffff;
	expect_eq(poll_ports(list, 1, 0), -XEN_EINVAL, "poll(port 0xffffffff)");

	/* A pending port ends it at once; ports are judged in order. */
	expect_eq(ev_send(a), 0, "send(masked %u)", a);
	list[0] = a;
	list[1] = nr_ports;
	took = timed_poll(list, 2, 0, 0, "pending, bad");
	expect_true(took < SOON_NS, "poll(pending port) took %llu ms", ms(took));
	list[0] = nr_ports;
	list[1] = a;
	expect_eq(poll_ports(list, 2, 0), -XEN_EINVAL, "poll(bad, pending)");
	list[0] = b;
	list[1] = a;
	expect_eq(poll_ports(list, 2, 0), 0, "poll(not pending, pending)");
#ifdef __x86_64__
	/* Readable ports up to an unmapped page: judged before the fault. */
	{
		volatile uint32_t *edge = (volatile uint32_t *)(HOLE_VA - 4);

		*edge = a;
		expect_eq(poll_ports((const uint32_t *)edge, 2, 0), 0,
			  "poll(pending port, then an unmapped page)");
		*edge = b;
		expect_eq(poll_ports((const uint32_t *)edge, 2, 0), -XEN_EFAULT,
			  "poll(port, then an unmapped page)");
	}
#endif
	clear_pending(a);

	/* Timeouts: absolute system time, in the future, past, or none. */
	list[0] = b;
	took = timed_poll(list, 1, clock_ns() + 50 * NS_PER_MS, 0, "timeout in 50 ms");
	expect_true(took >= 49 * NS_PER_MS && took < SOON_NS,
		    "poll with a 50 ms timeout took %llu ms", ms(took));
	took = timed_poll(list, 1, 1, 0, "timeout passed long ago");
	expect_true(took < SOON_NS, "poll with a past timeout took %llu ms", ms(took));

	/* A listed masked port wakes it (no upcall); an unlisted one does not. */
	ap_post(AP_SEND_AFTER, b, AFTER_MS);
	ap_go();
	took = timed_poll(list, 1, clock_ns() + 10 * NS_PER_SEC, 0, "woken by masked port");
	ap_wait("a delayed send");
	expect_true(took < 5 * NS_PER_SEC, "poll for a masked port took %llu ms", ms(took));
	expect_true(is_pending(b), "the masked port %u is not pending", b);
	expect_eq(vcpu_info(0)->upcall_pending, 0, "upcall_pending for a masked port");
	clear_pending(b);
	ap_post(AP_SEND_AFTER, a, 10);
	ap_go();
	took = timed_poll(list, 1, clock_ns() + 150 * NS_PER_MS, 0, "unlisted port");
	ap_wait("a delayed send");
	expect_true(took >= 149 * NS_PER_MS, "an unlisted masked port ended the poll after %llu ms",
		    ms(took));
	clear_pending(a);
	/* A poll of none or several ports wakes for any port (Xen's poll_evtchn -1). */
	list[1] = b;
	for (uint32_t nr = 0; nr <= 2; nr += 2) {
		ap_post(AP_SEND_AFTER, a, AFTER_MS);
		ap_go();
		took = timed_poll(list, nr, clock_ns() + 10 * NS_PER_SEC, 0, "an unlisted port");
		ap_wait("a delayed send");
		expect_true(took < 5 * NS_PER_SEC, "a poll of %u ports took %llu ms: an unlisted "
			    "masked port did not end it", nr, ms(took));
		clear_pending(a);
	}
	ap_post(AP_SEND_AFTER, b, AFTER_MS);
	ap_go();
	took = timed_poll(list, 1, 0, 0, "no timeout");
	ap_wait("a delayed send");
	clear_pending(b);

	/* An upcall for this vCPU ends it (Xen kicks the vCPU), IF = 0 or not. */
	ap_post(AP_SEND_AFTER, u, AFTER_MS);
	ap_go();
	took = timed_poll(list, 1, clock_ns() + 10 * NS_PER_SEC, 0, "woken by an upcall");
	ap_wait("a delayed send");
	expect_true(took < 5 * NS_PER_SEC, "poll ended by an upcall took %llu ms", ms(took));
	expect_true(vcpu_info(0)->upcall_pending, "the upcall is pending");
	take_upcalls();

	/* 128 ports; 129 is too many. */
	many[0] = b;
	many[1] = a;
	for (unsigned int i = 2; i <= XEN_SCHED_POLL_MAX_PORTS; i++)
		many[i] = bind_ipi(0);
	ap_post(AP_SEND_AFTER, many[XEN_SCHED_POLL_MAX_PORTS - 1], AFTER_MS);
	ap_go();
	took = timed_poll(many, XEN_SCHED_POLL_MAX_PORTS, clock_ns() + 10 * NS_PER_SEC, 0,
			  "128 ports");
	ap_wait("a delayed send");
	expect_true(took < 5 * NS_PER_SEC, "poll of 128 ports took %llu ms", ms(took));
	expect_eq(poll_ports(many, XEN_SCHED_POLL_MAX_PORTS + 1, 0), -XEN_EINVAL, "poll(129)");

	/* A deliverable interrupt returns at once, before any port is read. */
	self_ipis = 0;
	lapic_self_ipi(SELF_IPI_VECTOR);
	arg = (sched_poll_t){ .ports = ptr(list), .nr_ports = 1, .timeout = 0 };
	list[0] = nr_ports;
	expect_eq(sched_op_with_sti(XEN_SCHEDOP_POLL, &arg), 0, "poll(bad port) with an "
		  "interrupt deliverable");
	expect_eq(self_ipis, 1, "the interrupt, taken after the poll");
	for (unsigned int i = 2; i <= XEN_SCHED_POLL_MAX_PORTS; i++)
		close_port(many[i]);
	close_port(a);
	close_port(b);
	close_port(u);
	printf(NAME ": poll: pending ports, bad ports in Xen's order, timeouts, masked ports, "
	       "any port for 0 or 2 listed, upcalls, 128 and 129 ports, a deliverable interrupt ok\n");
}

static void check_block(void)
{
	uint32_t u = bind_ipi(0), r = bind_ipi(AP);
	uint64_t t0, took;

	unmask_locally(u);
	unmask_locally(r);
	clear_vcpu_events(0);
	/* IF = 0: only the upcall for this vCPU ends it; upcall_mask is cleared. */
	vcpu_info(0)->upcall_mask = 1;
	ap_post(AP_SEND_AFTER, u, AFTER_MS);
	ap_go();
	t0 = clock_ns();
	expect_eq(hc_sched_op(XEN_SCHEDOP_BLOCK, 0), 0, "block");
	took = clock_ns() - t0;
	ap_wait("a delayed send");
	expect_true(took < 5 * NS_PER_SEC, "block took %llu ms", ms(took));
	expect_true(vcpu_info(0)->upcall_pending, "block returned without an upcall");
	expect_eq(vcpu_info(0)->upcall_mask, 0, "upcall_mask after block (Xen clears it)");
	take_upcalls();
	/* A deliverable interrupt: at once. */
	self_ipis = 0;
	lapic_self_ipi(SELF_IPI_VECTOR);
	t0 = clock_ns();
	expect_eq(sched_op_with_sti(XEN_SCHEDOP_BLOCK, 0), 0, "block with an interrupt deliverable");
	expect_true(clock_ns() - t0 < SOON_NS, "block with an interrupt deliverable waited");
	expect_eq(self_ipis, 1, "the interrupt, taken after the block");
	/* The AP blocks; a send to it ends that. */
	ap_post(AP_BLOCK, 0, 0);
	expect_true(WAIT_UNTIL(ap_slot.started, WAIT_NS), "the AP did not block");
	clock_delay_ns(AFTER_MS * NS_PER_MS);
	expect_eq(ev_send(r), 0, "send(%u) to the blocked AP", r);
	expect_eq(ap_wait("block"), 0, "the AP's block");
	close_port(u);
	close_port(r);
	printf(NAME ": block: woken by an upcall with IF = 0, clears upcall_mask; a deliverable "
	       "interrupt at once ok\n");
}

/* ---- 8. hostile ---- */

static uint64_t rng = 0x9e3779b97f4a7c15ull;

static uint32_t rnd(void)
{
	rng ^= rng >> 12;
	rng ^= rng << 25;
	rng ^= rng >> 27;
	return (uint32_t)((rng * 0x2545f4914f6cdd1dull) >> 32);
}

static void check_storm(void)
{
	uint32_t r = bind_ipi(AP), s = bind_ipi(0), m = bind_ipi(AP);
	uint32_t n = cmdline_number("storm", DEFAULT_STORM);
	unsigned long ap_before = upcalls[AP], hits_before;
	uint32_t failed = 0;

	reset_hits();
	unmask_locally(r);
	unmask_locally(s);
	/* Both vCPUs at once: the AP storms vCPU 0's port, vCPU 0 the AP's. */
	ap_post(AP_STORM, s, n);
	for (uint32_t i = 0; i < n; i++) {
		failed += ev_send(r) != 0;
		failed += ev_send(m) != 0;      /* masked: pending only */
		if (i % 64 == 0)
			irq_window();
	}
	expect_eq(ap_wait("storm"), 0, "failed sends in the AP's storm");
	expect_eq(failed, 0, "failed sends in vCPU 0's storm");
	take_upcalls();
	expect_true(WAIT_UNTIL(!is_pending(r) && !vcpu_info(AP)->upcall_pending, WAIT_NS),
		    "the AP left port %u pending after the storm", r);
	expect_true(!is_pending(s) && !vcpu_info(0)->upcall_pending,
		    "vCPU 0 left port %u pending after the storm", s);
	expect_true(is_pending(m) && is_masked(m), "the masked port %u after the storm", m);
	expect_true(port_hits[r] >= 1 && port_hits[r] <= n && port_hits[s] >= 1 &&
		    port_hits[s] <= n, "ports found in the storm: %u and %u of %u sends",
		    port_hits[r], port_hits[s], n);
	/* Nothing was lost: one more send is one more event. */
	hits_before = port_hits[r];
	expect_eq(ev_send(r), 0, "send(%u) after the storm", r);
	expect_true(WAIT_UNTIL(port_hits[r] == hits_before + 1, WAIT_NS),
		    "the send after the storm did not arrive");
	printf(NAME ": storm: %u sends each way (and %u to a masked port): %u and %u events, "
	       "%lu upcalls on the AP, none lost\n", n, n, port_hits[r], port_hits[s],
	       upcalls[AP] - ap_before);
	close_port(r);
	close_port(s);
	close_port(m);
}

/* Random operations and arguments, pointers to scratch or nowhere; then all still works. */
static void check_hostile(void)
{
	static uint32_t scratch[16];
	uint32_t port, kinds[4] = { 0 };

	for (unsigned int i = 0; i < HOSTILE_CALLS; i++) {
		unsigned int cmd = rnd() % 16;
		uint32_t k = rnd() % 4;

		for (unsigned int w = 0; w < 16; w++)
			scratch[w] = k == 0 ? rnd() : k == 1 ? rnd() % (nr_ports + 2) :
				     k == 2 ? rnd() % NR_CPUS : (w == 0 ? XEN_DOMID_SELF : rnd() % 64);
		kinds[k]++;
		(void)evtchn_op(cmd, rnd() % 8 ? (void *)scratch : (void *)BEYOND_RAM);
		if (i % 64 == 0)
			take_upcalls();
	}
	expect_eq(ev_reset(XEN_EVTCHNOP_RESET, XEN_DOMID_SELF), 0, "reset after random calls");
	mask_all();
	take_upcalls();
	port = bind_ipi(0);
	expect_eq(port, 1, "the first port after random calls and reset");
	clear_all(port, 0);
	expect_eq(ev_send(port), 0, "send(%u) after random calls", port);
	expect_bits(port, 0, true, false, false, "a masked send after random calls");
	clear_pending(port);
	close_port(port);
	printf(NAME ": %u random operations survived\n", HOSTILE_CALLS);
}

/* ---- main ---- */

int guest_main(void)
{
	struct cpuid_regs r;

	check_name = NAME;
	if (!platform_has_hypercalls())
		guest_fail(NAME ": no hypervisor with Xen hypercalls (run with hvk run --xen)");
	irq_init();
	clock_init();
	shinfo = clock_shared_info();
	if (smp_count_vcpus() != NR_CPUS)
		guest_fail(NAME ": needs exactly %u vCPUs (hvk run --cpus %u), has %u", NR_CPUS,
			   NR_CPUS, smp_count_vcpus());
	callback_mode = cmdline_has_word("upcall=callback");
	r = cpuid(XEN_CPUID_FIRST_LEAF + XEN_CPUID_LEAF_HVM);
	expect_true(r.eax & XEN_CPUID_HVM_UPCALL_VECTOR, "CPUID 0x40000004 EAX 0x%x lacks bit 6 "
		    "(per-vCPU upcall vectors)", r.eax);
	expect_true(r.eax & XEN_CPUID_HVM_DOMID_PRESENT, "CPUID 0x40000004 EAX 0x%x lacks bit 4 "
		    "(domain id in ECX)", r.eax);
	my_domid = r.ecx;
#ifdef __x86_64__
	paging_unmap_large(HOLE_VA);
#endif
	irq_set_handler(UPCALL_VECTOR, upcall_handler);
	irq_set_handler(SELF_IPI_VECTOR, self_ipi_handler);
	lapic_reset_for_test();
	irq_disable();

	setup_layout();
	start_ap();
	check_refusals();
	check_status_errors();
	check_interdomain();
	check_virqs();
	check_delivery_bits();
	check_send_errors();
	check_reset_and_limits();
	if (callback_mode)
		setup_callback_upcalls();
	else
		setup_vector_upcalls();
	check_upcalls();
	check_poll();
	check_block();
	check_storm();
	check_hostile();
	printf(NAME ": all checks passed (%lu, upcalls by %s)\n", checks_passed,
	       callback_mode ? "callback vector" : "per-vCPU vector");
	return 0;
}
