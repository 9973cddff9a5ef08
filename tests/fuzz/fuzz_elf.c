/*
 * Fuzz target "elf": the input is a guest kernel file.  Opened in memory
 * and by path (they must agree to the byte), shown by `hvk elf`, and when
 * accepted, loaded with a fixed PVH configuration into 16 MiB of guest RAM:
 * then only the kernel can be at fault, so every error must name it.
 */
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sanitizer/common_interface_defs.h>

#include "commands.h"
#include "fuzz.h"

#define FUZZ_ELF_RAM  (16u << 20)

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int null_fd = -1, stderr_fd = -1;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	/*
	 * `hvk elf` prints the image on stdout and its error on stderr, once
	 * an input: both go to /dev/null (run_cmd_elf()), and the sanitizers
	 * report on a copy of stderr that stays.
	 */
	null_fd = open("/dev/null", O_WRONLY);
	stderr_fd = dup(STDERR_FILENO);
	if (null_fd < 0 || stderr_fd < 0 || dup2(null_fd, STDOUT_FILENO) < 0)
		abort();
	__sanitizer_set_report_fd((void *)(intptr_t)stderr_fd);
	return 0;
}

static int run_cmd_elf(const char *path)
{
	char *argv[] = { "elf", (char *)path, NULL };
	int code;

	FUZZ_CHECK(dup2(null_fd, STDERR_FILENO) >= 0, "dup2: %m");
	code = cmd_elf(2, argv);
	FUZZ_CHECK(dup2(stderr_fd, STDERR_FILENO) >= 0, "dup2: %m");
	return code;
}

/* A closed image holds nothing (elf_image_close() on it is harmless). */
static void check_closed(const struct elf_image *img)
{
	FUZZ_CHECK(!img->elf && !img->path && img->fd == -1, "image left open");
}

static void check_image(const struct elf_image *img)
{
	FUZZ_CHECK(img->elf_class == 32 || img->elf_class == 64, "class %d",
		   img->elf_class);
	FUZZ_CHECK(img->nr_segments >= 1 && img->nr_segments <= ELF_IMAGE_MAX_SEGMENTS,
		   "%u segments", img->nr_segments);
	FUZZ_CHECK(img->nr_notes <= img->nr_notes_seen &&
		   img->nr_notes <= ELF_IMAGE_MAX_NOTES, "notes");
	for (unsigned int i = 0; i < img->nr_segments; i++) {
		const struct elf_segment *s = &img->segments[i];

		FUZZ_CHECK(s->filesz <= img->file_size &&
			   s->offset <= img->file_size - s->filesz,
			   "PT_LOAD[%u] outside the file", i);
	}
	FUZZ_CHECK(elf_image_find_overlap(img, img->phys32_entry,
					  (uint64_t)img->phys32_entry + 1) >= 0,
		   "entry 0x%x outside the segments", img->phys32_entry);
}

static void boot(const struct elf_image *img)
{
	static const struct pvh_module module = {
		.data = "initrd", .size = 6, .cmdline = "module",
	};
	const struct pvh_config cfg = {
		.cmdline = "console=hvc0", .modules = &module, .nr_modules = 1,
		.acpi = true, .nr_vcpus = 2, .console_page = true,
	};
	unsigned char *ram = fuzz_ram();
	struct hvk_err err = { "" };
	struct pvh_layout layout;
	int ret;

	ret = pvh_boot_load(&layout, ram, FUZZ_ELF_RAM, img, &cfg, &err);
	fuzz_show("boot", ret, &err);
	if (ret < 0) {
		fuzz_check_error(ret, &err, img->path);
		return;
	}
	FUZZ_CHECK(ret == 0, "pvh_boot_load returned %d", ret);
	fuzz_check_loaded(ram, FUZZ_ELF_RAM, img, &layout);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *path = fuzz_file(0, data, size);
	struct hvk_err err = { "" }, ferr = { "" };
	struct elf_image img, fimg;
	/* An exact-size copy: ASan sees any read past the file's last byte. */
	unsigned char *copy = malloc(size ? size : 1);
	int ret, fret, code;

	FUZZ_CHECK(copy, "out of memory");
	memcpy(copy, data, size);
	ret = elf_image_open_mem(&img, path, copy, size, &err);
	fret = elf_image_open(&fimg, path, &ferr);
	fuzz_show("open", ret, &err);
	FUZZ_CHECK(ret == fret && !strcmp(err.msg, ferr.msg),
		   "in memory %d '%s', by path %d '%s'", ret, err.msg, fret, ferr.msg);
	if (ret < 0) {
		fuzz_check_error(ret, &err, path);
		/* libelf's bare verdict: elf_refused() names the field instead. */
		FUZZ_CHECK(!strstr(err.msg, ": not a valid ELF file ("), "'%s'", err.msg);
		check_closed(&img);
		check_closed(&fimg);
	} else {
		FUZZ_CHECK(ret == 0, "elf_image_open_mem returned %d", ret);
		check_image(&img);
		boot(&img);
	}
	elf_image_close(&fimg);
	elf_image_close(&img);
	elf_image_close(&img);	/* twice: harmless */
	code = run_cmd_elf(path);
	FUZZ_CHECK(code == (ret == 0 ? HVK_EXIT_CODE_OK : HVK_EXIT_CODE_ERROR),
		   "hvk elf exited %d, open returned %d", code, ret);
	free(copy);
	return 0;
}
