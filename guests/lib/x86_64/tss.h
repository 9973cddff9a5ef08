/* SPDX-License-Identifier: MIT */
/*
 * The 64-bit TSS (SDM Vol. 3 §8.7): RSP0 is the stack an interrupt from
 * ring 3 switches to; IST1 gives #DF a known-good stack.
 */
#ifndef GUEST_X86_64_TSS_H
#define GUEST_X86_64_TSS_H

#define DOUBLE_FAULT_IST        1

void tss_init(void);

#endif /* GUEST_X86_64_TSS_H */
