/* SPDX-License-Identifier: MIT */
/*
 * triple-fault: with an empty IDT (limit 0) every vector is out of bounds,
 * so int3 raises #GP, #GP raises #DF, and #DF shuts the CPU down (SDM
 * Vol. 3 §6.15, "Interrupt 8").  Deliberately no handlers: the library's
 * IDT is replaced.  The hvk VMM reports the shutdown (exit 13); QEMU
 * resets, or exits with -no-reboot.
 */
#include "guest.h"

int guest_main(void)
{
	static const struct descriptor_table_ptr empty_idt = { .limit = 0, .base = 0 };

	printf("triple-fault: loading an empty IDT, then int3\n");
	load_idt(&empty_idt);
	__asm__ volatile("int3\n\tud2");
	guest_fail("triple-fault: still running after int3 with an empty IDT");
}
