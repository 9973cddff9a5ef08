/* SPDX-License-Identifier: MIT */
/*
 * xenmem64 / xenmem32: the guest's physmap and its grant table, as Xen
 * answers a PVH domU (REFERENCE-GUEST-SERVICES §9; kmod/xen/physmap.c,
 * hc_memory.c, grant_table.c, hc_grant_table.c), exact results from a
 * 64-bit and a 32-bit guest in their own layouts.  `hvk run --xen`:
 * frames with no RAM read as all ones there (the unclaimed-I/O policy).
 *
 *   reservation  decrease_reservation gives RAM frames back (they read as
 *                no memory; a hypercall pointer into one is -EFAULT),
 *                populate_physmap takes them again, zeroed; extents of
 *                order 0 and 1, partial extents, lists that stop early,
 *                the extent to start from in cmd, 600 extents (continued
 *                by the kernel, in a multicall too); every refusal answers
 *                the extent it started from (bad pointers, other domains,
 *                too many extents, order 10, 12 address bits, PoD);
 *                increase_reservation allocates nothing; (64-bit) a
 *                hypercall through a page table in a frame given back,
 *                and taken again, is -EFAULT
 *   others       memory_map -ENOSYS (the E820 is start_info's), no vNUMA,
 *                add_to_physmap's foreign, dev_mmio and continuation errors
 *   grant table  query_size, get/set_version (1; 2 -ENOSYS), setup_table
 *                in the caller's layout, frames mapped in a hole and over
 *                RAM (which is given back), moved, replaced, grown to 64,
 *                given back; map/copy and the rest -ENOSYS
 * Ends with "<name>: all checks passed (N)".
 */
#include <abi/xen/errno.h>
#include <abi/xen/grant_table.h>
#include <abi/xen/hypercall.h>
#include <abi/xen/memory.h>
#include <abi/xen/multicall.h>
#include <abi/xen/version.h>

#include "guest.h"
#ifdef __x86_64__
#include "x86_64/paging.h"
#endif

#ifdef __x86_64__
#define NAME "xenmem64"
typedef struct xen_memory_reservation64 reservation_t;
typedef struct xen_add_to_physmap64 physmap_t;
typedef struct xen_gnttab_setup_table64 setup_table_t;
typedef struct xen_memory_map64 memory_map_t;
typedef struct xen_multicall_entry64 mc_entry_t;
typedef uint64_t xen_pfn;
#else
#define NAME "xenmem32"
typedef struct xen_memory_reservation32 reservation_t;
typedef struct xen_add_to_physmap32 physmap_t;
typedef struct xen_gnttab_setup_table32 setup_table_t;
typedef struct xen_memory_map32 memory_map_t;
typedef struct xen_multicall_entry32 mc_entry_t;
typedef uint32_t xen_pfn;
#endif

#define PAGE                    4096ul
#define HOLE                    (0x80000000ul / PAGE)   /* no RAM, no device */
#define POOL_FRAMES             700u    /* free RAM at the top, given back and taken */
#define MANY                    600u    /* more than one batch of the kernel's */
#define FILL                    0xa5a5a5a5u
#define NO_RAM                  0xffffffffu             /* what a hole reads */
#define BEYOND_RAM              0xdead0000ul
#define GNTTAB_MAX              64u
#define SENTINEL                0x5a5a5a5au

static unsigned long pool;              /* first frame of the pool */
static xen_pfn list[MANY + 4];

/* ---- hypercalls ---- */

static unsigned long ptr(const volatile void *p)
{
	return (unsigned long)(uintptr_t)p;
}

static long memory_op(unsigned long cmd, const volatile void *arg)
{
	return hypercall2(XEN_HC_MEMORY_OP, cmd, ptr(arg));
}

static long grant_op(unsigned long cmd, const volatile void *uop, unsigned long count)
{
	return hypercall3(XEN_HC_GRANT_TABLE_OP, cmd, ptr(uop), count);
}

static long reservation(unsigned long cmd, const xen_pfn *extents, unsigned long nr,
			unsigned int order)
{
	reservation_t r = { .extent_start = ptr(extents), .nr_extents = nr,
			    .extent_order = order, .domid = XEN_DOMID_SELF };

	return memory_op(cmd, &r);
}

static long decrease(const xen_pfn *extents, unsigned long nr, unsigned int order)
{
	return reservation(XEN_XENMEM_DECREASE_RESERVATION, extents, nr, order);
}

static long populate(const xen_pfn *extents, unsigned long nr, unsigned int order)
{
	return reservation(XEN_XENMEM_POPULATE_PHYSMAP, extents, nr, order);
}

/* Frames @first.. @first + @nr - 1 in the extent list. */
static const xen_pfn *frames(unsigned long first, unsigned int nr)
{
	for (unsigned int i = 0; i < nr; i++)
		list[i] = first + i;
	return list;
}

static long add_to_physmap(uint16_t domid, uint32_t space, unsigned long idx, unsigned long gpfn)
{
	physmap_t x = { .domid = domid, .space = space, .idx = idx, .gpfn = gpfn };

	return memory_op(XEN_XENMEM_ADD_TO_PHYSMAP, &x);
}

static long map_grant_frame(unsigned long idx, unsigned long gfn)
{
	return add_to_physmap(XEN_DOMID_SELF, XEN_XENMAPSPACE_GRANT_TABLE, idx, gfn);
}

/* ---- memory, by instructions hvk can complete as MMIO too ---- */

static uint32_t peek(unsigned long gfn, unsigned int offset)
{
	uint32_t v;

	__asm__ volatile("mov (%1), %0" : "=r"(v) : "r"((uintptr_t)(gfn * PAGE + offset))
			 : "memory");
	return v;
}

static void poke(unsigned long gfn, unsigned int offset, uint32_t v)
{
	__asm__ volatile("mov %0, (%1)" : : "r"(v), "r"((uintptr_t)(gfn * PAGE + offset))
			 : "memory");
}

static void fill_frame(unsigned long gfn, uint32_t v)
{
	for (unsigned int off = 0; off < PAGE; off += 4)
		poke(gfn, off, v);
}

/* Four words of the frame, first to last, all @v. */
static void expect_frame(unsigned long gfn, uint32_t v, const char *what)
{
	static const unsigned int offsets[] = { 0, 4, 2048, PAGE - 4 };

	for (unsigned int i = 0; i < 4; i++)
		expect_eq(peek(gfn, offsets[i]), v, "%s: frame 0x%lx word at +%u", what, gfn,
			  offsets[i]);
}

/* A frame given back: it reads as no memory, and a write does not stick. */
static void expect_no_ram(unsigned long gfn, const char *what)
{
	expect_frame(gfn, NO_RAM, what);
	poke(gfn, 8, 0x12345678);
	expect_eq(peek(gfn, 8), NO_RAM, "%s: frame 0x%lx after a write", what, gfn);
}

/* ---- reservations ---- */

/* Every refusal of the request as a whole answers the extent it started from. */
static void check_reservation_refusals(void)
{
	reservation_t r;

	expect_eq(memory_op(XEN_XENMEM_DECREASE_RESERVATION, (void *)BEYOND_RAM), 0,
		  "decrease_reservation, unreadable argument");
	r = (reservation_t){ .extent_start = ptr(frames(pool, 4)), .nr_extents = 4, .domid = 2 };
	expect_eq(memory_op(XEN_XENMEM_DECREASE_RESERVATION, &r), 0, "decrease, domid 2");
	r.domid = 0;
	expect_eq(memory_op(XEN_XENMEM_DECREASE_RESERVATION, &r), 0, "decrease, domid 0");
	r = (reservation_t){ .extent_start = ptr(list), .nr_extents = 1ul << 26,
			     .domid = XEN_DOMID_SELF };
	expect_eq(memory_op(XEN_XENMEM_DECREASE_RESERVATION, &r), 0,
		  "decrease of 2^26 extents (no room to continue)");
	r = (reservation_t){ .extent_start = ptr(list), .nr_extents = 4, .domid = XEN_DOMID_SELF };
	expect_eq(memory_op(XEN_XENMEM_DECREASE_RESERVATION | 5 << XEN_MEMOP_EXTENT_SHIFT, &r), 5,
		  "decrease from extent 5 of 4");
	r.extent_order = 10;
	expect_eq(memory_op(XEN_XENMEM_DECREASE_RESERVATION, &r), 0, "decrease, order 10");
	expect_eq(memory_op(XEN_XENMEM_POPULATE_PHYSMAP, &r), 0, "populate, order 10");
	r.extent_order = 0;
	r.mem_flags = 12;
	expect_eq(memory_op(XEN_XENMEM_POPULATE_PHYSMAP, &r), 0, "populate below 4 KiB");
	r.mem_flags = XEN_XENMEMF_POPULATE_ON_DEMAND;
	expect_eq(memory_op(XEN_XENMEM_POPULATE_PHYSMAP, &r), 0, "populate on demand, on oneself");
	r.mem_flags = 0;
	expect_eq(memory_op(XEN_XENMEM_INCREASE_RESERVATION, &r), 0,
		  "increase_reservation (no memory beyond the VM's)");
	r.extent_start = BEYOND_RAM;
	expect_eq(memory_op(XEN_XENMEM_DECREASE_RESERVATION, &r), 0,
		  "decrease, unreadable extent list");
	for (unsigned int i = 0; i < 4; i++)
		expect_frame(pool + i, FILL, "after the refusals");
	printf(NAME ": reservations refused as Xen: the extent they started from\n");
}

static void check_decrease_populate(void)
{
	static const char msg[] = "x";

	expect_eq(decrease(frames(pool, 4), 4, 0), 4, "decrease_reservation of 4 frames");
	for (unsigned int i = 0; i < 4; i++)
		expect_no_ram(pool + i, "given back");
	expect_frame(pool + 4, FILL, "the next frame");
	expect_eq(hc_console_io(XEN_CONSOLEIO_WRITE, 1, (void *)(uintptr_t)(pool * PAGE)),
		  -XEN_EFAULT, "console_io from a frame given back");
	expect_eq(hc_console_io(XEN_CONSOLEIO_WRITE, 1, msg), 0, "console_io from RAM");
	expect_eq(decrease(frames(pool, 4), 4, 0), 0, "decrease of the same frames again");
	list[0] = pool + 4;
	list[1] = pool;
	expect_eq(decrease(list, 2, 0), 1, "decrease of a frame, then one given back already");
	expect_no_ram(pool + 4, "given back second");
	list[0] = HOLE;
	expect_eq(decrease(list, 1, 0), 0, "decrease of a frame with no RAM");
#ifdef __x86_64__
	list[0] = 1ul << 40;
	expect_eq(decrease(list, 1, 0), 0, "decrease beyond 52-bit addresses");
#endif

	expect_eq(populate(frames(pool, 5), 5, 0), 5, "populate_physmap of the 5 frames");
	for (unsigned int i = 0; i < 5; i++)
		expect_frame(pool + i, 0, "populated again: zeroed");
	expect_eq(populate(frames(pool, 1), 1, 0), 0, "populate of RAM that is there");
	list[0] = HOLE;
	expect_eq(populate(list, 1, 0), 0, "populate of a hole (no memory beyond the slots)");
	list[0] = (unsigned long)(boot_ram_end() / PAGE);
	expect_eq(populate(list, 1, 0), 0, "populate just beyond RAM");

	/* Order 1: two frames an extent; a partial extent is not counted. */
	fill_frame(pool + 8, FILL);
	list[0] = pool + 8;
	expect_eq(decrease(list, 1, 1), 1, "decrease, one extent of order 1");
	expect_no_ram(pool + 8, "order-1 extent, frame 0");
	expect_no_ram(pool + 9, "order-1 extent, frame 1");
	expect_eq(populate(list, 1, 1), 1, "populate, one extent of order 1");
	expect_frame(pool + 9, 0, "order-1 extent populated, frame 1");
	list[0] = pool + 11;
	expect_eq(decrease(list, 1, 0), 1, "decrease frame 11");
	list[0] = pool + 10;
	expect_eq(decrease(list, 1, 1), 0, "decrease an order-1 extent whose 2nd frame is gone");
	expect_no_ram(pool + 10, "the partial extent's first frame, given back anyway");
	expect_eq(populate(frames(pool + 10, 2), 2, 0), 2, "populate frames 10 and 11");

	/* The extent to start from, in cmd (how Xen continues itself). */
	for (unsigned int i = 0; i < 4; i++)
		fill_frame(pool + i, FILL);
	expect_eq(reservation(XEN_XENMEM_DECREASE_RESERVATION | 2 << XEN_MEMOP_EXTENT_SHIFT,
			      frames(pool, 4), 4, 0), 4, "decrease of 4 extents from extent 2");
	expect_frame(pool + 1, FILL, "extent 1, before the start");
	expect_no_ram(pool + 2, "extent 2");
	expect_eq(populate(frames(pool + 2, 2), 2, 0), 2, "populate extents 2 and 3");
	printf(NAME ": decrease_reservation gives frames back (no RAM, -EFAULT), "
	       "populate_physmap takes them zeroed; orders 0 and 1, partial extents, start in cmd\n");
}

/* More extents than a batch: the kernel continues the call itself, in a multicall too. */
static void check_many_extents(void)
{
	static volatile mc_entry_t mc[2];
	reservation_t r = { .extent_start = ptr(list), .nr_extents = MANY,
			    .domid = XEN_DOMID_SELF };

	frames(pool + 50, MANY);
	expect_eq(decrease(list, MANY, 0), MANY, "decrease of %u extents", MANY);
	expect_no_ram(pool + 50, "the first of many");
	expect_no_ram(pool + 50 + MANY - 1, "the last of many");
	expect_eq(populate(list, MANY, 0), MANY, "populate of %u extents", MANY);
	expect_frame(pool + 50 + MANY - 1, 0, "the last of many, populated");
	mc[0] = (mc_entry_t){ .op = XEN_HC_MEMORY_OP, .result = SENTINEL,
			      .args = { XEN_XENMEM_DECREASE_RESERVATION, ptr(&r) } };
	mc[1] = (mc_entry_t){ .op = XEN_HC_XEN_VERSION, .result = SENTINEL,
			      .args = { XEN_XENVER_PAGESIZE } };
	expect_eq(hypercall2(XEN_HC_MULTICALL, ptr(mc), 2), 0, "multicall of a long decrease");
	expect_eq(mc[0].result, MANY, "the multicall's decrease");
	expect_eq(mc[1].result, PAGE, "the entry after it");
	expect_no_ram(pool + 50 + MANY / 2, "given back by the multicall");
	expect_eq(populate(list, MANY, 0), MANY, "populate them back");
	printf(NAME ": %u extents in one call, and in a multicall entry: continued, each once\n",
	       MANY);
}

/*
 * Within one multicall, a frame one entry gives back is no memory to the
 * next, and RAM again once populated: hvk keeps each page's translation
 * for the length of a hypercall, and the RAM behind it only until the
 * physmap changes (kmod/guest_mem.c).  Entry 0 writes through a pointer
 * into the frame, 1 gives the frame back, 2 writes through the same
 * pointer, 3 populates the frame, 4 writes again.
 */
static void check_multicall_sees_release(void)
{
	static volatile mc_entry_t mc[5];
	static xen_pfn one[1];
	reservation_t r = { .extent_start = ptr(one), .nr_extents = 1,
			    .domid = XEN_DOMID_SELF };
	unsigned long f = pool + 20;
	uintptr_t out = f * PAGE + 64;
	static const long want[5] = { 0, 1, -XEN_EFAULT, 1, 0 };

	one[0] = f;
	fill_frame(f, FILL);
	for (unsigned int i = 0; i < 5; i += 2)
		mc[i] = (mc_entry_t){ .op = XEN_HC_XEN_VERSION, .result = SENTINEL,
				      .args = { XEN_XENVER_EXTRAVERSION, out } };
	mc[1] = (mc_entry_t){ .op = XEN_HC_MEMORY_OP, .result = SENTINEL,
			      .args = { XEN_XENMEM_DECREASE_RESERVATION, ptr(&r) } };
	mc[3] = (mc_entry_t){ .op = XEN_HC_MEMORY_OP, .result = SENTINEL,
			      .args = { XEN_XENMEM_POPULATE_PHYSMAP, ptr(&r) } };
	expect_eq(hypercall2(XEN_HC_MULTICALL, ptr(mc), 5), 0,
		  "multicall: write, give back, write, populate, write");
	for (unsigned int i = 0; i < 5; i++)
		expect_eq((long)mc[i].result, want[i], "that multicall's entry %u", i);
	expect_eq(peek(f, 0), 0, "the frame populated by the multicall: zeroed");
	expect_true(!memcmp((const void *)out, "-hvk", 5),
		    "the last entry's output is in the populated frame");
	printf(NAME ": a multicall's entries see the frames earlier entries gave back "
	       "and took again\n");
}

#ifdef __x86_64__
/*
 * A page table in a frame the guest gives back: a hypercall's walk
 * through it fails from then on, and after it is taken again (zeroed:
 * nothing present) too.  hvk keeps where the guest's page-table frames
 * are across hypercalls (guest_mem.h, hvk_pt_cache): this is what must
 * forget them.
 */
#define WALK_VA                 0xc0000000ul    /* beyond RAM: ours to map */

static void check_walk_sees_release(void)
{
	static xen_pfn one[1];
	unsigned long table = pool + 28, data = pool + 29;
	uint64_t *pt = (uint64_t *)(uintptr_t)(table * PAGE), saved = *paging_large_pde(WALK_VA);
	char *out = (char *)(uintptr_t)(data * PAGE);

	memset(pt, 0, PAGE);
	pt[0] = data * PAGE | PTE_PRESENT | PTE_WRITABLE;
	*paging_large_pde(WALK_VA) = table * PAGE | PTE_PRESENT | PTE_WRITABLE;
	__asm__ volatile("invlpg (%0)" : : "r"(WALK_VA) : "memory");
	expect_eq(hypercall2(XEN_HC_XEN_VERSION, XEN_XENVER_EXTRAVERSION, WALK_VA), 0,
		  "xen_version through a page table of ours");
	expect_true(!memcmp(out, "-hvk", 5), "its output in the frame that table maps");
	one[0] = table;
	expect_eq(decrease(one, 1, 0), 1, "decrease of that page table's frame");
	expect_eq(hypercall2(XEN_HC_XEN_VERSION, XEN_XENVER_EXTRAVERSION, WALK_VA), -XEN_EFAULT,
		  "xen_version through a page table given back");
	expect_eq(populate(one, 1, 0), 1, "populate of the page table's frame");
	expect_eq(hypercall2(XEN_HC_XEN_VERSION, XEN_XENVER_EXTRAVERSION, WALK_VA), -XEN_EFAULT,
		  "xen_version through that page table taken again (zeroed)");
	*paging_large_pde(WALK_VA) = saved;
	__asm__ volatile("invlpg (%0)" : : "r"(WALK_VA) : "memory");
	printf(NAME ": a hypercall's walk sees a page table given back and taken again\n");
}
#endif

static void check_other_memory_ops(void)
{
	memory_map_t map = { .nr_entries = 8 };
	struct xen_vnuma_topology_info topo = { .domid = XEN_DOMID_SELF };

	expect_eq(memory_op(XEN_XENMEM_MEMORY_MAP, &map), -XEN_ENOSYS,
		  "memory_map (none set: the E820 is start_info's)");
	expect_eq(map.nr_entries, 8, "memory_map left nr_entries");
	expect_eq(memory_op(XEN_XENMEM_MEMORY_MAP, (void *)BEYOND_RAM), -XEN_EFAULT,
		  "memory_map, bad pointer");
	expect_eq(memory_op(XEN_XENMEM_GET_VNUMAINFO, &topo), -XEN_EOPNOTSUPP, "get_vnumainfo");
	topo.pad = 1;
	expect_eq(memory_op(XEN_XENMEM_GET_VNUMAINFO, &topo), -XEN_EINVAL, "get_vnumainfo, pad");
	topo.pad = 0;
	topo.domid = 2;
	expect_eq(memory_op(XEN_XENMEM_GET_VNUMAINFO, &topo), -XEN_ESRCH, "get_vnumainfo, domid 2");
	topo.domid = XEN_DOMID_SELF;
	expect_eq(memory_op(XEN_XENMEM_GET_VNUMAINFO | 1 << XEN_MEMOP_EXTENT_SHIFT, &topo),
		  -XEN_EINVAL, "get_vnumainfo with a start extent");
	expect_eq(memory_op(XEN_XENMEM_GET_VNUMAINFO, (void *)BEYOND_RAM), -XEN_EFAULT,
		  "get_vnumainfo, bad pointer");
	expect_eq(add_to_physmap(XEN_DOMID_SELF, XEN_XENMAPSPACE_GMFN_FOREIGN, 0, HOLE),
		  -XEN_ENOSYS, "add_to_physmap(gmfn_foreign): add_to_physmap_batch only");
	expect_eq(add_to_physmap(XEN_DOMID_SELF, XEN_XENMAPSPACE_DEV_MMIO, 0, HOLE), -XEN_EACCES,
		  "add_to_physmap(dev_mmio): the hardware domain's");
	expect_eq(add_to_physmap(XEN_DOMID_SELF, XEN_XENMAPSPACE_GMFN, pool, HOLE), -XEN_EINVAL,
		  "add_to_physmap(gmfn): not offered");
	{
		physmap_t x = { .domid = XEN_DOMID_SELF, .space = XEN_XENMAPSPACE_GRANT_TABLE,
				.gpfn = HOLE };

		expect_eq(memory_op(XEN_XENMEM_ADD_TO_PHYSMAP | 0x10000ul << XEN_MEMOP_EXTENT_SHIFT,
				    &x), -XEN_EDOM, "add_to_physmap continued from 0x10000");
	}
	expect_eq(memory_op(99, 0), -XEN_ENOSYS, "memory_op(99)");
	printf(NAME ": memory_map -ENOSYS, no vNUMA, add_to_physmap's refusals\n");
}

/* ---- the grant table ---- */

static void check_grant_queries(void)
{
	struct xen_gnttab_query_size q = { .dom = XEN_DOMID_SELF };
	struct xen_gnttab_get_version gv = { .dom = XEN_DOMID_SELF, .version = SENTINEL };
	struct xen_gnttab_set_version sv;

	expect_eq(grant_op(XEN_GNTTABOP_QUERY_SIZE, &q, 1), 0, "query_size");
	expect_true(q.nr_frames == 1 && q.max_nr_frames == GNTTAB_MAX && q.status == 0,
		    "query_size: %u frames of %u, status %d; expected 1 of 64, 0", q.nr_frames,
		    q.max_nr_frames, q.status);
	q = (struct xen_gnttab_query_size){ .dom = 2, .nr_frames = SENTINEL,
					    .max_nr_frames = SENTINEL };
	expect_eq(grant_op(XEN_GNTTABOP_QUERY_SIZE, &q, 1), 0, "query_size of domid 2");
	expect_true(q.status == XEN_GNTST_BAD_DOMAIN && q.nr_frames == SENTINEL,
		    "query_size of domid 2: status %d, nr_frames 0x%x", q.status, q.nr_frames);
	expect_eq(grant_op(XEN_GNTTABOP_QUERY_SIZE, &q, 0), -XEN_EINVAL, "query_size, count 0");
	expect_eq(grant_op(XEN_GNTTABOP_QUERY_SIZE, &q, 2), -XEN_EINVAL, "query_size, count 2");
	expect_eq(grant_op(XEN_GNTTABOP_QUERY_SIZE, &q, 0xffffffffu), -XEN_EINVAL,
		  "query_size, count -1");
	expect_eq(grant_op(XEN_GNTTABOP_QUERY_SIZE, (void *)BEYOND_RAM, 1), -XEN_EFAULT,
		  "query_size, bad pointer");

	expect_eq(grant_op(XEN_GNTTABOP_GET_VERSION, &gv, 1), 0, "get_version");
	expect_eq(gv.version, 1, "get_version");
	gv.dom = 2;
	expect_eq(grant_op(XEN_GNTTABOP_GET_VERSION, &gv, 1), -XEN_ESRCH, "get_version, domid 2");
	expect_eq(grant_op(XEN_GNTTABOP_GET_VERSION, (void *)BEYOND_RAM, 1), -XEN_EFAULT,
		  "get_version, bad pointer");
	sv.version = 1;
	expect_eq(grant_op(XEN_GNTTABOP_SET_VERSION, &sv, 1), 0, "set_version(1)");
	sv.version = 2;
	expect_eq(grant_op(XEN_GNTTABOP_SET_VERSION, &sv, 1), -XEN_ENOSYS,
		  "set_version(2): version 1 only");
	expect_eq(sv.version, 1, "set_version(2) wrote back the version in force");
	sv.version = 0;
	expect_eq(grant_op(XEN_GNTTABOP_SET_VERSION, &sv, 1), -XEN_EINVAL, "set_version(0)");
	expect_eq(sv.version, 1, "set_version(0) wrote back the version in force");
	expect_eq(grant_op(XEN_GNTTABOP_SET_VERSION, (void *)BEYOND_RAM, 1), -XEN_EFAULT,
		  "set_version, bad pointer");
	for (unsigned long cmd = 0; cmd < 14; cmd++)
		if (cmd == XEN_GNTTABOP_MAP_GRANT_REF || cmd == XEN_GNTTABOP_UNMAP_GRANT_REF ||
		    cmd == XEN_GNTTABOP_DUMP_TABLE || cmd == XEN_GNTTABOP_TRANSFER ||
		    cmd == XEN_GNTTABOP_COPY || cmd == XEN_GNTTABOP_UNMAP_AND_REPLACE ||
		    cmd == XEN_GNTTABOP_GET_STATUS_FRAMES || cmd == XEN_GNTTABOP_SWAP_GRANT_REF ||
		    cmd >= XEN_GNTTABOP_CACHE_FLUSH)
			expect_eq(grant_op(cmd, list, 1), -XEN_ENOSYS, "grant_table_op(%lu)", cmd);
	printf(NAME ": grant table: query_size 1 of 64 frames, version 1 only, "
	       "map/copy/others -ENOSYS\n");
}

/* setup_table(@nr): status, and each frame's guest frame in the caller's width. */
static int16_t setup_table(unsigned int nr, xen_pfn *out)
{
	setup_table_t st = { .dom = XEN_DOMID_SELF, .nr_frames = nr, .status = 0x5a5a,
			     .frame_list = ptr(out) };

	expect_eq(grant_op(XEN_GNTTABOP_SETUP_TABLE, &st, 1), 0, "setup_table(%u)", nr);
	return st.status;
}

/* A frame mapped nowhere: ~0 for a 64-bit caller; too big for a 32-bit one. */
#ifdef __x86_64__
#define UNMAPPED_STATUS XEN_GNTST_OKAY
#else
#define UNMAPPED_STATUS XEN_GNTST_ADDRESS_TOO_BIG
#endif

static void check_setup_table(void)
{
	xen_pfn out[4] = { SENTINEL, SENTINEL, SENTINEL, SENTINEL };
	setup_table_t st = { .dom = 2, .nr_frames = 1, .frame_list = ptr(out) };

	expect_eq(setup_table(1, out), UNMAPPED_STATUS, "setup_table(1), frame 0 mapped nowhere");
	if (sizeof(long) == 8)
		expect_eq(out[0], ~(xen_pfn)0, "setup_table: frame 0 mapped nowhere");
	expect_eq(grant_op(XEN_GNTTABOP_SETUP_TABLE, &st, 1), 0, "setup_table of domid 2");
	expect_eq(st.status, XEN_GNTST_BAD_DOMAIN, "setup_table of domid 2: status");
	st.dom = XEN_DOMID_SELF;
	st.nr_frames = GNTTAB_MAX + 1;
	expect_eq(grant_op(XEN_GNTTABOP_SETUP_TABLE, &st, 1), 0, "setup_table(65)");
	expect_eq(st.status, XEN_GNTST_GENERAL_ERROR, "setup_table(65): status");
	st.nr_frames = 0;
	expect_eq(grant_op(XEN_GNTTABOP_SETUP_TABLE, &st, 1), 0, "setup_table(0)");
	expect_eq(st.status, XEN_GNTST_OKAY, "setup_table(0): status");
	/* Xen's compat path does nothing for a count of 0; the native one refuses it. */
	expect_eq(grant_op(XEN_GNTTABOP_SETUP_TABLE, &st, 0), sizeof(long) == 8 ? -XEN_EINVAL : 0,
		  "setup_table, count 0");
	expect_eq(grant_op(XEN_GNTTABOP_SETUP_TABLE, &st, 2), -XEN_EINVAL, "setup_table, count 2");
	expect_eq(grant_op(XEN_GNTTABOP_SETUP_TABLE, (void *)BEYOND_RAM, 1), -XEN_EFAULT,
		  "setup_table, bad pointer");
}

static void check_grant_frames(void)
{
	struct xen_gnttab_query_size q = { .dom = XEN_DOMID_SELF };
	xen_pfn out[GNTTAB_MAX];
	setup_table_t st = { .dom = XEN_DOMID_SELF, .nr_frames = 1, .frame_list = BEYOND_RAM };

	check_setup_table();
	/* Frame 0 in a hole: a fresh page the guest reads and writes. */
	expect_eq(map_grant_frame(0, HOLE), 0, "grant frame 0 at 0x%lx", HOLE);
	expect_frame(HOLE, 0, "grant frame 0: a fresh page");
	poke(HOLE, 3 * 8, 1 | 0 << 16);                 /* entry 3: permit_access, dom 0 */
	poke(HOLE, 3 * 8 + 4, 0x1234);
	expect_eq(setup_table(1, out), XEN_GNTST_OKAY, "setup_table(1), frame 0 mapped");
	expect_eq(out[0], HOLE, "setup_table: frame 0's guest frame");
	expect_eq(grant_op(XEN_GNTTABOP_SETUP_TABLE, &st, 1), 0, "setup_table, bad frame list");
	expect_eq(st.status, XEN_GNTST_BAD_VIRT_ADDR, "setup_table, bad frame list: status");
	/* Moved: the entry goes with it, its old place is a hole again. */
	expect_eq(map_grant_frame(0, HOLE + 1), 0, "grant frame 0 moved");
	expect_eq(peek(HOLE + 1, 3 * 8 + 4), 0x1234, "entry 3 at the new place");
	expect_no_ram(HOLE, "grant frame 0's old place");
	/* Over RAM: the RAM is given back (Xen frees it), moving on leaves no RAM. */
	fill_frame(pool + 20, FILL);
	expect_eq(map_grant_frame(1, pool + 20), 0, "grant frame 1 over RAM");
	expect_frame(pool + 20, 0, "grant frame 1 over RAM: its own page");
	expect_eq(grant_op(XEN_GNTTABOP_QUERY_SIZE, &q, 1), 0, "query_size");
	expect_eq(q.nr_frames, 2, "query_size: the table grew to 2 frames");
	expect_eq(map_grant_frame(1, HOLE + 2), 0, "grant frame 1 moved off the RAM");
	expect_no_ram(pool + 20, "RAM a grant frame was put over");
	expect_eq(populate(frames(pool + 20, 1), 1, 0), 1, "populate it back");
	expect_frame(pool + 20, 0, "RAM a grant frame was over, populated");
	/* One frame a place: frame 0 over frame 1 unhooks it. */
	expect_eq(map_grant_frame(0, HOLE + 2), 0, "grant frame 0 where frame 1 is");
	expect_eq(peek(HOLE + 2, 3 * 8 + 4), 0x1234, "frame 0 shows there");
	expect_eq(setup_table(2, out), UNMAPPED_STATUS, "setup_table(2)");
	expect_eq(out[0], HOLE + 2, "setup_table(2): frame 0");
	if (sizeof(long) == 8)
		expect_eq(out[1], ~(xen_pfn)0, "setup_table(2): frame 1, unhooked");
	/* Up to the limit, and no further. */
	expect_eq(map_grant_frame(GNTTAB_MAX - 1, HOLE + 3), 0, "grant frame 63");
	expect_eq(grant_op(XEN_GNTTABOP_QUERY_SIZE, &q, 1), 0, "query_size");
	expect_eq(q.nr_frames, GNTTAB_MAX, "query_size: the table grew to 64 frames");
	expect_eq(map_grant_frame(GNTTAB_MAX, HOLE + 4), -XEN_EINVAL, "grant frame 64");
	expect_eq(map_grant_frame(0x80000000ul, HOLE + 4), -XEN_EINVAL,
		  "grant frame 0x80000000 (a v2 status frame)");
#ifdef __x86_64__
	expect_eq(map_grant_frame(2, 1ul << 40), -XEN_EINVAL,
		  "grant frame at 2^40: beyond 52-bit addresses");
#endif
	expect_eq(add_to_physmap(2, XEN_XENMAPSPACE_GRANT_TABLE, 2, HOLE + 4), -XEN_ESRCH,
		  "grant frame for domid 2");
	expect_eq(add_to_physmap(1, XEN_XENMAPSPACE_GRANT_TABLE, 2, HOLE + 4), 0,
		  "grant frame for domid 1 (itself)");
	/* Given back: decrease_reservation unhooks a grant frame too. */
	expect_eq(decrease(frames(HOLE + 3, 1), 1, 0), 1, "decrease of grant frame 63's place");
	expect_no_ram(HOLE + 3, "grant frame 63's place");
	expect_eq(setup_table(GNTTAB_MAX, out), UNMAPPED_STATUS, "setup_table(64)");
	if (sizeof(long) == 8)
		expect_true(out[GNTTAB_MAX - 1] == ~(xen_pfn)0 && out[2] == HOLE + 4,
			    "setup_table(64): frame 63 0x%lx, frame 2 0x%lx",
			    (unsigned long)out[GNTTAB_MAX - 1], (unsigned long)out[2]);
	expect_eq(populate(frames(HOLE + 3, 1), 1, 0), 0, "populate of a hole (no RAM there)");
	/* ~0 is INVALID_GFN for a 64-bit caller; a 32-bit one's is zero-extended. */
	expect_eq(map_grant_frame(3, ~(xen_pfn)0), sizeof(long) == 8 ? -XEN_EINVAL : 0,
		  "grant frame 3 at gpfn ~0");
	printf(NAME ": grant frames mapped in a hole and over RAM, moved, replaced, "
	       "grown to 64, given back; setup_table in the %u-byte layout\n",
	       (unsigned int)sizeof(setup_table_t));
}

int guest_main(void)
{
	uint64_t ram_end;

	check_name = NAME;
	if (!platform_has_hypercalls())
		guest_fail(NAME ": no hypervisor found, so no hypercalls to test");
	ram_end = boot_ram_end();
	if (ram_end < 16ull << 20 || ram_end > 0x80000000ull)
		guest_fail(NAME ": needs 16 MiB to 2 GiB of RAM, has 0x%llx bytes",
			   (unsigned long long)ram_end);
	/* The top of RAM: nothing of the guest's lives there. */
	pool = ram_end / PAGE - POOL_FRAMES;
	for (unsigned int i = 0; i < 32; i++)
		fill_frame(pool + i, FILL);
	check_reservation_refusals();
	check_decrease_populate();
	check_many_extents();
	check_multicall_sees_release();
#ifdef __x86_64__
	check_walk_sees_release();
#endif
	check_other_memory_ops();
	check_grant_queries();
	check_grant_frames();
	printf(NAME ": all checks passed (%lu)\n", checks_passed);
	return 0;
}
