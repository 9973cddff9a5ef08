/* Byte sizes on the command line ("64M") and in messages ("64 MiB"). */
#ifndef HVK_VMM_SIZE_H
#define HVK_VMM_SIZE_H

#include <stddef.h>
#include <stdint.h>

/*
 * Parses a decimal byte count with an optional binary suffix K, M, G or T
 * (either case; "64M" = 64 MiB).  No sign, spaces, hex or other trailing
 * characters.  Returns 0, -EINVAL for junk or -ERANGE if it overflows 64
 * bits.  Zero is accepted: whether it makes sense is the caller's call.
 */
int parse_size(const char *s, uint64_t *out);

/*
 * Writes bytes as "64 MiB" / "2 GiB" / "4 KiB" when it is an exact multiple
 * of the unit, else "12345 bytes".  Returns buf.
 */
char *size_format(char *buf, size_t len, uint64_t bytes);

/* Long enough for any size_format() result. */
#define SIZE_FORMAT_LEN 32

#endif /* HVK_VMM_SIZE_H */
