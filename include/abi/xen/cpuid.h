/* SPDX-License-Identifier: MIT */
/*
 * Xen platform discovery (xen/include/public/arch-x86/cpuid.h), offered only
 * to a VM created in Xen-compatible mode: a Linux kernel that sees the Xen
 * signature takes its Xen path, so it is a per-VM choice.
 */
#ifndef HVK_ABI_XEN_CPUID_H
#define HVK_ABI_XEN_CPUID_H

#define XEN_CPUID_FIRST_LEAF      0x40000000u
#define XEN_CPUID_LEAF_STRIDE     0x100u
#define XEN_CPUID_LAST_SEARCH     0x4000ff00u

/* "XenVMMXenVMM" in EBX, ECX, EDX of base + 0; EAX = base + 5. */
#define XEN_CPUID_SIGNATURE_EBX   0x566e6558u
#define XEN_CPUID_SIGNATURE_ECX   0x65584d4du
#define XEN_CPUID_SIGNATURE_EDX   0x4d4d566eu

#define XEN_CPUID_LEAF_VERSION    1   /* EAX = major << 16 | minor */
#define XEN_CPUID_LEAF_HCALL_PAGE 2   /* EAX = pages (1), EBX = MSR index */
#define XEN_CPUID_LEAF_HVM        4   /* HVM features; bit 3: EBX = vCPU id */
#define XEN_CPUID_HVM_APIC_ACCESS_VIRT (1u << 0)  /* APIC registers virtualised */
#define XEN_CPUID_HVM_X2APIC_VIRT      (1u << 1)  /* x2APIC accesses virtualised */
/* Grant mappings have IOMMU entries (vacuous without foreign mappings). */
#define XEN_CPUID_HVM_IOMMU_MAPPINGS   (1u << 2)
#define XEN_CPUID_HVM_VCPU_ID_PRESENT (1u << 3)
#define XEN_CPUID_HVM_DOMID_PRESENT    (1u << 4)  /* ECX = the domain id */
#define XEN_CPUID_HVM_UPCALL_VECTOR    (1u << 6)  /* HVMOP_set_evtchn_upcall_vector */
#define XEN_CPUID_MAX_LEAF_OFFSET 5

/* WRMSR(gpa | page_index) fills the page with 128 stubs of 32 bytes. */
#define XEN_HYPERCALL_PAGE_MSR    0x40000000u
#define XEN_HYPERCALL_STUB_SIZE   32
#define XEN_HYPERCALL_STUBS       128

#endif /* HVK_ABI_XEN_CPUID_H */
