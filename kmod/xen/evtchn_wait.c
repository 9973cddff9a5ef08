// SPDX-License-Identifier: GPL-2.0
/*
 * SCHEDOP_block and SCHEDOP_poll (REFERENCE-GUEST-SERVICES §4; Xen:
 * sched/core.c).  The hypercall completes (0), then the vCPU halts in the
 * run loop (kmod/vcpu.c) as for HLT, which ends on an interrupt it can
 * take now (hvk_irq_wakeup_pending) or when hvk_evtchn_block_wakeup()
 * says so:
 *  - block: an upcall raised for it (upcall_pending 0 -> 1 with a callback
 *    set up: Xen kicks the vCPU then), even with IF = 0;
 *  - poll: its port newly pending, masked or not (step 3 of a delivery;
 *    any port of the VM for a poll of none or several), an upcall raised
 *    for it, or its timeout.
 * The run loop ends the wait (hvk_evtchn_wait_end) before the next entry
 * however the halt ended (a wake-up, INIT, a new start state).
 */
#include <linux/hrtimer.h>
#include <linux/ktime.h>
#include <abi/xen/errno.h>
#include <abi/xen/shared_info.h>

#include "../guest_mem.h"
#include "../irq/inject.h"
#include "../vcpu.h"
#include "../vm.h"
#include "evtchn_priv.h"
#include "vcpu_info.h"

static struct evtchn_vcpu *evtchn_waiter(struct hvk_vcpu *vcpu)
{
	return &vcpu->vm->evtchn->vcpus[vcpu->id];
}

void evtchn_wake_waiter(struct hvk_evtchn_state *st, struct hvk_vcpu *vcpu)
{
	struct evtchn_vcpu *ev = &st->vcpus[vcpu->id];

	if (READ_ONCE(vcpu->xen.evtchn_wait) != EVTCHN_WAIT_NONE)
		WRITE_ONCE(ev->woken, true);
}

void evtchn_check_pollers(struct hvk_vm *vm, u32 port)
{
	struct hvk_evtchn_state *st = vm->evtchn;
	struct evtchn_vcpu *ev;
	unsigned int id;

	/*
	 * Xen's evtchn_check_pollers(): a poll of one port waits for that
	 * port; a poll of none or several (poll_evtchn -1 in do_poll) wakes
	 * for any port of the domain newly pending, listed or not, and
	 * returns 0 like any other wake-up.
	 */
	for_each_set_bit(id, st->polling, HVK_MAX_VCPUS) {
		ev = &st->vcpus[id];
		if (ev->nr_poll == 1 && ev->poll_ports[0] != port)
			continue;
		WRITE_ONCE(ev->woken, true);
		hvk_vcpu_kick_event(ev->vcpu);
	}
}

static enum hrtimer_restart evtchn_poll_timeout(struct hrtimer *timer)
{
	struct evtchn_vcpu *ev = container_of(timer, struct evtchn_vcpu, poll_timer);

	WRITE_ONCE(ev->woken, true);
	hvk_vcpu_kick_event(ev->vcpu);
	return HRTIMER_NORESTART;
}

void evtchn_wait_init(struct hvk_evtchn_state *st)
{
	unsigned int id;

	for (id = 0; id < HVK_MAX_VCPUS; id++) {
		hrtimer_init(&st->vcpus[id].poll_timer, CLOCK_MONOTONIC, HRTIMER_MODE_ABS_HARD);
		st->vcpus[id].poll_timer.function = evtchn_poll_timeout;
	}
}

/* A poll interrupted by the VMM's end leaves its timer armed: stop it. */
void hvk_evtchn_vcpu_destroy(struct hvk_vcpu *vcpu)
{
	struct hvk_evtchn_state *st = vcpu->vm->evtchn;
	unsigned long flags;

	/* A run that ended inside SCHEDOP_poll left it among the pollers. */
	spin_lock_irqsave(&st->lock, flags);
	clear_bit(vcpu->id, st->polling);
	spin_unlock_irqrestore(&st->lock, flags);
	hrtimer_cancel(&evtchn_waiter(vcpu)->poll_timer);
}

void evtchn_wait_destroy(struct hvk_evtchn_state *st)
{
	unsigned int id;

	for (id = 0; id < HVK_MAX_VCPUS; id++)
		hrtimer_cancel(&st->vcpus[id].poll_timer);
}

/* Lock held (a poll) or not (a block, which no other thread reads). */
static void evtchn_wait_begin(struct evtchn_vcpu *ev, struct hvk_vcpu *vcpu, u8 kind)
{
	ev->vcpu = vcpu;
	WRITE_ONCE(ev->woken, false);
	/* woken before wait: a waker that sees the wait sets woken after this. */
	smp_wmb();
	WRITE_ONCE(vcpu->xen.evtchn_wait, kind);
}

void hvk_evtchn_wait_end(struct hvk_vcpu *vcpu)
{
	struct hvk_evtchn_state *st = vcpu->vm->evtchn;
	struct evtchn_vcpu *ev = evtchn_waiter(vcpu);
	unsigned long flags;

	if (READ_ONCE(vcpu->xen.evtchn_wait) == EVTCHN_WAIT_NONE)
		return;
	spin_lock_irqsave(&st->lock, flags);
	WRITE_ONCE(vcpu->xen.evtchn_wait, EVTCHN_WAIT_NONE);
	ev->nr_poll = 0;
	clear_bit(vcpu->id, st->polling);
	spin_unlock_irqrestore(&st->lock, flags);
	/* Not under the lock: hrtimer_cancel waits for a running callback. */
	hrtimer_cancel(&ev->poll_timer);
}

bool hvk_evtchn_block_wakeup(struct hvk_vcpu *vcpu)
{
	struct evtchn_vcpu *ev = evtchn_waiter(vcpu);

	return READ_ONCE(vcpu->xen.evtchn_wait) != EVTCHN_WAIT_NONE && READ_ONCE(ev->woken);
}

void hvk_evtchn_block(struct hvk_vcpu *vcpu)
{
	u8 *vi = hvk_vcpu_info(vcpu);

	hvk_evtchn_wait_end(vcpu);      /* a block in the same multicall batch */
	/* Xen's local_event_delivery_enable(): clears upcall_mask, HVM or not. */
	if (vi)
		WRITE_ONCE(vi[offsetof(struct xen_vcpu_info64, upcall_mask)], 0);
	evtchn_wait_begin(evtchn_waiter(vcpu), vcpu, EVTCHN_WAIT_BLOCK);
}

/* System time (the pvclock's: ns since the VM was created) as host ktime. */
static ktime_t evtchn_system_time_to_ktime(struct hvk_vm *vm, u64 system_ns)
{
	u64 base = vm->shared_info.created_ns;

	return system_ns > (u64)KTIME_MAX - base ? KTIME_MAX : (ktime_t)(base + system_ns);
}

/*
 * Xen's do_poll() judges the ports in order, reading each as it goes: a
 * port that is not bound is -EINVAL, a pending one ends the poll (0), an
 * unreadable one is -EFAULT.  So read what can be read first, then judge
 * in that order under the lock, and register as a poller if none is
 * pending: a port raised from then on finds this vCPU.
 */
static long evtchn_poll_register(struct hvk_vcpu *vcpu, u32 nr, u32 readable)
{
	struct hvk_evtchn_state *st = vcpu->vm->evtchn;
	struct evtchn_vcpu *ev = evtchn_waiter(vcpu);
	unsigned long flags;
	long ret = 1;
	int port_state;
	u32 i;

	spin_lock_irqsave(&st->lock, flags);
	for (i = 0; i < readable; i++) {
		port_state = evtchn_port_poll(vcpu->vm, ev->poll_ports[i]);
		if (port_state) {               /* pending: 0 at once; else the error */
			ret = port_state > 0 ? 0 : port_state;
			goto out;
		}
	}
	if (readable < nr) {
		ret = -XEN_EFAULT;
		goto out;
	}
	ev->nr_poll = nr;
	evtchn_wait_begin(ev, vcpu, EVTCHN_WAIT_POLL);
	set_bit(vcpu->id, st->polling);
out:
	spin_unlock_irqrestore(&st->lock, flags);
	return ret;
}

long hvk_evtchn_poll(struct hvk_vcpu *vcpu, u64 ports, u32 nr, u64 timeout)
{
	struct evtchn_vcpu *ev = evtchn_waiter(vcpu);
	u32 readable;
	long ret;

	if (nr > XEN_SCHED_POLL_MAX_PORTS)
		return -XEN_EINVAL;
	hvk_evtchn_wait_end(vcpu);      /* a poll in the same multicall batch */
	/* Xen looks for a deliverable interrupt before it reads any port. */
	if (hvk_irq_wakeup_pending(vcpu))
		return 0;
	for (readable = 0; readable < nr; readable++)
		if (hvk_copy_from_guest(vcpu, &ev->poll_ports[readable],
					ports + readable * sizeof(u32), sizeof(u32)))
			break;
	ret = evtchn_poll_register(vcpu, nr, readable);
	if (ret == 1 && timeout)
		hrtimer_start(&ev->poll_timer, evtchn_system_time_to_ktime(vcpu->vm, timeout),
			      HRTIMER_MODE_ABS_HARD);
	return ret;
}
