/* SPDX-License-Identifier: MIT */
/*
 * smp (64-bit) / smp32: secondary vCPUs through vcpu_op.  Run with
 * `hvk run --cpus N` (N = 4 in the table; 1 and 2 work too, checking less).
 * An optional `cpus=N` on the command line makes the guest check N.
 *
 *   1. N = the first id whose VCPUOP_is_up says -ENOENT; is_up(0) = 1 and
 *      is_up(k) = 0 for the APs; before any AP ran: up(k) = -EINVAL (never
 *      given a state), down(k) = 0, the -ENOENT/-EEXIST/-ENOSYS cases, and
 *      on AP 1 every kind of context the validator must refuse (-EINVAL)
 *      and unreadable ones (-EFAULT); none of them gives AP 1 a state.
 *   2. Every AP is initialised and brought up: in smp, odd APs in 64B mode
 *      (C code on the boot page tables) and even APs in 32B mode (an
 *      assembly stub below that stays in 32-bit protected mode, paging
 *      off, its segments straight from the context); in smp32 every AP is
 *      32-bit C code, odd ones with paging on (CR0.PG, CR4.PSE).  Each AP
 *      runs on its own stack, counts itself in, prints
 *      "<name>: AP k up (mode 32B|64B)" and then: even APs take themselves
 *      down (VCPUOP_down(self)); APs 1, 5, ... spin; APs 3, 7, ... block
 *      (SCHEDOP_block).  The BSP waits (TSC-bounded) and checks is_up.
 *   3. A running AP: initialise -> -EEXIST (-EFAULT first for an unreadable
 *      context: Xen reads it before looking at the vCPU), up -> 0.  Up
 *      without a new state resumes a vCPU after its VCPUOP_down
 *      (self-downed APs) or where it was stopped (spinning APs downed by
 *      the BSP).
 *   4. A down AP that ran keeps its state: initialise -> -EEXIST, bad
 *      contexts too (Xen's is_initialised), and it resumes its old state.
 *   5. Every AP but the blocked ones is sent INIT (its state is gone: up
 *      -> -EINVAL, as Xen's vcpu_reset()), initialised again in the other
 *      mode, and must run its entry again.
 *   6. A blocked AP that is downed, sent INIT, initialised and brought up
 *      must run its new entry too.
 *   7. "<name>: all checks passed", every AP down, then vCPU 0 takes itself
 *      down: the last vCPU going down powers the VM off (exit 0).
 */
#include <abi/xen/errno.h>
#include <abi/xen/hypercall.h>
#include <abi/xen/sched.h>
#include <abi/xen/vcpu.h>

#include "guest.h"
#include "lapic.h"

#ifdef __x86_64__
#define NAME "smp"
#else
#define NAME "smp32"
#endif

#define AP_STACK_SIZE           4096
/* Only a failing run waits this long: about 10 s at 3 GHz. */
#define WAIT_TSC_CYCLES         30000000000ull
#define BEYOND_RAM              0xdead0000ul

enum ap_action {
	AP_DOWN,        /* VCPUOP_down(self), again each time it is resumed */
	AP_SPIN,        /* count heartbeats */
	AP_BLOCK,       /* SCHEDOP_block, again each time it returns */
};

enum ap_mode {
	MODE_64B,
	MODE_32B,
	MODE_32B_PAGED,
};

/* Shared with the APs (and the 32-bit stub, so not static). */
volatile unsigned int arrivals;                 /* entries run, all APs */
volatile unsigned int ap_runs[SMP_MAX_VCPUS];   /* entries run */
volatile unsigned int ap_resumed[SMP_MAX_VCPUS]; /* returns from down/block */
volatile int ap_down_rc[SMP_MAX_VCPUS];         /* its last VCPUOP_down(self) */
volatile unsigned long ap_heartbeat[SMP_MAX_VCPUS];
volatile int ap_seen_self_up[SMP_MAX_VCPUS];    /* is_up(self) from the AP */
volatile int ap_seen_bsp_init[SMP_MAX_VCPUS];   /* initialise(0) from the AP */
volatile unsigned int ap_blocking[SMP_MAX_VCPUS];
volatile enum ap_action ap_action[SMP_MAX_VCPUS];
enum ap_mode ap_mode[SMP_MAX_VCPUS];

static uint8_t ap_stacks[SMP_MAX_VCPUS][AP_STACK_SIZE] __attribute__((aligned(16)));
static unsigned int nr_vcpus;

static void *stack_top(unsigned int id)
{
	return ap_stacks[id] + AP_STACK_SIZE;
}

static const char *mode_name(enum ap_mode mode)
{
	switch (mode) {
	case MODE_64B:
		return "64B";
	case MODE_32B:
		return "32B";
	default:
		return "32B, paging";
	}
}

static long vcpu_op(unsigned int op, unsigned int id, void *arg)
{
	return hc_vcpu_op(op, id, arg);
}

static long is_up(unsigned int id)
{
	return vcpu_op(XEN_VCPUOP_IS_UP, id, 0);
}

/* ---- the APs ---- */

static void ap_main(unsigned int id, unsigned long mode)
{
	struct xen_vcpu_hvm_context zero = { 0 };

	ap_seen_self_up[id] = is_up(id);
	/* vCPU 0 has a state: -EEXIST comes before the context is checked. */
	ap_seen_bsp_init[id] = vcpu_op(XEN_VCPUOP_INITIALISE, 0, &zero);
	__atomic_add_fetch(&ap_runs[id], 1, __ATOMIC_SEQ_CST);
	printf(NAME ": AP %u up (mode %s)\n", id, mode_name(mode));
	__atomic_add_fetch(&arrivals, 1, __ATOMIC_SEQ_CST);
	switch (ap_action[id]) {
	case AP_DOWN:
		for (;;) {
			ap_down_rc[id] = vcpu_op(XEN_VCPUOP_DOWN, id, 0);
			__atomic_add_fetch(&ap_resumed[id], 1, __ATOMIC_SEQ_CST);
		}
	case AP_SPIN:
		for (;;) {
			__atomic_add_fetch(&ap_heartbeat[id], 1, __ATOMIC_SEQ_CST);
			cpu_relax();
		}
	case AP_BLOCK:
		for (;;) {
			ap_blocking[id] = 1;
			hc_sched_op(XEN_SCHEDOP_BLOCK, 0);
			__atomic_add_fetch(&ap_resumed[id], 1, __ATOMIC_SEQ_CST);
		}
	}
}

#ifdef __x86_64__
/*
 * The 32B AP of the 64-bit image: 32-bit code that needs no GDT, IDT or
 * stack set-up beyond the context (null selectors, the segments' hidden
 * parts from it).  EBX = id, ESI = message, EDI = its length.  It counts
 * itself in, prints its line with a 32-bit hypercall, then takes itself
 * down; if brought up again without a new state it continues after that
 * hypercall, counts a resume and goes down again.
 */
#define STR_(x) #x
#define STR(x) STR_(x)
_Static_assert(HYPERCALL_VMMCALL == 1, "ap32_stub compares hypercall_insn with 1");

char ap_msg[SMP_MAX_VCPUS][48];
void ap32_stub(void);

__asm__(
	"	.text\n"
	"	.code32\n"
	"	.globl ap32_stub\n"
	"ap32_stub:\n"
	"	mov %ebx, %ebp\n"
	"	lock incl ap_runs(,%ebp,4)\n"
	"	mov $" STR(XEN_HC_CONSOLE_IO) ", %eax\n"
	"	mov $" STR(XEN_CONSOLEIO_WRITE) ", %ebx\n"
	"	mov %edi, %ecx\n"
	"	mov %esi, %edx\n"
	"	call ap32_hypercall\n"
	"	lock incl arrivals\n"
	"1:	mov $" STR(XEN_HC_VCPU_OP) ", %eax\n"
	"	mov $" STR(XEN_VCPUOP_DOWN) ", %ebx\n"
	"	mov %ebp, %ecx\n"
	"	call ap32_hypercall\n"
	"	mov %eax, ap_down_rc(,%ebp,4)\n"
	"	lock incl ap_resumed(,%ebp,4)\n"
	"	jmp 1b\n"
	"ap32_hypercall:\n"
	"	cmpl $1, hypercall_insn\n"
	"	je 2f\n"
	"	vmcall\n"
	"	ret\n"
	"2:	vmmcall\n"
	"	ret\n"
	"	.code64\n");

static void ap_context(struct xen_vcpu_hvm_context *ctx, unsigned int id, enum ap_mode mode)
{
	if (mode == MODE_64B) {
		smp_ap_context(ctx, id, ap_main, mode, stack_top(id));
		return;
	}
	snprintf(ap_msg[id], sizeof(ap_msg[id]), NAME ": AP %u up (mode 32B)\n", id);
	smp_context_flat32(ctx, (uintptr_t)ap32_stub, (uintptr_t)stack_top(id));
	ctx->cpu_regs.x86_32.ebx = id;
	ctx->cpu_regs.x86_32.esi = (uintptr_t)ap_msg[id];
	ctx->cpu_regs.x86_32.edi = strlen(ap_msg[id]);
}

/* Odd APs 64B, even APs 32B (the stub: it always takes itself down). */
static enum ap_mode first_mode(unsigned int id)
{
	return id % 2 ? MODE_64B : MODE_32B;
}

static enum ap_mode other_mode(enum ap_mode mode)
{
	return mode == MODE_64B ? MODE_32B : MODE_64B;
}

static bool mode_is_stub(enum ap_mode mode)
{
	return mode == MODE_32B;
}
#else
static void ap_context(struct xen_vcpu_hvm_context *ctx, unsigned int id, enum ap_mode mode)
{
	if (mode == MODE_32B_PAGED)
		smp_ap_context_paged(ctx, id, ap_main, mode, stack_top(id));
	else
		smp_ap_context(ctx, id, ap_main, mode, stack_top(id));
}

static enum ap_mode first_mode(unsigned int id)
{
	return id % 2 ? MODE_32B_PAGED : MODE_32B;
}

static enum ap_mode other_mode(enum ap_mode mode)
{
	return mode == MODE_32B ? MODE_32B_PAGED : MODE_32B;
}

static bool mode_is_stub(enum ap_mode mode)
{
	(void)mode;
	return false;
}
#endif

/* ---- waiting, bounded by the TSC ---- */

static void relax(void)
{
	cpu_relax();
	hc_sched_op(XEN_SCHEDOP_YIELD, 0);      /* let the host run the APs' threads */
}

#define WAIT_UNTIL(cond) ({						\
	uint64_t end_ = rdtsc() + WAIT_TSC_CYCLES;			\
	bool ok_;							\
	while (!(ok_ = (cond)) && rdtsc() < end_)			\
		relax();						\
	ok_;								\
})

/* No heartbeat over a few hundred yields. */
static bool heartbeat_still(unsigned int id)
{
	unsigned long h = ap_heartbeat[id];

	for (int i = 0; i < 200; i++)
		relax();
	return ap_heartbeat[id] == h;
}

/* ---- checks ---- */

static void start_ap(unsigned int id, enum ap_mode mode, enum ap_action action)
{
	struct xen_vcpu_hvm_context ctx;

	ap_mode[id] = mode;
	ap_action[id] = mode_is_stub(mode) ? AP_DOWN : action;
	ap_context(&ctx, id, mode);
	/*
	 * Xen keeps a context's architectural RFLAGS bits and sets bit 1
	 * itself: vCPU 1 starts from a context with RFLAGS (EFLAGS) 0.
	 */
	if (id == 1) {
		if (ctx.mode == XEN_VCPU_HVM_MODE_64B)
			ctx.cpu_regs.x86_64.rflags = 0;
		else
			ctx.cpu_regs.x86_32.eflags = 0;
	}
	expect_eq(vcpu_op(XEN_VCPUOP_INITIALISE, id, &ctx), 0,
		  "initialise(%u) in %s mode", id, mode_name(mode));
	if (id == 1) {  /* a second state before up: Xen keeps the first */
		struct xen_vcpu_hvm_context other;

		ap_context(&other, id, other_mode(mode));
		expect_eq(vcpu_op(XEN_VCPUOP_INITIALISE, id, &other), -XEN_EEXIST,
			  "initialise(%u) again before up", id);
	}
	expect_eq(is_up(id), 0, "is_up(%u) after initialise, before up", id);
	expect_eq(vcpu_op(XEN_VCPUOP_UP, id, 0), 0, "up(%u)", id);
}

static enum ap_action first_action(unsigned int id)
{
	if (id % 2 == 0)
		return AP_DOWN;
	return id % 4 == 1 ? AP_SPIN : AP_BLOCK;
}

/* A 64B context in either image (the 32-bit one cannot run it: refused ones only). */
static void context_64b(struct xen_vcpu_hvm_context *ctx)
{
	memset(ctx, 0, sizeof(*ctx));
	ctx->mode = XEN_VCPU_HVM_MODE_64B;
	ctx->cpu_regs.x86_64.rip = 0x100000;
	ctx->cpu_regs.x86_64.rsp = 0x200000;
	ctx->cpu_regs.x86_64.rflags = 0x2;
	ctx->cpu_regs.x86_64.cr0 = 0x80000011;          /* PG ET PE */
	ctx->cpu_regs.x86_64.cr3 = 0x1000;
	ctx->cpu_regs.x86_64.cr4 = 0x20;                /* PAE */
	ctx->cpu_regs.x86_64.efer = 0x100;              /* LME */
}

struct bad_context {
	const char *what;
	void (*spoil)(struct xen_vcpu_hvm_context *ctx);
	bool mode_64b;
};

#define SPOIL64(fn, stmt) \
	static void fn(struct xen_vcpu_hvm_context *c) { struct xen_vcpu_hvm_x86_64 *r = &c->cpu_regs.x86_64; stmt; }
#define SPOIL32(fn, stmt) \
	static void fn(struct xen_vcpu_hvm_context *c) { struct xen_vcpu_hvm_x86_32 *r = &c->cpu_regs.x86_32; stmt; }

SPOIL64(no_pg, r->cr0 &= ~0x80000000ull)
SPOIL64(no_pae, r->cr4 &= ~0x20ull)
SPOIL64(no_lme, r->efer = 0)
SPOIL64(noncanonical_rip, r->rip = 0x0000800000000000ull)
SPOIL64(rflags_vm, r->rflags |= 1u << 17)
SPOIL64(cr4_reserved, r->cr4 |= 1u << 15)
SPOIL64(efer_reserved, r->efer |= 1u << 1)
SPOIL64(cr3_reserved, r->cr3 |= 1ull << 63)
SPOIL64(nw_without_cd, r->cr0 |= 1u << 29)
SPOIL64(cr0_reserved, r->cr0 |= 1u << 6)
SPOIL32(no_pe, r->cr0 &= ~1u)
SPOIL32(cs_data, r->cs_ar = XEN_HVM_AR_DATA32)
SPOIL32(cs_not_present, r->cs_ar &= ~0x80)
SPOIL32(cs_long, r->cs_ar |= 0x200)
SPOIL32(ss_read_only, r->ss_ar = XEN_HVM_AR_DATA32 & ~0x2)
SPOIL32(ss_dpl3, r->ss_ar |= 3 << 5)
SPOIL32(tr_not_busy, r->tr_ar = 0x089)
SPOIL32(tr_system_not, r->tr_ar = 0x09b)
SPOIL32(limit_vs_g, r->cs_limit = 0xfffff000)
SPOIL32(limit_no_g, r->ds_ar &= ~0x800)
SPOIL32(lma_in_32b, r->efer = 0x500)
SPOIL32(pcide_no_lm, r->cr4 = 1u << 17)
/* Refused by Xen's arch_set_info_hvm_guest() beyond what VM entry needs. */
SPOIL32(eip_beyond_cs, (r->cs_ar &= ~0x800, r->cs_limit = 0xfff))
SPOIL32(ds_dpl3, r->ds_ar |= 3 << 5)
SPOIL32(ds_not_present, r->ds_ar &= ~0x80)
SPOIL32(es_execute_only, r->es_ar = 0xc99)
static void unknown_mode(struct xen_vcpu_hvm_context *c) { c->mode = 2; }

static const struct bad_context bad_contexts[] = {
	{ "64B without CR0.PG", no_pg, true },
	{ "64B without CR4.PAE", no_pae, true },
	{ "64B without EFER.LME", no_lme, true },
	{ "64B with a non-canonical RIP", noncanonical_rip, true },
	{ "64B with RFLAGS.VM", rflags_vm, true },
	{ "64B with CR4 bit 15 (reserved)", cr4_reserved, true },
	{ "64B with EFER bit 1 (reserved)", efer_reserved, true },
	{ "64B with CR3 bit 63", cr3_reserved, true },
	{ "64B with CR0.NW without CR0.CD", nw_without_cd, true },
	{ "64B with CR0 bit 6 (reserved)", cr0_reserved, true },
	{ "64B with mode 2 (unknown)", unknown_mode, true },
	{ "32B without CR0.PE", no_pe, false },
	{ "32B with CS a data segment", cs_data, false },
	{ "32B with CS not present", cs_not_present, false },
	{ "32B with CS.L", cs_long, false },
	{ "32B with SS read-only", ss_read_only, false },
	{ "32B with SS.DPL 3, CS.DPL 0", ss_dpl3, false },
	{ "32B with TR an available TSS", tr_not_busy, false },
	{ "32B with TR a code segment", tr_system_not, false },
	{ "32B with CS.G and limit 0xfffff000", limit_vs_g, false },
	{ "32B with DS limit 4 GiB and no G", limit_no_g, false },
	{ "32B with EFER.LMA|LME", lma_in_32b, false },
	{ "32B with CR4.PCIDE", pcide_no_lm, false },
	{ "32B with EIP beyond CS's limit 0xfff", eip_beyond_cs, false },
	{ "32B with DS.DPL 3, CS.DPL 0", ds_dpl3, false },
	{ "32B with DS not present", ds_not_present, false },
	{ "32B with ES an execute-only code segment", es_execute_only, false },
};

/*
 * Contexts the validator refuses, and unreadable ones.  want: what the
 * readable ones get, -EINVAL, or -EEXIST when the vCPU has a state (Xen
 * looks at the vCPU before it validates); unreadable ones get -EFAULT.
 */
static void check_refused_contexts(unsigned int id, bool all, long want)
{
	struct xen_vcpu_hvm_context ctx;
	uint64_t ram_end = boot_ram_end();
	unsigned int n = all ? sizeof(bad_contexts) / sizeof(bad_contexts[0]) : 3;

	for (unsigned int i = 0; i < n; i++) {
		const struct bad_context *b = &bad_contexts[all ? i : i * 7];

		if (b->mode_64b)
			context_64b(&ctx);
		else
			smp_context_flat32(&ctx, 0x100000, 0x200000);
		b->spoil(&ctx);
		expect_eq(vcpu_op(XEN_VCPUOP_INITIALISE, id, &ctx), want,
			  "initialise(%u) %s", id, b->what);
	}
	expect_eq(vcpu_op(XEN_VCPUOP_INITIALISE, id, (void *)BEYOND_RAM), -XEN_EFAULT,
		  "initialise(%u, 0x%lx)", id, BEYOND_RAM);
	if (ram_end && ram_end < (1ull << 32))
		expect_eq(vcpu_op(XEN_VCPUOP_INITIALISE, id, (void *)(uintptr_t)(ram_end - 64)),
			  -XEN_EFAULT, "initialise(%u) with a context running off the end of RAM", id);
#ifdef __x86_64__
	expect_eq(vcpu_op(XEN_VCPUOP_INITIALISE, id, (void *)0x8000000000000000ul),
		  -XEN_EFAULT, "initialise(%u) with a non-canonical pointer", id);
#endif
}

static void check_before_start(void)
{
	struct xen_vcpu_hvm_context ctx;

	expect_eq(is_up(0), 1, "is_up(0)");
	for (unsigned int k = 1; k < nr_vcpus; k++) {
		expect_eq(is_up(k), 0, "is_up(%u) before start", k);
		expect_eq(vcpu_op(XEN_VCPUOP_UP, k, 0), -XEN_EINVAL,
			  "up(%u) of a vCPU never given a state", k);
		expect_eq(vcpu_op(XEN_VCPUOP_DOWN, k, 0), 0, "down(%u) of a vCPU that never ran", k);
		expect_eq(is_up(k), 0, "is_up(%u) after up and down refused/no-op", k);
	}
	expect_eq(is_up(nr_vcpus), -XEN_ENOENT, "is_up(%u)", nr_vcpus);
	expect_eq(is_up(SMP_MAX_VCPUS), -XEN_ENOENT, "is_up(%u)", SMP_MAX_VCPUS);
	expect_eq(is_up(0xffffffffu), -XEN_ENOENT, "is_up(0xffffffff)");

	smp_context_flat32(&ctx, 0x100000, 0x200000);
	expect_eq(vcpu_op(XEN_VCPUOP_INITIALISE, 0, &ctx), -XEN_EEXIST, "initialise(0) (itself)");
	expect_eq(vcpu_op(XEN_VCPUOP_INITIALISE, 0, (void *)BEYOND_RAM), -XEN_EFAULT,
		  "initialise(0, bad pointer) (running, but -EFAULT first, as Xen)");
	expect_eq(vcpu_op(XEN_VCPUOP_INITIALISE, nr_vcpus, &ctx), -XEN_ENOENT,
		  "initialise(%u)", nr_vcpus);
	expect_eq(vcpu_op(XEN_VCPUOP_INITIALISE, nr_vcpus, (void *)BEYOND_RAM), -XEN_ENOENT,
		  "initialise(%u, bad pointer) (no vCPU: -ENOENT first)", nr_vcpus);
	expect_eq(vcpu_op(XEN_VCPUOP_INITIALISE, SMP_MAX_VCPUS, &ctx), -XEN_ENOENT,
		  "initialise(%u)", SMP_MAX_VCPUS);
	expect_eq(vcpu_op(XEN_VCPUOP_INITIALISE, 0xffffffffu, &ctx), -XEN_ENOENT,
		  "initialise(0xffffffff)");
	expect_eq(vcpu_op(XEN_VCPUOP_UP, 0, 0), 0, "up(0) (itself, already up)");
	expect_eq(vcpu_op(XEN_VCPUOP_UP, nr_vcpus, 0), -XEN_ENOENT, "up(%u)", nr_vcpus);
	expect_eq(vcpu_op(XEN_VCPUOP_UP, SMP_MAX_VCPUS, 0), -XEN_ENOENT, "up(%u)", SMP_MAX_VCPUS);
	expect_eq(vcpu_op(XEN_VCPUOP_DOWN, nr_vcpus, 0), -XEN_ENOENT, "down(%u)", nr_vcpus);
	expect_eq(vcpu_op(XEN_VCPUOP_DOWN, SMP_MAX_VCPUS, 0), -XEN_ENOENT, "down(%u)", SMP_MAX_VCPUS);
	expect_eq(vcpu_op(XEN_VCPUOP_GET_PHYSID, 0, 0), -XEN_ENOSYS, "get_physid(0)");
	expect_eq(vcpu_op(99, 0, 0), -XEN_ENOSYS, "vcpu_op 99");
	expect_eq(vcpu_op(16, 0, 0), -XEN_ENOSYS, "vcpu_op 16 (none)");
	expect_eq(is_up(0), 1, "is_up(0) after the refused calls");

	if (nr_vcpus < 2)
		return;
	check_refused_contexts(1, true, -XEN_EINVAL);
	expect_eq(vcpu_op(XEN_VCPUOP_UP, 1, 0), -XEN_EINVAL,
		  "up(1) after only refused initialise calls");
	expect_eq(is_up(1), 0, "is_up(1) after refused initialise calls");
	printf(NAME ": before start: is_up, up/down/initialise errors and %u refused "
	       "contexts ok\n", (unsigned int)(sizeof(bad_contexts) / sizeof(bad_contexts[0])));
}

static void start_all(void)
{
	unsigned int want = nr_vcpus - 1;

	for (unsigned int k = 1; k < nr_vcpus; k++)
		start_ap(k, first_mode(k), first_action(k));
	expect_true(WAIT_UNTIL(arrivals >= want), "only %u of %u APs ran their entry",
		    arrivals, want);
	for (unsigned int k = 1; k < nr_vcpus; k++) {
		switch (ap_action[k]) {
		case AP_DOWN:
			expect_true(WAIT_UNTIL(is_up(k) == 0),
				    "AP %u did not go down by VCPUOP_down(self)", k);
			break;
		case AP_SPIN:
			expect_true(WAIT_UNTIL(ap_heartbeat[k] > 0), "AP %u does not spin", k);
			break;
		case AP_BLOCK:
			expect_true(WAIT_UNTIL(ap_blocking[k]), "AP %u did not block", k);
			break;
		}
	}
	for (unsigned int k = 1; k < nr_vcpus; k++) {
		expect_eq(ap_runs[k], 1, "AP %u's entry count", k);
		expect_eq(is_up(k), ap_action[k] != AP_DOWN, "is_up(%u) (AP %s)", k,
			  ap_action[k] == AP_DOWN ? "downed itself" : "running");
		if (mode_is_stub(ap_mode[k]))
			continue;
		expect_eq(ap_seen_self_up[k], 1, "is_up(%u) from AP %u itself", k, k);
		expect_eq(ap_seen_bsp_init[k], -XEN_EEXIST, "initialise(0, NULL) from AP %u", k);
	}
	printf(NAME ": %u APs ran their entry; is_up right for downed and running ones\n", want);
}

static void check_running(void)
{
	struct xen_vcpu_hvm_context ctx;

	for (unsigned int k = 1; k < nr_vcpus; k++) {
		if (ap_action[k] == AP_DOWN)
			continue;
		ap_context(&ctx, k, ap_mode[k]);
		expect_eq(vcpu_op(XEN_VCPUOP_INITIALISE, k, &ctx), -XEN_EEXIST,
			  "initialise(%u) of a running AP", k);
		expect_eq(vcpu_op(XEN_VCPUOP_INITIALISE, k, (void *)BEYOND_RAM), -XEN_EFAULT,
			  "initialise(%u, bad pointer) of a running AP", k);
		expect_eq(vcpu_op(XEN_VCPUOP_UP, k, 0), 0, "up(%u) of a running AP", k);
		expect_eq(is_up(k), 1, "is_up(%u) of a running AP", k);
	}
}

/* Up without a new state: the vCPU goes on from where it stopped. */
static void check_resume(void)
{
	for (unsigned int k = 1; k < nr_vcpus; k++) {
		unsigned long h;

		switch (ap_action[k]) {
		case AP_DOWN:
			expect_eq(vcpu_op(XEN_VCPUOP_UP, k, 0), 0, "up(%u), no new state", k);
			expect_true(WAIT_UNTIL(ap_resumed[k] == 1 && is_up(k) == 0),
				    "AP %u brought up again without a new state did not go on "
				    "after its VCPUOP_down (resumed %u, is_up %ld)", k,
				    ap_resumed[k], is_up(k));
			expect_eq(ap_down_rc[k], 0, "VCPUOP_down(%u) by AP %u itself", k, k);
			expect_eq(ap_runs[k], 1, "AP %u's entry count after a resume", k);
			break;
		case AP_SPIN:
			expect_eq(vcpu_op(XEN_VCPUOP_DOWN, k, 0), 0, "down(%u) of a spinning AP", k);
			expect_eq(is_up(k), 0, "is_up(%u) after down", k);
			expect_true(WAIT_UNTIL(heartbeat_still(k)),
				    "AP %u still runs after down(%u)", k, k);
			h = ap_heartbeat[k];
			expect_eq(vcpu_op(XEN_VCPUOP_UP, k, 0), 0, "up(%u), no new state", k);
			expect_true(WAIT_UNTIL(ap_heartbeat[k] > h),
				    "AP %u brought up again without a new state does not run", k);
			expect_eq(ap_runs[k], 1, "AP %u's entry count after a resume", k);
			expect_eq(vcpu_op(XEN_VCPUOP_DOWN, k, 0), 0, "down(%u) again", k);
			expect_true(WAIT_UNTIL(heartbeat_still(k)),
				    "AP %u still runs after down(%u)", k, k);
			break;
		case AP_BLOCK:
			break;
		}
	}
	printf(NAME ": up without a new state resumes self-downed and downed APs\n");
}

/* Refused states must not replace the one a downed AP has. */
static void check_refused_keep_state(void)
{
	for (unsigned int k = 1; k < nr_vcpus; k++) {
		unsigned int r = ap_resumed[k];

		if (ap_action[k] != AP_DOWN)
			continue;
		check_refused_contexts(k, false, -XEN_EEXIST);
		expect_eq(vcpu_op(XEN_VCPUOP_UP, k, 0), 0, "up(%u) after refused states", k);
		expect_true(WAIT_UNTIL(ap_resumed[k] == r + 1 && is_up(k) == 0),
			    "AP %u did not resume its own state after refused initialise "
			    "calls (resumed %u, was %u)", k, ap_resumed[k], r);
		expect_eq(ap_runs[k], 1, "AP %u's entry count", k);
		printf(NAME ": refused states left AP %u's state alone\n", k);
		return;
	}
}

/*
 * INIT: the AP's state is gone (Xen's vcpu_reset()), so up has nothing to
 * resume and initialise is allowed again.  hvk takes INIT as the sender's
 * ICR write exits: done when lapic_send_ipi() returns.
 */
static void init_ap(unsigned int id)
{
	expect_true(lapic_send_ipi(ICR_INIT_LEVEL_ASSERT, id), "INIT to AP %u stays pending", id);
	expect_eq(is_up(id), 0, "is_up(%u) after INIT", id);
	expect_eq(vcpu_op(XEN_VCPUOP_UP, id, 0), -XEN_EINVAL, "up(%u) after INIT (no state)", id);
}

/* Every down AP (all but the blocked ones) gets a new state in the other mode. */
static void check_restart(void)
{
	unsigned int want = arrivals, n = 0;

	for (unsigned int k = 1; k < nr_vcpus; k++) {
		struct xen_vcpu_hvm_context ctx;

		if (ap_action[k] == AP_BLOCK)
			continue;
		expect_eq(is_up(k), 0, "is_up(%u) before a restart", k);
		ap_context(&ctx, k, other_mode(ap_mode[k]));
		expect_eq(vcpu_op(XEN_VCPUOP_INITIALISE, k, &ctx), -XEN_EEXIST,
			  "initialise(%u) of a down AP that ran, before INIT", k);
		init_ap(k);
		start_ap(k, other_mode(ap_mode[k]), AP_SPIN);
		want++;
		n++;
	}
	expect_true(WAIT_UNTIL(arrivals >= want), "restarted APs: %u of %u entries ran",
		    arrivals - (want - n), n);
	for (unsigned int k = 1; k < nr_vcpus; k++) {
		if (ap_action[k] == AP_BLOCK)
			continue;
		expect_eq(ap_runs[k], 2, "AP %u's entry count after a restart", k);
		if (ap_action[k] == AP_DOWN)
			expect_true(WAIT_UNTIL(is_up(k) == 0), "restarted AP %u did not go down", k);
		else
			expect_eq(is_up(k), 1, "is_up(%u) after a restart", k);
	}
	printf(NAME ": %u downed APs sent INIT and initialised again ran their new entry\n", n);
}

/*
 * A vCPU halted in SCHEDOP_block (or HLT), downed, sent INIT, initialised
 * and brought up runs its new entry: the halt does not outlive INIT
 * (hvk once waited in vcpu_wait_unhalted() for ever here).
 */
static void check_blocked_restart(void)
{
	for (unsigned int k = 1; k < nr_vcpus; k++) {
		if (ap_action[k] != AP_BLOCK)
			continue;
		expect_eq(is_up(k), 1, "is_up(%u) of a blocked AP", k);
		expect_eq(vcpu_op(XEN_VCPUOP_DOWN, k, 0), 0, "down(%u) of a blocked AP", k);
		expect_eq(is_up(k), 0, "is_up(%u) after down", k);
		init_ap(k);
		start_ap(k, other_mode(ap_mode[k]), AP_SPIN);
		expect_true(WAIT_UNTIL(ap_runs[k] == 2),
			    "AP %u, blocked in SCHEDOP_block, then down(%u), INIT, initialise(%u) "
			    "and up(%u), never ran its new entry (entry count %u, expected 2; "
			    "is_up %ld)", k, k, k, k, ap_runs[k], is_up(k));
		printf(NAME ": blocked AP %u downed, sent INIT and initialised again ran its new "
		       "entry\n", k);
	}
}

static __attribute__((noreturn)) void power_off_by_last_down(void)
{
	for (unsigned int k = 1; k < nr_vcpus; k++) {
		expect_eq(vcpu_op(XEN_VCPUOP_DOWN, k, 0), 0, "down(%u) at the end", k);
		expect_eq(is_up(k), 0, "is_up(%u) at the end", k);
	}
	printf(NAME ": all checks passed (%lu); down(0), the last vCPU: the VM powers off\n",
	       checks_passed);
	vcpu_op(XEN_VCPUOP_DOWN, 0, 0);
	guest_fail(NAME ": down(0), the last vCPU up, returned and vCPU 0 runs on");
}

int guest_main(void)
{
	uint64_t want;

	check_name = NAME;
	if (!platform_has_hypercalls())
		guest_fail(NAME ": no hypervisor found (CPUID 0x40000000 shows neither "
			   "hvk nor Xen), so no vCPUs to start");
	nr_vcpus = smp_count_vcpus();
	printf(NAME ": %u vCPUs\n", nr_vcpus);
	want = cmdline_number("cpus", nr_vcpus);
	expect_eq(nr_vcpus, want, "the vCPU count (is_up until -ENOENT), against cpus=");
	check_before_start();
	lapic_map_mmio();
	lapic_reset_for_test();         /* INIT IPIs from an enabled APIC */
	if (nr_vcpus > 1) {
		start_all();
		check_running();
		check_resume();
		check_refused_keep_state();
		check_restart();
		check_running();
		check_blocked_restart();
	}
	power_off_by_last_down();
}
