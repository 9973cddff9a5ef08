/* SPDX-License-Identifier: MIT */
/*
 * hello32 / hello64: the smallest PVH guest.  Prints a greeting and what
 * the loader handed over at EBX (start_info, memmap, command line), then
 * powers off.  Fails if EBX did not point at a start_info.
 */
#include "guest.h"

#ifdef __x86_64__
#define NAME "hello64"
#else
#define NAME "hello32"
#endif

static unsigned long long ram_bytes(const struct xen_hvm_start_info *si)
{
	const struct xen_hvm_memmap_entry *map;
	unsigned long long total = 0;

	if (si->version < 1 || !si->memmap_paddr)
		return 0;
	map = (const struct xen_hvm_memmap_entry *)(uintptr_t)si->memmap_paddr;
	for (uint32_t i = 0; i < si->memmap_entries; i++)
		if (map[i].type == XEN_HVM_MEMMAP_TYPE_RAM)
			total += map[i].size;
	return total;
}

int guest_main(void)
{
	const struct xen_hvm_start_info *si = start_info();

	printf("hello from a %u-bit PVH guest\n", (unsigned int)sizeof(long) * 8);
	printf(NAME ": platform %s, cpu %s, hypercalls by %s\n", platform_name(),
	       platform.vendor, hypercall_insn_name(hypercall_insn));
	if (!si)
		guest_fail(NAME ": no start_info magic at EBX = 0x%x",
			   boot_start_info_paddr);
	printf(NAME ": start_info at 0x%x: magic 0x%x, version %u, "
	       "%u memmap entries, %llu KiB RAM\n", boot_start_info_paddr,
	       si->magic, si->version, si->version >= 1 ? si->memmap_entries : 0,
	       ram_bytes(si) >> 10);
	if (*boot_cmdline())
		printf(NAME ": cmdline \"%s\"\n", boot_cmdline());
	return 0;
}
