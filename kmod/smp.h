/* SPDX-License-Identifier: GPL-2.0 */
/*
 * vCPU power state: up, down, and start state handed from one vCPU to another.
 *
 * A vCPU is *up* once the VMM set its state (HVK_VCPU_SET_HVM_CONTEXT) or a
 * guest brought it up (VCPUOP_initialise + VCPUOP_up).  A down vCPU's thread
 * waits in HVK_RUN, in the kernel, until it is brought up or the VM ends: no
 * busy loop and no trip to the VMM.
 *
 * VCPUOP_initialise runs on the *caller's* thread, but the target's hardware
 * state (VMCB/VMCS) may only be touched by the target's own thread (a VMCS is
 * active on one CPU at a time).  So the validated start state is parked in
 * the target and loaded by its thread before it next enters the guest.
 */
#ifndef HVK_KMOD_SMP_H
#define HVK_KMOD_SMP_H

#include <linux/types.h>

struct hvk_regs;
struct hvk_vcpu;
struct task_struct;
struct hvk_vm;

/*
 * Xen errno results (negative) or 0; is_up answers 0 or 1.
 * hvk_smp_initialise: regs NULL means the context was refused (-EINVAL),
 * which Xen reports only after -EEXIST: a vCPU that has a state (up, down
 * after running, or given one and not yet up) keeps it until INIT resets
 * it (Xen's is_initialised, cleared by vcpu_reset()).
 */
int hvk_smp_initialise(struct hvk_vm *vm, u32 id, const struct hvk_regs *regs);
int hvk_smp_up(struct hvk_vm *vm, u32 id);
int hvk_smp_down(struct hvk_vm *vm, u32 id);
int hvk_smp_is_up(struct hvk_vm *vm, u32 id);

/* The local APIC's INIT and Start-up IPIs (irq/lapic_ipi.c), any thread. */
void hvk_smp_init_signal(struct hvk_vcpu *target);
void hvk_smp_startup_signal(struct hvk_vcpu *target, u8 vector);

/* The VMM set this vCPU's state itself: it is up. */
void hvk_smp_mark_up(struct hvk_vcpu *vcpu);
/*
 * Run loop: wait until the vCPU may run, then load a parked start state.
 * 1: run it; 0: the VM ended; -EINTR: a signal.
 */
int hvk_smp_wait_runnable(struct hvk_vcpu *vcpu);
void hvk_smp_set_task(struct hvk_vcpu *vcpu, struct task_struct *task);

#endif /* HVK_KMOD_SMP_H */
