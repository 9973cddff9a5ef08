/* PVH boot layout (vmm/pvh.c): start_info, memmap, modules, entry state. */
#include <errno.h>
#include <limits.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "pvh.h"
#include "tests.h"

#define MiB (1ull << 20)
#define RAM_SIZE (4 * MiB)

/* Guest RAM filled with 0xaa, and a default kernel opened. */
struct fixture {
	unsigned char *ram;
	struct elf_image img;
	struct hvk_err err;
	struct pvh_layout layout;
};

static void fixture_open(struct fixture *f, struct tgen_elf *spec, uint64_t ram_size)
{
	char path[PATH_MAX];

	f->ram = malloc(ram_size ? ram_size : 1);
	ck_assert_ptr_nonnull(f->ram);
	memset(f->ram, 0xaa, ram_size);
	tgen_write(tmp_path(path, "pvh.elf"), spec);
	ck_assert_msg(elf_image_open(&f->img, path, &f->err) == 0, "%s", f->err.msg);
}

static void fixture_default(struct fixture *f, uint64_t ram_size)
{
	struct tgen_elf spec;

	tgen_default(&spec, ELFCLASS64, EM_X86_64, 8);
	fixture_open(f, &spec, ram_size);
}

static void fixture_close(struct fixture *f)
{
	elf_image_close(&f->img);
	free(f->ram);
}

static int fixture_load(struct fixture *f, uint64_t ram_size,
			const struct pvh_config *cfg)
{
	return pvh_boot_load(&f->layout, f->ram, ram_size, &f->img, cfg, &f->err);
}

static const struct xen_hvm_start_info *start_info(const struct fixture *f)
{
	return (const void *)(f->ram + XEN_HVM_START_INFO_PADDR);
}

/* ---- start_info and memmap ---------------------------------------------- */

START_TEST(test_start_info_fields)
{
	static const struct pvh_module mod = { .data = "initrd!", .size = 7 };
	struct pvh_config cfg = { .cmdline = "console=hvc0 quiet",
				  .modules = &mod, .nr_modules = 1 };
	struct fixture f;
	const struct xen_hvm_start_info *si;

	fixture_default(&f, RAM_SIZE);
	ck_assert_msg(fixture_load(&f, RAM_SIZE, &cfg) == 0, "%s", f.err.msg);
	si = start_info(&f);
	/* Raw bytes first: "xEn3" with the E's 0x80 bit, little-endian. */
	ck_assert_mem_eq(f.ram + 0x6000, "\x78\xc5\x6e\x33\x01\x00\x00\x00", 8);
	ck_assert_uint_eq(si->magic, XEN_HVM_START_MAGIC);
	ck_assert_uint_eq(si->version, 1);
	ck_assert_uint_eq(si->flags, 0);
	ck_assert_uint_eq(si->nr_modules, 1);
	ck_assert_uint_eq(si->modlist_paddr, 0x7048);
	ck_assert_uint_eq(si->cmdline_paddr, 0x7068);
	ck_assert_str_eq((const char *)f.ram + si->cmdline_paddr, "console=hvc0 quiet");
	ck_assert_uint_eq(si->rsdp_paddr, 0);
	ck_assert_uint_eq(si->memmap_paddr, 0x7000);
	ck_assert_uint_eq(si->memmap_entries, 3);
	ck_assert_uint_eq(si->reserved, 0);
	ck_assert_uint_eq(f.layout.start_info_paddr, 0x6000);
	ck_assert_uint_eq(f.layout.entry, TGEN_ENTRY);
	ck_assert_uint_eq(f.layout.boot_area.start, 0x6000);
	ck_assert_uint_eq(f.layout.boot_area.end, 0x7068 + sizeof("console=hvc0 quiet"));
	fixture_close(&f);
}
END_TEST

/* The ABI's byte offsets (REFERENCE.md table), as hvk writes them. */
START_TEST(test_start_info_offsets)
{
	ck_assert_uint_eq(sizeof(struct xen_hvm_start_info), 56);
	ck_assert_uint_eq(offsetof(struct xen_hvm_start_info, nr_modules), 12);
	ck_assert_uint_eq(offsetof(struct xen_hvm_start_info, modlist_paddr), 16);
	ck_assert_uint_eq(offsetof(struct xen_hvm_start_info, cmdline_paddr), 24);
	ck_assert_uint_eq(offsetof(struct xen_hvm_start_info, rsdp_paddr), 32);
	ck_assert_uint_eq(offsetof(struct xen_hvm_start_info, memmap_paddr), 40);
	ck_assert_uint_eq(offsetof(struct xen_hvm_start_info, memmap_entries), 48);
	ck_assert_uint_eq(sizeof(struct xen_hvm_modlist_entry), 32);
	ck_assert_uint_eq(sizeof(struct xen_hvm_memmap_entry), 24);
}
END_TEST

START_TEST(test_start_info_minimal)
{
	struct pvh_config cfg = { 0 };
	struct fixture f;
	const struct xen_hvm_start_info *si;

	fixture_default(&f, RAM_SIZE);
	ck_assert_msg(fixture_load(&f, RAM_SIZE, &cfg) == 0, "%s", f.err.msg);
	si = start_info(&f);
	ck_assert_uint_eq(si->nr_modules, 0);
	ck_assert_uint_eq(si->modlist_paddr, 0);
	ck_assert_uint_eq(si->cmdline_paddr, 0);
	ck_assert_uint_eq(f.layout.boot_area.end, 0x7048);
	/* The boot area is zeroed, the rest of low memory left alone. */
	ck_assert_uint_eq(f.ram[0x6000 + 56], 0);
	ck_assert_uint_eq(f.ram[0x5fff], 0xaa);
	ck_assert_uint_eq(f.ram[0x7048], 0xaa);
	fixture_close(&f);
}
END_TEST

START_TEST(test_empty_cmdline)
{
	struct pvh_config cfg = { .cmdline = "" };
	struct fixture f;

	fixture_default(&f, RAM_SIZE);
	ck_assert_int_eq(fixture_load(&f, RAM_SIZE, &cfg), 0);
	ck_assert_uint_eq(start_info(&f)->cmdline_paddr, 0x7048);
	ck_assert_uint_eq(f.ram[0x7048], 0);
	fixture_close(&f);
}
END_TEST

/* memmap entry i is [addr, addr + size) of type, its reserved field 0. */
static void memmap_entry_check(const struct xen_hvm_memmap_entry *map, int i,
			       uint64_t addr, uint64_t size, uint32_t type)
{
	ck_assert_uint_eq(map[i].addr, addr);
	ck_assert_uint_eq(map[i].size, size);
	ck_assert_uint_eq(map[i].type, type);
	ck_assert_uint_eq(map[i].reserved, 0);
}

START_TEST(test_memmap_entries)
{
	struct pvh_config cfg = { 0 };
	const struct xen_hvm_memmap_entry *map;
	struct fixture f;

	fixture_default(&f, 64 * MiB);
	ck_assert_int_eq(fixture_load(&f, 64 * MiB, &cfg), 0);
	map = (const void *)(f.ram + 0x7000);
	memmap_entry_check(map, 0, 0, 0xa0000, XEN_HVM_MEMMAP_TYPE_RAM);
	memmap_entry_check(map, 1, 0xa0000, 0x60000, XEN_HVM_MEMMAP_TYPE_RESERVED);
	memmap_entry_check(map, 2, 0x100000, 64 * MiB - 0x100000, XEN_HVM_MEMMAP_TYPE_RAM);
	fixture_close(&f);
}
END_TEST

/* With ACPI tables: the top of the hole becomes ACPI, rsdp_paddr points there. */
START_TEST(test_memmap_acpi)
{
	struct pvh_config cfg = { .acpi = true, .nr_vcpus = 2 };
	const struct xen_hvm_memmap_entry *map;
	const struct xen_hvm_start_info *si;
	struct fixture f;

	fixture_default(&f, 64 * MiB);
	ck_assert_msg(fixture_load(&f, 64 * MiB, &cfg) == 0, "%s", f.err.msg);
	si = start_info(&f);
	map = (const void *)(f.ram + 0x7000);
	ck_assert_uint_eq(si->memmap_entries, 4);
	ck_assert_uint_eq(si->rsdp_paddr, 0xe0000);
	ck_assert_uint_eq(f.layout.rsdp_paddr, 0xe0000);
	ck_assert_mem_eq(f.ram + 0xe0000, "RSD PTR ", 8);
	memmap_entry_check(map, 0, 0, 0xa0000, XEN_HVM_MEMMAP_TYPE_RAM);
	memmap_entry_check(map, 1, 0xa0000, 0x40000, XEN_HVM_MEMMAP_TYPE_RESERVED);
	memmap_entry_check(map, 2, 0xe0000, 0x20000, XEN_HVM_MEMMAP_TYPE_ACPI);
	memmap_entry_check(map, 3, 0x100000, 64 * MiB - 0x100000, XEN_HVM_MEMMAP_TYPE_RAM);
	/* One more entry: the boot area's strings start 24 bytes later. */
	ck_assert_uint_eq(f.layout.boot_area.end, 0x7060);
	fixture_close(&f);
}
END_TEST

/* Without ACPI the memmap and start_info are as before the tables existed. */
START_TEST(test_memmap_no_acpi)
{
	struct pvh_config cfg = { .acpi = false, .nr_vcpus = 2 };
	struct fixture f;

	fixture_default(&f, RAM_SIZE);
	ck_assert_msg(fixture_load(&f, RAM_SIZE, &cfg) == 0, "%s", f.err.msg);
	ck_assert_uint_eq(start_info(&f)->memmap_entries, 3);
	ck_assert_uint_eq(start_info(&f)->rsdp_paddr, 0);
	ck_assert_uint_eq(f.layout.rsdp_paddr, 0);
	ck_assert_uint_eq(f.ram[0xe0000], 0xaa);       /* nothing written there */
	fixture_close(&f);
}
END_TEST

/*
 * --xen's PV console: its ring page at 0x9f000 is zeroed and joins the
 * reserved hole, so low RAM ends below it; the entry count is unchanged.
 */
START_TEST(test_memmap_console_page)
{
	struct pvh_config cfg = { .acpi = true, .nr_vcpus = 1, .console_page = true };
	const struct xen_hvm_memmap_entry *map;
	struct fixture f;

	fixture_default(&f, 64 * MiB);
	ck_assert_msg(fixture_load(&f, 64 * MiB, &cfg) == 0, "%s", f.err.msg);
	map = (const void *)(f.ram + 0x7000);
	ck_assert_uint_eq(f.layout.console_paddr, 0x9f000);
	ck_assert_uint_eq(start_info(&f)->memmap_entries, 4);
	memmap_entry_check(map, 0, 0, 0x9f000, XEN_HVM_MEMMAP_TYPE_RAM);
	memmap_entry_check(map, 1, 0x9f000, 0x41000, XEN_HVM_MEMMAP_TYPE_RESERVED);
	memmap_entry_check(map, 2, 0xe0000, 0x20000, XEN_HVM_MEMMAP_TYPE_ACPI);
	memmap_entry_check(map, 3, 0x100000, 64 * MiB - 0x100000, XEN_HVM_MEMMAP_TYPE_RAM);
	/* The whole page is an empty ring (all indices 0), nothing around it written. */
	for (unsigned int i = 0; i < 0x1000; i++)
		ck_assert_uint_eq(f.ram[0x9f000 + i], 0);
	ck_assert_uint_eq(f.ram[0x9efff], 0xaa);
	ck_assert_uint_eq(f.ram[0xa0000], 0xaa);
	fixture_close(&f);
}
END_TEST

START_TEST(test_memmap_console_page_no_acpi)
{
	struct pvh_config cfg = { .console_page = true };
	const struct xen_hvm_memmap_entry *map;
	struct fixture f;

	fixture_default(&f, RAM_SIZE);
	ck_assert_msg(fixture_load(&f, RAM_SIZE, &cfg) == 0, "%s", f.err.msg);
	map = (const void *)(f.ram + 0x7000);
	ck_assert_uint_eq(start_info(&f)->memmap_entries, 3);
	memmap_entry_check(map, 0, 0, 0x9f000, XEN_HVM_MEMMAP_TYPE_RAM);
	memmap_entry_check(map, 1, 0x9f000, 0x61000, XEN_HVM_MEMMAP_TYPE_RESERVED);
	memmap_entry_check(map, 2, 0x100000, RAM_SIZE - 0x100000, XEN_HVM_MEMMAP_TYPE_RAM);
	fixture_close(&f);
}
END_TEST

/* Without a console, low RAM keeps its last page and nothing is zeroed there. */
START_TEST(test_memmap_no_console_page)
{
	struct pvh_config cfg = { 0 };
	struct fixture f;

	fixture_default(&f, RAM_SIZE);
	ck_assert_msg(fixture_load(&f, RAM_SIZE, &cfg) == 0, "%s", f.err.msg);
	ck_assert_uint_eq(f.layout.console_paddr, 0);
	ck_assert_uint_eq(f.ram[0x9f000], 0xaa);
	fixture_close(&f);
}
END_TEST

START_TEST(test_kernel_overlaps_console_page)
{
	struct pvh_config cfg = { .console_page = true };
	struct tgen_elf spec;
	struct fixture f;

	tgen_default(&spec, ELFCLASS64, EM_X86_64, 8);
	tgen_segment_add(&spec, 0x9e800, 0x10, 0x1000);
	fixture_open(&f, &spec, RAM_SIZE);
	ck_assert_int_eq(fixture_load(&f, RAM_SIZE, &cfg), -ERANGE);
	ck_assert_str_contains(f.err.msg, "pvh.elf: PT_LOAD[1] at 0x9e800 + 0x1000 overlaps "
			       "the PV console page [0x9f000, 0xa0000) that --xen reserves");
	cfg.console_page = false;
	ck_assert_msg(fixture_load(&f, RAM_SIZE, &cfg) == 0, "%s", f.err.msg);
	fixture_close(&f);
}
END_TEST

START_TEST(test_kernel_overlaps_acpi)
{
	struct pvh_config cfg = { .acpi = true, .nr_vcpus = 1 };
	struct tgen_elf spec;
	struct fixture f;

	tgen_default(&spec, ELFCLASS64, EM_X86_64, 8);
	tgen_segment_add(&spec, 0xfe000, 0x10, 0x1000);
	fixture_open(&f, &spec, RAM_SIZE);
	ck_assert_int_eq(fixture_load(&f, RAM_SIZE, &cfg), -ERANGE);
	ck_assert_str_contains(f.err.msg, "pvh.elf: PT_LOAD[1] at 0xfe000 + 0x1000 overlaps "
			       "the ACPI tables [0xe0000, 0x100000) (hvk run --no-acpi");
	cfg.acpi = false;
	ck_assert_msg(fixture_load(&f, RAM_SIZE, &cfg) == 0, "%s", f.err.msg);
	fixture_close(&f);
}
END_TEST

START_TEST(test_kernel_loaded)
{
	struct pvh_config cfg = { 0 };
	struct fixture f;

	fixture_default(&f, RAM_SIZE);
	ck_assert_int_eq(fixture_load(&f, RAM_SIZE, &cfg), 0);
	ck_assert_uint_eq(f.ram[TGEN_PADDR], 0x10);
	ck_assert_uint_eq(f.ram[TGEN_PADDR + 0xfff], (unsigned char)(0x10 + 0xfff));
	ck_assert_uint_eq(f.ram[TGEN_PADDR + 0x1000], 0);
	ck_assert_uint_eq(f.ram[TGEN_PADDR + 0x2fff], 0);
	ck_assert_uint_eq(f.ram[TGEN_PADDR + 0x3000], 0xaa);
	fixture_close(&f);
}
END_TEST

/* ---- modules ------------------------------------------------------------ */

START_TEST(test_modules_placed_and_listed)
{
	static unsigned char initrd[0x1801];
	char path[PATH_MAX];
	struct pvh_module mods[2] = {
		{ .path = "initrd.img", .data = initrd, .size = sizeof(initrd),
		  .cmdline = "rdinit=/init" },
		{ .path = tmp_path(path, "mod1.bin") },
	};
	struct pvh_config cfg = { .cmdline = "ro", .modules = mods, .nr_modules = 2 };
	const struct xen_hvm_modlist_entry *ml;
	struct fixture f;

	memset(initrd, 0x5a, sizeof(initrd));
	file_write(path, "module one contents", 19);
	fixture_default(&f, RAM_SIZE);
	ck_assert_msg(fixture_load(&f, RAM_SIZE, &cfg) == 0, "%s", f.err.msg);
	ml = (const void *)(f.ram + start_info(&f)->modlist_paddr);
	ck_assert_uint_eq(start_info(&f)->nr_modules, 2);
	ck_assert_uint_eq(ml[0].paddr, 0x3fe000);	/* top of RAM, page-aligned */
	ck_assert_uint_eq(ml[0].size, 0x1801);
	ck_assert_uint_eq(ml[1].paddr, 0x3fd000);	/* next one below */
	ck_assert_uint_eq(ml[1].size, 19);
	ck_assert_uint_eq(ml[0].reserved, 0);
	ck_assert_uint_eq(ml[1].cmdline_paddr, 0);
	ck_assert_uint_eq(ml[0].cmdline_paddr, 0x7088 + 3);	/* after "ro" */
	ck_assert_str_eq((const char *)f.ram + ml[0].cmdline_paddr, "rdinit=/init");
	ck_assert_str_eq((const char *)f.ram + 0x7088, "ro");
	ck_assert_mem_eq(f.ram + 0x3fe000, initrd, sizeof(initrd));
	ck_assert_mem_eq(f.ram + 0x3fd000, "module one contents", 19);
	ck_assert_uint_eq(f.layout.modules[0].paddr, 0x3fe000);
	ck_assert_uint_eq(f.layout.boot_area.end, 0x7088 + 3 + 13);
	fixture_close(&f);
}
END_TEST

/* An exact page at the top and a zero-size module. */
START_TEST(test_modules_edge_sizes)
{
	static unsigned char page[0x1000];
	struct pvh_module mods[2] = {
		{ .data = page, .size = sizeof(page) }, { .data = "", .size = 0 },
	};
	struct pvh_config cfg = { .modules = mods, .nr_modules = 2 };
	struct fixture f;

	fixture_default(&f, RAM_SIZE);
	ck_assert_int_eq(fixture_load(&f, RAM_SIZE, &cfg), 0);
	ck_assert_uint_eq(f.layout.modules[0].paddr, RAM_SIZE - 0x1000);
	ck_assert_uint_eq(f.layout.modules[1].paddr, RAM_SIZE - 0x1000);
	ck_assert_uint_eq(f.layout.modules[1].size, 0);
	fixture_close(&f);
}
END_TEST

START_TEST(test_module_overlaps_kernel)
{
	static unsigned char initrd[0x2000];
	struct pvh_module mod = { .path = "initrd.img", .data = initrd, .size = sizeof(initrd) };
	struct pvh_config cfg = { .modules = &mod, .nr_modules = 1 };
	struct tgen_elf spec;
	struct fixture f;

	tgen_default(&spec, ELFCLASS64, EM_X86_64, 8);
	tgen_segment_add(&spec, RAM_SIZE - 0x1000, 0x10, 0x800);
	fixture_open(&f, &spec, RAM_SIZE);
	ck_assert_int_eq(fixture_load(&f, RAM_SIZE, &cfg), -ENOSPC);
	ck_assert_str_contains(f.err.msg, "initrd.img: module 0 at 0x3fe000 + 0x2000 overlaps ");
	ck_assert_str_contains(f.err.msg, "pvh.elf PT_LOAD[1] at 0x3ff000 + 0x800");
	fixture_close(&f);
}
END_TEST

START_TEST(test_module_too_big)
{
	char path[PATH_MAX];
	struct pvh_module mod = { .path = tmp_path(path, "huge.img") };
	struct pvh_config cfg = { .modules = &mod, .nr_modules = 1 };
	struct fixture f;

	file_write(path, "", 0);
	file_truncate(path, RAM_SIZE);	/* sparse */
	fixture_default(&f, RAM_SIZE);
	ck_assert_int_eq(fixture_load(&f, RAM_SIZE, &cfg), -ENOSPC);
	ck_assert_str_contains(f.err.msg, path);
	ck_assert_str_contains(f.err.msg, "module 0 of 0x400000 bytes does not fit in the 3 MiB of guest RAM left above 1 MiB");
	fixture_close(&f);
}
END_TEST

START_TEST(test_module_missing_file)
{
	char path[PATH_MAX];
	struct pvh_module mod = { .path = tmp_path(path, "no-initrd") };
	struct pvh_config cfg = { .modules = &mod, .nr_modules = 1 };
	struct fixture f;

	fixture_default(&f, RAM_SIZE);
	ck_assert_int_eq(fixture_load(&f, RAM_SIZE, &cfg), -ENOENT);
	ck_assert_str_contains(f.err.msg, path);
	ck_assert_str_contains(f.err.msg, "No such file or directory");
	fixture_close(&f);
}
END_TEST

START_TEST(test_modules_too_many)
{
	struct pvh_module mods[PVH_MAX_MODULES + 1] = { { .data = "", .size = 0 } };
	struct pvh_config cfg = { .modules = mods, .nr_modules = PVH_MAX_MODULES + 1 };
	struct fixture f;

	fixture_default(&f, RAM_SIZE);
	ck_assert_int_eq(fixture_load(&f, RAM_SIZE, &cfg), -E2BIG);
	ck_assert_str_contains(f.err.msg, "17 modules given, hvk takes at most 16");
	fixture_close(&f);
}
END_TEST

/* ---- limits ------------------------------------------------------------- */

START_TEST(test_ram_too_small)
{
	struct pvh_config cfg = { 0 };
	struct fixture f;

	fixture_default(&f, MiB);
	ck_assert_int_eq(fixture_load(&f, MiB, &cfg), -EINVAL);
	ck_assert_str_eq(f.err.msg, "guest RAM of 1 MiB is too small for PVH boot (minimum 2 MiB)");
	ck_assert_int_eq(fixture_load(&f, 2 * MiB - 0x1000, &cfg), -EINVAL);
	ck_assert_str_contains(f.err.msg, "2044 KiB is too small");
	fixture_close(&f);
}
END_TEST

START_TEST(test_ram_not_page_multiple)
{
	struct pvh_config cfg = { 0 };
	struct fixture f;

	fixture_default(&f, RAM_SIZE);
	ck_assert_int_eq(fixture_load(&f, RAM_SIZE - 1, &cfg), -EINVAL);
	ck_assert_str_contains(f.err.msg, "4194303 bytes is not a multiple of 4 KiB");
	fixture_close(&f);
}
END_TEST

START_TEST(test_ram_min_ok)
{
	struct pvh_config cfg = { 0 };
	struct fixture f;

	fixture_default(&f, 2 * MiB);
	ck_assert_msg(fixture_load(&f, 2 * MiB, &cfg) == 0, "%s", f.err.msg);
	fixture_close(&f);
}
END_TEST

START_TEST(test_cmdline_too_long)
{
	size_t len = PVH_BOOT_AREA_LIMIT - 0x7048;	/* + NUL: one too many */
	char *cmdline = malloc(len + 1);
	struct pvh_config cfg = { .cmdline = cmdline };
	struct fixture f;

	memset(cmdline, 'x', len);
	cmdline[len] = '\0';
	fixture_default(&f, RAM_SIZE);
	ck_assert_int_eq(fixture_load(&f, RAM_SIZE, &cfg), -E2BIG);
	ck_assert_str_contains(f.err.msg, "boot area up to 0x9f001, beyond its limit 0x9f000");
	cmdline[len - 1] = '\0';	/* exactly fits */
	ck_assert_msg(fixture_load(&f, RAM_SIZE, &cfg) == 0, "%s", f.err.msg);
	ck_assert_uint_eq(f.layout.boot_area.end, PVH_BOOT_AREA_LIMIT);
	fixture_close(&f);
	free(cmdline);
}
END_TEST

START_TEST(test_kernel_overlaps_boot_area)
{
	struct pvh_config cfg = { .cmdline = "console=hvc0" };
	struct tgen_elf spec;
	struct fixture f;

	tgen_default(&spec, ELFCLASS32, EM_386, 4);
	tgen_segment_add(&spec, 0x7050, 0x10, 0x10);
	fixture_open(&f, &spec, RAM_SIZE);
	ck_assert_int_eq(fixture_load(&f, RAM_SIZE, &cfg), -ERANGE);
	ck_assert_str_contains(f.err.msg, "pvh.elf: PT_LOAD[1] at 0x7050 + 0x10 overlaps the boot area [0x6000, 0x7055)");
	fixture_close(&f);
}
END_TEST

START_TEST(test_kernel_exceeds_ram)
{
	struct pvh_config cfg = { 0 };
	struct tgen_elf spec;
	struct fixture f;

	tgen_default(&spec, ELFCLASS32, EM_386, 4);
	tgen_segment_add(&spec, 0xfff00000u, 0, 0x200000)->short_content = true;
	fixture_open(&f, &spec, 64 * MiB);
	ck_assert_int_eq(fixture_load(&f, 64 * MiB, &cfg), -ERANGE);
	ck_assert_str_contains(f.err.msg, "pvh.elf: PT_LOAD[1] at 0xfff00000 + 0x200000 exceeds guest RAM of 64 MiB");
	fixture_close(&f);
}
END_TEST

/* ---- entry state -------------------------------------------------------- */

START_TEST(test_vcpu_context)
{
	struct xen_vcpu_hvm_context ctx;
	const struct xen_vcpu_hvm_x86_32 *r = &ctx.cpu_regs.x86_32;

	memset(&ctx, 0xff, sizeof(ctx));
	pvh_vcpu_context_init(&ctx, 0x1000850, 0x6000);
	ck_assert_uint_eq(sizeof(ctx), 128);
	ck_assert_uint_eq(ctx.mode, XEN_VCPU_HVM_MODE_32B);
	ck_assert_uint_eq(ctx.pad, 0);
	ck_assert_uint_eq(r->eip, 0x1000850);
	ck_assert_uint_eq(r->ebx, 0x6000);
	ck_assert_uint_eq(r->eax | r->ecx | r->edx | r->esp | r->ebp | r->esi | r->edi, 0);
	ck_assert_uint_eq(r->eflags, 0x2);
	ck_assert_uint_eq(r->cr0, 0x11);	/* PE | ET */
	ck_assert_uint_eq(r->cr3, 0);
	ck_assert_uint_eq(r->cr4, 0);
	ck_assert_uint_eq(r->efer, 0);
	ck_assert_uint_eq(r->cs_base | r->ds_base | r->ss_base | r->es_base | r->tr_base, 0);
	ck_assert_uint_eq(r->cs_limit, 0xffffffff);
	ck_assert_uint_eq(r->ds_limit, 0xffffffff);
	ck_assert_uint_eq(r->ss_limit, 0xffffffff);
	ck_assert_uint_eq(r->es_limit, 0xffffffff);
	ck_assert_uint_eq(r->tr_limit, 0x67);
	ck_assert_uint_eq(r->cs_ar, 0xc9b);
	ck_assert_uint_eq(r->ds_ar, 0xc93);
	ck_assert_uint_eq(r->ss_ar, 0xc93);
	ck_assert_uint_eq(r->es_ar, 0xc93);
	ck_assert_uint_eq(r->tr_ar, 0x8b);
	ck_assert_uint_eq(r->pad1 | r->pad2[0] | r->pad2[1] | r->pad2[2], 0);
}
END_TEST

/* The layout feeds the context: EIP = PHYS32 entry, EBX = start_info. */
START_TEST(test_vcpu_context_from_layout)
{
	struct pvh_config cfg = { 0 };
	struct xen_vcpu_hvm_context ctx;
	struct fixture f;

	fixture_default(&f, RAM_SIZE);
	ck_assert_int_eq(fixture_load(&f, RAM_SIZE, &cfg), 0);
	pvh_vcpu_context_init(&ctx, f.layout.entry, f.layout.start_info_paddr);
	ck_assert_uint_eq(ctx.cpu_regs.x86_32.eip, TGEN_ENTRY);
	ck_assert_uint_eq(ctx.cpu_regs.x86_32.ebx, XEN_HVM_START_INFO_PADDR);
	fixture_close(&f);
}
END_TEST

Suite *pvh_suite(void)
{
	Suite *s = suite_create("pvh");
	TCase *info = tcase_create("start_info"), *mods = tcase_create("modules");
	TCase *limits = tcase_create("limits"), *entry = tcase_create("entry");

	tcase_add_test(info, test_start_info_fields);
	tcase_add_test(info, test_start_info_offsets);
	tcase_add_test(info, test_start_info_minimal);
	tcase_add_test(info, test_empty_cmdline);
	tcase_add_test(info, test_memmap_entries);
	tcase_add_test(info, test_memmap_acpi);
	tcase_add_test(info, test_memmap_no_acpi);
	tcase_add_test(info, test_memmap_console_page);
	tcase_add_test(info, test_memmap_console_page_no_acpi);
	tcase_add_test(info, test_memmap_no_console_page);
	tcase_add_test(info, test_kernel_loaded);
	suite_add_tcase(s, info);

	tcase_add_test(mods, test_modules_placed_and_listed);
	tcase_add_test(mods, test_modules_edge_sizes);
	tcase_add_test(mods, test_module_overlaps_kernel);
	tcase_add_test(mods, test_module_too_big);
	tcase_add_test(mods, test_module_missing_file);
	tcase_add_test(mods, test_modules_too_many);
	suite_add_tcase(s, mods);

	tcase_add_test(limits, test_ram_too_small);
	tcase_add_test(limits, test_ram_not_page_multiple);
	tcase_add_test(limits, test_ram_min_ok);
	tcase_add_test(limits, test_cmdline_too_long);
	tcase_add_test(limits, test_kernel_overlaps_boot_area);
	tcase_add_test(limits, test_kernel_overlaps_acpi);
	tcase_add_test(limits, test_kernel_overlaps_console_page);
	tcase_add_test(limits, test_kernel_exceeds_ram);
	suite_add_tcase(s, limits);

	tcase_add_test(entry, test_vcpu_context);
	tcase_add_test(entry, test_vcpu_context_from_layout);
	suite_add_tcase(s, entry);
	return s;
}
