/* SPDX-License-Identifier: MIT */
/*
 * What the guest runs on, found once at start from CPUID (platform.c):
 * hvk or Xen (hypercalls available) or native (no hypervisor we know: bare
 * metal, QEMU TCG, another hypervisor), where the console and shutdown fall
 * back to QEMU's debugcon and isa-debug-exit ports.
 */
#ifndef GUEST_PLATFORM_H
#define GUEST_PLATFORM_H

#include <stdbool.h>
#include <stdint.h>

enum platform_kind {
	PLATFORM_NATIVE,
	PLATFORM_HVK,
	PLATFORM_XEN,
};

struct platform {
	enum platform_kind kind;
	uint32_t cpuid_base;        /* leaf of the signature; 0 on native */
	char vendor[13];            /* CPUID 0 vendor string, NUL-terminated */
};

extern struct platform platform;

void platform_detect(void);
const char *platform_name(void);

static inline bool platform_has_hypercalls(void)
{
	return platform.kind != PLATFORM_NATIVE;
}

#endif /* GUEST_PLATFORM_H */
