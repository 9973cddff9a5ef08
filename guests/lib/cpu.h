/* SPDX-License-Identifier: MIT */
/* Small wrappers for CPU instructions used by both runtimes. */
#ifndef GUEST_CPU_H
#define GUEST_CPU_H

#include <stdint.h>

struct cpuid_regs {
	uint32_t eax, ebx, ecx, edx;
};

static inline struct cpuid_regs cpuid_count(uint32_t leaf, uint32_t subleaf)
{
	struct cpuid_regs r;

	__asm__ volatile("cpuid"
			 : "=a"(r.eax), "=b"(r.ebx), "=c"(r.ecx), "=d"(r.edx)
			 : "a"(leaf), "c"(subleaf));
	return r;
}

static inline struct cpuid_regs cpuid(uint32_t leaf)
{
	return cpuid_count(leaf, 0);
}

static inline unsigned long read_cr2(void)
{
	unsigned long v;

	__asm__ volatile("mov %%cr2, %0" : "=r"(v));
	return v;
}

/* The code segment's RPL is the current privilege level. */
static inline unsigned int current_cpl(void)
{
	unsigned short cs;

	__asm__ volatile("mov %%cs, %0" : "=r"(cs));
	return cs & 3;
}

/* Operand of LGDT/LIDT: a 16-bit limit and a base of the mode's width. */
struct descriptor_table_ptr {
	uint16_t limit;
	unsigned long base;
} __attribute__((packed));

static inline void load_idt(const struct descriptor_table_ptr *p)
{
	__asm__ volatile("lidt %0" : : "m"(*p));
}

/* The time-stamp counter (both modes: EDX:EAX). */
static inline uint64_t rdtsc(void)
{
	uint32_t lo, hi;

	__asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
	return (uint64_t)hi << 32 | lo;
}

static inline void cpu_relax(void)
{
	__asm__ volatile("pause" : : : "memory");
}

/* Interrupts stay disabled in every guest, so this parks the vCPU for good. */
static inline __attribute__((noreturn)) void halt_forever(void)
{
	for (;;)
		__asm__ volatile("cli; hlt");
}

#endif /* GUEST_CPU_H */
