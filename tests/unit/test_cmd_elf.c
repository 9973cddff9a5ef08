/* `hvk elf` (vmm/cmd_elf.c): exit codes and what it prints. */
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "commands.h"
#include "tests.h"

/* Runs cmd_elf with stdout and stderr captured. */
static void cmd_elf_run(struct run_result *r, int argc, char **argv)
{
	cmd_capture(r, cmd_elf, argc, argv);
}

START_TEST(test_cmd_elf_help)
{
	char *argv[] = { "elf", "--help", NULL };
	struct run_result r;

	cmd_elf_run(&r, 2, argv);
	ck_assert_int_eq(r.code, HVK_EXIT_CODE_OK);
	ck_assert_str_contains(r.out, "usage: hvk elf KERNEL");
	ck_assert_str_eq(r.err, "");
}
END_TEST

START_TEST(test_cmd_elf_usage_errors)
{
	char *none[] = { "elf", NULL };
	char *bad[] = { "elf", "--bogus", NULL };
	char *two[] = { "elf", "a", "b", NULL };
	struct run_result r;

	cmd_elf_run(&r, 1, none);
	ck_assert_int_eq(r.code, HVK_EXIT_CODE_USAGE);
	ck_assert_str_contains(r.err, "usage: hvk elf");
	cmd_elf_run(&r, 2, bad);
	ck_assert_int_eq(r.code, HVK_EXIT_CODE_USAGE);
	ck_assert_str_contains(r.err, "unknown option '--bogus'");
	cmd_elf_run(&r, 3, two);
	ck_assert_int_eq(r.code, HVK_EXIT_CODE_USAGE);
	ck_assert_str_contains(r.err, "'b' is extra");
}
END_TEST

START_TEST(test_cmd_elf_bad_file)
{
	char path[PATH_MAX], want[PATH_MAX + 64];
	char *argv[] = { "elf", path, NULL };
	struct run_result r;

	file_write(tmp_path(path, "notelf"), "hello", 5);
	cmd_elf_run(&r, 2, argv);
	ck_assert_int_eq(r.code, HVK_EXIT_CODE_ERROR);
	snprintf(want, sizeof(want), "hvk: %s: not an ELF file\n", path);
	ck_assert_str_eq(r.err, want);
	ck_assert_str_eq(r.out, "");
}
END_TEST

START_TEST(test_cmd_elf_shows_kernel)
{
	static const uint64_t virt = 0xffffffff80000000ull;
	char path[PATH_MAX];
	char *argv[] = { "elf", "--", path, NULL };
	struct tgen_elf spec;
	struct run_result r;

	tgen_default(&spec, ELFCLASS32, EM_X86_64, 8);
	tgen_note_add(&spec, NULL, 6, "linux", 6);
	tgen_note_add(&spec, NULL, 3, &virt, 8);
	tgen_segment_add(&spec, 0x200000, 0x10, 0x20)->flags = PF_R | PF_W;
	tgen_write(tmp_path(path, "show.elf"), &spec);
	cmd_elf_run(&r, 3, argv);
	ck_assert_int_eq(r.code, HVK_EXIT_CODE_OK);
	ck_assert_str_contains(r.out, ": ELF32, x86-64 (e_machine 62)");
	ck_assert_str_contains(r.out, "PT_LOAD segments (2):");
	ck_assert_str_contains(r.out, "[0]      0  0x0000000000100000  0x00000000c0100000  0x00001000  0x00003000  R-X");
	ck_assert_str_contains(r.out, "[1]      1  0x0000000000200000  0x00000000c0200000  0x00000010  0x00000020  RW-");
	ck_assert_str_contains(r.out, "Xen notes (3):");
	ck_assert_str_contains(r.out, "  18  PHYS32_ENTRY             8  0x100040\n");
	ck_assert_str_contains(r.out, "   6  GUEST_OS                 6  \"linux\"\n");
	ck_assert_str_contains(r.out, "   3  VIRT_BASE                8  0xffffffff80000000\n");
	ck_assert_str_contains(r.out, "PHYS32 entry: 0x00100040\n");
	ck_assert_str_eq(r.err, "");
}
END_TEST

Suite *cmd_elf_suite(void)
{
	Suite *s = suite_create("cmd_elf");
	TCase *tc = tcase_create("cli");

	tcase_add_test(tc, test_cmd_elf_help);
	tcase_add_test(tc, test_cmd_elf_usage_errors);
	tcase_add_test(tc, test_cmd_elf_bad_file);
	tcase_add_test(tc, test_cmd_elf_shows_kernel);
	suite_add_tcase(s, tc);
	return s;
}
