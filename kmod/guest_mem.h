/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Access to guest memory from the kernel: guest-physical through the memory
 * slots, and guest-virtual (hypercall pointer arguments are linear addresses)
 * through the guest's own page tables in whatever mode it runs: paging off,
 * 32-bit (with PSE), PAE, or 4-level.  All return 0 or -EFAULT.  They may
 * sleep (guest RAM is faulted in from the VMM's memory, ram.h), except the
 * _nofault variant, which fails on a page that is not resident.
 *
 * Accessed/dirty bits in the guest's tables are not set by these walks.
 */
#ifndef HVK_KMOD_GUEST_MEM_H
#define HVK_KMOD_GUEST_MEM_H

#include <linux/types.h>

struct hvk_vcpu;
struct hvk_vm;

int hvk_gpa_read(struct hvk_vm *vm, u64 gpa, void *dst, size_t len);
int hvk_gpa_write(struct hvk_vm *vm, u64 gpa, const void *src, size_t len);
int hvk_gva_to_gpa(struct hvk_vcpu *vcpu, u64 gva, bool write, u64 *gpa);
int hvk_copy_from_guest(struct hvk_vcpu *vcpu, void *dst, u64 gva, size_t len);
int hvk_copy_to_guest(struct hvk_vcpu *vcpu, u64 gva, const void *src, size_t len);
int hvk_copy_to_guest_nofault(struct hvk_vcpu *vcpu, u64 gva, const void *src, size_t len);

#endif /* HVK_KMOD_GUEST_MEM_H */
