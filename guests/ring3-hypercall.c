/* SPDX-License-Identifier: MIT */
/*
 * ring3-hypercall: hypercalls from CPL 3 must fail with -EPERM (as Xen),
 * for either instruction, and do nothing: the console write below must
 * not appear.  The guest IRETQs to ring 3 on user pages, records the
 * results there, and comes back through a DPL-3 interrupt gate
 * (x86_64/usermode_switch.S).  On native the round trip to ring 3 still runs,
 * then the guest fails for want of a hypervisor.
 */
#include <abi/xen/errno.h>
#include <abi/xen/hypercall.h>
#include <abi/xen/version.h>

#include "guest.h"
#include "x86_64/paging.h"
#include "x86_64/usermode.h"

#define RING3_DONE 0x3ca11ul    /* fn's result: proves RAX made it back */

static const char refused_msg[] = "ring3-hypercall: FAIL: console write from CPL 3 was not refused\n";

/* Written at CPL 3: in the image, which guest_main makes user-accessible. */
static struct {
	unsigned int cpl;
	long version;           /* xen_version by the default instruction */
	long console;           /* console_io(write) by the default instruction */
	long version_other;     /* xen_version by the other vendor's instruction */
} ring3;

static uint8_t user_stack[4096] __attribute__((aligned(16)));

static enum hypercall_insn other_insn(void)
{
	return hypercall_insn == HYPERCALL_VMCALL ? HYPERCALL_VMMCALL : HYPERCALL_VMCALL;
}

static long xen_version_with(enum hypercall_insn insn)
{
	return hypercall_with(insn, XEN_HC_XEN_VERSION, XEN_XENVER_VERSION, 0, 0, 0, 0);
}

/* Runs at CPL 3: no printing (the console is a hypercall), no I/O. */
static long at_ring3(void)
{
	ring3.cpl = current_cpl();
	if (platform_has_hypercalls()) {
		ring3.version = xen_version_with(hypercall_insn);
		ring3.console = hc_console_io(XEN_CONSOLEIO_WRITE, sizeof(refused_msg) - 1,
					      refused_msg);
		ring3.version_other = xen_version_with(other_insn());
	}
	return RING3_DONE;
}

static void expect_eperm(const char *call, enum hypercall_insn insn, long got)
{
	if (got != -XEN_EPERM)
		guest_fail("ring3-hypercall: %s by %s from CPL 3 returned %ld, expected %d",
			   call, hypercall_insn_name(insn), got, -XEN_EPERM);
}

int guest_main(void)
{
	long rc;

	if (platform_has_hypercalls() && xen_version_with(hypercall_insn) <= 0)
		guest_fail("ring3-hypercall: xen_version fails even from CPL 0");

	/* Code, data and user_stack all lie in the first 2 MiB (guest.ld). */
	paging_map_large(0, 0, PTE_WRITABLE | PTE_USER);
	rc = usermode_call(at_ring3, user_stack + sizeof(user_stack));
	if (rc != (long)RING3_DONE || ring3.cpl != 3)
		guest_fail("ring3-hypercall: ring 3 round trip returned 0x%lx at CPL %u, "
			   "expected 0x%lx at CPL 3", rc, ring3.cpl, RING3_DONE);
	printf("ring3-hypercall: back from CPL 3\n");

	if (!platform_has_hypercalls())
		guest_fail("ring3-hypercall: no hypervisor found (CPUID 0x40000000 shows "
			   "neither hvk nor Xen), so no hypercalls to test");
	expect_eperm("xen_version", hypercall_insn, ring3.version);
	expect_eperm("console_io(write)", hypercall_insn, ring3.console);
	expect_eperm("xen_version", other_insn(), ring3.version_other);
	printf("ring3-hypercall: got -EPERM\n");
	return 0;
}
