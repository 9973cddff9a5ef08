/* SPDX-License-Identifier: MIT */
/*
 * vcpu_up on native: INIT-SIPI-SIPI (SDM Vol. 3A §9.4.4.1 "Typical BSP
 * Initialization Sequence", §8.4.4.1 in older editions), sent to one AP
 * instead of broadcast.  INIT also recovers an AP the firmware left halted
 * (SeaBIOS wakes and parks every AP), since a SIPI only starts a CPU that
 * waits for one.  The AP's local APIC ID is taken to be its vCPU number,
 * as QEMU numbers them on a single socket.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <abi/xen/errno.h>

#include "../cpu.h"
#include "../io.h"
#include "../start.h"
#include "../string.h"
#include "native.h"
#include "native_ap.h"

#define MSR_APIC_BASE           0x1b
#define APIC_BASE_MASK          0xfffff000u
#define APIC_SVR                0xf0
#define APIC_ICR_LOW            0x300
#define APIC_ICR_HIGH           0x310
#define APIC_SVR_ENABLE         (1u << 8)
#define APIC_SPURIOUS_VECTOR    0xff
#define ICR_INIT_ASSERT         0x00004500u     /* delivery mode INIT, level assert */
#define ICR_STARTUP             0x00004600u     /* delivery mode SIPI | vector */
#define ICR_PENDING             (1u << 12)      /* delivery status: send pending */
#define CR0_PG                  0x80000000ul

#define PAGE                    0x1000u
#define LOW_MEMORY_END          0x9f000u        /* below the EBDA */
#define DELAY_PORT              0x80            /* ~1 us per write (Linux's io_delay) */
/* Only a failing start waits this long: about 10 s at 3 GHz. */
#define TAKEN_TSC_CYCLES        30000000000ull

struct native_ap_mailbox {
	uint64_t stack_top, fn, arg;
	uint32_t id, cr0_pg, cr3, cr4;
	volatile uint32_t taken;
};

#define MB_AT(field, off) \
	_Static_assert(offsetof(struct native_ap_mailbox, field) == (off), \
		       "native_ap.h: AP_MB_" #field)
MB_AT(stack_top, AP_MB_STACK_TOP);
MB_AT(fn, AP_MB_FN);
MB_AT(arg, AP_MB_ARG);
MB_AT(id, AP_MB_ID);
MB_AT(cr0_pg, AP_MB_CR0_PG);
MB_AT(cr3, AP_MB_CR3);
MB_AT(cr4, AP_MB_CR4);
MB_AT(taken, AP_MB_TAKEN);

struct native_ap_mailbox native_ap_mailbox;     /* read by ap_trampoline.S */
extern const uint8_t ap_trampoline_start[], ap_trampoline_end[];

static uint64_t rdmsr(uint32_t msr)
{
	uint32_t lo, hi;

	__asm__ volatile("rdmsr" : "=a"(lo), "=d"(hi) : "c"(msr));
	return (uint64_t)hi << 32 | lo;
}

static volatile uint32_t *apic_reg(unsigned int off)
{
	return (volatile uint32_t *)(uintptr_t)((rdmsr(MSR_APIC_BASE) & APIC_BASE_MASK) + off);
}

static void delay_us(unsigned int us)
{
	while (us--)
		outb(DELAY_PORT, 0);
}

/* ICR: destination first, the low write sends (SDM Vol. 3A §11.6.1). */
static void apic_send(unsigned int apic_id, uint32_t icr)
{
	*apic_reg(APIC_ICR_HIGH) = apic_id << 24;
	*apic_reg(APIC_ICR_LOW) = icr;
	while (*apic_reg(APIC_ICR_LOW) & ICR_PENDING)
		cpu_relax();
}

static bool overlaps(uint64_t a, uint64_t a_len, uint64_t b, uint64_t b_len)
{
	return a < b + b_len && b < a + a_len;
}

/* RAM by the memmap, and none of what the loader handed us lives there. */
static bool page_is_free(const struct xen_hvm_start_info *si, uint32_t page)
{
	const struct xen_hvm_memmap_entry *map =
		(const struct xen_hvm_memmap_entry *)(uintptr_t)si->memmap_paddr;
	bool ram = false;

	for (uint32_t i = 0; i < si->memmap_entries; i++)
		if (map[i].type == XEN_HVM_MEMMAP_TYPE_RAM && map[i].addr <= page &&
		    map[i].addr + map[i].size >= page + PAGE)
			ram = true;
	return ram &&
	       !overlaps(page, PAGE, (uintptr_t)si, sizeof(*si)) &&
	       !overlaps(page, PAGE, si->memmap_paddr, si->memmap_entries * sizeof(*map)) &&
	       !overlaps(page, PAGE, (uintptr_t)boot_cmdline(), strlen(boot_cmdline()) + 1);
}

/* A page below 1 MiB for the SIPI vector (page >> 12); 0 if none. */
static uint32_t trampoline_page(void)
{
	const struct xen_hvm_start_info *si = start_info();

	if (!si || si->version < 1 || !si->memmap_paddr)
		return 0;
	for (uint32_t page = PAGE; page < LOW_MEMORY_END; page += PAGE)
		if (page_is_free(si, page))
			return page;
	return 0;
}

/* The AP's way to smp_ap_entry, with this CPU's paging. */
static void fill_mailbox(unsigned int id, const struct pv_vcpu_start *s)
{
	native_ap_mailbox = (struct native_ap_mailbox){
		.stack_top = (uintptr_t)s->stack_top,
		.fn = (uintptr_t)s->fn,
		.arg = s->arg,
		.id = id,
		.cr0_pg = native_read_cr0() & CR0_PG,
		.cr3 = native_read_cr3(),
		.cr4 = native_read_cr4(),
	};
}

static bool wait_taken(void)
{
	uint64_t start = rdtsc();

	while (!native_ap_mailbox.taken)
		if (rdtsc() - start > TAKEN_TSC_CYCLES)
			return false;
	return true;
}

/* 0 once the AP has left the mailbox; -ENOMEM no page, -EIO no answer. */
PV_FN long native_vcpu_up(unsigned long id, const struct pv_vcpu_start *s)
{
	uint32_t page = trampoline_page();
	size_t len = ap_trampoline_end - ap_trampoline_start;

	if (!page)
		return -XEN_ENOMEM;
	memcpy((void *)(uintptr_t)page, ap_trampoline_start, len);
	fill_mailbox(id, s);
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	*apic_reg(APIC_SVR) = APIC_SVR_ENABLE | APIC_SPURIOUS_VECTOR;
	apic_send(id, ICR_INIT_ASSERT);
	delay_us(10000);
	apic_send(id, ICR_STARTUP | page >> 12);
	delay_us(200);
	apic_send(id, ICR_STARTUP | page >> 12);    /* ignored if the first worked */
	delay_us(200);
	return wait_taken() ? 0 : -XEN_EIO;
}
