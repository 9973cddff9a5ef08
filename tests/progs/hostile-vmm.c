/*
 * hostile-vmm: what a VMM (or another thread or process of its user) can
 * throw at /dev/hvk, each a regression test of issue 15's review:
 *
 *   run-page       the run page is the VMM's: a thread rewriting
 *                  console_len while the guest prints must not move the
 *                  kernel's writes; it cannot become guest RAM; only the
 *                  VM's own process maps it, shared, and a fork()ed child
 *                  does not inherit it
 *   huge-regions   region sizes past the host's memory fail before the
 *                  kernel allocates anything for them
 *   readonly-file  a read-only pinned slot on a read-only file mapping is
 *                  released clean (the kernel must not write back a file
 *                  the user may only read)
 *   debug-regs     a guest reads only its own DR0-DR3: not another VM's
 *                  guest's, not the host's hardware breakpoint; the host's
 *                  breakpoint keeps firing after guests ran
 *
 * Output as abi-client: "ok N - what" / "not ok N - what: detail",
 * "skip: why" for what this machine cannot show, a summary line; exit 0
 * only when everything passed.  Built 64- and 32-bit.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/hw_breakpoint.h>
#include <linux/perf_event.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <abi/hvk.h>
#include <abi/xen/hypercall.h>
#include <abi/xen/sched.h>

#include "vmtest.h"

#define PORT_OUT      0x500

/* ---- run-page ---- */

#define CHATTY_BYTES  100000u

/*
 *   mov $0xe9,%dx ; mov $CHATTY_BYTES,%ecx
 * 1: mov $'x',%al ; out %al,(%dx) ; dec %ecx ; jnz 1b
 *   sched_op(shutdown, GUEST_DATA) ; hlt
 */
static const uint8_t chatty_code[] = {
	0x66, 0xba, 0xe9, 0x00,
	0xb9, CHATTY_BYTES & 0xff, (CHATTY_BYTES >> 8) & 0xff, CHATTY_BYTES >> 16, 0,
	0xb0, 'x', 0xee, 0x49, 0x75, 0xfa,
	0xb8, XEN_HC_SCHED_OP, 0, 0, 0,
	0xbb, XEN_SCHEDOP_SHUTDOWN, 0, 0, 0,
	0xb9, GUEST_DATA & 0xff, GUEST_DATA >> 8, 0, 0,
	0x0f, 0x01, 0xc1,
	0xf4,
};

struct scribbler {
	volatile uint32_t *len;
	volatile int stop;
	unsigned long writes;
};

/* Another thread of the VMM: a console length 2 GiB past the buffer. */
static void *scribble(void *arg)
{
	struct scribbler *s = arg;

	while (!s->stop) {
		*s->len = 0x7fff0000u;
		s->writes++;
	}
	return NULL;
}

static void test_console_len_scribbled(void)
{
	struct scribbler s = { 0 };
	unsigned int runs = 0;
	pthread_t thread;
	struct vm vm;
	int rc = 0;

	if (vm_setup(&vm, chatty_code, sizeof(chatty_code), XEN_SHUTDOWN_POWEROFF)) {
		check(0, "chatty VM set up", "%s", strerror(errno));
		return;
	}
	s.len = &vm.run->console_len;
	pthread_create(&thread, NULL, scribble, &s);
	/* Every full console buffer is a return: ~50 of them, each racing. */
	do {
		rc = ioctl(vm.vcpu, HVK_RUN, 0);
		runs++;
	} while (rc == 0 && vm.run->exit_reason == HVK_EXIT_CONSOLE && runs < 10000);
	s.stop = 1;
	pthread_join(thread, NULL);
	check(rc == 0 && vm.run->exit_reason == HVK_EXIT_SHUTDOWN && runs > CHATTY_BYTES / 4096,
	      "a thread rewriting run->console_len while the guest prints: the kernel keeps "
	      "its own length", "rc %d (%s) reason %u after %u runs, %lu rewrites", rc,
	      rc ? strerror(errno) : "-", vm.run->exit_reason, runs, s.writes);
	vm_teardown(&vm);
}

/* Refused with EFAULT; a region wrongly accepted is deleted again. */
static void check_region_efault(int vmfd, struct hvk_memory_region *r, const char *what)
{
	struct hvk_memory_region del = *r;

	check_errno(vmfd, HVK_SET_MEMORY_REGION, r, EFAULT, what);
	del.size = 0;
	ioctl(vmfd, HVK_SET_MEMORY_REGION, &del);
}

static void test_run_page_as_ram(void)
{
	struct hvk_memory_region r = { .slot = 1, .guest_phys = 0x400000, .size = 4096 };
	struct vm vm, other;

	if (vm_setup(&vm, chatty_code, sizeof(chatty_code), 0) ||
	    vm_setup(&other, chatty_code, sizeof(chatty_code), 0)) {
		check(0, "two VMs set up", "%s", strerror(errno));
		return;
	}
	r.user_addr = (uintptr_t)vm.run;
	check_region_efault(vm.fd, &r, "the vCPU's own run page as guest RAM -> EFAULT");
	r.flags = HVK_MEM_READONLY;
	check_region_efault(vm.fd, &r, "... as read-only guest RAM -> EFAULT");
	r.flags = 0;
	r.user_addr = (uintptr_t)other.run;
	check_region_efault(vm.fd, &r, "another VM's run page as guest RAM -> EFAULT");
	vm_teardown(&other);
	vm_teardown(&vm);
}

/* Is @addr in a mapping of this process (/proc/self/maps)? */
static bool mapped_here(const void *addr)
{
	FILE *f = fopen("/proc/self/maps", "r");
	unsigned long long start, end;
	char line[512];
	bool found = false;

	while (f && !found && fgets(line, sizeof(line), f))
		found = sscanf(line, "%llx-%llx", &start, &end) == 2 &&
			(uintptr_t)addr >= start && (uintptr_t)addr < end;
	if (f)
		fclose(f);
	return found;
}

static void test_run_page_mappings(void)
{
	struct vm vm;
	void *p;
	pid_t pid;
	int status;

	if (vm_setup(&vm, chatty_code, sizeof(chatty_code), 0)) {
		check(0, "VM set up", "%s", strerror(errno));
		return;
	}
	p = mmap(NULL, HVK_RUN_MMAP_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE, vm.vcpu, 0);
	check(p == MAP_FAILED && errno == EINVAL, "a private mapping of the run page -> EINVAL",
	      "%s", p == MAP_FAILED ? strerror(errno) : "mapped");
	if (p != MAP_FAILED)
		munmap(p, HVK_RUN_MMAP_SIZE);
	p = mmap(NULL, HVK_RUN_MMAP_SIZE, PROT_READ, MAP_SHARED, vm.vcpu, 0);
	check(p != MAP_FAILED, "a second, read-only shared mapping in the VM's process",
	      "%s", p == MAP_FAILED ? strerror(errno) : "-");
	if (p != MAP_FAILED)
		munmap(p, HVK_RUN_MMAP_SIZE);

	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		void *q = mmap(NULL, HVK_RUN_MMAP_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED,
			       vm.vcpu, 0);

		_exit(q == MAP_FAILED && errno == EIO ? 0 : 1);
	}
	waitpid(pid, &status, 0);
	check(WIFEXITED(status) && WEXITSTATUS(status) == 0,
	      "another process holding the vCPU fd cannot map its run page (EIO)",
	      "status 0x%x", status);

	pid = fork();
	if (pid == 0)
		_exit(mapped_here(vm.run) ? 1 : 0);
	waitpid(pid, &status, 0);
	check(mapped_here(vm.run) && WIFEXITED(status) && WEXITSTATUS(status) == 0,
	      "a fork()ed child does not inherit the run page (the parent keeps it)",
	      "parent %s, child status 0x%x", mapped_here(vm.run) ? "maps it" : "lost it",
	      status);
	vm_teardown(&vm);
}

/* ---- huge-regions ---- */

static uint64_t mem_total_bytes(void)
{
	FILE *f = fopen("/proc/meminfo", "r");
	unsigned long long kib = 0;

	if (f) {
		if (fscanf(f, "MemTotal: %llu kB", &kib) != 1)
			kib = 0;
		fclose(f);
	}
	return kib * 1024;
}

static void test_huge_regions(void)
{
	struct hvk_memory_region r = { .slot = 1, .guest_phys = 1ull << 32 };
	uint64_t total = mem_total_bytes();
	size_t reserve;
	struct vm vm;
	void *p, *low;

	if (vm_setup(&vm, chatty_code, sizeof(chatty_code), 0)) {
		check(0, "VM set up", "%s", strerror(errno));
		return;
	}
	/*
	 * Past what is mapped: refused before a page array is sized for it.
	 * The 2 MiB mapping sits low (at 1 GiB, a hint), so that 64 GiB from
	 * it stays inside the user address space: from an mmap() placed by
	 * ASLR in the top 64 GiB the range would end past TASK_SIZE, which is
	 * EINVAL (CI drew such a placement once).
	 */
	low = mmap((void *)0x40000000ul, 2u << 20, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (low == MAP_FAILED) {
		check(0, "2 MiB mapped", "%s", strerror(errno));
	} else {
		r.user_addr = (uintptr_t)low;
		r.size = 1ull << 36;
		check_errno(vm.fd, HVK_SET_MEMORY_REGION, &r, EFAULT,
			    "64 GiB from a 2 MiB mapping -> EFAULT");
		/*
		 * One ending past the 64-bit user address space is no range at
		 * all (a 32-bit caller cannot name one within the guest width).
		 */
		if (sizeof(void *) == 8) {
			r.user_addr = 0x7ffff0000000ull;
			check_errno(vm.fd, HVK_SET_MEMORY_REGION, &r, EINVAL,
				    "a range ending past the user address space -> EINVAL");
		}
		munmap(low, 2u << 20);
	}
	r.size = (1ull << 47) - 4096;
	r.guest_phys = 0;
	r.slot = 2;
	check_errno(vm.fd, HVK_SET_MEMORY_REGION, &r, EINVAL,
		    "128 TiB: past the guest-physical width -> EINVAL");
	/* Mapped (reserved, never touched) but more than the host has. */
	reserve = total + (total >> 1);
	if (sizeof(void *) == 4 && reserve > 0xc0000000u)
		reserve = 0xc0000000u;
	p = total ? mmap(NULL, reserve, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE,
			 -1, 0) : MAP_FAILED;
	if (p == MAP_FAILED || reserve <= total) {
		printf("skip: huge-regions: cannot reserve more address space than the %llu MiB "
		       "of RAM (%s)\n", (unsigned long long)(total >> 20),
		       p == MAP_FAILED ? strerror(errno) : "32-bit address space");
	} else {
		r.slot = 1;
		r.guest_phys = 1ull << 32;
		r.user_addr = (uintptr_t)p;
		r.size = reserve;
		check_errno(vm.fd, HVK_SET_MEMORY_REGION, &r, ENOMEM,
			    "a mapped region larger than the host's RAM -> ENOMEM");
	}
	if (p != MAP_FAILED)
		munmap(p, reserve);
	vm_teardown(&vm);
}

/* ---- readonly-file ---- */

#define KPF_DIRTY  4

/* The page's flags from /proc/kpageflags (root), or -1. */
static int64_t page_flags(const void *addr)
{
	uint64_t entry, flags;
	int pm = open("/proc/self/pagemap", O_RDONLY);
	int kf = open("/proc/kpageflags", O_RDONLY);
	int64_t ret = -1;

	if (pm >= 0 && kf >= 0 &&
	    pread(pm, &entry, 8, (off_t)((uintptr_t)addr / 4096) * 8) == 8 &&
	    (entry >> 63) && (entry & ((1ull << 55) - 1)) &&
	    pread(kf, &flags, 8, (off_t)(entry & ((1ull << 55) - 1)) * 8) == 8)
		ret = (int64_t)flags;
	if (pm >= 0)
		close(pm);
	if (kf >= 0)
		close(kf);
	return ret;
}

/* A file the test may only read: its own binary (on 9p under QEMU). */
static void test_readonly_file_slot(void)
{
	const char *path = "/proc/self/exe";
	/* Pinned: unpinning is where a page could be released dirty. */
	struct hvk_memory_region r = { .slot = 1, .guest_phys = 0x400000, .size = 4096,
				       .flags = HVK_MEM_READONLY | HVK_MEM_PINNED };
	int fd = open(path, O_RDONLY);
	int64_t before, after;
	struct vm vm;
	void *p;

	if (fd < 0) {
		printf("skip: readonly-file: %s: %s\n", path, strerror(errno));
		return;
	}
	p = mmap(NULL, 4096, PROT_READ, MAP_SHARED, fd, 0);
	close(fd);
	if (p == MAP_FAILED) {
		printf("skip: readonly-file: mmap %s: %s\n", path, strerror(errno));
		return;
	}
	(void)*(volatile char *)p;
	before = page_flags(p);
	if (before < 0 || (before >> KPF_DIRTY & 1)) {
		printf("skip: readonly-file: %s's first page is %s: nothing to observe "
		       "(its file system keeps pages dirty, or no /proc/kpageflags)\n", path,
		       before < 0 ? "not visible in /proc/kpageflags" : "dirty already");
		munmap(p, 4096);
		return;
	}
	if (vm_setup(&vm, chatty_code, sizeof(chatty_code), 0)) {
		check(0, "VM set up", "%s", strerror(errno));
		munmap(p, 4096);
		return;
	}
	r.user_addr = (uintptr_t)p;
	check(ioctl(vm.fd, HVK_SET_MEMORY_REGION, &r) == 0,
	      "a read-only pinned slot on a PROT_READ file mapping", "%s", strerror(errno));
	r.size = 0;
	check(ioctl(vm.fd, HVK_SET_MEMORY_REGION, &r) == 0, "... deleted", "%s",
	      strerror(errno));
	after = page_flags(p);
	check(after >= 0 && !(after >> KPF_DIRTY & 1),
	      "... its page is released clean, not dirty", "kpageflags 0x%llx -> 0x%llx",
	      (unsigned long long)before, (unsigned long long)after);
	vm_teardown(&vm);
	munmap(p, 4096);
}

/* ---- debug-regs ---- */

/*
 *   mov GUEST_DATA+4,%eax ; test %eax,%eax ; jz 1f ; mov %eax,%dr0
 * 1: mov %dr0,%eax ; mov $PORT_OUT,%dx ; out %eax,(%dx) ; jmp 1b
 */
static const uint8_t dr0_code[] = {
	0xa1, (GUEST_DATA + 4) & 0xff, (GUEST_DATA + 4) >> 8, 0, 0,
	0x85, 0xc0,
	0x74, 0x03,
	0x0f, 0x23, 0xc0,
	0x0f, 0x21, 0xc0,
	0x66, 0xba, PORT_OUT & 0xff, PORT_OUT >> 8,
	0xef,
	0xeb, 0xf6,
};

/* A VM whose guest sets DR0 to @dr0 (0: leaves it), then reports it. */
static int dr0_vm(struct vm *vm, uint32_t dr0)
{
	if (vm_setup(vm, dr0_code, sizeof(dr0_code), 0))
		return -1;
	memcpy(vm->ram + GUEST_DATA + 4, &dr0, sizeof(dr0));
	return 0;
}

/* The guest's DR0 as it reads it, or ~0 if the run went otherwise. */
static uint32_t guest_dr0(struct vm *vm)
{
	if (ioctl(vm->vcpu, HVK_RUN, 0) || vm->run->exit_reason != HVK_EXIT_IO ||
	    vm->run->exit.io.port != PORT_OUT)
		return ~0u;
	return vm->run->exit.io.data;
}

static int perf_breakpoint(volatile uint32_t *addr)
{
	struct perf_event_attr attr;

	memset(&attr, 0, sizeof(attr));
	attr.type = PERF_TYPE_BREAKPOINT;
	attr.size = sizeof(attr);
	attr.bp_type = HW_BREAKPOINT_W;
	attr.bp_addr = (uintptr_t)addr;
	attr.bp_len = HW_BREAKPOINT_LEN_4;
	attr.exclude_kernel = 1;
	attr.exclude_hv = 1;
	return syscall(SYS_perf_event_open, &attr, 0, -1, -1, 0);
}

static uint64_t perf_count(int fd)
{
	uint64_t n = ~0ull;

	if (read(fd, &n, sizeof(n)) != sizeof(n))
		n = ~0ull;
	return n;
}

static volatile uint32_t watched;

/* DR6 bits 63:32 would #GP the host where VMX loads it (fuzz-ioctl found it). */
static void test_dr6_high_bits(void)
{
	struct hvk_regs regs;
	struct vm vm;

	if (dr0_vm(&vm, 0)) {
		check(0, "DR0 VM set up", "%s", strerror(errno));
		return;
	}
	memset(&regs, 0, sizeof(regs));
	check(ioctl(vm.vcpu, HVK_VCPU_GET_REGS, &regs) == 0, "GET_REGS", "%s", strerror(errno));
	regs.dr6 = 0x80000000ffff0ff0ull;
	check_errno(vm.vcpu, HVK_VCPU_SET_REGS, &regs, EINVAL,
		    "SET_REGS with DR6 bits 63:32 set -> EINVAL");
	check(guest_dr0(&vm) == 0, "... and the vCPU runs on", "its DR0 read failed");
	vm_teardown(&vm);
}

static void test_debug_registers(void)
{
	test_dr6_high_bits();
	struct vm a, b;
	uint32_t got;
	cpu_set_t one;
	int bp;

	/* Both VMs on one CPU: the registers they would leak through are its. */
	CPU_ZERO(&one);
	CPU_SET(0, &one);
	sched_setaffinity(0, sizeof(one), &one);
	if (dr0_vm(&a, 0x12345678) || dr0_vm(&b, 0)) {
		check(0, "two DR0 VMs set up", "%s", strerror(errno));
		return;
	}
	got = guest_dr0(&a);
	check(got == 0x12345678, "a guest reads back the DR0 it wrote", "0x%x", got);
	got = guest_dr0(&b);
	check(got == 0, "another VM's guest on the same CPU reads its own DR0 (0), "
	      "not the first's", "0x%x", got);
	got = guest_dr0(&a);
	check(got == 0x12345678, "... and the first keeps its own", "0x%x", got);

	bp = perf_breakpoint(&watched);
	if (bp < 0) {
		printf("skip: debug-regs: no hardware breakpoint for the host: %s\n",
		       strerror(errno));
		goto out;
	}
	watched++;
	if (perf_count(bp) != 1) {
		printf("skip: debug-regs: the host's hardware breakpoint does not fire here "
		       "(count %llu): the emulator does not implement them\n",
		       (unsigned long long)perf_count(bp));
		close(bp);
		goto out;
	}
	got = guest_dr0(&b);
	check(got == 0, "a guest does not read the host's breakpoint address in DR0",
	      "0x%x (the breakpoint is at %p)", got, (void *)&watched);
	watched++;
	got = guest_dr0(&a);
	watched++;
	check(perf_count(bp) == 3 && got == 0x12345678,
	      "the host's breakpoint fires after guests ran, one with its own DR0",
	      "count %llu, guest DR0 0x%x", (unsigned long long)perf_count(bp), got);
	close(bp);
out:
	vm_teardown(&b);
	vm_teardown(&a);
}

static const struct {
	const char *name;
	void (*run)(void);
} tests[] = {
	{ "console-len", test_console_len_scribbled },
	{ "run-page-ram", test_run_page_as_ram },
	{ "run-page-map", test_run_page_mappings },
	{ "huge-regions", test_huge_regions },
	{ "readonly-file", test_readonly_file_slot },
	{ "debug-regs", test_debug_registers },
};

/* hostile-vmm [TEST...]: the tests named (all by default), in table order. */
int main(int argc, char **argv)
{
	int dev = dev_open();
	size_t i;
	int a;

	setvbuf(stdout, NULL, _IOLBF, 0);
	for (a = 1; a < argc; a++) {
		for (i = 0; i < sizeof(tests) / sizeof(tests[0]); i++)
			if (!strcmp(argv[a], tests[i].name))
				break;
		if (i == sizeof(tests) / sizeof(tests[0])) {
			fprintf(stderr, "hostile-vmm: no test '%s'\n", argv[a]);
			return 2;
		}
	}
	for (i = 0; i < sizeof(tests) / sizeof(tests[0]); i++) {
		bool wanted = argc == 1;

		for (a = 1; a < argc; a++)
			wanted |= !strcmp(argv[a], tests[i].name);
		if (wanted)
			tests[i].run();
	}
	return vmtest_finish(dev, "hostile-vmm");
}
