/* SPDX-License-Identifier: MIT */
#include <stdbool.h>
#include <stdint.h>

#include "console.h"
#include "printf.h"

/* Where formatted characters go: a caller's buffer, or a chunk for the console. */
struct out {
	char *buf;
	size_t cap;             /* characters buf holds (snprintf: size - 1) */
	size_t len;             /* characters in buf */
	size_t total;           /* characters produced: the return value */
	bool to_console;        /* flush to the console when full */
};

static void out_flush(struct out *o)
{
	if (o->to_console && o->len)
		console_write(o->buf, o->len);
	o->len = 0;
}

static void out_char(struct out *o, char c)
{
	o->total++;
	if (o->len == o->cap && o->to_console)
		out_flush(o);
	if (o->len < o->cap)
		o->buf[o->len++] = c;
}

struct spec {
	bool left;              /* '-' */
	bool zero;              /* '0' */
	unsigned int width;
	unsigned int longs;     /* 0, 1 (l, z) or 2 (ll) */
};

static void out_padded(struct out *o, const struct spec *s, const char *str,
		       size_t len, bool negative)
{
	size_t used = len + negative;
	size_t pad = s->width > used ? s->width - used : 0;

	if (!s->left && !s->zero)
		for (; pad; pad--)
			out_char(o, ' ');
	if (negative)
		out_char(o, '-');
	if (!s->left)
		for (; pad; pad--)
			out_char(o, '0');
	while (len--)
		out_char(o, *str++);
	for (; pad; pad--)
		out_char(o, ' ');
}

/* 64-bit division in 32-bit code comes from libgcc (__udivdi3). */
static void out_number(struct out *o, const struct spec *s,
		       unsigned long long v, unsigned int base, bool upper,
		       bool negative)
{
	const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
	char tmp[24];
	size_t n = sizeof(tmp);

	do {
		tmp[--n] = digits[v % base];
		v /= base;
	} while (v);
	out_padded(o, s, tmp + n, sizeof(tmp) - n, negative);
}

static unsigned long long arg_unsigned(va_list *ap, unsigned int longs)
{
	if (longs == 2)
		return va_arg(*ap, unsigned long long);
	if (longs == 1)
		return va_arg(*ap, unsigned long);
	return va_arg(*ap, unsigned int);
}

static long long arg_signed(va_list *ap, unsigned int longs)
{
	if (longs == 2)
		return va_arg(*ap, long long);
	if (longs == 1)
		return va_arg(*ap, long);
	return va_arg(*ap, int);
}

static const char *parse_spec(const char *f, struct spec *s)
{
	*s = (struct spec){ 0 };
	for (;; f++) {
		if (*f == '-')
			s->left = true;
		else if (*f == '0')
			s->zero = true;
		else
			break;
	}
	for (; *f >= '0' && *f <= '9'; f++)
		s->width = s->width * 10 + (unsigned int)(*f - '0');
	/* 'z' counts as 'l': size_t is unsigned long in both modes. */
	for (; *f == 'l' || *f == 'z'; f++)
		s->longs++;
	if (s->longs > 2)
		s->longs = 2;
	return f;
}

/*
 * Helpers take a va_list * : on x86-64 va_list is an array type, so it is
 * copied into a local first rather than taking the address of a parameter.
 */
static void format(struct out *o, const char *f, va_list caller_ap)
{
	va_list ap;

	va_copy(ap, caller_ap);
	for (; *f; f++) {
		struct spec s;

		if (*f != '%') {
			out_char(o, *f);
			continue;
		}
		f = parse_spec(f + 1, &s);
		switch (*f) {
		case 'd':
		case 'i': {
			long long v = arg_signed(&ap, s.longs);
			unsigned long long mag = v < 0 ? 0ull - (unsigned long long)v
						       : (unsigned long long)v;

			out_number(o, &s, mag, 10, false, v < 0);
			break;
		}
		case 'u':
			out_number(o, &s, arg_unsigned(&ap, s.longs), 10, false, false);
			break;
		case 'x':
		case 'X':
			out_number(o, &s, arg_unsigned(&ap, s.longs), 16, *f == 'X', false);
			break;
		case 'p':
			out_char(o, '0');
			out_char(o, 'x');
			out_number(o, &s, (uintptr_t)va_arg(ap, void *), 16, false, false);
			break;
		case 'c': {
			char c = (char)va_arg(ap, int);

			out_padded(o, &s, &c, 1, false);
			break;
		}
		case 's': {
			const char *str = va_arg(ap, const char *);
			size_t len = 0;

			if (!str)
				str = "(null)";
			while (str[len])
				len++;
			out_padded(o, &s, str, len, false);
			break;
		}
		case '%':
			out_char(o, '%');
			break;
		case '\0':
			f--;    /* a lone '%' ends the format */
			break;
		default:        /* unknown: print it as written */
			out_char(o, '%');
			out_char(o, *f);
			break;
		}
	}
	va_end(ap);
}

int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
	struct out o = { .buf = buf, .cap = size ? size - 1 : 0 };

	format(&o, fmt, ap);
	if (size)
		buf[o.len] = '\0';
	return (int)o.total;
}

int snprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return n;
}

int vprintf(const char *fmt, va_list ap)
{
	char chunk[128];
	struct out o = { .buf = chunk, .cap = sizeof(chunk), .to_console = true };

	format(&o, fmt, ap);
	out_flush(&o);
	return (int)o.total;
}

int printf(const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vprintf(fmt, ap);
	va_end(ap);
	return n;
}
