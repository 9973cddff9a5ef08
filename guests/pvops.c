/* SPDX-License-Identifier: MIT */
/*
 * pvops (64-bit) / pvops32: one binary that runs natively (QEMU's PVH
 * loader, no hypervisor) and on hvk, through the pv_ops table of lib/pv
 * (docs/pvops.md).  Command line: cpus=N (default 1) starts N-1 APs;
 * batch=off keeps lazy sections from batching.
 *
 *   1. pvops_init() fills the table for the platform: "pvops: platform P".
 *   2. Patching: 32 ops through unpatched sites take 32 trampolines, after
 *      pv_patch_sites() none; a cli site becomes cli + NOPs, a set_pte
 *      site the native store (native) or a call to the hvk function.
 *   3. irq_disable/enable, save_fl/restore_fl through EFLAGS.IF; cpuid and
 *      the control registers against the instructions; port I/O (0x80 and
 *      the debug console at 0xe9).  pvops32 then turns paging on through
 *      write_cr4/cr3/cr0 (4 MiB pages, 1:1).
 *   4. With cpus=N: each AP started through vcpu_up (native: INIT-SIPI-
 *      SIPI; hvk: VCPUOP_initialise + up) reports its per-CPU id and parks
 *      in halt.
 *   5. The MMU: a 4 KiB page table under the 2/4 MiB window at WINDOW_VA,
 *      filled by set_pte in lazy sections and read through (sections below,
 *      multicalls expected with batching on hvk in brackets):
 *        map     64 set_pte                          [2]
 *        remap   64 set_pte + flush_tlb              [2, the flush direct]
 *        fill    3 x 32 + 5 set_pte                  [4]
 *        order   set_pte + invlpg, then console_write [1, before the write]
 *      plus one set_pte + invlpg before and one set_pte + flush_tlb after,
 *      outside lazy sections: 232 set_pte, 236 hvk MMU calls in all.
 *   6. "pvops: all checks passed (platform P, N set_pte in M multicalls)",
 *      then pv shutdown (poweroff).
 */
#include <abi/xen/sched.h>

#include "guest.h"
#include "pv/pv.h"

#ifdef __x86_64__
#define NAME                    "pvops"
#define WINDOW_PTES             512             /* a PD entry: 2 MiB */
#define LARGE_PAGE              0x200000ul
#else
#define NAME                    "pvops32"
#define WINDOW_PTES             1024            /* a PD entry: 4 MiB */
#define LARGE_PAGE              0x400000ul
#endif

#define PAGE                    0x1000ul
#define PTE_P                   (1ul << 0)
#define PTE_W                   (1ul << 1)
#define PTE_PS                  (1ul << 7)      /* a large page in a PD entry */
#define CR0_PE                  (1ul << 0)
#define CR0_PG                  0x80000000ul
#define CR4_PSE                 (1ul << 4)
#define CR4_PAE                 (1ul << 5)
#define EFLAGS_IF               (1ul << 9)

#define WINDOW_VA               0x40000000ul    /* 1 GiB, beyond RAM */
#define TEST_PAGES              64
#define FILL_UPDATES            (3 * LAZY_MMU_BATCH + 5)
#define STAMP                   0x70760000u
#define PATCH_ROUNDS            8               /* x 4 ops */
#define POST_PORT               0x80
#define DEBUGCON_PORT           0xe9
/* Only a failing run waits this long: about 10 s at 3 GHz. */
#define WAIT_TSC_CYCLES         30000000000ull

static uint8_t test_pages[TEST_PAGES][PAGE] __attribute__((aligned(PAGE)));
static pte_t window_pt[WINDOW_PTES] __attribute__((aligned(PAGE)));
static volatile unsigned int aps_arrived;
static unsigned long set_ptes;          /* pv set_pte calls made */

static uint32_t stamp(unsigned int page)
{
	return STAMP ^ page;
}

/* ---- 2. Patching ---- */

/* Hold one site each, for pv_site_find(). */
static __attribute__((noinline, noclone)) void probe_irq_disable(void)
{
	pv_irq_disable();
}

static __attribute__((noinline, noclone)) void probe_set_pte(pte_t *ptep, pte_t v)
{
	pv_set_pte(ptep, v);
}

/* 4 ops a round, none of which changes anything. */
static __attribute__((noinline)) unsigned int pv_workload(void)
{
	for (unsigned int i = 0; i < PATCH_ROUNDS; i++) {
		pv_restore_fl(pv_save_fl());
		pv_read_cr3();
		pv_cpuid(0, 0);
	}
	return PATCH_ROUNDS * 4;
}

static unsigned int trampolines_taken(void)
{
	uint32_t before = pv_tramp_hits;
	unsigned int ops = pv_workload();
	unsigned int taken = pv_tramp_hits - before;

	pv_printf(NAME ": %u ops took %u trampolines\n", ops, taken);
	return taken;
}

#define SITE_TEXT               32

/* "e8 1b 2b 00 00": the site's bytes as they are now. */
static void site_bytes(const struct pv_site *s, char out[SITE_TEXT])
{
	const uint8_t *code = (const uint8_t *)s->addr;
	size_t used = 0;

	out[0] = '\0';
	for (unsigned int i = 0; i < s->len && used < SITE_TEXT; i++)
		used += snprintf(out + used, SITE_TEXT - used, "%s%02x", i ? " " : "",
				 code[i]);
}

static void expect_calls(const struct pv_site *s, const void *target, const char *what)
{
	expect_true(pv_site_call_target(s) == target,
		    "%s site at %p calls %p, expected %s at %p", pv_op_name(s->op),
		    (void *)s->addr, pv_site_call_target(s), what, target);
}

static void expect_inline(const struct pv_site *s)
{
	unsigned int len = 0;
	const uint8_t *t = pv_native_template(s->op, &len);

	expect_true(t && !memcmp((void *)s->addr, t, len),
		    "%s site at %p holds the native instructions", pv_op_name(s->op),
		    (void *)s->addr);
}

static void check_patching(void)
{
	const struct pv_site *cli = pv_site_find(PV_OP_IRQ_DISABLE, probe_irq_disable);
	const struct pv_site *pte = pv_site_find(PV_OP_SET_PTE, probe_set_pte);
	char cli_was[SITE_TEXT], pte_was[SITE_TEXT], cli_now[SITE_TEXT], pte_now[SITE_TEXT];
	struct pv_patch_stats st;

	expect_true(cli && pte, "sites of probe_irq_disable and probe_set_pte found");
	expect_calls(cli, pv_trampoline(PV_OP_IRQ_DISABLE), "its trampoline");
	expect_calls(pte, pv_trampoline(PV_OP_SET_PTE), "its trampoline");
	expect_eq(trampolines_taken(), PATCH_ROUNDS * 4, "trampolines before patching");
	site_bytes(cli, cli_was);
	site_bytes(pte, pte_was);
	st = pv_patch_sites();
	site_bytes(cli, cli_now);
	site_bytes(pte, pte_now);
	pv_printf(NAME ": patched %u sites: %u inline, %u calls\n", st.sites, st.inlined,
		  st.calls);
	expect_eq(trampolines_taken(), 0, "trampolines after patching");
	pv_printf(NAME ": irq_disable site: %s -> %s\n", cli_was, cli_now);
	pv_printf(NAME ": set_pte site:     %s -> %s\n", pte_was, pte_now);
	expect_inline(cli);
	if (pv_ops.set_pte == pv_native_ops.set_pte)
		expect_inline(pte);
	else
		expect_calls(pte, (const void *)pv_ops.set_pte, "the table's set_pte");
}

/* ---- 3. CPU ops ---- */

static bool interrupts_on(void)
{
	return pv_save_fl() & EFLAGS_IF;
}

static void check_irq_flags(void)
{
	unsigned long off = pv_save_fl(), on;

	expect_true(!(off & EFLAGS_IF), "IF clear at start");
	pv_irq_enable();
	on = pv_save_fl();
	expect_true(on & EFLAGS_IF, "IF set after irq_enable");
	pv_irq_disable();
	expect_true(!interrupts_on(), "IF clear after irq_disable");
	pv_restore_fl(on);
	expect_true(interrupts_on(), "IF set after restore_fl(on)");
	pv_restore_fl(off);
	expect_true(!interrupts_on(), "IF clear after restore_fl(off)");
}

static void check_cpu_ops(void)
{
	struct cpuid_regs pv = pv_cpuid(0, 0), insn = cpuid(0);
	unsigned long cr0 = pv_read_cr0(), cr3 = pv_read_cr3(), cr4 = pv_read_cr4();

	expect_true(!memcmp(&pv, &insn, sizeof(pv)), "pv cpuid(0) = the instruction's");
	expect_eq(pv_read_cr2(), read_cr2(), "read_cr2");
	expect_true(cr0 & CR0_PE, "CR0.PE set");
#ifdef __x86_64__
	expect_true((cr0 & CR0_PG) && (cr4 & CR4_PAE), "CR0.PG and CR4.PAE in long mode");
#endif
	/* Each register written back as read must read the same. */
	pv_write_cr0(cr0);
	expect_eq(pv_read_cr0(), cr0, "CR0 after writing it back");
	pv_write_cr4(cr4);
	expect_eq(pv_read_cr4(), cr4, "CR4 after writing it back");
	pv_write_cr3(cr3);
	expect_eq(pv_read_cr3(), cr3, "CR3 after writing it back");
}

/* 0x80 swallows writes on both; the debug console reads back 0xe9. */
static void check_port_io(void)
{
	static const char line[] = NAME ": this line went out by pv outb to port 0xe9\n";

	pv_outb(POST_PORT, 0x55);
	pv_outl(POST_PORT, 0x12345678);
	expect_eq(pv_inb(DEBUGCON_PORT), DEBUGCON_PORT, "inb from the debug console");
	for (const char *p = line; *p; p++)
		pv_outb(DEBUGCON_PORT, (uint8_t)*p);
}

#ifndef __x86_64__
/* 32-bit paging, 4 MiB pages mapping 4 GiB 1:1 (SDM Vol. 3 §4.3). */
static pte_t page_directory[1024] __attribute__((aligned(PAGE)));

static void paging_enable(void)
{
	for (unsigned long i = 0; i < 1024; i++)
		page_directory[i] = i * LARGE_PAGE | PTE_PS | PTE_W | PTE_P;
	pv_write_cr4(pv_read_cr4() | CR4_PSE);
	pv_write_cr3((uintptr_t)page_directory);
	pv_write_cr0(pv_read_cr0() | CR0_PG);
	expect_true(pv_read_cr0() & CR0_PG, "CR0.PG after write_cr0");
	pv_printf(NAME ": paging on, 4 MiB pages, CR3 %p\n", (void *)pv_read_cr3());
}
#endif

/* ---- 4. APs ---- */

static void ap_main(unsigned int id, unsigned long arg)
{
	unsigned int cpu = pv_cpu_id();

	pv_printf(NAME ": AP %u up, per-CPU id %u, CR3 %p\n", id, cpu,
		  (void *)pv_read_cr3());
	if (cpu != id || arg != id)
		guest_fail(NAME ": AP %u: per-CPU id %u, arg %lu", id, cpu, arg);
	__atomic_add_fetch(&aps_arrived, 1, __ATOMIC_RELEASE);
	for (;;)
		pv_halt();
}

static void wait_arrivals(unsigned int n)
{
	uint64_t start = rdtsc();

	while (__atomic_load_n(&aps_arrived, __ATOMIC_ACQUIRE) < n)
		if (rdtsc() - start > WAIT_TSC_CYCLES)
			guest_fail(NAME ": %u of %u APs arrived", aps_arrived, n);
}

static void check_vcpus(unsigned int cpus)
{
	if (cpus < 2) {
		pv_printf(NAME ": 1 CPU (cpus=N starts N-1 APs)\n");
		return;
	}
	expect_true(cpus <= PV_MAX_CPUS, "cpus=%u at most %u", cpus, PV_MAX_CPUS);
	for (unsigned int id = 1; id < cpus; id++) {
		expect_eq(pv_start_vcpu(id, ap_main, id), 0, "vcpu_up(%u)", id);
		wait_arrivals(id);
	}
	pv_printf(NAME ": %u AP%s started through pv vcpu_up\n", cpus - 1,
		  cpus > 2 ? "s" : "");
}

/* ---- 5. The MMU ---- */

#ifdef __x86_64__
extern uint64_t identity_pd[];          /* x86_64/longmode.S: 2 MiB pages */

static pte_t *window_pde(void)
{
	return (pte_t *)&identity_pd[WINDOW_VA / LARGE_PAGE];
}
#else
static pte_t *window_pde(void)
{
	return &page_directory[WINDOW_VA / LARGE_PAGE];
}
#endif

static void set_window(unsigned int slot, unsigned int page)
{
	pv_set_pte(&window_pt[slot], (uintptr_t)test_pages[page] | PTE_W | PTE_P);
	set_ptes++;
}

static void expect_window(unsigned int slot, unsigned int page, const char *section)
{
	volatile uint32_t *p = (volatile uint32_t *)(WINDOW_VA + slot * PAGE);

	expect_eq(*p, stamp(page), "%s: window page %u (test page %u)", section, slot, page);
}

static unsigned long multicalls(void)
{
	return lazy_mmu_stats().multicalls;
}

/* What a section must have cost: `batched` multicalls if batching, else none. */
static void expect_multicalls(unsigned long before, unsigned long batched,
			      const char *section)
{
	unsigned long want = lazy_mmu_batching() ? batched : 0;

	expect_eq(multicalls() - before, want, "%s: multicalls", section);
}

/* The window's PD entry points at window_pt instead of a large page. */
static void mmu_setup(void)
{
	for (unsigned int i = 0; i < TEST_PAGES; i++)
		*(volatile uint32_t *)test_pages[i] = stamp(i);
	pv_set_pte(window_pde(), (uintptr_t)window_pt | PTE_W | PTE_P);
	set_ptes++;
	pv_invlpg(WINDOW_VA);
}

/* Not-present to present: no flush needed (SDM Vol. 3 §4.10.4.3). */
static void mmu_map(void)
{
	unsigned long mc = multicalls();

	lazy_mmu_begin();
	for (unsigned int i = 0; i < TEST_PAGES; i++)
		set_window(i, i);
	lazy_mmu_end();
	expect_multicalls(mc, 2, "map");
	for (unsigned int i = 0; i < TEST_PAGES; i++)
		expect_window(i, i, "map");
}

/* Present to present: the old translations must go (the queued flush). */
static void mmu_remap(void)
{
	unsigned long mc = multicalls();

	lazy_mmu_begin();
	for (unsigned int i = 0; i < TEST_PAGES; i++)
		set_window(i, TEST_PAGES - 1 - i);
	pv_flush_tlb();
	lazy_mmu_end();
	expect_multicalls(mc, 2, "remap");
	for (unsigned int i = 0; i < TEST_PAGES; i++)
		expect_window(i, TEST_PAGES - 1 - i, "remap");
}

/* A full buffer leaves by itself: 3 x 32 + 5 updates, 4 multicalls. */
static void mmu_fill(void)
{
	unsigned long mc = multicalls();

	lazy_mmu_begin();
	for (unsigned int i = 0; i < FILL_UPDATES; i++)
		set_window(TEST_PAGES + i, i % TEST_PAGES);
	lazy_mmu_end();
	expect_multicalls(mc, 4, "fill");
	for (unsigned int i = 0; i < FILL_UPDATES; i++)
		expect_window(TEST_PAGES + i, i % TEST_PAGES, "fill");
}

/* A non-queueable op (console_write) sends the queue before it runs. */
static void mmu_order(void)
{
	unsigned long mc = multicalls();
	unsigned int queued, left;

	lazy_mmu_begin();
	set_window(0, 5);
	pv_invlpg(WINDOW_VA);
	queued = lazy_mmu_pending();
	pv_printf(NAME ": order: %u queued before this console write\n", queued);
	left = lazy_mmu_pending();
	expect_window(0, 5, "order, still in the lazy section");
	lazy_mmu_end();
	expect_eq(queued, lazy_mmu_batching() ? 2 : 0, "order: queued entries");
	expect_eq(left, 0, "order: entries left after console_write");
	expect_multicalls(mc, 1, "order");
}

/* Back to the large page; the window's 4 KiB translations must go too. */
static void mmu_teardown(void)
{
	pv_set_pte(window_pde(), WINDOW_VA | PTE_PS | PTE_W | PTE_P);
	set_ptes++;
	pv_flush_tlb();
}

static void check_mmu(void)
{
	struct lazy_mmu_stats st;

	mmu_setup();
	mmu_map();
	mmu_remap();
	mmu_fill();
	mmu_order();
	mmu_teardown();
	st = lazy_mmu_stats();
	pv_printf(NAME ": mmu hypercalls: %lu (%lu in %lu multicalls, %lu direct)\n",
		  st.batched + st.direct, st.batched, st.multicalls, st.direct);
}

static const char *batching_mode(void)
{
	if (pv_ops.lazy_mmu_begin == pv_native_ops.lazy_mmu_begin)
		return "unused (native ops are never queued)";
	return lazy_mmu_batching() ? "on (32 entries a multicall)" : "off (batch=off)";
}

int guest_main(void)
{
	bool batch = !cmdline_has_word("batch=off");

	check_name = NAME;
	pvops_init();
	lazy_mmu_set_batching(batch);
	pv_printf(NAME ": platform %s\n", pvops_platform());
	pv_printf(NAME ": lazy MMU batching %s\n", batching_mode());
	check_patching();
	check_irq_flags();
	check_cpu_ops();
	check_port_io();
#ifndef __x86_64__
	paging_enable();
#endif
	check_vcpus(cmdline_number("cpus", 1));
	check_mmu();
	pv_printf(NAME ": all checks passed (platform %s, %lu set_pte in %lu multicalls)\n",
		  pvops_platform(), set_ptes, multicalls());
	pv_shutdown(XEN_SHUTDOWN_POWEROFF);
}
