/* SPDX-License-Identifier: MIT */
/*
 * The pv call sites: one inline function per op, each a patch site
 * (patch.h).  Every asm statement spells out what the op may change: AX
 * (the result register, an output of every site; cpuid also BX, CX, DX),
 * the flags ("cc") and memory; PV_SITE_ID records the same registers for
 * the patcher.  Arguments go in PV_ARG1..3 (pvops.h), widened to a word.
 * Included by pvops.h.
 */
#ifndef GUEST_PV_CALLS_H
#define GUEST_PV_CALLS_H

#include <stddef.h>
#include <stdint.h>

#include "../cpu.h"
#include "patch.h"

static inline void pv_irq_disable(void)
{
	unsigned long ax;

	__asm__ volatile(PV_SITE(irq_disable)
			 : "=a"(ax)
			 : PV_SITE_ID(PV_OP_IRQ_DISABLE, PV_CLOBBER_AX)
			 : "cc", "memory");
}

static inline void pv_irq_enable(void)
{
	unsigned long ax;

	__asm__ volatile(PV_SITE(irq_enable)
			 : "=a"(ax)
			 : PV_SITE_ID(PV_OP_IRQ_ENABLE, PV_CLOBBER_AX)
			 : "cc", "memory");
}

static inline unsigned long pv_save_fl(void)
{
	unsigned long flags;

	__asm__ volatile(PV_SITE(save_fl)
			 : "=a"(flags)
			 : PV_SITE_ID(PV_OP_SAVE_FL, PV_CLOBBER_AX)
			 : "cc", "memory");
	return flags;
}

static inline void pv_restore_fl(unsigned long flags)
{
	unsigned long ax;

	__asm__ volatile(PV_SITE(restore_fl)
			 : "=a"(ax)
			 : PV_SITE_ID(PV_OP_RESTORE_FL, PV_CLOBBER_AX),
			   PV_ARG1(flags)
			 : "cc", "memory");
}

static inline void pv_halt(void)
{
	unsigned long ax;

	__asm__ volatile(PV_SITE(halt)
			 : "=a"(ax)
			 : PV_SITE_ID(PV_OP_HALT, PV_CLOBBER_AX)
			 : "cc", "memory");
}

static inline struct cpuid_regs pv_cpuid(uint32_t leaf, uint32_t subleaf)
{
	struct cpuid_regs r;

	__asm__ volatile(PV_SITE(cpuid)
			 : "=a"(r.eax), "=b"(r.ebx), "=c"(r.ecx), "=d"(r.edx)
			 : PV_SITE_ID(PV_OP_CPUID, PV_CLOBBER_AX | PV_CLOBBER_BX |
						   PV_CLOBBER_CX | PV_CLOBBER_DX),
			   "a"(leaf), "c"(subleaf)
			 : "cc", "memory");
	return r;
}

static inline unsigned long pv_read_cr0(void)
{
	unsigned long v;

	__asm__ volatile(PV_SITE(read_cr0)
			 : "=a"(v)
			 : PV_SITE_ID(PV_OP_READ_CR0, PV_CLOBBER_AX)
			 : "cc", "memory");
	return v;
}

static inline void pv_write_cr0(unsigned long v)
{
	unsigned long ax;

	__asm__ volatile(PV_SITE(write_cr0)
			 : "=a"(ax)
			 : PV_SITE_ID(PV_OP_WRITE_CR0, PV_CLOBBER_AX), PV_ARG1(v)
			 : "cc", "memory");
}

static inline unsigned long pv_read_cr2(void)
{
	unsigned long v;

	__asm__ volatile(PV_SITE(read_cr2)
			 : "=a"(v)
			 : PV_SITE_ID(PV_OP_READ_CR2, PV_CLOBBER_AX)
			 : "cc", "memory");
	return v;
}

static inline unsigned long pv_read_cr3(void)
{
	unsigned long v;

	__asm__ volatile(PV_SITE(read_cr3)
			 : "=a"(v)
			 : PV_SITE_ID(PV_OP_READ_CR3, PV_CLOBBER_AX)
			 : "cc", "memory");
	return v;
}

static inline void pv_write_cr3(unsigned long v)
{
	unsigned long ax;

	__asm__ volatile(PV_SITE(write_cr3)
			 : "=a"(ax)
			 : PV_SITE_ID(PV_OP_WRITE_CR3, PV_CLOBBER_AX), PV_ARG1(v)
			 : "cc", "memory");
}

static inline unsigned long pv_read_cr4(void)
{
	unsigned long v;

	__asm__ volatile(PV_SITE(read_cr4)
			 : "=a"(v)
			 : PV_SITE_ID(PV_OP_READ_CR4, PV_CLOBBER_AX)
			 : "cc", "memory");
	return v;
}

static inline void pv_write_cr4(unsigned long v)
{
	unsigned long ax;

	__asm__ volatile(PV_SITE(write_cr4)
			 : "=a"(ax)
			 : PV_SITE_ID(PV_OP_WRITE_CR4, PV_CLOBBER_AX), PV_ARG1(v)
			 : "cc", "memory");
}

/* May be queued (lazy_mmu.h): the entry changes at the latest at lazy_mmu_end(). */
static inline void pv_set_pte(pte_t *ptep, pte_t val)
{
	unsigned long ax;

	__asm__ volatile(PV_SITE(set_pte)
			 : "=a"(ax)
			 : PV_SITE_ID(PV_OP_SET_PTE, PV_CLOBBER_AX),
			   PV_ARG1(ptep), PV_ARG2(val)
			 : "cc", "memory");
}

/* May be queued. */
static inline void pv_flush_tlb(void)
{
	unsigned long ax;

	__asm__ volatile(PV_SITE(flush_tlb)
			 : "=a"(ax)
			 : PV_SITE_ID(PV_OP_FLUSH_TLB, PV_CLOBBER_AX)
			 : "cc", "memory");
}

/* May be queued. */
static inline void pv_invlpg(unsigned long va)
{
	unsigned long ax;

	__asm__ volatile(PV_SITE(invlpg)
			 : "=a"(ax)
			 : PV_SITE_ID(PV_OP_INVLPG, PV_CLOBBER_AX), PV_ARG1(va)
			 : "cc", "memory");
}

/* Opens a lazy section on this CPU: queueable ops may be batched (lazy_mmu.h). */
static inline void lazy_mmu_begin(void)
{
	unsigned long ax;

	__asm__ volatile(PV_SITE(lazy_mmu_begin)
			 : "=a"(ax)
			 : PV_SITE_ID(PV_OP_LAZY_MMU_BEGIN, PV_CLOBBER_AX)
			 : "cc", "memory");
}

/* Closes it: whatever is queued takes effect before this returns. */
static inline void lazy_mmu_end(void)
{
	unsigned long ax;

	__asm__ volatile(PV_SITE(lazy_mmu_end)
			 : "=a"(ax)
			 : PV_SITE_ID(PV_OP_LAZY_MMU_END, PV_CLOBBER_AX)
			 : "cc", "memory");
}

static inline uint8_t pv_inb(uint16_t port)
{
	unsigned long v;

	__asm__ volatile(PV_SITE(inb)
			 : "=a"(v)
			 : PV_SITE_ID(PV_OP_INB, PV_CLOBBER_AX),
			   PV_ARG1((unsigned long)port)
			 : "cc", "memory");
	return (uint8_t)v;
}

static inline void pv_outb(uint16_t port, uint8_t v)
{
	unsigned long ax;

	__asm__ volatile(PV_SITE(outb)
			 : "=a"(ax)
			 : PV_SITE_ID(PV_OP_OUTB, PV_CLOBBER_AX),
			   PV_ARG1((unsigned long)port), PV_ARG2((unsigned long)v)
			 : "cc", "memory");
}

static inline void pv_outl(uint16_t port, uint32_t v)
{
	unsigned long ax;

	__asm__ volatile(PV_SITE(outl)
			 : "=a"(ax)
			 : PV_SITE_ID(PV_OP_OUTL, PV_CLOBBER_AX),
			   PV_ARG1((unsigned long)port), PV_ARG2((unsigned long)v)
			 : "cc", "memory");
}

static inline void pv_console_write(const char *buf, size_t len)
{
	unsigned long ax;

	__asm__ volatile(PV_SITE(console_write)
			 : "=a"(ax)
			 : PV_SITE_ID(PV_OP_CONSOLE_WRITE, PV_CLOBBER_AX),
			   PV_ARG1(buf), PV_ARG2((unsigned long)len)
			 : "cc", "memory");
}

/* XEN_SHUTDOWN_* (abi/xen/sched.h). */
static inline __attribute__((noreturn)) void pv_shutdown(unsigned int reason)
{
	unsigned long ax;

	__asm__ volatile(PV_SITE(shutdown)
			 : "=a"(ax)
			 : PV_SITE_ID(PV_OP_SHUTDOWN, PV_CLOBBER_AX),
			   PV_ARG1((unsigned long)reason)
			 : "cc", "memory");
	__builtin_unreachable();
}

/* Use pv_start_vcpu() (pvops.h), which gives the vCPU its stack. */
static inline long pv_vcpu_up(unsigned int id, const struct pv_vcpu_start *start)
{
	long rc;

	__asm__ volatile(PV_SITE(vcpu_up)
			 : "=a"(rc)
			 : PV_SITE_ID(PV_OP_VCPU_UP, PV_CLOBBER_AX),
			   PV_ARG1((unsigned long)id), PV_ARG2(start)
			 : "cc", "memory");
	return rc;
}

#endif /* GUEST_PV_CALLS_H */
