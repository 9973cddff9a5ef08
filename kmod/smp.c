// SPDX-License-Identifier: GPL-2.0
/* vCPU power state (see smp.h). */
#include <linux/sched.h>
#include <linux/spinlock.h>
#include <asm/debugreg.h>
#include <asm/processor.h>
#include <asm/processor-flags.h>
#include <abi/xen/errno.h>
#include <abi/xen/sched.h>

#include "debugreg.h"
#include "irq/inject.h"
#include "irq/lapic.h"
#include "smp.h"
#include "vcpu.h"
#include "vendor.h"
#include "vm.h"

/* Callers hold power_lock. */
static struct hvk_vcpu *smp_target(struct hvk_vm *vm, u32 id)
{
	return id < HVK_MAX_VCPUS ? vm->vcpus[id] : NULL;
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
	else if (target->up || target->start_pending || READ_ONCE(target->initialised))
		err = -XEN_EEXIST;      /* it has a state: only INIT takes it away */
	else if (!regs)
		err = -XEN_EINVAL;
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
		target->wait_sipi = false;
		hvk_vcpu_kick_event(target);
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
	hvk_vcpu_kick_event(target);
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
	vcpu->wait_sipi = false;
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

/*
 * The state a Start-up IPI with vector V gives (SDM 9.1.1, 11.6.1): real
 * mode at CS = V << 8, base V << 12, IP 0, the rest as after INIT.  CR0 is
 * 0x10 (ET) rather than INIT's 0x60000010: with CD set every access of the
 * trampoline would be uncached under nested paging, and no trampoline
 * depends on it (each loads its own CR0).
 */
static void smp_startup_state(struct hvk_regs *r, u8 vector)
{
	static const struct hvk_segment data = { .limit = 0xffff, .ar = 0x93 };

	memset(r, 0, sizeof(*r));
	r->rflags = X86_EFLAGS_FIXED;
	r->cr0 = X86_CR0_ET;
	r->dr6 = DR6_RESERVED;
	r->dr7 = 0x400;
	r->gpr[HVK_REG_RDX] = cpuid_eax(1);     /* EDX after INIT: the signature */
	r->cs = (struct hvk_segment){ .selector = vector << 8, .base = vector << 12,
				      .limit = 0xffff, .ar = 0x9b };
	r->ds = r->es = r->fs = r->gs = r->ss = data;
	r->tr = (struct hvk_segment){ .limit = 0xffff, .ar = 0x8b };
	r->ldtr = (struct hvk_segment){ .limit = 0xffff, .ar = 0x82 };
	r->gdt.limit = 0xffff;
	r->idt.limit = 0xffff;
}

/*
 * INIT: the target stops and waits for a Start-up IPI, its APIC reset.
 * Its state is gone, as Xen's vcpu_reset(): VCPUOP_up without a new
 * VCPUOP_initialise answers -EINVAL.
 */
void hvk_smp_init_signal(struct hvk_vcpu *target)
{
	spin_lock(&target->vm->power_lock);
	target->up = false;
	target->initialised = false;
	target->start_pending = false;
	target->wait_sipi = true;
	target->init_pending = true;
	hvk_vcpu_kick_event(target);
	spin_unlock(&target->vm->power_lock);
}

/* Only a vCPU waiting after INIT accepts a Start-up IPI (SDM 11.6.1). */
void hvk_smp_startup_signal(struct hvk_vcpu *target, u8 vector)
{
	struct hvk_regs regs;

	smp_startup_state(&regs, vector);
	spin_lock(&target->vm->power_lock);
	if (target->wait_sipi) {
		target->start_state = regs;
		target->start_pending = true;
		target->wait_sipi = false;
		target->up = true;
		hvk_vcpu_kick_event(target);
	}
	spin_unlock(&target->vm->power_lock);
}

/* On the vCPU's own thread: the APIC (its timer, its page) is ours alone. */
static void smp_finish_init(struct hvk_vcpu *vcpu)
{
	if (!xchg(&vcpu->init_pending, false))
		return;
	hvk_lapic_reset(vcpu, true);
	vcpu->halted = false;
}

int hvk_smp_wait_runnable(struct hvk_vcpu *vcpu)
{
	struct hvk_vm *vm = vcpu->vm;
	struct hvk_regs regs;

	smp_finish_init(vcpu);
	if (wait_event_interruptible(vcpu->wait, READ_ONCE(vcpu->up) ||
				     READ_ONCE(vm->shut_down)))
		return -EINTR;
	if (READ_ONCE(vm->shut_down))
		return 0;
	smp_finish_init(vcpu);
	if (smp_take_start_state(vcpu, &regs)) {
		/* Loaded on this thread: the backend state is ours to write. */
		hvk_ops->set_regs(vcpu, &regs);
		hvk_debugreg_reset(vcpu);
		vcpu->initialised = true;
		vcpu->halted = false;
	}
	return 1;
}
