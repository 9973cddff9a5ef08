/*
 * Fuzz target "boot": PVH boot parameters, then a kernel.  The input is
 *
 *   u8  flags        bit 0 ACPI, bit 1 console page, bit 2 a command line,
 *                    bit 3 RAM size + 1 (not page-aligned)
 *   u8  nr_vcpus     as given (0 and > HVK_MAX_VCPUS must be refused)
 *   u8  nr_modules   & 31 (> PVH_MAX_MODULES must be refused)
 *   u16 ram_pages    RAM = ram_pages % (FUZZ_RAM_MAX / 4 KiB + 1) pages
 *   [u24 len, u8 n, n bytes] the command line if flags bit 2: n bytes
 *                    from the input, then 'a's up to len
 *   per module:
 *     u8  kind       & 7: 0 bytes, 1 a file, 2 a missing file, 3 a
 *                    directory, 4 neither path nor data; bit 3 a command line
 *     u32 size       bytes: capped to FUZZ_RAM_MAX, files to 64 KiB
 *     [u24 len, u8 n, n bytes] its command line if kind bit 3
 *   the rest: the kernel ELF
 *
 * Little-endian; missing bytes read as 0.  Module bytes come from a
 * pattern buffer, ending at its end so ASan sees a read past `size`.
 */
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"

#define FUZZ_STRING_MAX    (1u << 20)
#define FUZZ_FILE_MODULE_MAX (64u << 10)
#define FUZZ_MODULES_MAX   31u

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct reader {
	const uint8_t *p;
	size_t left;
};

static uint32_t read_le(struct reader *r, unsigned int bytes)
{
	uint32_t v = 0;

	for (unsigned int i = 0; i < bytes; i++) {
		if (r->left) {
			v |= (uint32_t)*r->p++ << (8 * i);
			r->left--;
		}
	}
	return v;
}

/* u24 len, u8 n: n bytes of the input (as far as it goes), then 'a's. */
static char *fuzz_string(struct reader *r)
{
	uint32_t len = read_le(r, 3) % (FUZZ_STRING_MAX + 1);
	size_t from_input = read_le(r, 1);

	if (from_input > len)
		from_input = len;
	if (from_input > r->left)
		from_input = r->left;
	char *s = malloc(len + 1);

	FUZZ_CHECK(s, "out of memory");
	memcpy(s, r->p, from_input);
	memset(s + from_input, 'a', len - from_input);
	s[len] = '\0';
	r->p += from_input;
	r->left -= from_input;
	return s;
}

/* FUZZ_RAM_MAX bytes of a pattern, allocated once (ASan knows its end). */
static const unsigned char *pattern_end(void)
{
	static unsigned char *buf;

	if (!buf) {
		buf = malloc(FUZZ_RAM_MAX);
		FUZZ_CHECK(buf, "out of memory");
		for (size_t i = 0; i < FUZZ_RAM_MAX; i++)
			buf[i] = (unsigned char)(i * 7 + (i >> 12));
	}
	return buf + FUZZ_RAM_MAX;
}

struct boot_input {
	struct pvh_config cfg;
	uint64_t ram_size;
	struct pvh_module modules[FUZZ_MODULES_MAX];
	char *strings[FUZZ_MODULES_MAX + 1];
	unsigned int nr_strings;
};

static void module_parse(struct boot_input *in, unsigned int i, struct reader *r)
{
	struct pvh_module *mod = &in->modules[i];
	unsigned int kind = read_le(r, 1);
	uint32_t size = read_le(r, 4);

	switch (kind & 7) {
	case 1:
		size %= FUZZ_FILE_MODULE_MAX + 1;
		mod->path = fuzz_file(1 + i, pattern_end() - size, size);
		break;
	case 2:
		mod->path = "/nonexistent/hvk-fuzz-module";
		break;
	case 3:
		mod->path = "/";
		break;
	case 4:
		break;
	default:
		size %= FUZZ_RAM_MAX + 1;
		mod->data = pattern_end() - size;
		mod->size = size;
	}
	if (kind & 8)
		mod->cmdline = in->strings[in->nr_strings++] = fuzz_string(r);
}

static void boot_parse(struct boot_input *in, struct reader *r)
{
	unsigned int flags = read_le(r, 1);

	memset(in, 0, sizeof(*in));
	in->cfg.acpi = flags & 1;
	in->cfg.console_page = flags & 2;
	in->cfg.nr_vcpus = read_le(r, 1);
	in->cfg.nr_modules = read_le(r, 1) % (FUZZ_MODULES_MAX + 1);
	in->ram_size = (uint64_t)(read_le(r, 2) % (FUZZ_RAM_MAX / PVH_PAGE_SIZE + 1)) *
		       PVH_PAGE_SIZE;
	if (flags & 8 && in->ram_size < FUZZ_RAM_MAX)
		in->ram_size++;
	if (flags & 4)
		in->cfg.cmdline = in->strings[in->nr_strings++] = fuzz_string(r);
	for (unsigned int i = 0; i < in->cfg.nr_modules; i++)
		module_parse(in, i, r);
	in->cfg.modules = in->modules;
}

static void check_modules(const unsigned char *ram, const struct boot_input *in,
			  const struct elf_image *img, const struct pvh_layout *layout)
{
	uint64_t top = in->ram_size;

	FUZZ_CHECK(layout->nr_modules == in->cfg.nr_modules, "%u modules",
		   layout->nr_modules);
	for (unsigned int i = 0; i < layout->nr_modules; i++) {
		const struct pvh_module_placement *m = &layout->modules[i];
		const struct pvh_module *mod = &in->modules[i];

		FUZZ_CHECK(m->paddr % PVH_PAGE_SIZE == 0 && m->paddr >= PVH_HIGH_RAM_START &&
			   m->size <= top - m->paddr, "module %u at 0x%lx + 0x%lx", i,
			   (unsigned long)m->paddr, (unsigned long)m->size);
		FUZZ_CHECK(elf_image_find_overlap(img, m->paddr, m->paddr + m->size) < 0,
			   "module %u on the kernel", i);
		/* Files hold the pattern's last size bytes too. */
		FUZZ_CHECK(!memcmp(ram + m->paddr, pattern_end() - m->size, m->size),
			   "module %u: bytes not in RAM", i);
		FUZZ_CHECK(!mod->cmdline ||
			   !strcmp((const char *)ram + m->cmdline_paddr, mod->cmdline),
			   "module %u command line", i);
		top = m->paddr;
	}
}

static void boot(const struct boot_input *in, const struct elf_image *img)
{
	unsigned char *ram = fuzz_ram();
	struct hvk_err err = { "" };
	struct pvh_layout layout;
	int ret;

	ret = pvh_boot_load(&layout, ram, in->ram_size, img, &in->cfg, &err);
	fuzz_show("boot", ret, &err);
	if (ret < 0) {
		fuzz_check_error(ret, &err, NULL);
		return;
	}
	FUZZ_CHECK(ret == 0, "pvh_boot_load returned %d", ret);
	fuzz_check_loaded(ram, in->ram_size, img, &layout);
	check_modules(ram, in, img, &layout);
	FUZZ_CHECK(!in->cfg.cmdline ||
		   !strcmp((const char *)ram + layout.cmdline_paddr, in->cfg.cmdline),
		   "command line");
	FUZZ_CHECK(!in->cfg.console_page == !layout.console_paddr, "console page");
	FUZZ_CHECK(!in->cfg.acpi == !layout.rsdp_paddr, "ACPI tables");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct reader r = { data, size };
	struct hvk_err err = { "" };
	struct boot_input in;
	struct elf_image img;
	unsigned char *kernel;
	int ret;

	boot_parse(&in, &r);
	kernel = malloc(r.left ? r.left : 1);
	FUZZ_CHECK(kernel, "out of memory");
	memcpy(kernel, r.p, r.left);
	/* The loader alone is target "elf"'s job: here it only feeds boot(). */
	ret = elf_image_open_mem(&img, "kernel.elf", kernel, r.left, &err);
	fuzz_show("open", ret, &err);
	if (ret == 0) {
		boot(&in, &img);
		elf_image_close(&img);
	}
	free(kernel);
	for (unsigned int i = 0; i < in.nr_strings; i++)
		free(in.strings[i]);
	return 0;
}
