/* hvk elf KERNEL: show what the loader sees in a guest kernel ELF. */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "commands.h"
#include "elf.h"

static void cmd_elf_usage(FILE *out)
{
	fprintf(out,
		"usage: hvk elf KERNEL\n"
		"\n"
		"Shows what 'hvk run' would load from a PVH guest kernel: ELF class and\n"
		"machine, the PT_LOAD segments (at p_paddr), the Xen notes and the\n"
		"PHYS32 entry point.  Exits 1 if hvk would refuse the kernel.\n"
		"\n"
		"  -h, --help   show this help\n");
}

static void segment_flags_format(char buf[4], uint32_t flags)
{
	buf[0] = flags & PF_R ? 'R' : '-';
	buf[1] = flags & PF_W ? 'W' : '-';
	buf[2] = flags & PF_X ? 'X' : '-';
	buf[3] = '\0';
}

static void elf_segments_print(const struct elf_image *img)
{
	char flags[4];

	printf("PT_LOAD segments (%u):\n", img->nr_segments);
	printf("  %-5s %4s  %-18s  %-18s  %-10s  %-10s  %s\n", "index", "phdr",
	       "paddr", "vaddr", "filesz", "memsz", "flags");
	for (unsigned int i = 0; i < img->nr_segments; i++) {
		const struct elf_segment *seg = &img->segments[i];

		segment_flags_format(flags, seg->flags);
		printf("  [%u]%*s %4u  0x%016" PRIx64 "  0x%016" PRIx64
		       "  0x%08" PRIx64 "  0x%08" PRIx64 "  %s\n",
		       i, i < 10 ? 2 : 1, "", seg->phdr_index, seg->paddr,
		       seg->vaddr, seg->filesz, seg->memsz, flags);
	}
}

static void elf_xen_note_print(const struct elf_xen_note *note)
{
	printf("  %4u  %-18s  %6u  ", note->type, elf_xen_note_name(note->type),
	       note->descsz);
	if (note->str[0])
		printf("\"%s\"\n", note->str);
	else if (note->has_value && note->descsz)
		printf("0x%" PRIx64 "\n", note->value);
	else
		printf("(%u bytes)\n", note->descsz);
}

static void elf_notes_print(const struct elf_image *img)
{
	printf("Xen notes (%u):\n", img->nr_notes_seen);
	printf("  %4s  %-18s  %6s  %s\n", "type", "name", "descsz", "value");
	for (unsigned int i = 0; i < img->nr_notes; i++)
		elf_xen_note_print(&img->notes[i]);
	if (img->nr_notes < img->nr_notes_seen)
		printf("  ... %u more not shown\n", img->nr_notes_seen - img->nr_notes);
	if (img->has_reloc)
		printf("PHYS32_RELOC: align 0x%x, min 0x%x, max 0x%x (hvk loads at p_paddr)\n",
		       img->reloc_align, img->reloc_min, img->reloc_max);
}

static void elf_image_print(const struct elf_image *img)
{
	printf("%s: ELF%d, %s (e_machine %u), e_entry 0x%" PRIx64 "\n",
	       img->path, img->elf_class, elf_machine_name(img->machine),
	       img->machine, img->e_entry);
	elf_segments_print(img);
	elf_notes_print(img);
	printf("PHYS32 entry: 0x%08x\n", img->phys32_entry);
}

/* Returns -1 with *path set to go on, else the exit code to return. */
static int cmd_elf_args_parse(int argc, char **argv, const char **path)
{
	bool options = true;

	*path = NULL;
	for (int i = 1; i < argc; i++) {
		if (options && (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help"))) {
			cmd_elf_usage(stdout);
			return HVK_EXIT_CODE_OK;
		} else if (options && !strcmp(argv[i], "--")) {
			options = false;
		} else if (options && argv[i][0] == '-' && argv[i][1]) {
			fprintf(stderr, "hvk elf: unknown option '%s'\n", argv[i]);
			cmd_elf_usage(stderr);
			return HVK_EXIT_CODE_USAGE;
		} else if (*path) {
			fprintf(stderr, "hvk elf: one KERNEL only ('%s' is extra)\n", argv[i]);
			return HVK_EXIT_CODE_USAGE;
		} else {
			*path = argv[i];
		}
	}
	if (!*path) {
		cmd_elf_usage(stderr);
		return HVK_EXIT_CODE_USAGE;
	}
	return -1;
}

int cmd_elf(int argc, char **argv)
{
	struct elf_image img;
	struct hvk_err err;
	const char *path;
	int ret;

	ret = cmd_elf_args_parse(argc, argv, &path);
	if (ret >= 0)
		return ret;
	if (elf_image_open(&img, path, &err) < 0) {
		fprintf(stderr, "hvk: %s\n", err.msg);
		return HVK_EXIT_CODE_ERROR;
	}
	elf_image_print(&img);
	elf_image_close(&img);
	return HVK_EXIT_CODE_OK;
}
