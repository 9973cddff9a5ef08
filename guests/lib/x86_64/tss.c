/* SPDX-License-Identifier: MIT */
#include <stdint.h>

#include "../segments.h"
#include "tss.h"

#define STACK_SIZE 0x2000

/* 104 bytes, SDM Vol. 3 Figure 8-11. */
struct tss64 {
	uint32_t reserved0;
	uint64_t rsp[3];
	uint64_t reserved1;
	uint64_t ist[7];
	uint64_t reserved2;
	uint16_t reserved3;
	uint16_t iomap_base;
} __attribute__((packed));

extern uint64_t gdt[GDT_SLOTS];                 /* entry32.S */

static struct tss64 tss;
static uint8_t ring0_stack[STACK_SIZE] __attribute__((aligned(16)));
static uint8_t double_fault_stack[STACK_SIZE] __attribute__((aligned(16)));

/* A 16-byte system descriptor: type 9 = available 64-bit TSS, present. */
static void set_tss_descriptor(uint64_t base, uint32_t limit)
{
	gdt[SEL_TSS / 8] = (limit & 0xffff) | (base & 0xffffff) << 16 |
			   (uint64_t)0x89 << 40 | (uint64_t)(limit >> 16 & 0xf) << 48 |
			   (base >> 24 & 0xff) << 56;
	gdt[SEL_TSS / 8 + 1] = base >> 32;
}

void tss_init(void)
{
	tss.rsp[0] = (uintptr_t)(ring0_stack + STACK_SIZE);
	tss.ist[DOUBLE_FAULT_IST - 1] = (uintptr_t)(double_fault_stack + STACK_SIZE);
	tss.iomap_base = sizeof(tss);   /* no I/O bitmap: ring 3 port I/O faults */
	set_tss_descriptor((uintptr_t)&tss, sizeof(tss) - 1);
	__asm__ volatile("ltr %w0" : : "r"(SEL_TSS));
}
