/* SPDX-License-Identifier: MIT */
/* The pv_ops table in use, chosen at boot (pvops.h). */
#include <stdarg.h>
#include <stddef.h>

#include <abi/hvk_hypercall.h>

#include "../hypercall.h"
#include "../platform.h"
#include "../printf.h"
#include "../shutdown.h"
#include "../start.h"
#include "../string.h"
#include "native.h"
#include "percpu.h"

struct pv_ops pv_ops;
static const char *table_name = "none";

/* The trampolines and sites address slots as op * word (trampolines.S). */
#define SLOT(field, op) \
	_Static_assert(offsetof(struct pv_ops, field) == (op) * sizeof(void *), \
		       "struct pv_ops: " #field " must be slot " #op)
SLOT(irq_disable, PV_OP_IRQ_DISABLE);
SLOT(irq_enable, PV_OP_IRQ_ENABLE);
SLOT(save_fl, PV_OP_SAVE_FL);
SLOT(restore_fl, PV_OP_RESTORE_FL);
SLOT(halt, PV_OP_HALT);
SLOT(cpuid, PV_OP_CPUID);
SLOT(read_cr0, PV_OP_READ_CR0);
SLOT(write_cr0, PV_OP_WRITE_CR0);
SLOT(read_cr2, PV_OP_READ_CR2);
SLOT(read_cr3, PV_OP_READ_CR3);
SLOT(write_cr3, PV_OP_WRITE_CR3);
SLOT(read_cr4, PV_OP_READ_CR4);
SLOT(write_cr4, PV_OP_WRITE_CR4);
SLOT(set_pte, PV_OP_SET_PTE);
SLOT(flush_tlb, PV_OP_FLUSH_TLB);
SLOT(invlpg, PV_OP_INVLPG);
SLOT(lazy_mmu_begin, PV_OP_LAZY_MMU_BEGIN);
SLOT(lazy_mmu_end, PV_OP_LAZY_MMU_END);
SLOT(inb, PV_OP_INB);
SLOT(outb, PV_OP_OUTB);
SLOT(outl, PV_OP_OUTL);
SLOT(console_write, PV_OP_CONSOLE_WRITE);
SLOT(shutdown, PV_OP_SHUTDOWN);
SLOT(vcpu_up, PV_OP_VCPU_UP);
_Static_assert(sizeof(struct pv_ops) == PV_NR_OPS * sizeof(void *),
	       "struct pv_ops: one slot per op");

static const char *const op_names[PV_NR_OPS] = {
	"irq_disable", "irq_enable", "save_fl", "restore_fl", "halt", "cpuid",
	"read_cr0", "write_cr0", "read_cr2", "read_cr3", "write_cr3",
	"read_cr4", "write_cr4", "set_pte", "flush_tlb", "invlpg",
	"lazy_mmu_begin", "lazy_mmu_end", "inb", "outb", "outl",
	"console_write", "shutdown", "vcpu_up",
};

const char *pv_op_name(unsigned int op)
{
	return op < PV_NR_OPS ? op_names[op] : "?";
}

void *pv_op_function(const struct pv_ops *table, unsigned int op)
{
	void *fn;

	memcpy(&fn, (const char *)table + op * sizeof(void *), sizeof(fn));
	return fn;
}

/* The MMU family is younger than hvk's base family: ask before relying on it. */
static void hvk_require_mmu_family(void)
{
	long rc = hypercall2(HVK_HC_NR(HVK_FAMILY_BASE, HVK_BASE_QUERY, 0),
			     HVK_FAMILY_MMU, HVK_MMU_SET_PTE);

	if (rc != 1)
		guest_fail("pvops: hvk has no MMU family (query returned %ld)", rc);
}

void pvops_init(void)
{
	pv_cpu_init_boot();
	switch (platform.kind) {
	case PLATFORM_NATIVE:
	case PLATFORM_KVM:      /* an HVM guest, no pv interface of KVM's here */
		native_platform_init();
		pv_ops = pv_native_ops;
		table_name = "native";
		break;
	case PLATFORM_HVK:
		hvk_require_mmu_family();
		pv_ops = pv_hvk_ops;
		table_name = "hvk";
		/* Before the call sites are patched: they then call this one. */
		if (cmdline_has_word("ap=sipi"))
			pv_ops.vcpu_up = hvk_vcpu_up_sipi;
		break;
	default:
		guest_fail("pvops: no pv_ops table for %s (run hvk without --xen)",
			   platform_name());
	}
}

const char *pvops_platform(void)
{
	return table_name;
}

long pv_start_vcpu(unsigned int id, smp_ap_fn fn, unsigned long arg)
{
	struct pv_vcpu_start start = { fn, arg, pv_cpu_stack(id) };

	return pv_vcpu_up(id, &start);
}

int pv_printf(const char *fmt, ...)
{
	char line[256];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	pv_console_write(line, strlen(line));
	return n;
}
