/* SPDX-License-Identifier: MIT */
/*
 * The hvk pv_ops table.  An hvk guest is an HVM guest: cli/sti, pushf/popf,
 * cpuid, CR reads and port I/O work as instructions (hvk intercepts what it
 * must), so those slots keep the native functions and are patched inline
 * like native ones.  The rest are hypercalls: hvk's MMU family for
 * set_pte/flush_tlb/invlpg (queueable, lazy_mmu.h), console_io,
 * sched_op block/shutdown, vcpu_op initialise+up.  Every op here that
 * reaches the hypervisor or changes paging first sends this CPU's queue,
 * so it sees every update queued before it.
 */
#include <abi/hvk_hypercall.h>
#include <abi/xen/errno.h>
#include <abi/xen/hypercall.h>
#include <abi/xen/sched.h>
#include <abi/xen/vcpu.h>

#include "../hypercall.h"
#include "../printf.h"
#include "../shutdown.h"
#include "lazy_mmu.h"
#include "native.h"

#define CR0_PG          0x80000000ul

static PV_FN void hvk_halt(void)
{
	lazy_mmu_flush();
	hc_sched_op(XEN_SCHEDOP_BLOCK, 0);
}

static PV_FN void hvk_write_cr0(unsigned long v)
{
	lazy_mmu_flush();
	native_write_cr0(v);
}

static PV_FN void hvk_write_cr3(unsigned long v)
{
	lazy_mmu_flush();
	native_write_cr3(v);
}

static PV_FN void hvk_write_cr4(unsigned long v)
{
	lazy_mmu_flush();
	native_write_cr4(v);
}

/* The library runs 1:1, so the entry's address is its guest-physical one. */
static PV_FN void hvk_set_pte(pte_t *ptep, pte_t val)
{
	uint64_t gpa = (uintptr_t)ptep, v = val;

	lazy_mmu_call(HVK_MMU_SET_PTE, (uint32_t)gpa, gpa >> 32, (uint32_t)v,
		      v >> 32, sizeof(pte_t));
}

static PV_FN void hvk_flush_tlb(void)
{
	lazy_mmu_call(HVK_MMU_FLUSH_TLB, 0, 0, 0, 0, 0);
}

static PV_FN void hvk_invlpg(unsigned long va)
{
	uint64_t v = va;

	lazy_mmu_call(HVK_MMU_INVLPG, (uint32_t)v, v >> 32, 0, 0, 0);
}

static PV_FN void hvk_lazy_mmu_begin(void)
{
	lazy_mmu_enter();
}

static PV_FN void hvk_lazy_mmu_end(void)
{
	lazy_mmu_leave();
}

/* A failed write has nowhere to be reported; dropped, as console_write(). */
static PV_FN void hvk_console_write(const char *buf, unsigned long len)
{
	lazy_mmu_flush();
	hc_console_io(XEN_CONSOLEIO_WRITE, len, buf);
}

static PV_FN void hvk_shutdown(unsigned long reason)
{
	struct xen_sched_shutdown arg = { .reason = reason };
	long rc;

	lazy_mmu_flush();
	rc = hc_sched_op(XEN_SCHEDOP_SHUTDOWN, &arg);
	printf("pv shutdown(%lu) returned %ld; halting\n", reason, rc);
	for (;;)
		hc_sched_op(XEN_SCHEDOP_BLOCK, 0);
}

/* The library's AP state; a 32-bit AP also gets this CPU's paging. */
static void hvk_vcpu_context(struct xen_vcpu_hvm_context *ctx, unsigned int id,
			     const struct pv_vcpu_start *s)
{
	smp_ap_context(ctx, id, s->fn, s->arg, s->stack_top);
#ifndef __x86_64__
	ctx->cpu_regs.x86_32.cr0 |= native_read_cr0() & CR0_PG;
	ctx->cpu_regs.x86_32.cr3 = native_read_cr3();
	ctx->cpu_regs.x86_32.cr4 = native_read_cr4();
#endif
}

static PV_FN long hvk_vcpu_up(unsigned long id, const struct pv_vcpu_start *s)
{
	struct xen_vcpu_hvm_context ctx;
	long rc;

	lazy_mmu_flush();
	hvk_vcpu_context(&ctx, id, s);
	rc = hc_vcpu_op(XEN_VCPUOP_INITIALISE, id, &ctx);
	return rc ? rc : hc_vcpu_op(XEN_VCPUOP_UP, id, 0);
}

/*
 * The native table's INIT-SIPI-SIPI through hvk's local APIC, for the
 * command line's ap=sipi: the AP starts as on hardware, with no VCPUOP.
 */
PV_FN long hvk_vcpu_up_sipi(unsigned long id, const struct pv_vcpu_start *s)
{
	lazy_mmu_flush();
	return native_vcpu_up(id, s);
}

const struct pv_ops pv_hvk_ops = {
	.irq_disable = native_irq_disable,
	.irq_enable = native_irq_enable,
	.save_fl = native_save_fl,
	.restore_fl = native_restore_fl,
	.halt = hvk_halt,
	.cpuid = native_cpuid,
	.read_cr0 = native_read_cr0,
	.write_cr0 = hvk_write_cr0,
	.read_cr2 = native_read_cr2,
	.read_cr3 = native_read_cr3,
	.write_cr3 = hvk_write_cr3,
	.read_cr4 = native_read_cr4,
	.write_cr4 = hvk_write_cr4,
	.set_pte = hvk_set_pte,
	.flush_tlb = hvk_flush_tlb,
	.invlpg = hvk_invlpg,
	.lazy_mmu_begin = hvk_lazy_mmu_begin,
	.lazy_mmu_end = hvk_lazy_mmu_end,
	.inb = native_inb,
	.outb = native_outb,
	.outl = native_outl,
	.console_write = hvk_console_write,
	.shutdown = hvk_shutdown,
	.vcpu_up = hvk_vcpu_up,
};
