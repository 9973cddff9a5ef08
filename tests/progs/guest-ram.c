/*
 * guest-ram: guest RAM follows the VMM's memory as under KVM (issue 13):
 * faulted in page by page on the guest's first access, nothing pinned,
 * and kept coherent with the VMM's page tables by the MMU notifier.
 *
 *   demand      a fresh VM maps exactly the pages its guest touched; no
 *               page is pinned; a region far larger than what the guest
 *               uses costs nothing up front
 *   coherence   what the VMM writes the guest reads, and the other way
 *   dontneed    MADV_DONTNEED on guest RAM: the guest reads zeros after
 *   remap       another page mmap()ed over guest RAM: the guest sees it
 *   fork        a fork()ed VMM child writing its copy changes nothing the
 *               guest sees; the guest's writes still reach the parent
 *   mprotect    guest RAM the VMM made read-only: a clear internal error
 *               (HVK_INTERNAL_RAM_FAULT at the page) when the guest writes
 *               it, and the guest goes on once it is writable again; a
 *               page the guest only reads is mapped read-only instead
 *   running     the host zaps a page while the guest spins on it without
 *               exiting: the guest sees the change
 *   pinned      HVK_MEM_PINNED pins the whole region (and releases it)
 *   huge        RAM the VMM backs with a transparent huge page is mapped
 *               2 MiB at once; MADV_DONTNEED of 4 KiB in it zaps the 2 MiB
 *               and the guest goes on with 4 KiB mappings, reading zeros
 *               in the page dropped
 *   hcall-fault a paging guest's multicall whose batch, or buffer, the
 *               VMM made unreadable or read-only: -EFAULT where Xen answers
 *               it (the batch), or the entry's own -EFAULT (the buffer),
 *               the entries before it run; all well again once restored
 *   userfault   guest RAM whose pages the VMM supplies itself
 *               (userfaultfd, as QEMU's postcopy migration does): the
 *               fault-in waits for the page and the guest reads it; a VMM
 *               that never supplies it waits in the fault, and SIGKILL
 *               still ends it at once
 *
 * The guest (32-bit flat, no paging) loops: count at PROBE+4, read PROBE,
 * and unless it equals the word at HOLD, report it by OUT to port 0x500.
 *
 * Output as abi-client: "ok N - what" / "not ok N - what: detail", a
 * summary line; exit 0 only when everything passed.  Built 64- and 32-bit.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <linux/userfaultfd.h>

#include <abi/hvk.h>
#include <abi/hvk_hypercall.h>
#include <abi/xen/errno.h>
#include <abi/xen/hypercall.h>
#include <abi/xen/multicall.h>
#include <abi/xen/version.h>

#include "vmtest.h"

#define PROBE       0x3000u
#define HOLD        0x4000u
#define NEVER       0xdeadbeefu         /* a HOLD value the probe never has */
#define PAGE        4096u

/*
 *      mov esi, PROBE ; mov edi, HOLD
 * loop: inc dword [esi+4] ; mov eax, [esi] ; cmp eax, [edi] ; je loop
 *      mov dx, 0x500 ; out dx, eax ; jmp loop
 */
static const uint8_t probe_code[] = {
	0xbe, PROBE & 0xff, PROBE >> 8, 0, 0,
	0xbf, HOLD & 0xff, HOLD >> 8, 0, 0,
	0xff, 0x46, 0x04,
	0x8b, 0x06,
	0x3b, 0x07,
	0x74, 0xf7,
	0x66, 0xba, REPORT_PORT & 0xff, REPORT_PORT >> 8,
	0xef,
	0xeb, 0xf0,
};

static volatile uint32_t *word(struct vm *vm, uint32_t gpa)
{
	return (volatile uint32_t *)(vm->ram + gpa);
}

static void test_demand(struct vm *vm)
{
	struct hvk_caps caps = get_caps(vm->dev);
	struct hvk_stats st;
	uint32_t value = 0;
	char why[160] = "";
	int rc;

	check(caps.features & HVK_CAP_DEMAND_MEM, "the module offers HVK_CAP_DEMAND_MEM",
	      "features 0x%x", caps.features);
	check(caps.pages_pinned == 0, "a new VM pins no guest page",
	      "%llu pinned", (unsigned long long)caps.pages_pinned);
	*word(vm, PROBE) = 0x11111111;
	*word(vm, HOLD) = NEVER;
	rc = vm_run_report(vm, &value, why, sizeof(why));
	check(rc == 0 && value == 0x11111111, "the guest reads what the VMM wrote",
	      "%s value 0x%x", why, value);
	st = vm_stats(vm);
	/* The code, PROBE and HOLD pages, each its own. */
	check(st.ram_faults == 3 && st.ram_zaps == 0,
	      "exactly the 3 pages the guest touched were faulted in",
	      "faults %llu zaps %llu", (unsigned long long)st.ram_faults,
	      (unsigned long long)st.ram_zaps);
	caps = get_caps(vm->dev);
	check(caps.pages_pinned == 0, "... and none of them is pinned",
	      "%llu pinned", (unsigned long long)caps.pages_pinned);
}

static void test_coherence(struct vm *vm)
{
	uint32_t before = *word(vm, PROBE + 4), value = 0;
	char why[160] = "";
	int rc;

	*word(vm, PROBE) = 0x12345678;
	rc = vm_run_report(vm, &value, why, sizeof(why));
	check(rc == 0 && value == 0x12345678 && *word(vm, PROBE + 4) == before + 1,
	      "VMM and guest see each other's writes to the same page",
	      "%s value 0x%x, count %u -> %u", why, value, before, *word(vm, PROBE + 4));
}

static void test_dontneed(struct vm *vm)
{
	struct hvk_stats st0 = vm_stats(vm), st;
	uint32_t value = 1;
	char why[160] = "";
	int rc;

	*word(vm, PROBE) = 0x55555555;
	rc = madvise(vm->ram + PROBE, PAGE, MADV_DONTNEED);
	if (!rc)
		rc = vm_run_report(vm, &value, why, sizeof(why));
	st = vm_stats(vm);
	check(rc == 0 && value == 0 && *word(vm, PROBE + 4) == 1,
	      "after MADV_DONTNEED the guest reads zeros (as under KVM)",
	      "%s value 0x%x count %u", why, value, *word(vm, PROBE + 4));
	check(st.ram_zaps == st0.ram_zaps + 1 && st.ram_faults == st0.ram_faults + 1,
	      "... one mapping zapped, one page faulted in again",
	      "zaps +%llu faults +%llu", (unsigned long long)(st.ram_zaps - st0.ram_zaps),
	      (unsigned long long)(st.ram_faults - st0.ram_faults));
}

static void test_remap(struct vm *vm)
{
	uint32_t value = 0;
	char why[160] = "";
	void *p;
	int rc = -1;

	p = mmap(vm->ram + PROBE, PAGE, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
	if (p != MAP_FAILED) {
		*word(vm, PROBE) = 0x22222222;
		rc = vm_run_report(vm, &value, why, sizeof(why));
	} else {
		snprintf(why, sizeof(why), "mmap: %s", strerror(errno));
	}
	check(rc == 0 && value == 0x22222222 && *word(vm, PROBE + 4) == 1,
	      "a page mmap()ed over guest RAM is what the guest sees next",
	      "%s value 0x%x count %u", why, value, *word(vm, PROBE + 4));
}

static void test_fork(struct vm *vm)
{
	uint32_t count, value = 0;
	char why[160] = "";
	int status = -1, rc = -1;
	pid_t pid;

	*word(vm, PROBE) = 0x44444444;
	count = *word(vm, PROBE + 4);
	pid = fork();
	if (pid == 0) {
		*word(vm, PROBE) = 0x33333333;  /* the child's copy only */
		*word(vm, PROBE + 4) = 1000000;
		_exit(0);
	}
	if (pid > 0 && waitpid(pid, &status, 0) == pid)
		rc = vm_run_report(vm, &value, why, sizeof(why));
	check(rc == 0 && status == 0 && value == 0x44444444 &&
	      *word(vm, PROBE + 4) == count + 1,
	      "after fork() the guest keeps the parent's memory; its writes reach the parent",
	      "%s child status %d value 0x%x count %u -> %u", why, status, value, count,
	      *word(vm, PROBE + 4));
}

static void test_mprotect(struct vm *vm)
{
	const struct hvk_exit_internal *in = &vm->run->exit.internal;
	struct hvk_stats st0, st;
	uint32_t value = 0;
	char why[160] = "";
	int rc;

	*word(vm, PROBE) = 0x66666666;
	rc = mprotect(vm->ram + PROBE, PAGE, PROT_READ);
	if (!rc)
		rc = ioctl(vm->vcpu, HVK_RUN, 0);
	check(rc == 0 && vm->run->exit_reason == HVK_EXIT_INTERNAL_ERROR &&
	      in->suberror == HVK_INTERNAL_RAM_FAULT && (in->data[0] & ~0xfffull) == PROBE,
	      "a guest write to RAM the VMM made read-only: HVK_INTERNAL_RAM_FAULT at the page",
	      "rc %d exit %u suberror %u data 0x%llx", rc, vm->run->exit_reason,
	      in->suberror, (unsigned long long)in->data[0]);
	rc = mprotect(vm->ram + PROBE, PAGE, PROT_READ | PROT_WRITE);
	if (!rc)
		rc = vm_run_report(vm, &value, why, sizeof(why));
	check(rc == 0 && value == 0x66666666, "... writable again, the guest goes on",
	      "%s value 0x%x", why, value);
	/* HOLD the guest only reads: mapped read-only, one fault, no error. */
	st0 = vm_stats(vm);
	*word(vm, PROBE) = 0x67676767;
	rc = mprotect(vm->ram + HOLD, PAGE, PROT_READ);
	if (!rc)
		rc = vm_run_report(vm, &value, why, sizeof(why));
	st = vm_stats(vm);
	check(rc == 0 && value == 0x67676767 && st.ram_faults == st0.ram_faults + 1,
	      "a page the VMM made read-only that the guest only reads: mapped read-only",
	      "%s value 0x%x faults +%llu", why, value,
	      (unsigned long long)(st.ram_faults - st0.ram_faults));
	mprotect(vm->ram + HOLD, PAGE, PROT_READ | PROT_WRITE);
}

struct runner {
	struct vm *vm;
	int rc;
	int err;
};

static void *run_thread(void *arg)
{
	struct runner *r = arg;

	r->rc = ioctl(r->vm->vcpu, HVK_RUN, 0);
	r->err = errno;
	return NULL;
}

static void on_alarm(int sig)
{
	(void)sig;
}

static void sleep_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	while (nanosleep(&ts, &ts) && errno == EINTR)
		;
}

/* The guest spins on PROBE inside HVK_RUN while the VMM drops the page. */
static void test_running(struct vm *vm)
{
	struct sigaction sa = { .sa_handler = on_alarm };
	struct runner r = { .vm = vm, .rc = -2 };
	uint32_t moving, settled;
	pthread_t thread;
	int waited = 0;

	sigaction(SIGUSR1, &sa, NULL);
	*word(vm, PROBE) = 0x77777777;
	*word(vm, HOLD) = 0x77777777;
	pthread_create(&thread, NULL, run_thread, &r);
	sleep_ms(200);
	moving = *word(vm, PROBE + 4);
	sleep_ms(200);
	settled = *word(vm, PROBE + 4);
	madvise(vm->ram + PROBE, PAGE, MADV_DONTNEED);
	/* The guest must leave its loop by itself; 20 s of waiting at most. */
	while (r.rc == -2 && waited < 20000) {
		sleep_ms(50);
		waited += 50;
	}
	if (r.rc == -2)
		pthread_kill(thread, SIGUSR1);
	pthread_join(thread, NULL);
	check(settled != moving, "a spinning guest's writes show in the VMM as they happen",
	      "count %u then %u", moving, settled);
	check(r.rc == 0 && vm->run->exit_reason == HVK_EXIT_IO && vm->run->exit.io.data == 0,
	      "a page zapped under a running guest: it reads the new (zero) page",
	      "rc %d (%s) exit %u data 0x%x after %d ms", r.rc, r.rc ? strerror(r.err) : "-",
	      vm->run->exit_reason, vm->run->exit.io.data, waited);
	*word(vm, HOLD) = NEVER;
}

static void test_regions(struct vm *vm)
{
	struct hvk_memory_region r = { .slot = 1, .guest_phys = 1ull << 30 };
	const uint64_t big = 256u << 20, pinned = 4u << 20;
	struct hvk_stats st0 = vm_stats(vm), st;
	struct hvk_caps caps;
	void *p;

	/* 256 MiB the guest never touches: nothing pinned, nothing faulted. */
	p = mmap(NULL, big, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE,
		 -1, 0);
	if (p == MAP_FAILED) {
		check(0, "256 MiB mapped", "%s", strerror(errno));
		return;
	}
	r.user_addr = (uintptr_t)p;
	r.size = big;
	check(ioctl(vm->fd, HVK_SET_MEMORY_REGION, &r) == 0,
	      "a 256 MiB region is accepted", "%s", strerror(errno));
	caps = get_caps(vm->dev);
	st = vm_stats(vm);
	check(caps.pages_pinned == 0 && st.ram_faults == st0.ram_faults,
	      "... and costs no pinned or faulted page", "pinned %llu faults +%llu",
	      (unsigned long long)caps.pages_pinned,
	      (unsigned long long)(st.ram_faults - st0.ram_faults));
	r.size = 0;
	ioctl(vm->fd, HVK_SET_MEMORY_REGION, &r);
	/* HVK_MEM_PINNED: every page now, released with the region. */
	r.size = pinned;
	r.flags = HVK_MEM_PINNED;
	check(ioctl(vm->fd, HVK_SET_MEMORY_REGION, &r) == 0,
	      "an HVK_MEM_PINNED region is accepted", "%s", strerror(errno));
	caps = get_caps(vm->dev);
	check(caps.pages_pinned == pinned / PAGE, "... and pins all its 1024 pages",
	      "pinned %llu", (unsigned long long)caps.pages_pinned);
	r.size = 0;
	r.flags = 0;
	ioctl(vm->fd, HVK_SET_MEMORY_REGION, &r);
	caps = get_caps(vm->dev);
	check(caps.pages_pinned == 0, "... deleted, it pins nothing",
	      "pinned %llu", (unsigned long long)caps.pages_pinned);
	r.flags = 1u << 7;
	r.size = pinned;
	check_errno(vm->fd, HVK_SET_MEMORY_REGION, &r, EINVAL, "an unknown region flag -> EINVAL");
	munmap(p, big);
}

/* "[always]" or "[madvise]": MADV_HUGEPAGE gets transparent huge pages. */
static int thp_enabled(void)
{
	char line[128] = "";
	FILE *f = fopen("/sys/kernel/mm/transparent_hugepage/enabled", "r");

	if (f) {
		if (!fgets(line, sizeof(line), f))
			line[0] = 0;
		fclose(f);
	}
	return strstr(line, "[always]") || strstr(line, "[madvise]");
}

static void test_huge(void)
{
	const size_t huge = 2u << 20;
	struct hvk_memory_region r = { .slot = 0, .guest_phys = 0 };
	struct hvk_caps caps;
	struct hvk_stats st0, st;
	uint8_t *raw, *ram, *old_ram;
	uint32_t value = 0;
	char why[160] = "";
	struct vm vm;
	int rc;

	if (!thp_enabled()) {
		printf("skip: huge: transparent huge pages are off in this kernel\n");
		return;
	}
	if (vm_setup(&vm, probe_code, sizeof(probe_code), 0)) {
		check(0, "VM set up", "%s", strerror(errno));
		return;
	}
	caps = get_caps(vm.dev);
	if (!(caps.hw_features & HVK_HW_GPT_2M)) {
		printf("skip: huge: no 2 MiB nested pages on this CPU (hw_features 0x%x)\n",
		       caps.hw_features);
		vm_teardown(&vm);
		return;
	}
	/* Slot 0 again, from 2 MiB of the VMM's at a 2 MiB boundary. */
	r.size = 0;
	ioctl(vm.fd, HVK_SET_MEMORY_REGION, &r);
	raw = mmap(NULL, 2 * huge, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (raw == MAP_FAILED) {
		check(0, "4 MiB mapped", "%s", strerror(errno));
		vm_teardown(&vm);
		return;
	}
	ram = (uint8_t *)(((uintptr_t)raw + huge - 1) & ~(uintptr_t)(huge - 1));
	madvise(ram, huge, MADV_HUGEPAGE);
	memcpy(ram + GUEST_CODE, probe_code, sizeof(probe_code));
	old_ram = vm.ram;
	vm.ram = ram;
	*word(&vm, PROBE) = 0x88888888;
	*word(&vm, HOLD) = NEVER;
	r.user_addr = (uintptr_t)ram;
	r.size = huge;
	rc = ioctl(vm.fd, HVK_SET_MEMORY_REGION, &r);
	st0 = vm_stats(&vm);
	if (!rc)
		rc = vm_run_report(&vm, &value, why, sizeof(why));
	st = vm_stats(&vm);
	check(rc == 0 && value == 0x88888888 && st.ram_faults - st0.ram_faults == 1 &&
	      st.ram_huge - st0.ram_huge == 1,
	      "RAM backed by a transparent huge page: one fault maps its 2 MiB",
	      "%s value 0x%x faults +%llu huge +%llu", why, value,
	      (unsigned long long)(st.ram_faults - st0.ram_faults),
	      (unsigned long long)(st.ram_huge - st0.ram_huge));
	st0 = st;
	rc = madvise(ram + PROBE, PAGE, MADV_DONTNEED);
	if (!rc)
		rc = vm_run_report(&vm, &value, why, sizeof(why));
	st = vm_stats(&vm);
	check(rc == 0 && value == 0 && st.ram_zaps - st0.ram_zaps == huge / PAGE &&
	      st.ram_huge == st0.ram_huge && st.ram_faults - st0.ram_faults == 3,
	      "4 KiB dropped from it: the 2 MiB mapping goes, the guest reads zeros there "
	      "and faults its 3 pages in 4 KiB each",
	      "%s value 0x%x zaps +%llu huge +%llu faults +%llu", why, value,
	      (unsigned long long)(st.ram_zaps - st0.ram_zaps),
	      (unsigned long long)(st.ram_huge - st0.ram_huge),
	      (unsigned long long)(st.ram_faults - st0.ram_faults));
	vm.ram = old_ram;
	vm_teardown(&vm);
	munmap(raw, 2 * huge);
}

/* A userfaultfd for missing pages in [addr, addr + len): its fd, or -1. */
/*
 * hcall-fault's guest: 4 MiB pages over RAM (a page directory at MC_PD,
 * entry 0 present, writable, accessed, dirty, large), then for ever a
 * multicall of MC_COUNT entries at MC_BATCH (VMCALL: hvk takes it on
 * either vendor), its result reported by OUT to port 0x500.
 */
#define MC_PD       0x5000u
#define MC_BATCH    0x6000u
#define MC_BUF      0x7000u
#define MC_COUNT    2u

static const uint8_t multicall_code[] = {
	0xb8, MC_PD & 0xff, MC_PD >> 8, 0, 0,           /* mov eax, MC_PD */
	0x0f, 0x22, 0xd8,                               /* mov cr3, eax */
	0x0f, 0x20, 0xe0,                               /* mov eax, cr4 */
	0x83, 0xc8, 0x10,                               /* or eax, CR4.PSE */
	0x0f, 0x22, 0xe0,                               /* mov cr4, eax */
	0x0f, 0x20, 0xc0,                               /* mov eax, cr0 */
	0x0d, 0, 0, 0, 0x80,                            /* or eax, CR0.PG */
	0x0f, 0x22, 0xc0,                               /* mov cr0, eax */
	0xb8, XEN_HC_MULTICALL, 0, 0, 0,                /* loop: mov eax, multicall */
	0xbb, MC_BATCH & 0xff, MC_BATCH >> 8, 0, 0,     /* mov ebx, MC_BATCH */
	0xb9, MC_COUNT, 0, 0, 0,                        /* mov ecx, MC_COUNT */
	0x0f, 0x01, 0xc1,                               /* vmcall */
	0x66, 0xba, REPORT_PORT & 0xff, REPORT_PORT >> 8, /* mov dx, 0x500 */
	0xef,                                           /* out dx, eax */
	0xeb, 0xe7,                                     /* jmp loop (25 bytes back) */
};

/* The batch afresh: xen_version(EXTRAVERSION, MC_BUF), then hvk's null. */
static void multicall_reset(struct vm *vm)
{
	struct xen_multicall_entry32 *e = (struct xen_multicall_entry32 *)(vm->ram + MC_BATCH);

	memset(e, 0, MC_COUNT * sizeof(*e));
	e[0].op = XEN_HC_XEN_VERSION;
	e[0].args[0] = XEN_XENVER_EXTRAVERSION;
	e[0].args[1] = MC_BUF;
	e[1].op = HVK_HC_NR(HVK_FAMILY_BASE, HVK_BASE_NULL, 0);
	e[0].result = e[1].result = NEVER;
	memset(vm->ram + MC_BUF, 0, 16);
}

/*
 * One multicall on a fresh batch with @page made @prot for it (no page:
 * nothing changed), then read-write again: 0 and the multicall's result.
 */
static int multicall_under(struct vm *vm, uint8_t *page, int prot, uint32_t *result,
			   char *why, size_t len)
{
	int rc = 0;

	multicall_reset(vm);
	if (page)
		rc = mprotect(page, PAGE, prot);
	if (rc)
		snprintf(why, len, "mprotect: %s", strerror(errno));
	else
		rc = vm_run_report(vm, result, why, len);
	if (page)
		mprotect(page, PAGE, PROT_READ | PROT_WRITE);
	return rc;
}

static void test_hypercall_fault(void)
{
	const struct xen_multicall_entry32 *e;
	uint8_t *batch, *buf;
	uint32_t result = 0;
	char why[160] = "";
	struct vm vm;
	int rc;

	if (vm_setup(&vm, multicall_code, sizeof(multicall_code), 0)) {
		check(0, "hcall-fault: VM set up", "%s", strerror(errno));
		return;
	}
	*word(&vm, MC_PD) = 0xe3;       /* 4 MiB at 0: P, RW, A, D, PS */
	batch = vm.ram + MC_BATCH;
	buf = vm.ram + MC_BUF;
	e = (const struct xen_multicall_entry32 *)batch;

	rc = multicall_under(&vm, NULL, 0, &result, why, sizeof(why));
	check(rc == 0 && result == 0 && e[0].result == 0 && e[1].result == 0 &&
	      !memcmp(buf, "-hvk", 5), "a paging guest's multicall: both entries run",
	      "%s result 0x%x entries 0x%x 0x%x buffer '%.16s'", why, result, e[0].result,
	      e[1].result, (const char *)buf);

	/* The batch unreadable: Xen's answer for a batch it cannot read. */
	rc = multicall_under(&vm, batch, PROT_NONE, &result, why, sizeof(why));
	check(rc == 0 && result == (uint32_t)-XEN_EFAULT && buf[0] == 0 && e[0].result == NEVER,
	      "a batch the VMM made unreadable: -EFAULT, no entry runs",
	      "%s result 0x%x entry 0 0x%x buffer '%.16s'", why, result, e[0].result,
	      (const char *)buf);

	/* Read-only: entry 0 runs, its result cannot be written. */
	rc = multicall_under(&vm, batch, PROT_READ, &result, why, sizeof(why));
	check(rc == 0 && result == (uint32_t)-XEN_EFAULT && !memcmp(buf, "-hvk", 5) &&
	      e[0].result == NEVER && e[1].result == NEVER,
	      "a batch the VMM made read-only: entry 0 runs, then -EFAULT for its result",
	      "%s result 0x%x entries 0x%x 0x%x buffer '%.16s'", why, result, e[0].result,
	      e[1].result, (const char *)buf);

	/* The entry's buffer read-only: that entry's own -EFAULT, the next runs. */
	rc = multicall_under(&vm, buf, PROT_READ, &result, why, sizeof(why));
	check(rc == 0 && result == 0 && e[0].result == (uint32_t)-XEN_EFAULT &&
	      e[1].result == 0 && buf[0] == 0,
	      "an entry's buffer the VMM made read-only: that entry's -EFAULT, the next runs",
	      "%s result 0x%x entries 0x%x 0x%x", why, result, e[0].result, e[1].result);

	rc = multicall_under(&vm, NULL, 0, &result, why, sizeof(why));
	check(rc == 0 && result == 0 && e[0].result == 0 && e[1].result == 0 &&
	      !memcmp(buf, "-hvk", 5), "... all restored: both entries run again",
	      "%s result 0x%x entries 0x%x 0x%x", why, result, e[0].result, e[1].result);
	vm_teardown(&vm);
}

static int uffd_register(void *addr, size_t len, char *why, size_t why_len)
{
	struct uffdio_api api = { .api = UFFD_API };
	struct uffdio_register reg = {
		.range = { .start = (uintptr_t)addr, .len = len },
		.mode = UFFDIO_REGISTER_MODE_MISSING,
	};
	int fd = syscall(SYS_userfaultfd, O_CLOEXEC);

	if (fd < 0) {
		snprintf(why, why_len, "userfaultfd(): %s", strerror(errno));
		return -1;
	}
	if (ioctl(fd, UFFDIO_API, &api) || ioctl(fd, UFFDIO_REGISTER, &reg)) {
		snprintf(why, why_len, "UFFDIO_API/REGISTER: %s", strerror(errno));
		close(fd);
		return -1;
	}
	return fd;
}

struct uffd_server {
	int fd;
	uint32_t fill;          /* the supplied page's first word */
	unsigned int faults;
	uint64_t address, flags;
};

/* Answers one missing-page fault (20 s at most) with a page of its own. */
static void *uffd_serve_one(void *arg)
{
	static uint32_t page[PAGE / 4] __attribute__((aligned(PAGE)));
	struct uffd_server *s = arg;
	struct pollfd pfd = { .fd = s->fd, .events = POLLIN };
	struct uffdio_copy copy = { .len = PAGE, .src = (uintptr_t)page };
	struct uffd_msg msg;

	if (poll(&pfd, 1, 20000) != 1 || read(s->fd, &msg, sizeof(msg)) != sizeof(msg) ||
	    msg.event != UFFD_EVENT_PAGEFAULT)
		return NULL;
	s->faults++;
	s->address = msg.arg.pagefault.address;
	s->flags = msg.arg.pagefault.flags;
	page[0] = s->fill;
	copy.dst = s->address & ~(uint64_t)(PAGE - 1);
	ioctl(s->fd, UFFDIO_COPY, &copy);
	return NULL;
}

/* The child of test_userfault: blocks in a guest page fault never answered. */
static void __attribute__((noreturn)) userfault_never_served(int ready_fd)
{
	char why[160];
	struct vm vm;

	if (vm_setup(&vm, probe_code, sizeof(probe_code), 0))
		_exit(3);
	*word(&vm, HOLD) = NEVER;
	if (uffd_register(vm.ram + PROBE, PAGE, why, sizeof(why)) < 0)
		_exit(4);
	if (write(ready_fd, "r", 1) != 1)
		_exit(5);
	ioctl(vm.vcpu, HVK_RUN, 0);
	_exit(6);               /* HVK_RUN returned: the fault was not waited for */
}

static void test_userfault(void)
{
	struct uffd_server s = { .fill = 0x5a5a5a5a };
	int ready[2], status = 0, reaped = 0, waited = 0;
	uint32_t value = 0;
	char why[160] = "", c;
	pthread_t thread;
	struct vm vm;
	pid_t pid;
	int rc;

	if (vm_setup(&vm, probe_code, sizeof(probe_code), 0)) {
		check(0, "userfault: VM set up", "%s", strerror(errno));
		return;
	}
	*word(&vm, HOLD) = NEVER;
	/* PROBE's page was never touched: missing, so its fault goes to the VMM. */
	s.fd = uffd_register(vm.ram + PROBE, PAGE, why, sizeof(why));
	if (s.fd < 0) {
		printf("skip: userfault: %s\n", why);
		vm_teardown(&vm);
		return;
	}
	pthread_create(&thread, NULL, uffd_serve_one, &s);
	rc = vm_run_report(&vm, &value, why, sizeof(why));
	pthread_join(thread, NULL);
	check(rc == 0 && value == s.fill,
	      "userfault: a guest page the VMM supplies by userfaultfd: the guest reads it",
	      "%s value 0x%x", why, value);
	check(s.faults == 1 && s.address == (uintptr_t)(vm.ram + PROBE) &&
	      (s.flags & UFFD_PAGEFAULT_FLAG_WRITE),
	      "... asked for once, at its page, for writing (a writable slot)",
	      "%u fault(s), at %#llx (PROBE %p), flags %#llx", s.faults,
	      (unsigned long long)s.address, (void *)(vm.ram + PROBE),
	      (unsigned long long)s.flags);
	close(s.fd);
	vm_teardown(&vm);

	if (pipe(ready)) {
		check(0, "userfault: pipe", "%s", strerror(errno));
		return;
	}
	pid = fork();
	if (pid == 0) {
		close(ready[0]);
		userfault_never_served(ready[1]);
	}
	close(ready[1]);
	rc = read(ready[0], &c, 1);
	close(ready[0]);
	sleep_ms(500);
	check(rc == 1 && waitpid(pid, &status, WNOHANG) == 0,
	      "userfault: a VMM whose guest page is never supplied waits in the fault",
	      "child ready %d, status 0x%x", rc, status);
	kill(pid, SIGKILL);
	/* 10 s at most: a child stuck in the kernel is reported, not waited for. */
	while (!(reaped = waitpid(pid, &status, WNOHANG) == pid) && waited < 10000) {
		sleep_ms(20);
		waited += 20;
	}
	check(reaped && WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL,
	      "... and SIGKILL ends it at once",
	      "%s after %d ms, status 0x%x", reaped ? "reaped" : "not reaped", waited, status);
}

int main(void)
{
	int dev = dev_open();
	struct vm vm;

	setvbuf(stdout, NULL, _IOLBF, 0);
	if (vm_setup(&vm, probe_code, sizeof(probe_code), 0)) {
		check(0, "VM set up", "%s", strerror(errno));
		return vmtest_finish(dev, "guest-ram");
	}
	test_demand(&vm);
	test_coherence(&vm);
	test_dontneed(&vm);
	test_remap(&vm);
	test_fork(&vm);
	test_mprotect(&vm);
	test_running(&vm);
	test_regions(&vm);
	vm_teardown(&vm);
	test_huge();
	test_hypercall_fault();
	test_userfault();
	return vmtest_finish(dev, "guest-ram");
}
