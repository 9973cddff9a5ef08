/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Xen event channels (event_channel_op 32; REFERENCE-GUEST-SERVICES §3),
 * 2-level ABI.  As Xen: the generic part (evtchn.c: ports, bindings,
 * status, close, send) is separate from the delivery ABI (evtchn_2l.c:
 * set/clear pending, unmask, is_pending/is_masked on the shared_info
 * bitmaps in the layout of the guest's bitness) behind a small ops table,
 * the seam where FIFO would go.  How an upcall reaches a vCPU (per-vCPU
 * vector, callback vector) is evtchn_upcall.c; SCHEDOP_block/poll waits
 * are evtchn_wait.c.
 *
 * This header is the contract the rest of hvk uses (timers, the VMM's
 * console backend, injection); every function is callable from any thread
 * of the VM, and those marked so from hard-interrupt context (hrtimers).
 */
#ifndef HVK_KMOD_XEN_EVTCHN_H
#define HVK_KMOD_XEN_EVTCHN_H

#include <linux/types.h>

struct hvk_vcpu;
struct hvk_vm;
struct hvk_evtchn_state;        /* per VM, evtchn.c */

int hvk_evtchn_vm_init(struct hvk_vm *vm);
void hvk_evtchn_vm_destroy(struct hvk_vm *vm);
/* Before a vCPU is freed: nothing of the event channels touches it after. */
void hvk_evtchn_vcpu_destroy(struct hvk_vcpu *vcpu);

/*
 * Raise per-vCPU VIRQ @virq (VIRQ_TIMER...) on @vcpu if the guest bound
 * it; nothing otherwise.  Hard-interrupt safe.
 */
void hvk_evtchn_send_virq(struct hvk_vcpu *vcpu, unsigned int virq);

/*
 * Xen's vcpu_mark_events_pending(): sets upcall_pending in @vcpu's current
 * vcpu_info and, if it was clear, tells the vCPU by its upcall method
 * (VCPUOP_register_vcpu_info, after moving the vcpu_info).  Hard-interrupt
 * safe.
 */
void hvk_evtchn_raise_upcall(struct hvk_vcpu *vcpu);

/*
 * Ports whose other end is the VMM (the PV console's): bound before boot
 * by HVK_VM_XEN_EVTCHN, shown to the guest as interdomain ports to dom0.
 * A guest send on one makes HVK_RUN return HVK_EXIT_XEN_EVTCHN; the VMM
 * raises one with hvk_evtchn_vmm_send().  Return a port or -errno / 0.
 */
int hvk_evtchn_bind_vmm(struct hvk_vm *vm);
int hvk_evtchn_vmm_send(struct hvk_vm *vm, u32 port);

/*
 * The local APIC (irq/lapic.c) was software-enabled (an SVR write with
 * bit 8): as Xen's vlapic, a per-vCPU upcall vector is asserted again
 * while upcall_pending is set, so an upcall raised while the APIC was
 * disabled is not lost (Linux sets its vector before it enables its APIC).
 * On the vCPU's own thread.
 */
void hvk_evtchn_lapic_enabled(struct hvk_vcpu *vcpu);

/*
 * Injection (irq/inject.c): the global callback vector (HVM_PARAM_CALLBACK_IRQ
 * type 2) to inject into @vcpu now, or -1: set while its vcpu_info's
 * upcall_pending is set; bypasses the APIC, no EOI.
 */
int hvk_evtchn_callback_vector(struct hvk_vcpu *vcpu);

/*
 * HLT / SCHEDOP_block / SCHEDOP_poll wake-ups: does @vcpu have an event
 * that ends its block (upcall_pending with a callback set up), and has a
 * port it polls become pending?  Evaluated on the vCPU's own thread.
 * hvk_evtchn_wait_end() closes a block or poll (the run loop, before each
 * entry: a halt ended, however it ended); the run loop calls it only while
 * struct hvk_xen_vcpu's evtchn_wait shows one, a look it makes inline.
 */
bool hvk_evtchn_block_wakeup(struct hvk_vcpu *vcpu);
void hvk_evtchn_wait_end(struct hvk_vcpu *vcpu);

/*
 * sched_op (hc_sched.c), on the caller's own thread.  SCHEDOP_block:
 * prepares the block (the caller then halts).  SCHEDOP_poll: @ports (@nr
 * of them, read from the guest) and an absolute @timeout in system time
 * (0: none); 0 to return at once, 1 to halt until hvk_evtchn_block_wakeup,
 * or a negative Xen errno.
 */
void hvk_evtchn_block(struct hvk_vcpu *vcpu);
long hvk_evtchn_poll(struct hvk_vcpu *vcpu, u64 ports, u32 nr, u64 timeout);

/*
 * hvm_op (hc_hvm.c): HVM_PARAM_CALLBACK_IRQ set by @caller (which also
 * latches shared_info's layout, as Xen) and read back; and
 * HVMOP_set_evtchn_upcall_vector.  Xen errno results.
 */
int hvk_evtchn_set_callback_irq(struct hvk_vcpu *caller, u64 value);
u64 hvk_evtchn_callback_irq(struct hvk_vm *vm);
int hvk_evtchn_set_upcall_vector(struct hvk_vcpu *caller, u32 vcpu_id, u8 vector);

/* The hvk_evtchn tracepoint: where an event came from, what it did. */
#define HVK_EVTCHN_FROM_SEND    0       /* EVTCHNOP_send: IPI or interdomain */
#define HVK_EVTCHN_FROM_VIRQ    1       /* a VIRQ (timer...) */
#define HVK_EVTCHN_FROM_VMM     2       /* HVK_XEN_EVTCHN_SEND */
#define HVK_EVTCHN_FROM_UNMASK  3       /* EVTCHNOP_unmask of a pending port */
#define HVK_EVTCHN_FROM_BIND    4       /* bind_interdomain's first notification */

#define HVK_EVTCHN_RAISED       0       /* upcall_pending 0 -> 1: upcall raised */
#define HVK_EVTCHN_QUEUED       1       /* pending; the upcall was outstanding */
#define HVK_EVTCHN_MASKED       2       /* pending, masked: no upcall */
#define HVK_EVTCHN_COALESCED    3       /* was pending already */
#define HVK_EVTCHN_DROPPED      4       /* no shared_info yet, or beyond the layout */
#define HVK_EVTCHN_UNNOTIFIED   5       /* pending; the target has no vcpu_info */

#endif /* HVK_KMOD_XEN_EVTCHN_H */
