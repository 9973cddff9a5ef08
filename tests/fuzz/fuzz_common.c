/* Shared by the fuzz targets (fuzz.h). */
#define _GNU_SOURCE
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "fuzz.h"

#define FUZZ_FILE_SLOTS 32

void fuzz_fail(const char *file, int line, const char *cond, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "fuzz: %s:%d: check failed: %s: ", file, line, cond);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	abort();
}

void fuzz_check_error(int ret, const struct hvk_err *err, const char *name)
{
	FUZZ_CHECK(ret < 0, "ret %d", ret);
	FUZZ_CHECK(err->msg[0] != '\0', "error %d with no message", ret);
	for (const char *p = err->msg; *p; p++)
		FUZZ_CHECK(*p >= 0x20 && *p < 0x7f, "unprintable byte 0x%02x in '%s'",
			   (unsigned char)*p, err->msg);
	FUZZ_CHECK(!strstr(err->msg, "(null)"), "'%s'", err->msg);
	FUZZ_CHECK(!strstr(err->msg, "(no error)"), "'%s'", err->msg);
	if (name)
		FUZZ_CHECK(strstr(err->msg, name), "'%s' does not name %s", err->msg, name);
}

void fuzz_show(const char *what, int ret, const struct hvk_err *err)
{
	static int show = -1;

	if (show < 0)
		show = getenv("HVK_FUZZ_SHOW") != NULL;
	if (show)
		fprintf(stderr, "fuzz: %s: %s\n", what, ret < 0 ? err->msg : "accepted");
}

unsigned char *fuzz_ram(void)
{
	static unsigned char *ram;

	if (!ram) {
		ram = mmap(NULL, FUZZ_RAM_MAX, PROT_READ | PROT_WRITE,
			   MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
		FUZZ_CHECK(ram != MAP_FAILED, "mmap of guest RAM: %m");
	}
	return ram;
}

const char *fuzz_file(unsigned int slot, const void *data, size_t size)
{
	static int fds[FUZZ_FILE_SLOTS];
	static char paths[FUZZ_FILE_SLOTS][32];

	FUZZ_CHECK(slot < FUZZ_FILE_SLOTS, "slot %u", slot);
	if (!fds[slot]) {
		fds[slot] = memfd_create("hvk-fuzz", MFD_CLOEXEC);
		FUZZ_CHECK(fds[slot] >= 0, "memfd_create: %m");
		snprintf(paths[slot], sizeof(paths[slot]), "/proc/self/fd/%d", fds[slot]);
	}
	FUZZ_CHECK(ftruncate(fds[slot], 0) == 0, "ftruncate: %m");
	FUZZ_CHECK(pwrite(fds[slot], data, size, 0) == (ssize_t)size, "pwrite: %m");
	return paths[slot];
}

static bool overlaps(uint64_t a, uint64_t a_end, uint64_t b, uint64_t b_end)
{
	return a < a_end && b < b_end && a < b_end && b < a_end;
}

static void fuzz_check_segments(const unsigned char *ram, uint64_t ram_size,
				const struct elf_image *img,
				const struct pvh_layout *layout)
{
	for (unsigned int i = 0; i < img->nr_segments; i++) {
		const struct elf_segment *s = &img->segments[i];
		uint64_t end = s->paddr + s->memsz;

		FUZZ_CHECK(s->filesz <= s->memsz && end >= s->paddr, "PT_LOAD[%u]", i);
		if (s->memsz == 0)
			continue;
		FUZZ_CHECK(end <= ram_size, "PT_LOAD[%u] ends at 0x%lx, RAM 0x%lx", i,
			   (unsigned long)end, (unsigned long)ram_size);
		FUZZ_CHECK(!overlaps(s->paddr, end, layout->boot_area.start,
				     layout->boot_area.end), "PT_LOAD[%u] on the boot area", i);
		FUZZ_CHECK(!layout->rsdp_paddr ||
			   !overlaps(s->paddr, end, PVH_ACPI_START, PVH_HIGH_RAM_START),
			   "PT_LOAD[%u] on the ACPI tables", i);
		FUZZ_CHECK(!layout->console_paddr ||
			   !overlaps(s->paddr, end, layout->console_paddr,
				     layout->console_paddr + PVH_PAGE_SIZE),
			   "PT_LOAD[%u] on the console page", i);
		FUZZ_CHECK(!memcmp(ram + s->paddr, img->raw + s->offset, s->filesz),
			   "PT_LOAD[%u]: file bytes not in RAM", i);
		for (uint64_t k = s->filesz; k < s->memsz; k++)
			FUZZ_CHECK(ram[s->paddr + k] == 0, "PT_LOAD[%u] byte 0x%lx not zeroed",
				   i, (unsigned long)k);
	}
}

/* Contiguous from 0 to ram_size, in address order, no empty entry. */
static void fuzz_check_memmap(const unsigned char *ram, uint64_t ram_size,
			      const struct xen_hvm_start_info *si)
{
	struct xen_hvm_memmap_entry e;
	uint64_t next = 0;

	FUZZ_CHECK(si->memmap_entries >= 3 && si->memmap_entries <= PVH_MEMMAP_MAX_ENTRIES,
		   "%u memmap entries", si->memmap_entries);
	for (unsigned int i = 0; i < si->memmap_entries; i++) {
		memcpy(&e, ram + si->memmap_paddr + i * sizeof(e), sizeof(e));
		FUZZ_CHECK(e.addr == next && e.size > 0, "memmap[%u] 0x%lx + 0x%lx", i,
			   (unsigned long)e.addr, (unsigned long)e.size);
		next = e.addr + e.size;
	}
	FUZZ_CHECK(next == ram_size && e.type == XEN_HVM_MEMMAP_TYPE_RAM,
		   "memmap ends at 0x%lx, RAM 0x%lx", (unsigned long)next,
		   (unsigned long)ram_size);
}

void fuzz_check_loaded(const unsigned char *ram, uint64_t ram_size,
		       const struct elf_image *img, const struct pvh_layout *layout)
{
	struct xen_hvm_start_info si;

	FUZZ_CHECK(layout->entry == img->phys32_entry, "entry 0x%x", layout->entry);
	FUZZ_CHECK(layout->boot_area.start == PVH_BOOT_AREA_START &&
		   layout->boot_area.end <= PVH_BOOT_AREA_LIMIT, "boot area ends at 0x%lx",
		   (unsigned long)layout->boot_area.end);
	fuzz_check_segments(ram, ram_size, img, layout);
	memcpy(&si, ram + layout->start_info_paddr, sizeof(si));
	FUZZ_CHECK(si.magic == XEN_HVM_START_MAGIC && si.version == XEN_HVM_START_VERSION,
		   "start_info magic 0x%x version %u", si.magic, si.version);
	FUZZ_CHECK(si.nr_modules == layout->nr_modules &&
		   si.modlist_paddr == layout->modlist_paddr &&
		   si.cmdline_paddr == layout->cmdline_paddr &&
		   si.rsdp_paddr == layout->rsdp_paddr &&
		   si.memmap_paddr == layout->memmap_paddr, "start_info != layout");
	fuzz_check_memmap(ram, ram_size, &si);
	if (si.rsdp_paddr)
		FUZZ_CHECK(!memcmp(ram + si.rsdp_paddr, "RSD PTR ", 8), "no RSDP");
	for (unsigned int k = 0; layout->console_paddr && k < PVH_PAGE_SIZE; k++)
		FUZZ_CHECK(ram[layout->console_paddr + k] == 0, "console page not zeroed");
}
