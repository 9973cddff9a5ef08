/* SPDX-License-Identifier: MIT */
/*
 * spin: prints one line, then loops forever without a single exit to the
 * hypervisor (no HLT, no PAUSE, no I/O), so only `hvk run --timeout` or a
 * signal ends it (exit 124 / 128 + signal).
 */
#include "guest.h"

int guest_main(void)
{
	volatile unsigned long spins = 0;

	printf("spin: spinning\n");
	for (;;)
		spins++;
}
