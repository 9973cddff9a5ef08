/* SPDX-License-Identifier: MIT */
/*
 * PVH boot: the structure EBX points to at the PHYS32_ENTRY entry point
 * (xen/include/public/arch-x86/hvm/start_info.h, version 1 as shipped; the
 * 2015 draft's 32-bit address fields were never shipped).
 *
 * Entry state: 32-bit protected mode, paging off, CR0.PE only, CR4 = 0,
 * flat 4 GiB CS (execute/read) and DS/ES/SS (read/write), TR a 32-bit busy
 * TSS (base 0, limit 0x67), EFLAGS = 0x2, EBX = &hvm_start_info.
 *
 *  off size field
 *    0    4 magic            XEN_HVM_START_MAGIC
 *    4    4 version          1 (version 0 ends at offset 40)
 *    8    4 flags            XEN_SIF_*
 *   12    4 nr_modules
 *   16    8 modlist_paddr    -> xen_hvm_modlist_entry[nr_modules]; 0 = none
 *   24    8 cmdline_paddr    NUL-terminated; 0 = none
 *   32    8 rsdp_paddr       ACPI RSDP; 0 = none
 *   40    8 memmap_paddr     -> xen_hvm_memmap_entry[memmap_entries]
 *   48    4 memmap_entries   Linux refuses to boot without a memmap
 *   52    4 reserved         0
 */
#ifndef HVK_ABI_XEN_HVM_START_INFO_H
#define HVK_ABI_XEN_HVM_START_INFO_H

#include "../types.h"

#define XEN_HVM_START_MAGIC       0x336ec578u
#define XEN_HVM_START_VERSION     1u
#define XEN_HVM_START_V0_SIZE     40u

#define XEN_SIF_PRIVILEGED        (1u << 0)
#define XEN_SIF_INITDOMAIN        (1u << 1)

/* Where peers (Xen, QEMU) place them; hvk does the same. */
#define XEN_HVM_START_INFO_PADDR  0x6000u
#define XEN_HVM_MEMMAP_PADDR      0x7000u

struct xen_hvm_start_info {
	uint32_t magic;
	uint32_t version;
	uint32_t flags;
	uint32_t nr_modules;
	hvk_u64 modlist_paddr;
	hvk_u64 cmdline_paddr;
	hvk_u64 rsdp_paddr;
	hvk_u64 memmap_paddr;
	uint32_t memmap_entries;
	uint32_t reserved;
};

/* 32 bytes; Linux takes module 0 as its initrd. */
struct xen_hvm_modlist_entry {
	hvk_u64 paddr;
	hvk_u64 size;
	hvk_u64 cmdline_paddr;
	hvk_u64 reserved;
};

#define XEN_HVM_MEMMAP_TYPE_RAM       1
#define XEN_HVM_MEMMAP_TYPE_RESERVED  2
#define XEN_HVM_MEMMAP_TYPE_ACPI      3
#define XEN_HVM_MEMMAP_TYPE_NVS       4
#define XEN_HVM_MEMMAP_TYPE_UNUSABLE  5
#define XEN_HVM_MEMMAP_TYPE_DISABLED  6
#define XEN_HVM_MEMMAP_TYPE_PMEM      7

/* 24 bytes, E820-style. */
struct xen_hvm_memmap_entry {
	hvk_u64 addr;
	hvk_u64 size;
	uint32_t type;
	uint32_t reserved;
};

#endif /* HVK_ABI_XEN_HVM_START_INFO_H */
