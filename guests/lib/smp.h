/* SPDX-License-Identifier: MIT */
/*
 * Secondary vCPUs through Xen's vcpu_op (include/abi/xen/vcpu.h): vCPU 0
 * starts at the PVH entry; the others ("APs") wait until a running vCPU
 * gives them a start state (VCPUOP_initialise) and brings them up
 * (VCPUOP_up).
 *
 * smp_ap_context() builds a state that enters fn(id, arg) in C on the AP,
 * on its own stack, with the library's GDT and IDT loaded (exceptions fail
 * the guest as on vCPU 0).  The mode is the library's:
 *   64-bit library: XEN_VCPU_HVM_MODE_64B on the boot page tables;
 *   32-bit library: XEN_VCPU_HVM_MODE_32B, flat segments, paging off, or
 *                   with smp_ap_context_paged() paging on (CR0.PG with
 *                   CR4.PSE, 4 MiB pages mapping the first 4 GiB 1:1).
 * If fn returns, the AP takes itself down (VCPUOP_down) for good.
 * x86_64/smp.c, x86_32/smp.c; entry code in x86_64/smp_entry.S and
 * x86_32/smp_entry.S.
 */
#ifndef GUEST_SMP_H
#define GUEST_SMP_H

#include <stdint.h>

#include <abi/xen/vcpu.h>

/* hvk's limit on vCPU ids (HVK_MAX_VCPUS in abi/hvk.h, not freestanding). */
#define SMP_MAX_VCPUS           64u

typedef void (*smp_ap_fn)(unsigned int id, unsigned long arg);

/* vcpu_op(op, id, arg). */
long hc_vcpu_op(unsigned int op, unsigned int id, void *arg);

/* vCPUs in the VM: the first id for which VCPUOP_is_up says -ENOENT. */
unsigned int smp_count_vcpus(void);

void smp_ap_context(struct xen_vcpu_hvm_context *ctx, unsigned int id,
		    smp_ap_fn fn, unsigned long arg, void *stack_top);
#ifndef __x86_64__
void smp_ap_context_paged(struct xen_vcpu_hvm_context *ctx, unsigned int id,
			  smp_ap_fn fn, unsigned long arg, void *stack_top);
#endif

/*
 * A bare XEN_VCPU_HVM_MODE_32B state: flat 4 GiB code and data segments
 * (XEN_HVM_AR_*), a busy TSS, CR0 = PE|ET, EFLAGS = 2, paging off, all
 * GPRs 0.  For entry code of a guest's own (any library mode).
 */
void smp_context_flat32(struct xen_vcpu_hvm_context *ctx, uint32_t eip, uint32_t esp);

/* Called by the entry code (smp_entry.S). */
__attribute__((noreturn)) void smp_ap_start(unsigned int id, unsigned long arg,
					    smp_ap_fn fn);

#endif /* GUEST_SMP_H */
