/* SPDX-License-Identifier: MIT */
/*
 * counted: makes an exactly known number of hypercalls, so tests can check
 * hvk's counters (hvk run --stats, hvk stat) and traces against the truth:
 *   100 x hvk null, 7 x xen_version(XENVER_version), 1 x console_io (one
 *   line), then sched_op: shutdown(poweroff), or with "then=block" on the
 *   command line SCHEDOP_block (the VM stays alive until its VMM is killed).
 * printf would make a console_io call per line: exactly one line is printed.
 */
#include <abi/hvk_hypercall.h>
#include <abi/xen/sched.h>
#include <abi/xen/version.h>

#include "guest.h"

#define NULL_CALLS     100
#define VERSION_CALLS  7

int guest_main(void)
{
	long bad = 0;
	int i;

	for (i = 0; i < NULL_CALLS; i++)
		bad += hypercall0(HVK_HC_NR(HVK_FAMILY_BASE, HVK_BASE_NULL, 0)) != 0;
	for (i = 0; i < VERSION_CALLS; i++)
		bad += hc_xen_version(XEN_XENVER_VERSION, 0) <= 0;
	printf("counted: %d null, %d xen_version, %ld failed\n", NULL_CALLS,
	       VERSION_CALLS, bad);
	if (bad)
		guest_shutdown(XEN_SHUTDOWN_CRASH);
	if (cmdline_has_word("then=block"))
		for (;;)
			hc_sched_op(XEN_SCHEDOP_BLOCK, 0);
	return 0;
}
