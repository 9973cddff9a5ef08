/* SPDX-License-Identifier: MIT */
/*
 * Fixed-width types shared by hvk.ko, the VMM and guests.
 *
 * Every 64-bit field in include/abi/ uses hvk_u64/hvk_s64: i386 aligns a plain
 * uint64_t to 4 bytes inside structs, which would give 32- and 64-bit callers
 * different layouts.  Forcing 8-byte alignment keeps one layout for both, so a
 * 32-bit VMM drives the 64-bit module with no compat translation.
 */
#ifndef HVK_ABI_TYPES_H
#define HVK_ABI_TYPES_H

#if defined(__KERNEL__)
#include <linux/types.h>
#else
#include <stdint.h>
#endif

typedef uint64_t hvk_u64 __attribute__((aligned(8)));
typedef int64_t hvk_s64 __attribute__((aligned(8)));

#endif /* HVK_ABI_TYPES_H */
