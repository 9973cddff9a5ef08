/* SPDX-License-Identifier: MIT */
/* hvm_op (hypercall 34): hvm_op(op, arg). */
#ifndef HVK_ABI_XEN_HVM_OP_H
#define HVK_ABI_XEN_HVM_OP_H

#include "../types.h"

#define XEN_HVMOP_SET_PARAM        0
#define XEN_HVMOP_GET_PARAM        1

#define XEN_HVM_PARAM_STORE_PFN      1
#define XEN_HVM_PARAM_STORE_EVTCHN   2
#define XEN_HVM_PARAM_CONSOLE_PFN   17
#define XEN_HVM_PARAM_CONSOLE_EVTCHN 18

/* 16 bytes on 32- and 64-bit: u16 domid, u16 pad, u32 index, u64 value. */
struct xen_hvm_param {
	uint16_t domid;
	uint16_t pad;
	uint32_t index;
	hvk_u64 value;
};

#endif /* HVK_ABI_XEN_HVM_OP_H */
