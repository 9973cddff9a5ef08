// SPDX-License-Identifier: GPL-2.0
/* The vCPU fd and the generic run loop (see vcpu.h). */
#include <linux/mm.h>
#include <linux/sched/signal.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <linux/version.h>
#include <abi/xen/vcpu.h>

#include "console.h"
#include "hvm_context.h"
#include "irq/inject.h"
#include "irq/lapic.h"
#include "pages.h"
#include "xen/evtchn.h"
#include "xen/pvclock.h"
#include "xen/runstate.h"
#include "xen/shared_info.h"
#include "smp.h"
#include "trace.h"
#include "vcpu.h"
#include "vendor.h"
#include "vm.h"

/* ---- loading onto a CPU: preempt notifiers keep the backend's state on
 * whichever CPU the thread runs (VMX must VMPTRLD there; SVM picks a new
 * ASID when the CPU changes). */

static inline struct hvk_vcpu *preempt_notifier_to_vcpu(struct preempt_notifier *pn)
{
	return container_of(pn, struct hvk_vcpu, preempt_notifier);
}

static void vcpu_sched_in(struct preempt_notifier *pn, int cpu)
{
	struct hvk_vcpu *vcpu = preempt_notifier_to_vcpu(pn);

	WRITE_ONCE(vcpu->cpu, cpu);
	hvk_ops->vcpu_load(vcpu, cpu);
	hvk_runstate_resumed(vcpu);
	/*
	 * Possibly another CPU: the pvclock is refreshed before entry.  The
	 * run loop may have looked already (a preemption between its look and
	 * the world switch): the entry then stops and looks again.
	 */
	WRITE_ONCE(vcpu->pvclock_dirty, true);
	hvk_irq_request_check(vcpu);
}

static void vcpu_sched_out(struct preempt_notifier *pn, struct task_struct *next)
{
	struct hvk_vcpu *vcpu = preempt_notifier_to_vcpu(pn);

	hvk_runstate_preempted(vcpu);   /* while its state is loaded here */
	hvk_ops->vcpu_put(vcpu);
}

static struct preempt_ops vcpu_preempt_ops = {
	.sched_in = vcpu_sched_in,
	.sched_out = vcpu_sched_out,
};

static void vcpu_load(struct hvk_vcpu *vcpu)
{
	int cpu = get_cpu();

	preempt_notifier_register(&vcpu->preempt_notifier);
	WRITE_ONCE(vcpu->cpu, cpu);
	hvk_ops->vcpu_load(vcpu, cpu);
	put_cpu();
	WRITE_ONCE(vcpu->pvclock_dirty, true);
}

static void vcpu_put(struct hvk_vcpu *vcpu)
{
	preempt_disable();
	hvk_ops->vcpu_put(vcpu);
	preempt_notifier_unregister(&vcpu->preempt_notifier);
	preempt_enable();
}

/* ---- exits ---- */

int hvk_vcpu_exit_internal(struct hvk_vcpu *vcpu, u32 suberror, u64 data)
{
	vcpu->run->exit_reason = HVK_EXIT_INTERNAL_ERROR;
	vcpu->run->exit.internal.suberror = suberror;
	vcpu->run->exit.internal.ndata = 1;
	vcpu->run->exit.internal.data[0] = data;
	return 0;
}

int hvk_vcpu_exit_simple(struct hvk_vcpu *vcpu, u32 reason)
{
	vcpu->run->exit_reason = reason;
	return 0;
}

static int vcpu_exit_shutdown(struct hvk_vcpu *vcpu)
{
	struct hvk_vm *vm = vcpu->vm;

	smp_rmb();      /* pairs with hvk_vm_shutdown(): flag, then reason */
	vcpu->run->exit_reason = HVK_EXIT_SHUTDOWN;
	vcpu->run->exit.shutdown.reason = READ_ONCE(vm->shutdown_reason);
	vcpu->run->exit.shutdown.vcpu_id = READ_ONCE(vm->shutdown_vcpu);
	return 0;
}

int hvk_vcpu_halt(struct hvk_vcpu *vcpu)
{
	/* The run loop sleeps; the vCPU stays halted across a signal. */
	WRITE_ONCE(vcpu->halted, true);
	return 1;
}

/*
 * What ends a halt: an interrupt or NMI it can take now, or, for
 * SCHEDOP_block and SCHEDOP_poll, the event it waits for (xen/evtchn.h).
 */
static bool vcpu_halt_ends(struct hvk_vcpu *vcpu)
{
	return hvk_irq_wakeup_pending(vcpu) || hvk_evtchn_block_wakeup(vcpu);
}

/*
 * A halted vCPU sleeps until an interrupt or NMI it can take arrives (the
 * condition is evaluated on this thread, against its own APIC).  It also
 * wakes when it is taken down or handed a new start state
 * (VCPUOP_down/initialise/up, INIT): the run loop then waits for up, and a
 * new start state clears the halt.  Checking only "down" would miss a
 * down-initialise-up that completes before this thread looks.
 */
static int vcpu_wait_unhalted(struct hvk_vcpu *vcpu)
{
	if (wait_event_interruptible(vcpu->wait, !READ_ONCE(vcpu->halted) ||
				     vcpu_halt_ends(vcpu) ||
				     READ_ONCE(vcpu->vm->shut_down) ||
				     !READ_ONCE(vcpu->up) ||
				     READ_ONCE(vcpu->start_pending)))
		return -EINTR;
	return 1;
}

/* ---- HVK_RUN ---- */

static void vcpu_complete_io_in(struct hvk_vcpu *vcpu)
{
	u64 mask, data = vcpu->run->exit.io.data;

	if (!vcpu->io_in.pending)
		return;
	vcpu->io_in.pending = false;
	/* IN writes AL/AX; a 32-bit IN zero-extends into RAX (SDM "IN"). */
	if (vcpu->io_in.size == 4) {
		vcpu->gpr[HVK_REG_RAX] = (u32)data;
		return;
	}
	mask = vcpu->io_in.size == 2 ? 0xffff : 0xff;
	vcpu->gpr[HVK_REG_RAX] = (vcpu->gpr[HVK_REG_RAX] & ~mask) | (data & mask);
}

/*
 * After most exits nothing but injection is left to decide: the vCPU is up,
 * running, not halted, with no start state, INIT, shutdown or pvclock
 * refresh pending.  Each of those is set before its writer kicks the vCPU
 * (hvk_vcpu_kick_event()), which also stops an entry already under way, so
 * a change that this look misses is seen before the guest runs.
 */
static bool vcpu_state_unchanged(struct hvk_vcpu *vcpu)
{
	return READ_ONCE(vcpu->up) && READ_ONCE(vcpu->initialised) &&
	       !READ_ONCE(vcpu->halted) && !READ_ONCE(vcpu->init_pending) &&
	       !READ_ONCE(vcpu->start_pending) && !READ_ONCE(vcpu->pvclock_dirty) &&
	       !READ_ONCE(vcpu->vm->shut_down) &&
	       READ_ONCE(vcpu->xen.runstate.state) == XEN_RUNSTATE_RUNNING;
}

/* The VMM prints the console on every return: this one is for that. */
static int vcpu_exit_console(struct hvk_vcpu *vcpu)
{
	vcpu->run->exit_reason = HVK_EXIT_CONSOLE;
	return 0;
}

/* A block or poll ends before the next entry (inline: every entry looks). */
static inline void vcpu_evtchn_wait_end(struct hvk_vcpu *vcpu)
{
	if (unlikely(READ_ONCE(vcpu->xen.evtchn_wait)))
		hvk_evtchn_wait_end(vcpu);
}

/* 1: enter the guest; 0: HVK_RUN returns with run filled; < 0: error. */
static int vcpu_ready_to_enter(struct hvk_vcpu *vcpu)
{
	int ret;

	/* Ctrl-C and kill reach the VMM promptly: checked every exit. */
	if (signal_pending(current))
		return -EINTR;
	if (unlikely(vcpu->console_len) && hvk_console_due(vcpu))
		return vcpu_exit_console(vcpu);
	if (likely(vcpu_state_unchanged(vcpu))) {
		vcpu_evtchn_wait_end(vcpu);
		hvk_irq_inject_pending(vcpu);
		return 1;
	}
	if (READ_ONCE(vcpu->vm->shut_down))
		return vcpu_exit_shutdown(vcpu);
	/* Output first, before a wait of any length (console.h). */
	if (vcpu->console_len && (!READ_ONCE(vcpu->up) || READ_ONCE(vcpu->halted) ||
				  !READ_ONCE(vcpu->initialised)))
		return vcpu_exit_console(vcpu);
	/* A down vCPU waits here, in the kernel, until brought up. */
	if (!READ_ONCE(vcpu->up))
		hvk_runstate_set(vcpu, XEN_RUNSTATE_OFFLINE);
	ret = hvk_smp_wait_runnable(vcpu);
	if (ret <= 0)
		return ret ?: vcpu_exit_shutdown(vcpu);
	if (!READ_ONCE(vcpu->initialised))
		/* An INIT may have taken it down since: wait again. */
		return READ_ONCE(vcpu->up) ?
		       hvk_vcpu_exit_internal(vcpu, HVK_INTERNAL_BAD_STATE, 0) : 2;
	if (READ_ONCE(vcpu->halted)) {
		if (!vcpu_halt_ends(vcpu)) {
			hvk_runstate_set(vcpu, XEN_RUNSTATE_BLOCKED);
			return vcpu_wait_unhalted(vcpu) < 0 ? -EINTR : 2;
		}
		WRITE_ONCE(vcpu->halted, false);
	}
	hvk_runstate_set(vcpu, XEN_RUNSTATE_RUNNING);
	vcpu_evtchn_wait_end(vcpu);     /* a block or poll ends with its halt */
	if (READ_ONCE(vcpu->pvclock_dirty)) {
		WRITE_ONCE(vcpu->pvclock_dirty, false);
		hvk_pvclock_update(vcpu);
	}
	hvk_irq_inject_pending(vcpu);
	return 1;
}

static int vcpu_run_loop(struct hvk_vcpu *vcpu)
{
	int ret;

	vcpu_load(vcpu);
	hvk_fpu_load_guest(&vcpu->fpu);
	hvk_runstate_enter_run(vcpu);
	for (;;) {
		ret = vcpu_ready_to_enter(vcpu);
		if (ret == 2)
			continue;       /* woken from HLT: check everything again */
		if (ret <= 0)
			break;
		if (need_resched())     /* inline: cond_resched() is a call */
			cond_resched();
		trace_hvk_vcpu_entry(vcpu->vm->id, vcpu->id, vcpu->rip);
		ret = hvk_vendor_call(vcpu_run)(vcpu);
		if (ret <= 0)
			break;
	}
	hvk_runstate_leave_run(vcpu);
	hvk_fpu_put_guest(&vcpu->fpu);
	vcpu_put(vcpu);
	return ret;
}

static long vcpu_ioctl_run(struct hvk_vcpu *vcpu)
{
	struct hvk_vm *vm = vcpu->vm;
	int ret;

	vcpu->run->exit_reason = HVK_EXIT_NONE;
	vcpu->run->console_len = 0;
	vcpu->console_len = 0;
	vcpu->vmm_evtchn_port = -1;
	/* The VMM's only inputs: immediate_exit here, an IN's data (masked). */
	if (READ_ONCE(vcpu->run->immediate_exit))
		return -EINTR;
	vcpu_complete_io_in(vcpu);
	if (down_read_killable(&vm->slots_lock))
		return -EINTR;
	hvk_smp_set_task(vcpu, current);
	ret = vcpu_run_loop(vcpu);
	hvk_smp_set_task(vcpu, NULL);
	up_read(&vm->slots_lock);
	WRITE_ONCE(vcpu->run->console_len, vcpu->console_len);
	vcpu->stats.userspace_exits++;
	trace_hvk_userspace_exit(vm->id, vcpu->id, vcpu->run->exit_reason, ret);
	return ret;
}

/* ---- state ioctls ---- */

static long vcpu_ioctl_set_hvm_context(struct hvk_vcpu *vcpu, void __user *argp,
				       u64 *targs)
{
	struct hvk_vcpu_init init;
	struct hvk_regs regs;
	int err;

	if (copy_from_user(&init, argp, sizeof(init)))
		return -EFAULT;
	targs[0] = init.ctx.mode;
	targs[1] = init.ctx.mode == XEN_VCPU_HVM_MODE_64B ?
		   init.ctx.cpu_regs.x86_64.rip : init.ctx.cpu_regs.x86_32.eip;
	if (init.flags || init.reserved0 || init.reserved[0] ||
	    init.reserved[1] || init.reserved[2])
		return -EINVAL;
	err = hvk_hvm_context_to_regs(&init.ctx, &regs);
	if (err)
		return err;
	vcpu_load(vcpu);
	hvk_ops->set_regs(vcpu, &regs);
	vcpu_put(vcpu);
	vcpu->initialised = true;
	vcpu->halted = false;
	hvk_smp_mark_up(vcpu);
	return 0;
}

static long vcpu_ioctl_get_regs(struct hvk_vcpu *vcpu, void __user *argp)
{
	struct hvk_regs regs;

	memset(&regs, 0, sizeof(regs));
	vcpu_load(vcpu);
	hvk_ops->get_regs(vcpu, &regs);
	vcpu_put(vcpu);
	return copy_to_user(argp, &regs, sizeof(regs)) ? -EFAULT : 0;
}

static long vcpu_ioctl_set_regs(struct hvk_vcpu *vcpu, void __user *argp)
{
	struct hvk_regs regs;
	int err;

	if (copy_from_user(&regs, argp, sizeof(regs)))
		return -EFAULT;
	err = hvk_regs_check(&regs);
	if (err)
		return err;
	vcpu_load(vcpu);
	hvk_ops->set_regs(vcpu, &regs);
	vcpu_put(vcpu);
	vcpu->initialised = true;
	hvk_smp_mark_up(vcpu);
	return 0;
}

static long vcpu_ioctl_get_stats(struct hvk_vcpu *vcpu, void __user *argp)
{
	struct hvk_stats *st = kzalloc(sizeof(*st), GFP_KERNEL);
	long ret;

	if (!st)
		return -ENOMEM;
	hvk_stats_add(st, &vcpu->stats);
	ret = copy_to_user(argp, st, sizeof(*st)) ? -EFAULT : 0;
	kfree(st);
	return ret;
}

static long vcpu_ioctl_dispatch(struct hvk_vcpu *vcpu, unsigned int cmd,
				unsigned long arg, u64 *targs)
{
	void __user *argp = (void __user *)arg;

	switch (cmd) {
	case HVK_RUN:
		return arg ? -EINVAL : vcpu_ioctl_run(vcpu);
	case HVK_VCPU_SET_HVM_CONTEXT:
		return vcpu_ioctl_set_hvm_context(vcpu, argp, targs);
	case HVK_VCPU_GET_REGS:
		return vcpu_ioctl_get_regs(vcpu, argp);
	case HVK_VCPU_SET_REGS:
		return vcpu_ioctl_set_regs(vcpu, argp);
	case HVK_VCPU_GET_STATS:
		return vcpu_ioctl_get_stats(vcpu, argp);
	}
	return -ENOTTY;
}

static long vcpu_ioctl(struct file *file, unsigned int cmd, unsigned long arg)
{
	struct hvk_vcpu *vcpu = file->private_data;
	u64 targs[3] = { 0 };
	long ret;

	if (vcpu->vm->mm != current->mm)
		return -EIO;
	if (mutex_lock_killable(&vcpu->ioctl_lock))
		return -EINTR;
	targs[2] = vcpu->id;
	ret = vcpu_ioctl_dispatch(vcpu, cmd, arg, targs);
	mutex_unlock(&vcpu->ioctl_lock);
	trace_hvk_ioctl(2, cmd, targs[0], targs[1], targs[2], ret);
	return ret;
}

/*
 * The run page, to the VM's own process only, shared (a private copy
 * would never see an exit).  As a PFN map (VM_IO | VM_PFNMAP, special
 * PTEs) no get_user_pages() can take it, so it can never become guest RAM
 * (memslot.c), and VM_DONTCOPY keeps a fork()ed child from inheriting it.
 */
static int vcpu_mmap(struct file *file, struct vm_area_struct *vma)
{
	struct hvk_vcpu *vcpu = file->private_data;

	if (vcpu->vm->mm != current->mm)
		return -EIO;            /* as the vCPU's ioctls */
	if (vma->vm_pgoff != 0 || vma->vm_end - vma->vm_start != PAGE_SIZE ||
	    !(vma->vm_flags & VM_SHARED))
		return -EINVAL;
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 3, 0)
	vm_flags_set(vma, VM_DONTCOPY);
#else
	vma->vm_flags |= VM_DONTCOPY;
#endif
	return remap_pfn_range(vma, vma->vm_start, page_to_pfn(vcpu->run_page), PAGE_SIZE,
			       vma->vm_page_prot);
}

static int vcpu_release(struct inode *inode, struct file *file)
{
	struct hvk_vcpu *vcpu = file->private_data;

	/* The vCPU itself lives until its VM is destroyed. */
	hvk_vm_put(vcpu->vm);
	return 0;
}

const struct file_operations hvk_vcpu_fops = {
	.owner = THIS_MODULE,
	.release = vcpu_release,
	.unlocked_ioctl = vcpu_ioctl,
	.compat_ioctl = compat_ptr_ioctl,
	.mmap = vcpu_mmap,
	.llseek = noop_llseek,
};

/* ---- lifetime ---- */

struct hvk_vcpu *hvk_vcpu_create(struct hvk_vm *vm, u32 id)
{
	struct hvk_vcpu *vcpu;
	int err = -ENOMEM;

	BUILD_BUG_ON(sizeof(struct hvk_run) > PAGE_SIZE);
	vcpu = kzalloc(hvk_ops->vcpu_size, GFP_KERNEL_ACCOUNT);
	if (!vcpu)
		return ERR_PTR(-ENOMEM);
	vcpu->vm = vm;
	vcpu->id = id;
	vcpu->cpu = -1;
	mutex_init(&vcpu->ioctl_lock);
	init_waitqueue_head(&vcpu->wait);
	preempt_notifier_init(&vcpu->preempt_notifier, &vcpu_preempt_ops);
	hvk_xen_vcpu_init(vcpu);
	vcpu->run_page = hvk_pages_alloc(0);
	if (!vcpu->run_page)
		goto free_vcpu;
	vcpu->run = page_address(vcpu->run_page);
	err = hvk_fpu_init(&vcpu->fpu);
	if (err)
		goto free_run;
	err = hvk_lapic_init(vcpu);
	if (err)
		goto free_fpu;
	err = hvk_ops->vcpu_init(vcpu);
	if (err)
		goto free_lapic;
	return vcpu;
free_lapic:
	hvk_lapic_destroy(vcpu);
free_fpu:
	hvk_fpu_destroy(&vcpu->fpu);
free_run:
	hvk_pages_free(vcpu->run_page, 0);
free_vcpu:
	kfree(vcpu);
	return ERR_PTR(err);
}

void hvk_vcpu_stop_timers(struct hvk_vcpu *vcpu)
{
	hvk_xen_vcpu_destroy(vcpu);     /* they raise VIRQs */
	hvk_evtchn_vcpu_destroy(vcpu);  /* SCHEDOP_poll's, and it polls no more */
	hvk_lapic_stop_timer(vcpu);
}

void hvk_vcpu_destroy(struct hvk_vcpu *vcpu)
{
	hvk_vcpu_stop_timers(vcpu);
	hvk_lapic_destroy(vcpu);
	hvk_ops->vcpu_destroy(vcpu);
	hvk_fpu_destroy(&vcpu->fpu);
	hvk_pages_free(vcpu->run_page, 0);
	kfree(vcpu);
}
