/* SPDX-License-Identifier: MIT */
/*
 * Minimal exception handling: vectors 0-31 print what happened and fail
 * the guest.  Interrupts stay disabled throughout, so there is no IRQ
 * handling.  Per mode: x86_32/idt.c + vectors.S, x86_64/idt.c + vectors.S.
 */
#ifndef GUEST_EXCEPTIONS_H
#define GUEST_EXCEPTIONS_H

#define EXCEPTION_VECTORS       32
#define IDT_VECTORS             256

void exceptions_init(void);

/* Loads the IDT exceptions_init() built: for a secondary vCPU (smp.h). */
void exceptions_load(void);

/* An interrupt gate (IF cleared on entry) callable by `int` from `dpl`. */
void idt_set_gate(unsigned int vector, void (*handler)(void), unsigned int dpl);

/* Called by the vector stubs. */
__attribute__((noreturn)) void exception_report(unsigned long vector,
						unsigned long error_code,
						unsigned long ip,
						unsigned long cs);

#endif /* GUEST_EXCEPTIONS_H */
