/* SPDX-License-Identifier: MIT */
/* hvm_op (hypercall 34): hvm_op(op, arg). */
#ifndef HVK_ABI_XEN_HVM_OP_H
#define HVK_ABI_XEN_HVM_OP_H

#include "../types.h"

#define XEN_HVMOP_SET_PARAM        0
#define XEN_HVMOP_GET_PARAM        1
#define XEN_HVMOP_SET_EVTCHN_UPCALL_VECTOR 23

#define XEN_HVM_PARAM_CALLBACK_IRQ   0

#define XEN_HVM_PARAM_STORE_PFN      1
#define XEN_HVM_PARAM_STORE_EVTCHN   2
#define XEN_HVM_PARAM_CONSOLE_PFN   17
#define XEN_HVM_PARAM_CONSOLE_EVTCHN 18

/*
 * The others a guest's get/set answers depend on (xen/include/public/hvm/
 * params.h; REFERENCE-GUEST-SERVICES §7): indices 0..38 exist.
 */
#define XEN_HVM_PARAM_PAE_ENABLED            4   /* deprecated */
#define XEN_HVM_PARAM_IOREQ_PFN              5
#define XEN_HVM_PARAM_BUFIOREQ_PFN           6
#define XEN_HVM_PARAM_DM_DOMAIN             13   /* deprecated */
#define XEN_HVM_PARAM_VM86_TSS              15
#define XEN_HVM_PARAM_ACPI_IOPORTS_LOCATION 19
#define XEN_HVM_PARAM_MEMORY_EVENT_CR0      20   /* 20..25 deprecated */
#define XEN_HVM_PARAM_BUFIOREQ_EVTCHN       26   /* deprecated */
#define XEN_HVM_PARAM_MEMORY_EVENT_MSR      30   /* deprecated */
#define XEN_HVM_PARAM_VM_GENERATION_ID_ADDR 34
#define XEN_HVM_PARAM_ALTP2M                35   /* read-only */
#define XEN_HVM_PARAM_X87_FIP_WIDTH         36
#define XEN_HVM_PARAM_VM86_TSS_SIZED        37   /* size << 32 | address */
#define XEN_HVM_NR_PARAMS                   39

/* 16 bytes on 32- and 64-bit: u16 domid, u16 pad, u32 index, u64 value. */
struct xen_hvm_param {
	uint16_t domid;
	uint16_t pad;
	uint32_t index;
	hvk_u64 value;
};

/*
 * HVM_PARAM_CALLBACK_IRQ's value: the type in bits 63:56 (REFERENCE-GUEST-
 * SERVICES §3).  Type 2 injects vector bits 7:0 on any vCPU while its
 * upcall_pending is set; 0 (GSI) and 1 (PCI INTx) need an emulated
 * interrupt controller a PVH guest does not have.
 */
#define XEN_HVM_CALLBACK_TYPE_SHIFT  56
#define XEN_HVM_CALLBACK_TYPE_GSI    0
#define XEN_HVM_CALLBACK_TYPE_PCI_INTX 1
#define XEN_HVM_CALLBACK_TYPE_VECTOR 2

/* HVMOP_set_evtchn_upcall_vector: 8 bytes on 32- and 64-bit. */
struct xen_hvm_evtchn_upcall_vector {
	uint32_t vcpu;
	uint8_t vector;                 /* >= 0x10 */
	uint8_t pad[3];
};

#endif /* HVK_ABI_XEN_HVM_OP_H */
