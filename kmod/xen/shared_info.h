/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The Xen shared_info page and each vCPU's pvclock.
 *
 * XENMEM_add_to_physmap(XENMAPSPACE_shared_info) maps a module-owned page at
 * a guest frame of the guest's choosing, over whatever RAM was there (as
 * Xen).  The page starts with 32 vcpu_info slots of 64 bytes; slot N's
 * `time` is vCPU N's pvclock (struct xen_vcpu_time_info), written when the
 * page is mapped and whenever the vCPU is loaded onto a CPU, so it stays
 * right across entries and migration.
 *
 * Clock: nanoseconds since the VM was created, derived from the guest's TSC
 * with a fixed scale; every update re-bases on the previous one, so the
 * clock the guest computes never jumps back at an update.
 */
#ifndef HVK_KMOD_SHARED_INFO_H
#define HVK_KMOD_SHARED_INFO_H

#include <linux/types.h>

struct hvk_vcpu;
struct hvk_vm;
struct page;

struct hvk_shared_info {
	struct page *page;              /* NULL until first mapped */
	u64 gfn;                        /* guest frame it is mapped at */
	u32 tsc_to_system_mul;
	s8 tsc_shift;
	u8 flags;                       /* XEN_PVCLOCK_* */
	u64 created_ns;                 /* host ktime when the VM was created */
};

void hvk_shared_info_init(struct hvk_vm *vm);
void hvk_shared_info_destroy(struct hvk_vm *vm);
/* Maps (or moves) the page to @gfn; 0 or a negative Xen errno. */
int hvk_shared_info_map(struct hvk_vcpu *vcpu, u64 gfn);
/* The page backing guest frame @gfn, if it is the shared_info overlay. */
struct page *hvk_shared_info_page_at(struct hvk_vm *vm, u64 gfn);
/* Refreshes @vcpu's pvclock; callable with preemption off. */
void hvk_pvclock_update(struct hvk_vcpu *vcpu);

#endif /* HVK_KMOD_SHARED_INFO_H */
