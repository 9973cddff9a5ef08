// SPDX-License-Identifier: GPL-2.0
/* Guest-physical and guest-virtual memory access (see guest_mem.h). */
#include <linux/highmem.h>
#include <linux/minmax.h>
#include <asm/processor-flags.h>
#include <asm/msr-index.h>

#include "guest_mem.h"
#include "x86.h"
#include "memslot.h"
#include "pages.h"
#include "ram.h"
#include "xen/physmap.h"
#include "vcpu.h"
#include "vendor.h"
#include "vm.h"

#define PTE_P        (1ULL << 0)
#define PTE_RW       (1ULL << 1)
#define PTE_PS       (1ULL << 7)
#define PTE_ADDR     0x000ffffffffff000ULL

/*
 * Copy within one guest page; @write picks the direction.  @nofault: the
 * caller cannot sleep (ram.h).
 */
static int gpa_access_page(struct hvk_vm *vm, u64 gpa, void *buf, size_t len,
			   bool write, bool nofault)
{
	struct hvk_memslot *slot;
	struct page *page = hvk_physmap_page(vm, gpa >> PAGE_SHIFT, &slot);

	if (slot)
		return write && (slot->flags & HVK_MEM_READONLY) ? -EFAULT :
		       hvk_ram_access(vm, slot, gpa, buf, len, write, nofault);
	/* RAM the guest gave back, or a hole, is no memory (xen/physmap.h). */
	if (!page)
		return -EFAULT;
	hvk_page_copy(page, offset_in_page(gpa), buf, len, write);     /* placed by the guest */
	return 0;
}

static int gpa_access(struct hvk_vm *vm, u64 gpa, void *buf, size_t len,
		      bool write, bool nofault)
{
	while (len) {
		size_t chunk = min_t(size_t, len, PAGE_SIZE - offset_in_page(gpa));

		if (gpa_access_page(vm, gpa, buf, chunk, write, nofault))
			return -EFAULT;
		gpa += chunk;
		buf += chunk;
		len -= chunk;
	}
	return 0;
}

int hvk_gpa_read(struct hvk_vm *vm, u64 gpa, void *dst, size_t len)
{
	return gpa_access(vm, gpa, dst, len, false, false);
}

int hvk_gpa_write(struct hvk_vm *vm, u64 gpa, const void *src, size_t len)
{
	return gpa_access(vm, gpa, (void *)src, len, true, false);
}

/* An entry of @size bytes (4 or 8) from the VMM's mapping of a table. */
static __always_inline int walk_read_user(const void __user *u, unsigned int size, u64 *entry)
{
	if (!user_access_begin(u, size))
		return -EFAULT;
	if (size == sizeof(u64)) {
		unsafe_get_user(*entry, (const u64 __user *)u, efault);
	} else {
		u32 v;

		unsafe_get_user(v, (const u32 __user *)u, efault);
		*entry = v;
	}
	user_access_end();
	return 0;
efault:
	user_access_end();
	return -EFAULT;
}

/* An entry read the long way, returned in registers: no address escapes the walk. */
struct walk_read_result {
	u64 entry;
	int err;
};

/*
 * walk_read()'s long way, out of line so that the hit path needs no stack
 * frame: without @pc (another thread, or _nofault) a plain read; else a
 * read that remembers the frame if it is plain RAM the VMM maps.  The
 * generation is read before the look-up: a change after it makes the
 * entry stale, never a stale entry current.
 */
static noinline struct walk_read_result walk_read_slow(struct hvk_vm *vm,
						       struct hvk_pt_cache *pc, int level,
						       u64 entry_gpa, unsigned int size,
						       bool nofault)
{
	struct walk_read_result r = { .entry = 0 };
	u64 gfn = entry_gpa >> PAGE_SHIFT;
	struct hvk_memslot *slot;
	unsigned long gen;

	if (!pc) {
		r.err = gpa_access(vm, entry_gpa, &r.entry, size, false, nofault);
		return r;
	}
	gen = hvk_physmap_gen(&vm->physmap);
	pc->level[level].hva = 0;
	smp_rmb();              /* the generation before the frame's look-up */
	r.err = gpa_access(vm, entry_gpa, &r.entry, size, false, false);
	if (r.err)
		return r;
	hvk_physmap_page(vm, gfn, &slot);
	if (slot && !slot->pages && current->mm == vm->mm) {
		pc->level[level].gfn = gfn;
		pc->level[level].physmap_gen = gen;
		pc->level[level].hva = hvk_memslot_hva(slot, gfn << PAGE_SHIFT);
	}
	return r;
}

/*
 * Read a page-table entry through @pc's frame for @level when it is still
 * good: inline, as every hypercall with a pointer walks.
 */
static __always_inline int walk_read(struct hvk_vm *vm, struct hvk_pt_cache *pc, int level,
				     u64 entry_gpa, unsigned int size, bool nofault, u64 *entry)
{
	struct walk_read_result r;

	if (pc && pc->level[level].hva && pc->level[level].gfn == entry_gpa >> PAGE_SHIFT &&
	    pc->level[level].physmap_gen == hvk_physmap_gen(&vm->physmap) &&
	    !walk_read_user((const void __user *)(pc->level[level].hva +
						  offset_in_page(entry_gpa)), size, entry))
		return 0;
	r = walk_read_slow(vm, pc, level, entry_gpa, size, nofault);
	*entry = r.entry;
	return r.err;
}

/* One level of a walk: read the entry, check presence and writability. */
static __always_inline int walk_entry(struct hvk_vm *vm, struct hvk_pt_cache *pc, int level,
				      bool nofault, u64 entry_gpa, unsigned int size,
				      bool check_write, u64 *entry)
{
	if (walk_read(vm, pc, level, entry_gpa, size, nofault, entry))
		return -EFAULT;
	if (!(*entry & PTE_P) || (check_write && !(*entry & PTE_RW)))
		return -EFAULT;
	return 0;
}

/* 32-bit paging: 2 levels of 4-byte entries, 4 MiB pages with CR4.PSE. */
static int walk_32bit(struct hvk_vm *vm, struct hvk_pt_cache *pc, bool nofault,
		      const struct hvk_paging_state *ps, u32 va, bool wp, u64 *gpa)
{
	u64 pde, pte;

	if (walk_entry(vm, pc, 1, nofault, (ps->cr3 & 0xfffff000) + ((va >> 22) << 2), 4, wp,
		       &pde))
		return -EFAULT;
	if ((pde & PTE_PS) && (ps->cr4 & X86_CR4_PSE)) {
		/* PSE-36: PDE bits 20:13 are physical-address bits 39:32. */
		*gpa = (pde & 0xffc00000) | ((pde & 0x1fe000) << 19) | (va & 0x3fffff);
		return 0;
	}
	if (walk_entry(vm, pc, 0, nofault, (pde & 0xfffff000) + (((va >> 12) & 0x3ff) << 2), 4,
		       wp, &pte))
		return -EFAULT;
	*gpa = (pte & 0xfffff000) | (va & 0xfff);
	return 0;
}

/*
 * PAE and 4-level paging share 8-byte entries and 9-bit indices; PAE
 * (@pae_only) starts at the 4-entry PDPT whose entries have no RW bit (SDM
 * 4.4.1).
 */
static __always_inline int walk_long(struct hvk_vm *vm, struct hvk_pt_cache *pc, bool nofault,
				     const struct hvk_paging_state *ps, u64 va, bool wp,
				     bool pae_only, u64 *gpa)
{
	int level = pae_only ? 2 : 3;
	u64 table = pae_only ? (ps->cr3 & 0xffffffe0) : (ps->cr3 & PTE_ADDR);
	u64 entry;

	for (; level >= 0; level--) {
		unsigned int shift = 12 + 9 * level;
		u64 index = (va >> shift) & (pae_only && level == 2 ? 3 : 511);
		bool rw_check = wp && !(pae_only && level == 2);

		if (walk_entry(vm, pc, level, nofault, table + index * 8, 8, rw_check, &entry))
			return -EFAULT;
		if (level > 0 && level < 3 && (entry & PTE_PS) &&
		    !(pae_only && level == 2)) {
			u64 page_mask = (1ULL << shift) - 1;

			*gpa = (entry & PTE_ADDR & ~page_mask) | (va & page_mask);
			return 0;
		}
		table = entry & PTE_ADDR;
	}
	*gpa = table | (va & 0xfff);
	return 0;
}

/* The walk itself, through the paging registers @ps. */
static int gva_walk(struct hvk_vm *vm, struct hvk_pt_cache *pc,
		    const struct hvk_paging_state *ps, u64 gva, bool write, bool nofault, u64 *gpa)
{
	/* Supervisor writes honour read-only pages only with CR0.WP. */
	bool wp = write && (ps->cr0 & X86_CR0_WP);

	/* Each mode a walk of its own: 4-level, the common case, straight-line. */
	if ((ps->cr4 & X86_CR4_PAE) && (ps->efer & EFER_LMA))
		return walk_long(vm, pc, nofault, ps, gva, wp, false, gpa);
	if (ps->cr4 & X86_CR4_PAE)
		return walk_long(vm, pc, nofault, ps, gva, wp, true, gpa);
	return walk_32bit(vm, pc, nofault, ps, (u32)gva, wp, gpa);
}

/* Checks that need no walk; 1: @gpa is the answer (paging off). */
static int gva_direct(const struct hvk_paging_state *ps, u64 gva, u64 *gpa)
{
	/* A non-canonical address would #GP in the guest: refuse it too. */
	if ((ps->efer & EFER_LMA) && !hvk_is_canonical(gva))
		return -EFAULT;
	if (ps->cr0 & X86_CR0_PG)
		return 0;
	*gpa = (ps->efer & EFER_LMA) ? gva : (u32)gva;
	return 1;
}

void hvk_gva_cache_flush(struct hvk_vcpu *vcpu)
{
	vcpu->gva_cache.used = 0;
	vcpu->gva_cache.epoch++;
}

/* The page-table cache, if this thread is the vCPU's own and may sleep. */
static struct hvk_pt_cache *pt_cache_usable(struct hvk_vcpu *vcpu, bool nofault)
{
	return !nofault && READ_ONCE(vcpu->task) == current && in_task() ? &vcpu->pt_cache : NULL;
}

/* The cache, if this thread is the vCPU's own inside a hypercall. */
static struct hvk_gva_cache *gva_cache_usable(struct hvk_vcpu *vcpu, bool nofault)
{
	struct hvk_gva_cache *c = &vcpu->gva_cache;

	/* in_task(): an interrupt handler on this thread would pass the rest. */
	return !nofault && READ_ONCE(c->active) && READ_ONCE(vcpu->task) == current &&
	       in_task() ? c : NULL;
}

/* The entry translating @gva (walked and filled now if need be), or < 0. */
static int gva_cache_entry(struct hvk_vcpu *vcpu, struct hvk_gva_cache *c, u64 gva,
			   bool write)
{
	u64 vfn = gva >> PAGE_SHIFT, frame;
	unsigned int i;
	bool writable;

	for (i = 0; i < c->used; i++)
		if (c->e[i].vfn == vfn)
			return write && !c->e[i].writable ? -EFAULT : i;
	/*
	 * Walked for writing when the access is a read too (a multicall reads
	 * an entry, then writes its result): a page that refuses writes is
	 * walked again for a read, and only the read is allowed.
	 */
	writable = !gva_walk(vcpu->vm, &vcpu->pt_cache, &c->paging, gva, true, false, &frame);
	if (!writable &&
	    (write || gva_walk(vcpu->vm, &vcpu->pt_cache, &c->paging, gva, false, false, &frame)))
		return -EFAULT;
	i = c->used < HVK_GVA_CACHE_ENTRIES ? c->used++ : c->next++ % HVK_GVA_CACHE_ENTRIES;
	c->e[i].vfn = vfn;
	c->e[i].gfn = frame >> PAGE_SHIFT;
	c->e[i].writable = writable;
	/* Not a generation the physmap has had yet: looked up on first use. */
	c->e[i].physmap_gen = hvk_physmap_gen(&vcpu->vm->physmap) - 1;
	return i;
}

/* Paging off, or non-canonical: no entry.  1: @gpa is the answer. */
static int gva_cache_direct(struct hvk_vcpu *vcpu, struct hvk_gva_cache *c, u64 gva,
			    u64 *gpa)
{
	if (!c->have_paging) {
		hvk_vendor_call(get_paging)(vcpu, &c->paging);
		c->have_paging = true;
	}
	return gva_direct(&c->paging, gva, gpa);
}

static int gva_translate_cached(struct hvk_vcpu *vcpu, struct hvk_gva_cache *c, u64 gva,
				bool write, u64 *gpa)
{
	int i = gva_cache_direct(vcpu, c, gva, gpa);

	if (i)
		return i < 0 ? i : 0;
	i = gva_cache_entry(vcpu, c, gva, write);
	if (i < 0)
		return i;
	*gpa = (c->e[i].gfn << PAGE_SHIFT) | offset_in_page(gva);
	return 0;
}

/*
 * The RAM slot behind @gfn, or NULL (an overlay, a hole, released RAM),
 * through the vCPU's frame cache; @gen was read before (a change after it
 * makes the entry stale, never a stale entry current).
 */
static struct hvk_memslot *frame_ram_slot(struct hvk_vcpu *vcpu, u64 gfn, unsigned long gen)
{
	struct hvk_frame_cache *f = &vcpu->frame_cache;
	struct hvk_memslot *slot;

	if (f->slot && f->gfn == gfn && f->physmap_gen == gen)
		return f->slot;
	smp_rmb();              /* the generation before the look-up */
	hvk_physmap_page(vcpu->vm, gfn, &slot);
	if (slot) {
		f->gfn = gfn;
		f->physmap_gen = gen;
		f->slot = slot;
	}
	return slot;
}

/* Entry @i's RAM slot and the VMM's address of it, looked up again if a frame changed. */
static __always_inline void gva_cache_entry_slot(struct hvk_vcpu *vcpu,
						 struct hvk_gva_cache *c, unsigned int i)
{
	unsigned long gen = hvk_physmap_gen(&vcpu->vm->physmap);
	struct hvk_memslot *slot;

	if (c->e[i].physmap_gen == gen)
		return;
	slot = frame_ram_slot(vcpu, c->e[i].gfn, gen);
	c->e[i].slot = slot;
	c->e[i].hva = slot && !slot->pages ? hvk_memslot_hva(slot, c->e[i].gfn << PAGE_SHIFT) : 0;
	c->e[i].ram_writable = slot && !(slot->flags & HVK_MEM_READONLY);
	c->e[i].physmap_gen = gen;
}

/* Within one page, through the cache: the slot kept is used while valid. */
static int gva_access_cached(struct hvk_vcpu *vcpu, struct hvk_gva_cache *c, u64 gva,
			     void *buf, size_t len, bool write)
{
	struct hvk_vm *vm = vcpu->vm;
	u64 gpa;
	int i = gva_cache_direct(vcpu, c, gva, &gpa);

	if (i)
		return i < 0 ? i : gpa_access(vm, gpa, buf, len, write, false);
	i = gva_cache_entry(vcpu, c, gva, write);
	if (i < 0)
		return i;
	gpa = (c->e[i].gfn << PAGE_SHIFT) | offset_in_page(gva);
	gva_cache_entry_slot(vcpu, c, i);
	if (!c->e[i].slot)              /* an overlay, a hole, released RAM */
		return gpa_access_page(vm, gpa, buf, len, write, false);
	if (write && (c->e[i].slot->flags & HVK_MEM_READONLY))
		return -EFAULT;
	return hvk_ram_access(vm, c->e[i].slot, gpa, buf, len, write, false);
}

static int gva_to_gpa(struct hvk_vcpu *vcpu, u64 gva, bool write, bool nofault, u64 *gpa)
{
	struct hvk_gva_cache *c = gva_cache_usable(vcpu, nofault);
	struct hvk_paging_state ps;
	int ret;

	if (c)
		return gva_translate_cached(vcpu, c, gva, write, gpa);
	hvk_vendor_call(get_paging)(vcpu, &ps);
	ret = gva_direct(&ps, gva, gpa);
	if (ret)
		return ret < 0 ? ret : 0;
	return gva_walk(vcpu->vm, pt_cache_usable(vcpu, nofault), &ps, gva, write, nofault, gpa);
}

int hvk_gva_to_gpa(struct hvk_vcpu *vcpu, u64 gva, bool write, u64 *gpa)
{
	return gva_to_gpa(vcpu, gva, write, false, gpa);
}

/*
 * The common case, inline and with no call but the copy: @len bytes at
 * @gva within one page that this hypercall has reached before, RAM the
 * VMM maps.  NULL: take the long way.
 */
static __always_inline void __user *gva_cache_hit(struct hvk_vcpu *vcpu, u64 gva,
						   size_t len, bool write)
{
	struct hvk_gva_cache *c = &vcpu->gva_cache;
	u64 vfn = gva >> PAGE_SHIFT;
	unsigned int i;

	if (!READ_ONCE(c->active) || READ_ONCE(vcpu->task) != current || !in_task() ||
	    offset_in_page(gva) + len > PAGE_SIZE)
		return NULL;
	/* An entry exists only for an address the walk accepted. */
	for (i = 0; i < c->used; i++) {
		if (c->e[i].vfn != vfn)
			continue;
		if (!c->e[i].hva || c->e[i].physmap_gen != hvk_physmap_gen(&vcpu->vm->physmap) ||
		    (write && !(c->e[i].writable && c->e[i].ram_writable)))
			return NULL;
		return (void __user *)(c->e[i].hva + offset_in_page(gva));
	}
	return NULL;
}

static int gva_access(struct hvk_vcpu *vcpu, u64 gva, void *buf, size_t len,
		      bool write, bool nofault)
{
	struct hvk_gva_cache *c = gva_cache_usable(vcpu, nofault);

	while (len) {
		size_t chunk = min_t(size_t, len, PAGE_SIZE - offset_in_page(gva));
		u64 gpa;

		if (c) {
			if (gva_access_cached(vcpu, c, gva, buf, chunk, write))
				return -EFAULT;
		} else if (gva_to_gpa(vcpu, gva, write, nofault, &gpa) ||
			   gpa_access(vcpu->vm, gpa, buf, chunk, write, nofault)) {
			return -EFAULT;
		}
		gva += chunk;
		buf += chunk;
		len -= chunk;
	}
	return 0;
}

int hvk_copy_from_guest(struct hvk_vcpu *vcpu, void *dst, u64 gva, size_t len)
{
	void __user *uaddr = gva_cache_hit(vcpu, gva, len, false);

	if (uaddr)
		return hvk_ram_user_copy(uaddr, dst, len, false);
	return gva_access(vcpu, gva, dst, len, false, false);
}

int hvk_copy_to_guest(struct hvk_vcpu *vcpu, u64 gva, const void *src, size_t len)
{
	void __user *uaddr = gva_cache_hit(vcpu, gva, len, true);

	if (uaddr)
		return hvk_ram_user_copy(uaddr, (void *)src, len, true);
	return gva_access(vcpu, gva, (void *)src, len, true, false);
}

void hvk_gva_page_get(struct hvk_vcpu *vcpu, u64 gva, struct hvk_gva_page *p)
{
	struct hvk_gva_cache *c = gva_cache_usable(vcpu, false);
	u64 gpa;
	int i;

	p->uaddr = 0;
	/* Paging off, or a non-canonical address: no entry to hold. */
	if (!c || gva_cache_direct(vcpu, c, gva, &gpa))
		return;
	i = gva_cache_entry(vcpu, c, gva, false);
	if (i < 0)
		return;
	gva_cache_entry_slot(vcpu, c, i);
	if (!c->e[i].hva)
		return;
	p->vfn = gva >> PAGE_SHIFT;
	p->physmap_gen = c->e[i].physmap_gen;
	p->epoch = c->epoch;
	p->writable = c->e[i].writable && c->e[i].ram_writable;
	p->uaddr = c->e[i].hva;
}

int hvk_copy_to_guest_nofault(struct hvk_vcpu *vcpu, u64 gva, const void *src, size_t len)
{
	return gva_access(vcpu, gva, (void *)src, len, true, true);
}
