/* SPDX-License-Identifier: MIT */
/*
 * unclaimed-io: port I/O and MMIO where no device answers.  Under
 * `hvk run --unclaimed-io=ignore` (the default with --xen) the kernel
 * answers them as an empty bus does: reads return all ones of the access
 * size (0xff, 0xffff, 0xffffffff), writes vanish, and each access is
 * counted per port / 4 KiB page.  The guest makes a fixed set of accesses
 * (accesses[] below: one byte, word and dword port each way, MMIO reads of
 * 1, 2 and 4 bytes and a write in the page at 0xfed00000, outside RAM and
 * identity-mapped by the 64-bit runtime), checks every read and prints the
 * counts it made in `hvk run --stats`'s own format, between quotes:
 *     unclaimed-io: expect 'unclaimed pio 0xcf8: 1 reads, 1 writes'
 * so a test can find each quoted line in hvk's output.
 *
 * Under --unclaimed-io=exit (hvk's default) the first access, a 4-byte
 * `in` from 0xcf8, ends the run: exit 16 naming the port.
 */
#include <stdint.h>

#include "guest.h"
#include "io.h"

#define NAME "unclaimed-io"

#define MMIO_PAGE       0xfed00000ul    /* where a PC's HPET would be */
#define PAGE_MASK       0xffful

enum space { PIO, MMIO };

struct access {
	enum space space;
	uint64_t addr;          /* port, or guest-physical address */
	unsigned int size;      /* bytes */
	bool write;
	uint32_t value;         /* written */
};

static const struct access accesses[] = {
	{ PIO, 0xcf8, 4, false, 0 },            /* PCI configuration address */
	{ PIO, 0xcf8, 4, true, 0x80000000 },
	{ PIO, 0x61, 1, false, 0 },             /* NMI status and control */
	{ PIO, 0x61, 1, true, 0 },
	{ PIO, 0x1f0, 2, false, 0 },            /* ATA data */
	{ PIO, 0x1f0, 2, true, 0x1234 },
	{ MMIO, MMIO_PAGE + 0x00, 1, false, 0 },
	{ MMIO, MMIO_PAGE + 0x10, 2, false, 0 },
	{ MMIO, MMIO_PAGE + 0xf0, 4, false, 0 },
	{ MMIO, MMIO_PAGE + 0x10, 4, true, 0x6d6d696f },
};

#define NR_ACCESSES (sizeof(accesses) / sizeof(accesses[0]))

/* Plain MOVs and IN/OUT of each size: what the kernel's decoder must cover. */
static uint32_t mmio_read(uintptr_t gpa, unsigned int size)
{
	uint32_t v = 0;

	if (size == 1)
		__asm__ volatile("movb (%1), %b0" : "+q"(v) : "r"(gpa) : "memory");
	else if (size == 2)
		__asm__ volatile("movw (%1), %w0" : "+r"(v) : "r"(gpa) : "memory");
	else
		__asm__ volatile("movl (%1), %0" : "=r"(v) : "r"(gpa) : "memory");
	return v;
}

static void mmio_write32(uintptr_t gpa, uint32_t v)
{
	__asm__ volatile("movl %0, (%1)" : : "r"(v), "r"(gpa) : "memory");
}

static uint32_t pio_read(uint16_t port, unsigned int size)
{
	return size == 1 ? inb(port) : size == 2 ? inw(port) : inl(port);
}

static void pio_write(uint16_t port, unsigned int size, uint32_t v)
{
	if (size == 1)
		outb(port, v);
	else if (size == 2)
		outw(port, v);
	else
		outl(port, v);
}

static void access_do(const struct access *a)
{
	uint32_t all_ones = a->size == 4 ? 0xffffffffu : (1u << (8 * a->size)) - 1;
	const char *space = a->space == PIO ? "pio" : "mmio";
	uint32_t got;

	if (a->write) {
		if (a->space == PIO)
			pio_write(a->addr, a->size, a->value);
		else
			mmio_write32(a->addr, a->value);
		return;
	}
	got = a->space == PIO ? pio_read(a->addr, a->size) : mmio_read(a->addr, a->size);
	expect_eq(got, all_ones, "%u-byte %s read at 0x%lx", a->size, space,
		  (unsigned long)a->addr);
}

/* Where the counts go: a port, or an MMIO access's page. */
static uint64_t count_key(const struct access *a)
{
	return a->space == PIO ? a->addr : a->addr & ~PAGE_MASK;
}

/* One line per port / page, in the order first accessed, as hvk counts them. */
static void print_expected_counts(void)
{
	for (unsigned int i = 0; i < NR_ACCESSES; i++) {
		unsigned int reads = 0, writes = 0, first = i;

		for (unsigned int j = 0; j < NR_ACCESSES; j++) {
			if (accesses[j].space != accesses[i].space ||
			    count_key(&accesses[j]) != count_key(&accesses[i]))
				continue;
			if (j < first)
				first = j;
			reads += !accesses[j].write;
			writes += accesses[j].write;
		}
		if (first != i)
			continue;       /* printed with its first access */
		printf(NAME ": expect 'unclaimed %s 0x%lx: %u reads, %u writes'\n",
		       accesses[i].space == PIO ? "pio" : "mmio",
		       (unsigned long)count_key(&accesses[i]), reads, writes);
	}
	printf(NAME ": expect 'unclaimed I/O: %u'\n", (unsigned int)NR_ACCESSES);
}

int guest_main(void)
{
	check_name = NAME;
	printf(NAME ": %u accesses where no device answers, first a 4-byte in from "
	       "0x%lx\n", (unsigned int)NR_ACCESSES, (unsigned long)accesses[0].addr);
	for (unsigned int i = 0; i < NR_ACCESSES; i++)
		access_do(&accesses[i]);
	print_expected_counts();
	printf(NAME ": all checks passed\n");
	return 0;
}
