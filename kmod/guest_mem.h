/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Access to guest memory from the kernel: guest-physical through the memory
 * slots, and guest-virtual (hypercall pointer arguments are linear addresses)
 * through the guest's own page tables in whatever mode it runs: paging off,
 * 32-bit (with PSE), PAE, or 4-level.  All return 0 or -EFAULT.
 *
 * Accessed/dirty bits in the guest's tables are not set by these walks.
 */
#ifndef HVK_KMOD_GUEST_MEM_H
#define HVK_KMOD_GUEST_MEM_H

#include <linux/types.h>

struct hvk_vcpu;
struct hvk_vm;

/*
 * A vCPU's guest-virtual translations, as a small TLB: a hypercall reads
 * and writes its arguments field by field (a multicall its entries one by
 * one), and each page is walked once per exit instead of once per field.
 * Entries live for one exit only: hvk_vcpu_exit_event() and every new
 * register state start a new epoch, so a guest that changed CR3 or its
 * tables between exits is walked afresh.  Within one exit a hypercall that
 * writes the caller's page tables leaves stale entries, as a CPU's TLB
 * keeps them until the guest flushes (SDM 4.10.4.1).  Only the translation
 * is kept: the frame behind it is looked up on every access, so RAM given
 * back in the same exit is seen at once.
 */
#define HVK_GVA_TLB_ENTRIES     4

struct hvk_gva_tlb {
	u64 epoch;                      /* bumped per exit: older entries are void */
	u64 paging_epoch;               /* cr0..efer read in this epoch */
	u64 cr0, cr3, cr4, efer;
	unsigned int victim;            /* round robin */
	struct {
		u64 epoch;
		u64 va, pa;             /* page frames (addresses >> PAGE_SHIFT) */
		bool writable;          /* a supervisor write may go through */
	} e[HVK_GVA_TLB_ENTRIES];
};

/* Void every translation: a new exit, or a new register state. */
static inline void hvk_gva_tlb_flush(struct hvk_gva_tlb *tlb)
{
	tlb->epoch++;
}

int hvk_gpa_read(struct hvk_vm *vm, u64 gpa, void *dst, size_t len);
int hvk_gpa_write(struct hvk_vm *vm, u64 gpa, const void *src, size_t len);
int hvk_gva_to_gpa(struct hvk_vcpu *vcpu, u64 gva, bool write, u64 *gpa);
int hvk_copy_from_guest(struct hvk_vcpu *vcpu, void *dst, u64 gva, size_t len);
int hvk_copy_to_guest(struct hvk_vcpu *vcpu, u64 gva, const void *src, size_t len);

#endif /* HVK_KMOD_GUEST_MEM_H */
