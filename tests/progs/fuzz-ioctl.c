/*
 * fuzz-ioctl: a seeded, syzkaller-like fuzzer of /dev/hvk's ioctls (issue 15).
 *
 *   fuzz-ioctl64 [--seed N] [--ops M] [--threads T] [--kick-us U]
 *                [--no-lme-without-pae]
 *
 * T threads (default 3) share tables of /dev/hvk, VM and vCPU fds, guest
 * RAM buffers and extra mappings of vCPU fds, and pick random operations:
 * every ioctl of include/abi/hvk.h on every kind of fd (and random ioctl
 * numbers), with valid, random and boundary arguments at valid, NULL,
 * read-only, unmapped and page-straddling addresses; memory regions with odd
 * slots, bases, sizes, flags and backings (anonymous, read-only, a shared
 * file mapping, unmapped); mmap/munmap of vCPU fds with odd sizes, offsets,
 * protections and flags; HVK_RUN of small hand-assembled 32-bit guests or
 * random bytes, ended by a kicker thread's SIGUSR1 (or immediate_exit); fds
 * closed in any order, also while another thread runs them; forked children
 * that run a vCPU and are SIGKILLed mid-HVK_RUN.
 *
 * Seeding: each thread's xorshift64* stream is derived from the seed, so
 * --threads 1 replays one sequence of operations (timing aside); with more
 * threads the interleaving differs from run to run.
 *
 * Among the paths: issue 15's defects, each fixed with a regression test of
 * its own (tests/progs/hostile-vmm.c): scribbling on the run page while
 * HVK_RUN runs, the run page or a read-only file mapping as guest RAM,
 * region sizes whose page array would exceed INT_MAX.
 *
 * Checks, apart from the kernel log and counters the test script reads:
 * an errno outside what the ABI returns (a kernel-internal one such as
 * ERESTARTSYS leaking), a HVK_RUN that returns 0 with an unknown exit
 * reason, an ioctl that returns neither -1 nor 0 (nor an fd where one is
 * created), and the module's counters after everything is closed.
 *
 * Output: "fuzz-ioctl: seed N" first, "fuzz-ioctl: N operations, seed S"
 * last; exit 0 when no check failed, 1 otherwise, 2 on a usage error.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <abi/hvk.h>
#include <abi/xen/hypercall.h>
#include <abi/xen/sched.h>

#include "vmtest.h"

#define PAGE            4096u
#define MAX_THREADS     8
#define MAX_DEVS        4
#define MAX_VMS         6
#define MAX_VCPUS       12
#define MAX_BUFS        10
#define MAX_MAPS        12
#define BUF_SIZE        (2u << 20)      /* guest RAM buffers: RAM_SIZE */
#define HOLE_SIZE       (16u << 20)     /* reserved PROT_NONE: unmapped memory */
#define KICK_US         1000            /* SIGUSR1 to every thread this often */
#define MAX_FAILS       20

/* ---- the PRNG: xorshift64*, one stream per thread ---- */

struct rng {
	uint64_t s;
};

static uint64_t rnd(struct rng *r)
{
	uint64_t x = r->s;

	x ^= x >> 12;
	x ^= x << 25;
	x ^= x >> 27;
	r->s = x;
	return x * 0x2545f4914f6cdd1dull;
}

static uint32_t below(struct rng *r, uint32_t n)
{
	return (uint32_t)((rnd(r) >> 32) % n);
}

static bool one_in(struct rng *r, uint32_t n)
{
	return below(r, n) == 0;
}

static uint64_t pick64(struct rng *r, const uint64_t *v, unsigned int n)
{
	return v[below(r, n)];
}

#define PICK(r, ...) ({                                                 \
	const uint64_t v_[] = { __VA_ARGS__ };                          \
	pick64(r, v_, sizeof(v_) / sizeof(v_[0]));                      \
})

/* A boundary value more often than a random one. */
static uint64_t boundary(struct rng *r)
{
	switch (below(r, 4)) {
	case 0:
		return rnd(r);
	case 1:
		return rnd(r) & 0xffff;
	default:
		return PICK(r, 0, 1, 2, 7, 0xfff, 0x1000, 0x1001, 0x7fffffff, 0x80000000,
			    0xffffffff, 0x100000000ull, 1ull << 52, 1ull << 63, ~0ull,
			    ~0ull - 0xfff, 0xffff800000000000ull);
	}
}

/* ---- shared state ---- */

enum buf_kind { BUF_ANON, BUF_RO, BUF_FILE, BUF_FILE_RO, NR_BUF_KINDS };

struct vcpu_ent {
	int fd, vm;
	struct hvk_run *run;    /* primary mapping, or NULL; unmapped only with the entry */
};

static struct {
	pthread_mutex_t lock;
	int dev[MAX_DEVS];
	int vm[MAX_VMS];
	struct vcpu_ent vcpu[MAX_VCPUS];
	struct { uint8_t *p; size_t len; enum buf_kind kind; } buf[MAX_BUFS];
	struct { void *p; size_t len; } map[MAX_MAPS];
} T = { .lock = PTHREAD_MUTEX_INITIALIZER };

static uint64_t opt_seed, opt_ops = 100000;
static unsigned int opt_threads = 3;
/* --kick-us: how often the kicker signals every thread (default KICK_US). */
static unsigned int opt_kick_us = KICK_US;
/*
 * --no-lme-without-pae (tcg-svm's suite): no guest state with EFER.LME set
 * and CR4.PAE clear.  Legal (paging is off) and hvk takes it as Xen does,
 * but QEMU TCG's #VMEXIT loads the host's CR0 while EFER and CR4 are still
 * the guest's, refuses "paging on, LME, no PAE" and leaves the L1 running
 * without paging: the L1 dies (docs/testing.md,
 * "QEMU TCG's lost interrupts and lost paging").
 */
static bool opt_no_lme_without_pae;
static atomic_ulong ops_done;
static atomic_uint fails;
static atomic_bool stopping;
static atomic_uint active;      /* workers still running: the kicker waits for them */
static uint8_t *hole;           /* HOLE_SIZE of PROT_NONE */
static uint8_t *ro_page;        /* a read-only page of zeros */
static int file_fd = -1;        /* a scratch file in /tmp, BUF_SIZE long */
static const char *self_exe = "/proc/self/exe";
static pthread_t threads[MAX_THREADS];
static uint64_t runs, run_exits[16];

static void fail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void fail(const char *fmt, ...)
{
	va_list ap;

	if (atomic_fetch_add(&fails, 1) >= MAX_FAILS)
		return;
	printf("fuzz-ioctl: FAIL: ");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf(" (seed %llu)\n", (unsigned long long)opt_seed);
	fflush(stdout);
}

/* Errno values the ABI returns; anything else (ERESTARTSYS...) is a bug. */
static void check_rc(const char *what, long rc, bool creates)
{
	static const int ok[] = { EINVAL, EFAULT, EBADF, ENOTTY, EBUSY, EINTR, ENOMEM, EEXIST,
				  ENOENT, EPERM, ENOSPC, ENXIO, EIO, ENODEV, EAGAIN, E2BIG,
				  EOVERFLOW, ERANGE, EMFILE, EACCES, ENFILE, ESRCH, EOPNOTSUPP };
	int e = errno;

	if (rc == -1) {
		for (unsigned int i = 0; i < sizeof(ok) / sizeof(ok[0]); i++)
			if (e == ok[i])
				return;
		fail("%s: unexpected errno %d (%s)", what, e, strerror(e));
	} else if (rc != 0 && !(creates && rc > 0)) {
		fail("%s: returned %ld", what, rc);
	}
}

/* ---- picking things under the lock ---- */

static int pick_fd(int *tab, unsigned int n, struct rng *r)
{
	unsigned int start = below(r, n);

	for (unsigned int i = 0; i < n; i++)
		if (tab[(start + i) % n] >= 0)
			return (int)((start + i) % n);
	return -1;
}

static int pick_vcpu(struct rng *r)
{
	unsigned int start = below(r, MAX_VCPUS);

	for (unsigned int i = 0; i < MAX_VCPUS; i++)
		if (T.vcpu[(start + i) % MAX_VCPUS].fd >= 0)
			return (int)((start + i) % MAX_VCPUS);
	return -1;
}

static int free_slot_fd(int *tab, unsigned int n)
{
	for (unsigned int i = 0; i < n; i++)
		if (tab[i] < 0)
			return (int)i;
	return -1;
}

/* Any fd of ours (or -1, or one that was never ours), for ioctls. */
static int any_fd(struct rng *r)
{
	int fd = -1, i;

	pthread_mutex_lock(&T.lock);
	switch (below(r, 4)) {
	case 0:
		i = pick_fd(T.dev, MAX_DEVS, r);
		fd = i >= 0 ? T.dev[i] : -1;
		break;
	case 1:
		i = pick_fd(T.vm, MAX_VMS, r);
		fd = i >= 0 ? T.vm[i] : -1;
		break;
	default:
		i = pick_vcpu(r);
		fd = i >= 0 ? T.vcpu[i].fd : -1;
		break;
	}
	pthread_mutex_unlock(&T.lock);
	if (one_in(r, 64))
		fd = (int)PICK(r, -1, 1000);   /* never 0-2: they may be a tty */
	return fd;
}

/* ---- argument memory ---- */

struct thread {
	unsigned int idx;
	struct rng r;
	uint8_t *scratch;       /* 2 RW pages then a PROT_NONE guard page */
	unsigned long ops;
};

/*
 * Where an ioctl's argument of `size` bytes lives: a valid buffer (filled by
 * the caller), or NULL, a low address, the read-only page, the unmapped hole,
 * straddling the guard page, a kernel address.
 */
static void *arg_ptr(struct thread *t, size_t size, bool *valid)
{
	*valid = false;
	switch (below(&t->r, 16)) {
	case 0:
		return NULL;
	case 1:
		return (void *)(uintptr_t)PICK(&t->r, 1, 16, 0xfff, 0x1000);
	case 2:
		return ro_page;
	case 3:
		return hole + below(&t->r, HOLE_SIZE);
	case 4:         /* the end in the guard page */
		return t->scratch + 2 * PAGE - size / 2 - 1;
	case 5:
		return (void *)(uintptr_t)(sizeof(void *) == 8 ? 0xffff888000000000ull
								: 0xc0000000u);
	default:
		*valid = true;
		return t->scratch + 2 * PAGE - size - below(&t->r, 64) * 8 % (PAGE - size);
	}
}

/* Fill with random bytes, or zeros with a random field or two. */
static void fill(struct rng *r, void *p, size_t size)
{
	uint8_t *b = p;

	if (one_in(r, 3)) {
		for (size_t i = 0; i < size; i++)
			b[i] = (uint8_t)rnd(r);
		return;
	}
	memset(b, 0, size);
	for (unsigned int n = below(r, 3); n; n--) {
		size_t off = below(r, (uint32_t)size) & ~3u;
		uint32_t v = (uint32_t)boundary(r);

		memcpy(b + off, &v, off + 4 <= size ? 4 : size - off);
	}
}

/* ---- guest code (32-bit flat, at GUEST_CODE) ---- */

static size_t guest_code(struct rng *r, uint8_t *c)
{
	size_t n = 0;
	uint32_t v;

	switch (below(r, 10)) {
	case 0:                         /* hlt; jmp back */
		c[n++] = 0xf4;
		break;
	case 1:                         /* spin: jmp . (the kick ends the run) */
		break;
	case 2:                         /* out %al to a random port, forever */
		v = one_in(r, 2) ? (uint16_t)rnd(r) : PICK(r, 0x5e0, 0x600, 0x602, 0x80, 0xcf8);
		c[n++] = 0x66; c[n++] = 0xba; c[n++] = (uint8_t)v; c[n++] = (uint8_t)(v >> 8);
		c[n++] = one_in(r, 2) ? 0xee : PICK(r, 0xef, 0xec, 0xed);
		break;
	case 3:                         /* console bytes on port 0xe9 */
		c[n++] = 0x66; c[n++] = 0xba; c[n++] = 0xe9; c[n++] = 0;
		c[n++] = 0xb0; c[n++] = (uint8_t)('a' + below(r, 26));
		c[n++] = 0xee;
		break;
	case 4:                         /* a hypercall with random registers */
	case 5: {
		static const uint8_t mov[] = { 0xb8, 0xbb, 0xb9, 0xba, 0xbe, 0xbf };

		for (unsigned int i = 0; i < 6; i++) {
			v = i == 0 ? (uint32_t)PICK(r, XEN_HC_SCHED_OP, XEN_HC_CONSOLE_IO,
						    XEN_HC_XEN_VERSION, XEN_HC_VCPU_OP,
						    XEN_HC_MEMORY_OP, XEN_HC_MULTICALL,
						    XEN_HC_EVENT_CHANNEL_OP, XEN_HC_HVM_OP, 48,
						    (uint32_t)rnd(r))
				   : (uint32_t)(one_in(r, 2) ? below(r, 4) : boundary(r));
			if (i == 2 && one_in(r, 2))
				v = GUEST_DATA;
			c[n++] = mov[i];
			memcpy(c + n, &v, 4);
			n += 4;
		}
		c[n++] = 0x0f; c[n++] = 0x01; c[n++] = one_in(r, 2) ? 0xc1 : 0xd9;
		break;
	}
	case 6:                         /* MMIO: mov (addr),%eax / mov %eax,(addr) */
		v = (uint32_t)PICK(r, 0xfee00000, 0xfee00030, 0xc0000000, 0x200000,
				   0xfffffffc, (uint32_t)rnd(r));
		c[n++] = one_in(r, 2) ? 0xa1 : 0xa3;
		memcpy(c + n, &v, 4);
		n += 4;
		break;
	case 7:                         /* triple fault: lidt of a zero limit; int3 */
		c[n++] = 0x0f; c[n++] = 0x01; c[n++] = 0x1d;
		v = GUEST_DATA + 0x100;
		memcpy(c + n, &v, 4);
		n += 4;
		c[n++] = 0xcc;
		break;
	default:                        /* a random guest */
		n = 16 + below(r, 240);
		for (size_t i = 0; i < n; i++)
			c[i] = (uint8_t)rnd(r);
		return n;
	}
	c[n++] = 0xeb;                  /* jmp back to the start */
	c[n] = (uint8_t)(-(int)(n + 1));
	return n + 1;
}

/* Write a guest into a writable buffer (under the lock). */
static void write_guest(struct rng *r, uint8_t *ram)
{
	uint8_t code[256];
	size_t n = guest_code(r, code);
	uint32_t reason = (uint32_t)PICK(r, 0, 1, 2, 3, 4, rnd(r));

	memcpy(ram + GUEST_CODE, code, n);
	memcpy(ram + GUEST_DATA, &reason, sizeof(reason));
	memset(ram + GUEST_DATA + 0x100, 0, 8);
}

/* ---- operations ---- */

static void op_open(struct thread *t)
{
	int fd = open(HVK_DEVICE_PATH, one_in(&t->r, 8) ? O_RDONLY : O_RDWR);

	(void)t;
	if (fd < 0)
		return;
	pthread_mutex_lock(&T.lock);
	int i = free_slot_fd(T.dev, MAX_DEVS);

	if (i >= 0)
		T.dev[i] = fd;
	else
		close(fd);
	pthread_mutex_unlock(&T.lock);
}

static void drop_vcpu(int i)
{
	if (T.vcpu[i].run)
		munmap(T.vcpu[i].run, HVK_RUN_MMAP_SIZE);
	close(T.vcpu[i].fd);
	T.vcpu[i].fd = -1;
	T.vcpu[i].run = NULL;
}

/* Now and then the run page mapping outlives its fd: an extra map then. */
static void keep_run_mapping(int i, struct rng *r)
{
	for (int m = 0; m < MAX_MAPS && T.vcpu[i].run && one_in(r, 2); m++) {
		if (T.map[m].p)
			continue;
		T.map[m].p = T.vcpu[i].run;
		T.map[m].len = HVK_RUN_MMAP_SIZE;
		T.vcpu[i].run = NULL;
	}
}

/* Close any fd, in any order: a VM before its vCPUs, a dev before its VMs. */
static void op_close(struct thread *t)
{
	int i;

	pthread_mutex_lock(&T.lock);
	switch (below(&t->r, 3)) {
	case 0:
		if ((i = pick_fd(T.dev, MAX_DEVS, &t->r)) >= 0) {
			close(T.dev[i]);
			T.dev[i] = -1;
		}
		break;
	case 1:
		if ((i = pick_fd(T.vm, MAX_VMS, &t->r)) >= 0) {
			close(T.vm[i]);
			T.vm[i] = -1;
		}
		break;
	default:
		if ((i = pick_vcpu(&t->r)) >= 0) {
			keep_run_mapping(i, &t->r);
			drop_vcpu(i);
		}
		break;
	}
	pthread_mutex_unlock(&T.lock);
}

static void op_dev_ioctl(struct thread *t)
{
	union { struct hvk_version v; struct hvk_caps c; struct hvk_vm_create vc; } u;
	int fd, i;
	bool valid;
	void *p = arg_ptr(t, sizeof(u), &valid);
	unsigned long req;

	pthread_mutex_lock(&T.lock);
	i = pick_fd(T.dev, MAX_DEVS, &t->r);
	fd = i >= 0 ? T.dev[i] : -1;
	pthread_mutex_unlock(&T.lock);
	if (fd < 0)
		return;
	req = PICK(&t->r, HVK_GET_VERSION, HVK_GET_CAPS, HVK_CREATE_VM, HVK_CREATE_VM);
	if (valid) {
		fill(&t->r, p, sizeof(u));
		if (req == HVK_CREATE_VM && !one_in(&t->r, 4)) {
			memset(p, 0, sizeof(u.vc));
			((struct hvk_vm_create *)p)->flags = one_in(&t->r, 2) ? HVK_VM_XEN_COMPAT : 0;
		}
	}
	long rc = ioctl(fd, req, p);

	check_rc("dev ioctl", rc, req == HVK_CREATE_VM);
	if (req != HVK_CREATE_VM || rc < 0)
		return;
	pthread_mutex_lock(&T.lock);
	i = free_slot_fd(T.vm, MAX_VMS);
	if (i >= 0)
		T.vm[i] = (int)rc;
	else
		close((int)rc);
	pthread_mutex_unlock(&T.lock);
}

/* A byte of our own text: a read-only mapping of our binary's file. */
extern const char fuzz_ioctl_text_anchor[];
__asm__(".text\n.globl fuzz_ioctl_text_anchor\nfuzz_ioctl_text_anchor:\n.byte 0\n.previous");

/* A user address for a memory region: ours, odd, unmapped or foreign. */
static uint64_t region_addr(struct thread *t, uint64_t *size, uint32_t *flags)
{
	struct rng *r = &t->r;
	uint64_t a = 0;
	int i;

	switch (below(r, 12)) {
	case 0:
		return boundary(r) & (one_in(r, 2) ? ~0xfffull : ~0ull);
	case 1:
		*size = PAGE * (1 + below(r, 64));
		return (uintptr_t)hole + PAGE * below(r, HOLE_SIZE / PAGE);
	case 2:
		return (uintptr_t)ro_page;
	case 3:
		/* Issue 15.2: the run page as guest RAM. */
		pthread_mutex_lock(&T.lock);
		i = pick_vcpu(r);
		a = i >= 0 ? (uintptr_t)T.vcpu[i].run : 0;
		pthread_mutex_unlock(&T.lock);
		*size = PAGE;
		return a;
	case 4:
		/* Issue 15.4: our own binary's read-only file mapping. */
		*flags = HVK_MEM_READONLY;
		*size = PAGE * (1 + below(r, 4));
		return (uintptr_t)&fuzz_ioctl_text_anchor & ~(uintptr_t)0xfff;
	}
	pthread_mutex_lock(&T.lock);
	for (unsigned int n = 0; n < MAX_BUFS; n++) {
		i = (int)((below(r, MAX_BUFS) + n) % MAX_BUFS);
		if (!T.buf[i].p)
			continue;
		a = (uintptr_t)T.buf[i].p;
		if (one_in(r, 4)) {
			uint64_t off = PAGE * below(r, (uint32_t)(T.buf[i].len / PAGE));

			a += off;
			*size = T.buf[i].len - off;
		}
		if (T.buf[i].kind == BUF_RO || T.buf[i].kind == BUF_FILE_RO)
			*flags = one_in(r, 4) ? 0 : HVK_MEM_READONLY;
		break;
	}
	pthread_mutex_unlock(&T.lock);
	if (one_in(r, 16))
		a += PICK(r, 1, 8, 0x800);
	return a;
}

static void gen_region(struct thread *t, struct hvk_memory_region *m)
{
	struct rng *r = &t->r;
	uint64_t size = BUF_SIZE;
	uint32_t flags = 0;

	memset(m, 0, sizeof(*m));
	m->slot = one_in(r, 16) ? (uint32_t)boundary(r) : below(r, 4) ? below(r, 4) : below(r, 34);
	m->user_addr = region_addr(t, &size, &flags);
	/* Pinned or faulted in on demand: both must survive what follows. */
	m->flags = one_in(r, 16) ? (uint32_t)rnd(r) :
		   flags | (one_in(r, 4) ? HVK_MEM_PINNED : 0);
	switch (below(r, 8)) {
	case 0:
		m->guest_phys = boundary(r);
		break;
	case 1:
		m->guest_phys = PAGE * below(r, 1u << 20);
		break;
	case 2:
		m->guest_phys = (uint64_t)PICK(r, 0xfee00000, 0xfec00000, 0xfffff000,
					       1ull << 36, (1ull << 52) - PAGE, 1ull << 47);
		break;
	default:
		m->guest_phys = PAGE * below(r, 8) * 512;      /* 0, 2 MiB, ... */
		break;
	}
	switch (below(r, 10)) {
	case 0:
		m->size = 0;                    /* delete */
		break;
	case 1:
		m->size = PAGE * (1 + below(r, 16));
		break;
	case 2:
		m->size = boundary(r);  /* issue 15.3: past any limit */
		break;
	case 3:
		m->size = size + PICK(r, PAGE, 1, 0x800);
		break;
	default:
		m->size = size;
		break;
	}
	if (one_in(r, 32))
		m->reserved[below(r, 2)] = rnd(r);
}

static void op_vm_ioctl(struct thread *t)
{
	union {
		struct hvk_memory_region m;
		struct hvk_vcpu_create c;
		struct hvk_stats s;
		struct hvk_io_policy p;
		struct hvk_io_stats is;
		struct hvk_xen_evtchn e;
		struct hvk_xen_param x;
	} *u;
	struct rng *r = &t->r;
	bool valid;
	int fd, i, vm;
	unsigned long req = PICK(r, HVK_SET_MEMORY_REGION, HVK_SET_MEMORY_REGION,
				 HVK_SET_MEMORY_REGION, HVK_CREATE_VCPU, HVK_CREATE_VCPU,
				 HVK_VM_GET_STATS, HVK_VM_SET_IO_POLICY, HVK_VM_GET_IO_STATS,
				 HVK_VM_XEN_EVTCHN, HVK_VM_XEN_SET_PARAM);
	size_t size = _IOC_SIZE(req);

	pthread_mutex_lock(&T.lock);
	vm = pick_fd(T.vm, MAX_VMS, r);
	fd = vm >= 0 ? T.vm[vm] : -1;
	pthread_mutex_unlock(&T.lock);
	if (fd < 0)
		return;
	u = arg_ptr(t, size, &valid);
	if (valid) {
		fill(r, u, size);
		if (req == HVK_SET_MEMORY_REGION && !one_in(r, 8))
			gen_region(t, &u->m);
		else if (req == HVK_CREATE_VCPU && !one_in(r, 8))
			u->c = (struct hvk_vcpu_create){ .id = one_in(r, 8) ? (uint32_t)boundary(r)
									   : below(r, 4) };
		else if (req == HVK_VM_SET_IO_POLICY && !one_in(r, 4)) {
			u->p.flags = 0;
			u->p.unclaimed = below(r, 3);
			u->p.nr_claims = below(r, HVK_MAX_IO_CLAIMS + 2);
			u->p.reserved0 = 0;
			u->p.reserved[0] = u->p.reserved[1] = 0;
			for (unsigned int k = 0; k < HVK_MAX_IO_CLAIMS; k++) {
				u->p.claims[k].base = one_in(r, 2) ? boundary(r) : below(r, 0x10000);
				u->p.claims[k].size = one_in(r, 4) ? (uint32_t)boundary(r)
								   : 1 + below(r, 16);
				u->p.claims[k].space = (uint16_t)below(r, 3);
				u->p.claims[k].flags = one_in(r, 16) ? 1 : 0;
			}
		} else if (req == HVK_VM_XEN_EVTCHN && !one_in(r, 4)) {
			memset(&u->e, 0, sizeof(u->e));
			u->e.op = below(r, 3);
			u->e.port = one_in(r, 2) ? below(r, 8) : (uint32_t)boundary(r);
		} else if (req == HVK_VM_XEN_SET_PARAM && !one_in(r, 4)) {
			memset(&u->x, 0, sizeof(u->x));
			u->x.index = one_in(r, 2) ? (uint32_t)PICK(r, 1, 2, 17, 18)
						  : (uint32_t)boundary(r);
			u->x.value = boundary(r);
		}
	}
	long rc = ioctl(fd, req, u);

	check_rc("VM ioctl", rc, req == HVK_CREATE_VCPU);
	if (req != HVK_CREATE_VCPU || rc < 0)
		return;
	pthread_mutex_lock(&T.lock);
	for (i = 0; i < MAX_VCPUS && T.vcpu[i].fd >= 0; i++)
		;
	if (i < MAX_VCPUS) {
		void *run = mmap(NULL, HVK_RUN_MMAP_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED,
				 (int)rc, 0);

		T.vcpu[i] = (struct vcpu_ent){ .fd = (int)rc, .vm = vm,
					       .run = run == MAP_FAILED ? NULL : run };
	} else {
		close((int)rc);
	}
	pthread_mutex_unlock(&T.lock);
}

static void gen_context(struct rng *r, struct hvk_vcpu_init *init)
{
	flat32_context(&init->ctx);
	init->flags = 0;
	init->reserved0 = 0;
	memset(init->reserved, 0, sizeof(init->reserved));
	switch (below(r, 6)) {
	case 0:
		fill(r, init, sizeof(*init));
		break;
	case 1: {       /* one random field */
		uint8_t *b = (uint8_t *)&init->ctx;
		uint64_t v = boundary(r);

		memcpy(b + (below(r, (uint32_t)sizeof(init->ctx) - 8) & ~3u), &v,
		       one_in(r, 2) ? 4 : 8);
		break;
	}
	case 2:
		init->ctx.mode = XEN_VCPU_HVM_MODE_64B;
		break;
	default:
		break;
	}
}

static void gen_regs(struct rng *r, int fd, struct hvk_regs *regs)
{
	uint8_t *b = (uint8_t *)regs;

	if (ioctl(fd, HVK_VCPU_GET_REGS, regs) < 0 || one_in(r, 8)) {
		fill(r, regs, sizeof(*regs));
		return;
	}
	for (unsigned int n = 1 + below(r, 3); n; n--) {
		uint64_t v = boundary(r);
		size_t off = below(r, (uint32_t)offsetof(struct hvk_regs, flags)) & ~7u;

		if (one_in(r, 2))
			v = *(uint64_t *)(b + off) ^ (1ull << below(r, 64));
		memcpy(b + off, &v, 8);
	}
	if (one_in(r, 2))
		regs->rip = GUEST_CODE;
}

#define EFER_LME (1u << 8)
#define CR4_PAE  (1u << 5)

/* --no-lme-without-pae: EFER.LME cleared where CR4.PAE is. */
static void tame_lme(unsigned long req, void *arg)
{
	if (!opt_no_lme_without_pae)
		return;
	if (req == HVK_VCPU_SET_REGS) {
		struct hvk_regs *regs = arg;

		if (!(regs->cr4 & CR4_PAE))
			regs->efer &= ~(uint64_t)EFER_LME;
	} else if (req == HVK_VCPU_SET_HVM_CONTEXT) {
		struct xen_vcpu_hvm_context *ctx = &((struct hvk_vcpu_init *)arg)->ctx;

		if (!(ctx->cpu_regs.x86_32.cr4 & CR4_PAE))
			ctx->cpu_regs.x86_32.efer &= ~(uint64_t)EFER_LME;
		if (!(ctx->cpu_regs.x86_64.cr4 & CR4_PAE))
			ctx->cpu_regs.x86_64.efer &= ~(uint64_t)EFER_LME;
	}
}

static void count_exit(struct hvk_run *run)
{
	uint32_t reason = run->exit_reason;

	if (reason > HVK_EXIT_XEN_EVTCHN) {
		fail("HVK_RUN returned 0 with exit_reason %u", reason);
		return;
	}
	__atomic_add_fetch(&run_exits[reason], 1, __ATOMIC_RELAXED);
}

static void op_run(struct thread *t, int i, int fd)
{
	struct rng *r = &t->r;
	long rc;

	pthread_mutex_lock(&T.lock);
	if (T.vcpu[i].fd == fd && T.vcpu[i].run) {
		T.vcpu[i].run->immediate_exit = one_in(r, 16);
		if (one_in(r, 8))
			/* Issue 15.1: console_len the kernel must not trust. */
			T.vcpu[i].run->console_len = (uint32_t)boundary(r);
	}
	pthread_mutex_unlock(&T.lock);
	rc = ioctl(fd, HVK_RUN, 0);
	__atomic_add_fetch(&runs, 1, __ATOMIC_RELAXED);
	check_rc("HVK_RUN", rc, false);
	if (rc != 0)
		return;
	pthread_mutex_lock(&T.lock);
	if (T.vcpu[i].fd == fd && T.vcpu[i].run)
		count_exit(T.vcpu[i].run);
	pthread_mutex_unlock(&T.lock);
}

static void op_vcpu_ioctl(struct thread *t)
{
	union {
		struct hvk_vcpu_init init;
		struct hvk_regs regs;
		struct hvk_stats s;
	} *u;
	struct rng *r = &t->r;
	bool valid;
	int fd, i;
	unsigned long req = PICK(r, HVK_RUN, HVK_RUN, HVK_RUN, HVK_RUN, HVK_VCPU_SET_HVM_CONTEXT,
				 HVK_VCPU_SET_HVM_CONTEXT, HVK_VCPU_GET_REGS,
				 HVK_VCPU_SET_REGS, HVK_VCPU_GET_STATS);

	pthread_mutex_lock(&T.lock);
	i = pick_vcpu(r);
	fd = i >= 0 ? T.vcpu[i].fd : -1;
	pthread_mutex_unlock(&T.lock);
	if (fd < 0)
		return;
	if (req == HVK_RUN) {
		op_run(t, i, fd);
		return;
	}
	u = arg_ptr(t, _IOC_SIZE(req), &valid);
	if (valid) {
		fill(r, u, _IOC_SIZE(req));
		if (req == HVK_VCPU_SET_HVM_CONTEXT && !one_in(r, 8))
			gen_context(r, &u->init);
		else if (req == HVK_VCPU_SET_REGS && !one_in(r, 8))
			gen_regs(r, fd, &u->regs);
		tame_lme(req, u);
	}
	check_rc("vCPU ioctl", ioctl(fd, req, u), false);
}

/* Any ioctl number, known or not, on any fd. */
static void op_random_ioctl(struct thread *t)
{
	static const unsigned long known[] = {
		HVK_GET_VERSION, HVK_GET_CAPS, HVK_CREATE_VM, HVK_SET_MEMORY_REGION,
		HVK_CREATE_VCPU, HVK_VM_GET_STATS, HVK_VM_SET_IO_POLICY, HVK_VM_GET_IO_STATS,
		HVK_VM_XEN_EVTCHN, HVK_VM_XEN_SET_PARAM, HVK_RUN, HVK_VCPU_SET_HVM_CONTEXT,
		HVK_VCPU_GET_REGS, HVK_VCPU_SET_REGS, HVK_VCPU_GET_STATS,
	};
	struct rng *r = &t->r;
	int fd = any_fd(r);
	unsigned long req;
	bool valid;
	void *p;
	long rc;

	switch (below(r, 4)) {
	case 0:
		req = known[below(r, sizeof(known) / sizeof(known[0]))];
		break;
	case 1:                 /* a known number with another size or direction */
		req = known[below(r, sizeof(known) / sizeof(known[0]))];
		req = _IOC(below(r, 4), HVK_IOCTL_TYPE, _IOC_NR(req), below(r, 1u << 14));
		break;
	case 2:
		req = _IOC(below(r, 4), HVK_IOCTL_TYPE, below(r, 256), below(r, 4096));
		break;
	default:
		req = (unsigned long)rnd(r);
		break;
	}
	if (req == HVK_RUN)
		return;         /* op_run's, with its bookkeeping */
	p = arg_ptr(t, 2048, &valid);
	if (valid) {
		fill(r, p, 2048);
		tame_lme(req, p);
	}
	if (one_in(r, 8))
		p = (void *)(uintptr_t)rnd(r);
	rc = ioctl(fd, req, p);
	if (rc > 0 && (_IOC_NR(req) == _IOC_NR(HVK_CREATE_VM) ||
		       _IOC_NR(req) == _IOC_NR(HVK_CREATE_VCPU))) {
		close((int)rc); /* created something: not ours to track */
		return;
	}
	check_rc("random ioctl", rc, false);
}

/* mmap of a vCPU fd with odd sizes, offsets, protections and flags. */
static void op_mmap(struct thread *t)
{
	struct rng *r = &t->r;
	size_t len = (size_t)PICK(r, HVK_RUN_MMAP_SIZE, HVK_RUN_MMAP_SIZE, 0, 1, 4095, 8192,
				  1u << 20, (size_t)-4096, (size_t)rnd(r));
	off_t off = (off_t)PICK(r, 0, 0, 0, 4096, 1, (uint32_t)rnd(r) & ~0xfffu);
	int prot = (int)PICK(r, PROT_READ | PROT_WRITE, PROT_READ, PROT_NONE,
			     PROT_READ | PROT_WRITE | PROT_EXEC, PROT_WRITE);
	int flags = (int)PICK(r, MAP_SHARED, MAP_SHARED, MAP_PRIVATE, MAP_SHARED | MAP_NORESERVE,
			      MAP_SHARED | MAP_POPULATE, MAP_PRIVATE | MAP_POPULATE);
	int fd, i, m;
	void *p;

	pthread_mutex_lock(&T.lock);
	i = pick_vcpu(r);
	fd = i >= 0 ? T.vcpu[i].fd : -1;
	for (m = 0; m < MAX_MAPS && T.map[m].p; m++)
		;
	if (m == MAX_MAPS) {
		pthread_mutex_unlock(&T.lock);
		return;
	}
	p = mmap(NULL, len, prot, flags, fd, off);
	if (p != MAP_FAILED) {
		T.map[m].p = p;
		T.map[m].len = len;
		/* Read it: a private or populated map of the run page faults in. */
		if ((prot & PROT_READ) && len >= HVK_RUN_MMAP_SIZE)
			(void)*(volatile uint32_t *)p;
	}
	pthread_mutex_unlock(&T.lock);
}

static void op_munmap(struct thread *t)
{
	struct rng *r = &t->r;
	int m;

	pthread_mutex_lock(&T.lock);
	m = (int)below(r, MAX_MAPS);
	if (T.map[m].p) {
		munmap(T.map[m].p, T.map[m].len);
		T.map[m].p = NULL;
	}
	pthread_mutex_unlock(&T.lock);
}

/* Guest RAM buffers: made, written, unmapped while registered or running. */
static void op_buf(struct thread *t)
{
	struct rng *r = &t->r;
	int i = (int)below(r, MAX_BUFS);
	enum buf_kind kind = (enum buf_kind)below(r, NR_BUF_KINDS);
	void *p;

	pthread_mutex_lock(&T.lock);
	if (T.buf[i].p && !one_in(r, 4)) {
		if (T.buf[i].kind == BUF_ANON || T.buf[i].kind == BUF_FILE)
			write_guest(r, T.buf[i].p);
		pthread_mutex_unlock(&T.lock);
		return;
	}
	if (T.buf[i].p) {
		munmap(T.buf[i].p, T.buf[i].len);
		T.buf[i].p = NULL;
	}
	switch (kind) {
	case BUF_ANON:
		p = mmap(NULL, BUF_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		break;
	case BUF_RO:
		p = mmap(NULL, BUF_SIZE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		break;
	case BUF_FILE:
		p = mmap(NULL, BUF_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED, file_fd, 0);
		break;
	default: {      /* PROT_READ of a file we may only read */
		int fd = open(self_exe, O_RDONLY);

		p = fd < 0 ? MAP_FAILED : mmap(NULL, PAGE * 16, PROT_READ, MAP_SHARED, fd, 0);
		if (fd >= 0)
			close(fd);
		break;
	}
	}
	if (p != MAP_FAILED) {
		T.buf[i].p = p;
		T.buf[i].len = kind == BUF_FILE_RO ? PAGE * 16 : BUF_SIZE;
		T.buf[i].kind = kind;
		if (kind == BUF_ANON || kind == BUF_FILE)
			write_guest(r, p);
	}
	pthread_mutex_unlock(&T.lock);
}

/*
 * A whole working VM in one go (counted as one operation): dev, VM, RAM
 * with a guest at slot 0, a vCPU with its run page and a flat 32-bit state.
 */
static void op_good_vm(struct thread *t)
{
	struct rng *r = &t->r;
	struct hvk_vm_create vc = { .flags = one_in(r, 2) ? HVK_VM_XEN_COMPAT : 0 };
	struct hvk_memory_region mr = { .slot = 0, .size = BUF_SIZE };
	struct hvk_vcpu_create cc = { .id = 0 };
	struct hvk_vcpu_init init = { 0 };
	int dev, vm = -1, vcpu = -1, v, c, b;
	uint8_t *ram;
	void *run;

	pthread_mutex_lock(&T.lock);
	v = free_slot_fd(T.vm, MAX_VMS);
	for (c = 0; c < MAX_VCPUS && T.vcpu[c].fd >= 0; c++)
		;
	for (b = 0; b < MAX_BUFS && T.buf[b].p; b++)
		;
	if (v < 0 || c == MAX_VCPUS || b == MAX_BUFS)
		goto out;
	dev = open(HVK_DEVICE_PATH, O_RDWR);
	if (dev < 0)
		goto out;
	vm = ioctl(dev, HVK_CREATE_VM, &vc);
	close(dev);
	ram = mmap(NULL, BUF_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (vm < 0 || ram == MAP_FAILED)
		goto out;
	T.buf[b].p = ram;
	T.buf[b].len = BUF_SIZE;
	T.buf[b].kind = BUF_ANON;
	write_guest(r, ram);
	mr.user_addr = (uintptr_t)ram;
	check_rc("good VM: memory", ioctl(vm, HVK_SET_MEMORY_REGION, &mr), false);
	vcpu = ioctl(vm, HVK_CREATE_VCPU, &cc);
	if (vcpu < 0)
		goto out;
	run = mmap(NULL, HVK_RUN_MMAP_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED, vcpu, 0);
	flat32_context(&init.ctx);
	check_rc("good VM: context", ioctl(vcpu, HVK_VCPU_SET_HVM_CONTEXT, &init), false);
	T.vm[v] = vm;
	T.vcpu[c] = (struct vcpu_ent){ .fd = vcpu, .vm = v, .run = run == MAP_FAILED ? NULL : run };
	vm = vcpu = -1;
out:
	if (vm >= 0)
		close(vm);
	pthread_mutex_unlock(&T.lock);
}

static void child_run(int fd, const struct rng *seed)
{
	struct rng r = *seed;
	struct vm vm;
	static const uint8_t spin[] = { 0xeb, 0xfe };

	if (fd >= 0 && one_in(&r, 2)) {
		for (;;)
			ioctl(fd, HVK_RUN, 0);  /* the parent's vCPU: may be refused */
	}
	if (vm_setup(&vm, spin, sizeof(spin), 0) < 0)
		_exit(3);
	for (;;)
		ioctl(vm.vcpu, HVK_RUN, 0);
}

/* A child running a vCPU, SIGKILLed mid-HVK_RUN. */
static void op_fork(struct thread *t)
{
	struct rng *r = &t->r;
	struct rng child_rng = { rnd(r) | 1 };
	int i, fd;
	pid_t pid;

	pthread_mutex_lock(&T.lock);
	i = pick_vcpu(r);
	fd = i >= 0 ? T.vcpu[i].fd : -1;
	pid = fork();
	if (pid == 0)
		child_run(fd, &child_rng);      /* never returns; takes no lock */
	pthread_mutex_unlock(&T.lock);
	if (pid < 0)
		return;
	usleep(below(r, 20000));
	kill(pid, SIGKILL);
	while (waitpid(pid, NULL, 0) < 0 && errno == EINTR)
		;
}

/* dup() a fd: the same file, closed separately. */
static void op_dup(struct thread *t)
{
	int fd = any_fd(&t->r), nfd, i;

	if (fd < 0 || (nfd = dup(fd)) < 0)
		return;
	pthread_mutex_lock(&T.lock);
	i = free_slot_fd(T.dev, MAX_DEVS);
	if (i >= 0)
		T.dev[i] = nfd;         /* any kind: dev-table ioctls on it too */
	else
		close(nfd);
	pthread_mutex_unlock(&T.lock);
}

static void one_op(struct thread *t)
{
	unsigned int w = below(&t->r, 1000);

	if (w < 30)
		op_open(t);
	else if (w < 70)
		op_close(t);
	else if (w < 130)
		op_dev_ioctl(t);
	else if (w < 290)
		op_vm_ioctl(t);
	else if (w < 640)
		op_vcpu_ioctl(t);
	else if (w < 720)
		op_random_ioctl(t);
	else if (w < 770)
		op_mmap(t);
	else if (w < 810)
		op_munmap(t);
	else if (w < 900)
		op_buf(t);
	else if (w < 960)
		op_good_vm(t);
	else if (w < 975)
		op_dup(t);
	else if (w == 975 && one_in(&t->r, 4))
		op_fork(t);
}

/* ---- threads ---- */

static void on_usr1(int sig)
{
	(void)sig;
}

static void *worker(void *arg)
{
	struct thread *t = arg;

	while (!atomic_load(&stopping)) {
		one_op(t);
		t->ops++;
		if (atomic_fetch_add(&ops_done, 1) + 1 >= opt_ops)
			atomic_store(&stopping, true);
	}
	atomic_fetch_sub(&active, 1);
	return NULL;
}

/* Ends every HVK_RUN within about KICK_US: the guests may spin forever. */
static void *kicker(void *arg)
{
	(void)arg;
	while (atomic_load(&active)) {
		usleep(opt_kick_us);
		for (unsigned int i = 0; i < opt_threads; i++)
			pthread_kill(threads[i], SIGUSR1);
	}
	return NULL;
}

static void teardown(void)
{
	for (int i = 0; i < MAX_VCPUS; i++)
		if (T.vcpu[i].fd >= 0)
			drop_vcpu(i);
	for (int i = 0; i < MAX_VMS; i++)
		if (T.vm[i] >= 0)
			close(T.vm[i]);
	for (int i = 0; i < MAX_DEVS; i++)
		if (T.dev[i] >= 0)
			close(T.dev[i]);
	for (int i = 0; i < MAX_MAPS; i++)
		if (T.map[i].p)
			munmap(T.map[i].p, T.map[i].len);
	for (int i = 0; i < MAX_BUFS; i++)
		if (T.buf[i].p)
			munmap(T.buf[i].p, T.buf[i].len);
}

/* Everything closed: no VM, no pinned or module page may remain. */
static void check_counters(void)
{
	struct hvk_caps c;
	int dev = dev_open();

	for (int tries = 0; tries < 50; tries++) {
		c = get_caps(dev);
		if (!c.nr_vms && !c.pages_pinned && !c.pages_allocated)
			break;
		usleep(100000);
	}
	close(dev);
	printf("fuzz-ioctl: after closing everything: vms %u, pages pinned %llu, allocated %llu\n",
	       c.nr_vms, (unsigned long long)c.pages_pinned,
	       (unsigned long long)c.pages_allocated);
	if (c.nr_vms || c.pages_pinned || c.pages_allocated)
		fail("the module's counters are not back to zero");
}

static void usage(void)
{
	fprintf(stderr, "usage: fuzz-ioctl%s [--seed N] [--ops M] [--threads T] [--kick-us U]"
		" [--no-lme-without-pae]\n", bits);
	exit(2);
}

static void parse_args(int argc, char **argv)
{
	opt_seed = (uint64_t)time(NULL) ^ ((uint64_t)getpid() << 16);
	for (int i = 1; i < argc; i++) {
		char *end;

		if (!strcmp(argv[i], "--no-lme-without-pae")) {
			opt_no_lme_without_pae = true;
			continue;
		}
		if (i + 1 == argc)
			usage();
		uint64_t v = strtoull(argv[i + 1], &end, 0);

		if (*end || end == argv[i + 1])
			usage();
		if (!strcmp(argv[i], "--seed"))
			opt_seed = v;
		else if (!strcmp(argv[i], "--ops"))
			opt_ops = v;
		else if (!strcmp(argv[i], "--threads") && v >= 1 && v <= MAX_THREADS)
			opt_threads = (unsigned int)v;
		else if (!strcmp(argv[i], "--kick-us") && v >= 100 && v <= 1000000)
			opt_kick_us = (unsigned int)v;
		else
			usage();
		i++;
	}
}

static void setup(void)
{
	char path[64];
	struct sigaction sa = { .sa_handler = on_usr1 };

	sigaction(SIGUSR1, &sa, NULL);          /* no SA_RESTART: HVK_RUN -> EINTR */
	signal(SIGPIPE, SIG_IGN);
	memset(T.dev, -1, sizeof(T.dev));
	memset(T.vm, -1, sizeof(T.vm));
	for (int i = 0; i < MAX_VCPUS; i++)
		T.vcpu[i].fd = -1;
	hole = mmap(NULL, HOLE_SIZE, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	ro_page = mmap(NULL, PAGE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	snprintf(path, sizeof(path), "/tmp/fuzz-ioctl.%d", (int)getpid());
	file_fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0600);
	if (hole == MAP_FAILED || ro_page == MAP_FAILED || file_fd < 0 ||
	    ftruncate(file_fd, BUF_SIZE) < 0) {
		printf("Bail out! setup: %s\n", strerror(errno));
		exit(2);
	}
	unlink(path);
}

int main(int argc, char **argv)
{
	struct thread th[MAX_THREADS];
	pthread_t kick;
	struct timespec t0, t1;

	parse_args(argc, argv);
	setvbuf(stdout, NULL, _IOLBF, 0);
	printf("fuzz-ioctl: seed %llu\n", (unsigned long long)opt_seed);
	printf("fuzz-ioctl: %s-bit, %llu operations, %u threads; replay: fuzz-ioctl%s --seed %llu "
	       "--ops %llu --threads %u --kick-us %u%s\n", bits, (unsigned long long)opt_ops,
	       opt_threads, bits, (unsigned long long)opt_seed, (unsigned long long)opt_ops,
	       opt_threads, opt_kick_us, opt_no_lme_without_pae ? " --no-lme-without-pae" : "");
	setup();
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (unsigned int i = 0; i < opt_threads; i++) {
		th[i] = (struct thread){ .idx = i };
		th[i].r.s = (opt_seed ^ (0x9e3779b97f4a7c15ull * (i + 1))) | 1;
		th[i].scratch = mmap(NULL, 3 * PAGE, PROT_READ | PROT_WRITE,
				     MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (th[i].scratch == MAP_FAILED || mprotect(th[i].scratch + 2 * PAGE, PAGE, PROT_NONE))
			exit(2);
	}
	atomic_store(&active, opt_threads);
	for (unsigned int i = 0; i < opt_threads; i++)
		pthread_create(&threads[i], NULL, worker, &th[i]);
	pthread_create(&kick, NULL, kicker, NULL);
	pthread_join(kick, NULL);       /* first: it kicks workers until all are done */
	for (unsigned int i = 0; i < opt_threads; i++)
		pthread_join(threads[i], NULL);
	teardown();
	clock_gettime(CLOCK_MONOTONIC, &t1);
	check_counters();
	printf("fuzz-ioctl: %llu HVK_RUNs; exits: io %llu, mmio %llu, console %llu, shutdown %llu, "
	       "triple fault %llu, fail entry %llu, internal %llu, evtchn %llu\n",
	       (unsigned long long)runs, (unsigned long long)run_exits[1],
	       (unsigned long long)run_exits[2], (unsigned long long)run_exits[3],
	       (unsigned long long)run_exits[4], (unsigned long long)run_exits[5],
	       (unsigned long long)run_exits[6], (unsigned long long)run_exits[7],
	       (unsigned long long)run_exits[8]);
	printf("fuzz-ioctl: %.1f s, %u failures\n",
	       (double)(t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9,
	       atomic_load(&fails));
	printf("fuzz-ioctl: %lu operations, seed %llu\n", atomic_load(&ops_done),
	       (unsigned long long)opt_seed);
	return atomic_load(&fails) ? 1 : 0;
}
