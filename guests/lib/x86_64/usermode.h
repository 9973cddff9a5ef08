/* SPDX-License-Identifier: MIT */
/*
 * A round trip to ring 3 (x86_64/usermode_switch.S): IRETQ to `fn` at CPL 3 on
 * `user_stack_top`; when fn returns, a trampoline issues
 * `int $USERMODE_RETURN_VECTOR` through a DPL-3 interrupt gate, which
 * switches to TSS.RSP0 and returns fn's result to the caller at CPL 0.
 * fn, its stack and everything it touches must be on user pages
 * (paging_map_large(..., PTE_USER)).
 */
#ifndef GUEST_X86_64_USERMODE_H
#define GUEST_X86_64_USERMODE_H

#define USERMODE_RETURN_VECTOR  0x80

#ifndef __ASSEMBLER__
long usermode_call(long (*fn)(void), void *user_stack_top);
#endif

#endif /* GUEST_X86_64_USERMODE_H */
