/*
 * Test ELF files, written with libelf (ELF_F_LAYOUT: the test decides every
 * offset, so a program header can point anywhere, malformed on purpose).
 *
 * File layout: ehdr, phdrs (PT_LOADs then PT_NOTE), the note blob, each
 * segment's content (16-aligned), section headers.
 */
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <gelf.h>

#include "tests.h"

#include <abi/xen/elfnote.h>

static uint64_t align_up(uint64_t x, uint64_t align)
{
	return (x + align - 1) / align * align;
}

void tgen_note_add(struct tgen_elf *spec, const char *name, uint32_t type,
		   const void *desc, uint32_t descsz)
{
	ck_assert_uint_lt(spec->nr_notes, TGEN_MAX_NOTES);
	spec->notes[spec->nr_notes++] = (struct tgen_note){
		.name = name, .type = type, .desc = desc, .descsz = descsz,
	};
}

struct tgen_segment *tgen_segment_add(struct tgen_elf *spec, uint64_t paddr,
				      uint64_t filesz, uint64_t memsz)
{
	struct tgen_segment *seg = &spec->segments[spec->nr_segments++];

	ck_assert_uint_le(spec->nr_segments, TGEN_MAX_SEGMENTS);
	*seg = (struct tgen_segment){
		.paddr = paddr, .vaddr = paddr + 0xc0000000u, .filesz = filesz,
		.memsz = memsz, .flags = PF_R | PF_X, .fill = 0x10,
	};
	return seg;
}

void tgen_default(struct tgen_elf *spec, int elf_class, uint16_t machine,
		  uint32_t descsz)
{
	/* Static: tgen_write() reads the descriptor later. */
	static const uint8_t entry[8] = { 0x40, 0x00, 0x10, 0x00 };

	memset(spec, 0, sizeof(*spec));
	spec->elf_class = elf_class;
	spec->machine = machine;
	tgen_segment_add(spec, TGEN_PADDR, 0x1000, 0x3000);
	tgen_note_add(spec, NULL, XEN_ELFNOTE_PHYS32_ENTRY, entry, descsz);
}

/* The notes as they appear in the file: Elf32_Nhdr, name, desc, 4-padded. */
static unsigned char *tgen_notes_build(const struct tgen_elf *spec, size_t *len)
{
	unsigned char *blob = calloc(1, 4096), *p = blob;

	ck_assert_ptr_nonnull(blob);
	for (unsigned int i = 0; i < spec->nr_notes; i++) {
		const struct tgen_note *n = &spec->notes[i];
		const char *name = n->name ? n->name : XEN_ELFNOTE_NAME;
		uint32_t hdr[3] = { strlen(name) + 1, n->descsz, n->type };

		ck_assert_uint_lt(p - blob + 12 + align_up(hdr[0], 4) +
				  align_up(n->descsz, 4), 4096);
		memcpy(p, hdr, sizeof(hdr));
		memcpy(p + 12, name, hdr[0]);
		p += 12 + align_up(hdr[0], 4);
		memcpy(p, n->desc, n->descsz);
		p += align_up(n->descsz, 4);
	}
	*len = p - blob;
	return blob;
}

/* A section holding buf at file offset off (ELF_F_LAYOUT: we place it). */
static void tgen_section_add(Elf *elf, uint32_t sh_type, void *buf, size_t len,
			     uint64_t off, uint64_t align)
{
	Elf_Scn *scn = elf_newscn(elf);
	Elf_Data *data = scn ? elf_newdata(scn) : NULL;
	GElf_Shdr sh;

	ck_assert_ptr_nonnull(data);
	data->d_buf = buf;
	data->d_size = len;
	data->d_type = ELF_T_BYTE;
	data->d_align = 1;
	ck_assert_ptr_nonnull(gelf_getshdr(scn, &sh));
	sh.sh_type = sh_type;
	sh.sh_offset = off;
	sh.sh_size = len;
	sh.sh_addralign = align;
	ck_assert(gelf_update_shdr(scn, &sh));
}

static unsigned char *tgen_content_build(const struct tgen_segment *seg,
					 uint64_t *len)
{
	unsigned char *buf;

	*len = seg->short_content ? seg->content : seg->filesz;
	ck_assert_uint_le(*len, 16 << 20);
	buf = malloc(*len ? *len : 1);
	ck_assert_ptr_nonnull(buf);
	for (uint64_t k = 0; k < *len; k++)
		buf[k] = seg->fill + k;
	return buf;
}

static void tgen_phdr_set(Elf *elf, int index, uint32_t type, uint64_t offset,
			  const struct tgen_segment *seg, uint64_t note_len)
{
	GElf_Phdr ph = {
		.p_type = type, .p_offset = offset, .p_align = 4,
		.p_filesz = note_len, .p_memsz = note_len,
	};

	if (seg) {
		ph.p_paddr = seg->paddr;
		ph.p_vaddr = seg->vaddr;
		if (gelf_getclass(elf) == ELFCLASS32)	/* vaddr = paddr + 3 GiB wraps */
			ph.p_vaddr = (uint32_t)seg->vaddr;
		ph.p_filesz = seg->filesz;
		ph.p_memsz = seg->memsz;
		ph.p_flags = seg->flags;
		ph.p_align = 0x1000;
	}
	ck_assert(gelf_update_phdr(elf, index, &ph));
}

static void tgen_ehdr_set(Elf *elf, const struct tgen_elf *spec, uint64_t shoff)
{
	GElf_Ehdr eh;

	ck_assert_ptr_nonnull(gelf_getehdr(elf, &eh));
	eh.e_ident[EI_DATA] = spec->data ? spec->data : ELFDATA2LSB;
	eh.e_type = spec->type ? spec->type : ET_EXEC;
	eh.e_machine = spec->machine;
	eh.e_version = EV_CURRENT;
	eh.e_entry = 0xc0000000u + TGEN_ENTRY;
	eh.e_phoff = spec->phoff;
	eh.e_shoff = align_up(shoff, 8);
	eh.e_shstrndx = SHN_UNDEF;
	ck_assert(gelf_update_ehdr(elf, &eh));
}

void tgen_write(const char *path, struct tgen_elf *spec)
{
	bool note_phdr = spec->nr_notes && !spec->notes_in_section_only;
	unsigned int nr_phdrs = spec->nr_segments + note_phdr;
	unsigned char *bufs[TGEN_MAX_SEGMENTS + 1] = { 0 };
	size_t note_len = 0;
	uint64_t off, len;
	int fd;
	Elf *elf;

	elf_version(EV_CURRENT);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	ck_assert_int_ge(fd, 0);
	elf = elf_begin(fd, ELF_C_WRITE, NULL);
	ck_assert_ptr_nonnull(elf);
	elf_flagelf(elf, ELF_C_SET, ELF_F_LAYOUT);
	ck_assert_ptr_nonnull(gelf_newehdr(elf, spec->elf_class));
	ck_assert_ptr_nonnull(gelf_newphdr(elf, nr_phdrs));
	spec->phoff = gelf_fsize(elf, ELF_T_EHDR, 1, EV_CURRENT);
	off = spec->phoff + gelf_fsize(elf, ELF_T_PHDR, nr_phdrs, EV_CURRENT);

	uint64_t note_off = off = align_up(off, 4);
	if (spec->nr_notes) {
		bufs[TGEN_MAX_SEGMENTS] = tgen_notes_build(spec, &note_len);
		tgen_section_add(elf, SHT_NOTE, bufs[TGEN_MAX_SEGMENTS], note_len, off, 4);
		off += note_len;
	}
	for (unsigned int i = 0; i < spec->nr_segments; i++) {
		const struct tgen_segment *seg = &spec->segments[i];

		off = align_up(off, 16);
		bufs[i] = tgen_content_build(seg, &len);
		if (len)
			tgen_section_add(elf, SHT_PROGBITS, bufs[i], len, off, 16);
		tgen_phdr_set(elf, i, PT_LOAD, seg->offset_set ? seg->offset : off, seg, 0);
		off += len;
	}
	if (note_phdr)
		tgen_phdr_set(elf, spec->nr_segments, PT_NOTE,
			      spec->note_offset_set ? spec->note_offset : note_off,
			      NULL, note_len);
	tgen_ehdr_set(elf, spec, off);
	ck_assert_msg(elf_update(elf, ELF_C_WRITE) >= 0, "elf_update: %s", elf_errmsg(-1));
	elf_end(elf);
	close(fd);
	for (unsigned int i = 0; i <= TGEN_MAX_SEGMENTS; i++)
		free(bufs[i]);
}

const char *tgen_default_file(char *buf, const char *name, int elf_class,
			      uint16_t machine, uint32_t descsz)
{
	struct tgen_elf spec;

	tgen_default(&spec, elf_class, machine, descsz);
	tmp_path(buf, name);
	tgen_write(buf, &spec);
	return buf;
}
