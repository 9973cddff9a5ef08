/* SPDX-License-Identifier: MIT */
#include <stdarg.h>

#include "check.h"
#include "shutdown.h"

const char *check_name = "check";
unsigned long checks_passed;

#define WHAT_MAX 200

static void passed(void)
{
	__atomic_add_fetch(&checks_passed, 1, __ATOMIC_RELAXED);
}

void expect_eq(long got, long want, const char *what, ...)
{
	char buf[WHAT_MAX];
	va_list ap;

	if (got == want) {
		passed();
		return;
	}
	va_start(ap, what);
	vsnprintf(buf, sizeof(buf), what, ap);
	va_end(ap);
	guest_fail("%s: %s returned %ld (0x%lx), expected %ld (0x%lx)", check_name, buf,
		   got, (unsigned long)got, want, (unsigned long)want);
}

void expect_ge(long got, long min, const char *what, ...)
{
	char buf[WHAT_MAX];
	va_list ap;

	if (got >= min) {
		passed();
		return;
	}
	va_start(ap, what);
	vsnprintf(buf, sizeof(buf), what, ap);
	va_end(ap);
	guest_fail("%s: %s returned %ld, expected >= %ld", check_name, buf, got, min);
}

void expect_true(bool cond, const char *what, ...)
{
	char buf[WHAT_MAX];
	va_list ap;

	if (cond) {
		passed();
		return;
	}
	va_start(ap, what);
	vsnprintf(buf, sizeof(buf), what, ap);
	va_end(ap);
	guest_fail("%s: %s", check_name, buf);
}
