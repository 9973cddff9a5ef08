/* SPDX-License-Identifier: MIT */
/*
 * fpu64 / fpu32: each vCPU's SSE and x87 state survives whatever
 * happens between its instructions: exits handled in the kernel (null
 * hypercalls), exits to the VMM (console lines), yields, and the host
 * running the other vCPU's thread in between (the nested suite's L1 has one
 * CPU and both vCPUs stay busy, so the host switches between them while
 * each has its state loaded).  Run with --cpus 2.
 *
 * Each vCPU enables SSE (CR0.EM/TS clear, CR4.OSFXSR), loads XMM0-7
 * (XMM0-15 in 64-bit mode) with patterns of its own, sets MXCSR's rounding
 * control and the x87 control word to values of its own and pushes two
 * values of its own on the x87 stack.  Then ROUNDS times: HYPERCALLS null
 * hypercalls, a yield, and on vCPU 0 every PRINT_EVERY rounds a console
 * line, comparing every register with what it loaded after each step;
 * vCPU 0 then goes on yielding and checking until vCPU 1 is done, so the
 * two stay busy together for many of the host's time slices.  A
 * change fails with the register, the vCPU, the round and both values.
 * Prints "<name>: all checks passed" once both vCPUs are done.
 */
#include <abi/hvk_hypercall.h>
#include <abi/xen/hypercall.h>
#include <abi/xen/sched.h>
#include <abi/xen/vcpu.h>

#include "guest.h"

#ifdef __x86_64__
#define NAME            "fpu64"
#define NR_XMM          16
#else
#define NAME            "fpu32"
#define NR_XMM          8
#endif

#define ROUNDS          3000
#define HYPERCALLS      8
#define PRINT_EVERY     500
#define AP_STACK_SIZE   8192
/* Only a failing run waits this long: about 10 s at 3 GHz. */
#define WAIT_TSC_CYCLES 30000000000ull

#define HVK_NULL        HVK_HC_NR(HVK_FAMILY_BASE, HVK_BASE_NULL, 0)

#define CR0_MP          (1ul << 1)
#define CR0_EM          (1ul << 2)
#define CR0_TS          (1ul << 3)
#define CR0_NE          (1ul << 5)
#define CR4_OSFXSR      (1ul << 9)
#define CR4_OSXMMEXCPT  (1ul << 10)

struct xmm {
	uint64_t lo, hi;
};

/* Everything checked: the registers as stored by the CPU. */
struct fpu_regs {
	struct xmm xmm[NR_XMM];
	uint32_t mxcsr;
	uint16_t fcw;
	uint64_t st0, st1;      /* as doubles, bit for bit */
};

static uint8_t ap_stack[AP_STACK_SIZE] __attribute__((aligned(16)));
static volatile int done[2];
static struct fpu_regs want0;   /* vCPU 0's, for its wait */

static void sse_enable(void)
{
	unsigned long cr0, cr4;

	asm volatile("mov %%cr0, %0" : "=r"(cr0));
	asm volatile("mov %0, %%cr0" : : "r"((cr0 & ~(CR0_EM | CR0_TS)) | CR0_MP | CR0_NE));
	asm volatile("mov %%cr4, %0" : "=r"(cr4));
	asm volatile("mov %0, %%cr4" : : "r"(cr4 | CR4_OSFXSR | CR4_OSXMMEXCPT));
}

static struct xmm xmm_pattern(unsigned int id, unsigned int n)
{
	uint64_t v = 0x0101010101010101ull * (0x10 * (id + 1) + n);

	return (struct xmm){ v, ~v ^ ((uint64_t)id << 56) };
}

#ifdef __x86_64__
#define FOR_EACH_XMM(X) X(0) X(1) X(2) X(3) X(4) X(5) X(6) X(7) \
			X(8) X(9) X(10) X(11) X(12) X(13) X(14) X(15)
#else
#define FOR_EACH_XMM(X) X(0) X(1) X(2) X(3) X(4) X(5) X(6) X(7)
#endif
#define LOAD_XMM(n) asm volatile("movdqu %0, %%xmm" #n : : "m"(x[n]));
#define SAVE_XMM(n) asm volatile("movdqu %%xmm" #n ", %0" : "=m"(r->xmm[n]));

/* The compiler never touches these registers (-mgeneral-regs-only). */
static void fpu_load(unsigned int id)
{
	/* Rounding control: 01 on vCPU 0, 10 on vCPU 1; all exceptions masked. */
	uint32_t mxcsr = 0x1f80 | (id ? 2u : 1u) << 13;
	uint16_t fcw = 0x037f | (id ? 2u : 1u) << 10;
	struct xmm x[NR_XMM];

	for (unsigned int n = 0; n < NR_XMM; n++)
		x[n] = xmm_pattern(id, n);
	FOR_EACH_XMM(LOAD_XMM)
	asm volatile("ldmxcsr %0" : : "m"(mxcsr));
	asm volatile("fninit; fldcw %0" : : "m"(fcw));
	if (id)
		asm volatile("fldl2e; fldln2");
	else
		asm volatile("fld1; fldpi");
}

static void fpu_save(struct fpu_regs *r)
{
	FOR_EACH_XMM(SAVE_XMM)
	asm volatile("stmxcsr %0" : "=m"(r->mxcsr));
	asm volatile("fnstcw %0" : "=m"(r->fcw));
	/* FST leaves the stack as it is; FLD ST(1) + FSTP reads ST(1). */
	asm volatile("fstl %0" : "=m"(r->st0));
	asm volatile("fld %%st(1); fstpl %0" : "=m"(r->st1));
}

static void fpu_check(unsigned int id, unsigned int round, const char *after,
		      const struct fpu_regs *want)
{
	struct fpu_regs got;

	fpu_save(&got);
	for (unsigned int n = 0; n < NR_XMM; n++)
		if (got.xmm[n].lo != want->xmm[n].lo || got.xmm[n].hi != want->xmm[n].hi)
			guest_fail(NAME ": vCPU %u, round %u, after %s: XMM%u is "
				   "%016llx%016llx, was %016llx%016llx", id, round, after, n,
				   (unsigned long long)got.xmm[n].hi,
				   (unsigned long long)got.xmm[n].lo,
				   (unsigned long long)want->xmm[n].hi,
				   (unsigned long long)want->xmm[n].lo);
	if (got.mxcsr != want->mxcsr)
		guest_fail(NAME ": vCPU %u, round %u, after %s: MXCSR is 0x%x, was 0x%x",
			   id, round, after, got.mxcsr, want->mxcsr);
	if (got.fcw != want->fcw)
		guest_fail(NAME ": vCPU %u, round %u, after %s: FCW is 0x%x, was 0x%x",
			   id, round, after, got.fcw, want->fcw);
	if (got.st0 != want->st0 || got.st1 != want->st1)
		guest_fail(NAME ": vCPU %u, round %u, after %s: ST0/ST1 are "
			   "%016llx/%016llx, were %016llx/%016llx", id, round, after,
			   (unsigned long long)got.st0, (unsigned long long)got.st1,
			   (unsigned long long)want->st0, (unsigned long long)want->st1);
}

static void fpu_worker(unsigned int id, struct fpu_regs *wantp)
{
	struct fpu_regs want;

	sse_enable();
	fpu_load(id);
	fpu_save(&want);
	for (unsigned int n = 0; n < NR_XMM; n++) {
		struct xmm p = xmm_pattern(id, n);

		if (want.xmm[n].lo != p.lo || want.xmm[n].hi != p.hi)
			guest_fail(NAME ": vCPU %u: XMM%u did not load", id, n);
	}
	for (unsigned int round = 0; round < ROUNDS; round++) {
		for (unsigned int i = 0; i < HYPERCALLS; i++) {
			long rc = hypercall0(HVK_NULL);

			if (rc)
				guest_fail(NAME ": vCPU %u: null hypercall returned %ld", id, rc);
			fpu_check(id, round, "a null hypercall", &want);
		}
		hypercall2(XEN_HC_SCHED_OP, XEN_SCHEDOP_YIELD, 0);
		fpu_check(id, round, "a yield", &want);
		if (id == 0 && round % PRINT_EVERY == 0) {
			printf(NAME ": vCPU 0 at round %u\n", round);
			fpu_check(id, round, "a console line", &want);
		}
	}
	*wantp = want;
	done[id] = 1;
}

static void ap_main(unsigned int id, unsigned long arg)
{
	struct fpu_regs want;

	(void)arg;
	fpu_worker(id, &want);
	for (;;)
		hc_vcpu_op(XEN_VCPUOP_DOWN, id, 0);
}

int guest_main(void)
{
	struct xen_vcpu_hvm_context ctx;
	uint64_t start;

	expect_eq(smp_count_vcpus(), 2, "vCPUs (run with --cpus 2)");
	smp_ap_context(&ctx, 1, ap_main, 0, ap_stack + sizeof(ap_stack));
	expect_eq(hc_vcpu_op(XEN_VCPUOP_INITIALISE, 1, &ctx), 0, "initialise(1)");
	expect_eq(hc_vcpu_op(XEN_VCPUOP_UP, 1, 0), 0, "up(1)");
	fpu_worker(0, &want0);
	/* Waiting, it keeps exiting and checking: the host still switches. */
	start = rdtsc();
	for (unsigned int round = ROUNDS; !done[1]; round++) {
		if (rdtsc() - start > WAIT_TSC_CYCLES)
			guest_fail(NAME ": vCPU 1 did not finish");
		hypercall2(XEN_HC_SCHED_OP, XEN_SCHEDOP_YIELD, 0);
		fpu_check(0, round, "a yield", &want0);
	}
	printf(NAME ": %u rounds on each of 2 vCPUs, %u XMM registers, MXCSR, "
	       "FCW, ST0-ST1 kept\n", ROUNDS, NR_XMM);
	printf(NAME ": all checks passed\n");
	return 0;
}
