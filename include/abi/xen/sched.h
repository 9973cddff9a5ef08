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

/*
 * SCHEDOP_poll's argument: a guest pointer to nr u32 ports, and an
 * absolute timeout in system time (ns, the pvclock's clock; 0 = none).
 * 24 bytes from a 64-bit guest, 16 from a 32-bit one.
 */
#define XEN_SCHED_POLL_MAX_PORTS 128

struct xen_sched_poll64 {
	hvk_u64 ports;
	uint32_t nr_ports;
	uint32_t pad;
	hvk_u64 timeout;
};

struct xen_sched_poll32 {
	uint32_t ports;
	uint32_t nr_ports;
	hvk_u64 timeout;
};

#endif /* HVK_ABI_XEN_SCHED_H */
