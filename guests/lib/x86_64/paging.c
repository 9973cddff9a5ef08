/* SPDX-License-Identifier: MIT */
#include "../shutdown.h"
#include "paging.h"

extern uint64_t identity_pd[IDENTITY_PDES];     /* longmode.S */

uint64_t *paging_large_pde(uint64_t va)
{
	if (va >= IDENTITY_MAP_SIZE || va % LARGE_PAGE_SIZE)
		guest_fail("paging: 0x%llx is not a 2 MiB page below 4 GiB",
			   (unsigned long long)va);
	return &identity_pd[va / LARGE_PAGE_SIZE];
}

static void invlpg(uint64_t va)
{
	__asm__ volatile("invlpg (%0)" : : "r"(va) : "memory");
}

void paging_map_large(uint64_t va, uint64_t pa, uint64_t flags)
{
	*paging_large_pde(va) = pa | flags | PTE_PRESENT | PTE_LARGE;
	invlpg(va);
}

void paging_unmap_large(uint64_t va)
{
	*paging_large_pde(va) = 0;
	invlpg(va);
}
