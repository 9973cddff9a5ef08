/* SPDX-License-Identifier: MIT */
/*
 * stress (64-bit) / stress32: seeded, bounded random hypercalls from every
 * vCPU at once, to show the host survives them (the harness then checks the
 * module's counters).  Command line: seed=N (default 1), iterations=N
 * (vCPU 0's calls, default 10000).  The PRNG is xorshift64*, one stream per
 * vCPU, so vCPU 0's sequence of calls is the same for the same seed (the
 * APs' interleaving, and so some results, are not).
 *
 * vCPU 0 makes random calls and, every few iterations, starts APs that are
 * down (VCPUOP_initialise + up, or up alone); the APs make random calls
 * too and now and then take themselves down.  Calls: xen_version,
 * console_io, sched_op, vcpu_op (initialise with good, spoiled, random and
 * bad contexts; up, down, is_up on random ids), hvm_op, memory_op
 * (add_to_physmap, shared_info moved to random free frames, beyond RAM
 * and out of range), multicall batches of those (and nested multicalls,
 * bad entry pointers, counts past the batch), hvk's family with random
 * calls and annotations, unknown numbers; arguments random, pointers into
 * a per-vCPU scratch area or bad (beyond RAM, off its end; 64-bit also
 * unmapped, above 4 GiB, non-canonical).
 *
 * Never: sched_op block, poll or shutdown, VCPUOP_down of vCPU 0, pointers that
 * would let the hypervisor write over the guest's own code or data.
 * Every result is accepted; the last line is
 *   stress: seed S, N calls, ok X, errors Y
 * and the guest powers off.
 */
#include <abi/hvk_hypercall.h>
#include <abi/xen/errno.h>
#include <abi/xen/hvm_op.h>
#include <abi/xen/hypercall.h>
#include <abi/xen/memory.h>
#include <abi/xen/multicall.h>
#include <abi/xen/sched.h>
#include <abi/xen/vcpu.h>
#include <abi/xen/version.h>

#include "guest.h"
#include "rng.h"

#ifdef __x86_64__
#include "x86_64/paging.h"
#define NAME "stress"
typedef struct xen_multicall_entry64 mc_entry_t;
typedef struct xen_add_to_physmap64 physmap_t;
#define HOLE_VA                 0x400000ul      /* RAM, unmapped by us */
#else
#define NAME "stress32"
typedef struct xen_multicall_entry32 mc_entry_t;
typedef struct xen_add_to_physmap32 physmap_t;
#endif

#define DEFAULT_SEED            1
#define DEFAULT_ITERATIONS      10000
#define STRESS_MAX_VCPUS        16      /* vCPUs with a stack and a scratch area */
#define AP_STACK_SIZE           8192
#define PAGE                    4096ul
#define SCRATCH_PAGES           3       /* pointers land in the first two */
#define MAX_BATCH               8
#define BATCH_SLOTS             (MAX_BATCH + 4) /* counts may run past the batch */
#define AP_START_EVERY          16      /* vCPU 0 iterations */
#define SHINFO_FRAMES           4
#define BEYOND_RAM              0xdead0000ul

struct call {
	unsigned long nr;
	unsigned long arg[5];
};

/* One per vCPU: random pointers only ever point into `scratch`. */
struct vcpu_area {
	uint8_t scratch[SCRATCH_PAGES][PAGE];
	mc_entry_t batch[BATCH_SLOTS];
	union {
		struct xen_vcpu_hvm_context ctx;
		physmap_t physmap;
		struct xen_hvm_param param;
	} args[BATCH_SLOTS];            /* crafted arguments, one per batch slot */
	char text[64];
	size_t text_len;
	uint64_t rng;
	unsigned long calls, ok, errors, starts;
};

static struct vcpu_area areas[STRESS_MAX_VCPUS] __attribute__((aligned(4096)));
static uint8_t ap_stacks[STRESS_MAX_VCPUS][AP_STACK_SIZE] __attribute__((aligned(16)));
static uint8_t shinfo_frames[SHINFO_FRAMES][PAGE] __attribute__((aligned(4096)));
static unsigned int nr_vcpus, nr_areas;
static uint64_t ram_end;
static volatile bool stopping;

/* ---- the PRNG: xorshift64* ---- */

static uint64_t rnd(struct vcpu_area *a)
{
	return xorshift64s_next(&a->rng);
}

static unsigned int below(struct vcpu_area *a, unsigned int n)
{
	return (unsigned int)((rnd(a) >> 32) % n);
}

static bool one_in(struct vcpu_area *a, unsigned int n)
{
	return below(a, n) == 0;
}

/* ---- pointers ---- */

static unsigned long ptr(const void *p)
{
	return (unsigned long)(uintptr_t)p;
}

/* Faults for every call: none of these is readable memory of the guest. */
static unsigned long bad_ptr(struct vcpu_area *a)
{
#ifdef __x86_64__
	unsigned int kinds = 7;
#else
	unsigned int kinds = 3;
#endif

	switch (below(a, kinds)) {
	case 0:
		return BEYOND_RAM + below(a, 0x10000);
	case 1:         /* the last few bytes of RAM: running off its end */
		return ram_end ? (unsigned long)ram_end - below(a, 16) : BEYOND_RAM;
	case 2:         /* anything from the end of RAM to 4 GiB */
		return (unsigned long)ram_end + (unsigned long)(rnd(a) % ((1ull << 32) - ram_end));
#ifdef __x86_64__
	case 3:
		return HOLE_VA + below(a, LARGE_PAGE_SIZE);
	case 4:
		return HOLE_VA - below(a, 16);
	case 5:         /* bit 63 set, bits 47-62 clear: non-canonical */
		return 0x8000000000000000ul | (rnd(a) & 0x7fffffffffful);
	default:        /* canonical, above the 4 GiB the page tables map */
		return 0x100000000ul + (rnd(a) & 0x3fffffffffful);
#else
	default:
		return BEYOND_RAM;
#endif
	}
}

static unsigned long scratch_ptr(struct vcpu_area *a)
{
	return ptr(a->scratch) + below(a, 2 * PAGE);
}

static unsigned long any_ptr(struct vcpu_area *a)
{
	return one_in(a, 2) ? scratch_ptr(a) : bad_ptr(a);
}

static unsigned long pick(struct vcpu_area *a, const unsigned long *v, unsigned int n)
{
	return v[below(a, n)];
}

#define PICK(a, ...) ({							\
	static const unsigned long v_[] = { __VA_ARGS__ };		\
	pick(a, v_, sizeof(v_) / sizeof(v_[0]));			\
})

/* ---- contexts ---- */

static void *stack_top(unsigned int id)
{
	return ap_stacks[id] + AP_STACK_SIZE;
}

static void ap_main(unsigned int id, unsigned long unused);

static void good_context(struct vcpu_area *a, struct xen_vcpu_hvm_context *ctx, unsigned int id)
{
#ifdef __x86_64__
	(void)a;
	smp_ap_context(ctx, id, ap_main, 0, stack_top(id));
#else
	if (one_in(a, 2))
		smp_ap_context_paged(ctx, id, ap_main, 0, stack_top(id));
	else
		smp_ap_context(ctx, id, ap_main, 0, stack_top(id));
#endif
}

/*
 * A good context with one change the validator must refuse (a refused
 * context that ran anyway would crash the guest: the test then fails).
 * Random bytes elsewhere could make a valid context that runs on a wrong
 * stack or id, so only these changes, plus garbage in unused GPRs.
 */
static void spoiled_context(struct vcpu_area *a, struct xen_vcpu_hvm_context *ctx,
			    unsigned int id)
{
	good_context(a, ctx, id && id < nr_areas ? id : 1);
#ifdef __x86_64__
	struct xen_vcpu_hvm_x86_64 *r = &ctx->cpu_regs.x86_64;

	r->rax = rnd(a);
	r->rbp = rnd(a);
	switch (below(a, 10)) {
	case 0: r->cr0 &= ~(uint64_t)CR0_PG; break;
	case 1: r->cr4 &= ~(uint64_t)CR4_PAE; break;
	case 2: r->efer = 0; break;
	case 3: r->rip = 0x0000800000000000ull | (rnd(a) & 0xffffffffffull); break;
	case 4: r->rflags = 0; break;
	case 5: r->cr4 |= 1u << 15; break;
	case 6: r->efer |= 1u << 1; break;
	case 7: r->cr3 |= 1ull << 63; break;
	case 8: r->cr0 |= 1u << 29; break;      /* NW without CD */
	default: ctx->mode = 2 + below(a, 1000); break;
	}
#else
	struct xen_vcpu_hvm_x86_32 *r = &ctx->cpu_regs.x86_32;

	r->eax = (uint32_t)rnd(a);
	r->ebp = (uint32_t)rnd(a);
	switch (below(a, 8)) {
	case 0: r->cr0 &= ~1u; break;           /* no PE */
	case 1: r->cs_ar = XEN_HVM_AR_DATA32; break;
	case 2: r->tr_ar = 0x089; break;        /* an available TSS */
	case 3: r->cs_limit = 0xfffff000; break;
	case 4: r->efer = 0x500; break;         /* LMA in 32B */
	case 5: r->ss_ar |= 3 << 5; break;      /* SS.DPL 3, CS.DPL 0 */
	case 6: r->eflags = 0; break;
	default: ctx->mode = 2 + below(a, 1000); break;
	}
#endif
}

/* ---- one random call ---- */

static unsigned long random_id(struct vcpu_area *a)
{
	switch (below(a, 6)) {
	case 0:
		return SMP_MAX_VCPUS;
	case 1:
		return 0xffffffffu;
	case 2:
		return (uint32_t)rnd(a);
	default:
		return below(a, nr_vcpus + 2);
	}
}

static void gen_vcpu_op(struct vcpu_area *a, unsigned int slot, struct call *c)
{
	unsigned long op = PICK(a, XEN_VCPUOP_INITIALISE, XEN_VCPUOP_INITIALISE,
				XEN_VCPUOP_UP, XEN_VCPUOP_UP, XEN_VCPUOP_DOWN,
				XEN_VCPUOP_IS_UP, XEN_VCPUOP_IS_UP, XEN_VCPUOP_GET_PHYSID, 4, 99);
	unsigned long id = random_id(a);
	struct xen_vcpu_hvm_context *ctx = &a->args[slot].ctx;

	if (one_in(a, 32))
		op = rnd(a);
	if ((uint32_t)op == XEN_VCPUOP_DOWN && (uint32_t)id == 0)
		id = 1;         /* never vCPU 0: it runs the test */
	c->nr = XEN_HC_VCPU_OP;
	c->arg[0] = op;
	c->arg[1] = id;
	c->arg[2] = any_ptr(a);
	if ((uint32_t)op != XEN_VCPUOP_INITIALISE)
		return;
	switch (below(a, 4)) {
	case 0:
		if (id && id < nr_areas && id < nr_vcpus) {
			good_context(a, ctx, id);
			c->arg[2] = ptr(ctx);
		}
		break;
	case 1:
		spoiled_context(a, ctx, id);
		c->arg[2] = ptr(ctx);
		break;
	}
}

static void gen_console_io(struct vcpu_area *a, struct call *c)
{
	c->nr = XEN_HC_CONSOLE_IO;
	c->arg[0] = PICK(a, XEN_CONSOLEIO_WRITE, XEN_CONSOLEIO_WRITE, XEN_CONSOLEIO_WRITE,
			 XEN_CONSOLEIO_READ, 2, 99);
	/* At least 16: a bad pointer may sit up to 15 bytes before the fault. */
	c->arg[1] = PICK(a, 16, 17, 100, 4096, 5000, 0x80000000ul, ~0ul);
	c->arg[2] = bad_ptr(a);
	if (c->arg[0] == XEN_CONSOLEIO_READ) {
		c->arg[2] = any_ptr(a);
	} else if (one_in(a, 512)) {
		c->arg[1] = a->text_len;
		c->arg[2] = ptr(a->text);
	} else if (one_in(a, 8)) {
		c->arg[1] = 0;
		c->arg[2] = any_ptr(a);
	}
}

static void gen_hvm_op(struct vcpu_area *a, unsigned int slot, struct call *c)
{
	struct xen_hvm_param *p = &a->args[slot].param;

	c->nr = XEN_HC_HVM_OP;
	c->arg[0] = one_in(a, 16) ? rnd(a) : PICK(a, XEN_HVMOP_GET_PARAM, XEN_HVMOP_SET_PARAM, 2);
	c->arg[1] = any_ptr(a);
	if (one_in(a, 3))
		return;
	p->domid = one_in(a, 4) ? (uint16_t)rnd(a) : XEN_DOMID_SELF;
	p->pad = (uint16_t)rnd(a);
	p->index = one_in(a, 4) ? (uint32_t)rnd(a)
		   : PICK(a, XEN_HVM_PARAM_STORE_PFN, XEN_HVM_PARAM_STORE_EVTCHN,
			  XEN_HVM_PARAM_CONSOLE_PFN, XEN_HVM_PARAM_CONSOLE_EVTCHN, 0, 3, 19);
	p->value = rnd(a);
	c->arg[1] = ptr(p);
}

/* shared_info may go to frames nothing of the guest uses, or nowhere. */
static unsigned long random_gpfn(struct vcpu_area *a)
{
	unsigned long free_lo = 0x200000 / PAGE;        /* the image ends below 2 MiB */

	switch (below(a, 5)) {
	case 0:
		return ptr(shinfo_frames[below(a, SHINFO_FRAMES)]) / PAGE;
	case 1:         /* free RAM above the image */
		return ram_end / PAGE > free_lo ? free_lo + below(a, ram_end / PAGE - free_lo)
						: ptr(shinfo_frames[0]) / PAGE;
	case 2:         /* beyond RAM, below 4 GiB */
		return ram_end / PAGE + below(a, 0x100000 - ram_end / PAGE);
	case 3:         /* far beyond: up to and past 52-bit addresses */
		return (unsigned long)(rnd(a) & ((1ull << (sizeof(long) == 8 ? 41 : 32)) - 1));
	default:
		return (unsigned long)rnd(a);
	}
}

static void gen_memory_op(struct vcpu_area *a, unsigned int slot, struct call *c)
{
	physmap_t *x = &a->args[slot].physmap;

	c->nr = XEN_HC_MEMORY_OP;
	c->arg[0] = one_in(a, 8) ? rnd(a) : XEN_XENMEM_ADD_TO_PHYSMAP;
	c->arg[1] = bad_ptr(a);
	if (one_in(a, 4))
		return;
	x->domid = one_in(a, 8) ? (uint16_t)rnd(a) : XEN_DOMID_SELF;
	x->size = (uint16_t)rnd(a);
	x->space = one_in(a, 8) ? (uint32_t)rnd(a)
		   : PICK(a, XEN_XENMAPSPACE_SHARED_INFO, XEN_XENMAPSPACE_SHARED_INFO,
			  XEN_XENMAPSPACE_SHARED_INFO, XEN_XENMAPSPACE_GRANT_TABLE, 2);
	x->idx = one_in(a, 8) ? (unsigned long)rnd(a) : 0;
	x->gpfn = random_gpfn(a);
	c->arg[1] = ptr(x);
}

static void gen_hvk(struct vcpu_area *a, struct call *c)
{
	unsigned int family = one_in(a, 4) ? below(a, HVK_HC_NR_FAMILIES) : HVK_FAMILY_BASE;
	unsigned int call = one_in(a, 4) ? (uint16_t)rnd(a) : below(a, 5);

	c->nr = HVK_HC_NR(family, call, one_in(a, 2) ? (uint8_t)rnd(a) : 0u);
#ifdef __x86_64__
	if (one_in(a, 16))
		c->nr |= rnd(a) << 32;
#endif
	c->arg[0] = one_in(a, 4) ? HVK_QUERY_FAMILIES : below(a, 10);
	c->arg[1] = one_in(a, 4) ? (uint16_t)rnd(a) : below(a, 5);
}

/* A number nothing answers but -ENOSYS (hvk's family excepted: all safe). */
static void gen_unknown(struct vcpu_area *a, struct call *c)
{
	static const unsigned long implemented[] = {
		XEN_HC_MEMORY_OP, XEN_HC_MULTICALL, XEN_HC_XEN_VERSION, XEN_HC_CONSOLE_IO,
		XEN_HC_VCPU_OP, XEN_HC_SCHED_OP, XEN_HC_HVM_OP,
	};
	unsigned long nr = one_in(a, 2) ? below(a, 64) : (unsigned long)rnd(a);

	for (unsigned int i = 0; i < sizeof(implemented) / sizeof(implemented[0]); i++)
		if (nr == implemented[i])
			nr = PICK(a, XEN_HC_EVENT_CHANNEL_OP, XEN_HC_GRANT_TABLE_OP, 0, 99);
	c->nr = nr;
	for (unsigned int i = 0; i < 5; i++)
		c->arg[i] = one_in(a, 2) ? any_ptr(a) : (unsigned long)rnd(a);
}

/* Fills c with one random call; slot selects the crafted-argument storage. */
static void gen_call(struct vcpu_area *a, unsigned int slot, struct call *c, bool in_batch)
{
	memset(c, 0, sizeof(*c));
	switch (below(a, 12)) {
	case 0:
	case 1:
		c->nr = XEN_HC_XEN_VERSION;
		c->arg[0] = one_in(a, 8) ? rnd(a)
			    : PICK(a, XEN_XENVER_VERSION, XEN_XENVER_EXTRAVERSION,
				   XEN_XENVER_GET_FEATURES, XEN_XENVER_PAGESIZE, 2, 8);
		c->arg[1] = any_ptr(a);
		break;
	case 2:
		gen_console_io(a, c);
		break;
	case 3:         /* never block (1), shut down (2) or poll (3): those wait */
		c->nr = XEN_HC_SCHED_OP;
		c->arg[0] = PICK(a, XEN_SCHEDOP_YIELD, XEN_SCHEDOP_YIELD, 5, 4, 99,
				 0xffffffff);
		c->arg[1] = any_ptr(a);
		break;
	case 4:
	case 5:
		gen_vcpu_op(a, slot, c);
		break;
	case 6:
		gen_hvm_op(a, slot, c);
		break;
	case 7:
		gen_memory_op(a, slot, c);
		break;
	case 8:
		if (in_batch) {         /* nested: refused per entry */
			c->nr = XEN_HC_MULTICALL;
			c->arg[0] = any_ptr(a);
			c->arg[1] = below(a, 4);
			break;
		}
		c->nr = XEN_HC_MULTICALL;       /* run_call() builds the batch */
		break;
	case 9:
		gen_hvk(a, c);
		break;
	default:
		gen_unknown(a, c);
		break;
	}
}

static void count(struct vcpu_area *a, long result)
{
	a->calls++;
	if (result >= 0)
		a->ok++;
	else
		a->errors++;
}

static void run_multicall(struct vcpu_area *a)
{
	unsigned int n = 1 + below(a, MAX_BATCH), cnt;
	unsigned long entries = ptr(a->batch);
	long rc;

	for (unsigned int i = 0; i < BATCH_SLOTS; i++) {
		struct call c;

		if (i < n) {
			gen_call(a, i, &c, true);
		} else {
			memset(&c, 0, sizeof(c));
			c.nr = XEN_HC_XEN_VERSION;      /* what a count past n reaches */
		}
		a->batch[i].op = c.nr;
		a->batch[i].result = 0;
		for (unsigned int j = 0; j < XEN_MULTICALL_NR_ARGS; j++)
			a->batch[i].args[j] = j < 5 ? c.arg[j] : (unsigned long)rnd(a);
	}
	cnt = one_in(a, 8) ? below(a, BATCH_SLOTS + 1) : n;
	if (one_in(a, 16))
		entries = bad_ptr(a);
	rc = hypercall2(XEN_HC_MULTICALL, entries, cnt);
	count(a, rc);
	if (rc < 0 || entries != ptr(a->batch))
		return;
	for (unsigned int i = 0; i < cnt; i++)
		count(a, (long)a->batch[i].result);
}

static void random_call(struct vcpu_area *a)
{
	struct call c;

	gen_call(a, 0, &c, false);
	if (c.nr == XEN_HC_MULTICALL) {
		run_multicall(a);
		return;
	}
	count(a, hypercall5(c.nr, c.arg[0], c.arg[1], c.arg[2], c.arg[3], c.arg[4]));
}

/* ---- the vCPUs ---- */

static void ap_main(unsigned int id, unsigned long unused)
{
	struct vcpu_area *a;

	(void)unused;
	if (id == 0 || id >= nr_areas)  /* only a context that should be refused */
		guest_fail(NAME ": a vCPU started with id %u", id);
	a = &areas[id];
	__atomic_add_fetch(&a->starts, 1, __ATOMIC_RELAXED);
	for (;;) {
		if (stopping) {
			hc_sched_op(XEN_SCHEDOP_YIELD, 0);
			continue;
		}
		random_call(a);
		if (one_in(a, 128))
			count(a, hc_vcpu_op(XEN_VCPUOP_DOWN, id, 0));
	}
}

/* vCPU 0: start APs that are down, with a new state or none. */
static void start_aps(struct vcpu_area *a)
{
	for (unsigned int k = 1; k < nr_areas; k++) {
		struct xen_vcpu_hvm_context *ctx = &a->args[0].ctx;

		if (hc_vcpu_op(XEN_VCPUOP_IS_UP, k, 0) != 0 || one_in(a, 2))
			continue;
		if (!areas[k].starts || one_in(a, 2)) {
			good_context(a, ctx, k);
			count(a, hc_vcpu_op(XEN_VCPUOP_INITIALISE, k, ctx));
		}
		count(a, hc_vcpu_op(XEN_VCPUOP_UP, k, 0));
	}
}

static void area_init(unsigned int id, uint64_t seed)
{
	struct vcpu_area *a = &areas[id];

	a->rng = seed ^ (0x9e3779b97f4a7c15ull * (id + 1));
	if (!a->rng)
		a->rng = 1;
	a->text_len = snprintf(a->text, sizeof(a->text), NAME ": console write from vCPU %u\n", id);
	for (unsigned int p = 0; p < SCRATCH_PAGES; p++)
		for (unsigned int i = 0; i < PAGE; i++)
			a->scratch[p][i] = (uint8_t)rnd(a);
}

int guest_main(void)
{
	uint64_t seed = cmdline_number("seed", DEFAULT_SEED);
	uint64_t iterations = cmdline_number("iterations", DEFAULT_ITERATIONS);
	uint64_t t0 = rdtsc();
	unsigned long calls = 0, ok = 0, errors = 0, starts = 0;
	struct vcpu_area *bsp = &areas[0];

	if (!platform_has_hypercalls())
		guest_fail(NAME ": no hypervisor found (CPUID 0x40000000 shows neither "
			   "hvk nor Xen), so no hypercalls to test");
	ram_end = boot_ram_end();
	if (!ram_end || ram_end >= (1ull << 32))
		guest_fail(NAME ": RAM ends at 0x%llx: expected a memory map below 4 GiB",
			   (unsigned long long)ram_end);
#ifdef __x86_64__
	paging_unmap_large(HOLE_VA);
#endif
	nr_vcpus = smp_count_vcpus();
	nr_areas = nr_vcpus < STRESS_MAX_VCPUS ? nr_vcpus : STRESS_MAX_VCPUS;
	for (unsigned int id = 0; id < nr_areas; id++)
		area_init(id, seed);
	printf(NAME ": seed %llu, %llu iterations, %u vCPUs (%u used)\n",
	       (unsigned long long)seed, (unsigned long long)iterations, nr_vcpus, nr_areas);

	for (uint64_t i = 0; i < iterations; i++) {
		if (i % AP_START_EVERY == 0)
			start_aps(bsp);
		random_call(bsp);
		if (i && i % 1000 == 0)
			printf(NAME ": %llu iterations\n", (unsigned long long)i);
	}
	stopping = true;
	for (unsigned int id = 0; id < nr_areas; id++) {
		calls += areas[id].calls;
		ok += areas[id].ok;
		errors += areas[id].errors;
		starts += id ? areas[id].starts : 0;
		printf(NAME ": vCPU %u: %lu calls, ok %lu, errors %lu, %lu starts\n", id,
		       areas[id].calls, areas[id].ok, areas[id].errors, id ? areas[id].starts : 1);
	}
	printf(NAME ": %llu TSC cycles, %lu AP starts\n", (unsigned long long)(rdtsc() - t0),
	       starts);
	printf(NAME ": seed %llu, %lu calls, ok %lu, errors %lu\n", (unsigned long long)seed,
	       calls, ok, errors);
	return 0;
}
