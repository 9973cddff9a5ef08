/* SPDX-License-Identifier: MIT */
/*
 * What the guest runs on, found once at start from CPUID (platform.c):
 * hvk or Xen (Xen-ABI hypercalls available), KVM (its own hypercalls,
 * kvm.h, and no Xen ABI) or native (no hypervisor we know: bare metal,
 * QEMU TCG, another hypervisor).  Without Xen-ABI hypercalls the console and
 * shutdown fall back to QEMU's debugcon and isa-debug-exit ports.
 */
#ifndef GUEST_PLATFORM_H
#define GUEST_PLATFORM_H

#include <stdbool.h>
#include <stdint.h>

enum platform_kind {
	PLATFORM_NATIVE,
	PLATFORM_HVK,
	PLATFORM_XEN,
	PLATFORM_KVM,
};

struct platform {
	enum platform_kind kind;
	uint32_t cpuid_base;        /* leaf of the signature; 0 on native */
	char vendor[13];            /* CPUID 0 vendor string, NUL-terminated */
};

extern struct platform platform;

void platform_detect(void);
const char *platform_name(void);

/* Xen-ABI hypercalls (hypercall.h): hvk and Xen, not KVM. */
static inline bool platform_has_hypercalls(void)
{
	return platform.kind == PLATFORM_HVK || platform.kind == PLATFORM_XEN;
}

#endif /* GUEST_PLATFORM_H */
