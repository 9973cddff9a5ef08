// SPDX-License-Identifier: GPL-2.0
/* vCPU power state (see smp.h). */
#include <linux/sched.h>
#include <linux/spinlock.h>
#include <abi/xen/errno.h>
#include <abi/xen/sched.h>

#include "smp.h"
#include "vcpu.h"
#include "vendor.h"
#include "vm.h"

/* Callers hold power_lock. */
static struct hvk_vcpu *smp_target(struct hvk_vm *vm, u32 id)
{
	return id < HVK_MAX_VCPUS ? vm->vcpus[id] : NULL;
}

/* Callers hold power_lock.  Wakes a waiting thread, or IPIs a running one
 * so it exits guest mode at once instead of at the next timer tick. */
void hvk_vcpu_kick(struct hvk_vcpu *vcpu)
{
	wake_up(&vcpu->wait);
	if (vcpu->task)
		kick_process(vcpu->task);
}

void hvk_smp_set_task(struct hvk_vcpu *vcpu, struct task_struct *task)
{
	spin_lock(&vcpu->vm->power_lock);
	vcpu->task = task;
	spin_unlock(&vcpu->vm->power_lock);
}

int hvk_smp_initialise(struct hvk_vm *vm, u32 id, const struct hvk_regs *regs)
{
	struct hvk_vcpu *target;
	int err = 0;

	spin_lock(&vm->power_lock);
	target = smp_target(vm, id);
	if (!target)
		err = -XEN_ENOENT;
	else if (target->up)
		err = -XEN_EEXIST;      /* running: its state is its own */
	else {
		target->start_state = *regs;
		target->start_pending = true;
	}
	spin_unlock(&vm->power_lock);
	return err;
}

int hvk_smp_up(struct hvk_vm *vm, u32 id)
{
	struct hvk_vcpu *target;
	int err = 0;

	spin_lock(&vm->power_lock);
	target = smp_target(vm, id);
	if (!target)
		err = -XEN_ENOENT;
	else if (!target->start_pending && !target->initialised)
		err = -XEN_EINVAL;      /* never given a state (as Xen) */
	else if (!target->up) {
		target->up = true;
		hvk_vcpu_kick(target);
	}
	spin_unlock(&vm->power_lock);
	return err;
}

static bool smp_any_up(struct hvk_vm *vm)
{
	unsigned int i;

	for (i = 0; i < HVK_MAX_VCPUS; i++)
		if (vm->vcpus[i] && vm->vcpus[i]->up)
			return true;
	return false;
}

int hvk_smp_down(struct hvk_vm *vm, u32 id)
{
	struct hvk_vcpu *target;
	bool last;

	spin_lock(&vm->power_lock);
	target = smp_target(vm, id);
	if (!target) {
		spin_unlock(&vm->power_lock);
		return -XEN_ENOENT;
	}
	target->up = false;
	hvk_vcpu_kick(target);
	last = !smp_any_up(vm);
	spin_unlock(&vm->power_lock);
	/* With no vCPU left to run, the VM is over (docs/hypercalls.md). */
	if (last)
		hvk_vm_shutdown(vm, XEN_SHUTDOWN_POWEROFF, id);
	return 0;
}

int hvk_smp_is_up(struct hvk_vm *vm, u32 id)
{
	struct hvk_vcpu *target;
	int ret;

	spin_lock(&vm->power_lock);
	target = smp_target(vm, id);
	ret = target ? target->up : -XEN_ENOENT;
	spin_unlock(&vm->power_lock);
	return ret;
}

void hvk_smp_mark_up(struct hvk_vcpu *vcpu)
{
	spin_lock(&vcpu->vm->power_lock);
	vcpu->up = true;
	vcpu->start_pending = false;    /* the VMM's state wins */
	spin_unlock(&vcpu->vm->power_lock);
}

/* Under power_lock: copy out a parked start state, if any. */
static bool smp_take_start_state(struct hvk_vcpu *vcpu, struct hvk_regs *regs)
{
	bool pending;

	spin_lock(&vcpu->vm->power_lock);
	pending = vcpu->start_pending;
	if (pending)
		*regs = vcpu->start_state;
	vcpu->start_pending = false;
	spin_unlock(&vcpu->vm->power_lock);
	return pending;
}

int hvk_smp_wait_runnable(struct hvk_vcpu *vcpu)
{
	struct hvk_vm *vm = vcpu->vm;
	struct hvk_regs regs;

	if (wait_event_interruptible(vcpu->wait, READ_ONCE(vcpu->up) ||
				     READ_ONCE(vm->shut_down)))
		return -EINTR;
	if (READ_ONCE(vm->shut_down))
		return 0;
	if (smp_take_start_state(vcpu, &regs)) {
		/* Loaded on this thread: the backend state is ours to write. */
		hvk_ops->set_regs(vcpu, &regs);
		vcpu->initialised = true;
		vcpu->halted = false;
	}
	return 1;
}
