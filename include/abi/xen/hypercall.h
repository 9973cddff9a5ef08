/* SPDX-License-Identifier: MIT */
/*
 * Xen x86 hypercall numbers and calling convention.
 *
 * Instruction: VMCALL (0f 01 c1) or VMMCALL (0f 01 d9); hvk accepts both on
 * both vendors because a guest picks by CPUID vendor, not by what it runs on.
 * 64-bit caller: nr in RAX, args RDI RSI RDX R10 R8, result RAX.
 * 32-bit caller: nr in EAX, args EBX ECX EDX ESI EDI, result EAX.
 * The caller's current mode decides; CPL > 0 gets -XEN_EPERM.
 */
#ifndef HVK_ABI_XEN_HYPERCALL_H
#define HVK_ABI_XEN_HYPERCALL_H

#define XEN_HC_MEMORY_OP          12
#define XEN_HC_MULTICALL          13
#define XEN_HC_SET_TIMER_OP       15
#define XEN_HC_XEN_VERSION        17
#define XEN_HC_CONSOLE_IO         18
#define XEN_HC_GRANT_TABLE_OP     20
#define XEN_HC_VCPU_OP            24
#define XEN_HC_SCHED_OP           29
#define XEN_HC_EVENT_CHANNEL_OP   32
#define XEN_HC_HVM_OP             34
#define XEN_HC_ARCH_0             48  /* arch_0..arch_7: hvk's own family */
#define XEN_HC_ARCH_7             55

#define XEN_HC_MAX_ARGS            5

/* console_io */
#define XEN_CONSOLEIO_WRITE        0
#define XEN_CONSOLEIO_READ         1

/* grant_table_op */
#define XEN_GNTTABOP_SET_VERSION   8

/* The DOMID a guest uses to mean itself. */
#define XEN_DOMID_SELF        0x7ff0

#endif /* HVK_ABI_XEN_HYPERCALL_H */
