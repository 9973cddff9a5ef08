/* SPDX-License-Identifier: MIT */
/*
 * A small printf: %d %i %u %x %X %p %c %s %%, length modifiers l, ll, z,
 * flags '-' and '0', and a decimal field width.  printf() writes to the
 * console in chunks, so output of any length appears whole.
 */
#ifndef GUEST_PRINTF_H
#define GUEST_PRINTF_H

#include <stdarg.h>
#include <stddef.h>

#define GUEST_PRINTF(fmt_idx, arg_idx) \
	__attribute__((format(printf, fmt_idx, arg_idx)))

int printf(const char *fmt, ...) GUEST_PRINTF(1, 2);
int vprintf(const char *fmt, va_list ap);
int snprintf(char *buf, size_t size, const char *fmt, ...) GUEST_PRINTF(3, 4);
int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap);

#endif /* GUEST_PRINTF_H */
