/* SPDX-License-Identifier: MIT */
/*
 * wild-mmio: reads, then writes, guest-physical 0xc0000000 (3 GiB) through
 * the identity map: beyond RAM for any VM under 3 GiB, and not the local
 * or I/O APIC.  hvk has nothing there, so the read exits to the VMM as
 * MMIO, which it does not handle (exit 15).  Each access is one plain
 * 32-bit MOV, easy for an instruction decoder.
 */
#include <stdint.h>

#include "guest.h"

#define WILD_MMIO_GPA 0xc0000000ul

static uint32_t mmio_read32(uintptr_t gpa)
{
	uint32_t v;

	__asm__ volatile("movl (%1), %0" : "=r"(v) : "r"(gpa) : "memory");
	return v;
}

static void mmio_write32(uintptr_t gpa, uint32_t v)
{
	__asm__ volatile("movl %0, (%1)" : : "r"(v), "r"(gpa) : "memory");
}

int guest_main(void)
{
	uint32_t v;

	printf("wild-mmio: reading 0x%lx\n", WILD_MMIO_GPA);
	v = mmio_read32(WILD_MMIO_GPA);
	printf("wild-mmio: read 0x%x, now writing\n", v);
	mmio_write32(WILD_MMIO_GPA, 0x6d6d696f);
	guest_fail("wild-mmio: accesses to 0x%lx did not stop the guest",
		   WILD_MMIO_GPA);
}
