/*
 * The guest kernel loader: opens a PVH kernel ELF with libelf, validates its
 * PT_LOAD segments and Xen notes, and copies it into guest RAM.
 *
 * Usage:
 *	struct elf_image img;
 *	struct hvk_err err;
 *	if (elf_image_open(&img, path, &err) < 0) -> report err.msg
 *	... pvh_boot_load() (pvh.h) calls elf_image_load() for you ...
 *	elf_image_close(&img);
 *
 * Every function that can fail returns 0 or a negative errno and, if err is
 * not NULL, leaves a one-line message in err->msg that starts with the file
 * name ("guest.elf: PT_LOAD[1] at 0xfff00000 + 0x200000 exceeds guest RAM of
 * 64 MiB").  Callers print it as "hvk: %s".
 */
#ifndef HVK_VMM_ELF_H
#define HVK_VMM_ELF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <gelf.h>

#include "err.h"

/* A guest-physical range [start, end); empty when start == end. */
struct gpa_range {
	uint64_t start;
	uint64_t end;
};

/* More PT_LOADs than this is not a kernel; the limit keeps img self-contained. */
#define ELF_IMAGE_MAX_SEGMENTS  32
/* Xen notes kept for display; later ones are still parsed, just not kept. */
#define ELF_IMAGE_MAX_NOTES     32

/* One PT_LOAD program header. */
struct elf_segment {
	unsigned int phdr_index;   /* position in the program header table */
	uint64_t paddr;            /* p_paddr: where PVH loads it */
	uint64_t vaddr;            /* p_vaddr: shown only */
	uint64_t offset;           /* p_offset */
	uint64_t filesz;           /* p_filesz <= memsz */
	uint64_t memsz;            /* p_memsz; the tail past filesz is zeroed */
	uint32_t flags;            /* PF_R | PF_W | PF_X */
};

/* One note of name "Xen", as `hvk elf` shows it. */
struct elf_xen_note {
	uint32_t type;             /* XEN_ELFNOTE_* */
	uint32_t descsz;
	bool has_value;            /* descsz <= 8: value holds the descriptor */
	uint64_t value;            /* little-endian descriptor, zero-extended */
	char str[64];              /* descriptor if printable text, else "" */
};

struct elf_image {
	char *path;                /* copy of the path, for messages */
	int elf_class;             /* 32 or 64 */
	uint16_t machine;          /* EM_386 or EM_X86_64 */
	uint64_t e_entry;          /* virtual entry; shown only */
	uint64_t file_size;

	uint32_t phys32_entry;     /* from XEN_ELFNOTE_PHYS32_ENTRY */

	/* XEN_ELFNOTE_PHYS32_RELOC, parsed for display; hvk does not relocate. */
	bool has_reloc;
	uint32_t reloc_align, reloc_min, reloc_max;

	unsigned int nr_segments;
	struct elf_segment segments[ELF_IMAGE_MAX_SEGMENTS];
	unsigned int nr_notes;     /* kept in notes[] */
	unsigned int nr_notes_seen;/* all Xen notes found */
	struct elf_xen_note notes[ELF_IMAGE_MAX_NOTES];

	/* private */
	int fd;
	Elf *elf;
	const char *raw;           /* the file's bytes (libelf's mapping or data) */
};

/*
 * Opens and validates a PVH guest kernel: ELF32 or ELF64, little-endian,
 * ET_EXEC, EM_386 or EM_X86_64, PT_LOAD segments inside the file, not
 * overlapping, no 64-bit wrap-around, and a Xen PHYS32_ENTRY note.  On
 * failure img is left closed (elf_image_close() on it is harmless).
 */
int elf_image_open(struct elf_image *img, const char *path, struct hvk_err *err);

/*
 * The same checks on a file already in memory (the fuzzer, tests): name is
 * for messages, data[0, size) must stay valid until elf_image_close() and be
 * writable (libelf's elf_memory() may convert it in place).
 */
int elf_image_open_mem(struct elf_image *img, const char *name, void *data,
		       size_t size, struct hvk_err *err);

/*
 * Copies every PT_LOAD segment to ram + p_paddr and zeroes its memsz - filesz
 * tail.  Checks all segments before copying any: each must lie inside
 * [0, ram_size) and outside `reserved` (the PVH boot area; NULL = none).
 */
int elf_image_load(const struct elf_image *img, void *ram, uint64_t ram_size,
		   const struct gpa_range *reserved, struct hvk_err *err);

/* Index of the first segment that overlaps [start, end), or -1. */
int elf_image_find_overlap(const struct elf_image *img, uint64_t start,
			   uint64_t end);

/* Releases libelf state, the fd and the path; img may be zeroed or closed. */
void elf_image_close(struct elf_image *img);

/* "PHYS32_ENTRY" for XEN_ELFNOTE_PHYS32_ENTRY, "unknown" past the table. */
const char *elf_xen_note_name(uint32_t type);

/* "x86-64" / "i386" for e_machine values elf_image_open accepts. */
const char *elf_machine_name(uint16_t machine);

#endif /* HVK_VMM_ELF_H */
