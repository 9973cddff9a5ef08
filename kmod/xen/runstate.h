/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A vCPU's runstate (REFERENCE-GUEST-SERVICES §4): which of running,
 * runnable, blocked and offline it is in since when, and how long it has
 * spent in each, in ns of system time (the pvclock's clock: ns since the
 * VM was created).  hvk's states:
 *   running   its thread is in HVK_RUN, on a CPU, neither halted nor down;
 *   runnable  its thread is in HVK_RUN but preempted by the host;
 *   blocked   halted (HLT, SCHEDOP_block) and waiting for an event, or
 *             returned to the VMM, which handles an exit for it (as a Xen
 *             vCPU waits, blocked, for its device model);
 *   offline   down (VCPUOP_down, INIT, never started).
 * All sum to the time since the vCPU was created.
 *
 * The guest sees it through VCPUOP_get_runstate_info (any vCPU's) and the
 * areas it registers, kept current at every change: by guest-virtual
 * address (register_runstate_memory_area), written in the VM's
 * shared_info layout through the vCPU's own page tables, so only while its
 * own thread is in HVK_RUN; and by guest-physical address
 * (register_runstate_phys_area, guest_area.h), in the registering caller's
 * layout, with XEN_RUNSTATE_UPDATE set while it changes.
 *
 * Transitions happen on the vCPU's own thread, some in its preempt
 * notifiers (interrupts off); readers on other threads take `lock`.
 */
#ifndef HVK_KMOD_XEN_RUNSTATE_H
#define HVK_KMOD_XEN_RUNSTATE_H

#include <linux/spinlock.h>
#include <linux/types.h>
#include <abi/xen/vcpu.h>

#include "guest_area.h"

struct hvk_hcall;
struct hvk_vcpu;

struct hvk_runstate {
	spinlock_t lock;
	int state;                      /* XEN_RUNSTATE_* */
	u64 entry_time;
	u64 time[XEN_RUNSTATE_NR];
	bool in_run;                    /* HVK_RUN: guest memory is ours to write */
	u64 area_gva;                   /* 0: none */
	struct hvk_guest_area phys;
	bool phys_32bit;                /* registered by a 32-bit caller */
};

/* Offline from creation. */
void hvk_runstate_init(struct hvk_vcpu *vcpu);

/*
 * The vCPU's own thread: HVK_RUN begins (running) and ends (blocked, or
 * offline if down); it halts or goes down (blocked, offline) and runs
 * again (running); the host preempts it and gives it back the CPU.
 */
void hvk_runstate_enter_run(struct hvk_vcpu *vcpu);
void hvk_runstate_leave_run(struct hvk_vcpu *vcpu);
void hvk_runstate_set(struct hvk_vcpu *vcpu, int state);
void hvk_runstate_preempted(struct hvk_vcpu *vcpu);     /* preempt notifiers */
void hvk_runstate_resumed(struct hvk_vcpu *vcpu);

/* vcpu_op sub-ops on @target (hc_vcpu.c): 0 or a negative Xen errno. */
long hvk_runstate_get_info(struct hvk_hcall *hc, struct hvk_vcpu *target);
long hvk_runstate_register_virtual(struct hvk_hcall *hc, struct hvk_vcpu *target);
long hvk_runstate_register_phys(struct hvk_hcall *hc, struct hvk_vcpu *target);

#endif /* HVK_KMOD_XEN_RUNSTATE_H */
