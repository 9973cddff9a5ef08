/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Xen event channels (event_channel_op 32; REFERENCE-GUEST-SERVICES §3),
 * 2-level ABI.  As Xen: the generic part (evtchn.c: ports, bindings,
 * status, close, send) is separate from the delivery ABI (evtchn_2l.c:
 * set/clear pending, unmask, is_pending/is_masked on the shared_info
 * bitmaps in the layout of the guest's bitness) behind a small ops table,
 * the seam where FIFO would go.
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

/*
 * Raise per-vCPU VIRQ @virq (VIRQ_TIMER...) on @vcpu if the guest bound
 * it; nothing otherwise.  Hard-interrupt safe.
 */
void hvk_evtchn_send_virq(struct hvk_vcpu *vcpu, unsigned int virq);

/*
 * Ports whose other end is the VMM (the PV console's): bound before boot
 * by HVK_VM_XEN_EVTCHN, shown to the guest as interdomain ports to dom0.
 * A guest send on one makes HVK_RUN return HVK_EXIT_XEN_EVTCHN; the VMM
 * raises one with hvk_evtchn_vmm_send().  Return a port or -errno / 0.
 */
int hvk_evtchn_bind_vmm(struct hvk_vm *vm);
int hvk_evtchn_vmm_send(struct hvk_vm *vm, u32 port);

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
 */
bool hvk_evtchn_block_wakeup(struct hvk_vcpu *vcpu);

#endif /* HVK_KMOD_XEN_EVTCHN_H */
