/* SPDX-License-Identifier: MIT */
/* INIT-SIPI-SIPI into a real-mode trampoline (sipi.h). */
#include <stddef.h>

#include "clock.h"
#include "lapic.h"
#include "shutdown.h"
#include "sipi.h"
#include "start.h"
#include "string.h"

#define PAGE_BYTES              0x1000u
#define LOW_MEMORY_END          0xa0000u        /* 640 KiB: the legacy VGA hole */
#define INIT_DELAY_NS           (10 * NS_PER_MS)        /* SDM §9.4.4.1 */
#define SIPI_DELAY_NS           (200 * NS_PER_US)
#define ARRIVAL_TIMEOUT_NS      (5 * NS_PER_SEC)

#define REC_AT(field, off) \
	_Static_assert(offsetof(struct sipi_arrival, field) == (off), "sipi.h: " #off)
REC_AT(cs, SIPI_REC_CS);
REC_AT(ds, SIPI_REC_DS);
REC_AT(ss, SIPI_REC_SS);
REC_AT(esp, SIPI_REC_ESP);
REC_AT(edx, SIPI_REC_EDX);
REC_AT(cr0, SIPI_REC_CR0);
REC_AT(eflags, SIPI_REC_EFLAGS);
REC_AT(idt_limit, SIPI_REC_IDTR);
REC_AT(apic_base, SIPI_ARR_APIC_BASE);
REC_AT(count, SIPI_ARR_COUNT);
_Static_assert(sizeof(struct sipi_arrival) == SIPI_ARRIVAL_SIZE, "sipi.h: SIPI_ARRIVAL_SIZE");
_Static_assert(SIPI_MAX_APIC_ID == SMP_MAX_VCPUS, "sipi.h: SIPI_MAX_APIC_ID");
_Static_assert(SIPI_REC_DWORDS * 4 == SIPI_ARR_APIC_BASE, "sipi.h: the record part");

volatile struct sipi_arrival sipi_arrivals[SMP_MAX_VCPUS];
volatile uint32_t sipi_arrivals_total;
volatile uint32_t sipi_unexpected;
/* Read by sipi_trampoline.S, indexed by APIC ID. */
unsigned long sipi_entry_fn[SMP_MAX_VCPUS];
unsigned long sipi_entry_arg[SMP_MAX_VCPUS];
unsigned long sipi_entry_stack[SMP_MAX_VCPUS];

extern const uint8_t sipi_trampoline_start[], sipi_trampoline_end[];
static uint32_t trampoline_page;

static bool overlaps(uint64_t a, uint64_t a_len, uint64_t b, uint64_t b_len)
{
	return a < b + b_len && b < a + a_len;
}

/* RAM by the memmap, and none of what the loader handed over lives there. */
static bool page_is_free(const struct xen_hvm_start_info *si, uint32_t page)
{
	const struct xen_hvm_memmap_entry *map =
		(const struct xen_hvm_memmap_entry *)(uintptr_t)si->memmap_paddr;
	bool ram = false;

	for (uint32_t i = 0; i < si->memmap_entries; i++)
		if (map[i].type == XEN_HVM_MEMMAP_TYPE_RAM && map[i].addr <= page &&
		    map[i].addr + map[i].size >= page + PAGE_BYTES)
			ram = true;
	return ram &&
	       !overlaps(page, PAGE_BYTES, (uintptr_t)si, sizeof(*si)) &&
	       !overlaps(page, PAGE_BYTES, si->memmap_paddr,
			 si->memmap_entries * sizeof(*map)) &&
	       !overlaps(page, PAGE_BYTES, (uintptr_t)boot_cmdline(),
			 strlen(boot_cmdline()) + 1);
}

uint32_t sipi_setup(void)
{
	const struct xen_hvm_start_info *si = start_info();
	size_t len = sipi_trampoline_end - sipi_trampoline_start;

	if (trampoline_page)
		return trampoline_page;
	if (!si || si->version < 1 || !si->memmap_paddr)
		guest_fail("sipi: no PVH memmap to find a trampoline page below 1 MiB in");
	for (uint32_t page = PAGE_BYTES; page < LOW_MEMORY_END; page += PAGE_BYTES) {
		if (page_is_free(si, page)) {
			trampoline_page = page;
			break;
		}
	}
	if (!trampoline_page)
		guest_fail("sipi: no free RAM page between 4 KiB and 640 KiB for the trampoline");
	if (len > SIPI_PAGE_LOCK)
		guest_fail("sipi: the trampoline (%zu bytes) overlaps its lock at 0x%x",
			   len, SIPI_PAGE_LOCK);
	memset((void *)(uintptr_t)trampoline_page, 0, PAGE_BYTES);
	memcpy((void *)(uintptr_t)trampoline_page, sipi_trampoline_start, len);
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	return trampoline_page;
}

uint32_t sipi_page(void)
{
	return trampoline_page;
}

unsigned int sipi_vector(void)
{
	return trampoline_page >> 12;
}

void sipi_set_entry(unsigned int id, smp_ap_fn fn, unsigned long arg, void *stack_top)
{
	if (id >= SMP_MAX_VCPUS)
		guest_fail("sipi: APIC ID %u beyond the %u the trampoline knows", id,
			   SMP_MAX_VCPUS);
	sipi_entry_stack[id] = (uintptr_t)stack_top & ~0xful;
	sipi_entry_arg[id] = arg;
	__atomic_store_n(&sipi_entry_fn[id], (uintptr_t)fn, __ATOMIC_SEQ_CST);
}

void sipi_send_init(uint32_t shorthand, uint32_t dest)
{
	lapic_send_ipi(shorthand | ICR_INIT_LEVEL_ASSERT, dest);
}

void sipi_send_startup(uint32_t shorthand, uint32_t dest)
{
	lapic_send_ipi(shorthand | ICR_STARTUP | ICR_ASSERT | sipi_vector(), dest);
}

bool sipi_wait_arrival(unsigned int id, uint32_t before, uint64_t timeout_ns)
{
	uint64_t end = clock_ns() + timeout_ns;

	while (__atomic_load_n(&sipi_arrivals[id].count, __ATOMIC_SEQ_CST) == before)
		if (clock_ns() > end)
			return false;
	return true;
}

bool sipi_start_ap(unsigned int apic_id, smp_ap_fn fn, unsigned long arg, void *stack_top)
{
	uint32_t before = sipi_arrivals[apic_id].count;

	sipi_setup();
	sipi_set_entry(apic_id, fn, arg, stack_top);
	sipi_send_init(0, apic_id);
	clock_delay_ns(INIT_DELAY_NS);
	lapic_send_ipi(ICR_INIT_LEVEL_DEASSERT, apic_id);
	sipi_send_startup(0, apic_id);
	clock_delay_ns(SIPI_DELAY_NS);
	sipi_send_startup(0, apic_id);          /* ignored: the AP already runs */
	clock_delay_ns(SIPI_DELAY_NS);
	return sipi_wait_arrival(apic_id, before, ARRIVAL_TIMEOUT_NS);
}
