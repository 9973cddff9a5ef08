/* SPDX-License-Identifier: MIT */
/*
 * xenmode (64-bit) / xenmode32: hvk's Xen-compatible mode, `hvk run --xen`
 * (include/abi/xen/cpuid.h, kmod/xen/xen_platform.c):
 *   - CPUID 0x40000000: Xen's signature, EAX = 0x40000005; leaf 1 the
 *     version 4.19, leaf 2 one hypercall page at MSR 0x40000000, leaf 4 the
 *     vCPU id flag and id 0, IOMMU mappings and the domain id (1), zeros
 *     for sub-leaf 1; hvk's signature at 0x40000100;
 *   - WRMSR(0x40000000, gpa) fills the page with 128 stubs
 *     "mov $n, %eax; vmcall|vmmcall; ret" padded with int3, checked byte by
 *     byte; calls through stub n reach hypercall n (xen_version,
 *     console_io, sched_op, hvk's query at 48, unknown 0 and 127); a second
 *     page works too; RDMSR of the MSR does not fault;
 *   - WRMSR with page index 1 (bits 11:0) or a frame beyond RAM raises #GP
 *     and writes nothing (a #GP handler of this guest's skips the WRMSR).
 * Without --xen the guest sees hvk's signature and fails, saying so.
 */
#include <abi/hvk_guest.h>
#include <abi/hvk_hypercall.h>
#include <abi/xen/cpuid.h>
#include <abi/xen/errno.h>
#include <abi/xen/hypercall.h>
#include <abi/xen/sched.h>
#include <abi/xen/version.h>

#include "guest.h"

#ifdef __x86_64__
#define NAME "xenmode"
#else
#define NAME "xenmode32"
#endif

#define PAGE                    4096u
#define BEYOND_RAM              0xdead0000u
#define GP_VECTOR               13
#define XEN_VERSION_EXPECTED    ((4u << 16) | 19)

static uint8_t hcall_pages[2][PAGE] __attribute__((aligned(4096)));

/* ---- MSRs, with #GP caught ---- */

volatile unsigned int gp_count;
volatile unsigned long gp_error_code;
void gp_handler(void);

/*
 * #GP from ring 0: the CPU pushed an error code and the return frame.
 * Record, skip the 2-byte WRMSR/RDMSR (0f 30 / 0f 32) and return.  Only
 * the MSR helpers below may fault.
 */
#ifdef __x86_64__
__asm__(
	"	.text\n"
	"	.globl gp_handler\n"
	"gp_handler:\n"
	"	push %rax\n"
	"	mov 8(%rsp), %rax\n"
	"	mov %rax, gp_error_code(%rip)\n"
	"	pop %rax\n"
	"	add $8, %rsp\n"
	"	addq $2, (%rsp)\n"
	"	lock incl gp_count(%rip)\n"
	"	iretq\n");
#else
__asm__(
	"	.text\n"
	"	.globl gp_handler\n"
	"gp_handler:\n"
	"	push %eax\n"
	"	mov 4(%esp), %eax\n"
	"	mov %eax, gp_error_code\n"
	"	pop %eax\n"
	"	add $4, %esp\n"
	"	addl $2, (%esp)\n"
	"	lock incl gp_count\n"
	"	iret\n");
#endif

/* True if the WRMSR raised #GP. */
static bool wrmsr_faults(uint32_t msr, uint64_t value)
{
	unsigned int before = gp_count;

	__asm__ volatile("wrmsr" : : "c"(msr), "a"((uint32_t)value),
			 "d"((uint32_t)(value >> 32)) : "memory");
	return gp_count != before;
}

static bool rdmsr_faults(uint32_t msr, uint64_t *value)
{
	unsigned int before = gp_count;
	uint32_t lo = 0, hi = 0;

	__asm__ volatile("rdmsr" : "+a"(lo), "+d"(hi) : "c"(msr) : "memory");
	*value = (uint64_t)hi << 32 | lo;
	return gp_count != before;
}

/* ---- calls through the hypercall page ---- */

static long stub_call(const uint8_t *page, unsigned int n, unsigned long a1,
		      unsigned long a2, unsigned long a3)
{
	const void *fn = page + n * XEN_HYPERCALL_STUB_SIZE;
	long ret;

#ifdef __x86_64__
	register unsigned long r10 __asm__("r10") = 0;
	register unsigned long r8 __asm__("r8") = 0;

	__asm__ volatile("call *%[fn]"
			 : "=a"(ret), "+D"(a1), "+S"(a2), "+d"(a3), "+r"(r10), "+r"(r8)
			 : [fn] "m"(fn)
			 : "memory", "cc", "rcx", "r9", "r11");
#else
	unsigned long a4 = 0, a5 = 0;

	__asm__ volatile("call *%[fn]"
			 : "=a"(ret), "+b"(a1), "+c"(a2), "+d"(a3), "+S"(a4), "+D"(a5)
			 : [fn] "m"(fn)
			 : "memory", "cc");
#endif
	return ret;
}

/* ---- checks ---- */

static bool signature_is(struct cpuid_regs r, uint32_t b, uint32_t c, uint32_t d)
{
	return r.ebx == b && r.ecx == c && r.edx == d;
}

static void check_cpuid(void)
{
	struct cpuid_regs r = cpuid(XEN_CPUID_FIRST_LEAF);

	if (!signature_is(r, XEN_CPUID_SIGNATURE_EBX, XEN_CPUID_SIGNATURE_ECX,
			  XEN_CPUID_SIGNATURE_EDX))
		guest_fail(NAME ": no Xen signature at CPUID 0x%x (the guest sees platform "
			   "%s at 0x%x): run it with `hvk run --xen`", XEN_CPUID_FIRST_LEAF,
			   platform_name(), platform.cpuid_base);
	expect_eq(platform.kind, PLATFORM_XEN, "the library's platform detection (2 = Xen)");
	expect_eq(r.eax, XEN_CPUID_FIRST_LEAF + XEN_CPUID_MAX_LEAF_OFFSET,
		  "CPUID 0x40000000 EAX (highest Xen leaf)");
	r = cpuid(XEN_CPUID_FIRST_LEAF + XEN_CPUID_LEAF_VERSION);
	expect_eq(r.eax, XEN_VERSION_EXPECTED, "CPUID 0x40000001 EAX (Xen version)");
	r = cpuid(XEN_CPUID_FIRST_LEAF + XEN_CPUID_LEAF_HCALL_PAGE);
	expect_eq(r.eax, 1, "CPUID 0x40000002 EAX (hypercall pages)");
	expect_eq(r.ebx, XEN_HYPERCALL_PAGE_MSR, "CPUID 0x40000002 EBX (hypercall page MSR)");
	r = cpuid(XEN_CPUID_FIRST_LEAF + XEN_CPUID_LEAF_HVM);
	expect_true(r.eax & XEN_CPUID_HVM_VCPU_ID_PRESENT, "CPUID 0x40000004 EAX 0x%x lacks "
		    "the vCPU id flag (bit 3)", r.eax);
	expect_true((r.eax & (XEN_CPUID_HVM_APIC_ACCESS_VIRT | XEN_CPUID_HVM_X2APIC_VIRT)) ==
		    (XEN_CPUID_HVM_APIC_ACCESS_VIRT | XEN_CPUID_HVM_X2APIC_VIRT),
		    "CPUID 0x40000004 EAX 0x%x lacks the (x2)APIC-virtualised flags (bits 0, 1)",
		    r.eax);
	expect_eq(r.ebx, 0, "CPUID 0x40000004 EBX (vCPU id)");
	/* As Xen for every HVM domain: IOMMU mappings valid, the domain id in ECX. */
	expect_true((r.eax & (XEN_CPUID_HVM_IOMMU_MAPPINGS | XEN_CPUID_HVM_DOMID_PRESENT)) ==
		    (XEN_CPUID_HVM_IOMMU_MAPPINGS | XEN_CPUID_HVM_DOMID_PRESENT),
		    "CPUID 0x40000004 EAX 0x%x lacks bits 2 and 4", r.eax);
	expect_eq(r.ecx, 1, "CPUID 0x40000004 ECX (domain id)");
	r = cpuid_count(XEN_CPUID_FIRST_LEAF + XEN_CPUID_LEAF_HVM, 1);
	expect_true(!r.eax && !r.ebx && !r.ecx && !r.edx, "CPUID 0x40000004 sub-leaf 1: "
		    "0x%x 0x%x 0x%x 0x%x, expected zeros", r.eax, r.ebx, r.ecx, r.edx);
	r = cpuid(HVK_CPUID_BASE_XEN_MODE);
	expect_true(signature_is(r, HVK_CPUID_SIGNATURE_EBX, HVK_CPUID_SIGNATURE_ECX,
				 HVK_CPUID_SIGNATURE_EDX),
		    "no hvk signature at CPUID 0x%x (EBX ECX EDX 0x%x 0x%x 0x%x)",
		    HVK_CPUID_BASE_XEN_MODE, r.ebx, r.ecx, r.edx);
	expect_eq(r.eax, HVK_CPUID_BASE_XEN_MODE, "CPUID 0x40000100 EAX");
	printf(NAME ": CPUID: Xen 4.19 at 0x40000000 (hypercall page MSR 0x%x), hvk at "
	       "0x40000100\n", XEN_HYPERCALL_PAGE_MSR);
}

/* 128 stubs of 32 bytes: b8 <n:4> 0f 01 c1|d9 c3, then int3 (0xcc). */
static void check_page_bytes(const uint8_t *page, const char *which)
{
	uint8_t insn = page[7];

	expect_true(insn == 0xc1 || insn == 0xd9, "%s stub 0: 0f 01 %02x is neither VMCALL "
		    "nor VMMCALL", which, insn);
	for (unsigned int n = 0; n < XEN_HYPERCALL_STUBS; n++) {
		const uint8_t *s = page + n * XEN_HYPERCALL_STUB_SIZE;
		uint32_t imm = s[1] | s[2] << 8 | s[3] << 16 | (uint32_t)s[4] << 24;
		unsigned int i;

		expect_true(s[0] == 0xb8 && imm == n && s[5] == 0x0f && s[6] == 0x01 &&
			    s[7] == insn && s[8] == 0xc3,
			    "%s stub %u: %02x %02x%02x%02x%02x %02x %02x %02x %02x, expected "
			    "b8 <%u> 0f 01 %02x c3", which, n, s[0], s[1], s[2], s[3], s[4], s[5],
			    s[6], s[7], s[8], n, insn);
		for (i = 9; i < XEN_HYPERCALL_STUB_SIZE; i++)
			if (s[i] != 0xcc)
				break;
		expect_true(i == XEN_HYPERCALL_STUB_SIZE, "%s stub %u: byte %u is 0x%02x, "
			    "expected int3 padding", which, n, i, s[i]);
	}
}

static void check_calls(const uint8_t *page, const char *which)
{
	static const char msg[] = NAME ": console write through the hypercall page\n";
	char extra[XEN_EXTRAVERSION_LEN];
	uintptr_t hvk_query = HVK_HC_NR(HVK_FAMILY_BASE, HVK_BASE_QUERY, 0);

	expect_eq(stub_call(page, XEN_HC_XEN_VERSION, XEN_XENVER_VERSION, 0, 0),
		  XEN_VERSION_EXPECTED, "xen_version(VERSION) through %s stub 17", which);
	memset(extra, 0x77, sizeof(extra));
	expect_eq(stub_call(page, XEN_HC_XEN_VERSION, XEN_XENVER_EXTRAVERSION,
			    (uintptr_t)extra, 0), 0,
		  "xen_version(EXTRAVERSION) through %s stub 17", which);
	expect_true(!memcmp(extra, "-hvk", 5), "xen_version(EXTRAVERSION) through %s: "
		    "\"%.16s\"", which, extra);
	expect_eq(stub_call(page, XEN_HC_CONSOLE_IO, XEN_CONSOLEIO_WRITE, sizeof(msg) - 1,
			    (uintptr_t)msg), 0, "console_io(WRITE) through %s stub 18", which);
	expect_eq(stub_call(page, XEN_HC_XEN_VERSION, XEN_XENVER_EXTRAVERSION, BEYOND_RAM, 0),
		  -XEN_EFAULT, "xen_version(EXTRAVERSION, bad pointer) through %s stub 17",
		  which);
	expect_eq(stub_call(page, XEN_HC_SCHED_OP, XEN_SCHEDOP_YIELD, 0, 0), 0,
		  "sched_op(YIELD) through %s stub 29", which);
	expect_eq(stub_call(page, hvk_query, HVK_FAMILY_BASE, HVK_BASE_NULL, 0), 1,
		  "hvk query(base, null) through %s stub 48", which);
	expect_eq(stub_call(page, 0, 0, 0, 0), -XEN_ENOSYS, "hypercall 0 through %s stub 0",
		  which);
	expect_eq(stub_call(page, XEN_HYPERCALL_STUBS - 1, 0, 0, 0), -XEN_ENOSYS,
		  "hypercall 127 through %s stub 127", which);
}

static void check_hypercall_page(void)
{
	uint8_t *p0 = hcall_pages[0], *p1 = hcall_pages[1];
	uint64_t v = 1;

	idt_set_gate(GP_VECTOR, gp_handler, 0);

	expect_true(!rdmsr_faults(XEN_HYPERCALL_PAGE_MSR, &v), "RDMSR 0x%x raised #GP",
		    XEN_HYPERCALL_PAGE_MSR);
	expect_true(v == 0, "RDMSR 0x%x read 0x%llx, expected 0", XEN_HYPERCALL_PAGE_MSR,
		    (unsigned long long)v);

	memset(p0, 0, PAGE);
	memset(p1, 0, PAGE);
	expect_true(wrmsr_faults(XEN_HYPERCALL_PAGE_MSR, (uintptr_t)p1 | 1),
		    "WRMSR 0x%x with page index 1 did not raise #GP", XEN_HYPERCALL_PAGE_MSR);
	expect_eq(gp_error_code, 0, "the #GP error code of WRMSR with page index 1");
	expect_true(wrmsr_faults(XEN_HYPERCALL_PAGE_MSR, (uintptr_t)p1 | 0xfff),
		    "WRMSR 0x%x with page index 0xfff did not raise #GP",
		    XEN_HYPERCALL_PAGE_MSR);
	for (unsigned int i = 0; i < PAGE; i++)
		expect_true(p1[i] == 0, "WRMSR with a page index wrote byte %u of the page", i);
	expect_true(wrmsr_faults(XEN_HYPERCALL_PAGE_MSR, BEYOND_RAM),
		    "WRMSR 0x%x with a frame beyond RAM (0x%x) did not raise #GP",
		    XEN_HYPERCALL_PAGE_MSR, BEYOND_RAM);
	printf(NAME ": WRMSR 0x%x with page index 1 or 0xfff or beyond RAM: #GP (%u of them)\n",
	       XEN_HYPERCALL_PAGE_MSR, gp_count);

	expect_true(!wrmsr_faults(XEN_HYPERCALL_PAGE_MSR, (uintptr_t)p0),
		    "WRMSR 0x%x with the page at 0x%lx raised #GP", XEN_HYPERCALL_PAGE_MSR,
		    (unsigned long)(uintptr_t)p0);
	check_page_bytes(p0, "page 1");
	check_calls(p0, "page 1");
	expect_true(!wrmsr_faults(XEN_HYPERCALL_PAGE_MSR, (uintptr_t)p1),
		    "WRMSR 0x%x with a second page raised #GP", XEN_HYPERCALL_PAGE_MSR);
	check_page_bytes(p1, "page 2");
	check_calls(p1, "page 2");
	printf(NAME ": hypercall page: 128 stubs (%s), calls through stubs 0 17 18 29 48 127 "
	       "ok, on two pages\n", p0[7] == 0xd9 ? "vmmcall" : "vmcall");
}

int guest_main(void)
{
	check_name = NAME;
	check_cpuid();
	check_hypercall_page();
	printf(NAME ": all checks passed (%lu)\n", checks_passed);
	return 0;
}
