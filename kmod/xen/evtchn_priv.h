/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Inside the event channels: the per-VM state that the generic part
 * (evtchn.c), the 2-level delivery ABI (evtchn_2l.c), the upcall methods
 * (evtchn_upcall.c), SCHEDOP_block/poll (evtchn_wait.c) and the hypercall
 * (hc_evtchn.c) share.  Nothing else includes this; the rest of hvk uses
 * evtchn.h.
 *
 * Locking: one spinlock per VM, taken with interrupts off (VIRQs are sent
 * from hrtimers in hard-interrupt context), guards the port table, the
 * VIRQ bindings and the pollers' port lists; delivery runs under it, so a
 * port cannot change binding while it is being raised.  The upcall
 * methods are single words read with READ_ONCE at delivery.
 */
#ifndef HVK_KMOD_XEN_EVTCHN_PRIV_H
#define HVK_KMOD_XEN_EVTCHN_PRIV_H

#include <linux/bitmap.h>
#include <linux/hrtimer.h>
#include <linux/spinlock.h>
#include <linux/types.h>
#include <asm/asm.h>
#include <abi/hvk.h>
#include <abi/xen/event_channel.h>
#include <abi/xen/sched.h>

#include "evtchn.h"

struct hvk_vcpu;
struct hvk_vm;

enum evtchn_state {
	EVTCHN_FREE,
	EVTCHN_RESERVED,        /* port 0: never bound, as in Xen */
	EVTCHN_UNBOUND,
	EVTCHN_INTERDOMAIN,
	EVTCHN_VIRQ,
	EVTCHN_IPI,
};

/* One port: 8 bytes, 4096 of them per VM (the 64-bit layout's ports). */
struct evtchn_port {
	u8 state;               /* enum evtchn_state */
	u8 vcpu;                /* the vCPU it notifies */
	u8 virq;                /* EVTCHN_VIRQ */
	bool to_vmm;            /* EVTCHN_INTERDOMAIN: the VMM is the other end */
	u16 remote_port;        /* EVTCHN_INTERDOMAIN */
	u16 remote_dom;         /* UNBOUND / INTERDOMAIN: HVK_XEN_DOMID, or 0 the VMM */
};

/* struct hvk_xen_vcpu.evtchn_wait */
enum evtchn_wait {
	EVTCHN_WAIT_NONE,
	EVTCHN_WAIT_BLOCK,      /* SCHEDOP_block */
	EVTCHN_WAIT_POLL,       /* SCHEDOP_poll */
};

struct evtchn_vcpu {
	u16 virq_port[XEN_NR_VIRQS];    /* 0: not bound */
	u8 upcall_vector;               /* HVMOP_set_evtchn_upcall_vector; 0: none */
	/*
	 * A block or poll in progress is struct hvk_xen_vcpu's evtchn_wait (set
	 * by its own thread, read by others), where the run loop looks inline.
	 */
	bool woken;
	u8 nr_poll;
	u32 poll_ports[XEN_SCHED_POLL_MAX_PORTS];
	struct hvk_vcpu *vcpu;          /* the poller, for its timer */
	struct hrtimer poll_timer;      /* SCHEDOP_poll's timeout */
};

struct hvk_evtchn_state {
	spinlock_t lock;
	const struct evtchn_port_ops *ops;      /* 2-level: no FIFO */
	/*
	 * HVM_PARAM_CALLBACK_IRQ: the value set; its vector if type 2 (else -1)
	 * is struct hvk_vm's evtchn_callback_vector, which injection reads
	 * inline before every entry.
	 */
	u64 callback_param;
	DECLARE_BITMAP(polling, HVK_MAX_VCPUS);         /* vCPUs in SCHEDOP_poll */
	DECLARE_BITMAP(vmm_ports, XEN_EVTCHN_2L_PORTS64); /* ever bound to the VMM */
	struct evtchn_vcpu vcpus[HVK_MAX_VCPUS];
	struct evtchn_port ports[XEN_EVTCHN_2L_PORTS64];
};

/*
 * The delivery ABI, per port (Xen's evtchn_port_ops).  Called with the
 * lock held.  @target is the vCPU the port notifies (NULL if that vCPU
 * does not exist: the bit is set, nobody is told).
 */
struct evtchn_port_ops {
	u32 (*nr_ports)(struct hvk_vm *vm);
	/* REFERENCE §3 steps 1-3; returns HVK_EVTCHN_RAISED... */
	int (*set_pending)(struct hvk_vm *vm, struct hvk_vcpu *target, u32 port);
	void (*clear_pending)(struct hvk_vm *vm, u32 port);
	/* Clears the mask; a port that was masked and is pending gets step 2,
	 * whose outcome it returns, else -1. */
	int (*unmask)(struct hvk_vm *vm, struct hvk_vcpu *target, u32 port);
	bool (*is_pending)(struct hvk_vm *vm, u32 port);
};

extern const struct evtchn_port_ops hvk_evtchn_2l_ops;

/* evtchn.c */
struct hvk_vcpu *evtchn_vcpu_by_id(struct hvk_vm *vm, u32 id);
/* Raises @port on the vCPU it notifies, and traces it.  Lock held. */
void evtchn_deliver(struct hvk_vm *vm, u32 port, unsigned int from);
/*
 * The operations of event_channel_op, decoded by hc_evtchn.c: a port, 0,
 * or a negative Xen errno, each in the order Xen checks.
 */
int evtchn_alloc_unbound(struct hvk_vm *vm, u16 dom, u16 remote_dom);
int evtchn_bind_interdomain(struct hvk_vm *vm, u16 remote_dom, u32 remote_port);
int evtchn_bind_virq(struct hvk_vm *vm, u32 virq, u32 vcpu_id);
int evtchn_bind_ipi(struct hvk_vm *vm, u32 vcpu_id);
int evtchn_close(struct hvk_vm *vm, u32 port);
/* Also EVTCHN_SEND_TO_VMM: the VMM is the other end, it must be told. */
#define EVTCHN_SEND_TO_VMM      1
int evtchn_send(struct hvk_vm *vm, u32 port);
int evtchn_status(struct hvk_vm *vm, struct xen_evtchn_status *s);
int evtchn_bind_vcpu(struct hvk_vm *vm, u32 port, u32 vcpu_id);
int evtchn_unmask(struct hvk_vm *vm, u32 port);
/* @cont: EVTCHNOP_reset_cont. */
int evtchn_reset(struct hvk_vm *vm, u16 dom, bool cont);
int evtchn_set_priority(struct hvk_vm *vm, u32 port);
/* SCHEDOP_poll's view of a port (Xen's evtchn_port_poll): -XEN_EINVAL if
 * it is not bound, else whether it is pending.  Lock held. */
int evtchn_port_poll(struct hvk_vm *vm, u32 port);

/*
 * evtchn_upcall.c: Xen's vcpu_mark_events_pending(): sets @target's
 * upcall_pending and, on 0 -> 1, tells it by its upcall method.
 * HVK_EVTCHN_RAISED, _QUEUED (was set) or _UNNOTIFIED (no vcpu_info).
 */
int evtchn_raise_upcall(struct hvk_vm *vm, struct hvk_vcpu *target);

/* evtchn_wait.c: wake the pollers of @port (step 3), masked or not. */
void evtchn_check_pollers(struct hvk_vm *vm, u32 port);
void evtchn_wait_init(struct hvk_evtchn_state *st);
void evtchn_wait_destroy(struct hvk_evtchn_state *st);
/* A vCPU waiting in block or poll: an upcall was raised for it. */
void evtchn_wake_waiter(struct hvk_evtchn_state *st, struct hvk_vcpu *vcpu);

/*
 * Bit operations on guest memory (the shared_info bitmaps, pending_sel,
 * upcall_pending), with LOCK BTS/BTR on the naturally aligned u32 that
 * holds the bit.  Why 32-bit for both layouts:
 *  - x86 is little-endian, so bit N of a bitmap of xen_ulong_t words is
 *    bit N % 32 of the u32 at byte 4 * (N / 32) whether the words are 8
 *    bytes (64-bit guest) or 4 (32-bit guest): one code for both layouts.
 *  - The access never covers a byte outside the guest's own word: a
 *    32-bit guest's pending_sel (offset 4 of vcpu_info) neighbours
 *    upcall_pending/upcall_mask, and its 128-byte mask array ends where
 *    wc_version begins.  A 64-bit operation there would cover another
 *    field; still atomic on x86, but touching what is not ours to touch.
 *  - Only 4-byte alignment is needed, all Xen promises for a registered
 *    32-bit vcpu_info, and an aligned u32 never splits a cache line (a
 *    split-locked 64-bit access would).  Xen's own x86 bitops are 32-bit
 *    on 64-bit guests' words in the same way.
 *  - A locked operation within one cache line is atomic against every
 *    other access to those bytes, the guest's 64-bit LOCK XCHG of
 *    pending_sel included, and is wait-free: a guest hammering the word
 *    from another vCPU cannot stall delivery as it could a cmpxchg loop,
 *    and delivery also runs from timers in hard-interrupt context.
 */
static inline u32 *guest_bit_word(void *base, unsigned int nr)
{
	return (u32 *)base + nr / 32;
}

static inline bool guest_test_and_set_bit(unsigned int nr, void *base)
{
	u32 *word = guest_bit_word(base, nr);
	bool old;

	asm volatile(LOCK_PREFIX "btsl %[bit], %[word]" CC_SET(c)
		     : CC_OUT(c) (old), [word] "+m" (*word)
		     : [bit] "Ir" (nr % 32) : "memory");
	return old;
}

static inline bool guest_test_and_clear_bit(unsigned int nr, void *base)
{
	u32 *word = guest_bit_word(base, nr);
	bool old;

	asm volatile(LOCK_PREFIX "btrl %[bit], %[word]" CC_SET(c)
		     : CC_OUT(c) (old), [word] "+m" (*word)
		     : [bit] "Ir" (nr % 32) : "memory");
	return old;
}

static inline bool guest_test_bit(unsigned int nr, void *base)
{
	return READ_ONCE(*guest_bit_word(base, nr)) & BIT(nr % 32);
}

#endif /* HVK_KMOD_XEN_EVTCHN_PRIV_H */
