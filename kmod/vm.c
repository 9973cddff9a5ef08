// SPDX-License-Identifier: GPL-2.0
/* The VM fd: memory regions and vCPU creation (see vm.h). */
#include <linux/anon_inodes.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/sched/mm.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

#include "irq/inject.h"
#include "memslot.h"
#include "smp.h"
#include "stats.h"
#include "trace.h"
#include "vcpu.h"
#include "vendor.h"
#include "vm.h"
#include "xen/evtchn.h"
#include "xen/guest_area.h"

static atomic_t hvk_nr_vms = ATOMIC_INIT(0);
static atomic_t hvk_vm_ids = ATOMIC_INIT(0);

u32 hvk_vm_count(void)
{
	return atomic_read(&hvk_nr_vms);
}

static void vm_destroy(struct hvk_vm *vm)
{
	unsigned int i;

	trace_hvk_vm_destroy(vm->id, vm->xen_compat ? HVK_VM_XEN_COMPAT : 0);
	/* No invalidation may look at the vCPUs or tables while they go. */
	hvk_ram_stop_notifier(vm);
	hvk_debugfs_vm_remove(vm);
	for (i = 0; i < HVK_MAX_VCPUS; i++)
		if (vm->vcpus[i])
			hvk_vcpu_stop_timers(vm->vcpus[i]);
	for (i = 0; i < HVK_MAX_VCPUS; i++) {
		if (vm->vcpus[i])
			hvk_vcpu_destroy(vm->vcpus[i]);
		vm->vcpus[i] = NULL;
	}
	/* After the vCPUs: their timers raise VIRQs until they are gone. */
	hvk_evtchn_vm_destroy(vm);
	hvk_ops->vm_destroy(vm);
	hvk_shared_info_destroy(vm);
	hvk_gnttab_destroy(vm);
	hvk_physmap_destroy(vm);
	hvk_ram_destroy(vm);            /* after the vCPUs and their timers */
	for (i = 0; i < HVK_MAX_MEM_SLOTS; i++)
		if (vm->slots[i])
			hvk_memslot_destroy(vm->mm, vm->slots[i]);
	hvk_gpt_destroy(&vm->gpt);
	mmdrop(vm->mm);
	kfree(vm);
	atomic_dec(&hvk_nr_vms);
}

void hvk_vm_put(struct hvk_vm *vm)
{
	if (refcount_dec_and_test(&vm->refs))
		vm_destroy(vm);
}

struct hvk_memslot *hvk_vm_find_slot(struct hvk_vm *vm, u64 gpa)
{
	unsigned int hint = READ_ONCE(vm->slot_hint), i;
	struct hvk_memslot *slot = vm->slots[hint];

	/* Most accesses hit the slot the last one did (RAM below 4 GiB). */
	if (slot && hvk_memslot_contains(slot, gpa))
		return slot;
	for (i = 0; i < HVK_MAX_MEM_SLOTS; i++) {
		slot = vm->slots[i];
		if (slot && hvk_memslot_contains(slot, gpa)) {
			WRITE_ONCE(vm->slot_hint, i);
			return slot;
		}
	}
	return NULL;
}

void hvk_vm_shutdown(struct hvk_vm *vm, u32 reason, u32 vcpu_id)
{
	unsigned int i;

	spin_lock(&vm->power_lock);
	if (!vm->shut_down) {
		vm->shutdown_reason = reason;
		vm->shutdown_vcpu = vcpu_id;
		/* Readers check shut_down without the lock: reason first. */
		smp_wmb();
		WRITE_ONCE(vm->shut_down, true);
	}
	for (i = 0; i < HVK_MAX_VCPUS; i++)
		if (vm->vcpus[i])
			hvk_vcpu_kick_event(vm->vcpus[i]);
	spin_unlock(&vm->power_lock);
}

static bool vm_region_overlaps(struct hvk_vm *vm, u64 gpa, u64 size)
{
	unsigned int i;

	for (i = 0; i < HVK_MAX_MEM_SLOTS; i++)
		if (vm->slots[i] && hvk_memslot_overlaps(vm->slots[i], gpa, size))
			return true;
	return false;
}

static int vm_delete_slot(struct hvk_vm *vm, u32 id)
{
	struct hvk_memslot *slot = vm->slots[id];
	unsigned int i;

	if (!slot)
		return -ENOENT;
	/* A vcpu_info (or area) registered in it must not dangle (guest_area.h). */
	if (hvk_guest_areas_use_slot(vm, slot))
		return -EBUSY;
	hvk_ram_set_slot(vm, id, NULL);
	hvk_ram_slot_deleted(vm, slot);
	hvk_physmap_forget_range(vm, slot->gpa, slot->size);
	/* Drop every mapping; the tables refill lazily from the other slots. */
	hvk_gpt_clear(&vm->gpt);
	for (i = 0; i < HVK_MAX_VCPUS; i++)
		if (vm->vcpus[i])
			hvk_ops->flush_gpt(vm->vcpus[i]);
	hvk_memslot_destroy(vm->mm, slot);
	return 0;
}

static int vm_add_slot(struct hvk_vm *vm, const struct hvk_memory_region *r)
{
	struct hvk_memslot *slot;

	if (vm->slots[r->slot])
		return -EEXIST;         /* delete (size 0) first */
	if (vm_region_overlaps(vm, r->guest_phys, r->size))
		return -EINVAL;
	slot = hvk_memslot_create(vm->mm, r);
	if (IS_ERR(slot))
		return PTR_ERR(slot);
	hvk_ram_set_slot(vm, r->slot, slot);
	return 0;
}

/*
 * Pages the guest may place anywhere in guest-physical space, outside its
 * slots: shared_info and every grant-table frame (xen/).  Each gets a path
 * of tables of its own in the bound below.
 */
#define VM_PLACED_PAGES  (1 + HVK_GNTTAB_MAX_FRAMES)

/*
 * The bound on a VM's nested tables for placed pages: enough to map every
 * slot completely, and a path for each placed page.  A guest that keeps
 * moving those to new places gets -ENOMEM from the move past that
 * (xen/shared_info.c), or ends with an internal error when it touches a
 * grant frame it placed past it, rather than growing kernel memory
 * without end.  RAM faults are not bounded (the slots bound them), so the
 * tables stay below twice the slots' share plus the placed pages'; they
 * go when a slot does (hvk_gpt_clear).
 */
static void vm_bound_gpt(struct hvk_vm *vm)
{
	unsigned long max = 1 + VM_PLACED_PAGES * (HVK_GPT_LEVELS - 1);
	unsigned int i;

	for (i = 0; i < HVK_MAX_MEM_SLOTS; i++)
		if (vm->slots[i])
			max += hvk_gpt_tables_for_range(vm->slots[i]->gpa, vm->slots[i]->size);
	hvk_gpt_set_max_tables(&vm->gpt, max);
}

static long vm_set_memory_region(struct hvk_vm *vm, void __user *argp, u64 *targs)
{
	struct hvk_memory_region r;
	int err;

	if (copy_from_user(&r, argp, sizeof(r)))
		return -EFAULT;
	targs[0] = r.slot;
	targs[1] = r.guest_phys;
	targs[2] = r.size;
	err = hvk_memslot_check(&r);
	if (err)
		return err;
	/* Slots change only while no vCPU runs (see vm.h). */
	if (!down_write_trylock(&vm->slots_lock))
		return -EBUSY;
	if (r.size == 0)
		err = vm_delete_slot(vm, r.slot);
	else
		err = vm_add_slot(vm, &r);
	vm_bound_gpt(vm);
	up_write(&vm->slots_lock);
	return err;
}

static long vm_create_vcpu(struct hvk_vm *vm, void __user *argp, u64 *targs)
{
	struct hvk_vcpu_create req;
	struct hvk_vcpu *vcpu;
	struct file *file;
	int fd;

	if (copy_from_user(&req, argp, sizeof(req)))
		return -EFAULT;
	targs[0] = req.id;
	if (req.id >= HVK_MAX_VCPUS || req.flags || req.reserved[0] ||
	    req.reserved[1] || req.reserved[2])
		return -EINVAL;

	mutex_lock(&vm->vcpus_lock);
	if (vm->vcpus[req.id]) {
		fd = -EEXIST;
		goto out;
	}
	vcpu = hvk_vcpu_create(vm, req.id);
	if (IS_ERR(vcpu)) {
		fd = PTR_ERR(vcpu);
		goto out;
	}
	/*
	 * The fd goes into the table only once the vCPU is published: another
	 * thread may run the vCPU as soon as its fd is there, and one not yet
	 * in vm->vcpus would miss kicks and flushes (irq/inject.c, ram.c).
	 */
	fd = get_unused_fd_flags(O_CLOEXEC);
	if (fd < 0)
		goto destroy;
	file = anon_inode_getfile("hvk-vcpu", &hvk_vcpu_fops, vcpu, O_RDWR);
	if (IS_ERR(file)) {
		put_unused_fd(fd);
		fd = PTR_ERR(file);
		goto destroy;
	}
	refcount_inc(&vm->refs);        /* dropped by the vCPU fd's release */
	WRITE_ONCE(vm->vcpus[req.id], vcpu);
	fd_install(fd, file);
	goto out;
destroy:
	hvk_vcpu_destroy(vcpu);
out:
	mutex_unlock(&vm->vcpus_lock);
	return fd;
}

static long vm_get_stats(struct hvk_vm *vm, void __user *argp)
{
	struct hvk_stats *st = kmalloc(sizeof(*st), GFP_KERNEL);
	long ret;

	if (!st)
		return -ENOMEM;
	hvk_stats_vm(vm, st);
	ret = copy_to_user(argp, st, sizeof(*st)) ? -EFAULT : 0;
	kfree(st);
	return ret;
}

static long vm_set_io_policy(struct hvk_vm *vm, void __user *argp, u64 *targs)
{
	struct hvk_io_policy *req = kmalloc(sizeof(*req), GFP_KERNEL);
	long err = -EFAULT;

	if (!req)
		return -ENOMEM;
	if (copy_from_user(req, argp, sizeof(*req)))
		goto out;
	targs[0] = req->unclaimed;
	targs[1] = req->nr_claims;
	/* vCPUs read the table without a lock: change it only while none runs. */
	err = -EBUSY;
	if (!down_write_trylock(&vm->slots_lock))
		goto out;
	err = hvk_io_policy_set(&vm->io_policy, req);
	up_write(&vm->slots_lock);
out:
	kfree(req);
	return err;
}

static long vm_get_io_stats(struct hvk_vm *vm, void __user *argp)
{
	struct hvk_io_stats *st = kmalloc(sizeof(*st), GFP_KERNEL);
	long ret;

	if (!st)
		return -ENOMEM;
	hvk_io_stats_get(&vm->io_policy, st);
	ret = copy_to_user(argp, st, sizeof(*st)) ? -EFAULT : 0;
	kfree(st);
	return ret;
}

/* HVK_VM_XEN_EVTCHN: the VMM's end of its event channels (abi/hvk.h). */
static long vm_xen_evtchn(struct hvk_vm *vm, void __user *argp, u64 *targs)
{
	struct hvk_xen_evtchn req;
	int port;

	if (copy_from_user(&req, argp, sizeof(req)))
		return -EFAULT;
	targs[0] = req.op;
	targs[1] = req.port;
	if (!vm->xen_compat || req.flags || req.reserved0 || req.reserved[0] ||
	    req.reserved[1])
		return -EINVAL;
	switch (req.op) {
	case HVK_XEN_EVTCHN_BIND_VMM:
		port = hvk_evtchn_bind_vmm(vm);
		if (port < 0)
			return port;
		req.port = port;
		return copy_to_user(argp, &req, sizeof(req)) ? -EFAULT : 0;
	case HVK_XEN_EVTCHN_SEND:
		return hvk_evtchn_vmm_send(vm, req.port);
	}
	return -EINVAL;
}

/* HVK_VM_XEN_SET_PARAM: an HVM parameter a toolstack sets (xen/hvm_params.h). */
static long vm_xen_set_param(struct hvk_vm *vm, void __user *argp, u64 *targs)
{
	struct hvk_xen_param req;

	if (copy_from_user(&req, argp, sizeof(req)))
		return -EFAULT;
	targs[0] = req.index;
	targs[1] = req.value;
	return hvk_hvm_param_vmm_set(vm, &req);
}

static long vm_ioctl_dispatch(struct hvk_vm *vm, unsigned int cmd,
			      void __user *argp, u64 *targs)
{
	switch (cmd) {
	case HVK_SET_MEMORY_REGION:
		return vm_set_memory_region(vm, argp, targs);
	case HVK_CREATE_VCPU:
		return vm_create_vcpu(vm, argp, targs);
	case HVK_VM_GET_STATS:
		return vm_get_stats(vm, argp);
	case HVK_VM_SET_IO_POLICY:
		return vm_set_io_policy(vm, argp, targs);
	case HVK_VM_GET_IO_STATS:
		return vm_get_io_stats(vm, argp);
	case HVK_VM_XEN_EVTCHN:
		return vm_xen_evtchn(vm, argp, targs);
	case HVK_VM_XEN_SET_PARAM:
		return vm_xen_set_param(vm, argp, targs);
	}
	return -ENOTTY;
}

static long vm_ioctl(struct file *file, unsigned int cmd, unsigned long arg)
{
	struct hvk_vm *vm = file->private_data;
	u64 targs[3] = { 0 };
	long ret;

	/* Pinning and accounting are done against the creator's mm. */
	if (vm->mm != current->mm)
		return -EIO;
	ret = vm_ioctl_dispatch(vm, cmd, (void __user *)arg, targs);
	trace_hvk_ioctl(1, cmd, targs[0], targs[1], targs[2], ret);
	return ret;
}

static int vm_release(struct inode *inode, struct file *file)
{
	hvk_vm_put(file->private_data);
	return 0;
}

static const struct file_operations hvk_vm_fops = {
	.owner = THIS_MODULE,
	.release = vm_release,
	.unlocked_ioctl = vm_ioctl,
	/* The ABI is identical for 32-bit callers: no translation. */
	.compat_ioctl = compat_ptr_ioctl,
	.llseek = noop_llseek,
};

static bool vm_create_request_valid(const struct hvk_vm_create *req)
{
	return !(req->flags & ~HVK_VM_XEN_COMPAT) && !req->reserved0 && !req->reserved[0] &&
	       !req->reserved[1] && !req->reserved[2];
}

static struct hvk_vm *vm_alloc(u32 flags)
{
	struct hvk_vm *vm;
	int err;

	vm = kzalloc(hvk_ops->vm_size, GFP_KERNEL_ACCOUNT);
	if (!vm)
		return ERR_PTR(-ENOMEM);
	refcount_set(&vm->refs, 1);
	init_rwsem(&vm->slots_lock);
	mutex_init(&vm->vcpus_lock);
	spin_lock_init(&vm->power_lock);
	vm->xen_compat = flags & HVK_VM_XEN_COMPAT;
	hvk_io_policy_init(&vm->io_policy);
	hvk_shared_info_init(vm);
	hvk_physmap_init(vm);
	hvk_gnttab_init(vm);
	err = hvk_evtchn_vm_init(vm);
	if (err)
		goto free_vm;
	err = hvk_gpt_init(&vm->gpt, hvk_ops->gpt_format);
	if (err)
		goto free_evtchn;
	vm_bound_gpt(vm);
	err = hvk_ops->vm_init(vm);
	if (err)
		goto free_gpt;
	err = hvk_ram_init(vm);
	if (err)
		goto free_vendor;
	mmgrab(current->mm);
	vm->mm = current->mm;
	vm->id = atomic_inc_return(&hvk_vm_ids);
	vm->pid = task_tgid_nr(current);
	atomic_inc(&hvk_nr_vms);
	hvk_debugfs_vm_add(vm);
	trace_hvk_vm_create(vm->id, flags);
	return vm;
free_vendor:
	hvk_ops->vm_destroy(vm);
free_gpt:
	hvk_gpt_destroy(&vm->gpt);
free_evtchn:
	hvk_evtchn_vm_destroy(vm);
free_vm:
	kfree(vm);
	return ERR_PTR(err);
}

int hvk_vm_create_fd(void __user *argp)
{
	struct hvk_vm_create req;
	struct hvk_vm *vm;
	int fd;

	if (copy_from_user(&req, argp, sizeof(req)))
		return -EFAULT;
	if (!vm_create_request_valid(&req))
		return -EINVAL;
	vm = vm_alloc(req.flags);
	if (IS_ERR(vm))
		return PTR_ERR(vm);
	fd = anon_inode_getfd("hvk-vm", &hvk_vm_fops, vm, O_RDWR | O_CLOEXEC);
	if (fd < 0)
		hvk_vm_put(vm);
	return fd;
}
