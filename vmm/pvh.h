/*
 * PVH boot (Xen's x86 "PVH" protocol, include/abi/xen/hvm_start_info.h):
 * puts the kernel, its modules and struct xen_hvm_start_info into guest RAM
 * and gives the boot vCPU's entry state.
 *
 * Guest-physical layout hvk builds:
 *
 *   0x0000_0000  RAM (memmap type 1) ............................ 0xa0000
 *     0x6000     struct xen_hvm_start_info, version 1 (EBX at entry)
 *     0x7000     memmap: memmap_entries xen_hvm_memmap_entry
 *     then       modlist: nr_modules xen_hvm_modlist_entry (8-aligned)
 *     then       kernel command line, then module command lines (NUL-ended)
 *                -- all below PVH_BOOT_AREA_LIMIT (0x9f000) --
 *   0x0009_f000  with a PV console (cfg->console_page): its ring page,
 *                RESERVED (type 2) with the hole, so RAM ends at 0x9f000
 *   0x000a_0000  RESERVED (type 2): the legacy VGA/ROM hole ....... 0xe0000
 *   0x000e_0000  ACPI (type 3): RSDP, XSDT, FADT, MADT, DSDT (acpi.h),
 *                rsdp_paddr = 0xe0000 ............................ 1 MiB
 *                (without ACPI: RESERVED up to 1 MiB, rsdp_paddr 0)
 *   0x0010_0000  RAM (type 1) .................................. ram_size
 *     kernel     PT_LOAD segments at their p_paddr
 *     modules    at the top of RAM (below 4 GiB), page-aligned, module 0
 *                highest, each next one below the previous
 *
 * Why this memmap: the whole of [0, 640 KiB) is RAM as on a PC with no EBDA
 * (hvk has no firmware, so nothing lives there but the boot structures,
 * which the kernel copies before it reuses low memory), and Linux needs
 * free RAM below 1 MiB for its real-mode trampoline (the AP start and
 * reboot code).  The hole keeps the kernel from allocating where legacy
 * code expects ROM/VGA; the ACPI tables sit in its top, where a PC's BIOS
 * keeps them, typed ACPI (reclaimable) so the kernel leaves them alone
 * until it has read them.  Guest RAM (slot 0, from GPA 0, at least
 * PVH_RAM_MIN) backs the whole first MiB, so the tables are plain RAM to
 * the hypervisor.
 *
 * The PV console's ring (xen_console.h) is a page the guest must not take
 * for RAM, yet can map (Linux memremap()s CONSOLE_PFN): the last page
 * below the hole, where a PC keeps its EBDA, reserved.  It is guest RAM
 * to the hypervisor (slot 0), so the VMM reads it with no second slot,
 * and below 1 MiB Linux never allocates anyway.  Xen puts it among its
 * "special pages" below 4 GiB; any reserved page will do for the guest.
 *
 * The boot area [0x6000, end of the strings) is reserved: kernel segments
 * must not overlap it, which elf_image_load() checks when pvh_boot_load()
 * passes it as `reserved`; nor the ACPI area when there are tables, nor
 * the console page when there is one.
 */
#ifndef HVK_VMM_PVH_H
#define HVK_VMM_PVH_H

#include <stdbool.h>
#include <stdint.h>

#include <abi/xen/hvm_start_info.h>
#include <abi/xen/vcpu.h>

#include "elf.h"

#define PVH_RAM_MIN             0x200000u   /* 2 MiB */
#define PVH_PAGE_SIZE           0x1000u
#define PVH_BOOT_AREA_START     XEN_HVM_START_INFO_PADDR   /* 0x6000 */
#define PVH_BOOT_AREA_LIMIT     0x9f000u    /* boot strings end below */
#define PVH_LOW_RAM_END         0xa0000u
#define PVH_CONSOLE_PAGE        0x9f000u    /* = PVH_BOOT_AREA_LIMIT */
#define PVH_ACPI_START          0xe0000u
#define PVH_HIGH_RAM_START      0x100000u
#define PVH_MEMMAP_MAX_ENTRIES  4u          /* 3 without ACPI tables */
#define PVH_MAX_MODULES         16u

/* A boot module (Linux: module 0 is the initrd). */
struct pvh_module {
	const char *path;      /* read from this file if data is NULL; in messages */
	const void *data;      /* or these bytes (path may then be NULL) */
	uint64_t size;         /* of data; ignored when reading path */
	const char *cmdline;   /* NULL: cmdline_paddr 0 */
};

struct pvh_config {
	const char *cmdline;   /* kernel command line; NULL: cmdline_paddr 0 */
	const struct pvh_module *modules;
	unsigned int nr_modules;
	bool acpi;             /* write ACPI tables (rsdp_paddr, memmap type 3) */
	unsigned int nr_vcpus; /* processors in the MADT; with acpi only */
	bool console_page;     /* reserve and zero the PV console's ring page */
};

struct pvh_module_placement {
	uint64_t paddr;        /* page-aligned */
	uint64_t size;
	uint64_t cmdline_paddr;
};

/* Where everything went: filled by pvh_boot_load(). */
struct pvh_layout {
	uint32_t entry;              /* the kernel's PHYS32_ENTRY */
	uint32_t start_info_paddr;   /* EBX at entry */
	uint64_t memmap_paddr;
	uint32_t memmap_entries;
	uint64_t modlist_paddr;      /* 0 without modules */
	uint64_t cmdline_paddr;      /* 0 without a command line */
	uint64_t rsdp_paddr;         /* 0 without ACPI tables */
	uint64_t console_paddr;      /* PVH_CONSOLE_PAGE, or 0 without a console */
	struct gpa_range boot_area;  /* [0x6000, end of strings) */
	unsigned int nr_modules;
	struct pvh_module_placement modules[PVH_MAX_MODULES];
};

/*
 * Loads the kernel (elf_image_load()), the modules and the boot structures
 * into ram[0, ram_size), the ACPI tables with cfg->acpi, and zeroes the
 * console page with cfg->console_page.  ram_size must
 * be at least PVH_RAM_MIN and a multiple of PVH_PAGE_SIZE; ram should be
 * zeroed (only what is written here is set).  Returns 0 or -errno with
 * err->msg naming the kernel or module file that does not fit; on error,
 * ram contents are unspecified.
 */
int pvh_boot_load(struct pvh_layout *layout, void *ram, uint64_t ram_size,
		  const struct elf_image *kernel, const struct pvh_config *cfg,
		  struct hvk_err *err);

/*
 * The PVH entry state for the boot vCPU: 32-bit protected mode, paging off,
 * EIP = entry, EBX = start_info_paddr, flat segments.  Everything the
 * protocol leaves unspecified is zero.
 */
void pvh_vcpu_context_init(struct xen_vcpu_hvm_context *ctx, uint32_t entry,
			   uint32_t start_info_paddr);

#endif /* HVK_VMM_PVH_H */
