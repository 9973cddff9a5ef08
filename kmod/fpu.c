// SPDX-License-Identifier: GPL-2.0
/* Guest FPU/SIMD state (see fpu.h). */
#include <linux/mm.h>
#include <asm/cpufeature.h>
#include <asm/fpu/api.h>
#include <asm/pkru.h>
#include <asm/processor.h>

#include "fpu.h"
#include "pages.h"

/* FXSAVE legacy-area offsets (SDM Vol. 1, 10.5.1). */
#define FXSAVE_FCW        0
#define FXSAVE_MXCSR     24
#define FCW_INIT      0x037f
#define MXCSR_INIT    0x1f80
#define FXSAVE_SIZE     512

static inline u64 fpu_host_xcr0(void)
{
	u32 lo, hi;

	asm volatile("xgetbv" : "=a"(lo), "=d"(hi) : "c"(0));
	return ((u64)hi << 32) | lo;
}

int hvk_fpu_init(struct hvk_fpu *fpu)
{
	unsigned int size = FXSAVE_SIZE;
	u8 *area;

	fpu->xfeatures = 0;
	if (boot_cpu_has(X86_FEATURE_XSAVE)) {
		u32 eax, ebx, ecx, edx;

		fpu->xfeatures = fpu_host_xcr0();
		/* CPUID.(0xd,0).EBX: XSAVE area size for the enabled XCR0. */
		cpuid_count(0xd, 0, &eax, &ebx, &ecx, &edx);
		size = ebx;
	}
	fpu->order = get_order(size);
	fpu->pages = hvk_pages_alloc(fpu->order);   /* page aligned, zeroed */
	if (!fpu->pages)
		return -ENOMEM;
	/*
	 * A zeroed XSAVE header (XSTATE_BV = 0) restores every component to
	 * its init state, but MXCSR is read from the legacy area regardless.
	 */
	area = page_address(fpu->pages);
	*(u16 *)(area + FXSAVE_FCW) = FCW_INIT;
	*(u32 *)(area + FXSAVE_MXCSR) = MXCSR_INIT;
	return 0;
}

void hvk_fpu_destroy(struct hvk_fpu *fpu)
{
	hvk_pages_free(fpu->pages, fpu->order);
	fpu->pages = NULL;
}

void hvk_fpu_load_guest(struct hvk_fpu *fpu)
{
	void *area = page_address(fpu->pages);
	u32 lo = fpu->xfeatures, hi = fpu->xfeatures >> 32;

	kernel_fpu_begin();
	if (cpu_feature_enabled(X86_FEATURE_OSPKE))
		fpu->host_pkru = read_pkru();
	if (fpu->xfeatures)
		asm volatile("xrstor64 %0" : : "m"(*(u8 *)area), "a"(lo), "d"(hi)
			     : "memory");
	else
		asm volatile("fxrstor64 %0" : : "m"(*(u8 *)area) : "memory");
}

void hvk_fpu_put_guest(struct hvk_fpu *fpu)
{
	void *area = page_address(fpu->pages);
	u32 lo = fpu->xfeatures, hi = fpu->xfeatures >> 32;

	if (fpu->xfeatures)
		asm volatile("xsave64 %0" : "+m"(*(u8 *)area) : "a"(lo), "d"(hi)
			     : "memory");
	else
		asm volatile("fxsave64 %0" : "+m"(*(u8 *)area) : : "memory");
	/*
	 * PKRU is the guest's now (XRSTOR of its area, or its WRPKRU), and
	 * kernel_fpu_end() leaves it to the return to user mode: until then
	 * every kernel access to the VMM's memory would be checked against
	 * the guest's keys.  The VMM's, right after the exit (as KVM).
	 */
	if (cpu_feature_enabled(X86_FEATURE_OSPKE) && read_pkru() != fpu->host_pkru)
		write_pkru(fpu->host_pkru);
	kernel_fpu_end();
}
