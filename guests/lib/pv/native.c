/* SPDX-License-Identifier: MIT */
/*
 * The native pv_ops table: each op is the instruction it stands for.
 * Where native_insns.S has a template for an op, the patcher copies the
 * template over the site instead of calling the function here, so the two
 * must do the same.  The console and shutdown are QEMU's debugcon (port
 * 0xe9) and isa-debug-exit (port 0xf4), as in the rest of the library.
 */
#include <abi/hvk_guest.h>

#include "../io.h"
#include "../shutdown.h"
#include "native.h"

#define PIC1_DATA       0x21            /* 8259A interrupt mask registers */
#define PIC2_DATA       0xa1

PV_FN void native_irq_disable(void)
{
	__asm__ volatile("cli" : : : "memory");
}

PV_FN void native_irq_enable(void)
{
	__asm__ volatile("sti" : : : "memory");
}

PV_FN unsigned long native_save_fl(void)
{
	unsigned long flags;

	__asm__ volatile("pushf; pop %0" : "=r"(flags) : : "memory");
	return flags;
}

PV_FN void native_restore_fl(unsigned long flags)
{
	__asm__ volatile("push %0; popf" : : "r"(flags) : "memory", "cc");
}

PV_FN void native_halt(void)
{
	__asm__ volatile("hlt" : : : "memory");
}

#define NATIVE_READ_CR(n)						\
	PV_FN unsigned long native_read_cr##n(void)			\
	{								\
		unsigned long v;					\
									\
		__asm__ volatile("mov %%cr" #n ", %0" : "=r"(v));	\
		return v;						\
	}

#define NATIVE_WRITE_CR(n)						\
	PV_FN void native_write_cr##n(unsigned long v)			\
	{								\
		__asm__ volatile("mov %0, %%cr" #n : : "r"(v) : "memory");	\
	}

NATIVE_READ_CR(0)
NATIVE_WRITE_CR(0)
NATIVE_READ_CR(2)
NATIVE_READ_CR(3)
NATIVE_WRITE_CR(3)
NATIVE_READ_CR(4)
NATIVE_WRITE_CR(4)

/* The library runs 1:1 with CR0.WP clear: any entry can be stored to. */
static PV_FN void native_set_pte(pte_t *ptep, pte_t val)
{
	*(volatile pte_t *)ptep = val;
}

/* A CR3 write drops every non-global translation (SDM Vol. 3 §4.10.4.1). */
static PV_FN void native_flush_tlb(void)
{
	native_write_cr3(native_read_cr3());
}

static PV_FN void native_invlpg(unsigned long va)
{
	__asm__ volatile("invlpg (%0)" : : "r"(va) : "memory");
}

/* Nothing is ever queued natively. */
static PV_FN void native_lazy_mmu_nop(void)
{
}

PV_FN unsigned long native_inb(unsigned long port)
{
	uint8_t v;

	__asm__ volatile("inb %w1, %0" : "=a"(v) : "Nd"((uint16_t)port));
	return v;
}

PV_FN void native_outb(unsigned long port, unsigned long v)
{
	outb((uint16_t)port, (uint8_t)v);
}

PV_FN void native_outl(unsigned long port, unsigned long v)
{
	outl((uint16_t)port, (uint32_t)v);
}

static PV_FN void native_console_write(const char *buf, unsigned long len)
{
	for (unsigned long i = 0; i < len; i++)
		outb(HVK_DEBUGCON_PORT, (uint8_t)buf[i]);
}

/* isa-debug-exit; without the device the write is ignored and we halt. */
static PV_FN void native_shutdown(unsigned long reason)
{
	outl(NATIVE_EXIT_PORT, native_exit_value(reason));
	for (;;)
		native_halt();
}

/*
 * SeaBIOS leaves the PIT ticking into an unmasked 8259 (IRQ 0 at vector 8,
 * our #DF): mask both PICs (OCW1) so that irq_enable can be tested.
 */
void native_platform_init(void)
{
	outb(PIC1_DATA, 0xff);
	outb(PIC2_DATA, 0xff);
}

const struct pv_ops pv_native_ops = {
	.irq_disable = native_irq_disable,
	.irq_enable = native_irq_enable,
	.save_fl = native_save_fl,
	.restore_fl = native_restore_fl,
	.halt = native_halt,
	.cpuid = native_cpuid,
	.read_cr0 = native_read_cr0,
	.write_cr0 = native_write_cr0,
	.read_cr2 = native_read_cr2,
	.read_cr3 = native_read_cr3,
	.write_cr3 = native_write_cr3,
	.read_cr4 = native_read_cr4,
	.write_cr4 = native_write_cr4,
	.set_pte = native_set_pte,
	.flush_tlb = native_flush_tlb,
	.invlpg = native_invlpg,
	.lazy_mmu_begin = native_lazy_mmu_nop,
	.lazy_mmu_end = native_lazy_mmu_nop,
	.inb = native_inb,
	.outb = native_outb,
	.outl = native_outl,
	.console_write = native_console_write,
	.shutdown = native_shutdown,
	.vcpu_up = native_vcpu_up,
};
