/* SPDX-License-Identifier: MIT */
#include <stddef.h>

#include "exceptions.h"
#include "hypercall.h"
#include "platform.h"
#include "shutdown.h"
#include "start.h"
#include "string.h"

uint32_t boot_start_info_paddr;

const struct xen_hvm_start_info *start_info(void)
{
	const struct xen_hvm_start_info *si =
		(const struct xen_hvm_start_info *)(uintptr_t)boot_start_info_paddr;

	return si && si->magic == XEN_HVM_START_MAGIC ? si : NULL;
}

/* Both runtimes address physical memory 1:1 below 4 GiB. */
const char *boot_cmdline(void)
{
	const struct xen_hvm_start_info *si = start_info();

	if (!si || !si->cmdline_paddr || si->cmdline_paddr >= (1ull << 32))
		return "";
	return (const char *)(uintptr_t)si->cmdline_paddr;
}

bool cmdline_has_word(const char *word)
{
	const char *p = boot_cmdline();
	size_t len = strlen(word);

	while (*p) {
		while (*p == ' ')
			p++;
		if (!strncmp(p, word, len) && (p[len] == ' ' || !p[len]))
			return true;
		while (*p && *p != ' ')
			p++;
	}
	return false;
}

void guest_start(void)
{
	int rc;

	platform_detect();
	exceptions_init();
	if (cmdline_has_word("hypercall=vmcall"))
		hypercall_use(HYPERCALL_VMCALL);
	if (cmdline_has_word("hypercall=vmmcall"))
		hypercall_use(HYPERCALL_VMMCALL);
	rc = guest_main();
	if (rc)
		guest_fail("guest_main returned %d", rc);
	guest_pass();
}
