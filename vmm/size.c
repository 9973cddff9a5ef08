/* Byte sizes: "64M" on the command line, "64 MiB" in messages. */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>

#include "size.h"

/* Binary shift of a size suffix, or -1 if c is not one. */
static int size_suffix_shift(char c)
{
	switch (c) {
	case 'k': case 'K': return 10;
	case 'm': case 'M': return 20;
	case 'g': case 'G': return 30;
	case 't': case 'T': return 40;
	default:            return -1;
	}
}

int parse_size(const char *s, uint64_t *out)
{
	uint64_t value = 0;
	const char *p = s;
	int shift = 0;

	/* By hand, not strtoull(): that accepts spaces, signs and "0x". */
	if (!s || *p < '0' || *p > '9')
		return -EINVAL;
	for (; *p >= '0' && *p <= '9'; p++) {
		unsigned int digit = *p - '0';

		if (value > (UINT64_MAX - digit) / 10)
			return -ERANGE;
		value = value * 10 + digit;
	}
	if (*p) {
		shift = size_suffix_shift(*p++);
		if (shift < 0 || *p)
			return -EINVAL;
	}
	if (value > (UINT64_MAX >> shift))
		return -ERANGE;
	*out = value << shift;
	return 0;
}

char *size_format(char *buf, size_t len, uint64_t bytes)
{
	static const char *const units[] = { "TiB", "GiB", "MiB", "KiB" };
	static const int shifts[] = { 40, 30, 20, 10 };

	for (unsigned int i = 0; i < 4; i++) {
		uint64_t unit = UINT64_C(1) << shifts[i];

		if (bytes && bytes % unit == 0) {
			snprintf(buf, len, "%" PRIu64 " %s", bytes / unit, units[i]);
			return buf;
		}
	}
	snprintf(buf, len, "%" PRIu64 " bytes", bytes);
	return buf;
}
