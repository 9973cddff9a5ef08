/* SPDX-License-Identifier: MIT */
/*
 * fuzz-hcall64 / fuzz-hcall32: a hostile guest for issue 15.  Seeded
 * random hypercalls with random and boundary arguments from both vCPUs,
 * mixed with random MSR reads and writes, CPUID leaves, port I/O, local
 * APIC and other MMIO accesses, INIT IPIs and VCPUOP down/up of the AP.
 * Run it as `hvk run --xen --cpus 2` (event channels, the hypercall-page
 * MSR, and unclaimed I/O answered rather than fatal).
 *
 * Command line, words separated by spaces or commas (a guests.table row
 * passes one word): seed=N (default 1), calls=N (hypercalls of all vCPUs,
 * default 100000), skip=MASK (kinds of step left out, for
 * bisecting: docs/testing.md), hcskip=MASK (hypercall families left out:
 * bit k is case k of gen_call()), msr_lo=I,msr_hi=J (MSR steps only on
 * entries I..J of random_msr()'s list), verify[=N] (after every 16th
 * hypercall of a vCPU, or every Nth, N <= 16, the page tables (64-bit),
 * after every 64th the code, GDT and IDT must be as set up, else FAIL
 * naming both vCPUs' calls since their last check), repro-poll (only
 * the two-entry multicall that once left the vCPU halted for ever).  The PRNG is
 * xorshift64*, one stream per vCPU: vCPU 0's sequence is the seed's, the
 * interleaving with the AP is not.
 *
 * Pointers: into a per-vCPU scratch area (also straddling its pages), the
 * end of RAM, beyond RAM, the local APIC page 0xfee00000, 0, ~0, 2^63,
 * shared_info wherever it was mapped, the hypercall page; 64-bit also
 * non-canonical, unmapped, and a per-vCPU window of guest-virtual pages
 * whose page table (rebuilt after every use) maps MMIO, frames beyond RAM,
 * scratch, shared_info, the hypercall page, that page table itself
 * (writable) and the guest's real page tables (read-only: writes through
 * them must fail, which takes CR0.WP, set on both vCPUs).  Read-only
 * arguments may also point straight at the
 * page tables.  Extents, frames and registered areas only ever name frames
 * of the guest's own that it gives up (the donation area at the top of
 * RAM, the spare shared_info page), RAM it never uses (boundary frame
 * numbers: low memory, above its image) or frames outside RAM; what the
 * hypervisor acts on (extent lists, batches, registrations, contexts)
 * is crafted, or behind a pointer that faults (bad_input_ptr()); guest-virtual
 * areas the hypervisor keeps updating (runstate, time) never lie in a
 * window.  Console writes print at most 64 bytes of memory that reads.
 *
 * Never: sched_op block, shutdown or poll without a timeout (nor a poll
 * struct read from random memory), VCPUOP_down
 * of vCPU 0, a VM86 TSS (which crashes the guest as on Xen), port writes to
 * 0xe9 (console noise) or the ACPI ports 0x600-0x602 (power-off, reset),
 * string I/O (hvk does not emulate it: the run would end), INIT/SIPI to
 * vCPU 0.  MSR writes are undone at once when the MSR could be read.
 *
 * Last line: "fuzz-hcall64: N hypercalls (M asked), seed S" (N >= M: the
 * AP runs on while vCPU 0 stops), then power-off.
 */
#include <abi/hvk_hypercall.h>
#include <abi/xen/cpuid.h>
#include <abi/xen/event_channel.h>
#include <abi/xen/grant_table.h>
#include <abi/xen/hvm_op.h>
#include <abi/xen/hypercall.h>
#include <abi/xen/memory.h>
#include <abi/xen/multicall.h>
#include <abi/xen/sched.h>
#include <abi/xen/vcpu.h>
#include <abi/xen/version.h>

#include "guest.h"
#include "rng.h"
#include "io.h"

#ifdef __x86_64__
#include "x86_64/paging.h"
#define NAME "fuzz-hcall64"
typedef struct xen_multicall_entry64 mc_entry_t;
typedef struct xen_add_to_physmap64 physmap_t;
typedef struct xen_memory_reservation64 reservation_t;
typedef struct xen_sched_poll64 poll_t;
typedef struct xen_gnttab_setup_table64 setup_table_t;
#define HOLE_VA                 0x400000ul      /* RAM, unmapped by us */
#define WINDOW_VA               0x80000000ul    /* + id * 2 MiB: the windows */
#define WINDOW_PAGES            16
extern uint64_t identity_pd[], identity_pml4[];        /* longmode.S */
#define TABLE_PAGES             (2 + IDENTITY_PDS)      /* PML4, PDPT, PDs: in a row */
#else
#define NAME "fuzz-hcall32"
typedef struct xen_multicall_entry32 mc_entry_t;
typedef struct xen_add_to_physmap32 physmap_t;
typedef struct xen_memory_reservation32 reservation_t;
typedef struct xen_sched_poll32 poll_t;
typedef struct xen_gnttab_setup_table32 setup_table_t;
#endif

#define PAGE                    4096ul
#define MAX_VCPUS               2
#define AP_STACK_SIZE           8192
#define SCRATCH_PAGES           4       /* 0-1 outputs, 2 their spill, 3 slots */
#define MAX_BATCH               8
#define BATCH_SLOTS             (MAX_BATCH + 4)
#define DONATE_FRAMES           256             /* 1 MiB at the top of RAM */
#define LAPIC_BASE              0xfee00000ul
#define BEYOND_RAM              0xdead0000ul
#define NMI_VECTOR              2
#define DB_VECTOR               1
#define GP_VECTOR               13
#define DEFAULT_CALLS           100000
#define SLOT_SIZE               320     /* crafted arguments of one batch slot */
/*
 * verify's default interval: checking 3 072 page-table entries after every
 * call was four fifths of the 64-bit fuzzer's instructions; every 16th
 * keeps the culprit among 16 calls of each vCPU, all printed.
 */
#define LAST_CALLS              16

/* One per vCPU, page-aligned each: outputs of the hypervisor land here. */
struct __attribute__((aligned(4096))) vcpu_area {
	uint8_t scratch[SCRATCH_PAGES][PAGE];
#ifdef __x86_64__
	uint64_t window_pt[512];
#endif
	uint8_t regs[4][PAGE];                  /* vcpu_info, runstate, time areas */
	/*
	 * A batch straddling two pages: not in scratch, where the outputs of
	 * its earlier entries would rewrite its later ones.
	 */
	uint8_t straddle[2][PAGE];
	mc_entry_t batch[BATCH_SLOTS];
	uint64_t rng;
	unsigned long calls, entries, ok, errors, msrs, gps, cpuids, pios, mmios;
	unsigned long starts, inits;
	/* The calls since the last check, a ring: number, arguments. */
	unsigned long last[LAST_CALLS][6];
	bool window_used;
};

static struct vcpu_area areas[MAX_VCPUS] __attribute__((aligned(4096)));
static uint8_t ap_stack[AP_STACK_SIZE] __attribute__((aligned(16)));
/* Outputs of up to a page may spill past these: each has a spare page after it. */
static struct {
	uint8_t hcall[PAGE];
	uint8_t spill0[PAGE];
	uint8_t shinfo[2][PAGE];
	uint8_t spill1[PAGE];
} pages __attribute__((aligned(4096)));
#define hcall_page pages.hcall
#define shinfo_pages pages.shinfo
static const char hello[] = NAME ": console write\n";
static unsigned int nr_vcpus;
static uint64_t ram_end, donate_base, calls_target;
static unsigned long skip;      /* skip=MASK: leave out kinds of step (bisecting) */
static unsigned long hcskip;    /* hcskip=MASK: leave out hypercall families (gen_call) */
static bool msr_range;          /* msr_lo=I,msr_hi=J: MSR steps on random_msr()'s bases[I..J] */
static unsigned long msr_lo, msr_hi;
static unsigned long verify;    /* verify[=N]: tables checked after every Nth call, 0 never */
#ifdef __x86_64__
static uint64_t tables_copy[TABLE_PAGES * 512];
#endif
/* verify: what must not change besides the page tables: code, GDT, IDT. */
extern const char __pv_sites_start[];
#define CODE_START              0x100000ul
#define CODE_MAX                (96 * 1024)
static struct region { unsigned long base, len; const char *what; } regions[3];
static uint8_t region_copy[3][CODE_MAX];
static volatile bool stopping;
/*
 * The AP's IDT is loaded (ap_main runs).  An NMI sent to it after an INIT
 * stays latched until VCPUOP_initialise and VCPUOP_up start it again (Xen
 * and hvk alike), and is taken at its entry point, where the IDT is still
 * empty: a triple fault, the guest's own doing.  So only vCPU 0 sends
 * INITs, clears this first, and sends NMIs to the AP only while it is set.
 */
static volatile bool ap_ready;
static volatile unsigned long total_calls;
volatile unsigned long nmi_count, db_count;
static unsigned long shinfo_va;

/* ---- exception handlers: #GP of RDMSR/WRMSR skipped, NMI and #DB ignored ---- */

volatile unsigned long gp_count;
void gp_handler(void), nmi_handler(void), db_handler(void);
__attribute__((noreturn, used)) void gp_unexpected(unsigned long ip, unsigned long error)
{
	guest_fail(NAME ": #GP at 0x%lx (error 0x%lx), not from RDMSR/WRMSR", ip, error);
}

/*
 * #GP: only RDMSR (0f 32) and WRMSR (0f 30) may fault; skip those 2 bytes.
 * NMI (VCPUOP_send_nmi, NMI IPIs, LVTs) and #DB (DEBUGCTL.BTF) return.
 */
#ifdef __x86_64__
__asm__(
	"	.text\n"
	"	.globl gp_handler, nmi_handler, db_handler\n"
	"gp_handler:\n"
	"	push %rax\n"
	"	mov 16(%rsp), %rax\n"           /* RIP */
	"	cmpb $0x0f, (%rax)\n"
	"	jne 1f\n"
	"	cmpb $0x30, 1(%rax)\n"
	"	je 2f\n"
	"	cmpb $0x32, 1(%rax)\n"
	"	jne 1f\n"
	"2:	addq $2, 16(%rsp)\n"
	"	pop %rax\n"
	"	add $8, %rsp\n"
	"	lock incq gp_count(%rip)\n"
	"	iretq\n"
	"1:	mov %rax, %rdi\n"
	"	mov 8(%rsp), %rsi\n"
	"	and $-16, %rsp\n"
	"	call gp_unexpected\n"
	"nmi_handler:\n"
	"	lock incq nmi_count(%rip)\n"
	"	iretq\n"
	"db_handler:\n"
	"	lock incq db_count(%rip)\n"
	"	iretq\n");
#else
__asm__(
	"	.text\n"
	"	.globl gp_handler, nmi_handler, db_handler\n"
	"gp_handler:\n"
	"	push %eax\n"
	"	mov 8(%esp), %eax\n"            /* EIP */
	"	cmpb $0x0f, (%eax)\n"
	"	jne 1f\n"
	"	cmpb $0x30, 1(%eax)\n"
	"	je 2f\n"
	"	cmpb $0x32, 1(%eax)\n"
	"	jne 1f\n"
	"2:	addl $2, 8(%esp)\n"
	"	pop %eax\n"
	"	add $4, %esp\n"
	"	lock incl gp_count\n"
	"	iret\n"
	"1:	push 4(%esp)\n"
	"	push %eax\n"
	"	call gp_unexpected\n"
	"nmi_handler:\n"
	"	lock incl nmi_count\n"
	"	iret\n"
	"db_handler:\n"
	"	lock incl db_count\n"
	"	iret\n");
#endif

static bool wrmsr_gp(uint32_t msr, uint64_t v)
{
	unsigned long before = gp_count;

	__asm__ volatile("wrmsr" : : "c"(msr), "a"((uint32_t)v), "d"((uint32_t)(v >> 32))
			 : "memory");
	return gp_count != before;
}

static bool rdmsr_gp(uint32_t msr, uint64_t *v)
{
	unsigned long before = gp_count;
	uint32_t lo = 0, hi = 0;

	__asm__ volatile("rdmsr" : "+a"(lo), "+d"(hi) : "c"(msr) : "memory");
	*v = (uint64_t)hi << 32 | lo;
	return gp_count != before;
}

/* ---- the PRNG ---- */

static uint64_t rnd(struct vcpu_area *a)
{
	return xorshift64s_next(&a->rng);
}

static unsigned int below(struct vcpu_area *a, unsigned int n)
{
	return (unsigned int)((rnd(a) >> 32) % n);
}

static bool one_in(struct vcpu_area *a, unsigned int n)
{
	return below(a, n) == 0;
}

static unsigned long pick(struct vcpu_area *a, const unsigned long *v, unsigned int n)
{
	return v[below(a, n)];
}

#define PICK(a, ...) ({                                                 \
	const unsigned long v_[] = { __VA_ARGS__ };                     \
	pick(a, v_, sizeof(v_) / sizeof(v_[0]));                        \
})

static unsigned long boundary(struct vcpu_area *a)
{
	if (one_in(a, 3))
		return (unsigned long)rnd(a);
	return PICK(a, 0, 1, 2, 0x7f, 0xff, 0xfff, 0x1000, 0xffff, 0x7fffffff, 0x80000000ul,
		    0xfffffffful, ~0ul, ~0ul - 1, (unsigned long)(1ull << 63),
		    (unsigned long)((1ull << 63) - 1));
}

static unsigned long ptr(const void *p)
{
	return (unsigned long)(uintptr_t)p;
}

/* ---- the window (64-bit): guest-virtual pages mapping odd frames ---- */

#ifdef __x86_64__
static uint64_t window_va(struct vcpu_area *a)
{
	return WINDOW_VA + (uint64_t)(a - areas) * LARGE_PAGE_SIZE;
}

/* Rebuild the window's page table (a hypercall may have written it). */
static void window_reset(struct vcpu_area *a)
{
	const uint64_t w = PTE_PRESENT | PTE_WRITABLE;
	uint64_t *pt = a->window_pt;

	memset(pt, 0, sizeof(a->window_pt));
	pt[0] = LAPIC_BASE | w;
	pt[1] = ram_end | w;                            /* just beyond RAM */
	pt[2] = BEYOND_RAM | w;
	pt[3] = ptr(a->scratch[0]) | w;
	pt[4] = ptr(a->scratch[1]) | w;
	pt[5] = ptr(pt) | w;                            /* itself */
	if (!(skip & 64)) {
		pt[6] = ptr(identity_pd) | PTE_PRESENT; /* the real tables: read-only */
		pt[7] = ptr(identity_pml4) | PTE_PRESENT;
	}
	pt[8] = shinfo_va | w;
	pt[9] = ptr(hcall_page) | w;
	pt[10] = ptr(a->scratch[3]) | PTE_PRESENT;      /* read-only RAM */
	pt[11] = (ram_end - PAGE) | w;                  /* the last page of RAM ... */
	pt[12] = 0xfed00000ul | w;                      /* ... then MMIO */
	pt[13] = (1ull << 40) | w;                      /* far beyond RAM */
	/* 14, 15: not present */
	a->window_used = false;
}

static void window_init(struct vcpu_area *a)
{
	identity_pd[window_va(a) / LARGE_PAGE_SIZE] = ptr(a->window_pt) | PTE_PRESENT | PTE_WRITABLE;
	window_reset(a);
	__asm__ volatile("mov %%cr3, %%rax; mov %%rax, %%cr3" : : : "rax", "memory");
}
#endif

/* ---- pointers ---- */

/* An address nothing of the guest lives at: every access faults or is MMIO. */
static unsigned long bad_ptr(struct vcpu_area *a)
{
	switch (below(a, 12)) {
	case 0:
		return BEYOND_RAM + below(a, 0x10000);
	case 1:         /* the last bytes of RAM: running off its end */
		return (unsigned long)ram_end - below(a, 16);
	case 2: {
		unsigned long p = (unsigned long)ram_end +
				  (unsigned long)(rnd(a) % ((1ull << 32) - ram_end));
#ifdef __x86_64__
		if (p >= WINDOW_VA && p < WINDOW_VA + MAX_VCPUS * LARGE_PAGE_SIZE)
			a->window_used = true;  /* some window: rebuild it after */
#endif
		return p;
	}
	case 3:
		return LAPIC_BASE + below(a, PAGE);
	case 4:
		return LAPIC_BASE - below(a, 8);
	case 5:
		return PICK(a, 0, 1, ~0ul, ~0ul - 7, 0xfec00000ul, 0xfffff000ul);
#ifdef __x86_64__
	case 6:
		return HOLE_VA + below(a, LARGE_PAGE_SIZE);
	case 7:
		return 0x8000000000000000ul | (rnd(a) & 0x7fffffffffful);
	case 8:
		return 0x100000000ul + (rnd(a) & 0x3fffffffffful);
	case 9:
		return PICK(a, 1ul << 63, 0x00007ffffffffff8ul, 0xffff800000000000ul);
#endif
	default:
		return BEYOND_RAM;
	}
}

/* Could a read at `p` find memory (RAM, or a window page)? */
static bool readable(unsigned long p)
{
#ifdef __x86_64__
	if (p >= WINDOW_VA && p < WINDOW_VA + MAX_VCPUS * LARGE_PAGE_SIZE)
		return true;
#endif
	return p < ram_end;
}

/*
 * Frames no generator names (free_gfn() rolls again), so never RAM nor a
 * page placed there: what bad_input_ptr() points at faults for ever.
 */
#define NEVER_GFN_FIRST         (BEYOND_RAM / PAGE)
#define NEVER_GFNS              16

static bool never_named(uint64_t gfn)
{
	return gfn - NEVER_GFN_FIRST < NEVER_GFNS;
}

/*
 * A bad pointer to something the hypervisor acts on (an extent list, a
 * multicall batch, an area or vcpu_info registration, a vCPU context):
 * one that faults.  Any other would hand it values from memory written
 * by the hypervisor (time areas at the end of RAM, outputs in the
 * windows, a grant frame or shared_info placed at the local APIC's frame
 * or beyond RAM): frame numbers and addresses of our own code and page
 * tables, which Xen too would take away or write over.  Found by this
 * fuzzer as "corrupted memory": a batch entry gave back the 32-bit AP's
 * page directory (gfn 0x175), and a time area registration read from a
 * grant frame at 0xfee00000 put vCPU 1's time area on our code.
 */
static unsigned long bad_input_ptr(struct vcpu_area *a)
{
#ifdef __x86_64__
	switch (below(a, 4)) {
	case 0:
		return HOLE_VA + below(a, LARGE_PAGE_SIZE);
	case 1:
		return 0x8000000000000000ul | (rnd(a) & 0x7fffffffffful);
	default:
		break;
	}
#endif
	return NEVER_GFN_FIRST * PAGE + below(a, NEVER_GFNS * PAGE);
}

/* Where the hypervisor may write: ours to spoil, or refused. */
static unsigned long out_ptr(struct vcpu_area *a)
{
	switch (below(a, 10)) {
	case 0:
	case 1:
	case 2:
		return ptr(a->scratch) + below(a, 2 * PAGE);
	case 3:         /* straddling scratch's first page boundary */
		return ptr(a->scratch) + PAGE - 1 - below(a, 16);
	case 4:
		return one_in(a, 2) ? shinfo_va + below(a, PAGE) : ptr(hcall_page) + below(a, PAGE);
#ifdef __x86_64__
	case 5:
	case 6:
		a->window_used = true;
		return window_va(a) + below(a, WINDOW_PAGES * PAGE);
#endif
	default:
		return bad_ptr(a);
	}
}

/* What the hypervisor only reads may also be the guest's page tables. */
static unsigned long in_ptr(struct vcpu_area *a)
{
#ifdef __x86_64__
	if (one_in(a, 10))
		return ptr(one_in(a, 2) ? (void *)identity_pd : (void *)identity_pml4) +
		       below(a, PAGE);
#endif
	return out_ptr(a);
}

/* A guest frame number nothing of ours lives in (never_named() aside). */
static unsigned long free_gfn_any(struct vcpu_area *a)
{
	switch (below(a, 7)) {
	case 0:
	case 1:
		return donate_base / PAGE + below(a, DONATE_FRAMES);
	case 2:
		return ptr(shinfo_pages[below(a, 2)]) / PAGE;
	case 3:         /* beyond RAM, below 4 GiB */
		return ram_end / PAGE + below(a, (unsigned int)(0x100000 - ram_end / PAGE));
	case 4:
		return PICK(a, 0xfee00, 0xfec00, 0xfffff, 0xdead0);
	case 5:
		/*
		 * Issue 15.5 and 15.6: frames beyond what the nested tables map
		 * (-EINVAL), ever new far frames (the bound: -ENOMEM).
		 */
		return one_in(a, 2) ? (unsigned long)rnd(a) :
		       PICK(a, 0x100000, 0x123456, (unsigned long)((1ull << 24) - 1));
	default: {
		return boundary(a);
	}
	}
}

static unsigned long free_gfn(struct vcpu_area *a)
{
	unsigned long gfn;

	do
		gfn = free_gfn_any(a);
	while (never_named(gfn));
	return gfn;
}

/*
 * The first of up to 2^9 frames (an extent of any order, a GMFN range):
 * the donation area or beyond RAM only, where no run of frames reaches
 * anything of the guest's.
 */
static unsigned long free_span(struct vcpu_area *a)
{
	switch (below(a, 4)) {
	case 0:
		return ram_end / PAGE + below(a, 0x10000);
	case 1:
		return PICK(a, 0x100000, 0xfee00, 0xfffff);
	default:
		return donate_base / PAGE + (below(a, DONATE_FRAMES) & ~3u);
	}
}

/* Small values mostly: ports, vCPU ids, VIRQs, counts, domids. */
static uint32_t small(struct vcpu_area *a)
{
	switch (below(a, 8)) {
	case 0:
		return (uint32_t)boundary(a);
	case 1:
		return XEN_DOMID_SELF;
	case 2:
		return below(a, 3);
	default:
		return below(a, 24);
	}
}

/*
 * Crafted arguments of batch slot `slot` live in scratch page 3, a slot
 * each: a later entry of a multicall must not rewrite an earlier one's
 * extent list or frame.  The hypervisor's random outputs go to pages 0-1
 * (page 2 takes what runs past them).
 */
static uint8_t *slot_mem(struct vcpu_area *a, unsigned int slot)
{
	_Static_assert(BATCH_SLOTS * SLOT_SIZE <= PAGE, "slots fit scratch page 3");
	return a->scratch[3] + slot * SLOT_SIZE;
}

/* A structure of `words` (<= 8) 32-bit small values in slot memory. */
static unsigned long small_struct(struct vcpu_area *a, uint8_t *s, unsigned int words)
{
	uint32_t *p = (uint32_t *)(s + 8 * below(a, 8));

	if (one_in(a, 6))
		return out_ptr(a);
	for (unsigned int i = 0; i < words; i++)
		p[i] = small(a);
	return ptr(p);
}

/* ---- contexts for VCPUOP_initialise ---- */

static void ap_main(unsigned int id, unsigned long unused);

static void good_context(struct vcpu_area *a, struct xen_vcpu_hvm_context *ctx)
{
#ifdef __x86_64__
	(void)a;
	smp_ap_context(ctx, 1, ap_main, 0, ap_stack + AP_STACK_SIZE);
#else
	if (one_in(a, 2))
		smp_ap_context_paged(ctx, 1, ap_main, 0, ap_stack + AP_STACK_SIZE);
	else
		smp_ap_context(ctx, 1, ap_main, 0, ap_stack + AP_STACK_SIZE);
#endif
}

/* A context the validator must refuse: one field wrong (never a valid one). */
static unsigned long bad_context(struct vcpu_area *a, uint8_t *s)
{
	struct xen_vcpu_hvm_context *ctx = (void *)s;

	if (one_in(a, 4))               /* not in_ptr(): page tables could pass */
		return bad_input_ptr(a);
	good_context(a, ctx);
	switch (below(a, 4)) {
	case 0:
		ctx->mode = 2 + below(a, 1000);
		break;
#ifdef __x86_64__
	case 1:
		ctx->cpu_regs.x86_64.rip = 0x0000800000000000ull | rnd(a);
		break;
	case 2:
		ctx->cpu_regs.x86_64.cr0 &= ~(uint64_t)CR0_PG;
		break;
	default:
		ctx->cpu_regs.x86_64.efer = 0;
		break;
#else
	case 1:
		ctx->cpu_regs.x86_32.cr0 &= ~1u;
		break;
	case 2:
		ctx->cpu_regs.x86_32.cs_ar = XEN_HVM_AR_DATA32;
		break;
	default:
		ctx->cpu_regs.x86_32.eflags = 0x20002;  /* VM */
		break;
#endif
	}
	return ptr(ctx);
}

/* ---- one random hypercall ---- */

struct call {
	unsigned long nr;
	unsigned long arg[5];
};

static unsigned long random_vcpu(struct vcpu_area *a)
{
	return one_in(a, 6) ? boundary(a) : below(a, nr_vcpus + 1);
}

static void gen_vcpu_op(struct vcpu_area *a, uint8_t *s, struct call *c)
{
	unsigned int op = one_in(a, 16) ? (uint32_t)rnd(a) : below(a, 16);
	unsigned long id = random_vcpu(a);

	c->nr = XEN_HC_VCPU_OP;
	c->arg[0] = op;
	c->arg[1] = id;
	c->arg[2] = out_ptr(a);
	switch (op) {
	case XEN_VCPUOP_INITIALISE:
		c->arg[2] = bad_context(a, s);
		break;
	case XEN_VCPUOP_DOWN:
		if ((uint32_t)id == 0)
			c->arg[1] = 1;          /* never vCPU 0: it runs the test */
		break;
	case XEN_VCPUOP_REGISTER_VCPU_INFO: {
		struct xen_vcpu_register_vcpu_info *r = (void *)s;

		r->mfn = one_in(a, 2) ? ptr(a->regs[0]) / PAGE : free_gfn(a);
		r->offset = one_in(a, 2) ? below(a, 64) * 64 : (uint32_t)boundary(a);
		r->rsvd = one_in(a, 8) ? 1 : 0;
		c->arg[2] = one_in(a, 8) ? bad_input_ptr(a) : ptr(r);
		break;
	}
	case XEN_VCPUOP_REGISTER_RUNSTATE_MEMORY_AREA:
	case XEN_VCPUOP_REGISTER_VCPU_TIME_MEMORY_AREA:
	case XEN_VCPUOP_REGISTER_RUNSTATE_PHYS_AREA:
	case XEN_VCPUOP_REGISTER_VCPU_TIME_PHYS_AREA: {
		struct xen_vcpu_register_area *r = (void *)s;
		bool phys = op >= XEN_VCPUOP_REGISTER_RUNSTATE_PHYS_AREA;

		/*
		 * Areas the hypervisor keeps writing: ours, or outside RAM.  A
		 * 32-bit caller's virtual address is the low half only.
		 */
		r->addr = one_in(a, 2) ? ptr(a->regs[1 + below(a, 3)]) + below(a, 64) * 8
			  : !phys || one_in(a, 2) ? bad_ptr(a) : (uint64_t)free_gfn(a) * PAGE;
#ifdef __x86_64__
		/*
		 * Not in the windows: the hypervisor writes a virtual area on
		 * every update through the page tables of the moment (as Xen's
		 * runstate and time areas), and the windows map their own page
		 * table writable and hold hypercalls' garbage for a while: such
		 * an area would write the window's PTEs, then through them
		 * anywhere, the guest's code and stacks too.
		 */
		if (!phys && r->addr >= WINDOW_VA && r->addr < WINDOW_VA + MAX_VCPUS * LARGE_PAGE_SIZE)
			r->addr = BEYOND_RAM;
#endif
		if (one_in(a, 8))
			r->addr = 0;            /* unregister */
		/* Not in_ptr(): a page-table entry would name our own tables. */
		c->arg[2] = one_in(a, 8) ? bad_input_ptr(a) : ptr(r);
		break;
	}
	case XEN_VCPUOP_SET_PERIODIC_TIMER:
	case XEN_VCPUOP_SET_SINGLESHOT_TIMER: {
		uint64_t *t = (void *)s;

		t[0] = PICK(a, 0, 1, 1000000, 10000000, (unsigned long)rnd(a), ~0ul,
			    (unsigned long)(1ull << 63));
		t[1] = one_in(a, 4) ? rnd(a) : below(a, 2);
		c->arg[2] = one_in(a, 8) ? in_ptr(a) : ptr(t);
		break;
	}
	default:
		break;
	}
}

static void gen_event_channel_op(struct vcpu_area *a, uint8_t *s, struct call *c)
{
	unsigned long op = one_in(a, 16) ? boundary(a) : below(a, 15);

	c->nr = XEN_HC_EVENT_CHANNEL_OP;
	c->arg[0] = op;
	c->arg[1] = small_struct(a, s, 8);
	/* FIFO control blocks and arrays name a frame: a free one. */
	if ((op == XEN_EVTCHNOP_INIT_CONTROL || op == XEN_EVTCHNOP_EXPAND_ARRAY) &&
	    c->arg[1] >= ptr(s) && c->arg[1] < ptr(s) + SLOT_SIZE) {
		uint64_t gfn = free_gfn(a);

		memcpy((void *)(uintptr_t)c->arg[1], &gfn, sizeof(gfn));
	}
}

static void gen_grant_table_op(struct vcpu_area *a, uint8_t *s, struct call *c)
{
	unsigned long cmd = one_in(a, 16) ? boundary(a) : below(a, 13);
	setup_table_t *st = (void *)s;

	c->nr = XEN_HC_GRANT_TABLE_OP;
	c->arg[0] = cmd;
	c->arg[1] = small_struct(a, s, 8);
	c->arg[2] = one_in(a, 4) ? boundary(a) : 1 + below(a, 3);
	if (cmd == XEN_GNTTABOP_SETUP_TABLE && !one_in(a, 4)) {
		memset(st, 0, sizeof(*st));
		st->dom = one_in(a, 8) ? (uint16_t)rnd(a) : XEN_DOMID_SELF;
		st->nr_frames = one_in(a, 4) ? (uint32_t)boundary(a) : below(a, 70);
		st->frame_list = out_ptr(a);
		c->arg[1] = ptr(st);
	}
}

static void gen_hvm_op(struct vcpu_area *a, uint8_t *s, struct call *c)
{
	struct xen_hvm_param *p = (void *)s;
	unsigned long op = one_in(a, 16) ? boundary(a)
			   : PICK(a, XEN_HVMOP_SET_PARAM, XEN_HVMOP_GET_PARAM, XEN_HVMOP_GET_PARAM,
				  XEN_HVMOP_SET_EVTCHN_UPCALL_VECTOR, 2, 4);

	c->nr = XEN_HC_HVM_OP;
	c->arg[0] = op;
	c->arg[1] = out_ptr(a);
	if (op == XEN_HVMOP_SET_EVTCHN_UPCALL_VECTOR) {
		struct xen_hvm_evtchn_upcall_vector *u = (void *)p;

		u->vcpu = (uint32_t)random_vcpu(a);
		u->vector = (uint8_t)rnd(a);
		c->arg[1] = one_in(a, 8) ? in_ptr(a) : ptr(u);
		return;
	}
	if ((uint32_t)op == XEN_HVMOP_SET_PARAM)
		c->arg[1] = bad_ptr(a);         /* random bytes could name VM86_TSS */
	if ((uint32_t)op > XEN_HVMOP_GET_PARAM || one_in(a, 4))
		return;
	p->domid = one_in(a, 8) ? (uint16_t)rnd(a) : XEN_DOMID_SELF;
	p->pad = 0;
	p->index = one_in(a, 4) ? (uint32_t)rnd(a) : below(a, XEN_HVM_NR_PARAMS + 2);
	if (p->index == XEN_HVM_PARAM_VM86_TSS || p->index == XEN_HVM_PARAM_VM86_TSS_SIZED)
		p->index = XEN_HVM_PARAM_CALLBACK_IRQ;  /* a bad TSS crashes the guest */
	p->value = one_in(a, 2) ? rnd(a) : PICK(a, 0, 1, 0x10, 0x20, 0xff,
						(unsigned long)(2ull << XEN_HVM_CALLBACK_TYPE_SHIFT) | 0xf3);
	c->arg[1] = ptr(p);
}

static void gen_memory_op(struct vcpu_area *a, uint8_t *s, struct call *c)
{
	unsigned long cmd = PICK(a, XEN_XENMEM_ADD_TO_PHYSMAP, XEN_XENMEM_ADD_TO_PHYSMAP,
				 XEN_XENMEM_DECREASE_RESERVATION, XEN_XENMEM_POPULATE_PHYSMAP,
				 XEN_XENMEM_INCREASE_RESERVATION, XEN_XENMEM_MEMORY_MAP,
				 XEN_XENMEM_GET_VNUMAINFO, (unsigned long)rnd(a));

	c->nr = XEN_HC_MEMORY_OP;
	c->arg[0] = cmd;
	c->arg[1] = out_ptr(a);
	switch (cmd & XEN_MEMOP_CMD_MASK) {
	case XEN_XENMEM_ADD_TO_PHYSMAP: {
		physmap_t *x = (void *)s;

		x->domid = one_in(a, 8) ? (uint16_t)rnd(a) : XEN_DOMID_SELF;
		x->size = (uint16_t)rnd(a);
		x->space = one_in(a, 8) ? (uint32_t)rnd(a) : below(a, 3);
		x->idx = one_in(a, 4) ? boundary(a) : below(a, 4);
		x->gpfn = free_gfn(a);
		if (x->space == XEN_XENMAPSPACE_GMFN || x->space == XEN_XENMAPSPACE_GMFN_RANGE) {
			/* size frames from idx to gpfn: both runs ours to lose */
			x->idx = free_span(a);
			x->gpfn = free_span(a);
			x->size = (uint16_t)below(a, 8);
		}
		c->arg[1] = ptr(x);
		break;
	}
	case XEN_XENMEM_INCREASE_RESERVATION:
	case XEN_XENMEM_DECREASE_RESERVATION:
	case XEN_XENMEM_POPULATE_PHYSMAP: {
		reservation_t *r = (void *)s;
		unsigned long *ext = (void *)(s + 64);
		unsigned int n = one_in(a, 8) ? 16 : 1 + below(a, 8);

		memset(r, 0, sizeof(*r));

		/* Single frames anywhere free; runs only where nothing is. */
		r->extent_order = one_in(a, 8) ? (uint32_t)boundary(a) : below(a, 3);
		for (unsigned int i = 0; i < n; i++)
			ext[i] = r->extent_order == 0 && one_in(a, 4) ? free_gfn(a) : free_span(a);
		r->extent_start = one_in(a, 8) ? bad_input_ptr(a) : ptr(ext);
		/* Past the list would be frames of the guest's: only for bad lists. */
		r->nr_extents = r->extent_start != ptr(ext) ? boundary(a)
				: one_in(a, 8) ? below(a, n + 1) : n;
		r->mem_flags = one_in(a, 8) ? (uint32_t)rnd(a) : 0;
		r->domid = one_in(a, 8) ? (uint16_t)rnd(a) : XEN_DOMID_SELF;
		c->arg[1] = ptr(r);
		if (one_in(a, 8))       /* a start extent in the command */
			c->arg[0] = (cmd & XEN_MEMOP_CMD_MASK) | (unsigned long)below(a, n + 2)
				    << XEN_MEMOP_EXTENT_SHIFT;
		break;
	}
	case XEN_XENMEM_MEMORY_MAP:
	case XEN_XENMEM_GET_VNUMAINFO:
		break;
	default:                        /* nothing it could read as a list of ours */
		c->arg[1] = bad_ptr(a);
		break;
	}
}

static void gen_sched_op(struct vcpu_area *a, uint8_t *s, struct call *c)
{
	poll_t *p = (void *)s;
	uint32_t *ports = (void *)(s + 64);
	unsigned long cmd = PICK(a, XEN_SCHEDOP_YIELD, XEN_SCHEDOP_POLL, XEN_SCHEDOP_POLL, 4, 5,
				 (unsigned long)rnd(a));
	bool poll = (uint32_t)cmd == XEN_SCHEDOP_POLL;

	/*
	 * Xen reads the command as an int: the low half decides.  Never
	 * block (nothing would wake us: IF stays 0) or shut down.
	 */
	if ((uint32_t)cmd == XEN_SCHEDOP_BLOCK || (uint32_t)cmd == XEN_SCHEDOP_SHUTDOWN)
		cmd = XEN_SCHEDOP_YIELD;
	/*
	 * Polls anywhere in a batch: found by this fuzzer, hvk ran the rest
	 * of a batch before a poll's wait, and a later poll ended that wait
	 * with the vCPU left halted for ever (repro-poll; fixed in
	 * kmod/xen/hc_multicall.c: the batch goes on after the wake-up).
	 */
	if (poll && (skip & 128))
		poll = false;
	c->nr = XEN_HC_SCHED_OP;
	c->arg[0] = poll ? XEN_SCHEDOP_POLL : (uint32_t)cmd == XEN_SCHEDOP_POLL ? XEN_SCHEDOP_YIELD : cmd;
	/* Only a poll reads its argument: a readable bad_ptr() would do no harm. */
	c->arg[1] = bad_ptr(a);
	if (poll) {
		/*
		 * A timeout in the past: the poll never waits long.  Never a
		 * poll struct from random memory: no ports and no timeout
		 * wait for ever (on Xen until any event of the domain).
		 */
		for (unsigned int i = 0; i < 8; i++)
			ports[i] = small(a);
		p->ports = one_in(a, 8) ? bad_ptr(a) : ptr(ports);
		p->nr_ports = one_in(a, 8) ? (uint32_t)boundary(a) : below(a, 9);
		p->timeout = 1;
		c->arg[1] = ptr(p);
	}
}

static void gen_hvk(struct vcpu_area *a, struct call *c)
{
	unsigned int family = one_in(a, 4) ? below(a, HVK_HC_NR_FAMILIES) : below(a, 2);
	unsigned int call = one_in(a, 8) ? (uint16_t)rnd(a) : below(a, 4);

	c->nr = HVK_HC_NR(family, call, one_in(a, 2) ? (uint8_t)rnd(a) : 0u);
#ifdef __x86_64__
	if (one_in(a, 16))
		c->nr |= rnd(a) << 32;
#endif
	for (unsigned int i = 0; i < 5; i++)
		c->arg[i] = one_in(a, 4) ? boundary(a) : below(a, 10);
	if (family == HVK_FAMILY_MMU && call == HVK_MMU_SET_PTE) {
		/* Only PTEs of ours to spoil, or outside RAM. */
		uint64_t gpa;
#ifdef __x86_64__
		gpa = one_in(a, 2) ? ptr(a->window_pt) + 8 * below(a, 512) : 0;
		a->window_used = true;
#else
		gpa = 0;
#endif
		if (!gpa)
			gpa = one_in(a, 2) ? ptr(a->scratch[below(a, 2)]) + below(a, PAGE)
					   : bad_ptr(a);
		c->arg[0] = (uint32_t)gpa;
		c->arg[1] = (uint32_t)(gpa >> 32);
		c->arg[2] = (uint32_t)rnd(a);
		c->arg[3] = (uint32_t)rnd(a);
		c->arg[4] = PICK(a, 4, 8, 8, 0, 2, 16, (unsigned long)rnd(a));
	}
}

static void gen_unknown(struct vcpu_area *a, struct call *c)
{
	unsigned long nr = one_in(a, 2) ? below(a, 64) : (unsigned long)rnd(a);

	switch (nr) {                   /* implemented: not with random arguments */
	case XEN_HC_MEMORY_OP: case XEN_HC_MULTICALL: case XEN_HC_SET_TIMER_OP:
	case XEN_HC_XEN_VERSION: case XEN_HC_CONSOLE_IO: case XEN_HC_GRANT_TABLE_OP:
	case XEN_HC_VCPU_OP: case XEN_HC_SCHED_OP: case XEN_HC_EVENT_CHANNEL_OP:
	case XEN_HC_HVM_OP:
		nr = 99;
		break;
	}
	if (nr >= HVK_HC_SLOT_BASE && nr < HVK_HC_SLOT_BASE + HVK_HC_NR_FAMILIES)
		nr = 63;
	c->nr = nr;
	for (unsigned int i = 0; i < 5; i++)
		c->arg[i] = one_in(a, 2) ? in_ptr(a) : boundary(a);
}

static void gen_call(struct vcpu_area *a, unsigned int slot, struct call *c, bool in_batch)
{
	uint8_t *s = slot_mem(a, slot);

	unsigned int family;

	memset(c, 0, sizeof(*c));
	do
		family = below(a, 14);
	while (hcskip & (1ul << family) && ~hcskip & 0x3fff);
	switch (family) {
	case 0:
		c->nr = XEN_HC_XEN_VERSION;
		c->arg[0] = one_in(a, 8) ? boundary(a) : below(a, 16);
		c->arg[1] = out_ptr(a);
		break;
	case 1:
		c->nr = XEN_HC_CONSOLE_IO;
		c->arg[0] = one_in(a, 8) ? boundary(a) : below(a, 2);
		c->arg[1] = one_in(a, 4) ? 0 : PICK(a, 16, 100, 4096, 5000, 0x80000000ul, ~0ul);
		/* Writes from memory that is not text only where they fault. */
		c->arg[2] = c->arg[0] == XEN_CONSOLEIO_READ ? out_ptr(a) : bad_ptr(a);
		/*
		 * Writes from random memory that reads (low RAM, the end of
		 * RAM, the windows) print it, as Xen would: at most 64 bytes
		 * then, so a run does not print megabytes of it.  Long
		 * counts only from pointers that fault.
		 */
		if (c->arg[0] == XEN_CONSOLEIO_WRITE && c->arg[1] > 64 && readable(c->arg[2]))
			c->arg[1] = below(a, 65);
		if (c->arg[0] == XEN_CONSOLEIO_WRITE && one_in(a, 4096)) {
			c->arg[1] = sizeof(hello) - 1;
			c->arg[2] = ptr(hello);
		}
		break;
	case 2:
		gen_sched_op(a, s, c);
		break;
	case 3:
	case 4:
		gen_vcpu_op(a, s, c);
		break;
	case 5:
		gen_hvm_op(a, s, c);
		break;
	case 6:
		gen_memory_op(a, s, c);
		break;
	case 7:
	case 8:
		gen_event_channel_op(a, s, c);
		break;
	case 9:
		gen_grant_table_op(a, s, c);
		break;
	case 10:
		c->nr = XEN_HC_SET_TIMER_OP;
		c->arg[0] = one_in(a, 2) ? boundary(a) : below(a, 1000000);
		c->arg[1] = boundary(a);
		break;
	case 11:
		c->nr = XEN_HC_MULTICALL;
		if (in_batch) {         /* nested: refused per entry */
			c->arg[0] = in_ptr(a);
			c->arg[1] = below(a, 4);
		}
		break;
	case 12:
		gen_hvk(a, c);
		break;
	default:
		gen_unknown(a, c);
		break;
	}
}

static void count(struct vcpu_area *a, long rc)
{
	if (rc >= 0)
		a->ok++;
	else
		a->errors++;
}

/* The ring slot of the call a vCPU is making now (a->calls: those done). */
static unsigned long *call_record(struct vcpu_area *a)
{
	return a->last[a->calls % LAST_CALLS];
}

/*
 * verify: which calls may have changed what a check checks every `every`
 * calls: each vCPU's since its last check (the AP's latest perhaps still
 * running), as far as the ring goes, with the entries of its latest
 * multicall.
 */
static void print_last_calls(const struct vcpu_area *self, unsigned long every)
{
	for (unsigned int v = 0; v < nr_vcpus; v++) {
		unsigned long done = areas[v].calls, first = done - done % every;
		const unsigned long *l = NULL;

		if (done - first >= LAST_CALLS) {
			printf(NAME ": vCPU %u's calls %lu to %lu not kept\n", v, first,
			       done - LAST_CALLS);
			first = done - LAST_CALLS + 1;
		}
		for (unsigned long n = first; n <= done; n++) {
			l = areas[v].last[n % LAST_CALLS];
			printf(NAME ": vCPU %u's call %lu: %lu(0x%lx, 0x%lx, 0x%lx, 0x%lx, 0x%lx)%s\n",
			       v, n, l[0], l[1], l[2], l[3], l[4], l[5],
			       n == done && &areas[v] != self ? " (running now; if not yet "
								"started, an older call's)" : "");
		}
		if (!l || l[0] != XEN_HC_MULTICALL)
			continue;
		for (unsigned int k = 0; k < BATCH_SLOTS; k++)
			printf(NAME ":   entry %u: %lu(0x%lx, 0x%lx, 0x%lx, 0x%lx, 0x%lx) = %ld\n",
			       k, (unsigned long)areas[v].batch[k].op,
			       (unsigned long)areas[v].batch[k].args[0],
			       (unsigned long)areas[v].batch[k].args[1],
			       (unsigned long)areas[v].batch[k].args[2],
			       (unsigned long)areas[v].batch[k].args[3],
			       (unsigned long)areas[v].batch[k].args[4],
			       (long)areas[v].batch[k].result);
	}
}

static void verify_tables(struct vcpu_area *a)
{
	/*
	 * Code, GDT and IDT (50 KB) after every 64th call, the page tables
	 * after every verify-th (of this vCPU's, counted from 0, as
	 * print_last_calls() counts).
	 */
	for (unsigned int r = 0; r < 3 && a->calls % 64 == 63; r++) {
		const uint8_t *p = (const uint8_t *)regions[r].base;

		if (!memcmp(p, region_copy[r], regions[r].len))
			continue;
		for (unsigned long i = 0; i < regions[r].len; i++)
			if (p[i] != region_copy[r][i]) {
				/* What changed tells who wrote it (a time area: docs/testing.md). */
				unsigned long n = 0;

				for (unsigned long j = i; j < regions[r].len; j++) {
					if (p[j] == region_copy[r][j])
						continue;
					if (n++ < 16)
						printf(NAME ": %s byte 0x%lx: 0x%x, was 0x%x\n",
						       regions[r].what, regions[r].base + j, p[j],
						       region_copy[r][j]);
				}
				printf(NAME ": %lu bytes of the %s changed\n", n, regions[r].what);
				print_last_calls(a, 64);
				guest_fail(NAME ": %s byte 0x%lx: 0x%x, was 0x%x (after call %lu of vCPU %u)",
					   regions[r].what, regions[r].base + i, p[i],
					   region_copy[r][i], a->calls, (unsigned int)(a - areas));
			}
	}
#ifdef __x86_64__
	if (a->calls % verify != verify - 1)
		return;
	for (unsigned int i = 0; i < TABLE_PAGES * 512; i++) {
		/* The CPU sets Accessed and Dirty as it walks them. */
		if (!((identity_pml4[i] ^ tables_copy[i]) & ~(uint64_t)0x60))
			continue;
		print_last_calls(a, verify);
		guest_fail(NAME ": page-table page %u entry %u: 0x%llx, was 0x%llx (after call %lu "
			   "of vCPU %u)", i / 512, i % 512, (unsigned long long)identity_pml4[i],
			   (unsigned long long)tables_copy[i], a->calls, (unsigned int)(a - areas));
	}
#else
	(void)a;
#endif
}

static void verify_init(void)
{
	struct __attribute__((packed)) { uint16_t limit; unsigned long base; } gdtr, idtr;

	__asm__ volatile("sgdt %0; sidt %1" : "=m"(gdtr), "=m"(idtr));
	regions[0] = (struct region){ CODE_START, ptr(__pv_sites_start) - CODE_START, "code" };
	regions[1] = (struct region){ gdtr.base, gdtr.limit + 1u, "GDT" };
	regions[2] = (struct region){ idtr.base, idtr.limit + 1u, "IDT" };
	for (unsigned int r = 0; r < 3; r++) {
		if (regions[r].len > CODE_MAX)
			guest_fail(NAME ": verify: %s of %lu bytes", regions[r].what, regions[r].len);
		memcpy(region_copy[r], (void *)regions[r].base, regions[r].len);
	}
#ifdef __x86_64__
	/*
	 * The AP's window entry, hooked in here already: the AP writes the
	 * same entry when it starts, which under Bochs came after vCPU 0's
	 * first check (a false "page-table page 4 entry 1" failure).
	 */
	identity_pd[window_va(&areas[1]) / LARGE_PAGE_SIZE] =
		ptr(areas[1].window_pt) | PTE_PRESENT | PTE_WRITABLE;
	memcpy(tables_copy, identity_pml4, sizeof(tables_copy));
#endif
}

static void after_call(struct vcpu_area *a)
{
	if (verify)
		verify_tables(a);
	a->calls++;
	__atomic_add_fetch(&total_calls, 1, __ATOMIC_RELAXED);
#ifdef __x86_64__
	if (a->window_used)
		window_reset(a);
#endif
}

static void run_multicall(struct vcpu_area *a)
{
	unsigned int n = 1 + below(a, MAX_BATCH), cnt;
	unsigned long entries = ptr(a->batch);
	long rc;

	for (unsigned int i = 0; i < BATCH_SLOTS; i++) {
		struct call c;

		if (i < n)
			gen_call(a, i, &c, true);
		else
			c = (struct call){ .nr = XEN_HC_XEN_VERSION };
		a->batch[i].op = c.nr;
		a->batch[i].result = 0;
		for (unsigned int j = 0; j < XEN_MULTICALL_NR_ARGS; j++)
			a->batch[i].args[j] = j < 5 ? c.arg[j] : (unsigned long)rnd(a);
	}
	cnt = one_in(a, 8) ? (one_in(a, 2) ? (unsigned int)boundary(a) : below(a, BATCH_SLOTS + 1))
			   : n;
	if (one_in(a, 16)) {
		entries = bad_input_ptr(a);
	} else if (one_in(a, 16)) {     /* the batch straddling two pages */
		entries = ptr(a->straddle[1]) - sizeof(mc_entry_t) / 2 - sizeof(mc_entry_t);
		memcpy((void *)(uintptr_t)entries, a->batch, sizeof(a->batch));
	}
	/*
	 * Entries past our batch would be the guest's own memory, run as
	 * hypercalls with results written back over it: huge counts only
	 * where the first entry faults.
	 */
	if (entries == ptr(a->batch) || (entries >= ptr(a->straddle) && entries < ptr(a->straddle[2])))
		cnt = cnt < BATCH_SLOTS ? cnt : BATCH_SLOTS;
	call_record(a)[0] = XEN_HC_MULTICALL;
	call_record(a)[1] = entries;
	call_record(a)[2] = cnt;
	call_record(a)[3] = call_record(a)[4] = call_record(a)[5] = 0;
	rc = hypercall2(XEN_HC_MULTICALL, entries, cnt);
	count(a, rc);
	after_call(a);
	if (rc < 0 || entries != ptr(a->batch))
		return;
	for (unsigned int i = 0; i < cnt && i < BATCH_SLOTS; i++)
		count(a, (long)a->batch[i].result);
	a->entries += cnt < BATCH_SLOTS ? cnt : BATCH_SLOTS;
}

static void random_call(struct vcpu_area *a)
{
	struct call c;

	gen_call(a, 0, &c, false);
	if (c.nr == XEN_HC_MULTICALL) {
		run_multicall(a);
		return;
	}
	call_record(a)[0] = c.nr;
	memcpy(&call_record(a)[1], c.arg, sizeof(c.arg));
	count(a, hypercall5(c.nr, c.arg[0], c.arg[1], c.arg[2], c.arg[3], c.arg[4]));
	after_call(a);
}

/* ---- the other hostile things: MSRs, CPUID, ports, MMIO ---- */

static uint32_t random_msr(struct vcpu_area *a)
{
	static const uint32_t bases[] = {
		0x0, 0x10, 0x1b, 0x3a, 0x48, 0x49, 0x8b, 0xfe, 0x174, 0x175, 0x176, 0x179,
		0x17a, 0x1d9, 0x200, 0x250, 0x277, 0x2ff, 0x400, 0x480, 0x6e0, 0x800, 0x808,
		0x80f, 0x830, 0x838, 0x83f, 0xc0000080, 0xc0000081, 0xc0000082, 0xc0000084,
		0xc0000100, 0xc0000101, 0xc0000102, 0xc0000103, 0xc0010000, 0xc0010004,
		0xc0010015, 0xc0010114, 0xc0010117, 0xc0011000, 0x40000000, 0x40000001,
		0x40000100, 0x4b564d00, 0x4b564d01, 0x4b564d02, 0x4b564d03, 0x4b564d04,
	};

	const uint32_t nr = sizeof(bases) / sizeof(bases[0]);
	uint32_t lo = msr_lo < nr ? msr_lo : nr - 1, hi = msr_hi < nr ? msr_hi : nr - 1;

	if (one_in(a, 4) && !msr_range)
		return (uint32_t)rnd(a);
	if (msr_range)          /* bisecting: bases[lo..hi] only, no neighbours */
		return bases[lo + below(a, hi >= lo ? hi - lo + 1 : 1)];
	return bases[below(a, nr)] + (one_in(a, 2) ? below(a, 16) : 0);
}

/* An NMI IPI, to whichever vCPU: the AP may be starting unless ap_ready. */
static bool nmi_allowed(const struct vcpu_area *a)
{
	return a != &areas[0] || ap_ready;
}

#define FUZZ_CR4_PAE            0x20            /* CR4 bit 5 */
#define FUZZ_EFER_LME           0x100ull        /* EFER bit 8 */

/* Values that would kill the guest itself are tamed; the rest is undone. */
static void msr_op(struct vcpu_area *a)
{
	uint32_t msr = random_msr(a);
	uint64_t old, v = one_in(a, 2) ? boundary(a) : rnd(a);
	bool readable = !rdmsr_gp(msr, &old);

	a->msrs++;
	if (one_in(a, 2))
		return;
	if (readable && one_in(a, 2))
		v = old ^ (1ull << below(a, 64));
	switch (msr) {
	case XEN_HYPERCALL_PAGE_MSR:     /* writes a page: ours, or refused */
		v = one_in(a, 2) ? ptr(hcall_page) : (ram_end + (v & 0xfffff000)) | (v & 0xfff);
		break;
	case 0x830:                     /* x2APIC ICR: no INIT/SIPI/SMI to anyone */
		if (((v >> 8) & 7) != 0 && (((v >> 8) & 7) != 4 || !nmi_allowed(a)))
			v &= ~0x700ull;
		break;
	case 0x4b564d00: case 0x4b564d01: case 0x4b564d03: case 0x4b564d04:
	case 0x11: case 0x12:           /* KVM's clock MSRs: a frame of ours or none */
		v = one_in(a, 2) ? ptr(a->regs[3]) | (v & 1) : (ram_end + (v & 0xffff000)) | 1;
		break;
	case 0xc0000080: {              /* EFER */
		unsigned long cr4;

		/*
		 * EFER.LME with paging and CR4.PAE off is legal (Xen and hvk
		 * accept it), but QEMU TCG's nested #VMEXIT reloads the host's
		 * CR0 while this EFER and CR4 are still current, and its CR0
		 * update silently refuses paging with LME set and PAE clear:
		 * the L1 hypervisor then runs on without paging and dies
		 * (target/i386/tcg/sysemu/svm_helper.c do_vmexit; see
		 * docs/testing.md).  Not an hvk defect, so not fuzzed here.
		 */
		__asm__ volatile("mov %%cr4, %0" : "=r"(cr4));
		if (!(cr4 & FUZZ_CR4_PAE))
			v &= ~FUZZ_EFER_LME;
		break;
	}
	}
	if (!wrmsr_gp(msr, v) && readable && msr != XEN_HYPERCALL_PAGE_MSR)
		wrmsr_gp(msr, old);
}

static void cpuid_op(struct vcpu_area *a)
{
	uint32_t leaf = one_in(a, 4) ? (uint32_t)rnd(a)
			: (uint32_t)PICK(a, 0, 0x40000000, 0x40000100, 0x80000000) + below(a, 0x24);

	(void)cpuid_count(leaf, one_in(a, 2) ? below(a, 4) : (uint32_t)rnd(a));
	a->cpuids++;
}

static void port_op(struct vcpu_area *a)
{
	uint16_t port = one_in(a, 2) ? (uint16_t)rnd(a)
			: (uint16_t)PICK(a, 0x20, 0x21, 0x40, 0x43, 0x60, 0x61, 0x64, 0x70, 0x71,
					 0x80, 0xcf8, 0xcfc, 0x3f8, 0x5e0, 0xe9, 0x600, 0x602,
					 0xb2, 0xcf9, 0x510);
	bool write = one_in(a, 2);
	uint32_t v = (uint32_t)rnd(a);

	a->pios++;
	if (write && (port == 0xe9 || (port >= 0x5fd && port <= 0x602)))
		write = false;          /* console noise; power-off and reset */
	switch (below(a, 3)) {
	case 0:
		if (write)
			outb(port, (uint8_t)v);
		else
			(void)inb(port);
		break;
	case 1:
		if (write)
			outw(port, (uint16_t)v);
		else
			(void)inw(port);
		break;
	default:
		if (write)
			outl(port, v);
		else
			(void)inl(port);
		break;
	}
}

/* An xAPIC register value that hurts no vCPU: no INIT/SIPI to vCPU 0. */
static uint32_t lapic_value(struct vcpu_area *a, unsigned int reg)
{
	uint32_t v = one_in(a, 2) ? (uint32_t)boundary(a) : (uint32_t)rnd(a);
	volatile uint32_t *icr_hi = (volatile uint32_t *)(LAPIC_BASE + 0x310);

	if (reg != 0x300)
		return v;
	switch ((v >> 8) & 7) {
	case 5:         /* INIT: only to the AP by physical ID, no shorthand */
		if (nr_vcpus < 2 || a != &areas[0] || !one_in(a, 64))
			break;
		ap_ready = false;
		*icr_hi = 1u << 24;
		a->inits++;
		return (v & ~0xcf800u) | 0x4500;        /* assert, physical, no shorthand */
	case 4:         /* NMI: only while the AP can take one (ap_ready) */
		return nmi_allowed(a) ? v : v & ~0x700u;
	case 0:
	case 1:         /* fixed, lowest priority: fine */
		return v;
	}
	return v & ~0x700u;
}

static void lapic_op(struct vcpu_area *a)
{
	unsigned int reg = one_in(a, 8) ? below(a, PAGE) & ~3u : below(a, 64) * 16;
	volatile uint32_t *p = (volatile uint32_t *)(LAPIC_BASE + reg);

	a->mmios++;
	/* Not the ID register: INIT "to the AP" must never reach vCPU 0. */
	if (one_in(a, 2) || reg == 0x20)
		(void)*p;
	else
		*p = lapic_value(a, reg);
}

/* MMIO outside RAM: unclaimed, answered by the kernel (--xen: ignore). */
static void mmio_op(struct vcpu_area *a)
{
	unsigned long addr = (unsigned long)ram_end + (unsigned long)(rnd(a) % ((1ull << 32) - ram_end));
	bool write = one_in(a, 2);
	uint64_t v = rnd(a);

	if ((addr & ~(PAGE - 1)) == LAPIC_BASE)
		return;
#ifdef __x86_64__
	if (addr >= WINDOW_VA && addr < WINDOW_VA + MAX_VCPUS * LARGE_PAGE_SIZE)
		return;                 /* our windows: RAM and read-only tables */
#endif
	if (one_in(a, 4))
		addr = PICK(a, 0xfec00000, 0xfed00000, 0xfee01000, 0xfffffffc, 0xfeffffff,
			    (unsigned long)ram_end, BEYOND_RAM + 0xffe);
	a->mmios++;
	switch (below(a, 3)) {
	case 0:
		if (write)
			*(volatile uint8_t *)addr = (uint8_t)v;
		else
			(void)*(volatile uint8_t *)addr;
		break;
	case 1:
		if (write)
			*(volatile uint16_t *)addr = (uint16_t)v;
		else
			(void)*(volatile uint16_t *)addr;
		break;
	default:
		if (write)
			*(volatile uint32_t *)addr = (uint32_t)v;
		else
			(void)*(volatile uint32_t *)addr;
		break;
	}
}

static void hostile_step(struct vcpu_area *a)
{
	unsigned int w = below(a, 100);

	if (w < 80) {
		if (!(skip & 1))
			random_call(a);
	} else if (w < 86) {
		if (!(skip & 2))
			msr_op(a);
	} else if (w < 89) {
		if (!(skip & 4))
			cpuid_op(a);
	} else if (w < 93) {
		if (!(skip & 8))
			port_op(a);
	} else if (w < 97) {
		if (!(skip & 16))
			lapic_op(a);
	} else if (!(skip & 32)) {
		mmio_op(a);
	}
	if (skip & 1)
		after_call(a);          /* counts steps instead */
}

/* ---- the command line: "key=N" or "word", separated by spaces or commas ---- */

static const char *option(const char *key)
{
	const char *p = boot_cmdline();
	size_t len = strlen(key);

	for (; *p; p++)
		if ((p == boot_cmdline() || p[-1] == ' ' || p[-1] == ',') && !strncmp(p, key, len) &&
		    (p[len] == '=' || p[len] == ',' || p[len] == ' ' || !p[len]))
			return p + len;
	return NULL;
}

static uint64_t option_number(const char *key, uint64_t dflt)
{
	const char *p = option(key);
	uint64_t v = 0;

	if (!p || *p++ != '=' || *p < '0' || *p > '9')
		return dflt;
	while (*p >= '0' && *p <= '9')
		v = v * 10 + (uint64_t)(*p++ - '0');
	return v;
}

/* ---- the vCPUs ---- */

static void vcpu_setup(struct vcpu_area *a)
{
	idt_set_gate(GP_VECTOR, gp_handler, 0);
	idt_set_gate(NMI_VECTOR, nmi_handler, 0);
	idt_set_gate(DB_VECTOR, db_handler, 0);
#ifdef __x86_64__
	/*
	 * CR0.WP: without it (the PVH entry state) supervisor writes ignore
	 * read-only pages, for the hypervisor's copies to guest-virtual
	 * addresses as for the CPU (Xen's guest walk and hvk's honour WP
	 * alike), and the window's read-only page tables would be written.
	 */
	__asm__ volatile("mov %%cr0, %%rax; or $0x10000, %%rax; mov %%rax, %%cr0" : : : "rax", "memory");
	window_init(a);
#else
	(void)a;
#endif
}

static void ap_main(unsigned int id, unsigned long unused)
{
	struct vcpu_area *a = &areas[1];

	(void)unused;
	if (id != 1)
		guest_fail(NAME ": an AP started with id %u", id);
	a->starts++;
	ap_ready = true;        /* smp_ap_start() loaded the IDT */
	vcpu_setup(a);
	while (!stopping) {
		hostile_step(a);
		if (one_in(a, 4096))
			count(a, hc_vcpu_op(XEN_VCPUOP_DOWN, 1, 0));
	}
	for (;;)
		hc_vcpu_op(XEN_VCPUOP_DOWN, 1, 0);
}

/*
 * vCPU 0: the AP back up when it went down (by itself, us, or INIT): either
 * resumed where it stopped (VCPUOP_up), or started afresh, which takes an
 * INIT first when it ran before: a vCPU keeps its state until then, as on
 * Xen (VCPUOP_initialise answers -EEXIST).  The INIT goes through the
 * xAPIC page; in x2APIC mode it is lost, initialise fails and up resumes.
 */
static void restart_ap(struct vcpu_area *a)
{
	struct xen_vcpu_hvm_context *ctx = (void *)slot_mem(a, 0);
	volatile uint32_t *icr = (volatile uint32_t *)(LAPIC_BASE + 0x300);

	if (nr_vcpus < 2 || hc_vcpu_op(XEN_VCPUOP_IS_UP, 1, 0) != 0)
		return;
	if (areas[1].starts && one_in(a, 2)) {
		hc_vcpu_op(XEN_VCPUOP_UP, 1, 0);
		return;
	}
	if (areas[1].starts) {
		ap_ready = false;
		icr[4] = 1u << 24;              /* ICR high: APIC ID 1 */
		*icr = 0x4500;                  /* INIT, assert, physical */
		a->inits++;
	}
	good_context(a, ctx);
	hc_vcpu_op(XEN_VCPUOP_INITIALISE, 1, ctx);
	hc_vcpu_op(XEN_VCPUOP_UP, 1, 0);
}

static void setup_xen(void)
{
	physmap_t x = { .domid = XEN_DOMID_SELF, .space = XEN_XENMAPSPACE_SHARED_INFO,
			.gpfn = ptr(shinfo_pages[0]) / PAGE };

	shinfo_va = ptr(shinfo_pages[0]);
	if (hypercall2(XEN_HC_MEMORY_OP, XEN_XENMEM_ADD_TO_PHYSMAP, ptr(&x)) < 0)
		printf(NAME ": shared_info not mapped\n");
	if (wrmsr_gp(XEN_HYPERCALL_PAGE_MSR, ptr(hcall_page)))
		printf(NAME ": no hypercall page (run it with hvk run --xen)\n");
}

/*
 * repro-poll: the bug gen_sched_op() found, alone.  A batch of two polls:
 * the first waits (no ports, a timeout in the past, so it ends at once),
 * the second fails (-EFAULT: its port list unreadable).  Xen runs the
 * second after the first's wait: [0, -EFAULT].  hvk used to run the second
 * first, which ended the first's wait and left the vCPU halted for ever.
 */
static void repro_poll(void)
{
	static poll_t polls[2];
	static mc_entry_t mc[2];
	long rc;

	polls[0] = (poll_t){ .ports = 0, .nr_ports = 0, .timeout = 1 };
	polls[1] = (poll_t){ .ports = BEYOND_RAM, .nr_ports = 1, .timeout = 0 };
	for (unsigned int i = 0; i < 2; i++)
		mc[i] = (mc_entry_t){ .op = XEN_HC_SCHED_OP,
				      .args = { XEN_SCHEDOP_POLL, ptr(&polls[i]) } };
	rc = hypercall2(XEN_HC_MULTICALL, ptr(mc), 2);
	printf(NAME ": repro-poll: multicall %ld, entries %ld %ld\n", rc, (long)mc[0].result,
	       (long)mc[1].result);
	guest_pass();
}

int guest_main(void)
{
	uint64_t seed = option_number("seed", 1);
	struct vcpu_area *bsp = &areas[0];
	unsigned long sum[10] = { 0 };
	uint64_t t0 = rdtsc();

	calls_target = option_number("calls", DEFAULT_CALLS);
	skip = option_number("skip", 0);
	hcskip = option_number("hcskip", 0);
	msr_range = option("msr_lo") || option("msr_hi");
	msr_lo = option_number("msr_lo", 0);
	msr_hi = option_number("msr_hi", ~0ul);
	verify = option("verify") ? option_number("verify", LAST_CALLS) : 0;
	if (verify > LAST_CALLS || (option("verify") && !verify))
		guest_fail(NAME ": verify=N takes 1 to %u (the calls it can name)", LAST_CALLS);
	if (!platform_has_hypercalls())
		guest_fail(NAME ": no hypervisor found, so no hypercalls to fuzz");
	ram_end = boot_ram_end();
	if (!ram_end || ram_end >= (1ull << 32) || ram_end < (8u << 20))
		guest_fail(NAME ": RAM ends at 0x%llx: expected 8 MiB to 4 GiB",
			   (unsigned long long)ram_end);
	donate_base = ram_end - DONATE_FRAMES * PAGE;
#ifdef __x86_64__
	paging_unmap_large(HOLE_VA);
#endif
	nr_vcpus = smp_count_vcpus();
	if (nr_vcpus > MAX_VCPUS)
		nr_vcpus = MAX_VCPUS;
	for (unsigned int i = 0; i < MAX_VCPUS; i++)
		areas[i].rng = (seed ^ (0x9e3779b97f4a7c15ull * (i + 1))) | 1;
	printf(NAME ": seed %llu, %llu hypercalls, %u vCPUs\n", (unsigned long long)seed,
	       (unsigned long long)calls_target, nr_vcpus);
	setup_xen();
	if (option("repro-poll"))
		repro_poll();
	vcpu_setup(bsp);
	verify_init();

	for (unsigned long i = 0; total_calls < calls_target; i++) {
		if (i % 64 == 0)
			restart_ap(bsp);
		if (nr_vcpus > 1 && one_in(bsp, 8192))
			count(bsp, hc_vcpu_op(XEN_VCPUOP_DOWN, 1, 0));
		hostile_step(bsp);
		if (i && i % 100000 == 0)
			printf(NAME ": %lu hypercalls\n", total_calls);
	}
	stopping = true;
	for (unsigned int id = 0; id < nr_vcpus; id++) {
		struct vcpu_area *a = &areas[id];
		unsigned long v[10] = { a->calls, a->entries, a->ok, a->errors, a->msrs, a->cpuids,
					a->pios, a->mmios, a->inits, a->starts };

		printf(NAME ": vCPU %u: %lu hypercalls (+%lu multicall entries), ok %lu, errors %lu; "
		       "%lu MSR, %lu CPUID, %lu port, %lu MMIO accesses; %lu INITs sent, %lu starts\n",
		       id, v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7], v[8], v[9]);
		for (unsigned int k = 0; k < 10; k++)
			sum[k] += v[k];
	}
	printf(NAME ": %lu #GP, %lu NMIs, %lu #DB caught; %llu TSC ticks\n", gp_count, nmi_count,
	       db_count, (unsigned long long)(rdtsc() - t0));
	printf(NAME ": %lu hypercalls (%llu asked), seed %llu\n", sum[0],
	       (unsigned long long)calls_target, (unsigned long long)seed);
	return 0;
}
