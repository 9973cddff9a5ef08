// SPDX-License-Identifier: GPL-2.0
/* Hypervisor CPUID leaves and Xen's hypercall page (see xen_platform.h). */
#include <linux/mm.h>
#include <abi/hvk_guest.h>
#include <abi/xen/cpuid.h>

#include "domain.h"
#include "guest_mem.h"
#include "hypercall.h"
#include "shared_info.h"
#include "vcpu.h"
#include "vendor.h"
#include "vm.h"
#include "xen_platform.h"


static void cpuid_hvk_signature(u32 max_leaf, u32 *a, u32 *b, u32 *c, u32 *d)
{
	*a = max_leaf;
	*b = HVK_CPUID_SIGNATURE_EBX;
	*c = HVK_CPUID_SIGNATURE_ECX;
	*d = HVK_CPUID_SIGNATURE_EDX;
}

static void cpuid_xen_leaf(struct hvk_vcpu *vcpu, u32 offset,
			   u32 *a, u32 *b, u32 *c, u32 *d)
{
	switch (offset) {
	case 0:
		*a = XEN_CPUID_FIRST_LEAF + XEN_CPUID_MAX_LEAF_OFFSET;
		*b = XEN_CPUID_SIGNATURE_EBX;
		*c = XEN_CPUID_SIGNATURE_ECX;
		*d = XEN_CPUID_SIGNATURE_EDX;
		break;
	case XEN_CPUID_LEAF_VERSION:
		*a = (HVK_XEN_MAJOR << 16) | HVK_XEN_MINOR;
		break;
	case XEN_CPUID_LEAF_HCALL_PAGE:
		*a = 1;                         /* one hypercall page */
		*b = XEN_HYPERCALL_PAGE_MSR;
		break;
	case XEN_CPUID_LEAF_HVM:
		/* Sub-leaf 0 only (Xen); the sub-leaf is the guest's ECX. */
		if ((u32)vcpu->gpr[HVK_REG_RCX] != 0)
			break;
		/*
		 * hvk's local APIC is in the kernel, every access handled there:
		 * what Xen reports with hardware APIC virtualisation.  Per-vCPU
		 * upcall vectors: event channels (evtchn_upcall.c).  Xen always
		 * sets IOMMU_MAPPINGS for HVM; hvk has no grant mappings at all.
		 */
		*a = XEN_CPUID_HVM_APIC_ACCESS_VIRT | XEN_CPUID_HVM_X2APIC_VIRT |
		     XEN_CPUID_HVM_IOMMU_MAPPINGS | XEN_CPUID_HVM_VCPU_ID_PRESENT |
		     XEN_CPUID_HVM_DOMID_PRESENT | XEN_CPUID_HVM_UPCALL_VECTOR;
		*b = vcpu->id;
		*c = HVK_XEN_DOMID;
		break;
	}
}

void hvk_platform_cpuid(struct hvk_vcpu *vcpu, u32 leaf,
			u32 *a, u32 *b, u32 *c, u32 *d)
{
	*a = *b = *c = *d = 0;
	if (!vcpu->vm->xen_compat) {
		if (leaf == HVK_CPUID_BASE)
			cpuid_hvk_signature(HVK_CPUID_MAX_LEAF, a, b, c, d);
		return;
	}
	if (leaf - XEN_CPUID_FIRST_LEAF <= XEN_CPUID_MAX_LEAF_OFFSET)
		cpuid_xen_leaf(vcpu, leaf - XEN_CPUID_FIRST_LEAF, a, b, c, d);
	else if (leaf == HVK_CPUID_BASE_XEN_MODE)
		cpuid_hvk_signature(HVK_CPUID_BASE_XEN_MODE, a, b, c, d);
}

int hvk_platform_rdmsr(struct hvk_vcpu *vcpu, u32 index, u64 *value)
{
	if (!vcpu->vm->xen_compat || index != XEN_HYPERCALL_PAGE_MSR)
		return -ENOENT;
	*value = 0;                     /* write-only in effect */
	return 0;
}

/*
 * 128 stubs of 32 bytes: "mov $n, %eax; vmcall|vmmcall; ret" (b8 imm32,
 * 0f 01 c1|d9, c3), padded with int3.  The host vendor's instruction is
 * used, though hvk accepts both.
 */
static void hypercall_page_fill(u8 *page)
{
	u8 insn = hvk_ops->vendor == HVK_VENDOR_SVM ? 0xd9 : 0xc1;
	unsigned int n;

	memset(page, 0xcc, PAGE_SIZE);
	for (n = 0; n < XEN_HYPERCALL_STUBS; n++) {
		u8 *stub = page + n * XEN_HYPERCALL_STUB_SIZE;

		stub[0] = 0xb8;
		memcpy(stub + 1, &n, 4);
		stub[5] = 0x0f;
		stub[6] = 0x01;
		stub[7] = insn;
		stub[8] = 0xc3;
	}
}

int hvk_platform_wrmsr(struct hvk_vcpu *vcpu, u32 index, u64 value)
{
	u8 *page;
	int err;

	if (!vcpu->vm->xen_compat || index != XEN_HYPERCALL_PAGE_MSR)
		return -ENOENT;
	/* Bits 11:0 select the page; there is one (index 0), else #GP. */
	if (value & ~PAGE_MASK)
		return -EINVAL;
	/* Xen samples the caller's bitness for shared_info's layout here. */
	hvk_shared_info_latch_layout(vcpu);
	page = (u8 *)__get_free_page(GFP_KERNEL);
	if (!page)
		return -EINVAL;
	hypercall_page_fill(page);
	err = hvk_gpa_write(vcpu->vm, value & PAGE_MASK, page, PAGE_SIZE);
	free_page((unsigned long)page);
	return err ? -EINVAL : 0;
}
