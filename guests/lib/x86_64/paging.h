/* SPDX-License-Identifier: MIT */
/*
 * The 64-bit runtime's page tables (x86_64/longmode.S): the first 4 GiB
 * identity-mapped with 2 MiB pages, supervisor-only, so guests can touch
 * any guest-physical address below 4 GiB (RAM, or MMIO to provoke an exit).
 * The U/S bit is set in the PML4E and PDPTEs, so a leaf PDE alone decides
 * user access (SDM Vol. 3 §4.6.1).  Included from C and assembly.
 */
#ifndef GUEST_X86_64_PAGING_H
#define GUEST_X86_64_PAGING_H

#define PAGE_SIZE               0x1000
#define LARGE_PAGE_SIZE         0x200000
#define IDENTITY_MAP_SIZE       0x100000000
#define IDENTITY_PDS            4               /* one PD maps 1 GiB */
#define IDENTITY_PDES           (IDENTITY_PDS * 512)

#define PTE_PRESENT             (1 << 0)
#define PTE_WRITABLE            (1 << 1)
#define PTE_USER                (1 << 2)
#define PTE_LARGE               (1 << 7)        /* PS: 2 MiB page in a PDE */

#define CR0_PE                  (1 << 0)
#define CR0_PG                  0x80000000
#define CR4_PAE                 (1 << 5)
#define MSR_EFER                0xc0000080
#define EFER_LME                (1 << 8)

#ifndef __ASSEMBLER__
#include <stdint.h>

/*
 * Point the 2 MiB page at `va` (below 4 GiB, 2 MiB aligned) to `pa` with
 * `flags` (PTE_WRITABLE, PTE_USER), or make it not present.
 */
void paging_map_large(uint64_t va, uint64_t pa, uint64_t flags);
void paging_unmap_large(uint64_t va);
/* The page-directory entry mapping `va` (identity-mapped: its own gpa). */
uint64_t *paging_large_pde(uint64_t va);
#endif

#endif /* GUEST_X86_64_PAGING_H */
