/*
 * Writes the generated seeds of corpus/elf and corpus/boot: small valid PVH
 * kernels, the guests of guests/ packed (sections and padding dropped), and
 * the corner cases the loader must refuse with a clear message.
 *
 *	build/gen-seeds CORPUS_DIR GUESTS_DIR
 *
 * Every seed is built here, so the corpus can be rewritten (make seeds);
 * what the fuzzer found and merge added sits next to them under its hash.
 */
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <gelf.h>

#include <abi/xen/elfnote.h>

#define MAX_PH      40
#define NOTES_MAX   4096
#define ENTRY       0x100040u

struct ph {
	uint32_t type, flags;
	uint64_t offset, paddr, filesz, memsz, align;
	bool fixed_offset;          /* offset as given, no content written */
	const unsigned char *bytes; /* content (NULL: a pattern) */
};

struct spec {
	int cls;                    /* 32 or 64 */
	uint8_t ident_class, data;  /* 0: from cls / little-endian */
	uint16_t machine, type;
	unsigned int nph;
	struct ph ph[MAX_PH];
	unsigned char notes[NOTES_MAX];
	size_t notes_len;
	bool notes_section;         /* notes in an SHT_NOTE section, no PT_NOTE */
	uint64_t section_offset;    /* that section's sh_offset; 0: the notes' */
	uint64_t entry;
};

struct buf {
	unsigned char *p;
	size_t len;
};

static const char *out_dir;

static void die(const char *what)
{
	perror(what);
	exit(1);
}

static void put(struct buf *b, uint64_t off, uint64_t v, unsigned int size)
{
	for (unsigned int i = 0; i < size; i++)
		b->p[off + i] = v >> (8 * i);
}

static uint64_t align_up(uint64_t x, uint64_t a)
{
	return (x + a - 1) / a * a;
}

/* A note: namesz, descsz, type, name and desc padded to 4 (or 8) bytes. */
static void note_add_raw(struct spec *s, const char *name, uint32_t namesz,
			 uint32_t type, const void *desc, uint32_t descsz,
			 uint32_t descsz_field)
{
	unsigned char *p = s->notes + s->notes_len;
	uint32_t hdr[3] = { namesz, descsz_field, type };

	size_t name_len = strlen(name) + 1 < namesz ? strlen(name) + 1 : namesz;

	memcpy(p, hdr, sizeof(hdr));
	memcpy(p + 12, name, name_len);
	p += 12 + align_up(name_len, 4);
	memcpy(p, desc, descsz);
	s->notes_len = p + align_up(descsz, 4) - s->notes;
	if (s->notes_len > NOTES_MAX - 256)
		die("notes");
}

static void note_add(struct spec *s, const char *name, uint32_t type,
		     const void *desc, uint32_t descsz)
{
	note_add_raw(s, name, strlen(name) + 1, type, desc, descsz, descsz);
}

static void note_entry(struct spec *s, uint64_t entry, uint32_t descsz)
{
	note_add(s, XEN_ELFNOTE_NAME, XEN_ELFNOTE_PHYS32_ENTRY, &entry, descsz);
}

static struct ph *ph_add(struct spec *s, uint32_t type, uint64_t paddr,
			 uint64_t filesz, uint64_t memsz)
{
	struct ph *ph = &s->ph[s->nph++];

	if (s->nph > MAX_PH)
		die("phdrs");
	*ph = (struct ph){ .type = type, .flags = PF_R | PF_X, .paddr = paddr,
			   .filesz = filesz, .memsz = memsz, .align = 0x1000 };
	return ph;
}

/* One PT_LOAD of 0x100 bytes (memsz 0x2000) at 1 MiB, a PT_NOTE with the entry. */
static void spec_default(struct spec *s, int cls, uint16_t machine)
{
	memset(s, 0, sizeof(*s));
	s->cls = cls;
	s->machine = machine;
	s->entry = 0xc0000000u + ENTRY;
	ph_add(s, PT_LOAD, 0x100000, 0x100, 0x2000);
	ph_add(s, PT_NOTE, 0, 0, 0)->align = 4;
	note_entry(s, ENTRY, cls == 64 ? 8 : 4);
}

static struct buf build(const struct spec *s)
{
	bool is64 = s->cls == 64;
	size_t ehsz = is64 ? 64 : 52, phsz = is64 ? 56 : 32, shsz = is64 ? 64 : 40;
	uint64_t notes_off = align_up(ehsz + s->nph * phsz, 8), off, shoff = 0;
	struct buf b;
	size_t cap = 1 << 20;

	b.p = calloc(1, cap);
	if (!b.p)
		die("calloc");
	memcpy(b.p + notes_off, s->notes, s->notes_len);
	off = notes_off + s->notes_len;
	for (unsigned int i = 0; i < s->nph; i++) {
		const struct ph *ph = &s->ph[i];
		uint64_t at = ph->offset;

		if (ph->type == PT_NOTE && !ph->fixed_offset)
			at = notes_off;
		else if (ph->type == PT_LOAD && !ph->fixed_offset) {
			at = off = align_up(off, 16);
			if (off + ph->filesz > cap - 4096)
				die("segment too big for a seed");
			for (uint64_t k = 0; k < ph->filesz; k++)
				b.p[off + k] = ph->bytes ? ph->bytes[k] : (uint8_t)(0x90 + k);
			off += ph->filesz;
		}
		uint64_t base = ehsz + i * phsz;
		uint64_t filesz = ph->type == PT_NOTE && !ph->fixed_offset ? s->notes_len
									     : ph->filesz;
		uint64_t memsz = ph->type == PT_NOTE && !ph->fixed_offset ? s->notes_len
									    : ph->memsz;
		put(&b, base, ph->type, 4);
		if (is64) {
			put(&b, base + 4, ph->flags, 4);
			put(&b, base + 8, at, 8);
			put(&b, base + 16, ph->paddr + 0xc0000000u, 8);
			put(&b, base + 24, ph->paddr, 8);
			put(&b, base + 32, filesz, 8);
			put(&b, base + 40, memsz, 8);
			put(&b, base + 48, ph->align, 8);
		} else {
			put(&b, base + 4, at, 4);
			put(&b, base + 8, ph->paddr + 0xc0000000u, 4);
			put(&b, base + 12, ph->paddr, 4);
			put(&b, base + 16, filesz, 4);
			put(&b, base + 20, memsz, 4);
			put(&b, base + 24, ph->flags, 4);
			put(&b, base + 28, ph->align, 4);
		}
	}
	if (s->notes_section) {
		/* [0] SHT_NULL, [1] SHT_NOTE over the notes. */
		shoff = off = align_up(off, 8);
		uint64_t sh = shoff + shsz;
		uint64_t soff = s->section_offset ? s->section_offset : notes_off;

		put(&b, sh + 4, SHT_NOTE, 4);
		put(&b, sh + (is64 ? 24 : 16), soff, is64 ? 8 : 4);
		put(&b, sh + (is64 ? 32 : 20), s->notes_len, is64 ? 8 : 4);
		put(&b, sh + (is64 ? 48 : 32), 4, is64 ? 8 : 4);
		off += 2 * shsz;
	}
	memcpy(b.p, ELFMAG, SELFMAG);
	b.p[EI_CLASS] = s->ident_class ? s->ident_class : is64 ? ELFCLASS64 : ELFCLASS32;
	b.p[EI_DATA] = s->data ? s->data : ELFDATA2LSB;
	b.p[EI_VERSION] = EV_CURRENT;
	put(&b, 16, s->type ? s->type : ET_EXEC, 2);
	put(&b, 18, s->machine, 2);
	put(&b, 20, EV_CURRENT, 4);
	if (is64) {
		put(&b, 24, s->entry, 8);
		put(&b, 32, s->nph ? ehsz : 0, 8);
		put(&b, 40, shoff, 8);
		put(&b, 52, ehsz, 2);
		put(&b, 54, phsz, 2);
		put(&b, 56, s->nph, 2);
		put(&b, 58, shsz, 2);
		put(&b, 60, shoff ? 2 : 0, 2);
	} else {
		put(&b, 24, s->entry, 4);
		put(&b, 28, s->nph ? ehsz : 0, 4);
		put(&b, 32, shoff, 4);
		put(&b, 40, ehsz, 2);
		put(&b, 42, phsz, 2);
		put(&b, 44, s->nph, 2);
		put(&b, 46, shsz, 2);
		put(&b, 48, shoff ? 2 : 0, 2);
	}
	b.len = off;
	return b;
}

static void file_write(const char *dir, const char *name, const void *a,
		       size_t alen, const void *p, size_t len)
{
	char path[4096];
	int fd;

	snprintf(path, sizeof(path), "%s/%s/%s", out_dir, dir, name);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (fd < 0 || write(fd, a, alen) != (ssize_t)alen ||
	    write(fd, p, len) != (ssize_t)len || close(fd) < 0)
		die(path);
}

/* corpus/elf/NAME: the spec's file, cut to len bytes when len is not 0. */
static struct buf seed(const char *name, const struct spec *s, size_t len)
{
	struct buf b = build(s);

	if (len)
		b.len = len;
	file_write("elf", name, NULL, 0, b.p, b.len);
	return b;
}

/* ---- the guests, packed -------------------------------------------------- */

static struct buf guest_packed(const char *dir, const char *guest)
{
	char path[4096];
	struct spec s;
	size_t n;
	GElf_Ehdr eh;
	GElf_Phdr gp;
	int fd;
	Elf *elf;
	const unsigned char *raw;

	snprintf(path, sizeof(path), "%s/%s.elf", dir, guest);
	fd = open(path, O_RDONLY);
	elf_version(EV_CURRENT);
	elf = fd < 0 ? NULL : elf_begin(fd, ELF_C_READ, NULL);
	if (!elf || !gelf_getehdr(elf, &eh) || elf_getphdrnum(elf, &n) < 0)
		die(path);
	raw = (const unsigned char *)elf_rawfile(elf, NULL);
	memset(&s, 0, sizeof(s));
	s.cls = gelf_getclass(elf) == ELFCLASS64 ? 64 : 32;
	s.machine = eh.e_machine;
	s.entry = eh.e_entry;
	for (size_t i = 0; i < n && gelf_getphdr(elf, i, &gp); i++) {
		if (gp.p_type == PT_NOTE) {
			memcpy(s.notes + s.notes_len, raw + gp.p_offset, gp.p_filesz);
			s.notes_len += gp.p_filesz;
			ph_add(&s, PT_NOTE, gp.p_paddr, 0, 0)->align = gp.p_align;
		} else if (gp.p_type == PT_LOAD) {
			struct ph *ph = ph_add(&s, PT_LOAD, gp.p_paddr, gp.p_filesz, gp.p_memsz);

			ph->flags = gp.p_flags;
			ph->bytes = raw + gp.p_offset;
		}
	}
	struct buf b = build(&s);

	elf_end(elf);
	close(fd);
	snprintf(path, sizeof(path), "guest-%s", guest);
	file_write("elf", path, NULL, 0, b.p, b.len);
	return b;
}

/* ---- corpus/elf ---------------------------------------------------------- */

static void seeds_valid(struct buf *min64, struct buf *min32)
{
	static const char features[] = "!writable_page_tables|pae_pgdir_above_4gb";
	static const uint32_t reloc[3] = { 0x200000, 0x1000000, 0x40000000 };
	static const unsigned char build_id[20] = { 1, 2, 3 };
	uint64_t v = 0xffffffff80000000u;
	struct spec s;

	spec_default(&s, 64, EM_X86_64);
	*min64 = seed("valid-64", &s, 0);
	spec_default(&s, 32, EM_386);
	*min32 = seed("valid-32", &s, 0);
	spec_default(&s, 32, EM_X86_64);
	seed("valid-elf32-x86-64", &s, 0);
	spec_default(&s, 64, EM_386);
	seed("valid-elf64-i386", &s, 0);
	spec_default(&s, 64, EM_X86_64);
	s.ph[1].align = 8;	/* the PT_NOTE: ELF_T_NHDR8 */
	seed("valid-note-align8", &s, 0);
	spec_default(&s, 64, EM_X86_64);
	s.notes_section = true;
	seed("valid-notes-in-section", &s, 0);
	/* Linux's notes: strings, values, owners other than Xen, PHYS32_RELOC. */
	spec_default(&s, 64, EM_X86_64);
	note_add(&s, "GNU", 3, build_id, sizeof(build_id));
	note_add(&s, "Linux", 0x100, "6.1.0", 6);
	note_add(&s, XEN_ELFNOTE_NAME, XEN_ELFNOTE_GUEST_OS, "linux", 6);
	note_add(&s, XEN_ELFNOTE_NAME, XEN_ELFNOTE_XEN_VERSION, "xen-3.0", 8);
	note_add(&s, XEN_ELFNOTE_NAME, XEN_ELFNOTE_VIRT_BASE, &v, 8);
	note_add(&s, XEN_ELFNOTE_NAME, XEN_ELFNOTE_FEATURES, features, sizeof(features) - 1);
	note_add(&s, XEN_ELFNOTE_NAME, XEN_ELFNOTE_PHYS32_RELOC, reloc, 12);
	note_add(&s, XEN_ELFNOTE_NAME, XEN_ELFNOTE_SUPPORTED_FEATURES, &v, 4);
	note_add(&s, XEN_ELFNOTE_NAME, 99, reloc, 12);
	note_entry(&s, ENTRY, 8);	/* a second one that agrees */
	seed("valid-linux-notes", &s, 0);
	spec_default(&s, 64, EM_X86_64);
	note_add(&s, XEN_ELFNOTE_NAME, XEN_ELFNOTE_PHYS32_RELOC, reloc, 4);
	seed("valid-reloc-4", &s, 0);
	/* Text, rodata, bss-only and an empty segment. */
	spec_default(&s, 64, EM_X86_64);
	ph_add(&s, PT_LOAD, 0x102000, 0x80, 0x80)->flags = PF_R;
	ph_add(&s, PT_LOAD, 0x103000, 0, 0x10000)->flags = PF_R | PF_W;
	ph_add(&s, PT_LOAD, 0x200000, 0, 0);
	seed("valid-segments", &s, 0);
	spec_default(&s, 64, EM_X86_64);
	for (int i = 0; i < 40; i++)	/* types past the table too */
		if (i != XEN_ELFNOTE_PHYS32_ENTRY)
			note_add(&s, XEN_ELFNOTE_NAME, i, &v, 8);
	note_entry(&s, ENTRY, 8);
	seed("valid-many-notes", &s, 0);
}

static void seeds_header(void)
{
	struct spec s;

	spec_default(&s, 64, EM_X86_64);
	seed("trunc-ident", &s, 8);
	seed("trunc-ehdr64", &s, 40);
	seed("trunc-phdrs", &s, 64 + 30);
	spec_default(&s, 32, EM_386);
	seed("trunc-ehdr32", &s, 30);
	spec_default(&s, 64, EM_X86_64);
	s.ident_class = 3;
	seed("bad-class", &s, 0);
	spec_default(&s, 64, EM_X86_64);
	s.data = ELFDATA2MSB;
	seed("bad-big-endian", &s, 0);
	spec_default(&s, 64, EM_X86_64);
	s.type = ET_DYN;
	seed("bad-type-dyn", &s, 0);
	spec_default(&s, 64, EM_AARCH64);
	seed("bad-machine-aarch64", &s, 0);
	spec_default(&s, 32, EM_ARM);
	seed("bad-machine-arm", &s, 0);

	struct buf b;

	spec_default(&s, 64, EM_X86_64);
	b = build(&s);
	put(&b, 54, 40, 2);		/* e_phentsize */
	file_write("elf", "bad-phentsize", NULL, 0, b.p, b.len);
	put(&b, 54, 56, 2);
	put(&b, 56, PN_XNUM, 2);	/* e_phnum */
	file_write("elf", "phnum-xnum", NULL, 0, b.p, b.len);
	put(&b, 56, 0xfffe, 2);
	file_write("elf", "phnum-huge", NULL, 0, b.p, b.len);
	put(&b, 56, 2, 2);
	put(&b, 32, 0xfffffffffffffff0u, 8);	/* e_phoff */
	file_write("elf", "phoff-wraps", NULL, 0, b.p, b.len);
	put(&b, 32, b.len - 8, 8);
	file_write("elf", "phoff-beyond", NULL, 0, b.p, b.len);
	free(b.p);
}

static void seeds_segments(void)
{
	struct spec s;
	struct ph *ph;

	spec_default(&s, 64, EM_X86_64);
	ph = &s.ph[0];
	ph->fixed_offset = true;
	ph->offset = 0x1000;
	seed("seg-beyond-file", &s, 0);
	ph->offset = 0xfffffffffffffff0u;
	seed("seg-offset-wraps", &s, 0);
	spec_default(&s, 64, EM_X86_64);
	s.ph[0].memsz = 0x80;
	seed("seg-filesz-gt-memsz", &s, 0);
	spec_default(&s, 64, EM_X86_64);
	ph_add(&s, PT_LOAD, 0x101000, 0x10, 0x10);
	seed("seg-overlap", &s, 0);
	spec_default(&s, 64, EM_X86_64);
	s.ph[0].memsz = 1ull << 63;
	seed("seg-huge", &s, 0);
	spec_default(&s, 64, EM_X86_64);
	ph_add(&s, PT_LOAD, 0xfffffffffffff000u, 0, 0x2000);
	seed("seg-wraps", &s, 0);
	spec_default(&s, 64, EM_X86_64);
	ph_add(&s, PT_LOAD, 0xfff00000u, 0x10, 0x200000);
	seed("seg-beyond-ram", &s, 0);
	spec_default(&s, 32, EM_386);
	ph_add(&s, PT_LOAD, 0x6000, 0x10, 0x1000);
	seed("seg-boot-area", &s, 0);
	spec_default(&s, 64, EM_X86_64);
	ph_add(&s, PT_LOAD, 0xe8000, 0x10, 0x1000);
	seed("seg-acpi", &s, 0);
	spec_default(&s, 64, EM_X86_64);
	ph_add(&s, PT_LOAD, 0x9f800, 0x10, 0x10);
	seed("seg-console-page", &s, 0);
	spec_default(&s, 64, EM_X86_64);
	for (int i = 0; i < 32; i++)
		ph_add(&s, PT_LOAD, 0x200000 + i * 0x1000, 0, 0x1000);
	seed("seg-too-many", &s, 0);
	spec_default(&s, 64, EM_X86_64);
	s.ph[0].type = PT_NULL;
	seed("seg-none", &s, 0);
}

static void seeds_notes(void)
{
	uint64_t entry = ENTRY;
	struct spec s;

	spec_default(&s, 64, EM_X86_64);
	s.notes_len = 0;
	note_entry(&s, ENTRY, 2);
	seed("note-descsz-2", &s, 0);
	s.notes_len = 0;
	note_entry(&s, ENTRY, 16);
	seed("note-descsz-16", &s, 0);
	s.notes_len = 0;
	note_entry(&s, 0x100100000u, 8);
	seed("note-entry-above-4g", &s, 0);
	s.notes_len = 0;
	note_entry(&s, ENTRY, 8);
	note_entry(&s, ENTRY + 4, 4);
	seed("note-two-entries-disagree", &s, 0);
	s.notes_len = 0;
	note_add_raw(&s, "Xen", 3, XEN_ELFNOTE_PHYS32_ENTRY, &entry, 8, 8);
	seed("note-name-no-nul", &s, 0);
	s.notes_len = 0;
	note_add(&s, "GNU", XEN_ELFNOTE_PHYS32_ENTRY, &entry, 8);
	seed("note-other-owner", &s, 0);
	s.notes_len = 0;
	note_add_raw(&s, "Xen", 4, XEN_ELFNOTE_PHYS32_ENTRY, &entry, 8, 0x1000);
	seed("note-descsz-overrun", &s, 0);
	s.notes_len = 0;
	note_add_raw(&s, "Xen", 0xfffffff0u, XEN_ELFNOTE_PHYS32_ENTRY, &entry, 8, 8);
	seed("note-namesz-huge", &s, 0);
	s.notes_len = 0;
	note_entry(&s, 0x200000, 4);
	seed("note-entry-outside", &s, 0);
	s.notes_len = 0;
	note_entry(&s, 0, 4);
	seed("note-entry-zero", &s, 0);
	spec_default(&s, 64, EM_X86_64);
	s.ph[1].fixed_offset = true;
	s.ph[1].offset = 0x10000;
	s.ph[1].filesz = s.ph[1].memsz = 0x20;
	seed("note-ptnote-beyond", &s, 0);
	spec_default(&s, 64, EM_X86_64);
	s.nph = 1;
	seed("note-none", &s, 0);
	spec_default(&s, 64, EM_X86_64);
	s.nph = 1;
	s.notes_section = true;
	s.section_offset = 0x100000;
	seed("note-section-beyond", &s, 0);
}

/* ---- corpus/boot: parameters (fuzz_boot.c) then a kernel ----------------- */

struct boot_hdr {
	unsigned char b[256];
	size_t len;
};

static void hdr_put(struct boot_hdr *h, uint64_t v, unsigned int size)
{
	for (unsigned int i = 0; i < size; i++)
		h->b[h->len++] = v >> (8 * i);
}

static struct boot_hdr hdr(unsigned int flags, unsigned int vcpus,
			   unsigned int modules, unsigned int pages)
{
	struct boot_hdr h = { .len = 0 };

	hdr_put(&h, flags, 1);
	hdr_put(&h, vcpus, 1);
	hdr_put(&h, modules, 1);
	hdr_put(&h, pages, 2);
	return h;
}

static void hdr_string(struct boot_hdr *h, const char *s, uint32_t len)
{
	hdr_put(h, len, 3);
	hdr_put(h, strlen(s), 1);
	memcpy(h->b + h->len, s, strlen(s));
	h->len += strlen(s);
}

static void hdr_module(struct boot_hdr *h, unsigned int kind, uint32_t size,
		       const char *cmdline)
{
	hdr_put(h, kind | (cmdline ? 8 : 0), 1);
	hdr_put(h, size, 4);
	if (cmdline)
		hdr_string(h, cmdline, strlen(cmdline));
}

static void boot_seed(const char *name, const struct boot_hdr *h, const struct buf *k)
{
	file_write("boot", name, h->b, h->len, k->p, k->len);
}

#define ACPI 1
#define CONSOLE 2
#define CMDLINE 4
#define UNALIGNED 8

static void seeds_boot(const struct buf *k64, const struct buf *k32,
		       const struct buf *hello)
{
	struct boot_hdr h;

	h = hdr(ACPI | CONSOLE | CMDLINE, 1, 0, 0x1000);
	hdr_string(&h, "console=hvc0 earlyprintk=xen", 28);
	boot_seed("linux-like", &h, k64);
	h = hdr(ACPI | CMDLINE, 4, 2, 0x800);
	hdr_string(&h, "quiet", 5);
	hdr_module(&h, 0, 0x3000, "initrd");
	hdr_module(&h, 1, 0x1234, "from a file");
	boot_seed("modules", &h, hello);
	h = hdr(0, 1, 16, 0x4000);
	for (int i = 0; i < 16; i++)
		hdr_module(&h, i % 2, 0x800 * i, i % 3 ? "m" : NULL);
	boot_seed("modules-16", &h, k32);
	h = hdr(0, 1, 17, 0x4000);
	for (int i = 0; i < 17; i++)
		hdr_module(&h, 0, 0x1000, NULL);
	boot_seed("modules-17", &h, k32);
	h = hdr(ACPI, 0, 0, 0x400);
	boot_seed("vcpus-0", &h, k64);
	h = hdr(ACPI, 255, 0, 0x400);
	boot_seed("vcpus-255", &h, k64);
	h = hdr(ACPI | CONSOLE, 1, 0, 0x200);
	boot_seed("ram-2m", &h, k32);
	h = hdr(ACPI, 1, 0, 0x100);
	boot_seed("ram-1m", &h, k64);
	h = hdr(ACPI | UNALIGNED, 1, 0, 0x400);
	boot_seed("ram-unaligned", &h, k64);
	h = hdr(CMDLINE, 1, 0, 0x400);
	hdr_string(&h, "long", 0x98000);
	boot_seed("cmdline-too-long", &h, k64);
	h = hdr(0, 1, 1, 0x400);
	hdr_module(&h, 0, 0x400000, NULL);
	boot_seed("module-too-big", &h, k64);
	h = hdr(0, 1, 1, 0x200);
	hdr_module(&h, 0, 0xff000, NULL);
	boot_seed("module-on-kernel", &h, hello);
	h = hdr(0, 1, 3, 0x400);
	hdr_module(&h, 2, 0, NULL);
	hdr_module(&h, 3, 0, NULL);
	hdr_module(&h, 4, 0, NULL);
	boot_seed("module-bad-paths", &h, k64);
}

int main(int argc, char **argv)
{
	struct buf k64, k32, hello;

	if (argc != 3) {
		fprintf(stderr, "usage: gen-seeds CORPUS_DIR GUESTS_DIR\n");
		return 2;
	}
	out_dir = argv[1];
	seeds_valid(&k64, &k32);
	hello = guest_packed(argv[2], "hello64");
	free(guest_packed(argv[2], "hello32").p);
	seeds_header();
	seeds_segments();
	seeds_notes();
	seeds_boot(&k64, &k32, &hello);
	free(k64.p);
	free(k32.p);
	free(hello.p);
	return 0;
}
