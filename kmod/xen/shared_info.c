// SPDX-License-Identifier: GPL-2.0
/* The shared_info page and pvclocks (see shared_info.h). */
#include <linux/io.h>
#include <linux/math64.h>
#include <linux/mm.h>
#include <linux/timekeeping.h>
#include <asm/cpufeature.h>
#include <asm/msr-index.h>
#include <asm/tsc.h>
#include <abi/xen/errno.h>
#include <abi/xen/shared_info.h>

#include "gpt.h"
#include "memslot.h"
#include "pages.h"
#include "shared_info.h"
#include "smp.h"
#include "vcpu.h"
#include "vendor.h"
#include "vm.h"

#define GFN_MAX  ((1ULL << 40) - 1)     /* 52-bit guest-physical space */

/*
 * ns = ((tsc_delta << shift) * mul) >> 32, with mul < 2^32: normalise the
 * TSC rate into (1e9, 2e9] by shifting, then mul = 1e9 * 2^32 / rate.
 */
static void pvclock_scale(u64 tsc_hz, s8 *shift, u32 *mul)
{
	s8 s = 0;

	while (tsc_hz > 2 * NSEC_PER_SEC) {
		tsc_hz >>= 1;
		s--;
	}
	while (tsc_hz <= NSEC_PER_SEC) {
		tsc_hz <<= 1;
		s++;
	}
	*shift = s;
	*mul = div64_u64((u64)NSEC_PER_SEC << 32, tsc_hz);
}

static u64 pvclock_scale_delta(u64 delta, s8 shift, u32 mul)
{
	delta = shift >= 0 ? delta << shift : delta >> -shift;
	return mul_u64_u32_shr(delta, mul, 32);
}

void hvk_shared_info_init(struct hvk_vm *vm)
{
	struct hvk_shared_info *si = &vm->shared_info;

	pvclock_scale((u64)tsc_khz * 1000, &si->tsc_shift, &si->tsc_to_system_mul);
	si->flags = (boot_cpu_has(X86_FEATURE_CONSTANT_TSC) &&
		     boot_cpu_has(X86_FEATURE_NONSTOP_TSC) && !check_tsc_unstable()) ?
		    XEN_PVCLOCK_TSC_STABLE : 0;
	si->created_ns = ktime_get_ns();
}

void hvk_shared_info_destroy(struct hvk_vm *vm)
{
	hvk_pages_free(vm->shared_info.page, 0);
	vm->shared_info.page = NULL;
}

struct page *hvk_shared_info_page_at(struct hvk_vm *vm, u64 gfn)
{
	struct hvk_shared_info *si = &vm->shared_info;
	struct page *page = READ_ONCE(si->page);

	return page && READ_ONCE(si->gfn) == gfn ? page : NULL;
}

static struct xen_vcpu_time_info *pvclock_of(struct hvk_vcpu *vcpu)
{
	struct page *page = READ_ONCE(vcpu->vm->shared_info.page);
	u8 *base;

	if (!page || vcpu->id >= XEN_LEGACY_MAX_VCPUS)
		return NULL;
	base = page_address(page) + vcpu->id * XEN_VCPU_INFO_SIZE;
	/* `time` sits at offset 32 of a vcpu_info for 32- and 64-bit guests. */
	return (struct xen_vcpu_time_info *)(base + offsetof(struct xen_vcpu_info64, time));
}

void hvk_pvclock_update(struct hvk_vcpu *vcpu)
{
	struct hvk_shared_info *si = &vcpu->vm->shared_info;
	struct xen_vcpu_time_info *t = pvclock_of(vcpu);
	u64 guest_tsc, now;

	if (!t || hvk_ops->get_msr(vcpu, MSR_IA32_TSC, &guest_tsc))
		return;
	if (t->tsc_timestamp)           /* continue the clock the guest sees */
		now = t->system_time + pvclock_scale_delta(guest_tsc - t->tsc_timestamp,
							   t->tsc_shift, t->tsc_to_system_mul);
	else
		now = ktime_get_ns() - si->created_ns;
	/* Odd version while updating; readers retry (xen.h protocol). */
	WRITE_ONCE(t->version, t->version + 1);
	smp_wmb();
	t->tsc_timestamp = guest_tsc;
	t->system_time = now;
	t->tsc_to_system_mul = si->tsc_to_system_mul;
	t->tsc_shift = si->tsc_shift;
	t->flags = si->flags;
	smp_wmb();
	WRITE_ONCE(t->version, t->version + 1);
}

/* Points @gfn's leaf at the RAM behind it again, or at nothing. */
static int shared_info_unmap(struct hvk_vm *vm, u64 gfn)
{
	struct hvk_memslot *slot = hvk_vm_find_slot(vm, gfn << PAGE_SHIFT);

	if (!slot)
		return hvk_gpt_unmap(&vm->gpt, gfn << PAGE_SHIFT);
	return hvk_gpt_map(&vm->gpt, gfn << PAGE_SHIFT,
			   page_to_phys(hvk_memslot_page(slot, gfn << PAGE_SHIFT)),
			   !(slot->flags & HVK_MEM_READONLY));
}

static void shared_info_flush_all(struct hvk_vm *vm)
{
	unsigned int i;

	spin_lock(&vm->power_lock);
	for (i = 0; i < HVK_MAX_VCPUS; i++)
		if (vm->vcpus[i]) {
			hvk_ops->flush_gpt(vm->vcpus[i]);
			WRITE_ONCE(vm->vcpus[i]->pvclock_dirty, true);
			hvk_vcpu_kick(vm->vcpus[i]);
		}
	spin_unlock(&vm->power_lock);
}

int hvk_shared_info_map(struct hvk_vcpu *vcpu, u64 gfn)
{
	struct hvk_vm *vm = vcpu->vm;
	struct hvk_shared_info *si = &vm->shared_info;
	int err = 0;

	if (gfn > GFN_MAX)
		return -XEN_EINVAL;
	mutex_lock(&vm->vcpus_lock);
	if (!si->page) {
		si->page = hvk_pages_alloc(0);
		if (!si->page) {
			err = -XEN_ENOMEM;
			goto out;
		}
	} else if (si->gfn != gfn && shared_info_unmap(vm, si->gfn)) {
		err = -XEN_ENOMEM;
		goto out;
	}
	WRITE_ONCE(si->gfn, gfn);
	/* Map now: the frame may already hold a lazily mapped RAM page. */
	if (hvk_gpt_map(&vm->gpt, gfn << PAGE_SHIFT, page_to_phys(si->page), true))
		err = -XEN_ENOMEM;
	shared_info_flush_all(vm);
out:
	mutex_unlock(&vm->vcpus_lock);
	return err;
}
