/* SPDX-License-Identifier: MIT */
/*
 * pkru: protection keys (issue 15.8).  Each of two vCPUs sets CR4.PKE and
 * a PKRU of its own that forbids every access through protection key 0
 * (vCPU 0: AD|WD for key 0 only; vCPU 1: AD for all sixteen keys), then
 * makes hypercalls that make hvk read and write the guest's memory.  hvk
 * reaches guest RAM through the VMM's mapping of it, user pages of key 0,
 * so those calls only succeed if the host's own PKRU is back in the CPU
 * from the exit on: with the guest's left in place, the kernel's user
 * copies fault and the calls return -EFAULT (and the VMM itself would
 * fault on its next access to its memory).  The guest's pages are
 * supervisor pages, where PKRU does not apply, so the guest itself runs on.
 *
 * Checked on each vCPU, ROUNDS times, around null hypercalls, yields and
 * console writes (exits handled in the kernel, the host switching between
 * the two vCPU threads, exits to the VMM): RDPKRU still reads the vCPU's
 * own value, console_io(write) of a line returns 0, xen_version fills
 * the 16-byte extraversion exactly as it did before PKRU was set.  And
 * CPUID.7.0:ECX.OSPKE follows the vCPU's own CR4.PKE (0 before, 1 after),
 * as on hardware.  Run with --cpus 2 on a CPU with PKU (tests/nested/tests/
 * 57-pkru.sh); prints "pkru: all checks passed".
 */
#include <abi/hvk_hypercall.h>
#include <abi/xen/hypercall.h>
#include <abi/xen/sched.h>
#include <abi/xen/vcpu.h>
#include <abi/xen/version.h>

#include "guest.h"

#define ROUNDS          200
#define PRINT_EVERY     50
#define AP_STACK_SIZE   8192
/* Only a failing run waits this long: about 10 s at 3 GHz. */
#define WAIT_TSC_CYCLES 30000000000ull

#define HVK_NULL        HVK_HC_NR(HVK_FAMILY_BASE, HVK_BASE_NULL, 0)

#define CPUID7_ECX_PKU   (1u << 3)
#define CPUID7_ECX_OSPKE (1u << 4)
#define CR4_PKE          (1ul << 22)

/* vCPU 0: access and write disabled for key 0; vCPU 1: access disabled for all 16. */
static const uint32_t pkru_of[2] = { 0x00000003, 0x55555555 };

static uint8_t ap_stack[AP_STACK_SIZE] __attribute__((aligned(16)));
static char extraversion[XEN_EXTRAVERSION_LEN];    /* read before any PKRU */
static volatile int done[2];

static uint32_t rdpkru(void)
{
	uint32_t pkru, edx;

	asm volatile("rdpkru" : "=a"(pkru), "=d"(edx) : "c"(0));
	return pkru;
}

static void wrpkru(uint32_t pkru)
{
	asm volatile("wrpkru" : : "a"(pkru), "c"(0), "d"(0) : "memory");
}

static bool cpuid_ospke(void)
{
	return cpuid_count(7, 0).ecx & CPUID7_ECX_OSPKE;
}

static void pke_enable(unsigned int id)
{
	unsigned long cr4;

	expect_true(!cpuid_ospke(), "vCPU %u: CPUID.7.0:ECX.OSPKE is 1 before CR4.PKE", id);
	asm volatile("mov %%cr4, %0" : "=r"(cr4));
	asm volatile("mov %0, %%cr4" : : "r"(cr4 | CR4_PKE));
	expect_true(cpuid_ospke(), "vCPU %u: CPUID.7.0:ECX.OSPKE is 0 after CR4.PKE", id);
	wrpkru(pkru_of[id]);
}

static void pkru_check(unsigned int id, unsigned int round, const char *after)
{
	uint32_t got = rdpkru();

	if (got != pkru_of[id])
		guest_fail("pkru: vCPU %u, round %u, after %s: PKRU is 0x%x, was 0x%x",
			   id, round, after, got, pkru_of[id]);
}

/* hvk reads this vCPU's memory (the line) and writes it (extraversion). */
static void guest_memory_calls(unsigned int id, unsigned int round)
{
	char line[64], got[XEN_EXTRAVERSION_LEN];
	int len = snprintf(line, sizeof(line), "pkru: vCPU %u, round %u, PKRU 0x%x\n",
			   id, round, pkru_of[id]);
	long rc;

	rc = hc_console_io(XEN_CONSOLEIO_WRITE, len, line);
	if (rc)
		guest_fail("pkru: vCPU %u, round %u: console_io(write) of %d bytes under "
			   "PKRU 0x%x returned %ld, expected 0", id, round, len, pkru_of[id], rc);
	pkru_check(id, round, "console_io(write)");
	memset(got, 0x5a, sizeof(got));
	rc = hc_xen_version(XEN_XENVER_EXTRAVERSION, got);
	if (rc)
		guest_fail("pkru: vCPU %u, round %u: xen_version(extraversion) under "
			   "PKRU 0x%x returned %ld, expected 0", id, round, pkru_of[id], rc);
	if (memcmp(got, extraversion, sizeof(got)))
		guest_fail("pkru: vCPU %u, round %u: xen_version(extraversion) under "
			   "PKRU 0x%x wrote \"%.16s\", before it \"%.16s\"", id, round,
			   pkru_of[id], got, extraversion);
	pkru_check(id, round, "xen_version");
}

static void pkru_worker(unsigned int id)
{
	pke_enable(id);
	pkru_check(id, 0, "WRPKRU");
	for (unsigned int round = 0; round < ROUNDS; round++) {
		long rc = hypercall0(HVK_NULL);

		if (rc)
			guest_fail("pkru: vCPU %u: null hypercall returned %ld", id, rc);
		pkru_check(id, round, "a null hypercall");
		hypercall2(XEN_HC_SCHED_OP, XEN_SCHEDOP_YIELD, 0);
		pkru_check(id, round, "a yield");
		if (round % PRINT_EVERY == 0)
			guest_memory_calls(id, round);
	}
	guest_memory_calls(id, ROUNDS);
	done[id] = 1;
}

static void ap_main(unsigned int id, unsigned long arg)
{
	(void)arg;
	pkru_worker(id);
	for (;;)
		hc_vcpu_op(XEN_VCPUOP_DOWN, id, 0);
}

int guest_main(void)
{
	struct xen_vcpu_hvm_context ctx;
	uint64_t start;

	check_name = "pkru";
	if (!(cpuid_count(7, 0).ecx & CPUID7_ECX_PKU))
		guest_fail("pkru: CPUID.7.0:ECX.PKU is 0: no protection keys to test "
			   "(the host CPU has none, or hvk hides them)");
	expect_eq(smp_count_vcpus(), 2, "vCPUs (run with --cpus 2)");
	expect_eq(hc_xen_version(XEN_XENVER_EXTRAVERSION, extraversion), 0,
		  "xen_version(extraversion) before PKRU");
	smp_ap_context(&ctx, 1, ap_main, 0, ap_stack + sizeof(ap_stack));
	expect_eq(hc_vcpu_op(XEN_VCPUOP_INITIALISE, 1, &ctx), 0, "initialise(1)");
	expect_eq(hc_vcpu_op(XEN_VCPUOP_UP, 1, 0), 0, "up(1)");
	pkru_worker(0);
	start = rdtsc();
	while (!done[1]) {
		if (rdtsc() - start > WAIT_TSC_CYCLES)
			guest_fail("pkru: vCPU 1 did not finish");
		hypercall2(XEN_HC_SCHED_OP, XEN_SCHEDOP_YIELD, 0);
		pkru_check(0, ROUNDS, "a yield");
	}
	printf("pkru: %u rounds on each of 2 vCPUs under PKRU 0x%x and 0x%x: "
	       "hvk read and wrote their memory\n", ROUNDS, pkru_of[0], pkru_of[1]);
	printf("pkru: all checks passed\n");
	return 0;
}
