// SPDX-License-Identifier: GPL-2.0
/* vcpu_hvm_context validation and conversion (see hvm_context.h). */
#include <linux/printk.h>
#include <linux/string.h>
#include <asm/processor-flags.h>
#include <asm/msr-index.h>

#include "hvm_context.h"
#include "x86.h"

/* Segment access-rights bits (Xen's *_ar layout = the VMCB attrib layout). */
#define AR_TYPE_MASK     0x00f
#define AR_TYPE_CODE     0x008
#define AR_TYPE_WRITABLE 0x002
#define AR_TYPE_READABLE 0x002   /* the same bit of a code segment */
#define AR_S             0x010
#define AR_DPL(ar)       (((ar) >> 5) & 3)
#define AR_P             0x080
#define AR_L             0x200
#define AR_DB            0x400
#define AR_G             0x800
#define AR_TSS16_BUSY    0x3
#define AR_TSS32_BUSY    0xb

#define AR_CODE64        0xa9b   /* G L P S, execute/read, accessed */

#define CR0_VALID (X86_CR0_PE | X86_CR0_MP | X86_CR0_EM | X86_CR0_TS | \
		   X86_CR0_ET | X86_CR0_NE | X86_CR0_WP | X86_CR0_AM | \
		   X86_CR0_NW | X86_CR0_CD | X86_CR0_PG)
/* CR4 bits a guest may start with; OSXSAVE is absent as XSAVE is hidden. */
#define CR4_VALID (X86_CR4_VME | X86_CR4_PVI | X86_CR4_TSD | X86_CR4_DE | \
		   X86_CR4_PSE | X86_CR4_PAE | X86_CR4_MCE | X86_CR4_PGE | \
		   X86_CR4_PCE | X86_CR4_OSFXSR | X86_CR4_OSXMMEXCPT | \
		   X86_CR4_FSGSBASE | X86_CR4_PCIDE | X86_CR4_SMEP | X86_CR4_SMAP)
#define EFER_VALID (EFER_SCE | EFER_LME | EFER_LMA | EFER_NX)
/* RFLAGS bits software can own; bit 1 is always one. */
#define RFLAGS_VALID 0x3f7fd7ULL
#define CR3_RESERVED_MASK 0xfff0000000000000ULL

static int reject(const char *why)
{
	pr_debug("hvk: vCPU state refused: %s\n", why);
	return -EINVAL;
}

static int check_control(const struct hvk_regs *r)
{
	bool long_mode = (r->efer & EFER_LME) && (r->cr0 & X86_CR0_PG);

	if (r->cr0 & ~(u64)CR0_VALID)
		return reject("CR0 reserved bits");
	if ((r->cr0 & X86_CR0_PG) && !(r->cr0 & X86_CR0_PE))
		return reject("CR0.PG without CR0.PE");
	if ((r->cr0 & X86_CR0_NW) && !(r->cr0 & X86_CR0_CD))
		return reject("CR0.NW without CR0.CD");
	if (r->cr4 & ~(u64)CR4_VALID)
		return reject("CR4 reserved or unsupported bits");
	if (r->efer & ~(u64)EFER_VALID)
		return reject("EFER reserved bits");
	if (long_mode && !(r->cr4 & X86_CR4_PAE))
		return reject("long mode without CR4.PAE");
	if (!!(r->efer & EFER_LMA) != long_mode)
		return reject("EFER.LMA inconsistent with EFER.LME and CR0.PG");
	if ((r->cr4 & X86_CR4_PCIDE) && !long_mode)
		return reject("CR4.PCIDE outside long mode");
	if (r->cr3 & CR3_RESERVED_MASK)
		return reject("CR3 reserved bits");
	if ((r->rflags & ~RFLAGS_VALID) || !(r->rflags & X86_EFLAGS_FIXED))
		return reject("RFLAGS reserved bits");
	if (r->rflags & X86_EFLAGS_VM)
		return reject("virtual-8086 mode");
	/*
	 * MOV to DR6 with bits 63:32 set is a #GP (SDM 18.2.3), and VMX
	 * loads the guest's DR6 into the CPU's by hand: found by fuzz-ioctl
	 * as a host oops in set_debugreg().  (DR7's high bits only fail the
	 * entry, which abi-client uses on purpose.)
	 */
	if (r->dr6 >> 32)
		return reject("DR6 bits 63:32");
	return 0;
}

static int check_limit(const struct hvk_segment *s)
{
	/* A page-granular limit's low 12 bits read as ones (SDM 3.4.5). */
	if (s->ar & AR_G)
		return (s->limit & 0xfff) == 0xfff ? 0 : reject("segment limit vs G");
	return s->limit <= 0xfffff ? 0 : reject("segment limit vs G");
}

static int check_segments(const struct hvk_regs *r)
{
	bool long_mode = r->efer & EFER_LMA;
	u16 tr_type = r->tr.ar & AR_TYPE_MASK;

	if (!(r->cs.ar & AR_P) || !(r->cs.ar & AR_S) || !(r->cs.ar & AR_TYPE_CODE))
		return reject("CS is not a present code segment");
	if ((r->cs.ar & AR_L) && (!long_mode || (r->cs.ar & AR_DB)))
		return reject("CS.L outside long mode, or with CS.D");
	if (!(r->ss.ar & AR_P) && !long_mode)
		return reject("SS not present");
	if ((r->ss.ar & AR_P) && ((r->ss.ar & AR_TYPE_CODE) ||
				  !(r->ss.ar & AR_TYPE_WRITABLE)))
		return reject("SS is not a writable data segment");
	if ((r->ss.ar & AR_P) && AR_DPL(r->ss.ar) != AR_DPL(r->cs.ar))
		return reject("SS.DPL differs from CS.DPL");
	if ((r->ds.ar & AR_P) && !(r->ds.ar & AR_S))
		return reject("DS is a system segment");
	if ((r->es.ar & AR_P) && !(r->es.ar & AR_S))
		return reject("ES is a system segment");
	if (!(r->tr.ar & AR_P) || (r->tr.ar & AR_S) ||
	    (tr_type != AR_TSS32_BUSY && (long_mode || tr_type != AR_TSS16_BUSY)))
		return reject("TR is not a present busy TSS");
	if (check_limit(&r->cs) || check_limit(&r->ss) || check_limit(&r->tr) ||
	    ((r->ds.ar & AR_P) && check_limit(&r->ds)) ||
	    ((r->es.ar & AR_P) && check_limit(&r->es)))
		return -EINVAL;
	if (long_mode && (r->cs.ar & AR_L) && !hvk_is_canonical(r->rip))
		return reject("non-canonical RIP");
	return 0;
}

int hvk_regs_check(const struct hvk_regs *r)
{
	if (r->flags || r->reserved0)
		return reject("flags or reserved fields set");
	if (memchr_inv(r->reserved, 0, sizeof(r->reserved)))
		return reject("reserved fields set");
	return check_control(r) ?: check_segments(r);
}

/*
 * Xen keeps a context's architectural RFLAGS bits and sets bit 1 itself
 * (arch_set_info_hvm_guest): a context with bit 1 clear, or a reserved
 * bit set, is accepted as that.  VM stays, and is refused below.
 */
static u64 context_rflags(u64 rflags)
{
	return (rflags & RFLAGS_VALID) | X86_EFLAGS_FIXED;
}

static void set_segment(struct hvk_segment *s, u32 base, u32 limit, u16 ar)
{
	s->base = base;
	s->limit = limit;
	s->selector = 0;
	s->ar = ar;
}

static void context_32b_to_regs(const struct xen_vcpu_hvm_x86_32 *c,
				struct hvk_regs *r)
{
	r->gpr[HVK_REG_RAX] = c->eax;
	r->gpr[HVK_REG_RCX] = c->ecx;
	r->gpr[HVK_REG_RDX] = c->edx;
	r->gpr[HVK_REG_RBX] = c->ebx;
	r->gpr[HVK_REG_RSP] = c->esp;
	r->gpr[HVK_REG_RBP] = c->ebp;
	r->gpr[HVK_REG_RSI] = c->esi;
	r->gpr[HVK_REG_RDI] = c->edi;
	r->rip = c->eip;
	r->rflags = context_rflags(c->eflags);
	r->cr0 = c->cr0;
	r->cr3 = c->cr3;
	r->cr4 = c->cr4;
	r->efer = c->efer;
	set_segment(&r->cs, c->cs_base, c->cs_limit, c->cs_ar);
	set_segment(&r->ds, c->ds_base, c->ds_limit, c->ds_ar);
	set_segment(&r->ss, c->ss_base, c->ss_limit, c->ss_ar);
	set_segment(&r->es, c->es_base, c->es_limit, c->es_ar);
	set_segment(&r->tr, c->tr_base, c->tr_limit, c->tr_ar);
	/* Not in the context: FS and GS get DS's flat view. */
	r->fs = r->ds;
	r->gs = r->ds;
}

static void context_64b_to_regs(const struct xen_vcpu_hvm_x86_64 *c,
				struct hvk_regs *r)
{
	r->gpr[HVK_REG_RAX] = c->rax;
	r->gpr[HVK_REG_RCX] = c->rcx;
	r->gpr[HVK_REG_RDX] = c->rdx;
	r->gpr[HVK_REG_RBX] = c->rbx;
	r->gpr[HVK_REG_RSP] = c->rsp;
	r->gpr[HVK_REG_RBP] = c->rbp;
	r->gpr[HVK_REG_RSI] = c->rsi;
	r->gpr[HVK_REG_RDI] = c->rdi;
	r->rip = c->rip;
	r->rflags = context_rflags(c->rflags);
	r->cr0 = c->cr0;
	r->cr3 = c->cr3;
	r->cr4 = c->cr4;
	/* Xen's 64B mode: LME given, LMA follows from paging being on. */
	r->efer = c->efer | ((c->efer & EFER_LME) ? EFER_LMA : 0);
	/* The hypervisor sets flat 64-bit segments itself (hvm_vcpu.h). */
	set_segment(&r->cs, 0, 0xffffffff, AR_CODE64);
	set_segment(&r->ds, 0, 0xffffffff, XEN_HVM_AR_DATA32);
	r->ss = r->ds;
	r->es = r->ds;
	r->fs = r->ds;
	r->gs = r->ds;
	set_segment(&r->tr, 0, 0x67, XEN_HVM_AR_TSS32_BUSY);
}

static int check_64b_mode(const struct hvk_regs *r)
{
	if ((r->cr0 & (X86_CR0_PE | X86_CR0_PG)) != (X86_CR0_PE | X86_CR0_PG) ||
	    !(r->cr4 & X86_CR4_PAE) || !(r->efer & EFER_LME))
		return reject("64B mode without paging, PAE and EFER.LME");
	return 0;
}

/* Xen's check_segment() for DS and ES: null, or present, readable code or data. */
static bool data_segment_like_xen(u16 ar)
{
	return !ar || ((ar & AR_P) && (ar & AR_S) &&
		       (!(ar & AR_TYPE_CODE) || (ar & AR_TYPE_READABLE)));
}

/*
 * What Xen's arch_set_info_hvm_guest() checks of a 32B context beyond the
 * state a VM entry needs, so that hvk answers -EINVAL where Xen does: DS
 * and ES null or usable, no more privileged than CS, and EIP within CS's
 * limit (Xen's reading of the limit: with G, shifted by 12 with the low
 * bits set).
 */
static int check_32b_like_xen(const struct xen_vcpu_hvm_x86_32 *c)
{
	u32 limit = c->cs_limit;

	if (!data_segment_like_xen(c->ds_ar) || !data_segment_like_xen(c->es_ar))
		return reject("32B DS or ES not present, a system or execute-only segment");
	if (c->cs_ar & AR_G)
		limit = (limit << 12) | 0xfff;
	if (c->eip > limit)
		return reject("32B EIP outside CS's limit");
	if (((c->ds_ar & AR_P) && AR_DPL(c->ds_ar) > AR_DPL(c->cs_ar)) ||
	    ((c->es_ar & AR_P) && AR_DPL(c->es_ar) > AR_DPL(c->cs_ar)))
		return reject("32B DS or ES less privileged than CS");
	return 0;
}

int hvk_hvm_context_to_regs(const struct xen_vcpu_hvm_context *ctx,
			    struct hvk_regs *regs)
{
	int err;

	memset(regs, 0, sizeof(*regs));
	switch (ctx->mode) {
	case XEN_VCPU_HVM_MODE_32B:
		context_32b_to_regs(&ctx->cpu_regs.x86_32, regs);
		if (!(regs->cr0 & X86_CR0_PE))
			return reject("32B mode without CR0.PE");
		if (regs->efer & EFER_LMA)
			return reject("32B mode with long mode active");
		err = check_32b_like_xen(&ctx->cpu_regs.x86_32);
		if (err)
			return err;
		break;
	case XEN_VCPU_HVM_MODE_64B:
		context_64b_to_regs(&ctx->cpu_regs.x86_64, regs);
		err = check_64b_mode(regs);
		if (err)
			return err;
		break;
	default:
		return reject("unknown mode");
	}
	/* The IDT and GDT are the guest's to load; LDTR starts unusable. */
	return hvk_regs_check(regs);
}
