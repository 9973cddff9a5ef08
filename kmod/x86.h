/* SPDX-License-Identifier: GPL-2.0 */
/* Architectural rules generic code and both backends check the same way. */
#ifndef HVK_KMOD_X86_H
#define HVK_KMOD_X86_H

#include <linux/types.h>

/* A 48-bit canonical address: bits 63:47 all equal (SDM 3.3.7.1). */
static inline bool hvk_is_canonical(u64 va)
{
	return (u64)(((s64)va << 16) >> 16) == va;
}

/* PAT entries may only hold the defined memory types (SDM 11.12.2). */
static inline bool hvk_pat_valid(u64 pat)
{
	int i;

	for (i = 0; i < 8; i++) {
		u8 type = pat >> (i * 8);

		if (type != 0 && type != 1 && (type < 4 || type > 7))
			return false;
	}
	return true;
}

#endif /* HVK_KMOD_X86_H */
