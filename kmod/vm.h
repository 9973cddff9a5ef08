/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A virtual machine: its memory slots, nested page tables and vCPUs.
 *
 * Lifetime: the VM fd and every vCPU fd each hold a reference; the VM and
 * all its vCPUs are freed when the last fd is closed (or its process dies),
 * and each fd holds a module reference, so rmmod is refused meanwhile.
 *
 * Locking: slots_lock is taken for reading by every vCPU for the whole of
 * HVK_RUN (the slots stay as they are while any vCPU runs) and for writing
 * by HVK_SET_MEMORY_REGION, which therefore answers -EBUSY while a vCPU
 * runs.  The MMU notifier cannot take it (it runs under the mmap lock,
 * which slot creation takes inside slots_lock): it reads the slots under
 * ram.lock, which every store to slots[] takes too.  vcpus_lock
 * serialises vCPU creation and changes of the shared_info page; the
 * physmap lock (xen/physmap.h) nests inside it.
 */
#ifndef HVK_KMOD_VM_H
#define HVK_KMOD_VM_H

#include <linux/mutex.h>
#include <linux/refcount.h>
#include <linux/rwsem.h>
#include <linux/spinlock.h>
#include <abi/hvk.h>

#include "gpt.h"
#include "io_policy.h"
#include "ram.h"
#include "xen/grant_table.h"
#include "xen/hvm_params.h"
#include "xen/physmap.h"
#include "xen/shared_info.h"

struct dentry;
struct hvk_evtchn_state;
struct hvk_memslot;
struct hvk_vcpu;
struct mm_struct;

struct hvk_vm {
	u32 id;                         /* for traces and debugfs (vm<ID>) */
	pid_t pid;                      /* the VMM that created it */
	struct dentry *debugfs;
	refcount_t refs;
	struct mm_struct *mm;           /* the VMM's: pinned pages are charged here */
	struct rw_semaphore slots_lock;
	struct hvk_memslot *slots[HVK_MAX_MEM_SLOTS];   /* stored under ram.lock too */
	unsigned int slot_hint;         /* where the last look-up found its slot */
	struct hvk_ram ram;             /* faulting RAM in, the MMU notifier */
	struct hvk_gpt gpt;
	struct mutex vcpus_lock;
	struct hvk_vcpu *vcpus[HVK_MAX_VCPUS];
	spinlock_t power_lock;          /* vCPUs' up/start/task fields (smp.c) */
	bool xen_compat;                /* HVK_VM_XEN_COMPAT */
	struct hvk_io_policy_state io_policy;
	struct hvk_shared_info shared_info;
	struct hvk_evtchn_state *evtchn;        /* event channels (xen/evtchn.c) */
	/*
	 * HVM_PARAM_CALLBACK_IRQ's vector (type 2), or -1 (xen/evtchn_upcall.c):
	 * here, not in *evtchn, for irq/inject.h's inline look at every entry.
	 */
	int evtchn_callback_vector;
	struct hvk_physmap physmap;             /* the guest's physmap changes */
	struct hvk_grant_table gnttab;
	struct hvk_hvm_params hvm_params;
	/* SCHEDOP_shutdown from any vCPU ends the whole VM. */
	bool shut_down;
	u32 shutdown_reason;
	u32 shutdown_vcpu;
};

int hvk_vm_create_fd(void __user *argp);
/* Ends the VM (all vCPUs return HVK_EXIT_SHUTDOWN); the first reason wins. */
void hvk_vm_shutdown(struct hvk_vm *vm, u32 reason, u32 vcpu_id);
u32 hvk_vm_count(void);
void hvk_vm_put(struct hvk_vm *vm);
/* The slot holding @gpa, or NULL; callers hold slots_lock. */
struct hvk_memslot *hvk_vm_find_slot(struct hvk_vm *vm, u64 gpa);

#endif /* HVK_KMOD_VM_H */
