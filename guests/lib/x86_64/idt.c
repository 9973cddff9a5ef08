/* SPDX-License-Identifier: MIT */
/* The 64-bit IDT: 16-byte gates (SDM Vol. 3 §6.14.1). */
#include <stdint.h>

#include "../cpu.h"
#include "../exceptions.h"
#include "../segments.h"
#include "tss.h"

#define GATE_PRESENT            0x80
#define GATE_INTERRUPT64        0x0e

struct idt_gate {
	uint16_t offset_low;
	uint16_t selector;
	uint8_t ist;
	uint8_t type_attr;
	uint16_t offset_mid;
	uint32_t offset_high;
	uint32_t reserved;
};

extern void (*const exception_stubs[EXCEPTION_VECTORS])(void);   /* vectors.S */

static struct idt_gate idt[IDT_VECTORS] __attribute__((aligned(16)));

static void set_gate(unsigned int vector, void (*handler)(void),
		     unsigned int dpl, unsigned int ist)
{
	uintptr_t off = (uintptr_t)handler;

	idt[vector] = (struct idt_gate){
		.offset_low = off & 0xffff,
		.selector = SEL_KERNEL_CODE64,
		.ist = ist,
		.type_attr = GATE_PRESENT | dpl << 5 | GATE_INTERRUPT64,
		.offset_mid = off >> 16 & 0xffff,
		.offset_high = off >> 32,
	};
}

void idt_set_gate(unsigned int vector, void (*handler)(void), unsigned int dpl)
{
	set_gate(vector, handler, dpl, 0);
}

void exceptions_load(void)
{
	struct descriptor_table_ptr p = {
		.limit = sizeof(idt) - 1,
		.base = (uintptr_t)idt,
	};

	load_idt(&p);
}

/* Also loads the TSS: #DF runs on its own IST stack, ring 3 needs RSP0. */
void exceptions_init(void)
{
	tss_init();
	for (unsigned int v = 0; v < EXCEPTION_VECTORS; v++)
		set_gate(v, exception_stubs[v], 0, v == 8 ? DOUBLE_FAULT_IST : 0);
	exceptions_load();
}
