/* hvk unit tests (Check): suites, the temp dir and the test ELF generator. */
#ifndef HVK_TESTS_UNIT_TESTS_H
#define HVK_TESTS_UNIT_TESTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <check.h>
#include <gelf.h>

Suite *size_suite(void);
Suite *elf_suite(void);
Suite *pvh_suite(void);
Suite *acpi_suite(void);
Suite *stats_suite(void);
Suite *cmd_elf_suite(void);
Suite *cli_errors_suite(void);
Suite *xen_console_ring_suite(void);
Suite *console_escape_suite(void);
Suite *xen_console_suite(void);

/* A CLI command's exit code and output (capture.c). */
struct run_result {
	int code;
	char out[8192];
	char err[2048];
};

/* Runs cmd(argc, argv) with stdout and stderr going to temp files. */
void cmd_capture(struct run_result *r, int (*cmd)(int, char **), int argc,
		 char **argv);

/* "<temp dir>/name" in buf (PATH_MAX); the dir is removed after the run. */
const char *tmp_path(char *buf, const char *name);
void tmp_dir_create(void);
void tmp_dir_remove(void);

/* Writes / appends / truncates / patches test files (ck_assert on failure). */
void file_write(const char *path, const void *data, size_t len);
void file_truncate(const char *path, uint64_t len);
void file_patch(const char *path, uint64_t offset, const void *data, size_t len);

/* ck_assert that haystack contains needle, printing both if not. */
#define ck_assert_str_contains(haystack, needle)                              \
	ck_assert_msg(strstr((haystack), (needle)) != NULL,                   \
		      "'%s' does not contain '%s'", (haystack), (needle))

/* ---- tgen: test ELF files written with libelf --------------------------- */

#define TGEN_MAX_SEGMENTS 40
#define TGEN_MAX_NOTES    8

struct tgen_segment {
	uint64_t paddr, vaddr;
	uint64_t filesz, memsz;
	uint32_t flags;
	bool offset_set;      /* use offset as p_offset instead of the real one */
	uint64_t offset;
	bool short_content;   /* write content bytes, not filesz (huge sizes) */
	uint64_t content;
	unsigned char fill;   /* byte k of the content is fill + k */
};

struct tgen_note {
	const char *name;     /* NULL: "Xen" */
	uint32_t type;
	uint32_t descsz;
	const void *desc;     /* descsz bytes */
};

struct tgen_elf {
	int elf_class;        /* ELFCLASS32 or ELFCLASS64 */
	uint16_t machine;
	uint16_t type;        /* 0: ET_EXEC */
	unsigned char data;   /* 0: ELFDATA2LSB */
	unsigned int nr_segments;
	struct tgen_segment segments[TGEN_MAX_SEGMENTS];
	unsigned int nr_notes;
	struct tgen_note notes[TGEN_MAX_NOTES];
	bool notes_in_section_only;  /* SHT_NOTE section, no PT_NOTE */
	bool note_offset_set;        /* PT_NOTE's p_offset = note_offset */
	uint64_t note_offset;
	uint64_t phoff;              /* set by tgen_write: where phdrs are */
};

#define TGEN_PADDR 0x100000u
#define TGEN_ENTRY 0x100040u

/*
 * A valid PVH kernel: one PT_LOAD at TGEN_PADDR (filesz 0x1000, memsz
 * 0x3000, R-X, fill 0x10) and a Xen PHYS32_ENTRY note of descsz bytes
 * holding TGEN_ENTRY.
 */
void tgen_default(struct tgen_elf *spec, int elf_class, uint16_t machine,
		  uint32_t descsz);
void tgen_note_add(struct tgen_elf *spec, const char *name, uint32_t type,
		   const void *desc, uint32_t descsz);
struct tgen_segment *tgen_segment_add(struct tgen_elf *spec, uint64_t paddr,
				      uint64_t filesz, uint64_t memsz);
void tgen_write(const char *path, struct tgen_elf *spec);

/* tgen_default() written to tmp dir/name; returns the path in buf. */
const char *tgen_default_file(char *buf, const char *name, int elf_class,
			      uint16_t machine, uint32_t descsz);

#endif /* HVK_TESTS_UNIT_TESTS_H */
