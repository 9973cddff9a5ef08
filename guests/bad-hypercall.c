/* SPDX-License-Identifier: MIT */
/*
 * bad-hypercall (64-bit) / bad-hypercall32: the hypervisor must answer bad
 * hypercalls with Xen's errors and keep the guest running:
 *   - unknown numbers                           -> -ENOSYS
 *   - pointers to nothing (beyond RAM; 64-bit: not mapped by the guest's
 *     page tables, non-canonical, or running into an unmapped page)
 *                                               -> -EFAULT
 *   - an unknown sched_op command               -> -ENOSYS
 *   - xen_version(XENVER_version)               -> > 0
 * and take both VMCALL and VMMCALL whatever the vendor.  The 64-bit guest
 * also checks that pointers are guest-virtual: a page it unmapped over
 * RAM faults, and a console write through an alias of its image works.
 * Any mismatch fails the guest with the call, expected and got values.
 */
#include <abi/xen/errno.h>
#include <abi/xen/hypercall.h>
#include <abi/xen/sched.h>
#include <abi/xen/version.h>

#include "guest.h"

#ifdef __x86_64__
#include "x86_64/paging.h"
#define NAME "bad-hypercall"
#else
#define NAME "bad-hypercall32"
#endif

/* Below 4 GiB, above the RAM of any test VM. */
#define BEYOND_RAM          0xdead0000ul

static const enum hypercall_insn both_insns[] = { HYPERCALL_VMCALL, HYPERCALL_VMMCALL };

static void expect(const char *call, long got, long want)
{
	if (got != want)
		guest_fail(NAME ": %s returned %ld, expected %ld", call, got, want);
}

static void expect_ok(const char *call, long got)
{
	if (got < 0)
		guest_fail(NAME ": %s returned %ld, expected >= 0", call, got);
}

static long console_with(enum hypercall_insn insn, unsigned long buf, unsigned long len)
{
	return hypercall_with(insn, XEN_HC_CONSOLE_IO, XEN_CONSOLEIO_WRITE, len, buf, 0, 0);
}

static void check_unknown_numbers(void)
{
	static const unsigned long unknown[] = {
		0, 7, 1000, 0xffffffff,
#ifdef __x86_64__
		~0ul,                   /* -1: not a table index */
		0x100000000ul | XEN_HC_XEN_VERSION,     /* all 64 bits count */
#endif
	};

	for (unsigned int i = 0; i < sizeof(unknown) / sizeof(unknown[0]); i++)
		for (unsigned int j = 0; j < 2; j++) {
			char call[64];

			snprintf(call, sizeof(call), "hypercall 0x%lx by %s", unknown[i],
				 hypercall_insn_name(both_insns[j]));
			expect(call, hypercall_with(both_insns[j], unknown[i], 0, 0, 0, 0, 0),
			       -XEN_ENOSYS);
		}
}

static void check_version(void)
{
	long v[2];

	for (unsigned int j = 0; j < 2; j++) {
		v[j] = hypercall_with(both_insns[j], XEN_HC_XEN_VERSION,
				      XEN_XENVER_VERSION, 0, 0, 0, 0);
		if (v[j] <= 0)
			guest_fail(NAME ": xen_version(XENVER_version) by %s returned %ld, "
				   "expected > 0", hypercall_insn_name(both_insns[j]), v[j]);
	}
	expect("xen_version(XENVER_version) by vmmcall, against vmcall", v[1], v[0]);
	printf(NAME ": xen_version %ld.%ld by vmcall and vmmcall\n", v[0] >> 16, v[0] & 0xffff);
}

static void check_bad_pointers(void)
{
	for (unsigned int j = 0; j < 2; j++)
		expect(both_insns[j] == HYPERCALL_VMCALL
		       ? "console_io(write, 16, 0xdead0000) by vmcall"
		       : "console_io(write, 16, 0xdead0000) by vmmcall",
		       console_with(both_insns[j], BEYOND_RAM, 16), -XEN_EFAULT);
	expect("sched_op(SCHEDOP_shutdown, 0xdead0000)",
	       hc_sched_op(XEN_SCHEDOP_SHUTDOWN, (void *)BEYOND_RAM), -XEN_EFAULT);
}

static void check_sched_op(void)
{
	expect("sched_op(99, NULL)", hc_sched_op(99, 0), -XEN_ENOSYS);
}

/* The hypervisor must copy page by page: guest pages need not be host-contiguous. */
static void check_page_crossing(void)
{
	static char two_pages[2 * 4096] __attribute__((aligned(4096)));
	static const char msg[] = NAME ": console write across a page boundary\n";
	char *p = two_pages + 4096 - 16;

	memcpy(p, msg, sizeof(msg) - 1);
	expect_ok("console_io(write) across a page boundary",
		  console_with(hypercall_insn, (unsigned long)p, sizeof(msg) - 1));
}

#ifdef __x86_64__
#define HOLE_VA             0x400000ul      /* RAM, unmapped below */
#define ALIAS_VA            0x600000ul      /* maps physical 0: our image */

static void check_guest_virtual(void)
{
	static const char msg[] = NAME ": console write through an alias mapping\n";

	paging_unmap_large(HOLE_VA);
	expect("console_io(write) to a page unmapped over RAM",
	       console_with(hypercall_insn, HOLE_VA, 16), -XEN_EFAULT);
	expect("console_io(write) running into an unmapped page",
	       console_with(hypercall_insn, HOLE_VA - 8, 16), -XEN_EFAULT);
	expect("console_io(write) above the page tables' 4 GiB",
	       console_with(hypercall_insn, 0x100000000ul, 16), -XEN_EFAULT);
	expect("console_io(write) to a non-canonical address",
	       console_with(hypercall_insn, 0x8000000000000000ul, 16), -XEN_EFAULT);

	paging_map_large(ALIAS_VA, 0, PTE_WRITABLE);
	expect_ok("console_io(write) through an alias mapping",
		  console_with(hypercall_insn, ALIAS_VA + (uintptr_t)msg, sizeof(msg) - 1));
}
#else
static void check_guest_virtual(void)
{
	/* Paging is off: addresses are physical. */
}
#endif

int guest_main(void)
{
	if (!platform_has_hypercalls())
		guest_fail(NAME ": no hypervisor found (CPUID 0x40000000 shows neither "
			   "hvk nor Xen), so no hypercalls to test");
	printf(NAME ": platform %s, default instruction %s\n", platform_name(),
	       hypercall_insn_name(hypercall_insn));
	check_unknown_numbers();
	check_version();
	check_bad_pointers();
	check_sched_op();
	check_page_crossing();
	check_guest_virtual();
	printf(NAME ": all checks passed\n");
	return 0;
}
