/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The Xen shared_info page (REFERENCE-GUEST-SERVICES §1).
 *
 * XENMEM_add_to_physmap(XENMAPSPACE_shared_info) maps a module-owned page at
 * a guest frame of the guest's choosing, over whatever RAM was there (as
 * Xen).  The page starts with 32 vcpu_info slots of 64 bytes (vcpu_info.h),
 * then the event channel bitmaps (evtchn_2l.c) and the wall clock, whose
 * offsets depend on the layout latched for the guest's bitness.  The
 * pvclocks in the slots are pvclock.c's.
 *
 * System time, the clock of the pvclock, timers and runstates, counts ns
 * from created_ns (host ktime at VM creation); the wall clock at system
 * time 0 is the host's real time at that moment.
 */
#ifndef HVK_KMOD_SHARED_INFO_H
#define HVK_KMOD_SHARED_INFO_H

#include <linux/compiler.h>
#include <linux/types.h>

struct hvk_vcpu;
struct hvk_vm;
struct page;

struct hvk_shared_info {
	struct page *page;              /* NULL until first mapped */
	u64 gfn;                        /* guest frame it is mapped at */
	u32 tsc_to_system_mul;          /* the pvclock's scale (pvclock.c) */
	s8 tsc_shift;
	u8 flags;                       /* XEN_PVCLOCK_* */
	u64 created_ns;                 /* host ktime when the VM was created */
	u64 wallclock_ns;               /* host real time then: system time 0 */
	bool layout32;                  /* latched: the 32-bit guest layout */
};

void hvk_shared_info_init(struct hvk_vm *vm);
void hvk_shared_info_destroy(struct hvk_vm *vm);
/* Maps (or moves) the page to @gfn; 0 or a negative Xen errno. */
int hvk_shared_info_map(struct hvk_vcpu *vcpu, u64 gfn);
/* The page backing guest frame @gfn, if it is the shared_info overlay. */
struct page *hvk_shared_info_page_at(struct hvk_vm *vm, u64 gfn);
/*
 * The layout (REFERENCE-GUEST-SERVICES §1: event arrays, wallclock) follows
 * the guest's bitness as Xen latches it (hvm.c, hvm_latch_shinfo_size):
 * at the hypercall-page MSR write and at HVM_PARAM_CALLBACK_IRQ, 64-bit
 * iff @caller is in long mode; 64-bit until the first latch.  The wall
 * clock is rewritten in the new layout's place.  Sleeps.
 */
void hvk_shared_info_latch_layout(struct hvk_vcpu *caller);
static inline bool hvk_shared_info_layout32(const struct hvk_shared_info *si)
{
	return READ_ONCE(si->layout32);
}

#endif /* HVK_KMOD_SHARED_INFO_H */
