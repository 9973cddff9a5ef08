/* SPDX-License-Identifier: MIT */
/*
 * The one GDT both runtimes use (entry32.S).  Included from C and assembly.
 * 32-bit guests use only the first two descriptors; the rest serve the
 * 64-bit runtime: a 64-bit kernel code segment to enter long mode, user
 * segments and a 16-byte TSS descriptor for ring 3 (SDM Vol. 3 §3.4.5, §8.2.3).
 */
#ifndef GUEST_SEGMENTS_H
#define GUEST_SEGMENTS_H

#define SEL_KERNEL_CODE32   0x08
#define SEL_KERNEL_DATA     0x10
#define SEL_KERNEL_CODE64   0x18
#define SEL_USER_DATA       0x20    /* DPL 3: use with RPL 3 (| 3) */
#define SEL_USER_CODE64     0x28    /* DPL 3 */
#define SEL_TSS             0x30    /* 16 bytes: two slots */
#define GDT_SLOTS           8

#define RPL_USER            3

#endif /* GUEST_SEGMENTS_H */
