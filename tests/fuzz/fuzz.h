/*
 * Shared by the libFuzzer targets of the loader and PVH layout (README in
 * docs/testing.md, "Fuzzing"): failing checks, error message rules, guest
 * RAM and in-memory files that the VMM code opens by path.
 */
#ifndef HVK_TESTS_FUZZ_H
#define HVK_TESTS_FUZZ_H

#include <stddef.h>
#include <stdint.h>

#include "elf.h"
#include "pvh.h"

/* The largest guest RAM a target uses (fuzz_ram() maps it once). */
#define FUZZ_RAM_MAX  (64u << 20)

/* A failed check: prints the message and aborts, so libFuzzer saves the input. */
#define FUZZ_CHECK(cond, ...)                                                 \
	do {                                                                  \
		if (!(cond))                                                  \
			fuzz_fail(__FILE__, __LINE__, #cond, __VA_ARGS__);    \
	} while (0)

void fuzz_fail(const char *file, int line, const char *cond, const char *fmt, ...)
	__attribute__((noreturn, format(printf, 4, 5)));

/*
 * A rejected input must say why: err->msg non-empty, one printable line,
 * no "(null)" or libelf's "(no error)", and naming `name` when not NULL.
 */
void fuzz_check_error(int ret, const struct hvk_err *err, const char *name);

/* With HVK_FUZZ_SHOW=1 in the environment: prints what became of an input. */
void fuzz_show(const char *what, int ret, const struct hvk_err *err);

/* ram[0, FUZZ_RAM_MAX), mapped once; not zeroed between inputs. */
unsigned char *fuzz_ram(void);

/*
 * An in-memory file (memfd) holding data[0, size), reused by slot (0..31);
 * returns its path, "/proc/self/fd/N", valid until the next call for slot.
 */
const char *fuzz_file(unsigned int slot, const void *data, size_t size);

/*
 * The checks on a kernel pvh_boot_load() accepted: every segment's bytes
 * from the file then zeroes, clear of the boot area, and start_info at its
 * place with the memmap of pvh.h.
 */
void fuzz_check_loaded(const unsigned char *ram, uint64_t ram_size,
		       const struct elf_image *img, const struct pvh_layout *layout);

#endif /* HVK_TESTS_FUZZ_H */
