/* The guest kernel loader (vmm/elf.c) on generated and malformed ELF files. */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <abi/xen/elfnote.h>

#include "elf.h"
#include "tests.h"

#define MiB (1ull << 20)

/* Writes spec to tmp/name and opens it; the open must succeed. */
static void spec_open(struct tgen_elf *spec, const char *name, struct elf_image *img)
{
	char path[PATH_MAX];
	struct hvk_err err = { "" };

	tgen_write(tmp_path(path, name), spec);
	ck_assert_msg(elf_image_open(img, path, &err) == 0, "open %s: %s", name, err.msg);
}

/* Opening path must fail with a message that names the file and says `what`. */
static void open_fails(const char *path, const char *what)
{
	struct hvk_err err = { "" };
	struct elf_image img;

	ck_assert_int_lt(elf_image_open(&img, path, &err), 0);
	if (getenv("HVK_UNIT_SHOW_ERRORS"))
		fprintf(stderr, "%s\n", err.msg);
	ck_assert_str_contains(err.msg, path);
	ck_assert_str_contains(err.msg, what);
	/* Left closed: nothing to leak, close is harmless. */
	ck_assert_ptr_null(img.elf);
	ck_assert_ptr_null(img.path);
	ck_assert_int_eq(img.fd, -1);
	elf_image_close(&img);
}

static void spec_open_fails(struct tgen_elf *spec, const char *name, const char *what)
{
	char path[PATH_MAX];

	tgen_write(tmp_path(path, name), spec);
	open_fails(path, what);
}

/* ---- classes, machines, notes ------------------------------------------- */

static void check_default_image(const struct elf_image *img, int elf_class,
				uint16_t machine)
{
	ck_assert_int_eq(img->elf_class, elf_class);
	ck_assert_uint_eq(img->machine, machine);
	ck_assert_uint_eq(img->phys32_entry, TGEN_ENTRY);
	ck_assert_uint_eq(img->e_entry, 0xc0000000u + TGEN_ENTRY);
	ck_assert_uint_eq(img->nr_segments, 1);
	ck_assert_uint_eq(img->segments[0].phdr_index, 0);
	ck_assert_uint_eq(img->segments[0].paddr, TGEN_PADDR);
	ck_assert_uint_eq(img->segments[0].vaddr, 0xc0000000u + TGEN_PADDR);
	ck_assert_uint_eq(img->segments[0].filesz, 0x1000);
	ck_assert_uint_eq(img->segments[0].memsz, 0x3000);
	ck_assert_uint_eq(img->segments[0].flags, PF_R | PF_X);
	ck_assert_uint_eq(img->nr_notes, 1);
	ck_assert_uint_eq(img->notes[0].type, XEN_ELFNOTE_PHYS32_ENTRY);
	ck_assert(img->notes[0].has_value);
	ck_assert_uint_eq(img->notes[0].value, TGEN_ENTRY);
	ck_assert(!img->has_reloc);
}

static void default_open(int elf_class, uint16_t machine, uint32_t descsz,
			 int want_class)
{
	char path[PATH_MAX];
	struct hvk_err err = { "" };
	struct elf_image img;

	tgen_default_file(path, "k.elf", elf_class, machine, descsz);
	ck_assert_msg(elf_image_open(&img, path, &err) == 0, "%s", err.msg);
	check_default_image(&img, want_class, machine);
	ck_assert_uint_eq(img.notes[0].descsz, descsz);
	ck_assert_str_eq(img.path, path);
	elf_image_close(&img);
	elf_image_close(&img);	/* twice is harmless */
}

START_TEST(test_elf64_x86_64_note8) { default_open(ELFCLASS64, EM_X86_64, 8, 64); }
END_TEST
START_TEST(test_elf64_x86_64_note4) { default_open(ELFCLASS64, EM_X86_64, 4, 64); }
END_TEST
START_TEST(test_elf32_i386_note4)   { default_open(ELFCLASS32, EM_386, 4, 32); }
END_TEST
START_TEST(test_elf32_i386_note8)   { default_open(ELFCLASS32, EM_386, 8, 32); }
END_TEST
/* ELF32 with e_machine x86-64 exists in the wild (e.g. some test kernels). */
START_TEST(test_elf32_x86_64)       { default_open(ELFCLASS32, EM_X86_64, 8, 32); }
END_TEST
START_TEST(test_elf64_i386)         { default_open(ELFCLASS64, EM_386, 4, 64); }
END_TEST

START_TEST(test_note_in_section_only)
{
	struct tgen_elf spec;
	struct elf_image img;

	tgen_default(&spec, ELFCLASS64, EM_X86_64, 8);
	spec.notes_in_section_only = true;
	spec_open(&spec, "scn.elf", &img);
	ck_assert_uint_eq(img.phys32_entry, TGEN_ENTRY);
	elf_image_close(&img);
}
END_TEST

START_TEST(test_note_missing)
{
	char path[PATH_MAX];
	struct hvk_err err = { "" };
	struct elf_image img;
	struct tgen_elf spec;

	tgen_default(&spec, ELFCLASS64, EM_X86_64, 8);
	spec.nr_notes = 0;
	tgen_write(tmp_path(path, "nonote.elf"), &spec);
	ck_assert_int_eq(elf_image_open(&img, path, &err), -ENOEXEC);
	ck_assert_str_contains(err.msg, path);
	ck_assert_str_contains(err.msg, ": not a PVH kernel (no Xen PHYS32_ENTRY note)");
}
END_TEST

/*
 * A Xen note whose n_descsz runs past its PT_NOTE: libelf stops there, and
 * "no Xen PHYS32_ENTRY note" alone did not say that the note was broken.
 */
START_TEST(test_note_runs_past_end)
{
	char path[PATH_MAX];
	uint32_t descsz = 0x1000;

	/* ehdr, PT_LOAD and PT_NOTE headers, then the notes (tgen.c) */
	tgen_default_file(path, "overrun.elf", ELFCLASS64, EM_X86_64, 8);
	file_patch(path, 64 + 2 * 56 + 4, &descsz, 4);	/* n_descsz */
	open_fails(path, "not a PVH kernel (no Xen PHYS32_ENTRY note; the note at "
		   "offset 0x0 of PT_NOTE[0] runs past its end)");
}
END_TEST

/* Type 18 under another owner's name is not the Xen note. */
START_TEST(test_note_wrong_name_ignored)
{
	static const uint32_t entry = TGEN_ENTRY;
	struct tgen_elf spec;

	tgen_default(&spec, ELFCLASS64, EM_X86_64, 4);
	spec.nr_notes = 0;
	tgen_note_add(&spec, "GNU", XEN_ELFNOTE_PHYS32_ENTRY, &entry, 4);
	tgen_note_add(&spec, "Xe", XEN_ELFNOTE_PHYS32_ENTRY, &entry, 4);
	tgen_note_add(&spec, "XenX", XEN_ELFNOTE_PHYS32_ENTRY, &entry, 4);
	tgen_note_add(&spec, NULL, XEN_ELFNOTE_ENTRY, &entry, 4);
	spec_open_fails(&spec, "wrongname.elf", "not a PVH kernel");
}
END_TEST

START_TEST(test_note_bad_descsz)
{
	static const uint32_t entry[3] = { TGEN_ENTRY };
	struct tgen_elf spec;

	tgen_default(&spec, ELFCLASS64, EM_X86_64, 4);
	spec.notes[0].desc = entry;
	spec.notes[0].descsz = 2;
	spec_open_fails(&spec, "desc2.elf", "PHYS32_ENTRY note has descsz 2, expected 4 or 8");
	spec.notes[0].descsz = 12;
	spec_open_fails(&spec, "desc12.elf", "descsz 12");
}
END_TEST

START_TEST(test_note_entry_above_4g)
{
	static const uint64_t entry = 0x100100040ull;
	struct tgen_elf spec;

	tgen_default(&spec, ELFCLASS64, EM_X86_64, 8);
	spec.notes[0].desc = &entry;
	spec_open_fails(&spec, "entry4g.elf", "PHYS32_ENTRY 0x100100040 does not fit in 32 bits");
}
END_TEST

START_TEST(test_note_entries_disagree)
{
	static const uint32_t other = TGEN_ENTRY + 4;
	struct tgen_elf spec;

	tgen_default(&spec, ELFCLASS64, EM_X86_64, 8);
	tgen_note_add(&spec, NULL, XEN_ELFNOTE_PHYS32_ENTRY, &other, 4);
	spec_open_fails(&spec, "twoentries.elf", "two Xen PHYS32_ENTRY notes disagree");
}
END_TEST

START_TEST(test_note_entry_outside_segments)
{
	static const uint32_t entry = 0x200000;
	struct tgen_elf spec;

	tgen_default(&spec, ELFCLASS32, EM_386, 4);
	spec.notes[0].desc = &entry;
	spec_open_fails(&spec, "entryout.elf",
			"PHYS32_ENTRY 0x200000 is not inside any PT_LOAD segment");
}
END_TEST

/* All Xen notes are kept for `hvk elf`, with values, strings and RELOC. */
START_TEST(test_notes_listed)
{
	static const uint32_t reloc[3] = { 0x1000, 0x100000, 0x40000000 };
	static const uint64_t virt = 0xffffffff80000000ull;
	static const unsigned char blob[16] = { 1, 2, 3 };
	struct tgen_elf spec;
	struct elf_image img;

	tgen_default(&spec, ELFCLASS64, EM_X86_64, 8);
	tgen_note_add(&spec, NULL, XEN_ELFNOTE_GUEST_OS, "linux", 6);
	tgen_note_add(&spec, "GNU", 3, blob, 16);
	tgen_note_add(&spec, NULL, XEN_ELFNOTE_VIRT_BASE, &virt, 8);
	tgen_note_add(&spec, NULL, XEN_ELFNOTE_PHYS32_RELOC, reloc, 12);
	tgen_note_add(&spec, NULL, XEN_ELFNOTE_FEATURES, "!a|b", 4); /* no NUL */
	tgen_note_add(&spec, NULL, XEN_ELFNOTE_L1_MFN_VALID, blob, 16);
	spec_open(&spec, "notes.elf", &img);
	ck_assert_uint_eq(img.nr_notes, 6);
	ck_assert_uint_eq(img.nr_notes_seen, 6);
	ck_assert_uint_eq(img.notes[1].type, XEN_ELFNOTE_GUEST_OS);
	ck_assert_str_eq(img.notes[1].str, "linux");
	ck_assert_uint_eq(img.notes[2].type, XEN_ELFNOTE_VIRT_BASE);
	ck_assert_uint_eq(img.notes[2].value, virt);
	ck_assert_str_eq(img.notes[2].str, "");
	ck_assert_uint_eq(img.notes[3].descsz, 12);
	ck_assert(!img.notes[3].has_value);
	ck_assert_str_eq(img.notes[4].str, "!a|b");
	ck_assert_uint_eq(img.notes[5].descsz, 16);
	ck_assert(img.has_reloc);
	ck_assert_uint_eq(img.reloc_align, 0x1000);
	ck_assert_uint_eq(img.reloc_min, 0x100000);
	ck_assert_uint_eq(img.reloc_max, 0x40000000);
	elf_image_close(&img);
}
END_TEST

START_TEST(test_note_reloc_default_align)
{
	struct tgen_elf spec;
	struct elf_image img;

	tgen_default(&spec, ELFCLASS64, EM_X86_64, 8);
	tgen_note_add(&spec, NULL, XEN_ELFNOTE_PHYS32_RELOC, NULL, 0);
	spec_open(&spec, "reloc0.elf", &img);
	ck_assert(img.has_reloc);
	ck_assert_uint_eq(img.reloc_align, XEN_ELFNOTE_PHYS32_RELOC_ALIGN_DEFAULT);
	ck_assert_uint_eq(img.reloc_min, 0);
	ck_assert_uint_eq(img.reloc_max, 0);
	elf_image_close(&img);
}
END_TEST

START_TEST(test_note_names)
{
	ck_assert_str_eq(elf_xen_note_name(XEN_ELFNOTE_INFO), "INFO");
	ck_assert_str_eq(elf_xen_note_name(XEN_ELFNOTE_PHYS32_ENTRY), "PHYS32_ENTRY");
	ck_assert_str_eq(elf_xen_note_name(XEN_ELFNOTE_PHYS32_RELOC), "PHYS32_RELOC");
	ck_assert_str_eq(elf_xen_note_name(20), "unknown");
	ck_assert_str_eq(elf_machine_name(EM_X86_64), "x86-64");
	ck_assert_str_eq(elf_machine_name(EM_386), "i386");
	ck_assert_str_eq(elf_machine_name(EM_ARM), "unknown");
}
END_TEST

/* ---- segment validation ------------------------------------------------- */

START_TEST(test_segment_filesz_gt_memsz)
{
	struct tgen_elf spec;

	tgen_default(&spec, ELFCLASS64, EM_X86_64, 8);
	spec.segments[0].memsz = 0x800;
	spec_open_fails(&spec, "filesz.elf", "PT_LOAD[0] p_filesz 0x1000 > p_memsz 0x800");
}
END_TEST

START_TEST(test_segment_beyond_file)
{
	struct tgen_elf spec;

	tgen_default(&spec, ELFCLASS64, EM_X86_64, 8);
	tgen_segment_add(&spec, 0x400000, 0x100, 0x100)->short_content = true;
	spec_open_fails(&spec, "beyond.elf", "PT_LOAD[1] p_offset 0x");
	spec_open_fails(&spec, "beyond.elf", "+ p_filesz 0x100 is beyond the end of the file");
}
END_TEST

/* offset + filesz wraps 64 bits: must not pass as "small". */
START_TEST(test_segment_offset_overflow)
{
	struct tgen_elf spec;
	struct tgen_segment *seg;

	tgen_default(&spec, ELFCLASS64, EM_X86_64, 8);
	seg = tgen_segment_add(&spec, 0x400000, 0x200, 0x200);
	seg->offset_set = true;
	seg->offset = 0xffffffffffffff00ull;
	seg->short_content = true;
	spec_open_fails(&spec, "offovf.elf",
			"PT_LOAD[1] p_offset 0xffffffffffffff00 + p_filesz 0x200 is beyond the end");
}
END_TEST

START_TEST(test_segment_huge_filesz)
{
	struct tgen_elf spec;
	struct tgen_segment *seg;

	tgen_default(&spec, ELFCLASS64, EM_X86_64, 8);
	seg = tgen_segment_add(&spec, 0x400000, UINT64_MAX, UINT64_MAX);
	seg->short_content = true;
	spec_open_fails(&spec, "hugefile.elf", "PT_LOAD[1]");
	spec_open_fails(&spec, "hugefile.elf", "beyond the end of the file");
}
END_TEST

START_TEST(test_segment_paddr_wraps)
{
	struct tgen_elf spec;
	struct tgen_segment *seg;

	tgen_default(&spec, ELFCLASS64, EM_X86_64, 8);
	seg = tgen_segment_add(&spec, 0xffffffffffff0000ull, 0, 0x20000);
	seg->short_content = true;
	spec_open_fails(&spec, "wrap.elf",
			"PT_LOAD[1] at 0xffffffffffff0000 + 0x20000 wraps around");
}
END_TEST

START_TEST(test_segments_overlap)
{
	struct tgen_elf spec;

	tgen_default(&spec, ELFCLASS32, EM_386, 4);
	tgen_segment_add(&spec, 0x400000, 0x100, 0x1000);
	tgen_segment_add(&spec, TGEN_PADDR + 0x2fff, 0x10, 0x10);
	spec_open_fails(&spec, "overlap.elf",
			"PT_LOAD[2] at 0x102fff + 0x10 overlaps PT_LOAD[0] at 0x100000 + 0x3000");
}
END_TEST

/* Touching segments and empty ones do not overlap. */
START_TEST(test_segments_adjacent_ok)
{
	struct tgen_elf spec;
	struct elf_image img;

	tgen_default(&spec, ELFCLASS32, EM_386, 4);
	tgen_segment_add(&spec, TGEN_PADDR + 0x3000, 0x10, 0x1000);
	tgen_segment_add(&spec, TGEN_PADDR + 0x100, 0, 0)->short_content = true;
	spec_open(&spec, "adjacent.elf", &img);
	ck_assert_uint_eq(img.nr_segments, 3);
	ck_assert_uint_eq(img.segments[1].phdr_index, 1);
	ck_assert_int_eq(elf_image_find_overlap(&img, 0x103000, 0x103001), 1);
	ck_assert_int_eq(elf_image_find_overlap(&img, 0x0, 0x100000), -1);
	ck_assert_int_eq(elf_image_find_overlap(&img, 0x0, 0x100001), 0);
	ck_assert_int_eq(elf_image_find_overlap(&img, 0x104000, 0x105000), -1);
	ck_assert_int_eq(elf_image_find_overlap(&img, 0x102000, 0x102000), -1);
	elf_image_close(&img);
}
END_TEST

START_TEST(test_segments_none)
{
	struct tgen_elf spec;

	tgen_default(&spec, ELFCLASS64, EM_X86_64, 8);
	spec.nr_segments = 0;
	spec_open_fails(&spec, "noload.elf", "no PT_LOAD segments");
}
END_TEST

START_TEST(test_segments_too_many)
{
	struct tgen_elf spec;

	tgen_default(&spec, ELFCLASS64, EM_X86_64, 8);
	for (unsigned int i = 1; i <= ELF_IMAGE_MAX_SEGMENTS; i++)
		tgen_segment_add(&spec, 0x400000 + i * 0x1000, 0x10, 0x10);
	spec_open_fails(&spec, "many.elf", "more than 32 PT_LOAD segments");
}
END_TEST

START_TEST(test_note_segment_beyond_file)
{
	struct tgen_elf spec;

	tgen_default(&spec, ELFCLASS64, EM_X86_64, 8);
	spec.note_offset_set = true;
	spec.note_offset = 0x7fffff00;
	spec_open_fails(&spec, "notebeyond.elf", "PT_NOTE[0] p_offset 0x7fffff00");
}
END_TEST

/* ---- headers and files -------------------------------------------------- */

START_TEST(test_bad_machine)
{
	char path[PATH_MAX];

	tgen_default_file(path, "arm.elf", ELFCLASS32, EM_ARM, 4);
	open_fails(path, "e_machine 40 is neither EM_386 (3) nor EM_X86_64 (62)");
}
END_TEST

START_TEST(test_not_exec)
{
	struct tgen_elf spec;

	tgen_default(&spec, ELFCLASS64, EM_X86_64, 8);
	spec.type = ET_DYN;
	spec_open_fails(&spec, "dyn.elf", "e_type 3 is not ET_EXEC (2)");
	spec.type = ET_REL;
	spec_open_fails(&spec, "rel.elf", "e_type 1 is not ET_EXEC");
}
END_TEST

START_TEST(test_big_endian)
{
	struct tgen_elf spec;

	tgen_default(&spec, ELFCLASS32, EM_386, 4);
	spec.data = ELFDATA2MSB;
	spec_open_fails(&spec, "be.elf", "EI_DATA 2 is not little-endian");
}
END_TEST

START_TEST(test_bad_class)
{
	char path[PATH_MAX];
	unsigned char bad = 3;

	tgen_default_file(path, "class.elf", ELFCLASS64, EM_X86_64, 8);
	file_patch(path, EI_CLASS, &bad, 1);
	/* libelf says ELF_K_NONE, "not an ELF file": elf_refused() says why. */
	open_fails(path, "EI_CLASS 3 is neither ELF32 nor ELF64");
}
END_TEST

START_TEST(test_bad_ident_version)
{
	char path[PATH_MAX];
	unsigned char bad = 6;

	tgen_default_file(path, "version.elf", ELFCLASS64, EM_X86_64, 8);
	file_patch(path, EI_VERSION, &bad, 1);
	open_fails(path, "EI_VERSION 6 is not EV_CURRENT (1)");
}
END_TEST

START_TEST(test_not_elf)
{
	char path[PATH_MAX];

	file_write(tmp_path(path, "text"), "#!/bin/sh\necho hello\n", 21);
	open_fails(path, "not an ELF file");
}
END_TEST

START_TEST(test_empty_file)
{
	char path[PATH_MAX];

	file_write(tmp_path(path, "empty"), "", 0);
	open_fails(path, "empty file");
}
END_TEST

START_TEST(test_missing_file)
{
	char path[PATH_MAX];

	open_fails(tmp_path(path, "does-not-exist"), "No such file or directory");
}
END_TEST

START_TEST(test_directory)
{
	char path[PATH_MAX];

	ck_assert_int_eq(mkdir(tmp_path(path, "dir.elf"), 0755), 0);
	open_fails(path, "not a regular file");
	rmdir(path);
}
END_TEST

START_TEST(test_truncated_ehdr)
{
	char path[PATH_MAX];
	struct elf_image img;
	struct hvk_err err;

	char want[64];

	for (uint64_t len = 1; len < 64; len += 7) {
		tgen_default_file(path, "trunc.elf", ELFCLASS64, EM_X86_64, 8);
		file_truncate(path, len);
		ck_assert_msg(elf_image_open(&img, path, &err) < 0, "len %llu opened",
			      (unsigned long long)len);
		ck_assert_str_contains(err.msg, path);
		/* libelf's "invalid ELF file data" named no field. */
		if (len < SELFMAG)
			snprintf(want, sizeof(want), "not an ELF file");
		else if (len < EI_NIDENT)
			snprintf(want, sizeof(want), "truncated ELF identification "
				 "(%llu bytes of 16)", (unsigned long long)len);
		else
			snprintf(want, sizeof(want), "truncated ELF header "
				 "(%llu bytes of 64)", (unsigned long long)len);
		ck_assert_str_contains(err.msg, want);
	}
	tgen_default_file(path, "trunc32.elf", ELFCLASS32, EM_386, 4);
	file_truncate(path, 51);
	open_fails(path, "truncated ELF header (51 bytes of 52)");
}
END_TEST

/*
 * Found by the fuzzer (tests/fuzz, target elf): e_shnum 0 with e_shoff set
 * (extended numbering) and section 0's sh_size over 32 bits made libelf
 * refuse the file with "invalid ELF file data", which named no field.
 */
START_TEST(test_fuzz_shnum_extended_huge)
{
	char path[PATH_MAX];
	uint64_t shoff, count = 0x100000000ull;
	struct hvk_err err = { "" };
	struct elf_image img;
	uint16_t zero = 0;
	FILE *f;

	tgen_default_file(path, "shnum.elf", ELFCLASS64, EM_X86_64, 8);
	f = fopen(path, "rb");
	ck_assert_ptr_nonnull(f);
	ck_assert_int_eq(fseek(f, 40, SEEK_SET), 0);	/* e_shoff */
	ck_assert_uint_eq(fread(&shoff, 8, 1, f), 1);
	fclose(f);
	ck_assert_uint_ne(shoff, 0);
	file_patch(path, 60, &zero, 2);			/* e_shnum */
	file_patch(path, shoff + 32, &count, 8);	/* section 0's sh_size */
	open_fails(path, "e_shnum 0 and section header 0's sh_size 0x100000000 "
		   "(extended numbering) is not a 32-bit section count");
	count = 3;	/* a count libelf takes: the file opens */
	file_patch(path, shoff + 32, &count, 8);
	ck_assert_msg(elf_image_open(&img, path, &err) == 0, "%s", err.msg);
	elf_image_close(&img);
}
END_TEST

START_TEST(test_truncated_phdrs)
{
	struct tgen_elf spec;
	char path[PATH_MAX];

	tgen_default(&spec, ELFCLASS32, EM_386, 4);
	tgen_write(tmp_path(path, "truncph.elf"), &spec);
	file_truncate(path, spec.phoff + 10);
	open_fails(path, "program header");
}
END_TEST

START_TEST(test_phoff_beyond_file)
{
	struct tgen_elf spec;
	char path[PATH_MAX];
	uint64_t phoff = 0x10000000;

	tgen_default(&spec, ELFCLASS64, EM_X86_64, 8);
	tgen_write(tmp_path(path, "phoff.elf"), &spec);
	file_patch(path, 32, &phoff, 8);	/* e_phoff in Elf64_Ehdr */
	open_fails(path, "program header");
}
END_TEST

START_TEST(test_phnum_huge)
{
	struct tgen_elf spec;
	char path[PATH_MAX];
	uint16_t phnum = 0xfffe;

	tgen_default(&spec, ELFCLASS64, EM_X86_64, 8);
	tgen_write(tmp_path(path, "phnum.elf"), &spec);
	file_patch(path, 56, &phnum, 2);	/* e_phnum in Elf64_Ehdr */
	open_fails(path, "program header");
}
END_TEST

START_TEST(test_phentsize_wrong)
{
	char path[PATH_MAX];
	uint16_t phentsize = 40;

	tgen_default_file(path, "phent.elf", ELFCLASS64, EM_X86_64, 8);
	file_patch(path, 54, &phentsize, 2);	/* e_phentsize in Elf64_Ehdr */
	open_fails(path, "e_phentsize 40, expected 56");
}
END_TEST

START_TEST(test_phnum_extended)
{
	char path[PATH_MAX];
	uint16_t phnum = PN_XNUM;

	tgen_default_file(path, "xnum.elf", ELFCLASS32, EM_386, 4);
	file_patch(path, 44, &phnum, 2);	/* e_phnum in Elf32_Ehdr */
	open_fails(path, "e_phnum PN_XNUM (extended numbering) is not supported");
}
END_TEST

/* ---- in memory ---------------------------------------------------------- */

/* The file's bytes in a buffer of exactly its size (the caller frees). */
static unsigned char *file_read_all(const char *path, size_t *len)
{
	struct stat st;
	unsigned char *buf;
	FILE *f = fopen(path, "rb");

	ck_assert_ptr_nonnull(f);
	ck_assert_int_eq(fstat(fileno(f), &st), 0);
	*len = st.st_size;
	buf = malloc(*len ? *len : 1);
	ck_assert_ptr_nonnull(buf);
	ck_assert_uint_eq(fread(buf, 1, *len, f), *len);
	fclose(f);
	return buf;
}

/* elf_image_open_mem() on path's bytes agrees with elf_image_open(). */
static void mem_open_same(const char *path)
{
	struct hvk_err err = { "" }, ferr = { "" };
	struct elf_image img, fimg;
	size_t len;
	unsigned char *buf = file_read_all(path, &len);
	int ret = elf_image_open_mem(&img, path, buf, len, &err);

	ck_assert_int_eq(ret, elf_image_open(&fimg, path, &ferr));
	ck_assert_str_eq(err.msg, ferr.msg);
	if (ret == 0) {
		ck_assert_uint_eq(img.file_size, fimg.file_size);
		ck_assert_uint_eq(img.phys32_entry, fimg.phys32_entry);
		ck_assert_uint_eq(img.nr_segments, fimg.nr_segments);
		ck_assert_mem_eq(img.segments, fimg.segments, sizeof(img.segments));
		ck_assert_str_eq(img.path, path);
		elf_image_close(&fimg);
	} else {
		ck_assert_ptr_null(img.elf);
		ck_assert_ptr_null(img.path);
	}
	elf_image_close(&img);
	free(buf);
}

START_TEST(test_open_mem_same_as_file)
{
	char path[PATH_MAX];
	unsigned char bad = 3;
	struct tgen_elf spec;

	mem_open_same(tgen_default_file(path, "m64.elf", ELFCLASS64, EM_X86_64, 8));
	mem_open_same(tgen_default_file(path, "m32.elf", ELFCLASS32, EM_386, 4));
	tgen_default(&spec, ELFCLASS64, EM_X86_64, 8);
	spec.notes_in_section_only = true;
	tgen_write(tmp_path(path, "mscn.elf"), &spec);
	mem_open_same(path);
	file_patch(path, EI_CLASS, &bad, 1);
	mem_open_same(path);
	file_truncate(path, 40);
	mem_open_same(path);
	file_write(tmp_path(path, "mtext"), "#!/bin/sh\n", 10);
	mem_open_same(path);
}
END_TEST

START_TEST(test_open_mem_empty)
{
	struct hvk_err err = { "" };
	struct elf_image img;
	char byte = 0;

	ck_assert_int_eq(elf_image_open_mem(&img, "buf", &byte, 0, &err), -ENOEXEC);
	ck_assert_str_eq(err.msg, "buf: empty file, not an ELF kernel");
	ck_assert_ptr_null(img.path);
	elf_image_close(&img);
}
END_TEST

/* ---- loading ------------------------------------------------------------ */

static unsigned char *ram_alloc(uint64_t size)
{
	unsigned char *ram = malloc(size);

	ck_assert_ptr_nonnull(ram);
	memset(ram, 0xaa, size);
	return ram;
}

static bool ram_is(const unsigned char *p, size_t len, unsigned char value)
{
	for (size_t i = 0; i < len; i++)
		if (p[i] != value)
			return false;
	return true;
}

START_TEST(test_load_copies_and_zeroes)
{
	unsigned char *ram = ram_alloc(4 * MiB);
	struct hvk_err err = { "" };
	struct tgen_elf spec;
	struct elf_image img;

	tgen_default(&spec, ELFCLASS64, EM_X86_64, 8);
	tgen_segment_add(&spec, 0x200000, 0x11, 0x11)->fill = 0x80;
	spec_open(&spec, "load.elf", &img);
	ck_assert_msg(elf_image_load(&img, ram, 4 * MiB, NULL, &err) == 0, "%s", err.msg);
	for (unsigned int k = 0; k < 0x1000; k++)
		ck_assert_uint_eq(ram[TGEN_PADDR + k], (unsigned char)(0x10 + k));
	ck_assert(ram_is(ram + TGEN_PADDR + 0x1000, 0x2000, 0));	/* bss */
	ck_assert(ram_is(ram + TGEN_PADDR + 0x3000, 0x200000 - 0x103000, 0xaa));
	for (unsigned int k = 0; k < 0x11; k++)
		ck_assert_uint_eq(ram[0x200000 + k], (unsigned char)(0x80 + k));
	ck_assert(ram_is(ram + 0x200011, 0x1000, 0xaa));
	ck_assert(ram_is(ram, TGEN_PADDR, 0xaa));
	elf_image_close(&img);
	free(ram);
}
END_TEST

/* The style guide's own example message, exactly. */
START_TEST(test_load_exceeds_ram)
{
	unsigned char *ram = ram_alloc(64 * MiB);
	struct hvk_err err = { "" };
	struct tgen_elf spec;
	struct elf_image img;
	char want[PATH_MAX + 128];

	tgen_default(&spec, ELFCLASS32, EM_386, 4);
	tgen_segment_add(&spec, 0xfff00000u, 0, 0x200000)->short_content = true;
	spec_open(&spec, "big.elf", &img);
	ck_assert_int_eq(elf_image_load(&img, ram, 64 * MiB, NULL, &err), -ERANGE);
	snprintf(want, sizeof(want),
		 "%s: PT_LOAD[1] at 0xfff00000 + 0x200000 exceeds guest RAM of 64 MiB", img.path);
	ck_assert_str_eq(err.msg, want);
	/* Checked before copying: segment 0 was not written either. */
	ck_assert(ram_is(ram + TGEN_PADDR, 0x3000, 0xaa));
	elf_image_close(&img);
	free(ram);
}
END_TEST

/* memsz near 2^63 opens (no wrap) but cannot load; no overflow in the check. */
START_TEST(test_load_huge_memsz)
{
	unsigned char *ram = ram_alloc(4 * MiB);
	struct hvk_err err = { "" };
	struct tgen_elf spec;
	struct elf_image img;

	tgen_default(&spec, ELFCLASS64, EM_X86_64, 8);
	tgen_segment_add(&spec, 0x200000, 0, 0x8000000000000000ull)->short_content = true;
	spec_open(&spec, "hugemem.elf", &img);
	ck_assert_int_eq(elf_image_load(&img, ram, 4 * MiB, NULL, &err), -ERANGE);
	ck_assert_str_contains(err.msg, "PT_LOAD[1] at 0x200000 + 0x8000000000000000 exceeds guest RAM of 4 MiB");
	elf_image_close(&img);
	free(ram);
}
END_TEST

START_TEST(test_load_segment_at_ram_end)
{
	unsigned char *ram = ram_alloc(4 * MiB);
	struct hvk_err err = { "" };
	struct tgen_elf spec;
	struct elf_image img;

	tgen_default(&spec, ELFCLASS64, EM_X86_64, 8);
	tgen_segment_add(&spec, 4 * MiB - 0x10, 0x10, 0x10);
	spec_open(&spec, "end.elf", &img);
	ck_assert_int_eq(elf_image_load(&img, ram, 4 * MiB, NULL, &err), 0);
	ck_assert_int_eq(elf_image_load(&img, ram, 4 * MiB - 1, NULL, &err), -ERANGE);
	ck_assert_str_contains(err.msg, "PT_LOAD[1] at 0x3ffff0 + 0x10 exceeds guest RAM of 4194303 bytes");
	elf_image_close(&img);
	free(ram);
}
END_TEST

START_TEST(test_load_overlaps_reserved)
{
	unsigned char *ram = ram_alloc(4 * MiB);
	struct gpa_range boot = { 0x6000, 0x7100 };
	struct hvk_err err = { "" };
	struct tgen_elf spec;
	struct elf_image img;

	tgen_default(&spec, ELFCLASS64, EM_X86_64, 8);
	tgen_segment_add(&spec, 0x7000, 0x10, 0x200);
	spec_open(&spec, "low.elf", &img);
	ck_assert_int_eq(elf_image_load(&img, ram, 4 * MiB, &boot, &err), -ERANGE);
	ck_assert_str_contains(err.msg, "PT_LOAD[1] at 0x7000 + 0x200 overlaps the boot area [0x6000, 0x7100)");
	boot.end = 0x7000;	/* touching is fine */
	ck_assert_int_eq(elf_image_load(&img, ram, 4 * MiB, &boot, &err), 0);
	elf_image_close(&img);
	free(ram);
}
END_TEST

START_TEST(test_load_not_open)
{
	struct elf_image img = { .fd = -1 };
	struct hvk_err err;
	char ram[16];

	ck_assert_int_eq(elf_image_load(&img, ram, sizeof(ram), NULL, &err), -EBADF);
	ck_assert_int_eq(elf_image_load(&img, ram, sizeof(ram), NULL, NULL), -EBADF);
}
END_TEST

Suite *elf_suite(void)
{
	Suite *s = suite_create("elf");
	TCase *notes = tcase_create("notes"), *segs = tcase_create("segments");
	TCase *hdrs = tcase_create("headers"), *load = tcase_create("load");

	tcase_add_test(notes, test_elf64_x86_64_note8);
	tcase_add_test(notes, test_elf64_x86_64_note4);
	tcase_add_test(notes, test_elf32_i386_note4);
	tcase_add_test(notes, test_elf32_i386_note8);
	tcase_add_test(notes, test_elf32_x86_64);
	tcase_add_test(notes, test_elf64_i386);
	tcase_add_test(notes, test_note_in_section_only);
	tcase_add_test(notes, test_note_missing);
	tcase_add_test(notes, test_note_runs_past_end);
	tcase_add_test(notes, test_note_wrong_name_ignored);
	tcase_add_test(notes, test_note_bad_descsz);
	tcase_add_test(notes, test_note_entry_above_4g);
	tcase_add_test(notes, test_note_entries_disagree);
	tcase_add_test(notes, test_note_entry_outside_segments);
	tcase_add_test(notes, test_notes_listed);
	tcase_add_test(notes, test_note_reloc_default_align);
	tcase_add_test(notes, test_note_names);
	suite_add_tcase(s, notes);

	tcase_add_test(segs, test_segment_filesz_gt_memsz);
	tcase_add_test(segs, test_segment_beyond_file);
	tcase_add_test(segs, test_segment_offset_overflow);
	tcase_add_test(segs, test_segment_huge_filesz);
	tcase_add_test(segs, test_segment_paddr_wraps);
	tcase_add_test(segs, test_segments_overlap);
	tcase_add_test(segs, test_segments_adjacent_ok);
	tcase_add_test(segs, test_segments_none);
	tcase_add_test(segs, test_segments_too_many);
	tcase_add_test(segs, test_note_segment_beyond_file);
	suite_add_tcase(s, segs);

	tcase_add_test(hdrs, test_bad_machine);
	tcase_add_test(hdrs, test_not_exec);
	tcase_add_test(hdrs, test_big_endian);
	tcase_add_test(hdrs, test_bad_class);
	tcase_add_test(hdrs, test_bad_ident_version);
	tcase_add_test(hdrs, test_not_elf);
	tcase_add_test(hdrs, test_empty_file);
	tcase_add_test(hdrs, test_missing_file);
	tcase_add_test(hdrs, test_directory);
	tcase_add_test(hdrs, test_truncated_ehdr);
	tcase_add_test(hdrs, test_truncated_phdrs);
	tcase_add_test(hdrs, test_phoff_beyond_file);
	tcase_add_test(hdrs, test_phnum_huge);
	tcase_add_test(hdrs, test_phentsize_wrong);
	tcase_add_test(hdrs, test_phnum_extended);
	tcase_add_test(hdrs, test_fuzz_shnum_extended_huge);
	tcase_add_test(hdrs, test_open_mem_same_as_file);
	tcase_add_test(hdrs, test_open_mem_empty);
	suite_add_tcase(s, hdrs);

	tcase_add_test(load, test_load_copies_and_zeroes);
	tcase_add_test(load, test_load_exceeds_ram);
	tcase_add_test(load, test_load_huge_memsz);
	tcase_add_test(load, test_load_segment_at_ram_end);
	tcase_add_test(load, test_load_overlaps_reserved);
	tcase_add_test(load, test_load_not_open);
	suite_add_tcase(s, load);
	return s;
}
