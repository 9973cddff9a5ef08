/* The console's escape key (vmm/console_escape.c), as QEMU's Ctrl-a. */
#include <string.h>

#include "console_escape.h"
#include "tests.h"

/* Filters s (n bytes) through esc; the guest's bytes in out, NUL-ended. */
static enum console_escape_command filter(struct console_escape *esc, const char *s,
					  size_t n, char *out)
{
	size_t len = 12345;
	enum console_escape_command cmd = console_escape_filter(esc, s, n, out, &len);

	ck_assert_uint_le(len, n);
	out[len] = '\0';
	return cmd;
}

START_TEST(test_plain_bytes_pass)
{
	struct console_escape esc = { 0 };
	char out[64];

	ck_assert_int_eq(filter(&esc, "ls\r\x03\x04", 5, out), CONSOLE_ESCAPE_NONE);
	ck_assert_str_eq(out, "ls\r\x03\x04");          /* Ctrl-C, Ctrl-D: the guest's */
}
END_TEST

START_TEST(test_quit)
{
	struct console_escape esc = { 0 };
	char out[64];

	ck_assert_int_eq(filter(&esc, "ab\x01xcd", 6, out), CONSOLE_ESCAPE_QUIT);
	ck_assert_str_eq(out, "ab");                    /* nothing after the quit */
}
END_TEST

START_TEST(test_literal_ctrl_a)
{
	struct console_escape esc = { 0 };
	char out[64];

	ck_assert_int_eq(filter(&esc, "\x01\x01x", 3, out), CONSOLE_ESCAPE_NONE);
	ck_assert_str_eq(out, "\x01x");                 /* Ctrl-a Ctrl-a, then a plain x */
	ck_assert(!esc.pending);
}
END_TEST

/* Ctrl-a at the end of one read, its command at the start of the next. */
START_TEST(test_escape_across_reads)
{
	struct console_escape esc = { 0 };
	char out[64];

	ck_assert_int_eq(filter(&esc, "a\x01", 2, out), CONSOLE_ESCAPE_NONE);
	ck_assert_str_eq(out, "a");
	ck_assert(esc.pending);
	ck_assert_int_eq(filter(&esc, "x", 1, out), CONSOLE_ESCAPE_QUIT);
	ck_assert_str_eq(out, "");
}
END_TEST

START_TEST(test_help_and_unknown)
{
	struct console_escape esc = { 0 };
	char out[64];

	ck_assert_int_eq(filter(&esc, "\x01hok", 4, out), CONSOLE_ESCAPE_SHOW_HELP);
	ck_assert_str_eq(out, "ok");
	/* An unknown command is dropped with its Ctrl-a, as in QEMU. */
	ck_assert_int_eq(filter(&esc, "1\x01q2", 4, out), CONSOLE_ESCAPE_NONE);
	ck_assert_str_eq(out, "12");
}
END_TEST

Suite *console_escape_suite(void)
{
	Suite *s = suite_create("console_escape");
	TCase *tc = tcase_create("keys");

	tcase_add_test(tc, test_plain_bytes_pass);
	tcase_add_test(tc, test_quit);
	tcase_add_test(tc, test_literal_ctrl_a);
	tcase_add_test(tc, test_escape_across_reads);
	tcase_add_test(tc, test_help_and_unknown);
	suite_add_tcase(s, tc);
	return s;
}
