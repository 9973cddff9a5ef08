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

uint64_t boot_ram_end(void)
{
	const struct xen_hvm_start_info *si = start_info();
	const struct xen_hvm_memmap_entry *map;
	uint64_t end = 0;

	if (!si || si->version < 1 || !si->memmap_paddr || si->memmap_paddr >= (1ull << 32))
		return 0;
	map = (const struct xen_hvm_memmap_entry *)(uintptr_t)si->memmap_paddr;
	for (uint32_t i = 0; i < si->memmap_entries; i++)
		if (map[i].type == XEN_HVM_MEMMAP_TYPE_RAM && map[i].addr + map[i].size > end)
			end = map[i].addr + map[i].size;
	return end;
}

static bool parse_number(const char *p, uint64_t *v)
{
	unsigned int base = 10;
	bool any = false;

	*v = 0;
	if (p[0] == '0' && (p[1] == 'x' || p[1] == 'X')) {
		base = 16;
		p += 2;
	}
	for (; *p && *p != ' '; p++, any = true) {
		unsigned int d;

		if (*p >= '0' && *p <= '9')
			d = *p - '0';
		else if (base == 16 && *p >= 'a' && *p <= 'f')
			d = *p - 'a' + 10;
		else if (base == 16 && *p >= 'A' && *p <= 'F')
			d = *p - 'A' + 10;
		else
			return false;
		*v = *v * base + d;
	}
	return any;
}

uint64_t cmdline_number(const char *key, uint64_t dflt)
{
	const char *p = boot_cmdline();
	size_t len = strlen(key);
	uint64_t v;

	while (*p) {
		while (*p == ' ')
			p++;
		if (!strncmp(p, key, len) && p[len] == '=')
			return parse_number(p + len + 1, &v) ? v : dflt;
		while (*p && *p != ' ')
			p++;
	}
	return dflt;
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
