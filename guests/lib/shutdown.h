/* SPDX-License-Identifier: MIT */
/*
 * Ending a guest.  On hvk and Xen: sched_op(SCHEDOP_shutdown, {reason});
 * the hvk VMM exits 0 for poweroff and 10 for crash.  On native: a write to
 * QEMU's isa-debug-exit device (-device isa-debug-exit,iobase=0xf4,iosize=4),
 * which makes QEMU exit with (value << 1) | 1:
 *
 *   reason     value   QEMU exit status
 *   poweroff   0       1
 *   crash      1       3
 *   other      2       5
 *
 * Without that device the write is ignored and the vCPU halts.
 */
#ifndef GUEST_SHUTDOWN_H
#define GUEST_SHUTDOWN_H

#include "printf.h"

#define NATIVE_EXIT_PORT            0xf4
#define NATIVE_EXIT_POWEROFF        0
#define NATIVE_EXIT_CRASH           1
#define NATIVE_EXIT_OTHER           2

/* The isa-debug-exit value for a XEN_SHUTDOWN_* reason (table above). */
unsigned int native_exit_value(unsigned int reason);

__attribute__((noreturn)) void guest_shutdown(unsigned int reason);

/* Power off: the test passed. */
__attribute__((noreturn)) void guest_pass(void);

/* Print "FAIL: <reason>" and shut down with XEN_SHUTDOWN_CRASH. */
__attribute__((noreturn)) void guest_fail(const char *fmt, ...) GUEST_PRINTF(1, 2);

#endif /* GUEST_SHUTDOWN_H */
