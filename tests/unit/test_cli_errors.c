/*
 * The hvk CLI's error paths that need no hypervisor: usage errors (exit 2)
 * with the message naming the option and its limits, and a missing module,
 * debugfs or tracefs (exit 1) with a message saying what to do.  The
 * development and CI machines have no /dev/hvk; where a host does, the
 * environment checks expect success instead.
 */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "commands.h"
#include "tests.h"

#define ARGC(a) ((int)(sizeof(a) / sizeof((a)[0])) - 1)

static void expect_usage(int (*cmd)(int, char **), int argc, char **argv,
			 const char *message)
{
	struct run_result r;

	cmd_capture(&r, cmd, argc, argv);
	ck_assert_int_eq(r.code, HVK_EXIT_CODE_USAGE);
	ck_assert_str_contains(r.err, message);
}

START_TEST(test_run_usage_errors)
{
	char *cpus0[] = { "run", "--cpus", "0", "k.elf", NULL };
	char *cpus65[] = { "run", "--cpus", "65", "k.elf", NULL };
	char *mem_junk[] = { "run", "--mem", "12x", "k.elf", NULL };
	char *mem_odd[] = { "run", "--mem", "4097", "k.elf", NULL };
	char *timeout0[] = { "run", "--timeout", "0", "k.elf", NULL };
	char *no_kernel[] = { "run", "--quiet", NULL };
	char *two_kernels[] = { "run", "a.elf", "b.elf", NULL };
	char *cpus0_after[] = { "run", "k.elf", "--cpus", "0", NULL };  /* options follow KERNEL too */
	char *unknown[] = { "run", "--bogus", "k.elf", NULL };
	char *unclaimed_bad[] = { "run", "--unclaimed-io=crash", "k.elf", NULL };
	char *unclaimed_empty[] = { "run", "--unclaimed-io", "", "k.elf", NULL };

	expect_usage(cmd_run, ARGC(cpus0), cpus0, "--cpus '0': want 1 to 64");
	expect_usage(cmd_run, ARGC(cpus65), cpus65, "--cpus '65': want 1 to 64");
	expect_usage(cmd_run, ARGC(mem_junk), mem_junk, "--mem '12x'");
	expect_usage(cmd_run, ARGC(mem_odd), mem_odd, "a multiple of 4K");
	expect_usage(cmd_run, ARGC(timeout0), timeout0, "--timeout '0': want seconds");
	expect_usage(cmd_run, ARGC(no_kernel), no_kernel, "expected one KERNEL argument");
	expect_usage(cmd_run, ARGC(two_kernels), two_kernels, "expected one KERNEL argument");
	expect_usage(cmd_run, ARGC(cpus0_after), cpus0_after, "--cpus '0': want 1 to 64");
	expect_usage(cmd_run, ARGC(unknown), unknown, "usage: hvk run");
	expect_usage(cmd_run, ARGC(unclaimed_bad), unclaimed_bad,
		     "hvk run: --unclaimed-io 'crash': want exit or ignore");
	expect_usage(cmd_run, ARGC(unclaimed_empty), unclaimed_empty,
		     "hvk run: --unclaimed-io '': want exit or ignore");
}
END_TEST

/* --help documents the ACPI and unclaimed-I/O options (docs/cli.md). */
START_TEST(test_run_help)
{
	char *argv[] = { "run", "--help", NULL };
	struct run_result r;

	cmd_capture(&r, cmd_run, ARGC(argv), argv);
	ck_assert_int_eq(r.code, HVK_EXIT_CODE_OK);
	ck_assert_str_contains(r.out, "--no-acpi");
	ck_assert_str_contains(r.out, "--unclaimed-io exit|ignore");
}
END_TEST

START_TEST(test_run_missing_kernel)
{
	char *argv[] = { "run", "/nonexistent/guest.elf", NULL };
	struct run_result r;

	cmd_capture(&r, cmd_run, ARGC(argv), argv);
	ck_assert_int_eq(r.code, HVK_EXIT_CODE_ERROR);
	ck_assert_str_contains(r.err, "hvk: /nonexistent/guest.elf:");
}
END_TEST

/*
 * --timeout takes seconds with up to three decimals: the good ones let the
 * run go on to open the kernel, the bad ones are usage errors.
 */
START_TEST(test_run_timeout_decimals)
{
	static const char *const ok[] = { "0.25", "0.001", "86400", "86400.000", "2.5" };
	static const char *const bad[] = { "1.2345", ".5", "1.", "86400.001", "0.0004",
					   "18446744073709551617", "1e3", "-1", " 1" };

	for (unsigned int i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		char *argv[] = { "run", "--timeout", (char *)ok[i], "/nonexistent/guest.elf", NULL };
		struct run_result r;

		cmd_capture(&r, cmd_run, ARGC(argv), argv);
		ck_assert_msg(r.code == HVK_EXIT_CODE_ERROR, "--timeout %s: exit %d", ok[i], r.code);
		ck_assert_str_contains(r.err, "hvk: /nonexistent/guest.elf:");
	}
	for (unsigned int i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		char *argv[] = { "run", "--timeout", (char *)bad[i], "k.elf", NULL };
		char want[96];

		snprintf(want, sizeof(want), "--timeout '%s': want seconds from 0.001 to 86400",
			 bad[i]);
		expect_usage(cmd_run, ARGC(argv), argv, want);
	}
}
END_TEST

START_TEST(test_info_without_module)
{
	char *argv[] = { "info", NULL };
	char *extra[] = { "info", "x", NULL };
	struct run_result r;

	expect_usage(cmd_info, ARGC(extra), extra, "usage: hvk info");
	cmd_capture(&r, cmd_info, ARGC(argv), argv);
	if (access("/dev/hvk", F_OK) == 0) {
		ck_assert_int_eq(r.code, HVK_EXIT_CODE_OK);
		return;
	}
	ck_assert_int_eq(r.code, HVK_EXIT_CODE_ERROR);
	ck_assert_str_contains(r.err, "cannot open /dev/hvk");
	ck_assert_str_contains(r.err, "is the module loaded? sudo insmod kmod/hvk.ko");
}
END_TEST

START_TEST(test_stat_errors)
{
	char *bad_pid[] = { "stat", "bogus", NULL };
	char *two[] = { "stat", "1", "2", NULL };
	char *argv[] = { "stat", NULL };
	struct run_result r;

	expect_usage(cmd_stat, ARGC(bad_pid), bad_pid, "'bogus' is not a process id");
	expect_usage(cmd_stat, ARGC(two), two, "usage: hvk stat [PID]");
	if (access("/sys/kernel/debug/hvk", F_OK) == 0)
		return;
	cmd_capture(&r, cmd_stat, ARGC(argv), argv);
	ck_assert_int_eq(r.code, HVK_EXIT_CODE_ERROR);
	ck_assert(strstr(r.err, "debugfs is not mounted (mount -t debugfs") ||
		  strstr(r.err, "(is hvk.ko loaded?)") ||
		  strstr(r.err, "permission denied (run as root)"));
}
END_TEST

START_TEST(test_trace_errors)
{
	char *pid0[] = { "trace", "--pid", "0", NULL };
	char *extra[] = { "trace", "x", NULL };
	char *argv[] = { "trace", NULL };
	struct run_result r;

	expect_usage(cmd_trace, ARGC(pid0), pid0, "--pid '0': want a process id");
	expect_usage(cmd_trace, ARGC(extra), extra, "usage: hvk trace");
	if (access("/sys/kernel/tracing/events/hvk", F_OK) == 0 ||
	    access("/sys/kernel/debug/tracing/events/hvk", F_OK) == 0)
		return;         /* hvk is loaded here: tracing would start */
	cmd_capture(&r, cmd_trace, ARGC(argv), argv);
	ck_assert_int_eq(r.code, HVK_EXIT_CODE_ERROR);
	ck_assert(strstr(r.err, "tracefs is not mounted (mount -t tracefs") ||
		  strstr(r.err, "(is hvk.ko loaded?)") ||
		  strstr(r.err, "permission denied: tracing needs root"));
}
END_TEST

Suite *cli_errors_suite(void)
{
	Suite *s = suite_create("cli_errors");
	TCase *tc = tcase_create("cli_errors");

	tcase_add_test(tc, test_run_usage_errors);
	tcase_add_test(tc, test_run_help);
	tcase_add_test(tc, test_run_missing_kernel);
	tcase_add_test(tc, test_run_timeout_decimals);
	tcase_add_test(tc, test_info_without_module);
	tcase_add_test(tc, test_stat_errors);
	tcase_add_test(tc, test_trace_errors);
	suite_add_tcase(s, tc);
	return s;
}
