/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Access to guest memory from the kernel: guest-physical through the memory
 * slots, and guest-virtual (hypercall pointer arguments are linear addresses)
 * through the guest's own page tables in whatever mode it runs: paging off,
 * 32-bit (with PSE), PAE, or 4-level.  All return 0 or -EFAULT.  They may
 * sleep (guest RAM is faulted in from the VMM's memory, ram.h), except the
 * _nofault variant, which fails on a page that is not resident.
 *
 * Accessed/dirty bits in the guest's tables are not set by these walks.
 */
#ifndef HVK_KMOD_GUEST_MEM_H
#define HVK_KMOD_GUEST_MEM_H

#include <linux/compiler.h>
#include <linux/types.h>
#include <asm/page.h>

#include "vendor.h"

struct hvk_vcpu;
struct hvk_vm;

/*
 * Translations kept for the length of one hypercall, between
 * hvk_gva_cache_begin() and _end() on the vCPU's own thread: the paging
 * registers are read from the backend once and each guest-virtual page is
 * walked once, however many fields are copied (a multicall's entries
 * share a page or two).  A hypercall that rewrites the caller's own page
 * tables keeps using the old translation, as a CPU keeps its TLB entries
 * until the guest flushes (SDM 4.10.4.1): no guest can tell the
 * difference, and hvk's own page-table calls (set_pte, flush_tlb, invlpg)
 * flush it.  A page-table page given back to Xen by an earlier entry keeps
 * translating until then too, as it would in a CPU's TLB.  The RAM slot
 * behind each translation is kept only while
 * no frame of the VM changes (xen/physmap.h), so RAM given back or
 * remapped by an earlier entry of the same multicall is seen at once.
 * Outside that window, on other threads and in the _nofault variant
 * (preempt notifiers, which may run in the middle of a cached walk)
 * nothing is cached.
 */
#define HVK_GVA_CACHE_ENTRIES   4

struct hvk_gva_cache {
	bool active;                    /* inside a hypercall */
	bool have_paging;               /* paging holds this hypercall's */
	struct hvk_paging_state paging;
	unsigned int used;              /* valid entries */
	/* Moves with each flush (hvk_gva_page; a hypercall's own start needs not). */
	unsigned int epoch;
	unsigned int next;              /* the one to replace, round robin */
	struct {
		u64 vfn;                /* guest-virtual page */
		u64 gfn;                /* guest-physical frame it maps */
		bool writable;          /* by a supervisor write */
		/* RAM of this slot backs gfn while the physmap's gen is this. */
		struct hvk_memslot *slot;
		unsigned long physmap_gen;
		/* Then: the VMM's address of it (0: pinned, or not RAM). */
		unsigned long hva;
		bool ram_writable;      /* not a read-only slot */
	} e[HVK_GVA_CACHE_ENTRIES];
};

/*
 * Where the guest's page-table pages are, one per level of a walk: the
 * VMM's address of the frame last read at that level, kept across
 * hypercalls while no frame of the VM changes (xen/physmap.h), as
 * KVM's walker keeps its guest-physical cache.  Only guest-physical to
 * VMM-virtual: the entries themselves are read on every walk, so a guest
 * that rewrites its tables is seen at once.  The vCPU's own thread only,
 * never in the _nofault variant (a preempt notifier may run mid-walk).
 */
#define HVK_PT_CACHE_LEVELS     4

struct hvk_pt_cache {
	struct {
		u64 gfn;
		unsigned long hva;      /* 0: empty */
		unsigned long physmap_gen;
	} level[HVK_PT_CACHE_LEVELS];
};

/*
 * The RAM slot behind the data frame a translation looked up last, kept
 * across hypercalls while no frame of the VM changes (xen/physmap.h): a
 * guest's hypercall buffers mostly stay where they are, and the look-up
 * is an xarray under RCU and a slot search.  Plain RAM only; the vCPU's
 * own thread, inside a hypercall.  A slot goes only while no vCPU runs
 * (slots_lock), and that bumps the physmap's generation.
 */
struct hvk_frame_cache {
	u64 gfn;
	unsigned long physmap_gen;
	struct hvk_memslot *slot;       /* NULL: empty */
};

/* Inline: every hypercall pays for the pair. */
static inline void hvk_gva_cache_begin(struct hvk_gva_cache *c)
{
	c->have_paging = false;
	c->used = 0;
	/* Filled before it is used: a preempt notifier never looks. */
	barrier();
	WRITE_ONCE(c->active, true);
}

static inline void hvk_gva_cache_end(struct hvk_gva_cache *c)
{
	WRITE_ONCE(c->active, false);
}

/*
 * The guest's page tables changed under the caller's hypercall (hvk's own
 * set_pte, flush_tlb, invlpg in a multicall): forget every translation.
 */
void hvk_gva_cache_flush(struct hvk_vcpu *vcpu);

int hvk_gpa_read(struct hvk_vm *vm, u64 gpa, void *dst, size_t len);
int hvk_gpa_write(struct hvk_vm *vm, u64 gpa, const void *src, size_t len);
int hvk_gva_to_gpa(struct hvk_vcpu *vcpu, u64 gva, bool write, u64 *gpa);
int hvk_copy_from_guest(struct hvk_vcpu *vcpu, void *dst, u64 gva, size_t len);
int hvk_copy_to_guest(struct hvk_vcpu *vcpu, u64 gva, const void *src, size_t len);
int hvk_copy_to_guest_nofault(struct hvk_vcpu *vcpu, u64 gva, const void *src, size_t len);

/*
 * One guest-virtual page this hypercall translated to RAM the VMM maps,
 * held by a caller that touches it over and over (a multicall's batch):
 * hvk_gva_page_at() then costs two comparisons, not a cache look-up.  It
 * stays good while the cache is not flushed (the caller's own page-table
 * calls) and no frame of the VM changes.
 */
struct hvk_gva_page {
	u64 vfn;
	unsigned long uaddr;            /* the VMM's address of the page; 0: none */
	unsigned long physmap_gen;
	unsigned int epoch;
	bool writable;                  /* by a supervisor write, and RAM that is */
};

/*
 * Fills @p for @gva's page, translated through this hypercall's cache
 * (walked now if need be); clears it where there is nothing to hold:
 * paging off, no translation, no plain RAM the VMM maps.  The caller then
 * copies the long way, which reports the fault.
 */
void hvk_gva_page_get(struct hvk_vcpu *vcpu, u64 gva, struct hvk_gva_page *p);

/* @len bytes at @gva in @p's page, given the physmap's generation now; or NULL. */
static inline void __user *hvk_gva_page_at(const struct hvk_gva_cache *c,
					   unsigned long physmap_gen,
					   const struct hvk_gva_page *p, u64 gva, size_t len,
					   bool write)
{
	if (!p->uaddr || (gva >> PAGE_SHIFT) != p->vfn ||
	    (gva & ~PAGE_MASK) + len > PAGE_SIZE || p->physmap_gen != physmap_gen ||
	    p->epoch != c->epoch || (write && !p->writable))
		return NULL;
	return (void __user *)(p->uaddr + (gva & ~PAGE_MASK));
}

#endif /* HVK_KMOD_GUEST_MEM_H */
