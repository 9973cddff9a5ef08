/* SPDX-License-Identifier: MIT */
/*
 * hcall64 / hcall32: conformance of every hypercall hvk implements, from a
 * 64-bit and a 32-bit guest (one source, two builds), exact results and
 * error codes (docs/hypercalls.md, kmod/xen/hc_*.c):
 *
 *   xen_version   every sub-op as Xen answers a PVH domU (features 0x1d2305,
 *                 the denied command line and build id), buffers, -ENOSYS,
 *                 -EINVAL, -EFAULT
 *   console_io    write, read, count 0, negative count, a write larger than
 *                 the run page's console buffer (continued by the kernel)
 *   sched_op      yield, unknown ops, shutdown with a bad pointer
 *   vcpu_op       what a one-vCPU guest can check
 *   hvm_op        every parameter's get/set rule (-EPERM, -EINVAL, -EEXIST),
 *                 settable ones read back, the domain (own id 1 or SELF)
 *   memory_op     add_to_physmap of shared_info in the guest's own layout
 *                 (24 bytes from 64-bit, 16 from 32-bit), the errors, the
 *                 page at the chosen frame, moving it, and the pvclock of
 *                 vcpu_info[0], and the wall clock
 *   multicall     the guest's own entry layout (64 / 32 bytes): a batch of
 *                 good and bad entries, every result and nothing beyond the
 *                 count (32-bit: with paging off and on); bad entry pointers; a batch with console writes
 *                 larger than the console buffer in the middle (continued
 *                 from that entry: each text once, in order); a long batch;
 *                 64-bit: a read-only page read by one entry and written
 *                 by the next (-EFAULT with CR0.WP, written without)
 *   hvk family    query, null, api_version, unknown calls, annotation bits,
 *                 RAX bits 32-63 (64-bit)
 *   others        unused numbers: -ENOSYS
 *
 * Bad pointers: beyond RAM, running off the end of RAM; 64-bit also
 * non-canonical, above the page tables' 4 GiB and a page unmapped over RAM.
 * Ends with "<name>: all checks passed".
 */
#include <abi/hvk_hypercall.h>
#include <abi/xen/errno.h>
#include <abi/xen/hvm_op.h>
#include <abi/xen/hypercall.h>
#include <abi/xen/memory.h>
#include <abi/xen/multicall.h>
#include <abi/xen/sched.h>
#include <abi/xen/shared_info.h>
#include <abi/xen/vcpu.h>
#include <abi/xen/version.h>

#include "guest.h"

#ifdef __x86_64__
#include "x86_64/paging.h"
#define NAME "hcall64"
typedef struct xen_multicall_entry64 mc_entry_t;
typedef struct xen_add_to_physmap64 physmap_t;
typedef struct xen_vcpu_info64 vcpu_info_t;
#else
#define NAME "hcall32"
typedef struct xen_multicall_entry32 mc_entry_t;
typedef struct xen_add_to_physmap32 physmap_t;
typedef struct xen_vcpu_info32 vcpu_info_t;
#endif

_Static_assert(sizeof(mc_entry_t) == (sizeof(long) == 8 ? 64 : 32), "multicall entry size");
_Static_assert(sizeof(physmap_t) == (sizeof(long) == 8 ? 24 : 16), "add_to_physmap size");
_Static_assert(sizeof(vcpu_info_t) == XEN_VCPU_INFO_SIZE, "vcpu_info size");

#define XEN_VERSION_EXPECTED    ((4ul << 16) | 19)
#define HVK_API_VERSION_EXPECTED 1      /* HVK_API_VERSION, abi/hvk.h (not freestanding) */
#define PAGE                    4096ul
#define BEYOND_RAM              0xdead0000ul
#define SENTINEL                ((unsigned long)0x5a5a5a5a5a5a5a5aull)
#define LONG_WRITE_LINES        40

/* ---- bad pointers ---- */

struct bad_ptr {
	const char *what;
	unsigned long va;
	unsigned int room;      /* bytes readable before the fault */
};

static struct bad_ptr bad_ptrs[8];
static unsigned int nr_bad_ptrs;
static uint64_t ram_end;

static void add_bad_ptr(const char *what, unsigned long va, unsigned int room)
{
	bad_ptrs[nr_bad_ptrs++] = (struct bad_ptr){ what, va, room };
}

#ifdef __x86_64__
#define HOLE_VA                 0x400000ul      /* RAM, unmapped by us */
#endif

static void bad_ptrs_init(void)
{
	ram_end = boot_ram_end();
	add_bad_ptr("beyond RAM", BEYOND_RAM, 0);
#ifdef __x86_64__
	paging_unmap_large(HOLE_VA);
	add_bad_ptr("unmapped over RAM", HOLE_VA, 0);
	add_bad_ptr("running into an unmapped page", HOLE_VA - 4, 4);
	add_bad_ptr("above the page tables' 4 GiB", 0x100000000ul, 0);
	add_bad_ptr("non-canonical", 0x8000000000000000ul, 0);
#endif
	if (ram_end && ram_end < (1ull << 32))
		add_bad_ptr("running off the end of RAM", (unsigned long)ram_end - 4, 4);
}

/* ---- shorthands ---- */

static long hc(unsigned long nr, unsigned long a1, unsigned long a2, unsigned long a3)
{
	return hypercall3(nr, a1, a2, a3);
}

static long xen_version(unsigned int cmd, unsigned long arg)
{
	return hc(XEN_HC_XEN_VERSION, cmd, arg, 0);
}

static long console_io(unsigned int cmd, unsigned long count, unsigned long buf)
{
	return hc(XEN_HC_CONSOLE_IO, cmd, count, buf);
}

static long hvm_op(unsigned int op, unsigned long arg)
{
	return hc(XEN_HC_HVM_OP, op, arg, 0);
}

static long memory_op(unsigned int op, unsigned long arg)
{
	return hc(XEN_HC_MEMORY_OP, op, arg, 0);
}

static unsigned long hvk_nr(unsigned int family, unsigned int call, unsigned int annotations)
{
	return HVK_HC_NR(family, call, annotations);
}

static unsigned long ptr(const volatile void *p)
{
	return (unsigned long)(uintptr_t)p;
}

/* ---- xen_version ---- */

/*
 * What Xen gives a PVH domU in submap 0 (REFERENCE-GUEST-SERVICES §5):
 * 0, 2, 8, 9, 13, 16, 18, 19, 20.
 */
#define FEATURES_EXPECTED       0x1d2305u
#define CAPABILITIES_EXPECTED   "hvm-3.0-x86_32 hvm-3.0-x86_32p hvm-3.0-x86_64 "
#define CHANGESET_EXPECTED      "unavailable"

/* @buf[@len..@size) still holds @fill: nothing written past the answer. */
static void expect_untouched(const char *buf, unsigned int len, unsigned int size, char fill,
			     const char *what)
{
	for (unsigned int i = len; i < size; i++)
		expect_eq(buf[i], fill, "byte %u after %s", i, what);
}

/* A char[@size] answer: @want, then NULs to @size, nothing beyond. */
static void check_string_op(unsigned int cmd, const char *want, unsigned int size,
			    const char *what)
{
	static char buf[XEN_CAPABILITIES_LEN + 16];
	unsigned int len = strlen(want);

	memset(buf, 0x77, sizeof(buf));
	expect_eq(xen_version(cmd, ptr(buf)), 0, "xen_version(%s)", what);
	expect_true(!memcmp(buf, want, len), "xen_version(%s) wrote \"%.64s\", expected \"%s\"",
		    what, buf, want);
	for (unsigned int i = len; i < size; i++)
		expect_eq(buf[i], 0, "xen_version(%s): byte %u of the char[%u]", what, i, size);
	expect_untouched(buf, size, size + 16, 0x77, what);
}

/* XENVER_*2 (struct xen_varbuf): the length, then the bytes without a NUL. */
static void check_varbuf_op(unsigned int cmd, const char *want, const char *what)
{
	static struct { uint32_t len; char buf[64]; } vb;
	long len = strlen(want);

	expect_eq(xen_version(cmd, 0), len, "xen_version(%s, NULL): the length", what);
	memset(&vb, 0x77, sizeof(vb));
	vb.len = len;
	expect_eq(xen_version(cmd, ptr(&vb)), len, "xen_version(%s, len %ld)", what, len);
	expect_true(!memcmp(vb.buf, want, len), "xen_version(%s) wrote \"%.*s\"", what,
		    (int)len, vb.buf);
	expect_untouched(vb.buf, len, sizeof(vb.buf), 0x77, what);
	vb.len = len - 1;
	expect_eq(xen_version(cmd, ptr(&vb)), -XEN_ENOBUFS, "xen_version(%s, len %ld)", what,
		  len - 1);
	expect_eq(vb.len, len - 1, "xen_version(%s) with no room changed len", what);
}

static void check_xen_version(void)
{
	static char two_pages[2 * PAGE] __attribute__((aligned(4096)));
	static const char want[XEN_EXTRAVERSION_LEN] = "-hvk";
	static const unsigned int unknown[] = { 15, 99, 0x7fffffff, 0xffffffff };
	static struct xen_compile_info ci;
	static uint8_t handle[XEN_GUEST_HANDLE_LEN + 8];
	static char cmdline[XEN_COMMANDLINE_LEN];
	struct xen_feature_info fi;
	unsigned long params[2];
	char buf[XEN_EXTRAVERSION_LEN + 8];
	char *cross = two_pages + PAGE - 8;

	expect_eq(xen_version(XEN_XENVER_VERSION, 0), XEN_VERSION_EXPECTED, "xen_version(VERSION)");

	memset(buf, 0x77, sizeof(buf));
	expect_eq(xen_version(XEN_XENVER_EXTRAVERSION, ptr(buf)), 0, "xen_version(EXTRAVERSION)");
	expect_true(!memcmp(buf, want, sizeof(want)), "xen_version(EXTRAVERSION) wrote \"%.16s\", "
		    "expected \"-hvk\" and 12 NULs", buf);
	for (unsigned int i = XEN_EXTRAVERSION_LEN; i < sizeof(buf); i++)
		expect_eq(buf[i], 0x77, "byte %u after the char[16] of xen_version(EXTRAVERSION)", i);
	memset(cross, 0x77, XEN_EXTRAVERSION_LEN);
	expect_eq(xen_version(XEN_XENVER_EXTRAVERSION, ptr(cross)), 0,
		  "xen_version(EXTRAVERSION) into a buffer across a page boundary");
	expect_true(!memcmp(cross, want, sizeof(want)),
		    "xen_version(EXTRAVERSION) across a page boundary wrote \"%.16s\"", cross);

	/* compile_info: four NUL-terminated strings; the compiler's is the module's. */
	memset(&ci, 0x77, sizeof(ci));
	expect_eq(xen_version(XEN_XENVER_COMPILE_INFO, ptr(&ci)), 0, "xen_version(COMPILE_INFO)");
	expect_true(ci.compiler[0] && ci.compiler[sizeof(ci.compiler) - 1] == 0,
		    "xen_version(COMPILE_INFO): compiler empty or unterminated");
	expect_true(!strncmp((const char *)ci.compile_by, "hvk", sizeof(ci.compile_by)) &&
		    !strncmp((const char *)ci.compile_domain, "hvk", sizeof(ci.compile_domain)) &&
		    !ci.compile_date[0], "xen_version(COMPILE_INFO): by \"%.16s\", domain "
		    "\"%.32s\", date \"%.32s\"", ci.compile_by, ci.compile_domain, ci.compile_date);
	check_string_op(XEN_XENVER_CAPABILITIES, CAPABILITIES_EXPECTED, XEN_CAPABILITIES_LEN,
			"CAPABILITIES");
	check_string_op(XEN_XENVER_CHANGESET, CHANGESET_EXPECTED, XEN_CHANGESET_LEN,
			"CHANGESET");

	/* platform_parameters: one xen_ulong_t, 0 for an HVM guest. */
	params[0] = params[1] = SENTINEL;
	expect_eq(xen_version(XEN_XENVER_PLATFORM_PARAMETERS, ptr(params)), 0,
		  "xen_version(PLATFORM_PARAMETERS)");
	expect_true(params[0] == 0 && params[1] == SENTINEL, "xen_version(PLATFORM_PARAMETERS) "
		    "wrote 0x%lx, 0x%lx: expected virt_start 0 and nothing after", params[0],
		    params[1]);

	fi = (struct xen_feature_info){ .submap_idx = 0, .submap = 0xdeadbeef };
	expect_eq(xen_version(XEN_XENVER_GET_FEATURES, ptr(&fi)), 0,
		  "xen_version(GET_FEATURES, submap_idx 0)");
	expect_eq(fi.submap, FEATURES_EXPECTED, "xen_version(GET_FEATURES, submap_idx 0): submap");
	expect_eq(fi.submap_idx, 0, "xen_version(GET_FEATURES): submap_idx written back");
	for (unsigned int idx = 1; idx < 3; idx++) {
		fi = (struct xen_feature_info){ .submap_idx = idx * 0x7fffffffu, .submap = 0xdeadbeef };
		expect_eq(xen_version(XEN_XENVER_GET_FEATURES, ptr(&fi)), -XEN_EINVAL,
			  "xen_version(GET_FEATURES, submap_idx 0x%x): only submap 0 exists",
			  fi.submap_idx);
		expect_eq(fi.submap, 0xdeadbeef, "xen_version(GET_FEATURES) refused, submap");
	}
	expect_eq(xen_version(XEN_XENVER_PAGESIZE, 0), 4096, "xen_version(PAGESIZE)");
	expect_eq(xen_version(XEN_XENVER_PAGESIZE, ptr(buf)), -XEN_EINVAL,
		  "xen_version(PAGESIZE) with a buffer");

	/* guest_handle: the domain's 16-byte handle, none from hvk's VMM. */
	memset(handle, 0x77, sizeof(handle));
	expect_eq(xen_version(XEN_XENVER_GUEST_HANDLE, ptr(handle)), 0,
		  "xen_version(GUEST_HANDLE)");
	for (unsigned int i = 0; i < sizeof(handle); i++)
		expect_eq(handle[i], i < XEN_GUEST_HANDLE_LEN ? 0 : 0x77,
			  "xen_version(GUEST_HANDLE): byte %u", i);
	/* Denied to a domU by Xen's default policy: "<denied>" and its NUL only. */
	memset(cmdline, 0x77, sizeof(cmdline));
	expect_eq(xen_version(XEN_XENVER_COMMANDLINE, ptr(cmdline)), 0,
		  "xen_version(COMMANDLINE)");
	expect_true(!memcmp(cmdline, "<denied>", 9), "xen_version(COMMANDLINE) wrote \"%.16s\"",
		    cmdline);
	expect_untouched(cmdline, 9, sizeof(cmdline), 0x77, "xen_version(COMMANDLINE)");
	expect_eq(xen_version(XEN_XENVER_BUILD_ID, ptr(buf)), -XEN_EPERM, "xen_version(BUILD_ID)");
	expect_eq(xen_version(XEN_XENVER_BUILD_ID, 0), -XEN_EPERM, "xen_version(BUILD_ID, NULL)");
	expect_eq(xen_version(XEN_XENVER_COMMANDLINE2, 0), -XEN_EPERM,
		  "xen_version(COMMANDLINE2)");
	check_varbuf_op(XEN_XENVER_EXTRAVERSION2, "-hvk", "EXTRAVERSION2");
	check_varbuf_op(XEN_XENVER_CHANGESET2, CHANGESET_EXPECTED, "CHANGESET2");
	expect_eq(xen_version(XEN_XENVER_CAPABILITIES2, 0), strlen(CAPABILITIES_EXPECTED),
		  "xen_version(CAPABILITIES2, NULL)");
	for (unsigned int i = 0; i < sizeof(unknown) / sizeof(unknown[0]); i++)
		expect_eq(xen_version(unknown[i], ptr(buf)), -XEN_ENOSYS, "xen_version(%u)", unknown[i]);

	for (unsigned int i = 0; i < nr_bad_ptrs; i++) {
		/* Each sub-op and the bytes it reads or writes at its pointer. */
		static const struct { unsigned int cmd, size; } users[] = {
			{ XEN_XENVER_EXTRAVERSION, XEN_EXTRAVERSION_LEN },
			{ XEN_XENVER_COMPILE_INFO, sizeof(struct xen_compile_info) },
			{ XEN_XENVER_CAPABILITIES, XEN_CAPABILITIES_LEN },
			{ XEN_XENVER_CHANGESET, XEN_CHANGESET_LEN },
			{ XEN_XENVER_PLATFORM_PARAMETERS, sizeof(long) },
			{ XEN_XENVER_GET_FEATURES, sizeof(struct xen_feature_info) },
			{ XEN_XENVER_GUEST_HANDLE, XEN_GUEST_HANDLE_LEN },
			{ XEN_XENVER_COMMANDLINE, 9 },
			{ XEN_XENVER_EXTRAVERSION2, 4 }, { XEN_XENVER_CAPABILITIES2, 4 },
			{ XEN_XENVER_CHANGESET2, 4 },
		};

		for (unsigned int u = 0; u < sizeof(users) / sizeof(users[0]); u++)
			if (bad_ptrs[i].room < users[u].size)
				expect_eq(xen_version(users[u].cmd, bad_ptrs[i].va), -XEN_EFAULT,
					  "xen_version(%u, %s 0x%lx)", users[u].cmd,
					  bad_ptrs[i].what, bad_ptrs[i].va);
	}
	/* VERSION reads no pointer. */
	expect_eq(xen_version(XEN_XENVER_VERSION, BEYOND_RAM), XEN_VERSION_EXPECTED,
		  "xen_version(VERSION, bad pointer)");
	printf(NAME ": xen_version %lu.%lu%s, page size 4096, features 0x%x, every sub-op, "
	       "unknown ones -ENOSYS, bad buffers -EFAULT\n", XEN_VERSION_EXPECTED >> 16,
	       XEN_VERSION_EXPECTED & 0xffff, want, FEATURES_EXPECTED);
}

/* ---- console_io ---- */

static char long_text[6000];

/* `lines` numbered lines "<name>: <label>, line NN of LL ....\n"; returns the length. */
static size_t make_long_text(char *buf, size_t size, const char *label, unsigned int lines)
{
	size_t len = 0;

	for (unsigned int i = 1; i <= lines; i++) {
		size_t n = snprintf(buf + len, size - len, NAME ": %s, line %02u of %u "
				    "........................................................\n",
				    label, i, lines);

		if (n >= size - len)
			guest_fail(NAME ": long text \"%s\" does not fit %zu bytes", label, size);
		len += n;
	}
	return len;
}

static void check_console_io(void)
{
	static const char msg[] = NAME ": console_io write\n";
	char dummy[16];
	size_t len;

	expect_eq(console_io(XEN_CONSOLEIO_WRITE, sizeof(msg) - 1, ptr(msg)), 0, "console_io(WRITE)");
	expect_eq(console_io(XEN_CONSOLEIO_WRITE, 0, BEYOND_RAM), 0,
		  "console_io(WRITE, count 0, bad pointer)");
	expect_eq(console_io(XEN_CONSOLEIO_WRITE, ~0ul, ptr(msg)), -XEN_EINVAL,
		  "console_io(WRITE, count -1)");
	expect_eq(console_io(XEN_CONSOLEIO_WRITE, 0x80000000ul, ptr(msg)), -XEN_EINVAL,
		  "console_io(WRITE, count 0x80000000)");
	for (unsigned int i = 0; i < nr_bad_ptrs; i++)
		expect_eq(console_io(XEN_CONSOLEIO_WRITE, 8, bad_ptrs[i].va), -XEN_EFAULT,
			  "console_io(WRITE, 8, %s 0x%lx)", bad_ptrs[i].what, bad_ptrs[i].va);
	expect_eq(console_io(XEN_CONSOLEIO_READ, sizeof(dummy), ptr(dummy)), 0, "console_io(READ)");
	expect_eq(console_io(2, 0, 0), -XEN_ENOSYS, "console_io(2)");
	expect_eq(console_io(99, 0, 0), -XEN_ENOSYS, "console_io(99)");

	len = make_long_text(long_text, sizeof(long_text), "direct long write",
			     LONG_WRITE_LINES);
	expect_eq(console_io(XEN_CONSOLEIO_WRITE, len, ptr(long_text)), 0,
		  "console_io(WRITE, %zu bytes)", len);
	printf(NAME ": console_io: write, read, count 0, negative count, bad buffers, "
	       "a %zu-byte write ok\n", len);
}

/* ---- sched_op ---- */

static void check_sched_op(void)
{
	expect_eq(hc_sched_op(XEN_SCHEDOP_YIELD, 0), 0, "sched_op(YIELD)");
	/* block and poll wait for events: the evtchn guest's. */
	expect_eq(hc_sched_op(4, 0), -XEN_ENOSYS, "sched_op(4)");
	expect_eq(hc_sched_op(99, 0), -XEN_ENOSYS, "sched_op(99)");
	/* Only pointers whose first 4 bytes fault: a readable reason would shut down. */
	for (unsigned int i = 0; i < nr_bad_ptrs; i++)
		if (bad_ptrs[i].room < sizeof(struct xen_sched_shutdown))
			expect_eq(hc_sched_op(XEN_SCHEDOP_SHUTDOWN, (void *)bad_ptrs[i].va), -XEN_EFAULT,
			  "sched_op(SHUTDOWN, %s 0x%lx)", bad_ptrs[i].what, bad_ptrs[i].va);
	printf(NAME ": sched_op: yield, unknown ops, shutdown with bad pointers ok\n");
}

/* ---- vcpu_op (the VM may have any number of vCPUs; only 0 runs) ---- */

static void check_vcpu_op(void)
{
	struct xen_vcpu_hvm_context ctx;

	smp_context_flat32(&ctx, 0x100000, 0x200000);
	expect_eq(hc_vcpu_op(XEN_VCPUOP_IS_UP, 0, 0), 1, "vcpu_op(IS_UP, 0)");
	expect_eq(hc_vcpu_op(XEN_VCPUOP_IS_UP, SMP_MAX_VCPUS, 0), -XEN_ENOENT,
		  "vcpu_op(IS_UP, %u)", SMP_MAX_VCPUS);
	expect_eq(hc_vcpu_op(XEN_VCPUOP_INITIALISE, 0, &ctx), -XEN_EEXIST,
		  "vcpu_op(INITIALISE, 0)");
	expect_eq(hc_vcpu_op(XEN_VCPUOP_INITIALISE, SMP_MAX_VCPUS, &ctx), -XEN_ENOENT,
		  "vcpu_op(INITIALISE, %u)", SMP_MAX_VCPUS);
	expect_eq(hc_vcpu_op(XEN_VCPUOP_UP, 0, 0), 0, "vcpu_op(UP, 0)");
	expect_eq(hc_vcpu_op(XEN_VCPUOP_UP, SMP_MAX_VCPUS, 0), -XEN_ENOENT,
		  "vcpu_op(UP, %u)", SMP_MAX_VCPUS);
	expect_eq(hc_vcpu_op(XEN_VCPUOP_DOWN, SMP_MAX_VCPUS, 0), -XEN_ENOENT,
		  "vcpu_op(DOWN, %u)", SMP_MAX_VCPUS);
	expect_eq(hc_vcpu_op(XEN_VCPUOP_GET_PHYSID, 0, 0), -XEN_ENOSYS, "vcpu_op(GET_PHYSID, 0)");
	expect_eq(hc_vcpu_op(99, 0, 0), -XEN_ENOSYS, "vcpu_op(99, 0)");
	printf(NAME ": vcpu_op: is_up, initialise, up, down, get_physid ok (%u vCPUs)\n",
	       smp_count_vcpus());
}

/* ---- hvm_op ---- */

/*
 * REFERENCE-GUEST-SERVICES §7: a guest reads 0, 1, 2, 15, 17-19, 34-37 of
 * its own (0 until set), writes 0, 2, 15, 18, 19, 34, 36, 37; deprecated
 * ones are -EINVAL, the rest -EPERM; ALTP2M (35) is read-only (-EEXIST).
 * Here the ones whose setting has no side effect on this guest; CALLBACK_IRQ
 * (0) is the evtchn guest's, VM86_TSS (15, 37) and ACPI_IOPORTS (19) xenvcpu's.
 */
static uint64_t get_param(uint32_t index)
{
	struct xen_hvm_param p = { XEN_DOMID_SELF, 0, index, SENTINEL };

	expect_eq(hvm_op(XEN_HVMOP_GET_PARAM, ptr(&p)), 0, "hvm_op(GET_PARAM, %u)", index);
	return p.value;
}

static long set_param(uint32_t index, uint64_t value)
{
	struct xen_hvm_param p = { XEN_DOMID_SELF, 0, index, value };

	return hvm_op(XEN_HVMOP_SET_PARAM, ptr(&p));
}

/*
 * VM86_TSS (15) is the address half of VM86_TSS_SIZED (37): size << 32 |
 * address, at least 104 bytes (a TSS), at most 8329 (with its interrupt
 * and I/O maps).  Values Xen crashes the guest for: `hcall64 vm86-crash`.
 */
#define TSS_MAX_SIZE            8329ull

static void check_vm86_tss(void)
{
	expect_eq(get_param(XEN_HVM_PARAM_VM86_TSS), 0, "VM86_TSS before set");
	expect_eq(set_param(XEN_HVM_PARAM_VM86_TSS, 0x1000), 0, "set VM86_TSS 0x1000");
	expect_eq(get_param(XEN_HVM_PARAM_VM86_TSS), 0x1000, "VM86_TSS");
	expect_true(get_param(XEN_HVM_PARAM_VM86_TSS_SIZED) == (128ull << 32 | 0x1000),
		    "VM86_TSS_SIZED after VM86_TSS: 128 bytes (old hvmloader)");
	expect_eq(set_param(XEN_HVM_PARAM_VM86_TSS_SIZED, 200ull << 32 | 0x2000), 0,
		  "set VM86_TSS_SIZED 200 bytes at 0x2000");
	expect_true(get_param(XEN_HVM_PARAM_VM86_TSS_SIZED) == (200ull << 32 | 0x2000),
		    "VM86_TSS_SIZED read back");
	expect_eq(get_param(XEN_HVM_PARAM_VM86_TSS), 0x2000, "VM86_TSS after VM86_TSS_SIZED");
	expect_eq(set_param(XEN_HVM_PARAM_VM86_TSS_SIZED, 0x10000ull << 32 | 0x3000), 0,
		  "set VM86_TSS_SIZED of 64 KiB");
	expect_true(get_param(XEN_HVM_PARAM_VM86_TSS_SIZED) == (TSS_MAX_SIZE << 32 | 0x3000),
		    "VM86_TSS_SIZED capped at 8329 bytes");
	expect_eq(set_param(XEN_HVM_PARAM_VM86_TSS, 0), 0, "set VM86_TSS 0");
	expect_eq(get_param(XEN_HVM_PARAM_VM86_TSS_SIZED), 0, "VM86_TSS_SIZED after VM86_TSS 0");
	if (cmdline_has_word("vm86-crash")) {
		printf(NAME ": VM86_TSS_SIZED of 103 bytes: Xen crashes the guest\n");
		set_param(XEN_HVM_PARAM_VM86_TSS_SIZED, 103ull << 32);
		guest_fail(NAME ": still running after VM86_TSS_SIZED of 103 bytes");
	}
}

static void check_hvm_op(void)
{
	static const uint32_t readable[] = { 1, 2, 17, 18, 34, 35, 36 };
	static const uint32_t perm[] = { 3, 5, 6, 7, 8, 9, 10, 11, 12, 14, 16, 27, 28, 29, 31,
					 32, 33, 38 };
	static const uint32_t deprecated[] = { 4, 13, 20, 21, 22, 23, 24, 25, 26, 30 };
	static const uint32_t beyond[] = { 39, 99, 0xffffffff };
	static const uint16_t other_domids[] = { 0, 2, XEN_DOMID_SELF - 1, XEN_DOMID_SELF + 1,
						 0xffff };
	struct xen_hvm_param p;
	unsigned int i;

	for (i = 0; i < sizeof(readable) / sizeof(readable[0]); i++) {
		p = (struct xen_hvm_param){ XEN_DOMID_SELF, 0, readable[i], 0xdeadbeefcafef00dull };
		expect_eq(hvm_op(XEN_HVMOP_GET_PARAM, ptr(&p)), 0, "hvm_op(GET_PARAM, %u)",
			  readable[i]);
		expect_true(p.value == 0, "hvm_op(GET_PARAM, %u): value 0x%llx, expected 0",
			    readable[i], (unsigned long long)p.value);
		expect_true(p.domid == XEN_DOMID_SELF && p.index == readable[i],
			    "hvm_op(GET_PARAM, %u) changed domid or index", readable[i]);
		/* The guest's own domid (CPUID base+4 ECX: 1) is itself too. */
		p.domid = 1;
		expect_eq(hvm_op(XEN_HVMOP_GET_PARAM, ptr(&p)), 0, "hvm_op(GET_PARAM, %u) of "
			  "domid 1", readable[i]);
		for (unsigned int d = 0; d < sizeof(other_domids) / sizeof(other_domids[0]); d++) {
			p.domid = other_domids[d];
			expect_eq(hvm_op(XEN_HVMOP_GET_PARAM, ptr(&p)), -XEN_ESRCH,
				  "hvm_op(GET_PARAM, %u) of domid 0x%x", readable[i], p.domid);
			expect_eq(hvm_op(XEN_HVMOP_SET_PARAM, ptr(&p)), -XEN_ESRCH,
				  "hvm_op(SET_PARAM, %u) of domid 0x%x", readable[i], p.domid);
		}
	}
	/* The toolstack's: read-only for the guest. */
	p = (struct xen_hvm_param){ XEN_DOMID_SELF, 0, XEN_HVM_PARAM_STORE_PFN, 0x1234 };
	expect_eq(hvm_op(XEN_HVMOP_SET_PARAM, ptr(&p)), -XEN_EPERM, "hvm_op(SET_PARAM, STORE_PFN)");
	p.index = XEN_HVM_PARAM_CONSOLE_PFN;
	expect_eq(hvm_op(XEN_HVMOP_SET_PARAM, ptr(&p)), -XEN_EPERM, "hvm_op(SET_PARAM, CONSOLE_PFN)");
	p.index = XEN_HVM_PARAM_ALTP2M;
	expect_eq(hvm_op(XEN_HVMOP_SET_PARAM, ptr(&p)), -XEN_EEXIST, "hvm_op(SET_PARAM, ALTP2M)");
	/* The guest's: set, read back (the ports change only what it reads). */
	for (i = 0; i < 4; i++) {
		static const uint32_t settable[] = { XEN_HVM_PARAM_STORE_EVTCHN,
						     XEN_HVM_PARAM_CONSOLE_EVTCHN,
						     XEN_HVM_PARAM_VM_GENERATION_ID_ADDR,
						     XEN_HVM_PARAM_X87_FIP_WIDTH };
		uint64_t value = settable[i] == XEN_HVM_PARAM_X87_FIP_WIDTH ? 4 :
				 0x123456789abcdef0ull + i;

		p = (struct xen_hvm_param){ XEN_DOMID_SELF, 0, settable[i], value };
		expect_eq(hvm_op(XEN_HVMOP_SET_PARAM, ptr(&p)), 0, "hvm_op(SET_PARAM, %u)",
			  settable[i]);
		p.value = 0;
		expect_eq(hvm_op(XEN_HVMOP_GET_PARAM, ptr(&p)), 0, "hvm_op(GET_PARAM, %u)",
			  settable[i]);
		expect_true(p.value == value, "hvm_op(GET_PARAM, %u) read 0x%llx after setting "
			    "0x%llx", settable[i], (unsigned long long)p.value,
			    (unsigned long long)value);
		p.value = 0;
		expect_eq(hvm_op(XEN_HVMOP_SET_PARAM, ptr(&p)), 0, "hvm_op(SET_PARAM, %u, 0)",
			  settable[i]);
	}
	p = (struct xen_hvm_param){ XEN_DOMID_SELF, 0, XEN_HVM_PARAM_X87_FIP_WIDTH, 2 };
	expect_eq(hvm_op(XEN_HVMOP_SET_PARAM, ptr(&p)), -XEN_EINVAL, "hvm_op(SET_PARAM, "
		  "X87_FIP_WIDTH, 2): only 0, 4, 8");
	check_vm86_tss();
	p = (struct xen_hvm_param){ XEN_DOMID_SELF, 0, XEN_HVM_PARAM_ACPI_IOPORTS_LOCATION, 1 };
	expect_eq(hvm_op(XEN_HVMOP_SET_PARAM, ptr(&p)), -XEN_ENODEV,
		  "hvm_op(SET_PARAM, ACPI_IOPORTS_LOCATION): no PM timer in a PVH domain");
	expect_eq(get_param(XEN_HVM_PARAM_ACPI_IOPORTS_LOCATION), 0, "ACPI_IOPORTS_LOCATION");
	for (i = 0; i < sizeof(perm) / sizeof(perm[0]); i++) {
		p = (struct xen_hvm_param){ XEN_DOMID_SELF, 0, perm[i], 0x55 };
		expect_eq(hvm_op(XEN_HVMOP_GET_PARAM, ptr(&p)), -XEN_EPERM, "hvm_op(GET_PARAM, %u)",
			  perm[i]);
		expect_eq(hvm_op(XEN_HVMOP_SET_PARAM, ptr(&p)), -XEN_EPERM, "hvm_op(SET_PARAM, %u)",
			  perm[i]);
		expect_true(p.value == 0x55, "hvm_op(GET_PARAM, %u) refused wrote its value",
			    perm[i]);
	}
	for (i = 0; i < sizeof(deprecated) / sizeof(deprecated[0]); i++) {
		p = (struct xen_hvm_param){ XEN_DOMID_SELF, 0, deprecated[i], 0 };
		expect_eq(hvm_op(XEN_HVMOP_GET_PARAM, ptr(&p)), -XEN_EINVAL,
			  "hvm_op(GET_PARAM, %u) (deprecated)", deprecated[i]);
		expect_eq(hvm_op(XEN_HVMOP_SET_PARAM, ptr(&p)), -XEN_EINVAL,
			  "hvm_op(SET_PARAM, %u) (deprecated)", deprecated[i]);
	}
	for (i = 0; i < sizeof(beyond) / sizeof(beyond[0]); i++) {
		p = (struct xen_hvm_param){ XEN_DOMID_SELF, 0, beyond[i], 0 };
		expect_eq(hvm_op(XEN_HVMOP_GET_PARAM, ptr(&p)), -XEN_EINVAL,
			  "hvm_op(GET_PARAM, %u)", beyond[i]);
		expect_eq(hvm_op(XEN_HVMOP_SET_PARAM, ptr(&p)), -XEN_EINVAL,
			  "hvm_op(SET_PARAM, %u)", beyond[i]);
		p.domid = 0;    /* the index is checked before the domain */
		expect_eq(hvm_op(XEN_HVMOP_GET_PARAM, ptr(&p)), -XEN_EINVAL,
			  "hvm_op(GET_PARAM, %u) of domid 0", beyond[i]);
	}
	for (i = 0; i < nr_bad_ptrs; i++) {
		expect_eq(hvm_op(XEN_HVMOP_GET_PARAM, bad_ptrs[i].va), -XEN_EFAULT,
			  "hvm_op(GET_PARAM, %s 0x%lx)", bad_ptrs[i].what, bad_ptrs[i].va);
		expect_eq(hvm_op(XEN_HVMOP_SET_PARAM, bad_ptrs[i].va), -XEN_EFAULT,
			  "hvm_op(SET_PARAM, %s 0x%lx)", bad_ptrs[i].what, bad_ptrs[i].va);
	}
	expect_eq(hvm_op(2, ptr(&p)), -XEN_ENOSYS, "hvm_op(2)");
	expect_eq(hvm_op(99, ptr(&p)), -XEN_ENOSYS, "hvm_op(99)");
	printf(NAME ": hvm_op: readable params 0 until set, settable ones read back, others "
	       "-EPERM, deprecated and unknown -EINVAL, other domains -ESRCH ok\n");
}

/* ---- memory_op: shared_info and the pvclock ---- */

static uint8_t frames[2][PAGE] __attribute__((aligned(4096)));

#define FRAME_A_FILL            0xa5
#define FRAME_B_FILL            0x5a
#define MARKER_OFFSET           4000    /* past Xen's struct shared_info */
#define MARKER                  0x600df00du
#define PVCLOCK_MAX_NS          (600ull * 1000000000ull)        /* 10 minutes */

static long add_to_physmap(uint16_t domid, uint32_t space, unsigned long idx, unsigned long gpfn)
{
	physmap_t x = { .domid = domid, .space = space, .idx = idx, .gpfn = gpfn };

	return memory_op(XEN_XENMEM_ADD_TO_PHYSMAP, ptr(&x));
}

/* The product of a 64-bit delta and a 32-bit multiplier, >> 32, without __int128. */
static uint64_t mul_shr32(uint64_t a, uint32_t mul)
{
	uint64_t lo = (a & 0xffffffffu) * mul, hi = (a >> 32) * mul;

	return hi + (lo >> 32);
}

struct pvclock_read {
	uint64_t ns;
	uint32_t version;
};

static struct pvclock_read pvclock_ns(volatile struct xen_vcpu_time_info *t)
{
	struct pvclock_read r;
	uint64_t tsc, delta, sys, stamp;
	uint32_t mul;
	int8_t shift;

	do {
		r.version = t->version;
		__asm__ volatile("" : : : "memory");
		stamp = t->tsc_timestamp;
		sys = t->system_time;
		mul = t->tsc_to_system_mul;
		shift = t->tsc_shift;
		tsc = rdtsc();
		__asm__ volatile("" : : : "memory");
	} while ((r.version & 1) || r.version != t->version);
	delta = tsc - stamp;
	delta = shift >= 0 ? delta << shift : delta >> -shift;
	r.ns = sys + mul_shr32(delta, mul);
	return r;
}

static volatile struct xen_vcpu_time_info *vcpu0_time(uint8_t *frame)
{
	return &((volatile vcpu_info_t *)frame)[0].time;
}

static void check_shared_info_page(uint8_t *frame, const char *which)
{
	volatile struct xen_vcpu_time_info *t = vcpu0_time(frame);

	expect_true(t->version && !(t->version & 1), "shared_info at %s: vcpu_info[0].time."
		    "version %u, expected even and non-zero", which, t->version);
	expect_true(t->tsc_to_system_mul != 0, "shared_info at %s: vcpu_info[0].time."
		    "tsc_to_system_mul 0", which);
	expect_true(t->system_time < PVCLOCK_MAX_NS, "shared_info at %s: system_time %llu ns",
		    which, (unsigned long long)t->system_time);
}

/*
 * The wall clock, in the 64-bit layout whatever the guest's bitness: no
 * hypercall-page MSR write or CALLBACK_IRQ latched the 32-bit one (Xen's
 * has_32bit_shinfo starts false).  The host's real time when the VM
 * started: after 2020, version even, no seconds' high word before 2106.
 */
#define WALLCLOCK_START         XEN_SHARED_INFO_WC64
#define WALLCLOCK_END           (XEN_SHARED_INFO_WC_SEC_HI64 + 4)
#define WALLCLOCK_2020          1577836800u

static void check_wallclock(const uint8_t *frame)
{
	const volatile struct xen_wallclock *wc = (const void *)(frame + XEN_SHARED_INFO_WC64);
	uint32_t sec_hi = *(const volatile uint32_t *)(frame + XEN_SHARED_INFO_WC_SEC_HI64);

	expect_true(wc->wc_version && !(wc->wc_version & 1), "wc_version %u, expected even "
		    "and non-zero", wc->wc_version);
	expect_true(wc->wc_sec > WALLCLOCK_2020, "wc_sec %u: before 2020", wc->wc_sec);
	expect_true(wc->wc_nsec < 1000000000u, "wc_nsec %u", wc->wc_nsec);
	expect_eq(sec_hi, 0, "wc_sec_hi");
}

static void check_memory_op(void)
{
	uint8_t *a = frames[0], *b = frames[1];
	unsigned long gpfn_a = ptr(a) / PAGE, gpfn_b = ptr(b) / PAGE;
	struct pvclock_read t1, t2, t3;
	unsigned int i;

	/* An unreadable reservation: 0 extents done (as Xen: not an error). */
	expect_eq(memory_op(0, 0), 0, "memory_op(0, increase_reservation, NULL)");
	expect_eq(memory_op(99, 0), -XEN_ENOSYS, "memory_op(99)");
	for (i = 0; i < nr_bad_ptrs; i++)
		expect_eq(memory_op(XEN_XENMEM_ADD_TO_PHYSMAP, bad_ptrs[i].va), -XEN_EFAULT,
			  "memory_op(ADD_TO_PHYSMAP, %s 0x%lx)", bad_ptrs[i].what, bad_ptrs[i].va);
	expect_eq(add_to_physmap(0, XEN_XENMAPSPACE_SHARED_INFO, 0, gpfn_a), -XEN_ESRCH,
		  "add_to_physmap(domid 0, shared_info)");
	expect_eq(add_to_physmap(2, XEN_XENMAPSPACE_SHARED_INFO, 0, gpfn_a), -XEN_ESRCH,
		  "add_to_physmap(domid 2, shared_info)");
	expect_eq(add_to_physmap(XEN_DOMID_SELF, XEN_XENMAPSPACE_SHARED_INFO, 1, gpfn_a),
		  -XEN_EINVAL, "add_to_physmap(shared_info, idx 1)");
	expect_eq(add_to_physmap(XEN_DOMID_SELF, XEN_XENMAPSPACE_SHARED_INFO, ~0ul, gpfn_a),
		  -XEN_EINVAL, "add_to_physmap(shared_info, idx ~0)");
	/* Grant frames: xenmem's; beyond the table's 64 frames -EINVAL. */
	expect_eq(add_to_physmap(XEN_DOMID_SELF, XEN_XENMAPSPACE_GRANT_TABLE, 64, gpfn_a),
		  -XEN_EINVAL, "add_to_physmap(grant_table, idx 64)");
	expect_eq(add_to_physmap(XEN_DOMID_SELF, 2, 0, gpfn_a), -XEN_EINVAL,
		  "add_to_physmap(space 2, gmfn)");
	expect_eq(add_to_physmap(XEN_DOMID_SELF, 99, 0, gpfn_a), -XEN_EINVAL,
		  "add_to_physmap(space 99)");

	/*
	 * Frame A: filled, then the shared_info page.  A wrong layout would
	 * map it elsewhere (64-bit read as 32: gpfn 0) or refuse it (32-bit
	 * read as 64: idx = gpfn << 32, not 0).
	 */
	memset(a, FRAME_A_FILL, PAGE);
	memset(b, FRAME_B_FILL, PAGE);
	expect_eq(add_to_physmap(XEN_DOMID_SELF, XEN_XENMAPSPACE_SHARED_INFO, 0, gpfn_a), 0,
		  "add_to_physmap(shared_info, gpfn 0x%lx)", gpfn_a);
	check_shared_info_page(a, "frame A");
	check_wallclock(a);
	for (i = XEN_VCPU_INFO_SIZE; i < PAGE; i++)
		if (a[i] && (i < WALLCLOCK_START || i >= WALLCLOCK_END))
			break;
	expect_true(i == PAGE, "shared_info at frame A: byte %u is 0x%x, expected 0 "
		    "(a fresh page beyond vcpu_info[0] and the wall clock)", i, i < PAGE ? a[i] : 0);

	t1 = pvclock_ns(vcpu0_time(a));
	for (i = 0; i < 100; i++)
		hc_sched_op(XEN_SCHEDOP_YIELD, 0);
	t2 = pvclock_ns(vcpu0_time(a));
	expect_true(t1.ns > 0 && t1.ns < PVCLOCK_MAX_NS, "pvclock %llu ns since the VM "
		    "started, expected more than 0 and less than 10 minutes",
		    (unsigned long long)t1.ns);
	expect_true(t2.ns > t1.ns, "pvclock did not advance over 100 yields: %llu ns, then %llu ns",
		    (unsigned long long)t1.ns, (unsigned long long)t2.ns);

	/* Moved: B shows the same page (marker), A its RAM again. */
	*(volatile uint32_t *)(a + MARKER_OFFSET) = MARKER;
	expect_eq(add_to_physmap(XEN_DOMID_SELF, XEN_XENMAPSPACE_SHARED_INFO, 0, gpfn_b), 0,
		  "add_to_physmap(shared_info, gpfn 0x%lx): moving it", gpfn_b);
	check_shared_info_page(b, "frame B");
	expect_eq(*(volatile uint32_t *)(b + MARKER_OFFSET), MARKER,
		  "the word written to shared_info at frame A, read at frame B after the move");
	for (i = 0; i < PAGE; i++)
		if (a[i] != FRAME_A_FILL)
			break;
	expect_true(i == PAGE, "frame A after shared_info moved away: byte %u is 0x%x, "
		    "expected its RAM (0x%x)", i, i < PAGE ? a[i] : 0, FRAME_A_FILL);
	t3 = pvclock_ns(vcpu0_time(b));
	expect_true(t3.ns >= t2.ns, "pvclock went back after the move: %llu ns, then %llu ns",
		    (unsigned long long)t2.ns, (unsigned long long)t3.ns);
	expect_eq(add_to_physmap(XEN_DOMID_SELF, XEN_XENMAPSPACE_SHARED_INFO, 0, gpfn_b), 0,
		  "add_to_physmap(shared_info, gpfn 0x%lx) again, same frame", gpfn_b);
	expect_eq(*(volatile uint32_t *)(b + MARKER_OFFSET), MARKER,
		  "the word in shared_info after mapping it at the same frame again");
	printf(NAME ": memory_op: shared_info in the %zu-byte layout mapped and moved; "
	       "pvclock %llu ns, then %llu ns, then %llu ns (mul %u, shift %d)\n",
	       sizeof(physmap_t), (unsigned long long)t1.ns, (unsigned long long)t2.ns,
	       (unsigned long long)t3.ns, vcpu0_time(b)->tsc_to_system_mul,
	       vcpu0_time(b)->tsc_shift);
}

/*
 * Frames at or above 2^48 are refused as Xen's four-level p2m refuses them
 * (-EINVAL), whatever MAXPHYADDR (CPUID 0x80000008) says: hvk's four-level
 * tables would otherwise index them modulo 2^48, onto low RAM.  And a guest
 * that keeps moving shared_info to new places gets -ENOMEM once the VM's
 * nested tables reach their bound, instead of growing them without end;
 * it can still move it where tables exist.  shared_info is at frame B.
 */
#define PLACES_BASE             (4ull << 30)    /* above any RAM hcall gets */
#define PLACES_STRIDE           (2ull << 20)    /* a table of its own each */
#define PLACES_MAX              2000u

static void check_physmap_bounds(uint8_t *a, uint8_t *b)
{
	unsigned int width = cpuid(0x80000008).eax & 0xff, moves;
	unsigned long gpfn_b = ptr(b) / PAGE;
	long rc = 0;

	expect_true(width >= 32 && width <= 48, "MAXPHYADDR %u: 32 to 48 bits", width);
#ifdef __x86_64__
	expect_eq(add_to_physmap(XEN_DOMID_SELF, XEN_XENMAPSPACE_SHARED_INFO, 0,
				 (1ul << 36) - 1), 0,
		  "add_to_physmap(shared_info, gpfn 2^36 - 1): the last frame of 48 bits");
	/* 2^48 + frame A: the address four levels of tables would alias to A. */
	expect_eq(add_to_physmap(XEN_DOMID_SELF, XEN_XENMAPSPACE_SHARED_INFO, 0,
				 (1ul << 36) + ptr(a) / PAGE), -XEN_EINVAL,
		  "add_to_physmap(shared_info, gpfn 2^36 + frame A)");
	expect_eq(a[0], FRAME_A_FILL, "frame A after that: its RAM");
	expect_eq(add_to_physmap(XEN_DOMID_SELF, XEN_XENMAPSPACE_SHARED_INFO, 0, ~0ul >> 1),
		  -XEN_EINVAL, "add_to_physmap(shared_info, gpfn 2^63 - 1)");
#else
	(void)a;        /* a 32-bit gpfn cannot reach 2^36 */
#endif
	for (moves = 0; moves < PLACES_MAX; moves++) {
		uint64_t gpa = PLACES_BASE + moves * PLACES_STRIDE;

		rc = add_to_physmap(XEN_DOMID_SELF, XEN_XENMAPSPACE_SHARED_INFO, 0, gpa / PAGE);
		if (rc)
			break;
	}
	expect_true(rc == -XEN_ENOMEM && moves > 64,
		    "shared_info moved to %u new places 2 MiB apart: the last answered %ld, "
		    "expected -ENOMEM (the VM's bound on nested tables) after more than 64",
		    moves, rc);
	expect_eq(add_to_physmap(XEN_DOMID_SELF, XEN_XENMAPSPACE_SHARED_INFO, 0, gpfn_b), 0,
		  "add_to_physmap(shared_info, frame B) after that: its tables exist");
	expect_eq(*(volatile uint32_t *)(b + MARKER_OFFSET), MARKER,
		  "the word in shared_info after its travels");
	printf(NAME ": physmap: %u address bits; shared_info moved %u times, then -ENOMEM\n",
	       width, moves);
}

/* ---- multicall ---- */

static long multicall(const volatile mc_entry_t *entries, unsigned long count)
{
	return hc(XEN_HC_MULTICALL, ptr(entries), count, 0);
}

static void mc_set(volatile mc_entry_t *e, unsigned long op, unsigned long a0,
		   unsigned long a1, unsigned long a2)
{
	e->op = op;
	e->result = SENTINEL;
	e->args[0] = a0;
	e->args[1] = a1;
	e->args[2] = a2;
	e->args[3] = e->args[4] = e->args[5] = 0;
}

static void mc_expect(const volatile mc_entry_t *e, unsigned int i, long want, const char *what)
{
	/* The result is the call's, in the entry's width (sign-extended on read). */
	expect_eq((long)e[i].result, want, "multicall entry %u (%s): result", i, what);
}

static void check_multicall_mixed(void)
{
	static const char msg[] = NAME ": console write from a multicall\n";
	static volatile mc_entry_t e[13];
	static struct xen_hvm_param p;
	unsigned int n = 12;

	p = (struct xen_hvm_param){ XEN_DOMID_SELF, 0, XEN_HVM_PARAM_CONSOLE_PFN, 0x99 };
	mc_set(&e[0], XEN_HC_XEN_VERSION, XEN_XENVER_VERSION, 0, 0);
	mc_set(&e[1], 99, 0, 0, 0);
	mc_set(&e[2], XEN_HC_CONSOLE_IO, XEN_CONSOLEIO_WRITE, sizeof(msg) - 1, ptr(msg));
	mc_set(&e[3], XEN_HC_MULTICALL, ptr(&e[0]), 1, 0);
	mc_set(&e[4], XEN_HC_XEN_VERSION, XEN_XENVER_EXTRAVERSION, BEYOND_RAM, 0);
	mc_set(&e[5], hvk_nr(HVK_FAMILY_BASE, HVK_BASE_NULL, 0), 0, 0, 0);
	mc_set(&e[6], hvk_nr(HVK_FAMILY_BASE, HVK_BASE_API_VERSION, 0), 0, 0, 0);
	mc_set(&e[7], XEN_HC_XEN_VERSION, XEN_XENVER_PAGESIZE, 0, 0);
	mc_set(&e[8], XEN_HC_HVM_OP, XEN_HVMOP_GET_PARAM, ptr(&p), 0);
	mc_set(&e[9], XEN_HC_SCHED_OP, XEN_SCHEDOP_YIELD, 0, 0);
	mc_set(&e[10], XEN_HC_VCPU_OP, XEN_VCPUOP_IS_UP, 0, 0);
#ifdef __x86_64__
	/* All 64 bits of a 64-bit entry's op count. */
	mc_set(&e[11], 0x100000000ul | XEN_HC_XEN_VERSION, XEN_XENVER_VERSION, 0, 0);
#else
	mc_set(&e[11], 0xffffff00ul | XEN_HC_XEN_VERSION, XEN_XENVER_VERSION, 0, 0);
#endif
	/* Not in the count: must stay untouched. */
	mc_set(&e[12], XEN_HC_XEN_VERSION, XEN_XENVER_VERSION, 0, 0);

	expect_eq(multicall(e, n), 0, "multicall of %u mixed entries", n);
	mc_expect(e, 0, XEN_VERSION_EXPECTED, "xen_version(VERSION)");
	mc_expect(e, 1, -XEN_ENOSYS, "hypercall 99");
	mc_expect(e, 2, 0, "console_io(WRITE)");
	mc_expect(e, 3, -XEN_EINVAL, "a nested multicall");
	mc_expect(e, 4, -XEN_EFAULT, "xen_version(EXTRAVERSION, bad pointer)");
	mc_expect(e, 5, 0, "hvk null");
	mc_expect(e, 6, HVK_API_VERSION_EXPECTED, "hvk api_version");
	mc_expect(e, 7, 4096, "xen_version(PAGESIZE)");
	mc_expect(e, 8, 0, "hvm_op(GET_PARAM, CONSOLE_PFN)");
	expect_true(p.value == 0, "hvm_op(GET_PARAM) in a multicall left value 0x%llx",
		    (unsigned long long)p.value);
	mc_expect(e, 9, 0, "sched_op(YIELD)");
	mc_expect(e, 10, 1, "vcpu_op(IS_UP, 0)");
	mc_expect(e, 11, -XEN_ENOSYS, "op with high bits set");
	expect_true(e[12].result == SENTINEL, "multicall wrote the result of entry 12, "
		    "beyond its count of 12");
	for (unsigned int i = 0; i < 13; i++)
		expect_true(e[i].op != SENTINEL && e[i].args[5] == 0,
			    "multicall changed entry %u's op or args[5]", i);
}

#ifndef __x86_64__
/*
 * The same batch with paging on (4 MiB pages, 1:1): with paging off hvk
 * translates nothing, so only this reaches its cached reading of a
 * batch's page for a 32-bit caller (hc_multicall.c).
 */
#define PDE_4M                  0x83u           /* present, writable, 4 MiB */
#define CR4_PSE                 0x10u
#define CR0_PG                  0x80000000u

static uint32_t mc_page_directory[1024] __attribute__((aligned(4096)));

static void check_multicall_paged(void)
{
	unsigned long cr0, cr4;

	for (uint32_t i = 0; i < 1024; i++)
		mc_page_directory[i] = i << 22 | PDE_4M;
	__asm__ volatile("mov %%cr4, %0" : "=r"(cr4));
	__asm__ volatile("mov %0, %%cr3" : : "r"(mc_page_directory) : "memory");
	__asm__ volatile("mov %0, %%cr4" : : "r"(cr4 | CR4_PSE) : "memory");
	__asm__ volatile("mov %%cr0, %0" : "=r"(cr0));
	__asm__ volatile("mov %0, %%cr0" : : "r"(cr0 | CR0_PG) : "memory");
	check_multicall_mixed();
	__asm__ volatile("mov %0, %%cr0" : : "r"(cr0) : "memory");
	__asm__ volatile("mov %0, %%cr4" : : "r"(cr4) : "memory");
}
#endif

static void check_multicall_bad(void)
{
	volatile mc_entry_t *last;
	mc_entry_t saved[2];

	for (unsigned int i = 0; i < nr_bad_ptrs; i++)
		expect_eq(multicall((const mc_entry_t *)bad_ptrs[i].va, 1), -XEN_EFAULT,
			  "multicall(%s 0x%lx, 1)", bad_ptrs[i].what, bad_ptrs[i].va);
	expect_eq(multicall((const mc_entry_t *)BEYOND_RAM, 0), 0, "multicall(bad pointer, 0)");
	if (!ram_end || ram_end >= (1ull << 32))
		return;
	/* Entry 0 is the last in RAM, entry 1 beyond: 0 runs, then -EFAULT. */
	last = (volatile mc_entry_t *)(uintptr_t)(ram_end - sizeof(mc_entry_t));
	memcpy(saved, (const void *)(uintptr_t)(ram_end - sizeof(saved)), sizeof(saved));
	mc_set(last, XEN_HC_XEN_VERSION, XEN_XENVER_PAGESIZE, 0, 0);
	expect_eq(multicall(last, 2), -XEN_EFAULT, "multicall of 2 entries, the second beyond RAM");
	mc_expect(last, 0, 4096, "the last entry in RAM");
	memcpy((void *)(uintptr_t)(ram_end - sizeof(saved)), saved, sizeof(saved));
}

/*
 * Console writes larger than the console buffer: continued from their own
 * entry.  Each entry must run once: the results say the ones after the long
 * writes ran; the output must hold each marker line and text line once, in
 * order (the harness can count them).
 */
static void check_multicall_continued(void)
{
	static const char before[] = NAME ": multicall marker before the long writes\n";
	static const char after[] = NAME ": multicall marker after the long writes\n";
	static char text_b[3500];
	static volatile mc_entry_t e[9];
	size_t len_a = make_long_text(long_text, sizeof(long_text), "multicall long write A",
				      LONG_WRITE_LINES);
	size_t len_b = make_long_text(text_b, sizeof(text_b), "multicall long write B", 25);
	unsigned long done_a;

	mc_set(&e[0], XEN_HC_CONSOLE_IO, XEN_CONSOLEIO_WRITE, sizeof(before) - 1, ptr(before));
	mc_set(&e[1], hvk_nr(HVK_FAMILY_BASE, HVK_BASE_NULL, 0), 0, 0, 0);
	mc_set(&e[2], XEN_HC_XEN_VERSION, XEN_XENVER_VERSION, 0, 0);
	mc_set(&e[3], XEN_HC_CONSOLE_IO, XEN_CONSOLEIO_WRITE, len_a, ptr(long_text));
	mc_set(&e[4], XEN_HC_XEN_VERSION, XEN_XENVER_PAGESIZE, 0, 0);
	mc_set(&e[5], XEN_HC_CONSOLE_IO, XEN_CONSOLEIO_WRITE, len_b, ptr(text_b));
	mc_set(&e[6], hvk_nr(HVK_FAMILY_BASE, HVK_BASE_QUERY, 0), HVK_QUERY_FAMILIES, 0, 0);
	mc_set(&e[7], XEN_HC_CONSOLE_IO, XEN_CONSOLEIO_WRITE, sizeof(after) - 1, ptr(after));
	mc_set(&e[8], XEN_HC_XEN_VERSION, XEN_XENVER_VERSION, 0, 0);
	expect_eq(multicall(e, 8), 0, "multicall with %zu- and %zu-byte console writes",
		  len_a, len_b);
	mc_expect(e, 0, 0, "console_io(WRITE) of the marker before");
	mc_expect(e, 1, 0, "hvk null");
	mc_expect(e, 2, XEN_VERSION_EXPECTED, "xen_version(VERSION)");
	mc_expect(e, 3, 0, "console_io(WRITE) of text A");
	mc_expect(e, 4, 4096, "xen_version(PAGESIZE)");
	mc_expect(e, 5, 0, "console_io(WRITE) of text B");
	expect_true((long)e[6].result > 0 && (e[6].result & 1),
		    "multicall entry 6 (hvk query(FAMILIES)): result 0x%lx, expected bit 0",
		    (unsigned long)e[6].result);
	mc_expect(e, 7, 0, "console_io(WRITE) of the marker after");
	expect_true(e[8].result == SENTINEL, "multicall wrote entry 8, beyond its count");
	/* A continued entry keeps its progress in its own args. */
	done_a = e[3].args[2] - ptr(long_text);
	expect_true(e[3].args[1] < len_a && done_a > 0 && done_a + e[3].args[1] == len_a,
		    "text A's entry after the multicall: count %lu, buffer +%lu (of %zu): "
		    "expected it continued", (unsigned long)e[3].args[1], done_a, len_a);
	printf(NAME ": multicall with a %zu-byte write in the middle: continued at +%lu, "
	       "all entries ran, text once\n", len_a, done_a);
}

#ifdef __x86_64__
/*
 * A page the guest maps read-only, read by one entry of a multicall and
 * written by the next: hvk keeps one translation per page for the whole
 * batch (kmod/guest_mem.c), found by a walk for writing that fails here,
 * then one for reading.  The write must still fail, as in Xen, with
 * CR0.WP set; with WP clear a supervisor write ignores the R/W bit
 * (SDM 4.6.1) and succeeds.  The page is seen read-only through an alias
 * at 3 GiB (beyond RAM, unused otherwise) of the 2 MiB holding it.
 */
#define RO_ALIAS_VA             (3ul << 30)
#define CR0_WP                  (1ul << 16)

static struct {
	char text[64];
	char out[XEN_EXTRAVERSION_LEN];
} ro_page __attribute__((aligned(4096))) = {
	.text = NAME ": this line was read through a read-only page\n",
};

static void mc_read_then_write(int wp)
{
	static volatile mc_entry_t e[3];
	char *alias = (char *)(RO_ALIAS_VA + (ptr(&ro_page) & (LARGE_PAGE_SIZE - 1)));
	unsigned long cr0;

	memset(ro_page.out, 'x', sizeof(ro_page.out));
	mc_set(&e[0], XEN_HC_CONSOLE_IO, XEN_CONSOLEIO_WRITE, strlen(ro_page.text),
	       ptr(alias + offsetof(typeof(ro_page), text)));
	mc_set(&e[1], XEN_HC_XEN_VERSION, XEN_XENVER_EXTRAVERSION,
	       ptr(alias + offsetof(typeof(ro_page), out)), 0);
	mc_set(&e[2], XEN_HC_XEN_VERSION, XEN_XENVER_PAGESIZE, 0, 0);
	__asm__ volatile("mov %%cr0, %0" : "=r"(cr0));
	__asm__ volatile("mov %0, %%cr0" : : "r"(wp ? cr0 | CR0_WP : cr0 & ~CR0_WP) : "memory");
	expect_eq(multicall(e, 3), 0, "multicall reading, then writing a read-only page "
		  "(CR0.WP %d)", wp);
	__asm__ volatile("mov %0, %%cr0" : : "r"(cr0) : "memory");
	mc_expect(e, 0, 0, "console_io(WRITE) from the read-only page");
	mc_expect(e, 1, wp ? -XEN_EFAULT : 0, "xen_version(EXTRAVERSION) into the read-only page");
	mc_expect(e, 2, 4096, "xen_version(PAGESIZE) after it");
	expect_true(wp ? ro_page.out[0] == 'x' : !memcmp(ro_page.out, "-hvk", 5),
		    "the read-only page after the write (CR0.WP %d): first byte 0x%x", wp,
		    (unsigned int)(uint8_t)ro_page.out[0]);
}

static void check_multicall_read_only(void)
{
	uint64_t *pde = paging_large_pde(RO_ALIAS_VA), saved = *pde;

	paging_map_large(RO_ALIAS_VA, ptr(&ro_page) & ~(uint64_t)(LARGE_PAGE_SIZE - 1), 0);
	mc_read_then_write(1);
	mc_read_then_write(0);
	*pde = saved;
	__asm__ volatile("invlpg (%0)" : : "r"(RO_ALIAS_VA) : "memory");
	printf(NAME ": multicall: a read-only page read, then written: -EFAULT with CR0.WP, "
	       "written without\n");
}
#endif

static void check_multicall_long(void)
{
	static volatile mc_entry_t e[200];
	unsigned int n = sizeof(e) / sizeof(e[0]);

	for (unsigned int i = 0; i < n; i++)
		mc_set(&e[i], i % 2 ? hvk_nr(HVK_FAMILY_BASE, HVK_BASE_API_VERSION, 0)
				    : XEN_HC_XEN_VERSION, XEN_XENVER_PAGESIZE, 0, 0);
	expect_eq(multicall(e, n), 0, "multicall of %u entries", n);
	for (unsigned int i = 0; i < n; i++)
		mc_expect(e, i, i % 2 ? HVK_API_VERSION_EXPECTED : 4096,
			  i % 2 ? "hvk api_version" : "xen_version(PAGESIZE)");
	expect_eq(multicall(e, 0), 0, "multicall of 0 entries");
}

static void check_multicall(void)
{
	check_multicall_mixed();
#ifndef __x86_64__
	check_multicall_paged();
#endif
	check_multicall_bad();
	check_multicall_continued();
	check_multicall_long();
#ifdef __x86_64__
	check_multicall_read_only();
#endif
	printf(NAME ": multicall: %zu-byte entries, mixed results, bad entries, continuation, "
	       "200 entries ok\n", sizeof(mc_entry_t));
}

/* ---- hvk's own family ---- */

static long hvk_call(unsigned long nr, unsigned long a1, unsigned long a2)
{
	return hc(nr, a1, a2, 0);
}

static void check_hvk_family(void)
{
	unsigned long query = hvk_nr(HVK_FAMILY_BASE, HVK_BASE_QUERY, 0);
	unsigned long null = hvk_nr(HVK_FAMILY_BASE, HVK_BASE_NULL, 0);
	unsigned long api = hvk_nr(HVK_FAMILY_BASE, HVK_BASE_API_VERSION, 0);
	long families;

	expect_eq(hvk_call(query, HVK_FAMILY_BASE, HVK_BASE_QUERY), 1, "hvk query(base, query)");
	expect_eq(hvk_call(query, HVK_FAMILY_BASE, HVK_BASE_NULL), 1, "hvk query(base, null)");
	expect_eq(hvk_call(query, HVK_FAMILY_BASE, HVK_BASE_API_VERSION), 1,
		  "hvk query(base, api_version)");
	expect_eq(hvk_call(query, HVK_FAMILY_BASE, 3), 0, "hvk query(base, 3)");
	expect_eq(hvk_call(query, HVK_FAMILY_BASE, 0xffff), 0, "hvk query(base, 0xffff)");
	expect_eq(hvk_call(query, HVK_FAMILY_MMU, HVK_MMU_SET_PTE), 1, "hvk query(mmu, set_pte)");
	expect_eq(hvk_call(query, HVK_FAMILY_MMU, HVK_MMU_FLUSH_TLB), 1, "hvk query(mmu, flush_tlb)");
	expect_eq(hvk_call(query, HVK_FAMILY_MMU, HVK_MMU_INVLPG), 1, "hvk query(mmu, invlpg)");
	expect_eq(hvk_call(query, HVK_FAMILY_MMU, 3), 0, "hvk query(mmu, 3)");
	expect_eq(hvk_call(query, 2, 0), 0, "hvk query(family 2, 0)");
	expect_eq(hvk_call(query, 7, 0), 0, "hvk query(family 7, 0)");
	expect_eq(hvk_call(query, 8, 0), 0, "hvk query(family 8, 0)");
	expect_eq(hvk_call(query, 0xfffe, 0), 0, "hvk query(family 0xfffe, 0)");
	families = hvk_call(query, HVK_QUERY_FAMILIES, 0);
	expect_eq(families, (1 << HVK_FAMILY_BASE) | (1 << HVK_FAMILY_MMU),
		  "hvk query(FAMILIES): base and mmu");
	expect_eq(hvk_call(null, 0, 0), 0, "hvk null()");
	expect_eq(hvk_call(api, 0, 0), HVK_API_VERSION_EXPECTED, "hvk api_version()");
	expect_eq(hvk_call(hvk_nr(HVK_FAMILY_BASE, 3, 0), 0, 0), -XEN_ENOSYS, "hvk base call 3");
	expect_eq(hvk_call(hvk_nr(HVK_FAMILY_BASE, 0xffff, 0), 0, 0), -XEN_ENOSYS,
		  "hvk base call 0xffff");
	for (unsigned int f = 1; f < HVK_HC_NR_FAMILIES; f++)
		if (!(families & (1l << f)))
			expect_eq(hvk_call(hvk_nr(f, 0, 0), 0, 0), -XEN_ENOSYS,
				  "hvk family %u call 0 (family absent)", f);
	/* Unknown annotation bits are hints: ignored. */
	expect_eq(hvk_call(hvk_nr(HVK_FAMILY_BASE, HVK_BASE_NULL, 0x80), 0, 0), 0,
		  "hvk null() with annotation 0x80");
	expect_eq(hvk_call(hvk_nr(HVK_FAMILY_BASE, HVK_BASE_NULL, HVK_HC_ANNOT_MAY_QUEUE), 0, 0),
		  0, "hvk null() with MAY_QUEUE");
	expect_eq(hvk_call(hvk_nr(HVK_FAMILY_BASE, HVK_BASE_API_VERSION, 0xff), 0, 0),
		  HVK_API_VERSION_EXPECTED, "hvk api_version() with annotations 0xff");
	expect_eq(hvk_call(hvk_nr(HVK_FAMILY_BASE, HVK_BASE_QUERY, 0x7f), HVK_FAMILY_BASE,
			   HVK_BASE_NULL), 1, "hvk query(base, null) with annotations 0x7f");
#ifdef __x86_64__
	expect_eq(hvk_call(null | 1ul << 32, 0, 0), -XEN_ENOSYS, "hvk null() with RAX bit 32");
	expect_eq(hvk_call(api | 1ul << 63, 0, 0), -XEN_ENOSYS,
		  "hvk api_version() with RAX bit 63");
	expect_eq(hvk_call(null | 0xffffffff00000000ul, 0, 0), -XEN_ENOSYS,
		  "hvk null() with RAX bits 32-63");
#endif
	printf(NAME ": hvk family: query (families 0x%lx), null, api_version %d, unknown "
	       "calls, annotations ok\n", families, HVK_API_VERSION_EXPECTED);
}

/* ---- hvk's paravirtual MMU family ---- */

static long mmu_call(unsigned int call, unsigned long a1, unsigned long a2,
		     unsigned long a3, unsigned long a4, unsigned long a5)
{
	return hypercall5(hvk_nr(HVK_FAMILY_MMU, call, 0), a1, a2, a3, a4, a5);
}

/* The low RAM is identity-mapped in both runtimes: address == GPA. */
static volatile uint64_t mmu_slot __attribute__((aligned(8)));

static void check_hvk_mmu(void)
{
	unsigned long gpa = (unsigned long)(uintptr_t)&mmu_slot;

	mmu_slot = 0;
	expect_eq(mmu_call(HVK_MMU_SET_PTE, gpa, 0, 0x89abcdefu, 0x01234567u, 8), 0,
		  "mmu set_pte(8 bytes)");
	expect_true(mmu_slot == 0x0123456789abcdefull, "set_pte wrote 0x%llx",
		    (unsigned long long)mmu_slot);
	expect_eq(mmu_call(HVK_MMU_SET_PTE, gpa + 4, 0, 0xfeedf00du, 0xdeadu, 4), 0,
		  "mmu set_pte(4 bytes)");
	expect_true(mmu_slot == 0xfeedf00d89abcdefull, "4-byte set_pte wrote only its half: 0x%llx",
		    (unsigned long long)mmu_slot);
	expect_eq(mmu_call(HVK_MMU_SET_PTE, gpa + 4, 0, 0, 0, 8), -XEN_EINVAL,
		  "mmu set_pte(8 bytes) misaligned");
	expect_eq(mmu_call(HVK_MMU_SET_PTE, gpa, 0, 0, 0, 3), -XEN_EINVAL, "mmu set_pte(size 3)");
	expect_eq(mmu_call(HVK_MMU_SET_PTE, 0, 1, 0, 0, 8), -XEN_EFAULT,
		  "mmu set_pte at 4 GiB (beyond RAM)");
	expect_eq(mmu_call(HVK_MMU_FLUSH_TLB, 0, 0, 0, 0, 0), 0, "mmu flush_tlb()");
	expect_eq(mmu_call(HVK_MMU_INVLPG, gpa, 0, 0, 0, 0), 0, "mmu invlpg()");
	expect_eq(mmu_call(3, 0, 0, 0, 0, 0), -XEN_ENOSYS, "mmu call 3");
	printf(NAME ": hvk mmu family: set_pte (8 and 4 bytes, errors), flush_tlb, invlpg ok\n");
}

#ifdef __x86_64__
/*
 * A guest-virtual output follows the page tables of its own hypercall:
 * the same pointer, remapped between two calls (with an INVLPG), writes
 * the new page and leaves the old one alone.  hvk keeps translations for
 * one exit only (kmod/guest_mem.c); without that, the second call would
 * write the first page.  Two 2 MiB RAM pages at the top of RAM, seen
 * through one virtual page at 2 GiB (beyond RAM, unused otherwise).
 */
#define REMAP_VA                (2ul << 30)

/* The two pages REMAP_VA moves between; false if RAM is too small for them. */
static bool remap_pages(uint64_t pa[2])
{
	if (!ram_end || ram_end >= (1ull << 32) || ram_end < 8 * LARGE_PAGE_SIZE)
		return false;
	pa[0] = (ram_end - 2 * LARGE_PAGE_SIZE) & ~(uint64_t)(LARGE_PAGE_SIZE - 1);
	pa[1] = pa[0] + LARGE_PAGE_SIZE;
	return true;
}

/* Maps REMAP_VA to pa[0]; @e: hvk's set_pte pointing it at pa[1] instead. */
static void remap_set_pte_entry(volatile mc_entry_t *e, const uint64_t pa[2])
{
	uint64_t pde_gpa, pde;

	paging_map_large(REMAP_VA, pa[0], PTE_WRITABLE);
	pde_gpa = (uintptr_t)paging_large_pde(REMAP_VA);
	pde = pa[1] | PTE_WRITABLE | PTE_PRESENT | PTE_LARGE;
	mc_set(e, hvk_nr(HVK_FAMILY_MMU, HVK_MMU_SET_PTE, 0), (uint32_t)pde_gpa,
	       pde_gpa >> 32, (uint32_t)pde);
	e->args[3] = pde >> 32;
	e->args[4] = 8;
}

static void check_remapped_output(void)
{
	uint64_t pa[2];
	char *page[2];

	if (!remap_pages(pa)) {
		printf(NAME ": SKIP remapped output: RAM ends at 0x%llx\n",
		       (unsigned long long)ram_end);
		return;
	}
	for (unsigned int i = 0; i < 2; i++)
		page[i] = (char *)(uintptr_t)pa[i];     /* identity-mapped */
	for (unsigned int i = 0; i < 2; i++) {
		memset(page[0], 'x', 32);
		memset(page[1], 'x', 32);
		paging_map_large(REMAP_VA, pa[i], PTE_WRITABLE);
		__asm__ volatile("invlpg (%0)" : : "r"(REMAP_VA) : "memory");
		expect_eq(xen_version(XEN_XENVER_EXTRAVERSION, REMAP_VA), 0,
			  "xen_version(EXTRAVERSION) through a page mapped to 0x%llx",
			  (unsigned long long)pa[i]);
		expect_true(!memcmp(page[i], "-hvk", 5), "call %u did not write the page mapped "
			    "now (its first byte 0x%x)", i + 1, (unsigned int)(uint8_t)page[i][0]);
		expect_true(page[!i][0] == 'x', "call %u wrote the other page (first byte 0x%x)",
			    i + 1, (unsigned int)(uint8_t)page[!i][0]);
	}
	paging_unmap_large(REMAP_VA);
	expect_eq(xen_version(XEN_XENVER_EXTRAVERSION, REMAP_VA), -XEN_EFAULT,
		  "xen_version(EXTRAVERSION) through the unmapped page");
	printf(NAME ": outputs follow the page tables of each call (remapped, unmapped)\n");
}

/*
 * The same within one multicall: entry 0 writes through REMAP_VA (hvk then
 * keeps that translation for the rest of the hypercall, kmod/guest_mem.c),
 * entry 1 points REMAP_VA's PDE at the other page with hvk's set_pte,
 * entry 2 flushes it (invlpg), entry 3 writes again: into the new page.
 */
static void check_remapped_in_multicall(void)
{
	static volatile mc_entry_t e[4];
	uint64_t pa[2];
	char *page[2];

	if (!remap_pages(pa))
		return;                 /* said by check_remapped_output */
	for (unsigned int i = 0; i < 2; i++) {
		page[i] = (char *)(uintptr_t)pa[i];     /* identity-mapped */
		memset(page[i], 'x', 32);
	}
	mc_set(&e[0], XEN_HC_XEN_VERSION, XEN_XENVER_EXTRAVERSION, REMAP_VA, 0);
	remap_set_pte_entry(&e[1], pa);
	mc_set(&e[2], hvk_nr(HVK_FAMILY_MMU, HVK_MMU_INVLPG, 0), (uint32_t)REMAP_VA,
	       REMAP_VA >> 32, 0);
	mc_set(&e[3], XEN_HC_XEN_VERSION, XEN_XENVER_EXTRAVERSION, REMAP_VA, 0);
	expect_eq(multicall(e, 4), 0, "multicall: write, set_pte, invlpg, write");
	for (unsigned int i = 0; i < 4; i++)
		mc_expect(e, i, 0, "write, set_pte, invlpg, write");
	expect_true(!memcmp(page[0], "-hvk", 5), "entry 0 did not write the page mapped "
		    "then (its first byte 0x%x)", (unsigned int)(uint8_t)page[0][0]);
	expect_true(!memcmp(page[1], "-hvk", 5), "entry 3 did not write the page mapped "
		    "by entry 1 (its first byte 0x%x)", (unsigned int)(uint8_t)page[1][0]);
	paging_unmap_large(REMAP_VA);
	printf(NAME ": a multicall's entries follow the page tables its earlier entries set\n");
}

/*
 * A batch its own entries move: the entries are read through REMAP_VA,
 * entry 1 points REMAP_VA at another page (whose entry 3 differs) with
 * hvk's set_pte, which flushes hvk's translations as it returns: from
 * entry 1's result on, the batch is the new page's, and entry 3 is read
 * from it (hvk reads a batch through its page only while no entry flushed
 * a translation or changed a frame, kmod/xen/hc_multicall.c).
 */
static void check_multicall_moves_its_batch(void)
{
	volatile mc_entry_t *old, *new;
	uint64_t pa[2];

	if (!remap_pages(pa))
		return;                 /* said by check_remapped_output */
	old = (volatile mc_entry_t *)(uintptr_t)pa[0];  /* identity-mapped */
	new = (volatile mc_entry_t *)(uintptr_t)pa[1];
	mc_set(&old[0], hvk_nr(HVK_FAMILY_BASE, HVK_BASE_NULL, 0), 0, 0, 0);
	remap_set_pte_entry(&old[1], pa);
	mc_set(&old[2], hvk_nr(HVK_FAMILY_MMU, HVK_MMU_INVLPG, 0), (uint32_t)REMAP_VA,
	       REMAP_VA >> 32, 0);
	mc_set(&old[3], hvk_nr(HVK_FAMILY_BASE, HVK_BASE_NULL, 0), 0, 0, 0);
	for (unsigned int i = 0; i < 3; i++)
		new[i] = old[i];
	mc_set(&new[3], hvk_nr(HVK_FAMILY_BASE, HVK_BASE_API_VERSION, 0), 0, 0, 0);
	expect_eq(multicall((const volatile mc_entry_t *)REMAP_VA, 4), 0,
		  "multicall through REMAP_VA: null, set_pte, invlpg, then entry 3");
	mc_expect(old, 0, 0, "null, in the first page");
	for (unsigned int i = 1; i < 4; i++)
		expect_true(old[i].result == SENTINEL, "entry %u's result went to the page "
			    "REMAP_VA mapped before entry 1 (0x%lx there)", i,
			    (unsigned long)old[i].result);
	expect_true(new[0].result == SENTINEL, "entry 0's result went to the page mapped "
		    "by entry 1 (0x%lx there)", (unsigned long)new[0].result);
	mc_expect(new, 1, 0, "set_pte's result, in the page it mapped");
	mc_expect(new, 2, 0, "invlpg, in the page mapped by entry 1");
	mc_expect(new, 3, HVK_API_VERSION_EXPECTED, "api_version in the page mapped by entry 1");
	paging_unmap_large(REMAP_VA);
	printf(NAME ": a multicall reads its later entries where its earlier entries moved them\n");
}
#endif

#ifdef __x86_64__
/*
 * --cmdline long-multicall (hcall64 only): one multicall of 0xffffffff
 * entries, every 2 MiB page from 1 to 4 GiB aliasing one page of
 * xen_version entries (some 50 million readable).  It must stay
 * preemptible and end on a signal: its row runs it under --timeout and
 * expects the timeout's exit code, long before the entries run out.
 */
#define LONG_MC_VA              (1ul << 30)

static void long_multicall(void)
{
	uint64_t pa = (ram_end - 2 * LARGE_PAGE_SIZE) & ~(uint64_t)(LARGE_PAGE_SIZE - 1);
	volatile mc_entry_t *e = (volatile mc_entry_t *)(uintptr_t)pa;
	unsigned long readable = (IDENTITY_MAP_SIZE - LONG_MC_VA) / sizeof(*e);
	long rc;

	for (unsigned int i = 0; i < LARGE_PAGE_SIZE / sizeof(*e); i++)
		mc_set(&e[i], XEN_HC_XEN_VERSION, XEN_XENVER_VERSION, 0, 0);
	for (uint64_t va = LONG_MC_VA; va < IDENTITY_MAP_SIZE; va += LARGE_PAGE_SIZE)
		paging_map_large(va, pa, PTE_WRITABLE);
	printf(NAME ": a multicall of 0xffffffff entries, %lu of them readable\n", readable);
	rc = multicall((volatile mc_entry_t *)LONG_MC_VA, 0xffffffffu);
	guest_fail(NAME ": the long multicall returned %ld: --timeout should have ended it", rc);
}
#endif

/* ---- not implemented ---- */

static void check_unimplemented(void)
{
	/* event_channel_op and grant_table_op: the evtchn and xenmem guests. */
	static const unsigned long unimplemented[] = { 1, 2, 33, 35, 40, 47, 56, 63, 64 };

	for (unsigned int i = 0; i < sizeof(unimplemented) / sizeof(unimplemented[0]); i++)
		expect_eq(hc(unimplemented[i], 0, 0, 0), -XEN_ENOSYS, "hypercall %lu",
			  unimplemented[i]);
	printf(NAME ": unused numbers -ENOSYS\n");
}

int guest_main(void)
{
	check_name = NAME;
	if (!platform_has_hypercalls())
		guest_fail(NAME ": no hypervisor found (CPUID 0x40000000 shows neither "
			   "hvk nor Xen), so no hypercalls to test");
	printf(NAME ": platform %s, instruction %s\n", platform_name(),
	       hypercall_insn_name(hypercall_insn));
	bad_ptrs_init();
#ifdef __x86_64__
	if (cmdline_has_word("long-multicall"))
		long_multicall();
#endif
	check_xen_version();
#ifdef __x86_64__
	check_remapped_output();
	check_remapped_in_multicall();
	check_multicall_moves_its_batch();
#endif
	check_console_io();
	check_sched_op();
	check_vcpu_op();
	check_hvm_op();
	check_memory_op();
	check_physmap_bounds(frames[0], frames[1]);
	check_multicall();
	check_hvk_family();
	check_hvk_mmu();
	check_unimplemented();
	printf(NAME ": all checks passed (%lu)\n", checks_passed);
	return 0;
}
