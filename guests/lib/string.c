/* SPDX-License-Identifier: MIT */
#include "string.h"

void *memset(void *dst, int c, size_t n)
{
	unsigned char *d = dst;

	while (n--)
		*d++ = (unsigned char)c;
	return dst;
}

void *memcpy(void *dst, const void *src, size_t n)
{
	unsigned char *d = dst;
	const unsigned char *s = src;

	while (n--)
		*d++ = *s++;
	return dst;
}

/* Words may alias the bytes they are read from. */
typedef unsigned long __attribute__((may_alias)) word_t;

int memcmp(const void *a, const void *b, size_t n)
{
	const unsigned char *x = a, *y = b;

	/*
	 * A word at a time while both are aligned and equal: fuzz-hcall's
	 * verify compares 50 KB, a byte at a time 6 instructions a byte.
	 */
	if (!(((unsigned long)x | (unsigned long)y) & (sizeof(word_t) - 1)))
		for (; n >= sizeof(word_t) && *(const word_t *)x == *(const word_t *)y;
		     n -= sizeof(word_t), x += sizeof(word_t), y += sizeof(word_t))
			;
	for (; n; n--, x++, y++)
		if (*x != *y)
			return *x - *y;
	return 0;
}

size_t strlen(const char *s)
{
	size_t n = 0;

	while (s[n])
		n++;
	return n;
}

int strncmp(const char *a, const char *b, size_t n)
{
	for (; n; n--, a++, b++) {
		if (*a != *b)
			return (unsigned char)*a - (unsigned char)*b;
		if (!*a)
			break;
	}
	return 0;
}
