/* SPDX-License-Identifier: MIT */
/* sched_op (hypercall 29): sched_op(cmd, arg). */
#ifndef HVK_ABI_XEN_SCHED_H
#define HVK_ABI_XEN_SCHED_H

#include "../types.h"

#define XEN_SCHEDOP_YIELD       0
#define XEN_SCHEDOP_BLOCK       1
#define XEN_SCHEDOP_SHUTDOWN    2
#define XEN_SCHEDOP_POLL        3

#define XEN_SHUTDOWN_POWEROFF   0
#define XEN_SHUTDOWN_REBOOT     1
#define XEN_SHUTDOWN_SUSPEND    2
#define XEN_SHUTDOWN_CRASH      3
#define XEN_SHUTDOWN_WATCHDOG   4

/* SCHEDOP_shutdown's argument: 4 bytes. */
struct xen_sched_shutdown {
	uint32_t reason;        /* XEN_SHUTDOWN_* */
};

#endif /* HVK_ABI_XEN_SCHED_H */
