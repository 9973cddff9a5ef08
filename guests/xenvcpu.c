/* SPDX-License-Identifier: MIT */
/*
 * xenvcpu64 / xenvcpu32: a vCPU's Xen services, as Xen answers a PVH domU
 * (REFERENCE-GUEST-SERVICES §1, §2, §4; kmod/xen/vcpu_info.c, pvclock.c,
 * runstate.c, vcpu_timer.c), exact results from a 64-bit and a 32-bit
 * guest in their own layouts.  `hvk run --xen --cpus 2` (or more: with 33
 * or more, the last vCPU, >= 32, has no shared_info slot).
 *
 *   wallclock   in shared_info's 64-bit place until the hypercall-page MSR
 *               latches the guest's layout (32-bit: it moves to 2304)
 *   vcpu_info   VCPUOP_register_vcpu_info's refusals in Xen's order
 *               (-EFAULT, -ENOENT, -EINVAL offset or frame, -ENXIO across
 *               a page or misaligned, -EINVAL not RAM, -EBUSY again); the
 *               copy keeps the slot's bytes, with pending_sel all ones and
 *               upcall_pending set; the pvclock follows it (the old slot is
 *               not written again); an AP registered by vCPU 0 while down;
 *               a vCPU >= 32 starts from zeros with upcall_mask set
 *   time areas  by virtual address (any taken, 0 unregisters) and by
 *               physical address (its refusals, ~0 unregisters): copies
 *               of the pvclock, updated with it
 *   runstate    get_runstate_info of a running, halted (HLT), down and
 *               never-started vCPU; times sum to the vCPU's age; blocked
 *               for the length of a HLT; the virtual and physical areas
 *               written at each change, in the caller's layout
 *   moving      both vCPUs' physical time and runstate areas registered
 *               in CHURN_PAGES pages in turn (vCPU 0 registering the AP's
 *               too), each written at once where vCPU 0's own; then
 *               unregistered: `--stats` shows the pages still pinned for
 *               areas (only the vcpu_infos' page: guests.table)
 *   timers      (when event channels are there) VIRQ_TIMER from the
 *               single-shot timer with the delay measured, in the past, far
 *               in the future, at 2^63, stopped; the periodic timer's first
 *               event at once, its period, its limits, stopped; set_timer_op
 *               (0, past, negative, 2^51 ns away); a down vCPU's timer
 *               cancelled; blocked in SCHEDOP_block until the timer's upcall
 * Ends with "<name>: all checks passed (N)".
 */
#include <abi/hvk_guest.h>
#include <abi/xen/cpuid.h>
#include <abi/xen/errno.h>
#include <abi/xen/event_channel.h>
#include <abi/xen/hvm_op.h>
#include <abi/xen/hypercall.h>
#include <abi/xen/memory.h>
#include <abi/xen/sched.h>
#include <abi/xen/shared_info.h>
#include <abi/xen/vcpu.h>

#include "guest.h"
#include "irq.h"
#include "lapic.h"

#ifdef __x86_64__
#include "x86_64/paging.h"
#define NAME "xenvcpu64"
typedef struct xen_vcpu_info64 vcpu_info_t;
typedef struct xen_add_to_physmap64 physmap_t;
typedef struct xen_vcpu_runstate_info64 runstate_t;
typedef struct xen_vcpu_set_singleshot_timer64 singleshot_t;
#define UNMAPPED_VA             0x400000ul      /* RAM, unmapped by us */
#else
#define NAME "xenvcpu32"
typedef struct xen_vcpu_info32 vcpu_info_t;
typedef struct xen_add_to_physmap32 physmap_t;
typedef struct xen_vcpu_runstate_info32 runstate_t;
typedef struct xen_vcpu_set_singleshot_timer32 singleshot_t;
#define UNMAPPED_VA             0xdead0000ul    /* paging off: beyond RAM */
#endif

#define PAGE                    4096ul
#define NS_PER_MS               1000000ull
#define BEYOND_RAM              0xdead0000ul
#define HOLE_FRAME              0x80000ul       /* no RAM there */
#define AP                      1
#define AP_STACK_SIZE           8192
#define TIMER_VECTOR            0xd0
#define UPCALL_VECTOR           0xf3
/*
 * Blocked time starts when the vCPU halts, after the timer was armed:
 * checked against 4/5 of the timer and the time the guest saw pass.
 */
#define HLT_MS                  50
#define BLOCKED_MIN_NS(ms)      ((ms) * NS_PER_MS / 5 * 4)
#define TIMER_MS                20
#define PERIOD_MS               10
#define AP_TIMER_MS             1000    /* later than vCPU 0 takes it down */
#define SLACK_NS                (2000 * NS_PER_MS)      /* nested emulation is slow */
#define WALLCLOCK_2020          1577836800u
#define SENTINEL                0x5a5a5a5au
#define PATTERN0                0x3c
#define PATTERN1                0x69

/* Offsets in the areas page: each vcpu_info 64 bytes, then the time and runstate areas. */
#define VI0_OFFSET              0x40
#define VI1_OFFSET              0x80
#define VIHIGH_OFFSET           0xc0
#define TIME_PHYS_OFFSET        0x100
#define RUNSTATE_PHYS_OFFSET    0x180

static uint8_t shinfo_frames[2][PAGE] __attribute__((aligned(4096)));
static uint8_t areas[PAGE] __attribute__((aligned(4096)));
#define CHURN_PAGES             16
static uint8_t churn[CHURN_PAGES][PAGE] __attribute__((aligned(4096)));
static uint8_t hypercall_page[PAGE] __attribute__((aligned(4096)));
static volatile struct xen_vcpu_time_info time_virtual __attribute__((aligned(64)));
static volatile runstate_t runstate_virtual[2] __attribute__((aligned(64)));
static uint8_t ap_stack[AP_STACK_SIZE] __attribute__((aligned(16)));

static volatile uint8_t *shinfo;
static unsigned int nr_vcpus;
static bool have_events;

/* ---- hypercalls ---- */

static unsigned long ptr(const volatile void *p)
{
	return (unsigned long)(uintptr_t)p;
}

static long vcpu_op(unsigned int op, unsigned int id, const volatile void *arg)
{
	return hypercall3(XEN_HC_VCPU_OP, op, id, ptr(arg));
}

static long map_shared_info(const void *frame)
{
	physmap_t x = { .domid = XEN_DOMID_SELF, .space = XEN_XENMAPSPACE_SHARED_INFO,
			.gpfn = ptr(frame) / PAGE };

	return hypercall2(XEN_HC_MEMORY_OP, XEN_XENMEM_ADD_TO_PHYSMAP, ptr(&x));
}

static long register_vcpu_info(unsigned int id, uint64_t mfn, uint32_t offset)
{
	struct xen_vcpu_register_vcpu_info a = { .mfn = mfn, .offset = offset, .rsvd = 0 };

	return vcpu_op(XEN_VCPUOP_REGISTER_VCPU_INFO, id, &a);
}

/* The runstate and time areas: an 8-byte address (a 32-bit caller's in the low half). */
static long register_area(unsigned int op, unsigned int id, uint64_t addr)
{
	struct xen_vcpu_register_area a = { .addr = addr };

	return vcpu_op(op, id, &a);
}

static long evtchn_op(unsigned int cmd, volatile void *arg)
{
	return hypercall2(XEN_HC_EVENT_CHANNEL_OP, cmd, ptr(arg));
}

/* ---- the pvclock ---- */

static uint64_t mul_shr32(uint64_t a, uint32_t mul)
{
	uint64_t lo = (a & 0xffffffffu) * mul, hi = (a >> 32) * mul;

	return hi + (lo >> 32);
}

static uint64_t pvclock_ns(const volatile struct xen_vcpu_time_info *t)
{
	uint64_t tsc, delta, sys, stamp;
	uint32_t version, mul;
	int8_t shift;

	do {
		version = t->version;
		__asm__ volatile("" : : : "memory");
		stamp = t->tsc_timestamp;
		sys = t->system_time;
		mul = t->tsc_to_system_mul;
		shift = t->tsc_shift;
		tsc = rdtsc();
		__asm__ volatile("" : : : "memory");
	} while ((version & 1) || version != t->version);
	delta = tsc - stamp;
	delta = shift >= 0 ? delta << shift : delta >> -shift;
	return sys + mul_shr32(delta, mul);
}

static volatile vcpu_info_t *slot(unsigned int id)
{
	return (volatile vcpu_info_t *)(shinfo + id * XEN_VCPU_INFO_SIZE);
}

static volatile vcpu_info_t *registered(unsigned int offset)
{
	return (volatile vcpu_info_t *)(areas + offset);
}

/* vCPU 0's clock, wherever its vcpu_info is now. */
static volatile vcpu_info_t *vi0;

static uint64_t now_ns(void)
{
	return pvclock_ns(&vi0->time);
}

/* Rewrites every vCPU's pvclock: moving shared_info makes hvk refresh them all. */
static unsigned int shinfo_at;

static void refresh_clocks(void)
{
	shinfo_at ^= 1;
	expect_eq(map_shared_info(shinfo_frames[shinfo_at]), 0, "move shared_info");
	shinfo = shinfo_frames[shinfo_at];
	hc_sched_op(XEN_SCHEDOP_YIELD, 0);      /* the refresh is before the next entry */
}

/* ---- 1. the wall clock ---- */

struct wallclock {
	uint32_t version, sec, nsec, sec_hi;
};

static struct wallclock wallclock_at(unsigned int offset, unsigned int sec_hi_offset)
{
	const volatile uint32_t *w = (const volatile uint32_t *)(shinfo + offset);

	return (struct wallclock){ w[0], w[1], w[2],
				   *(const volatile uint32_t *)(shinfo + sec_hi_offset) };
}

static void expect_wallclock(struct wallclock wc, const char *where)
{
	expect_true(wc.version && !(wc.version & 1), "%s: wc_version %u, expected even", where,
		    wc.version);
	expect_true(wc.sec > WALLCLOCK_2020 && wc.nsec < 1000000000u && wc.sec_hi == 0,
		    "%s: wall clock %u.%09u (hi %u): expected after 2020", where, wc.sec, wc.nsec,
		    wc.sec_hi);
}

static void check_wallclock(void)
{
	struct wallclock before, after;

	before = wallclock_at(XEN_SHARED_INFO_WC64, XEN_SHARED_INFO_WC_SEC_HI64);
	expect_wallclock(before, "before the latch, at 3072");
	/* The hypercall-page MSR write latches the caller's bitness (Xen's hvm.c). */
	wrmsr(XEN_HYPERCALL_PAGE_MSR, ptr(hypercall_page));
#ifdef __x86_64__
	after = wallclock_at(XEN_SHARED_INFO_WC64, XEN_SHARED_INFO_WC_SEC_HI64);
	expect_eq(after.version, before.version + 2, "64-bit latch: wc_version rewritten");
#else
	after = wallclock_at(XEN_SHARED_INFO_WC32, XEN_SHARED_INFO_WC_SEC_HI32);
	expect_wallclock(after, "after the 32-bit latch, at 2304");
#endif
	expect_true(after.sec == before.sec && after.nsec == before.nsec,
		    "the wall clock moved changed: %u.%09u, then %u.%09u", before.sec,
		    before.nsec, after.sec, after.nsec);
	printf(NAME ": wall clock %u.%09u at system time 0, at %u after the latch\n", after.sec,
	       after.nsec, sizeof(long) == 8 ? XEN_SHARED_INFO_WC64 : XEN_SHARED_INFO_WC32);
}

/* ---- 2. vcpu_info ---- */

/* What a registration must copy: the slot's bytes 16..31 (cr2, pad). */
static void mark_slot(volatile vcpu_info_t *vi, uint8_t pattern)
{
	volatile uint8_t *b = (volatile uint8_t *)vi;

	for (unsigned int i = 16; i < 32; i++)
		b[i] = pattern;
	vi->upcall_pending = 0;
	vi->pending_sel = 0;
}

/* The copy: the slot's bytes, every selector bit, an upcall pending. */
static void expect_copy(volatile vcpu_info_t *vi, uint8_t pattern, const char *what)
{
	volatile uint8_t *b = (volatile uint8_t *)vi;

	for (unsigned int i = 16; i < 32; i++)
		expect_eq(b[i], pattern, "%s: byte %u copied", what, i);
	expect_eq(vi->upcall_pending, 1, "%s: upcall_pending", what);
	expect_true(vi->pending_sel == ~0ul, "%s: pending_sel 0x%lx, expected all ones", what,
		    (unsigned long)vi->pending_sel);
}

static void check_vcpu_info_refusals(void)
{
	uint64_t frame = ptr(areas) / PAGE;

	expect_eq(vcpu_op(XEN_VCPUOP_REGISTER_VCPU_INFO, 0, (void *)BEYOND_RAM), -XEN_EFAULT,
		  "register_vcpu_info, bad pointer");
	expect_eq(register_vcpu_info(nr_vcpus, frame, VI0_OFFSET), -XEN_ENOENT,
		  "register_vcpu_info(%u)", nr_vcpus);
	expect_eq(register_vcpu_info(64, frame, VI0_OFFSET), -XEN_ENOENT, "register_vcpu_info(64)");
	expect_eq(register_vcpu_info(0, frame, PAGE), -XEN_EINVAL, "offset 4096");
	expect_eq(register_vcpu_info(0, 1ull << 52, 0), -XEN_EINVAL, "frame 2^52");
	expect_eq(register_vcpu_info(0, ~0ull, ~0u), -XEN_EINVAL, "frame ~0, offset ~0");
	expect_eq(register_vcpu_info(0, frame, PAGE - 56), -XEN_ENXIO, "across a page");
	expect_eq(register_vcpu_info(0, frame, 2), -XEN_ENXIO, "2-byte aligned");
#ifdef __x86_64__
	expect_eq(register_vcpu_info(0, frame, 4), -XEN_ENXIO,
		  "4-byte aligned (xen_ulong_t is 8 bytes in the 64-bit layout)");
#endif
	expect_eq(register_vcpu_info(0, BEYOND_RAM / PAGE, 0), -XEN_EINVAL, "frame beyond RAM");
	expect_eq(register_vcpu_info(0, HOLE_FRAME, 0), -XEN_EINVAL, "frame in a hole");
}

static void check_vcpu_info(void)
{
	uint64_t frame = ptr(areas) / PAGE, before;
	volatile vcpu_info_t *vi = registered(VI0_OFFSET);
	uint32_t slot_version;

	check_vcpu_info_refusals();
	mark_slot(slot(0), PATTERN0);
	before = now_ns();
	expect_eq(register_vcpu_info(0, frame, VI0_OFFSET), 0, "register_vcpu_info(0)");
	expect_copy(vi, PATTERN0, "vCPU 0's copy");
	expect_true(vi->time.version && !(vi->time.version & 1), "vCPU 0's copy: time.version %u",
		    vi->time.version);
	vi0 = vi;
	expect_true(now_ns() >= before, "the clock went back at the move: %llu, then %llu ns",
		    (unsigned long long)before, (unsigned long long)now_ns());
	expect_eq(register_vcpu_info(0, frame, VI0_OFFSET), -XEN_EBUSY, "register again");
	expect_eq(register_vcpu_info(0, frame, VI1_OFFSET), -XEN_EBUSY, "register again elsewhere");
	expect_eq(register_vcpu_info(0, frame, PAGE), -XEN_EINVAL,
		  "register again with a bad offset (checked first)");
	/* Only the copy is written from now on. */
	slot_version = slot(0)->time.version;
	before = vi->time.version;
	refresh_clocks();
	expect_eq(slot(0)->time.version, slot_version, "the old slot's clock after a refresh");
	expect_true(vi->time.version != before, "the copy's clock was not refreshed (version %u)",
		    vi->time.version);
	printf(NAME ": vcpu_info moved to 0x%lx: refusals in Xen's order, the slot's bytes, "
	       "pending_sel ~0, an upcall, the clock with it\n", ptr(vi));
}

/* The last vCPU, >= 32: never started, no slot; registered it starts from zeros. */
static void check_high_vcpu(void)
{
	volatile vcpu_info_t *vi = registered(VIHIGH_OFFSET);
	volatile uint8_t *b = (volatile uint8_t *)vi;
	unsigned int id = nr_vcpus - 1;
	runstate_t rs;

	if (nr_vcpus <= XEN_LEGACY_MAX_VCPUS)
		return;
	for (unsigned int i = 0; i < XEN_VCPU_INFO_SIZE; i++)
		b[i] = 0x77;
	expect_eq(register_vcpu_info(id, ptr(areas) / PAGE, VIHIGH_OFFSET), 0,
		  "register_vcpu_info(%u)", id);
	expect_eq(vi->upcall_pending, 1, "vCPU %u: upcall_pending", id);
	expect_eq(vi->upcall_mask, 1, "vCPU %u: upcall_mask (Xen's dummy vcpu_info)", id);
	expect_true(vi->pending_sel == ~0ul, "vCPU %u: pending_sel", id);
	for (unsigned int i = 2; i < XEN_VCPU_INFO_SIZE; i++)
		if (i < offsetof(vcpu_info_t, pending_sel) ||
		    i >= offsetof(vcpu_info_t, pending_sel) + sizeof(vi->pending_sel))
			expect_eq(b[i], 0, "vCPU %u's vcpu_info byte %u", id, i);
	expect_eq(vcpu_op(XEN_VCPUOP_GET_RUNSTATE_INFO, id, &rs), 0, "get_runstate_info(%u)", id);
	expect_eq(rs.state, XEN_RUNSTATE_OFFLINE, "vCPU %u never started: state", id);
	printf(NAME ": vCPU %u (no shared_info slot) registered from zeros, upcall_mask set\n", id);
}

/* ---- 3. time areas ---- */

static bool same_time(const volatile struct xen_vcpu_time_info *a,
		      const volatile struct xen_vcpu_time_info *b)
{
	return a->version == b->version && a->tsc_timestamp == b->tsc_timestamp &&
	       a->system_time == b->system_time && a->tsc_to_system_mul == b->tsc_to_system_mul &&
	       a->tsc_shift == b->tsc_shift && a->flags == b->flags;
}

static void check_time_areas(void)
{
	volatile struct xen_vcpu_time_info *phys = (void *)(areas + TIME_PHYS_OFFSET);
	uint32_t phys_version, virtual_version, vcpu_info_version;

	expect_eq(vcpu_op(XEN_VCPUOP_REGISTER_VCPU_TIME_MEMORY_AREA, 0, (void *)BEYOND_RAM),
		  -XEN_EFAULT, "time area, bad pointer");
	expect_eq(register_area(XEN_VCPUOP_REGISTER_VCPU_TIME_MEMORY_AREA, nr_vcpus,
				ptr(&time_virtual)), -XEN_ENOENT, "time area of vCPU %u", nr_vcpus);
	/* Any address is taken (Xen takes any handle of an HVM guest). */
	expect_eq(register_area(XEN_VCPUOP_REGISTER_VCPU_TIME_MEMORY_AREA, 0, UNMAPPED_VA), 0,
		  "time area at an unmapped address");
	expect_eq(register_area(XEN_VCPUOP_REGISTER_VCPU_TIME_MEMORY_AREA, 0, ptr(&time_virtual)),
		  0, "time area, virtual");
	expect_true(time_virtual.version && same_time(&time_virtual, &vi0->time),
		    "the virtual time area (version %u) is not the vcpu_info's (version %u)",
		    time_virtual.version, vi0->time.version);

	expect_eq(register_area(XEN_VCPUOP_REGISTER_VCPU_TIME_PHYS_AREA, 0,
				ptr(areas) + PAGE - 16), -XEN_ENXIO, "time phys area across a page");
	expect_eq(register_area(XEN_VCPUOP_REGISTER_VCPU_TIME_PHYS_AREA, 0,
				ptr(areas) + TIME_PHYS_OFFSET + 2), -XEN_ENXIO,
		  "time phys area misaligned");
	expect_eq(register_area(XEN_VCPUOP_REGISTER_VCPU_TIME_PHYS_AREA, 0, BEYOND_RAM),
		  -XEN_EINVAL, "time phys area beyond RAM");
	expect_eq(register_area(XEN_VCPUOP_REGISTER_VCPU_TIME_PHYS_AREA, 0, 1ull << 52),
		  -XEN_EINVAL, "time phys area at 2^52");
	expect_eq(vcpu_op(XEN_VCPUOP_REGISTER_VCPU_TIME_PHYS_AREA, 0, (void *)BEYOND_RAM),
		  -XEN_EFAULT, "time phys area, bad pointer");
	expect_eq(register_area(XEN_VCPUOP_REGISTER_VCPU_TIME_PHYS_AREA, 0,
				ptr(areas) + TIME_PHYS_OFFSET), 0, "time phys area");
	expect_true(same_time(phys, &vi0->time), "the phys time area (version %u) is not the "
		    "vcpu_info's (version %u)", phys->version, vi0->time.version);
	refresh_clocks();
	expect_true(same_time(phys, &vi0->time) && same_time(&time_virtual, &vi0->time),
		    "the copies after a refresh: versions %u %u, vcpu_info's %u", phys->version,
		    time_virtual.version, vi0->time.version);
	/*
	 * Unregistered: no longer written.  Each copy's version is taken right
	 * after its own unregistration: an update may come between the two
	 * (the vCPU thread scheduled in again refreshes the clock, as Xen does
	 * on a move to another CPU) and rightly reach the copy still there.
	 */
	expect_eq(register_area(XEN_VCPUOP_REGISTER_VCPU_TIME_PHYS_AREA, 0, ~0ull), 0,
		  "time phys area unregistered (~0)");
	phys_version = phys->version;
	expect_eq(register_area(XEN_VCPUOP_REGISTER_VCPU_TIME_MEMORY_AREA, 0, 0), 0,
		  "time area unregistered (0)");
	virtual_version = time_virtual.version;
	vcpu_info_version = vi0->time.version;
	refresh_clocks();
	expect_true(phys->version == phys_version && time_virtual.version == virtual_version &&
		    vi0->time.version != vcpu_info_version, "after unregistering: phys %u (was %u), "
		    "virtual %u (was %u), vcpu_info %u (was %u)", phys->version, phys_version,
		    time_virtual.version, virtual_version, vi0->time.version, vcpu_info_version);
	printf(NAME ": time areas by virtual and physical address: copies of the pvclock, "
	       "updated with it, unregistered\n");
}

/* ---- 4. runstate ---- */

struct runstate {
	int state;
	uint64_t entry, time[XEN_RUNSTATE_NR];
};

#ifdef __x86_64__
static struct runstate runstate_of(const volatile runstate_t *r)
{
	struct runstate s = { r->state, r->state_entry_time, { 0 } };

	for (int i = 0; i < XEN_RUNSTATE_NR; i++)
		s.time[i] = r->time[i];
	return s;
}
#else
static uint64_t u64_of(const volatile uint32_t *w)
{
	return w[0] | (uint64_t)w[1] << 32;
}

static struct runstate runstate_of(const volatile runstate_t *r)
{
	struct runstate s = { r->state, u64_of(r->state_entry_time), { 0 } };

	for (int i = 0; i < XEN_RUNSTATE_NR; i++)
		s.time[i] = u64_of(r->time[i]);
	return s;
}
#endif

static struct runstate get_runstate(unsigned int id)
{
	runstate_t r;

	memset(&r, 0x77, sizeof(r));
	expect_eq(vcpu_op(XEN_VCPUOP_GET_RUNSTATE_INFO, id, &r), 0, "get_runstate_info(%u)", id);
	return runstate_of(&r);
}

static uint64_t total(const struct runstate *s)
{
	return s->time[0] + s->time[1] + s->time[2] + s->time[3];
}

/* Halts (IF = 1 for the HLT only) until the APIC timer's interrupt @ms from now. */
static volatile unsigned int timer_fired;

static void timer_handler(struct irq_frame *f)
{
	(void)f;
	timer_fired = 1;
	lapic_eoi();
}

static void halt_ms(unsigned int ms)
{
	timer_fired = 0;
	lapic_timer_start(LVT_TIMER_ONESHOT | TIMER_VECTOR, APIC_DIVIDE_1, ms * NS_PER_MS);
	while (!timer_fired) {
		irq_enable_and_halt();
		irq_disable();
	}
}

/*
 * vCPU 0's runstate and both its areas at one moment: the host may preempt
 * it between the reads (runnable, then running again), so read until the
 * entry time did not change around the areas.
 */
static struct runstate stable_runstate(struct runstate *v, struct runstate *p)
{
	volatile runstate_t *phys = (void *)(areas + RUNSTATE_PHYS_OFFSET);
	struct runstate a, b;

	for (unsigned int i = 0; i < 100; i++) {
		a = get_runstate(0);
		*v = runstate_of(&runstate_virtual[0]);
		*p = runstate_of(phys);
		b = get_runstate(0);
		if (a.entry == b.entry)
			break;
	}
	return b;
}

static void check_runstate_self(void)
{
	volatile runstate_t *phys = (void *)(areas + RUNSTATE_PHYS_OFFSET);
	struct runstate a, b, v, p;
	uint64_t now, t0, t1;

	a = get_runstate(0);
	now = now_ns();
	expect_eq(a.state, XEN_RUNSTATE_RUNNING, "vCPU 0's state");
	expect_true(a.entry <= now && a.time[XEN_RUNSTATE_RUNNING] > 0,
		    "vCPU 0: entered at %llu ns, now %llu ns, running %llu ns",
		    (unsigned long long)a.entry, (unsigned long long)now,
		    (unsigned long long)a.time[XEN_RUNSTATE_RUNNING]);
	/* All states sum to its age: a little less than the VM's. */
	expect_true(total(&a) <= now + NS_PER_MS && total(&a) + SLACK_NS >= now,
		    "vCPU 0's times sum to %llu ns at %llu ns", (unsigned long long)total(&a),
		    (unsigned long long)now);
	expect_eq(vcpu_op(XEN_VCPUOP_GET_RUNSTATE_INFO, 0, (void *)BEYOND_RAM), -XEN_EFAULT,
		  "get_runstate_info, bad pointer");
	expect_eq(vcpu_op(XEN_VCPUOP_GET_RUNSTATE_INFO, nr_vcpus, &a), -XEN_ENOENT,
		  "get_runstate_info(%u)", nr_vcpus);
	expect_eq(vcpu_op(XEN_VCPUOP_REGISTER_RUNSTATE_MEMORY_AREA, 0, (void *)BEYOND_RAM),
		  -XEN_EFAULT, "runstate area, bad pointer");

	/* The areas: written at once, then at every change. */
	expect_eq(register_area(XEN_VCPUOP_REGISTER_RUNSTATE_MEMORY_AREA, 0,
				ptr(&runstate_virtual[0])), 0, "runstate area, virtual");
	expect_eq(runstate_virtual[0].state, XEN_RUNSTATE_RUNNING, "the virtual area at once");
	expect_eq(register_area(XEN_VCPUOP_REGISTER_RUNSTATE_PHYS_AREA, 0,
				ptr(areas) + PAGE - 32), -XEN_ENXIO, "runstate phys area across a page");
	expect_eq(register_area(XEN_VCPUOP_REGISTER_RUNSTATE_PHYS_AREA, 0,
				ptr(areas) + RUNSTATE_PHYS_OFFSET + 1), -XEN_ENXIO,
		  "runstate phys area misaligned");
	expect_eq(register_area(XEN_VCPUOP_REGISTER_RUNSTATE_PHYS_AREA, 0, BEYOND_RAM),
		  -XEN_EINVAL, "runstate phys area beyond RAM");
	expect_eq(register_area(XEN_VCPUOP_REGISTER_RUNSTATE_PHYS_AREA, 0,
				ptr(areas) + RUNSTATE_PHYS_OFFSET), 0, "runstate phys area");
	p = runstate_of(phys);
	expect_eq(p.state, XEN_RUNSTATE_RUNNING, "the phys area at once");

	/* Blocked in HLT for as long as the timer takes. */
	a = get_runstate(0);
	t0 = now_ns();
	halt_ms(HLT_MS);
	t1 = now_ns();
	b = stable_runstate(&v, &p);
	now = b.time[XEN_RUNSTATE_BLOCKED] - a.time[XEN_RUNSTATE_BLOCKED];
	expect_true(now >= BLOCKED_MIN_NS(HLT_MS) && now <= t1 - t0 + NS_PER_MS,
		    "blocked %llu ns in a %u ms HLT of %llu ns", (unsigned long long)now, HLT_MS,
		    (unsigned long long)(t1 - t0));
	expect_true(b.entry > a.entry && b.state == XEN_RUNSTATE_RUNNING,
		    "after the HLT: state %d, entered at %llu (before: %llu)", b.state,
		    (unsigned long long)b.entry, (unsigned long long)a.entry);
	expect_true(v.state == XEN_RUNSTATE_RUNNING && v.entry == b.entry &&
		    v.time[XEN_RUNSTATE_BLOCKED] == b.time[XEN_RUNSTATE_BLOCKED],
		    "the virtual area after the HLT: state %d, entry %llu (%llu), blocked %llu "
		    "(%llu)", v.state, (unsigned long long)v.entry, (unsigned long long)b.entry,
		    (unsigned long long)v.time[XEN_RUNSTATE_BLOCKED],
		    (unsigned long long)b.time[XEN_RUNSTATE_BLOCKED]);
	expect_true(p.state == v.state && p.entry == v.entry &&
		    p.time[XEN_RUNSTATE_BLOCKED] == v.time[XEN_RUNSTATE_BLOCKED],
		    "the phys area after the HLT: state %d, entry %llu, update flag %d", p.state,
		    (unsigned long long)p.entry, (int)(p.entry >> 63));
	/*
	 * Unregistered areas stay as they were: as read once the calls
	 * returned, not as read above, since a preemption of the vCPU's thread
	 * in between (a host busy, or moving it to another CPU) is a change
	 * of state the registered areas rightly show.  The HLT then changes
	 * the state twice, which a registered area would show.
	 */
	expect_eq(register_area(XEN_VCPUOP_REGISTER_RUNSTATE_MEMORY_AREA, 0, 0), 0,
		  "runstate area unregistered (0)");
	expect_eq(register_area(XEN_VCPUOP_REGISTER_RUNSTATE_PHYS_AREA, 0, ~0ull), 0,
		  "runstate phys area unregistered (~0)");
	v = runstate_of(&runstate_virtual[0]);
	p = runstate_of(phys);
	halt_ms(1);
	expect_true(runstate_of(&runstate_virtual[0]).entry == v.entry &&
		    runstate_of(phys).entry == p.entry, "an unregistered area was written");
	printf(NAME ": runstate of vCPU 0: times sum to its age, blocked %llu ns in a %u ms "
	       "HLT, areas (%u bytes) written at each change\n",
	       (unsigned long long)(b.time[XEN_RUNSTATE_BLOCKED] - a.time[XEN_RUNSTATE_BLOCKED]),
	       HLT_MS, (unsigned int)sizeof(runstate_t));
}

/*
 * Physical areas moved from page to page: hvk holds a page only while an
 * area is registered in it (kmod/ram.h), so a guest moving its areas
 * around never pins more pages than it has areas.  Offsets per vCPU in
 * each page: time 0x000 / 0x100, runstate 0x040 / 0x140.
 */
static void check_moving_areas(void)
{
	for (unsigned int i = 0; i < CHURN_PAGES; i++) {
		volatile struct xen_vcpu_time_info *t = (void *)churn[i];
		volatile runstate_t *r = (void *)(churn[i] + 0x40);

		for (unsigned int id = 0; id < 2; id++) {
			expect_eq(register_area(XEN_VCPUOP_REGISTER_VCPU_TIME_PHYS_AREA, id,
						ptr(churn[i]) + id * 0x100), 0,
				  "vCPU %u's time phys area in page %u", id, i);
			expect_eq(register_area(XEN_VCPUOP_REGISTER_RUNSTATE_PHYS_AREA, id,
						ptr(churn[i]) + id * 0x100 + 0x40), 0,
				  "vCPU %u's runstate phys area in page %u", id, i);
		}
		/* The caller's own are written at once (the AP's at its next entry). */
		expect_true(t->version != 0 && runstate_of(r).entry != 0 &&
			    runstate_of(r).state == XEN_RUNSTATE_RUNNING,
			    "vCPU 0's areas in page %u: time version %u, runstate %d entered at %llu",
			    i, t->version, runstate_of(r).state,
			    (unsigned long long)runstate_of(r).entry);
	}
	for (unsigned int id = 0; id < 2; id++) {
		expect_eq(register_area(XEN_VCPUOP_REGISTER_VCPU_TIME_PHYS_AREA, id, ~0ull), 0,
			  "vCPU %u's time phys area unregistered", id);
		expect_eq(register_area(XEN_VCPUOP_REGISTER_RUNSTATE_PHYS_AREA, id, ~0ull), 0,
			  "vCPU %u's runstate phys area unregistered", id);
	}
	printf(NAME ": both vCPUs' physical areas moved through %u pages, then unregistered\n",
	       CHURN_PAGES);
}

/* ---- 5. the AP: registered while down, halted, taken down ---- */

static volatile bool ap_ready;
static volatile uint32_t ap_clock_version;
static volatile uint64_t ap_clock_ns;
static volatile long ap_area_rc, ap_timer_rc = 1;
static volatile bool ap_arm_timer;

static void ap_main(unsigned int id, unsigned long arg)
{
	volatile vcpu_info_t *vi = registered(VI1_OFFSET);
	singleshot_t t = { 0 };
	uint64_t deadline;

	(void)arg;
	ap_clock_version = vi->time.version;
	ap_clock_ns = pvclock_ns(&vi->time);
	ap_area_rc = register_area(XEN_VCPUOP_REGISTER_RUNSTATE_MEMORY_AREA, id,
				   ptr(&runstate_virtual[1]));
	if (ap_arm_timer) {
		/* Its own single-shot timer, 1 s on: a VCPUOP_down must cancel it. */
		deadline = pvclock_ns(&vi->time) + AP_TIMER_MS * NS_PER_MS;
#ifdef __x86_64__
		t.timeout_abs_ns = deadline;
#else
		t.timeout_abs_ns[0] = deadline;
		t.timeout_abs_ns[1] = deadline >> 32;
#endif
		ap_timer_rc = vcpu_op(XEN_VCPUOP_SET_SINGLESHOT_TIMER, id, &t);
	}
	ap_ready = true;
	for (;;)
		__asm__ volatile("cli; hlt");   /* blocked for good, until taken down */
}

static struct runstate wait_state(unsigned int id, int state)
{
	uint64_t end = now_ns() + SLACK_NS;
	struct runstate s;

	do {
		hc_sched_op(XEN_SCHEDOP_YIELD, 0);
		s = get_runstate(id);
	} while (s.state != state && now_ns() < end);
	expect_eq(s.state, state, "vCPU %u's state", id);
	return s;
}

static uint32_t ap_timer_port;

static void check_ap(void)
{
	volatile vcpu_info_t *vi = registered(VI1_OFFSET);
	struct xen_vcpu_hvm_context ctx;
	struct runstate s, t;
	uint64_t start;

	/* Never started: offline since created, nothing else. */
	s = get_runstate(AP);
	expect_true(s.state == XEN_RUNSTATE_OFFLINE && !s.time[XEN_RUNSTATE_RUNNING] &&
		    !s.time[XEN_RUNSTATE_RUNNABLE] && !s.time[XEN_RUNSTATE_BLOCKED],
		    "vCPU %u never started: state %d, running %llu, runnable %llu, blocked %llu",
		    AP, s.state, (unsigned long long)s.time[0], (unsigned long long)s.time[1],
		    (unsigned long long)s.time[2]);
	/* Registered by vCPU 0 while down, as Linux does before its SIPIs. */
	mark_slot(slot(AP), PATTERN1);
	expect_eq(register_vcpu_info(AP, ptr(areas) / PAGE, VI1_OFFSET), 0,
		  "register_vcpu_info(%u) while down", AP);
	expect_copy(vi, PATTERN1, "vCPU 1's copy");
	expect_eq(vi->time.version, 0, "vCPU 1 never ran: no clock yet");

	ap_arm_timer = have_events;
	smp_ap_context(&ctx, AP, ap_main, 0, ap_stack + AP_STACK_SIZE);
	start = now_ns();
	expect_eq(vcpu_op(XEN_VCPUOP_INITIALISE, AP, &ctx), 0, "initialise(%u)", AP);
	expect_eq(vcpu_op(XEN_VCPUOP_UP, AP, 0), 0, "up(%u)", AP);
	while (!ap_ready && now_ns() < start + SLACK_NS)
		hc_sched_op(XEN_SCHEDOP_YIELD, 0);
	expect_true(ap_ready, "vCPU %u did not start", AP);
	expect_true(ap_clock_version && !(ap_clock_version & 1) && ap_clock_ns >= start,
		    "vCPU %u's clock in its copy: version %u, %llu ns (started at %llu)", AP,
		    ap_clock_version, (unsigned long long)ap_clock_ns, (unsigned long long)start);
	expect_eq(ap_area_rc, 0, "vCPU %u's own runstate area", AP);
	if (have_events)
		expect_eq(ap_timer_rc, 0, "vCPU %u's single-shot timer", AP);

	/* Halted with IF = 0: blocked, and blocked time grows. */
	s = wait_state(AP, XEN_RUNSTATE_BLOCKED);
	expect_eq(runstate_virtual[1].state, XEN_RUNSTATE_BLOCKED, "vCPU %u's area", AP);
	for (unsigned int i = 0; i < 20; i++)
		hc_sched_op(XEN_SCHEDOP_YIELD, 0);
	t = get_runstate(AP);
	expect_true(t.state == XEN_RUNSTATE_BLOCKED && t.entry == s.entry &&
		    t.time[XEN_RUNSTATE_BLOCKED] > s.time[XEN_RUNSTATE_BLOCKED] &&
		    t.time[XEN_RUNSTATE_RUNNING] == s.time[XEN_RUNSTATE_RUNNING],
		    "vCPU %u in HLT: state %d, blocked %llu then %llu ns, running %llu then %llu",
		    AP, t.state, (unsigned long long)s.time[2], (unsigned long long)t.time[2],
		    (unsigned long long)s.time[0], (unsigned long long)t.time[0]);
	/* Down: offline, its timer cancelled. */
	expect_eq(vcpu_op(XEN_VCPUOP_DOWN, AP, 0), 0, "down(%u)", AP);
	s = wait_state(AP, XEN_RUNSTATE_OFFLINE);
	expect_eq(runstate_virtual[1].state, XEN_RUNSTATE_OFFLINE, "vCPU %u's area when down", AP);
	expect_true(total(&s) <= now_ns() && s.time[XEN_RUNSTATE_RUNNING] > 0,
		    "vCPU %u: times sum to %llu ns, running %llu", AP,
		    (unsigned long long)total(&s), (unsigned long long)s.time[0]);
	if (have_events) {
		uint64_t end = start + (AP_TIMER_MS + 200) * NS_PER_MS, now = now_ns();

		/*
		 * Past the deadline halted, not in a loop of hypercalls: each
		 * exit costs an emulator dearly (Bochs ran this row 150 s).
		 */
		if (now < end)
			halt_ms((unsigned int)((end - now) / NS_PER_MS) + 1);
		expect_true(!(((volatile unsigned long *)(shinfo + XEN_EVTCHN_PENDING_OFFSET))
			      [ap_timer_port / (8 * sizeof(long))] >>
			      (ap_timer_port % (8 * sizeof(long))) & 1),
			    "the single-shot timer of vCPU %u fired after it went down", AP);
	}
	printf(NAME ": vCPU %u registered while down, started with its clock, blocked in HLT, "
	       "offline when down%s\n", AP, have_events ? ", its timer cancelled" : "");
}

/* ---- 6. timers (VIRQ_TIMER on a masked port: its pending bit, no upcall) ---- */

static uint32_t timer_port;

static volatile unsigned long *pending_words(void)
{
	return (volatile unsigned long *)(shinfo + XEN_EVTCHN_PENDING_OFFSET);
}

static volatile unsigned long *mask_words(void)
{
	return (volatile unsigned long *)(shinfo + (sizeof(long) == 8 ? XEN_EVTCHN_MASK_OFFSET64 :
						   XEN_EVTCHN_MASK_OFFSET32));
}

#define WORD_BITS       (8 * sizeof(long))

static bool port_pending(uint32_t port)
{
	return pending_words()[port / WORD_BITS] >> (port % WORD_BITS) & 1;
}

static void port_clear(uint32_t port)
{
	__atomic_fetch_and(&pending_words()[port / WORD_BITS], ~(1ul << (port % WORD_BITS)),
			   __ATOMIC_SEQ_CST);
}

static void port_mask(uint32_t port, bool masked)
{
	if (masked)
		__atomic_fetch_or(&mask_words()[port / WORD_BITS], 1ul << (port % WORD_BITS),
				  __ATOMIC_SEQ_CST);
	else
		__atomic_fetch_and(&mask_words()[port / WORD_BITS], ~(1ul << (port % WORD_BITS)),
				   __ATOMIC_SEQ_CST);
}

/* The time the timer's event arrived, or 0 if not by @deadline. */
static uint64_t wait_event(uint64_t deadline)
{
	uint64_t now;

	while (!port_pending(timer_port)) {
		now = now_ns();
		if (now > deadline)
			return 0;
		cpu_relax();
	}
	return now_ns();
}

static bool bind_timer(uint32_t vcpu, uint32_t *port)
{
	struct xen_evtchn_bind_virq b = { XEN_VIRQ_TIMER, vcpu, SENTINEL };
	long rc = evtchn_op(XEN_EVTCHNOP_BIND_VIRQ, &b);

	if (rc == -XEN_ENOSYS)
		return false;
	expect_eq(rc, 0, "bind_virq(TIMER, vCPU %u)", vcpu);
	*port = b.port;
	port_mask(*port, true);
	port_clear(*port);
	return true;
}

static long singleshot(unsigned int id, uint64_t deadline, uint32_t flags)
{
	singleshot_t t = { 0 };

#ifdef __x86_64__
	t.timeout_abs_ns = deadline;
#else
	t.timeout_abs_ns[0] = deadline;
	t.timeout_abs_ns[1] = deadline >> 32;
#endif
	t.flags = flags;
	return vcpu_op(XEN_VCPUOP_SET_SINGLESHOT_TIMER, id, &t);
}

static long periodic(unsigned int id, uint64_t period)
{
	struct xen_vcpu_set_periodic_timer p = { period };

	return vcpu_op(XEN_VCPUOP_SET_PERIODIC_TIMER, id, &p);
}

static long set_timer_op(uint64_t timeout)
{
#ifdef __x86_64__
	return hypercall1(XEN_HC_SET_TIMER_OP, timeout);
#else
	return hypercall2(XEN_HC_SET_TIMER_OP, (uint32_t)timeout, (uint32_t)(timeout >> 32));
#endif
}

/* An event now, i.e. before the call returned. */
static void expect_event_now(const char *what)
{
	expect_true(port_pending(timer_port), "%s: no VIRQ_TIMER at once", what);
	port_clear(timer_port);
}

/* No event for @ms. */
static void expect_no_event(unsigned int ms, const char *what)
{
	expect_eq(wait_event(now_ns() + ms * NS_PER_MS), 0, "%s: VIRQ_TIMER within %u ms", what,
		  ms);
}

/* An event @ms after @from, not sooner. */
static uint64_t expect_event_after(uint64_t from, unsigned int ms, const char *what)
{
	uint64_t at = wait_event(from + ms * NS_PER_MS + SLACK_NS);

	expect_true(at >= from + ms * NS_PER_MS, "%s: VIRQ_TIMER %lld ns after arming, "
		    "expected %u ms", what, at ? (long long)(at - from) : -1ll, ms);
	port_clear(timer_port);
	return at - from;
}

static void check_singleshot(void)
{
	uint64_t t0, delay;

	t0 = now_ns();
	expect_eq(singleshot(0, t0 + TIMER_MS * NS_PER_MS, 0), 0, "single-shot in %u ms", TIMER_MS);
	delay = expect_event_after(t0, TIMER_MS, "single-shot");
	printf(NAME ": single-shot timer: VIRQ_TIMER after %llu us for %u ms\n",
	       (unsigned long long)(delay / 1000), TIMER_MS);
	expect_eq(singleshot(0, now_ns() - NS_PER_MS, 0), 0, "single-shot in the past");
	expect_event_now("single-shot in the past");
	expect_eq(singleshot(0, now_ns() - NS_PER_MS, XEN_VCPU_SSHOTTMR_FUTURE), 0,
		  "single-shot in the past, VCPU_SSHOTTMR_future (ignored, as Xen >= 4.18)");
	expect_event_now("single-shot in the past with the future flag");
	expect_eq(singleshot(0, 1ull << 63, 0), 0, "single-shot at 2^63 (negative for Xen)");
	expect_event_now("single-shot at 2^63");
	expect_eq(singleshot(0, now_ns() + (1ull << 62), 0), 0, "single-shot 2^62 ns on");
	expect_no_event(50, "single-shot far in the future");
	expect_eq(singleshot(0, now_ns() + 30 * NS_PER_MS, 0), 0, "single-shot in 30 ms");
	expect_eq(vcpu_op(XEN_VCPUOP_STOP_SINGLESHOT_TIMER, 0, 0), 0, "stop_singleshot");
	expect_no_event(60, "a stopped single-shot");
	/* The caller's own only; errors in Xen's order. */
	expect_eq(singleshot(AP, now_ns(), 0), -XEN_EINVAL, "single-shot of vCPU %u", AP);
	expect_eq(vcpu_op(XEN_VCPUOP_STOP_SINGLESHOT_TIMER, AP, 0), -XEN_EINVAL,
		  "stop_singleshot of vCPU %u", AP);
	expect_eq(singleshot(nr_vcpus, now_ns(), 0), -XEN_ENOENT, "single-shot of vCPU %u",
		  nr_vcpus);
	expect_eq(vcpu_op(XEN_VCPUOP_SET_SINGLESHOT_TIMER, 0, (void *)BEYOND_RAM), -XEN_EFAULT,
		  "single-shot, bad pointer");
	/* A 32-bit caller's argument is read before the vCPU is judged (Xen's compat). */
	expect_eq(vcpu_op(XEN_VCPUOP_SET_SINGLESHOT_TIMER, AP, (void *)BEYOND_RAM),
		  sizeof(long) == 8 ? -XEN_EINVAL : -XEN_EFAULT,
		  "single-shot of vCPU %u, bad pointer", AP);
}

static void check_periodic(void)
{
	uint64_t t0, at;
	unsigned int events = 0;

	expect_eq(periodic(0, NS_PER_MS - 1), -XEN_EINVAL, "periodic below 1 ms");
	expect_eq(periodic(0, 1ull << 63), -XEN_EINVAL, "periodic of 2^63 ns");
	expect_eq(vcpu_op(XEN_VCPUOP_SET_PERIODIC_TIMER, 0, (void *)BEYOND_RAM), -XEN_EFAULT,
		  "periodic, bad pointer");
	expect_eq(periodic(nr_vcpus, PERIOD_MS * NS_PER_MS), -XEN_ENOENT, "periodic of vCPU %u",
		  nr_vcpus);
	t0 = now_ns();
	expect_eq(periodic(0, PERIOD_MS * NS_PER_MS), 0, "periodic every %u ms", PERIOD_MS);
	/* Never an event before: the first is due at once (Xen). */
	expect_event_now("periodic: the first event");
	/*
	 * The k-th event comes k periods after the call or later (later when
	 * the guest saw two as one): a bound the latency of seeing each one
	 * cannot blur, as the time between two seen events could.
	 */
	while ((at = wait_event(t0 + 105 * NS_PER_MS)) != 0) {
		port_clear(timer_port);
		events++;
		expect_true(at - t0 >= events * PERIOD_MS * NS_PER_MS, "periodic: event %u seen "
			    "%llu us after the call", events, (unsigned long long)((at - t0) / 1000));
	}
	expect_true(events >= 3 && events <= 10, "periodic every %u ms: %u events in 105 ms",
		    PERIOD_MS, events);
	expect_eq(vcpu_op(XEN_VCPUOP_STOP_PERIODIC_TIMER, 0, 0), 0, "stop_periodic");
	port_clear(timer_port);
	expect_no_event(3 * PERIOD_MS, "a stopped periodic timer");
	/* Any vCPU's (not only the caller's); 1 ms is the least. */
	expect_eq(periodic(AP, NS_PER_MS), 0, "periodic of vCPU %u, 1 ms", AP);
	expect_eq(vcpu_op(XEN_VCPUOP_STOP_PERIODIC_TIMER, AP, 0), 0, "stop_periodic of vCPU %u",
		  AP);
	printf(NAME ": periodic timer: first event at once, %u more in 105 ms at %u ms, "
	       "stopped; below 1 ms -EINVAL\n", events, PERIOD_MS);
}

static void check_set_timer_op(void)
{
	uint64_t t0, delay;

	t0 = now_ns();
	expect_eq(set_timer_op(t0 + TIMER_MS * NS_PER_MS), 0, "set_timer_op in %u ms", TIMER_MS);
	expect_event_after(t0, TIMER_MS, "set_timer_op");
	expect_eq(set_timer_op(now_ns() + 30 * NS_PER_MS), 0, "set_timer_op in 30 ms");
	expect_eq(set_timer_op(0), 0, "set_timer_op(0)");
	expect_no_event(60, "set_timer_op(0) stopped it");
	expect_eq(set_timer_op(now_ns() - NS_PER_MS), 0, "set_timer_op in the past");
	expect_event_now("set_timer_op in the past");
	/* A jiffies wrap, Xen's Linux workaround: in 100 ms instead. */
	t0 = now_ns();
	expect_eq(set_timer_op(~0ull), 0, "set_timer_op(-1)");
	delay = expect_event_after(t0, 100, "set_timer_op(-1)");
	t0 = now_ns();
	expect_eq(set_timer_op(t0 + (1ull << 51)), 0, "set_timer_op 2^51 ns on");
	expect_event_after(t0, 100, "set_timer_op 2^51 ns on");
	printf(NAME ": set_timer_op: in %u ms, 0, the past, -1 and 2^51 ns on (after %llu ms)\n",
	       TIMER_MS, (unsigned long long)(delay / NS_PER_MS));
}

/*
 * SCHEDOP_block until the timer's upcall (per-vCPU vector, as Linux):
 * blocked for the timer's delay.  IF stays 0: the upcall ends the block.
 */
static volatile unsigned long upcalls;

static void upcall_handler(struct irq_frame *f)
{
	(void)f;
	upcalls++;
	vi0->upcall_pending = 0;
	lapic_eoi();
}

static void check_block(void)
{
	struct xen_hvm_evtchn_upcall_vector uv = { .vcpu = 0, .vector = UPCALL_VECTOR };
	struct runstate a, b;
	unsigned long before;
	uint64_t blocked, t0, t1;
	long rc;

	irq_set_handler(UPCALL_VECTOR, upcall_handler);
	expect_eq(hypercall2(XEN_HC_HVM_OP, XEN_HVMOP_SET_EVTCHN_UPCALL_VECTOR, ptr(&uv)), 0,
		  "upcall vector for vCPU 0");
	irq_window();
	/* Drained, as Linux's handler leaves it: the registration set every selector bit. */
	vi0->pending_sel = 0;
	vi0->upcall_pending = 0;
	before = upcalls;
	port_clear(timer_port);
	port_mask(timer_port, false);
	a = get_runstate(0);
	t0 = now_ns();
	expect_eq(singleshot(0, t0 + HLT_MS * NS_PER_MS, 0), 0, "single-shot to wake a "
		  "SCHEDOP_block");
	rc = hc_sched_op(XEN_SCHEDOP_BLOCK, 0);
	t1 = now_ns();
	b = get_runstate(0);
	expect_eq(rc, 0, "SCHEDOP_block");
	irq_window();
	blocked = b.time[XEN_RUNSTATE_BLOCKED] - a.time[XEN_RUNSTATE_BLOCKED];
	expect_true(blocked >= BLOCKED_MIN_NS(HLT_MS) && blocked <= t1 - t0 + NS_PER_MS,
		    "blocked %llu ns in SCHEDOP_block of %llu ns for a %u ms timer",
		    (unsigned long long)blocked, (unsigned long long)(t1 - t0), HLT_MS);
	expect_true(upcalls > before, "no upcall after SCHEDOP_block");
	printf(NAME ": SCHEDOP_block until the timer's upcall: blocked %llu us\n",
	       (unsigned long long)(blocked / 1000));
}

/* ---- main ---- */

int guest_main(void)
{
	check_name = NAME;
	if (platform.kind != PLATFORM_XEN)
		guest_fail(NAME ": no Xen signature at CPUID 0x40000000 (platform %s): run it with "
			   "`hvk run --xen --cpus 2`", platform_name());
	nr_vcpus = smp_count_vcpus();
	if (nr_vcpus < 2)
		guest_fail(NAME ": needs 2 vCPUs or more (--cpus 2), has %u", nr_vcpus);
#ifdef __x86_64__
	paging_unmap_large(UNMAPPED_VA);
#endif
	irq_init();
	lapic_reset_for_test();
	irq_set_handler(TIMER_VECTOR, timer_handler);
	expect_eq(map_shared_info(shinfo_frames[0]), 0, "map shared_info");
	shinfo = shinfo_frames[0];
	vi0 = slot(0);
	check_wallclock();
	check_vcpu_info();
	check_high_vcpu();
	check_time_areas();
	check_runstate_self();
	check_moving_areas();
	have_events = bind_timer(AP, &ap_timer_port);
	check_ap();
	if (have_events && bind_timer(0, &timer_port)) {
		check_singleshot();
		check_periodic();
		check_set_timer_op();
		check_block();
	} else {
		printf(NAME ": timers skipped: no event channels\n");
	}
	printf(NAME ": all checks passed (%lu)\n", checks_passed);
	return 0;
}
