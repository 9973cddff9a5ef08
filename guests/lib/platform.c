/* SPDX-License-Identifier: MIT */
#include <abi/hvk_guest.h>
#include <abi/xen/cpuid.h>

#include "cpu.h"
#include "hypercall.h"
#include "kvm.h"
#include "platform.h"
#include "string.h"

struct platform platform;

static bool is_hvk(struct cpuid_regs r)
{
	return r.ebx == HVK_CPUID_SIGNATURE_EBX &&
	       r.ecx == HVK_CPUID_SIGNATURE_ECX &&
	       r.edx == HVK_CPUID_SIGNATURE_EDX;
}

static bool is_xen(struct cpuid_regs r)
{
	return r.ebx == XEN_CPUID_SIGNATURE_EBX &&
	       r.ecx == XEN_CPUID_SIGNATURE_ECX &&
	       r.edx == XEN_CPUID_SIGNATURE_EDX;
}

static bool is_kvm(struct cpuid_regs r)
{
	return r.ebx == KVM_CPUID_SIGNATURE_EBX &&
	       r.ecx == KVM_CPUID_SIGNATURE_ECX &&
	       r.edx == KVM_CPUID_SIGNATURE_EDX;
}

static enum platform_kind signature_kind(struct cpuid_regs r)
{
	if (is_hvk(r))
		return PLATFORM_HVK;
	if (is_xen(r))
		return PLATFORM_XEN;
	if (is_kvm(r))
		return PLATFORM_KVM;
	return PLATFORM_NATIVE;
}

/*
 * Xen may sit above another hypervisor's leaves (e.g. Viridian at
 * 0x40000000), so guests scan every 0x100 up to 0x4000ff00 as Linux does.
 * No CPUID.1:ECX[31] check first: a signature is proof enough, and on a
 * CPU without those leaves the scan reads the highest basic leaf's data.
 */
static void find_hypervisor(void)
{
	for (uint32_t base = XEN_CPUID_FIRST_LEAF; base <= XEN_CPUID_LAST_SEARCH;
	     base += XEN_CPUID_LEAF_STRIDE) {
		enum platform_kind kind = signature_kind(cpuid(base));

		if (kind != PLATFORM_NATIVE) {
			platform.kind = kind;
			platform.cpuid_base = base;
			return;
		}
	}
	platform.kind = PLATFORM_NATIVE;
}

/*
 * VMCALL is Intel's instruction and VMMCALL AMD's; each is #UD on the
 * other vendor unless the hypervisor emulates it.  Pick by vendor as Linux
 * does (Hygon is AMD's design).
 */
static enum hypercall_insn vendor_insn(const char *vendor)
{
	if (!memcmp(vendor, "AuthenticAMD", 12) || !memcmp(vendor, "HygonGenuine", 12))
		return HYPERCALL_VMMCALL;
	return HYPERCALL_VMCALL;
}

void platform_detect(void)
{
	struct cpuid_regs r = cpuid(0);

	memcpy(platform.vendor + 0, &r.ebx, 4);
	memcpy(platform.vendor + 4, &r.edx, 4);
	memcpy(platform.vendor + 8, &r.ecx, 4);
	platform.vendor[12] = '\0';
	hypercall_use(vendor_insn(platform.vendor));
	find_hypervisor();
}

const char *platform_name(void)
{
	switch (platform.kind) {
	case PLATFORM_HVK:
		return "hvk";
	case PLATFORM_XEN:
		return "xen";
	case PLATFORM_KVM:
		return "kvm";
	default:
		return "native";
	}
}
