/* SPDX-License-Identifier: MIT */
/*
 * event_channel_op (hypercall 32): event_channel_op(cmd, arg)
 * (xen/include/public/event_channel.h; REFERENCE-GUEST-SERVICES §3).
 *
 * Every argument has the same layout for 32- and 64-bit guests (u32 ports
 * and vCPUs, u16 domids).  Byte offsets:
 *   alloc_unbound     0 dom, 2 remote_dom, 4 →port                    8
 *   bind_interdomain  0 remote_dom, 4 remote_port, 8 →local_port     12
 *   bind_virq         0 virq, 4 vcpu, 8 →port                         12
 *   bind_pirq         0 pirq, 4 flags, 8 →port                        12
 *   bind_ipi          0 vcpu, 4 →port                                  8
 *   close/send/unmask 0 port                                           4
 *   status            0 dom, 4 port, 8 →status, 12 →vcpu, 16 →union   24
 *   bind_vcpu         0 port, 4 vcpu                                   8
 *   reset             0 dom                                            2
 *   init_control      0 control_gfn, 8 offset, 12 vcpu, 16 →link_bits 24
 *   expand_array      0 array_gfn                                      8
 *   set_priority      0 port, 4 priority                               8
 */
#ifndef HVK_ABI_XEN_EVENT_CHANNEL_H
#define HVK_ABI_XEN_EVENT_CHANNEL_H

#include "../types.h"

#define XEN_EVTCHNOP_BIND_INTERDOMAIN  0
#define XEN_EVTCHNOP_BIND_VIRQ         1
#define XEN_EVTCHNOP_BIND_PIRQ         2
#define XEN_EVTCHNOP_CLOSE             3
#define XEN_EVTCHNOP_SEND              4
#define XEN_EVTCHNOP_STATUS            5
#define XEN_EVTCHNOP_ALLOC_UNBOUND     6
#define XEN_EVTCHNOP_BIND_IPI          7
#define XEN_EVTCHNOP_BIND_VCPU         8
#define XEN_EVTCHNOP_UNMASK            9
#define XEN_EVTCHNOP_RESET            10
#define XEN_EVTCHNOP_INIT_CONTROL     11
#define XEN_EVTCHNOP_EXPAND_ARRAY     12
#define XEN_EVTCHNOP_SET_PRIORITY     13
/* Xen's own continuation of reset; a guest reaches it too (xen/common/event_channel.c). */
#define XEN_EVTCHNOP_RESET_CONT       14

/* EVTCHNOP_status: status. */
#define XEN_EVTCHNSTAT_CLOSED          0
#define XEN_EVTCHNSTAT_UNBOUND         1
#define XEN_EVTCHNSTAT_INTERDOMAIN     2
#define XEN_EVTCHNSTAT_PIRQ            3
#define XEN_EVTCHNSTAT_VIRQ            4
#define XEN_EVTCHNSTAT_IPI             5

/* VIRQs (public/xen.h); V = one per vCPU, G = global, D = per domain. */
#define XEN_VIRQ_TIMER                 0  /* V */
#define XEN_VIRQ_DEBUG                 1  /* V */
#define XEN_VIRQ_CONSOLE               2  /* G */
#define XEN_VIRQ_DOM_EXC               3  /* G */
#define XEN_VIRQ_TBUF                  4  /* G */
#define XEN_VIRQ_DEBUGGER              6  /* G */
#define XEN_VIRQ_XENOPROF              7  /* V */
#define XEN_VIRQ_CON_RING              8  /* G */
#define XEN_VIRQ_PCPU_STATE            9  /* G */
#define XEN_VIRQ_MEM_EVENT            10  /* G */
#define XEN_VIRQ_ARGO                 11  /* D */
#define XEN_VIRQ_ENOMEM               12  /* G */
#define XEN_VIRQ_XENPMU               13  /* V */
#define XEN_VIRQ_ARCH_0               16  /* G on x86, like 17..23 */
#define XEN_NR_VIRQS                  24

#define XEN_BIND_PIRQ_WILL_SHARE       1

/*
 * 2-level ABI (public/xen.h, shared_info): evtchn_pending[] and
 * evtchn_mask[] hold 8 * sizeof(xen_ulong_t) words of xen_ulong_t, so
 * 64 * 64 = 4096 ports for a 64-bit guest and 32 * 32 = 1024 for a 32-bit
 * one; vcpu_info.pending_sel has one bit per word.  Offsets in shared_info.
 */
#define XEN_EVTCHN_2L_PORTS64       4096
#define XEN_EVTCHN_2L_PORTS32       1024
#define XEN_EVTCHN_PENDING_OFFSET   2048    /* both layouts */
#define XEN_EVTCHN_MASK_OFFSET64    2560
#define XEN_EVTCHN_MASK_OFFSET32    2176

struct xen_evtchn_alloc_unbound {
	uint16_t dom;
	uint16_t remote_dom;
	uint32_t port;                  /* out */
};

struct xen_evtchn_bind_interdomain {
	uint16_t remote_dom;
	uint16_t pad;
	uint32_t remote_port;
	uint32_t local_port;            /* out */
};

struct xen_evtchn_bind_virq {
	uint32_t virq;
	uint32_t vcpu;
	uint32_t port;                  /* out */
};

struct xen_evtchn_bind_pirq {
	uint32_t pirq;
	uint32_t flags;                 /* XEN_BIND_PIRQ_* */
	uint32_t port;                  /* out */
};

struct xen_evtchn_bind_ipi {
	uint32_t vcpu;
	uint32_t port;                  /* out */
};

/* EVTCHNOP_close, _send and _unmask. */
struct xen_evtchn_port {
	uint32_t port;
};

struct xen_evtchn_status_interdomain {
	uint16_t dom;
	uint16_t pad;
	uint32_t port;
};

struct xen_evtchn_status {
	uint16_t dom;
	uint16_t pad;
	uint32_t port;
	uint32_t status;                /* out: XEN_EVTCHNSTAT_* */
	uint32_t vcpu;                  /* out: the vCPU it notifies */
	union {                         /* out, by status */
		uint16_t unbound_dom;                           /* unbound */
		struct xen_evtchn_status_interdomain interdomain;
		uint32_t pirq;
		uint32_t virq;
	} u;
};

struct xen_evtchn_bind_vcpu {
	uint32_t port;
	uint32_t vcpu;
};

struct xen_evtchn_reset {
	uint16_t dom;
};

struct xen_evtchn_init_control {
	hvk_u64 control_gfn;
	uint32_t offset;
	uint32_t vcpu;
	uint8_t link_bits;              /* out */
	uint8_t pad[7];
};

struct xen_evtchn_expand_array {
	hvk_u64 array_gfn;
};

struct xen_evtchn_set_priority {
	uint32_t port;
	uint32_t priority;
};

#endif /* HVK_ABI_XEN_EVENT_CHANNEL_H */
