/*
 * The guest kernel loader (elf.h).  libelf does the parsing; this file adds
 * what libelf does not check: that segments lie inside the file and guest
 * RAM, do not wrap or overlap, and that the kernel is a PVH kernel.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <abi/xen/elfnote.h>

#include "elf.h"
#include "size.h"


const char *elf_xen_note_name(uint32_t type)
{
	static const char *const names[] = {
		"INFO", "ENTRY", "HYPERCALL_PAGE", "VIRT_BASE", "PADDR_OFFSET",
		"XEN_VERSION", "GUEST_OS", "GUEST_VERSION", "LOADER",
		"PAE_MODE", "FEATURES", "BSD_SYMTAB", "HV_START_LOW",
		"L1_MFN_VALID", "SUSPEND_CANCEL", "INIT_P2M", "MOD_START_PFN",
		"SUPPORTED_FEATURES", "PHYS32_ENTRY", "PHYS32_RELOC",
	};

	return type < sizeof(names) / sizeof(names[0]) ? names[type] : "unknown";
}

const char *elf_machine_name(uint16_t machine)
{
	switch (machine) {
	case EM_386:    return "i386";
	case EM_X86_64: return "x86-64";
	default:        return "unknown";
	}
}

/* ---- opening ------------------------------------------------------------ */

static uint64_t le_read(const unsigned char *p, size_t size)
{
	uint64_t value = 0;

	for (size_t i = 0; i < size && i < 8; i++)
		value |= (uint64_t)p[i] << (8 * i);
	return value;
}

/* Up to len bytes at off of the file (data, or img->fd if data is NULL). */
static size_t elf_bytes_read(const struct elf_image *img, const void *data,
			     void *buf, size_t len, uint64_t off)
{
	ssize_t n;

	if (off >= img->file_size)
		return 0;
	if (len > img->file_size - off)
		len = img->file_size - off;
	if (data) {
		memcpy(buf, (const char *)data + off, len);
		return len;
	}
	n = pread(img->fd, buf, len, off);
	return n < 0 ? 0 : n;
}

/*
 * Extended section numbering (e_shnum 0, e_shoff set): the count is section
 * header 0's sh_size, which libelf refuses above 32 bits.
 */
static int elf_shnum_check(const struct elf_image *img, const void *data,
			   const unsigned char *ehdr, struct hvk_err *err)
{
	bool is64 = ehdr[EI_CLASS] == ELFCLASS64;
	uint64_t shoff = is64 ? le_read(ehdr + 40, 8) : le_read(ehdr + 32, 4);
	uint64_t shnum = is64 ? le_read(ehdr + 60, 2) : le_read(ehdr + 48, 2);
	unsigned char sh_size[8];
	uint64_t count;

	if (!is64 || shnum || !shoff || shoff > img->file_size - sizeof(Elf64_Shdr) ||
	    elf_bytes_read(img, data, sh_size, 8, shoff + 32) != 8)
		return 0;
	count = le_read(sh_size, 8);
	if (count <= UINT32_MAX)
		return 0;
	return hvk_err_set(err, ENOEXEC, "%s: e_shnum 0 and section header 0's sh_size 0x%"
			   PRIx64 " (extended numbering) is not a 32-bit section count",
			   img->path, count);
}

/*
 * Why libelf refused the file (elf_begin() failed or the kind is not ELF),
 * from its first bytes: libelf's "invalid ELF file data" names no field.
 * These are libelf's checks, in its order; anything else gets its message.
 */
static int elf_refused(const struct elf_image *img, const void *data,
		       struct hvk_err *err)
{
	unsigned char b[sizeof(Elf64_Ehdr)];
	size_t len = elf_bytes_read(img, data, b, sizeof(b), 0);
	size_t ehsz = len > EI_CLASS && b[EI_CLASS] == ELFCLASS64 ? sizeof(Elf64_Ehdr)
								   : sizeof(Elf32_Ehdr);
	int ret;

	if (len < SELFMAG || memcmp(b, ELFMAG, SELFMAG))
		return hvk_err_set(err, ENOEXEC, "%s: not an ELF file", img->path);
	if (len < EI_NIDENT)
		return hvk_err_set(err, ENOEXEC, "%s: truncated ELF identification (%" PRIu64
				   " bytes of %d)", img->path, img->file_size, EI_NIDENT);
	if (b[EI_CLASS] != ELFCLASS32 && b[EI_CLASS] != ELFCLASS64)
		return hvk_err_set(err, ENOEXEC, "%s: EI_CLASS %d is neither ELF32 nor ELF64",
				   img->path, b[EI_CLASS]);
	/* libelf would byte-swap a big-endian file; no x86 kernel is one. */
	if (b[EI_DATA] != ELFDATA2LSB)
		return hvk_err_set(err, ENOEXEC, "%s: EI_DATA %d is not little-endian",
				   img->path, b[EI_DATA]);
	if (b[EI_VERSION] != EV_CURRENT)
		return hvk_err_set(err, ENOEXEC, "%s: EI_VERSION %d is not EV_CURRENT (%d)",
				   img->path, b[EI_VERSION], EV_CURRENT);
	if (len < ehsz)
		return hvk_err_set(err, ENOEXEC, "%s: truncated ELF header (%" PRIu64
				   " bytes of %zu)", img->path, img->file_size, ehsz);
	ret = elf_shnum_check(img, data, b, err);
	if (ret < 0)
		return ret;
	return hvk_err_set(err, ENOEXEC, "%s: not a valid ELF file (%s)", img->path,
			   img->elf ? "libelf: not ELF_K_ELF" : elf_errmsg(-1));
}

/*
 * libelf's handle from elf_begin() or elf_memory() on the file (data, or
 * img->fd if data is NULL): an ELF file, bytes read.
 */
static int elf_handle_check(struct elf_image *img, const void *data,
			    struct hvk_err *err)
{
	size_t size;

	if (!img->elf || elf_kind(img->elf) != ELF_K_ELF)
		return elf_refused(img, data, err);
	/* libelf's own view of the file: what offsets are checked against. */
	img->raw = elf_rawfile(img->elf, &size);
	if (!img->raw)
		return hvk_err_set(err, EIO, "%s: cannot read the file (%s)",
				   img->path, elf_errmsg(-1));
	img->file_size = size;
	return 0;
}

static int elf_empty_error(const struct elf_image *img, struct hvk_err *err)
{
	return hvk_err_set(err, ENOEXEC, "%s: empty file, not an ELF kernel", img->path);
}

static int elf_file_open(struct elf_image *img, struct hvk_err *err)
{
	struct stat st;

	img->fd = open(img->path, O_RDONLY | O_CLOEXEC);
	if (img->fd < 0 || fstat(img->fd, &st) < 0)
		return hvk_err_set(err, errno, "%s: %s", img->path, strerror(errno));
	if (!S_ISREG(st.st_mode))
		return hvk_err_set(err, EINVAL, "%s: not a regular file", img->path);
	if (st.st_size == 0)
		return elf_empty_error(img, err);
	img->file_size = st.st_size;
	elf_version(EV_CURRENT);
	img->elf = elf_begin(img->fd, ELF_C_READ_MMAP, NULL);
	return elf_handle_check(img, NULL, err);
}

static int elf_memory_open(struct elf_image *img, void *data, size_t size,
			   struct hvk_err *err)
{
	if (size == 0)
		return elf_empty_error(img, err);
	img->file_size = size;
	elf_version(EV_CURRENT);
	img->elf = elf_memory(data, size);
	return elf_handle_check(img, data, err);
}

/*
 * libelf quietly clamps the program header count to what fits in the file,
 * which would turn a truncated table into "no PT_LOAD segments".
 */
static int elf_phdr_table_check(const struct elf_image *img,
				const GElf_Ehdr *ehdr, struct hvk_err *err)
{
	size_t entsize = gelf_fsize(img->elf, ELF_T_PHDR, 1, EV_CURRENT);
	uint64_t table = (uint64_t)ehdr->e_phnum * entsize;

	/* Extended numbering (count in section 0) is for >= 65535 headers. */
	if (ehdr->e_phnum == PN_XNUM)
		return hvk_err_set(err, ENOEXEC, "%s: e_phnum PN_XNUM (extended numbering) is not supported",
				   img->path);
	if (ehdr->e_phnum && ehdr->e_phentsize != entsize)
		return hvk_err_set(err, ENOEXEC, "%s: e_phentsize %u, expected %zu",
				   img->path, ehdr->e_phentsize, entsize);
	if (ehdr->e_phoff > img->file_size || table > img->file_size - ehdr->e_phoff)
		return hvk_err_set(err, ENOEXEC,
				   "%s: program header table (e_phoff 0x%" PRIx64 ", %u entries of %zu bytes)"
				   " is beyond the end of the file (%" PRIu64 " bytes)",
				   img->path, (uint64_t)ehdr->e_phoff, ehdr->e_phnum, entsize,
				   img->file_size);
	return 0;
}

static int elf_header_check(struct elf_image *img, struct hvk_err *err)
{
	const char *ident = elf_getident(img->elf, NULL);
	GElf_Ehdr ehdr;

	if (!ident || !gelf_getehdr(img->elf, &ehdr))
		return hvk_err_set(err, ENOEXEC, "%s: truncated or invalid ELF header (%s)",
				   img->path, elf_errmsg(-1));
	if (ident[EI_CLASS] != ELFCLASS32 && ident[EI_CLASS] != ELFCLASS64)
		return hvk_err_set(err, ENOEXEC, "%s: EI_CLASS %d is neither ELF32 nor ELF64",
				   img->path, ident[EI_CLASS]);
	/* libelf would byte-swap a big-endian file; no x86 kernel is one. */
	if (ident[EI_DATA] != ELFDATA2LSB)
		return hvk_err_set(err, ENOEXEC, "%s: EI_DATA %d is not little-endian",
				   img->path, ident[EI_DATA]);
	if (ehdr.e_type != ET_EXEC)
		return hvk_err_set(err, ENOEXEC, "%s: e_type %u is not ET_EXEC (%u)",
				   img->path, ehdr.e_type, ET_EXEC);
	/* Any class with either machine: ELF32 + EM_X86_64 exists in the wild. */
	if (ehdr.e_machine != EM_386 && ehdr.e_machine != EM_X86_64)
		return hvk_err_set(err, ENOEXEC,
				   "%s: e_machine %u is neither EM_386 (%u) nor EM_X86_64 (%u)",
				   img->path, ehdr.e_machine, EM_386, EM_X86_64);
	img->elf_class = ident[EI_CLASS] == ELFCLASS64 ? 64 : 32;
	img->machine = ehdr.e_machine;
	img->e_entry = ehdr.e_entry;
	return elf_phdr_table_check(img, &ehdr, err);
}

/* The bytes [offset, offset + size) a program header names must be in the file. */
static int elf_file_range_check(const struct elf_image *img, const char *what,
				unsigned int index, const GElf_Phdr *ph,
				struct hvk_err *err)
{
	if (ph->p_filesz > img->file_size ||
	    ph->p_offset > img->file_size - ph->p_filesz)
		return hvk_err_set(err, ENOEXEC,
				   "%s: %s[%u] p_offset 0x%" PRIx64 " + p_filesz 0x%" PRIx64
				   " is beyond the end of the file (%" PRIu64 " bytes)",
				   img->path, what, index, (uint64_t)ph->p_offset,
				   (uint64_t)ph->p_filesz, img->file_size);
	return 0;
}

static int elf_segment_add(struct elf_image *img, size_t phdr_index,
			   const GElf_Phdr *ph, struct hvk_err *err)
{
	unsigned int i = img->nr_segments;
	int ret;

	if (i == ELF_IMAGE_MAX_SEGMENTS)
		return hvk_err_set(err, E2BIG, "%s: more than %u PT_LOAD segments",
				   img->path, ELF_IMAGE_MAX_SEGMENTS);
	if (ph->p_filesz > ph->p_memsz)
		return hvk_err_set(err, ENOEXEC,
				   "%s: PT_LOAD[%u] p_filesz 0x%" PRIx64 " > p_memsz 0x%" PRIx64,
				   img->path, i, (uint64_t)ph->p_filesz, (uint64_t)ph->p_memsz);
	ret = elf_file_range_check(img, "PT_LOAD", i, ph, err);
	if (ret < 0)
		return ret;
	if (ph->p_paddr + ph->p_memsz < ph->p_paddr)
		return hvk_err_set(err, ENOEXEC,
				   "%s: PT_LOAD[%u] at 0x%" PRIx64 " + 0x%" PRIx64
				   " wraps around the 64-bit address space",
				   img->path, i, (uint64_t)ph->p_paddr, (uint64_t)ph->p_memsz);
	img->segments[i] = (struct elf_segment){
		.phdr_index = phdr_index, .paddr = ph->p_paddr,
		.vaddr = ph->p_vaddr, .offset = ph->p_offset,
		.filesz = ph->p_filesz, .memsz = ph->p_memsz, .flags = ph->p_flags,
	};
	img->nr_segments++;
	return 0;
}

static bool ranges_overlap(uint64_t a, uint64_t a_size, uint64_t b, uint64_t b_size)
{
	/* Empty ranges overlap nothing; no wrap: checked in elf_segment_add(). */
	return a_size && b_size && a < b + b_size && b < a + a_size;
}

int elf_image_find_overlap(const struct elf_image *img, uint64_t start,
			   uint64_t end)
{
	for (unsigned int i = 0; i < img->nr_segments; i++)
		if (end > start && ranges_overlap(img->segments[i].paddr,
						  img->segments[i].memsz,
						  start, end - start))
			return i;
	return -1;
}

static int elf_segments_overlap_check(const struct elf_image *img,
				      struct hvk_err *err)
{
	for (unsigned int i = 0; i < img->nr_segments; i++) {
		const struct elf_segment *a = &img->segments[i];

		for (unsigned int j = 0; j < i; j++) {
			const struct elf_segment *b = &img->segments[j];

			if (ranges_overlap(a->paddr, a->memsz, b->paddr, b->memsz))
				return hvk_err_set(err, ENOEXEC,
						   "%s: PT_LOAD[%u] at 0x%" PRIx64 " + 0x%" PRIx64
						   " overlaps PT_LOAD[%u] at 0x%" PRIx64 " + 0x%" PRIx64,
						   img->path, i, a->paddr, a->memsz,
						   j, b->paddr, b->memsz);
		}
	}
	return 0;
}

static int elf_segments_collect(struct elf_image *img, struct hvk_err *err)
{
	unsigned int nr_notes = 0;
	size_t phnum;
	GElf_Phdr ph;
	int ret = 0;

	if (elf_getphdrnum(img->elf, &phnum) < 0)
		return hvk_err_set(err, ENOEXEC, "%s: cannot read the program headers (%s)",
				   img->path, elf_errmsg(-1));
	for (size_t i = 0; i < phnum && ret == 0; i++) {
		if (!gelf_getphdr(img->elf, i, &ph))
			return hvk_err_set(err, ENOEXEC, "%s: truncated or invalid program header %zu (%s)",
					   img->path, i, elf_errmsg(-1));
		if (ph.p_type == PT_LOAD)
			ret = elf_segment_add(img, i, &ph, err);
		else if (ph.p_type == PT_NOTE)
			ret = elf_file_range_check(img, "PT_NOTE", nr_notes++, &ph, err);
	}
	if (ret < 0)
		return ret;
	if (img->nr_segments == 0)
		return hvk_err_set(err, ENOEXEC, "%s: no PT_LOAD segments", img->path);
	return elf_segments_overlap_check(img, err);
}

/* ---- Xen notes ---------------------------------------------------------- */

/*
 * Keeps a copy of a descriptor that is a printable string, NUL-terminated
 * or not (Linux's FEATURES note has no NUL), for display; long ones end "...".
 */
static void elf_note_string_copy(struct elf_xen_note *note,
				 const unsigned char *desc, uint32_t descsz)
{
	uint32_t len = 0;

	while (len < descsz && desc[len] >= 0x20 && desc[len] <= 0x7e)
		len++;
	if (len < 2)
		return;
	for (uint32_t i = len; i < descsz; i++)
		if (desc[i] != '\0')
			return;
	if (len < sizeof(note->str))
		snprintf(note->str, sizeof(note->str), "%.*s", (int)len, desc);
	else
		snprintf(note->str, sizeof(note->str), "%.*s...",
			 (int)sizeof(note->str) - 4, desc);
}

static int elf_note_phys32_entry(struct elf_image *img, const unsigned char *desc,
				 uint32_t descsz, struct hvk_err *err)
{
	uint64_t entry = le_read(desc, descsz);

	/* 4 bytes in the ABI; Linux emits an 8-byte _ASM_PTR. */
	if (descsz != 4 && descsz != 8)
		return hvk_err_set(err, ENOEXEC,
				   "%s: Xen PHYS32_ENTRY note has descsz %u, expected 4 or 8",
				   img->path, descsz);
	if (entry > UINT32_MAX)
		return hvk_err_set(err, ENOEXEC,
				   "%s: Xen PHYS32_ENTRY 0x%" PRIx64 " does not fit in 32 bits",
				   img->path, entry);
	if (img->phys32_entry && img->phys32_entry != entry)
		return hvk_err_set(err, ENOEXEC,
				   "%s: two Xen PHYS32_ENTRY notes disagree (0x%x and 0x%" PRIx64 ")",
				   img->path, img->phys32_entry, entry);
	img->phys32_entry = entry;
	return 0;
}

/* u32 align, optional u32 min, u32 max: shown by `hvk elf`, not acted on. */
static void elf_note_phys32_reloc(struct elf_image *img, const unsigned char *desc,
				  uint32_t descsz)
{
	img->has_reloc = true;
	img->reloc_align = descsz >= 4 ? le_read(desc, 4)
				       : XEN_ELFNOTE_PHYS32_RELOC_ALIGN_DEFAULT;
	img->reloc_min = descsz >= 8 ? le_read(desc + 4, 4) : 0;
	img->reloc_max = descsz >= 12 ? le_read(desc + 8, 4) : 0;
}

static int elf_xen_note_add(struct elf_image *img, uint32_t type,
			    const unsigned char *desc, uint32_t descsz,
			    struct hvk_err *err)
{
	img->nr_notes_seen++;
	if (img->nr_notes < ELF_IMAGE_MAX_NOTES) {
		struct elf_xen_note *note = &img->notes[img->nr_notes++];

		*note = (struct elf_xen_note){
			.type = type, .descsz = descsz, .has_value = descsz <= 8,
			.value = le_read(desc, descsz),
		};
		elf_note_string_copy(note, desc, descsz);
	}
	if (type == XEN_ELFNOTE_PHYS32_RELOC)
		elf_note_phys32_reloc(img, desc, descsz);
	if (type == XEN_ELFNOTE_PHYS32_ENTRY)
		return elf_note_phys32_entry(img, desc, descsz, err);
	return 0;
}

/* What the walk over the notes found, for the error when it found no entry. */
struct elf_note_scan {
	bool found_any;            /* a PT_NOTE segment */
	bool found_entry;
	bool malformed;            /* a block whose notes do not reach its end: */
	char where[32];            /* "PT_NOTE[1]", "SHT_NOTE section 3" */
	size_t offset;             /* ... and its first bad note's offset */
};

/* Walks one block of notes; notes of other owners ("GNU", "Linux") are skipped. */
static int elf_notes_parse(struct elf_image *img, Elf_Data *data,
			   struct elf_note_scan *scan, const char *what,
			   size_t index, struct hvk_err *err)
{
	static const char xen_name[] = XEN_ELFNOTE_NAME;
	size_t offset = 0, next, name_off, desc_off;
	const unsigned char *buf = data->d_buf;
	GElf_Nhdr nh;
	int ret;

	while ((next = gelf_getnote(data, offset, &nh, &name_off, &desc_off)) > 0) {
		offset = next;
		if (nh.n_namesz != sizeof(xen_name) ||
		    memcmp(buf + name_off, xen_name, sizeof(xen_name)))
			continue;
		ret = elf_xen_note_add(img, nh.n_type, buf + desc_off, nh.n_descsz, err);
		if (ret < 0)
			return ret;
		scan->found_entry |= nh.n_type == XEN_ELFNOTE_PHYS32_ENTRY;
	}
	/* libelf stops at a note whose sizes run past the block: say where. */
	if (offset < data->d_size && !scan->malformed) {
		scan->malformed = true;
		snprintf(scan->where, sizeof(scan->where), what, index);
		scan->offset = offset;
	}
	return 0;
}

static int elf_notes_from_segments(struct elf_image *img,
				   struct elf_note_scan *scan, struct hvk_err *err)
{
	unsigned int nr_notes = 0;
	size_t phnum = 0;
	GElf_Phdr ph;
	int ret;

	elf_getphdrnum(img->elf, &phnum);	/* read before: cannot fail */
	for (size_t i = 0; i < phnum && gelf_getphdr(img->elf, i, &ph); i++) {
		if (ph.p_type != PT_NOTE)
			continue;
		/* As readelf: 8-aligned note segments use 8-byte padding. */
		Elf_Data *data = elf_getdata_rawchunk(img->elf, ph.p_offset, ph.p_filesz,
						      ph.p_align == 8 ? ELF_T_NHDR8 : ELF_T_NHDR);
		if (!data)
			return hvk_err_set(err, ENOEXEC, "%s: cannot read PT_NOTE at offset 0x%" PRIx64 " (%s)",
					   img->path, (uint64_t)ph.p_offset, elf_errmsg(-1));
		scan->found_any = true;
		ret = elf_notes_parse(img, data, scan, "PT_NOTE[%zu]", nr_notes++, err);
		if (ret < 0)
			return ret;
	}
	return 0;
}

/* Fallback for files without PT_NOTE: the same notes in SHT_NOTE sections. */
static int elf_notes_from_sections(struct elf_image *img,
				   struct elf_note_scan *scan, struct hvk_err *err)
{
	Elf_Scn *scn = NULL;
	GElf_Shdr sh;
	int ret;

	while ((scn = elf_nextscn(img->elf, scn))) {
		if (!gelf_getshdr(scn, &sh) || sh.sh_type != SHT_NOTE)
			continue;
		Elf_Data *data = elf_getdata(scn, NULL);
		if (!data)
			return hvk_err_set(err, ENOEXEC, "%s: cannot read SHT_NOTE section %zu (%s)",
					   img->path, elf_ndxscn(scn), elf_errmsg(-1));
		ret = elf_notes_parse(img, data, scan, "SHT_NOTE section %zu",
				      elf_ndxscn(scn), err);
		if (ret < 0)
			return ret;
	}
	return 0;
}

static int elf_notes_collect(struct elf_image *img, struct hvk_err *err)
{
	struct elf_note_scan scan = { 0 };
	int ret;

	ret = elf_notes_from_segments(img, &scan, err);
	if (ret == 0 && !scan.found_any)
		ret = elf_notes_from_sections(img, &scan, err);
	if (ret < 0)
		return ret;
	if (!scan.found_entry && scan.malformed)
		return hvk_err_set(err, ENOEXEC,
				   "%s: not a PVH kernel (no Xen PHYS32_ENTRY note; the note at "
				   "offset 0x%zx of %s runs past its end)", img->path,
				   scan.offset, scan.where);
	if (!scan.found_entry)
		return hvk_err_set(err, ENOEXEC,
				   "%s: not a PVH kernel (no Xen PHYS32_ENTRY note)",
				   img->path);
	return 0;
}

/* Catches p_vaddr/p_paddr mix-ups: the entry must be code hvk loads. */
static int elf_entry_check(const struct elf_image *img, struct hvk_err *err)
{
	if (elf_image_find_overlap(img, img->phys32_entry,
				   (uint64_t)img->phys32_entry + 1) < 0)
		return hvk_err_set(err, ENOEXEC,
				   "%s: Xen PHYS32_ENTRY 0x%x is not inside any PT_LOAD segment",
				   img->path, img->phys32_entry);
	return 0;
}

static int elf_image_init(struct elf_image *img, const char *name,
			  struct hvk_err *err)
{
	memset(img, 0, sizeof(*img));
	img->fd = -1;
	img->path = strdup(name);
	if (!img->path)
		return hvk_err_set(err, ENOMEM, "%s: out of memory", name);
	return 0;
}

/* The checks after opening (ret: how that went); closes img on failure. */
static int elf_image_validate(struct elf_image *img, int ret, struct hvk_err *err)
{
	if (ret == 0)
		ret = elf_header_check(img, err);
	if (ret == 0)
		ret = elf_segments_collect(img, err);
	if (ret == 0)
		ret = elf_notes_collect(img, err);
	if (ret == 0)
		ret = elf_entry_check(img, err);
	if (ret < 0)
		elf_image_close(img);
	return ret;
}

int elf_image_open(struct elf_image *img, const char *path, struct hvk_err *err)
{
	int ret = elf_image_init(img, path, err);

	if (ret < 0)
		return ret;
	return elf_image_validate(img, elf_file_open(img, err), err);
}

int elf_image_open_mem(struct elf_image *img, const char *name, void *data,
		       size_t size, struct hvk_err *err)
{
	int ret = elf_image_init(img, name, err);

	if (ret < 0)
		return ret;
	return elf_image_validate(img, elf_memory_open(img, data, size, err), err);
}

void elf_image_close(struct elf_image *img)
{
	if (img->elf)
		elf_end(img->elf);
	if (img->fd >= 0)
		close(img->fd);
	free(img->path);
	img->elf = NULL;
	img->raw = NULL;
	img->fd = -1;
	img->path = NULL;
}

/* ---- loading ------------------------------------------------------------ */

static int elf_segment_placement_check(const struct elf_image *img, unsigned int i,
				       uint64_t ram_size,
				       const struct gpa_range *reserved,
				       struct hvk_err *err)
{
	const struct elf_segment *seg = &img->segments[i];
	char ram[SIZE_FORMAT_LEN];

	if (seg->memsz == 0)
		return 0;
	if (seg->paddr > ram_size || seg->memsz > ram_size - seg->paddr)
		return hvk_err_set(err, ERANGE,
				   "%s: PT_LOAD[%u] at 0x%" PRIx64 " + 0x%" PRIx64
				   " exceeds guest RAM of %s", img->path, i, seg->paddr,
				   seg->memsz, size_format(ram, sizeof(ram), ram_size));
	if (reserved && reserved->end > reserved->start &&
	    ranges_overlap(seg->paddr, seg->memsz, reserved->start,
			   reserved->end - reserved->start))
		return hvk_err_set(err, ERANGE,
				   "%s: PT_LOAD[%u] at 0x%" PRIx64 " + 0x%" PRIx64
				   " overlaps the boot area [0x%" PRIx64 ", 0x%" PRIx64 ")",
				   img->path, i, seg->paddr, seg->memsz,
				   reserved->start, reserved->end);
	return 0;
}

int elf_image_load(const struct elf_image *img, void *ram, uint64_t ram_size,
		   const struct gpa_range *reserved, struct hvk_err *err)
{
	unsigned char *base = ram;
	int ret;

	if (!img->raw)
		return hvk_err_set(err, EBADF, "elf_image_load: image is not open");
	/* All checks first: a failed load leaves guest RAM untouched. */
	for (unsigned int i = 0; i < img->nr_segments; i++) {
		ret = elf_segment_placement_check(img, i, ram_size, reserved, err);
		if (ret < 0)
			return ret;
	}
	for (unsigned int i = 0; i < img->nr_segments; i++) {
		const struct elf_segment *seg = &img->segments[i];

		if (seg->memsz == 0)
			continue;
		memcpy(base + seg->paddr, img->raw + seg->offset, seg->filesz);
		memset(base + seg->paddr + seg->filesz, 0, seg->memsz - seg->filesz);
	}
	return 0;
}
