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
#include <abi/xen/errno.h>
#include <abi/xen/hypercall.h>

#include "../vcpu.h"

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

/* Handlers, one file each (hc_*.c). */
long hvk_hc_console_io(struct hvk_hcall *hc);
long hvk_hc_sched_op(struct hvk_hcall *hc);
long hvk_hc_xen_version(struct hvk_hcall *hc);
long hvk_hc_vcpu_op(struct hvk_hcall *hc);
long hvk_hc_multicall(struct hvk_hcall *hc);
long hvk_hc_hvm_op(struct hvk_hcall *hc);
long hvk_hc_memory_op(struct hvk_hcall *hc);
long hvk_hc_set_timer_op(struct hvk_hcall *hc);
long hvk_hc_grant_table_op(struct hvk_hcall *hc);
long hvk_hc_event_channel_op(struct hvk_hcall *hc);
/* hvm_op's HVMOP_set_evtchn_upcall_vector, decoded in hc_evtchn.c. */
long hvk_hvmop_set_evtchn_upcall_vector(struct hvk_hcall *hc);

#include "hc_hvk.h"                /* hvk's own families, inline */

/* Every call counted and traced, multicall entries and refused ones too. */
static __always_inline void hvk_hcall_account(struct hvk_hcall *hc, long result)
{
	struct hvk_vcpu *vcpu = hc->vcpu;

	hvk_stats_count_hypercall(&vcpu->stats, hc->nr & 0xff);
	/*
	 * The test first: trace_hvk_hypercall()'s arguments are evaluated
	 * before its own test, three loads every call (and entry) while
	 * tracing is off.
	 */
	if (trace_hvk_hypercall_enabled())
		trace_hvk_hypercall(vcpu->vm->id, vcpu->id, hc->nr, hc->arg, result,
				    hc->long_mode);
}

static inline bool hvk_hcall_is_hvk_family(u64 nr)
{
	u64 slot = nr & 0xff;

	return slot >= XEN_HC_ARCH_0 && slot <= XEN_HC_ARCH_7;
}

/*
 * Runs one decoded call (CPL already checked), counted: the exit path and
 * each multicall entry.  Inline in both, and a switch rather than a table
 * of handlers: each handler is then a direct call, where a call through a
 * pointer pays for a retpoline.
 */
static __always_inline long hvk_hcall_dispatch(struct hvk_hcall *hc)
{
	long result;

	if (hvk_hcall_is_hvk_family(hc->nr)) {
		result = hvk_hc_hvk(hc);
	} else {
		switch (hc->nr) {
		case XEN_HC_MEMORY_OP:          result = hvk_hc_memory_op(hc); break;
		case XEN_HC_MULTICALL:          result = hvk_hc_multicall(hc); break;
		case XEN_HC_SET_TIMER_OP:       result = hvk_hc_set_timer_op(hc); break;
		case XEN_HC_XEN_VERSION:        result = hvk_hc_xen_version(hc); break;
		case XEN_HC_CONSOLE_IO:         result = hvk_hc_console_io(hc); break;
		case XEN_HC_GRANT_TABLE_OP:     result = hvk_hc_grant_table_op(hc); break;
		case XEN_HC_VCPU_OP:            result = hvk_hc_vcpu_op(hc); break;
		case XEN_HC_SCHED_OP:           result = hvk_hc_sched_op(hc); break;
		case XEN_HC_EVENT_CHANNEL_OP:   result = hvk_hc_event_channel_op(hc); break;
		case XEN_HC_HVM_OP:             result = hvk_hc_hvm_op(hc); break;
		default:                        result = -XEN_ENOSYS; break;
		}
	}
	hvk_hcall_account(hc, result);
	return result;
}

#endif /* HVK_KMOD_HYPERCALL_H */
