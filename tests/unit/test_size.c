/* parse_size() and size_format() (vmm/size.c). */
#include <errno.h>
#include <string.h>

#include "size.h"
#include "tests.h"

static void parse_ok(const char *s, uint64_t want)
{
	uint64_t got = 0;

	ck_assert_msg(parse_size(s, &got) == 0, "parse_size(\"%s\") failed", s);
	ck_assert_msg(got == want, "parse_size(\"%s\") = %llu, want %llu", s,
		      (unsigned long long)got, (unsigned long long)want);
}

static void parse_fails(const char *s, int want_err)
{
	uint64_t got = 12345;

	ck_assert_msg(parse_size(s, &got) == want_err,
		      "parse_size(\"%s\") did not return %d", s ? s : "(null)", want_err);
	ck_assert_msg(got == 12345, "parse_size(\"%s\") wrote *out on error", s);
}

START_TEST(test_size_plain_and_suffixes)
{
	parse_ok("0", 0);
	parse_ok("4096", 4096);
	parse_ok("007", 7);
	parse_ok("64K", 64ull << 10);
	parse_ok("64k", 64ull << 10);
	parse_ok("64M", 64ull << 20);
	parse_ok("64m", 64ull << 20);
	parse_ok("2G", 2ull << 30);
	parse_ok("1T", 1ull << 40);
	parse_ok("18446744073709551615", UINT64_MAX);
	parse_ok("16777215T", 16777215ull << 40);
}
END_TEST

START_TEST(test_size_junk)
{
	static const char *const junk[] = {
		"", "M", "64MB", "64 M", " 64", "64 ", "-1", "+1", "0x10",
		"1.5G", "64P", "64Mi", "abc", "6 4",
	};

	parse_fails(NULL, -EINVAL);
	for (size_t i = 0; i < sizeof(junk) / sizeof(junk[0]); i++)
		parse_fails(junk[i], -EINVAL);
}
END_TEST

START_TEST(test_size_overflow)
{
	parse_fails("18446744073709551616", -ERANGE);
	parse_fails("99999999999999999999999", -ERANGE);
	parse_fails("16777216T", -ERANGE);	/* 2^24 << 40 = 2^64 */
	parse_fails("17179869184G", -ERANGE);	/* 2^34 << 30 */
	parse_fails("18014398509481984K", -ERANGE);
}
END_TEST

START_TEST(test_size_format)
{
	char buf[SIZE_FORMAT_LEN];

	ck_assert_str_eq(size_format(buf, sizeof(buf), 64ull << 20), "64 MiB");
	ck_assert_str_eq(size_format(buf, sizeof(buf), 0x1000), "4 KiB");
	ck_assert_str_eq(size_format(buf, sizeof(buf), 1ull << 30), "1 GiB");
	ck_assert_str_eq(size_format(buf, sizeof(buf), 3ull << 40), "3 TiB");
	ck_assert_str_eq(size_format(buf, sizeof(buf), 0x180000), "1536 KiB");
	ck_assert_str_eq(size_format(buf, sizeof(buf), 12345), "12345 bytes");
	ck_assert_str_eq(size_format(buf, sizeof(buf), 0), "0 bytes");
	ck_assert_str_eq(size_format(buf, sizeof(buf), UINT64_MAX),
			 "18446744073709551615 bytes");
}
END_TEST

Suite *size_suite(void)
{
	Suite *s = suite_create("size");
	TCase *tc = tcase_create("parse_size");

	tcase_add_test(tc, test_size_plain_and_suffixes);
	tcase_add_test(tc, test_size_junk);
	tcase_add_test(tc, test_size_overflow);
	tcase_add_test(tc, test_size_format);
	suite_add_tcase(s, tc);
	return s;
}
