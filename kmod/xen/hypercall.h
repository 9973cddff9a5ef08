/* SPDX-License-Identifier: GPL-2.0 */
/*
 * In-kernel hypercalls (Xen x86 ABI; include/abi/xen/hypercall.h).
 *
 * A handler gets the decoded call and returns the guest's result (a value
 * or a negative Xen errno).  It may ask to leave for the VMM (to_vmm) once
 * the call is complete, or to be *continued*: then its updated arguments
 * are written back and RIP stays on the VMCALL, so the guest re-executes it
 * with the rest after the VMM has run (Xen's hypercall continuations).
 */
#ifndef HVK_KMOD_HYPERCALL_H
#define HVK_KMOD_HYPERCALL_H

#include <linux/types.h>
#include <abi/xen/hypercall.h>

struct hvk_vcpu;

/* The Xen interface hvk follows: xen_version and CPUID leaf 1 report it. */
#define HVK_XEN_MAJOR  4
#define HVK_XEN_MINOR  19

struct hvk_hcall {
	struct hvk_vcpu *vcpu;
	bool long_mode;                 /* 64-bit caller */
	u64 nr;
	u64 arg[XEN_HC_MAX_ARGS];
	bool to_vmm;                    /* exit to the VMM afterwards */
	bool continuation;              /* re-execute with the updated args */
	bool in_multicall;              /* an entry of a multicall batch */
};

typedef long (*hvk_hcall_fn)(struct hvk_hcall *hc);

/* Runs one decoded call (CPL already checked); multicall uses it per entry. */
long hvk_hcall_dispatch(struct hvk_hcall *hc);

/* Handlers, one file each (hc_*.c). */
long hvk_hc_console_io(struct hvk_hcall *hc);
long hvk_hc_sched_op(struct hvk_hcall *hc);
long hvk_hc_xen_version(struct hvk_hcall *hc);
long hvk_hc_vcpu_op(struct hvk_hcall *hc);
long hvk_hc_multicall(struct hvk_hcall *hc);
long hvk_hc_hvm_op(struct hvk_hcall *hc);
long hvk_hc_memory_op(struct hvk_hcall *hc);
long hvk_hc_hvk(struct hvk_hcall *hc);          /* hvk's own families */
long hvk_hc_set_timer_op(struct hvk_hcall *hc);
long hvk_hc_grant_table_op(struct hvk_hcall *hc);
long hvk_hc_event_channel_op(struct hvk_hcall *hc);
/* hvm_op's HVMOP_set_evtchn_upcall_vector, decoded in hc_evtchn.c. */
long hvk_hvmop_set_evtchn_upcall_vector(struct hvk_hcall *hc);

#endif /* HVK_KMOD_HYPERCALL_H */
