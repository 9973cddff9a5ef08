/* SPDX-License-Identifier: MIT */
/* The local APIC: registers, modes, IPIs, the timer (lapic.h). */
#include "cpu.h"
#include "lapic.h"
#ifdef __x86_64__
#include "x86_64/paging.h"
#endif

#define CPUID1_EDX_APIC         (1u << 9)
#define CPUID1_ECX_X2APIC       (1u << 21)
#define CPUID1_ECX_TSC_DEADLINE (1u << 24)
/* xAPIC delivery status: reads of a busy ICR before giving up (a stuck bit). */
#define ICR_BUSY_POLLS          10000000u
#define VERSION_MAX_LVT(v)      ((v) >> 16 & 0xff)

uint64_t rdmsr(uint32_t msr)
{
	uint32_t lo, hi;

	__asm__ volatile("rdmsr" : "=a"(lo), "=d"(hi) : "c"(msr) : "memory");
	return (uint64_t)hi << 32 | lo;
}

void wrmsr(uint32_t msr, uint64_t value)
{
	__asm__ volatile("wrmsr" : : "c"(msr), "a"((uint32_t)value),
			 "d"((uint32_t)(value >> 32)) : "memory");
}

bool cpu_has_apic(void)
{
	return cpuid(1).edx & CPUID1_EDX_APIC;
}

bool cpu_has_x2apic(void)
{
	return cpuid(1).ecx & CPUID1_ECX_X2APIC;
}

bool cpu_has_tsc_deadline(void)
{
	return cpuid(1).ecx & CPUID1_ECX_TSC_DEADLINE;
}

enum lapic_mode lapic_mode(void)
{
	uint64_t base = rdmsr(MSR_APIC_BASE);

	if (base & APIC_BASE_EN)
		return base & APIC_BASE_EXTD ? LAPIC_X2APIC : LAPIC_XAPIC;
	return base & APIC_BASE_EXTD ? LAPIC_INVALID : LAPIC_DISABLED;
}

const char *lapic_mode_name(enum lapic_mode mode)
{
	switch (mode) {
	case LAPIC_DISABLED:
		return "disabled";
	case LAPIC_XAPIC:
		return "xAPIC";
	case LAPIC_X2APIC:
		return "x2APIC";
	default:
		return "invalid";
	}
}

uint64_t lapic_base_with_mode(enum lapic_mode mode)
{
	uint64_t base = rdmsr(MSR_APIC_BASE) & ~(uint64_t)(APIC_BASE_EN | APIC_BASE_EXTD);

	if (mode == LAPIC_XAPIC || mode == LAPIC_X2APIC)
		base |= APIC_BASE_EN;
	if (mode == LAPIC_X2APIC || mode == LAPIC_INVALID)
		base |= APIC_BASE_EXTD;
	return base;
}

void lapic_set_mode(enum lapic_mode mode)
{
	wrmsr(MSR_APIC_BASE, lapic_base_with_mode(mode));
}

static uintptr_t xapic_base(void)
{
	return (uintptr_t)(rdmsr(MSR_APIC_BASE) & APIC_BASE_ADDR_MASK);
}

void lapic_map_mmio(void)
{
#ifdef __x86_64__
	/* PWT | PCD selects PAT entry 3, UC, in the reset PAT (SDM §13.12.3). */
	const uint64_t uncacheable = 1u << 3 | 1u << 4;

	paging_map_large(xapic_base() & ~(uint64_t)(LARGE_PAGE_SIZE - 1),
			 xapic_base() & ~(uint64_t)(LARGE_PAGE_SIZE - 1),
			 PTE_WRITABLE | uncacheable);
#endif
}

uint32_t xapic_read(unsigned int reg)
{
	return *(volatile uint32_t *)(xapic_base() + reg);
}

void xapic_write(unsigned int reg, uint32_t value)
{
	*(volatile uint32_t *)(xapic_base() + reg) = value;
}

uint64_t x2apic_read(unsigned int reg)
{
	return rdmsr(X2APIC_MSR(reg));
}

void x2apic_write(unsigned int reg, uint64_t value)
{
	wrmsr(X2APIC_MSR(reg), value);
}

uint32_t lapic_read(unsigned int reg)
{
	if (lapic_mode() == LAPIC_X2APIC)
		return (uint32_t)x2apic_read(reg);
	return xapic_read(reg);
}

void lapic_write(unsigned int reg, uint32_t value)
{
	if (lapic_mode() == LAPIC_X2APIC)
		x2apic_write(reg, value);
	else
		xapic_write(reg, value);
}

uint32_t lapic_id(void)
{
	if (lapic_mode() == LAPIC_X2APIC)
		return (uint32_t)x2apic_read(APIC_ID);
	return xapic_read(APIC_ID) >> 24;
}

/* Vector v is bit v % 32 of the word at bank + 0x10 * (v / 32) (SDM Figure 11-20). */
bool lapic_vector_set(unsigned int bank, unsigned int vector)
{
	return lapic_read(bank + 0x10 * (vector / 32)) >> (vector % 32) & 1;
}

int lapic_highest_vector(unsigned int bank)
{
	for (int word = 7; word >= 0; word--) {
		uint32_t bits = lapic_read(bank + 0x10 * word);

		if (bits)
			return word * 32 + 31 - __builtin_clz(bits);
	}
	return -1;
}

void lapic_eoi(void)
{
	lapic_write(APIC_EOI, 0);
}

bool lapic_send_ipi(uint32_t icr, uint32_t dest)
{
	if (lapic_mode() == LAPIC_X2APIC) {
		x2apic_write(APIC_ICR, (uint64_t)dest << 32 | icr);
		return true;
	}
	/* The high word first: the write of the low word sends (SDM §11.6.1). */
	xapic_write(APIC_ICR_HIGH, dest << 24);
	xapic_write(APIC_ICR, icr);
	for (uint32_t i = 0; i < ICR_BUSY_POLLS; i++) {
		if (!(xapic_read(APIC_ICR) & ICR_BUSY))
			return true;
		cpu_relax();
	}
	return false;
}

void lapic_self_ipi(unsigned int vector)
{
	lapic_send_ipi(ICR_SELF | ICR_FIXED | ICR_ASSERT | vector, 0);
}

/* LVT entries beyond timer, LINT0, LINT1 and error exist by the version's max LVT. */
static void mask_all_lvts(void)
{
	unsigned int max_lvt = VERSION_MAX_LVT(lapic_read(APIC_VERSION));

	lapic_write(APIC_LVT_TIMER, LVT_MASKED);
	lapic_write(APIC_LVT_LINT0, LVT_MASKED);
	lapic_write(APIC_LVT_LINT1, LVT_MASKED);
	lapic_write(APIC_LVT_ERROR, LVT_MASKED);
	if (max_lvt >= 4)
		lapic_write(APIC_LVT_PERF, LVT_MASKED);
	if (max_lvt >= 5)
		lapic_write(APIC_LVT_THERMAL, LVT_MASKED);
	if (max_lvt >= 6)
		lapic_write(APIC_LVT_CMCI, LVT_MASKED);
}

void lapic_reset_for_test(void)
{
	lapic_write(APIC_SVR, APIC_SVR_ENABLE | APIC_SPURIOUS_VECTOR);
	lapic_write(APIC_TPR, 0);
	lapic_timer_stop();
	mask_all_lvts();
	/* Whatever an earlier test left in service: one EOI per ISR bit. */
	for (int i = 0; i < 256 && lapic_highest_vector(APIC_ISR) >= 0; i++)
		lapic_eoi();
	lapic_write(APIC_ESR, 0);
}

void lapic_timer_start(uint32_t lvt, uint32_t divide, uint32_t initial_count)
{
	lapic_write(APIC_LVT_TIMER, lvt);
	lapic_write(APIC_TIMER_DIVIDE, divide);
	lapic_write(APIC_TIMER_INITIAL, initial_count);
}

/* A write that changes the timer mode disarms it (SDM §11.5.4.1); count 0 stops it. */
void lapic_timer_stop(void)
{
	lapic_write(APIC_LVT_TIMER, LVT_MASKED | LVT_TIMER_ONESHOT);
	lapic_write(APIC_TIMER_INITIAL, 0);
}
