/* SPDX-License-Identifier: MIT */
/* Interrupt dispatch for the APIC guests (irq.h). */
#include "io.h"
#include "irq.h"
#include "lapic.h"
#include "platform.h"

#define PIC1_DATA               0x21    /* 8259A mask registers (OCW1) */
#define PIC2_DATA               0xa1
#define IRQ_STUBS               (IDT_VECTORS - IRQ_FIRST_VECTOR)

/* irq_entry.S */
extern void (*const irq_stub_table[IRQ_STUBS])(void);
void irq_stub_nmi(void);
void irq_stub_gp(void);
extern const char msr_read_insn[], msr_read_fault[];
extern const char msr_write_insn[], msr_write_fault[];

volatile unsigned long irq_count[IDT_VECTORS];
volatile unsigned long gp_caught;
volatile unsigned long gp_last_error_code;
static irq_handler_t handlers[IDT_VECTORS];

void irq_set_handler(unsigned int vector, irq_handler_t handler)
{
	__atomic_store_n(&handlers[vector], handler, __ATOMIC_SEQ_CST);
}

/* A #GP at one of the two MSR instructions resumes at its fault label. */
static void gp_fixup(struct irq_frame *f)
{
	if (f->ip == (uintptr_t)msr_read_insn)
		f->ip = (uintptr_t)msr_read_fault;
	else if (f->ip == (uintptr_t)msr_write_insn)
		f->ip = (uintptr_t)msr_write_fault;
	else
		exception_report(VECTOR_GP, f->error_code, f->ip, f->cs);
	gp_last_error_code = f->error_code;
	__atomic_add_fetch(&gp_caught, 1, __ATOMIC_SEQ_CST);
}

/* Called by irq_entry.S with interrupts disabled (interrupt gates). */
void irq_dispatch(struct irq_frame *f)
{
	unsigned int vector = f->vector;
	irq_handler_t handler;

	if (vector == VECTOR_GP) {
		gp_fixup(f);
		return;
	}
	__atomic_add_fetch(&irq_count[vector], 1, __ATOMIC_SEQ_CST);
	handler = __atomic_load_n(&handlers[vector], __ATOMIC_SEQ_CST);
	if (handler)
		handler(f);
	else if (vector >= IRQ_FIRST_VECTOR && vector != APIC_SPURIOUS_VECTOR)
		lapic_eoi();
}

void irq_init(void)
{
	for (unsigned int v = IRQ_FIRST_VECTOR; v < IDT_VECTORS; v++)
		idt_set_gate(v, irq_stub_table[v - IRQ_FIRST_VECTOR], 0);
	idt_set_gate(VECTOR_NMI, irq_stub_nmi, 0);
	idt_set_gate(VECTOR_GP, irq_stub_gp, 0);
	if (!platform_has_hypercalls()) {
		outb(PIC1_DATA, 0xff);
		outb(PIC2_DATA, 0xff);
	}
	lapic_map_mmio();
}
