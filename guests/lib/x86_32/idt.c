/* SPDX-License-Identifier: MIT */
/* The 32-bit IDT: 8-byte gates (SDM Vol. 3 §6.11). */
#include <stdint.h>

#include "../cpu.h"
#include "../exceptions.h"
#include "../segments.h"

#define GATE_PRESENT            0x80
#define GATE_INTERRUPT32        0x0e

struct idt_gate {
	uint16_t offset_low;
	uint16_t selector;
	uint8_t zero;
	uint8_t type_attr;
	uint16_t offset_high;
};

extern void (*const exception_stubs[EXCEPTION_VECTORS])(void);   /* vectors.S */

static struct idt_gate idt[IDT_VECTORS] __attribute__((aligned(8)));

void idt_set_gate(unsigned int vector, void (*handler)(void), unsigned int dpl)
{
	uintptr_t off = (uintptr_t)handler;

	idt[vector] = (struct idt_gate){
		.offset_low = off & 0xffff,
		.selector = SEL_KERNEL_CODE32,
		.type_attr = GATE_PRESENT | dpl << 5 | GATE_INTERRUPT32,
		.offset_high = off >> 16,
	};
}

void exceptions_load(void)
{
	struct descriptor_table_ptr p = {
		.limit = sizeof(idt) - 1,
		.base = (uintptr_t)idt,
	};

	load_idt(&p);
}

void exceptions_init(void)
{
	for (unsigned int v = 0; v < EXCEPTION_VECTORS; v++)
		idt_set_gate(v, exception_stubs[v], 0);
	exceptions_load();
}
