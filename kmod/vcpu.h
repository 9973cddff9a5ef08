/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A virtual CPU: its fd, its shared run page, and the vendor-neutral part of
 * its state.  The backend embeds struct hvk_vcpu at the start of its own
 * vCPU struct (hvk_vendor_ops.vcpu_size).
 *
 * The general-purpose registers, RIP and RFLAGS are canonical here; the
 * backend copies the ones its hardware keeps elsewhere (RAX, RSP, RIP,
 * RFLAGS in the VMCB; RSP, RIP, RFLAGS in the VMCS) around each entry, so
 * generic code (hypercalls, emulation) reads and writes them directly.
 */
#ifndef HVK_KMOD_VCPU_H
#define HVK_KMOD_VCPU_H

#include <linux/fs.h>
#include <linux/mutex.h>
#include <linux/preempt.h>
#include <linux/wait.h>
#include <abi/hvk.h>

#include "debugreg.h"
#include "fpu.h"
#include "guest_mem.h"
#include "irq/lapic.h"
#include "stats.h"
#include "trace.h"
#include "vendor.h"
#include "vm.h"
#include "xen/xen_vcpu.h"

struct hvk_vcpu {
	struct hvk_vm *vm;
	u32 id;
	struct hvk_run *run;            /* shared with the VMM by mmap */
	struct page *run_page;
	struct mutex ioctl_lock;        /* one ioctl at a time per vCPU */
	struct preempt_notifier preempt_notifier;

	u64 gpr[HVK_NR_GPRS];
	u64 rip;
	u64 rflags;

	bool initialised;               /* the hardware state is valid */
	bool halted;                    /* HLT / SCHEDOP_block */
	bool pvclock_dirty;             /* refresh before the next entry */
	wait_queue_head_t wait;

	/* Events (irq/inject.c): set by any thread, cleared by the vCPU's. */
	bool event_pending;             /* re-evaluate before entering */
	bool in_guest;                  /* between the enter and leave hooks */
	int cpu;                        /* host CPU the thread last ran on */
	struct hvk_lapic lapic;

	/* Power state (smp.c), under vm->power_lock. */
	bool up;                        /* may run; a down vCPU waits in HVK_RUN */
	bool wait_sipi;                 /* INIT received: only a SIPI starts it */
	bool init_pending;              /* its thread resets its APIC first */
	bool start_pending;             /* load start_state before running */
	struct hvk_regs start_state;    /* from VCPUOP_initialise */
	struct task_struct *task;       /* the thread in HVK_RUN (guest_mem.c) */

	/*
	 * What this HVK_RUN reports, kept here and copied to the run page when
	 * it returns.  The run page is the VMM's memory: any of its threads may
	 * write it at any time, so the kernel never relies on reading back what
	 * it wrote there (as KVM with kvm_run).
	 */
	u32 console_len;                /* bytes in run->console */
	unsigned long console_since;    /* jiffies at its first byte (console.h) */
	s32 vmm_evtchn_port;            /* HVK_EXIT_XEN_EVTCHN's port, or -1 */

	/* An IN the VMM is completing: its value goes to AL/AX/EAX. */
	struct {
		bool pending;
		u8 size;
	} io_in;

	struct hvk_gva_cache gva_cache; /* inside a hypercall (guest_mem.h) */
	struct hvk_pt_cache pt_cache;   /* page-table frames (guest_mem.h) */
	struct hvk_frame_cache frame_cache;     /* the last data frame (guest_mem.h) */
	struct hvk_fpu fpu;
	struct hvk_debugregs debugreg;
	struct hvk_vcpu_stats stats;
	struct hvk_xen_vcpu xen;        /* vcpu_info, pvclock, runstate, timers */
};

/*
 * Backends, interrupts off, right before / after the world switch (inline:
 * every exit pays for them).  enter returns false when an event arrived
 * since hvk_irq_inject_pending() (irq/inject.h): the backend then skips
 * this entry and returns 1.
 */
static inline bool hvk_vcpu_enter_guest_mode(struct hvk_vcpu *vcpu)
{
	WRITE_ONCE(vcpu->in_guest, true);
	/* Pairs with hvk_vcpu_kick_event(): mode, then flag. */
	smp_mb();
	if (READ_ONCE(vcpu->event_pending)) {
		WRITE_ONCE(vcpu->in_guest, false);
		return false;
	}
	hvk_fpu_before_entry(&vcpu->fpu);
	return true;
}

static inline void hvk_vcpu_leave_guest_mode(struct hvk_vcpu *vcpu)
{
	WRITE_ONCE(vcpu->in_guest, false);
	hvk_fpu_after_exit(&vcpu->fpu);
}

extern const struct file_operations hvk_vcpu_fops;

struct hvk_vcpu *hvk_vcpu_create(struct hvk_vm *vm, u32 id);
/*
 * A VM's end stops every vCPU's timers before it frees any vCPU: a timer
 * still running on one raises events that reach the others (a VIRQ's port
 * set pending wakes every vCPU polling it, xen/evtchn_wait.c).
 */
void hvk_vcpu_stop_timers(struct hvk_vcpu *vcpu);
void hvk_vcpu_destroy(struct hvk_vcpu *vcpu);

/* Whether the exit tracepoint is on: a backend reads its details only then. */
static inline bool hvk_vcpu_exit_traced(void)
{
	return trace_hvk_vcpu_exit_enabled();
}

/*
 * Every backend calls this right after its world switch, before handling
 * the exit: the one place where exits are traced and counted (inline:
 * every exit pays for it).
 */
static inline void hvk_vcpu_exit_event(struct hvk_vcpu *vcpu, u64 code, u64 info1, u64 info2)
{
	hvk_stats_count_exit(&vcpu->stats, code);
	trace_hvk_vcpu_exit(vcpu->vm->id, vcpu->id, hvk_ops->vendor, code, vcpu->rip, info1, info2);
}

/* Exit-path helpers for the backends and generic handlers: return 0. */
int hvk_vcpu_exit_internal(struct hvk_vcpu *vcpu, u32 suberror, u64 data);
int hvk_vcpu_exit_simple(struct hvk_vcpu *vcpu, u32 reason);
/* HLT / SCHEDOP_block: mark halted; the run loop sleeps.  Returns 1. */
int hvk_vcpu_halt(struct hvk_vcpu *vcpu);

#endif /* HVK_KMOD_VCPU_H */
