/* SPDX-License-Identifier: GPL-2.0 */
/*
 * VMX instructions as C functions (SDM Vol. 3C chapter 30 and Vol. 2 "VMX
 * Instruction Reference").  Every VMX instruction reports failure in RFLAGS:
 * CF = VMfailInvalid (no current VMCS), ZF = VMfailValid (error number in
 * VM_INSTRUCTION_ERROR), so "not above" catches both.  A failure here is an
 * hvk bug, never guest-controlled: it is logged (rate-limited), not fatal.
 */
#ifndef HVK_KMOD_VMX_VMCS_H
#define HVK_KMOD_VMX_VMCS_H

#include <linux/types.h>
#include <asm/asm.h>
#include <asm/vmx.h>

void vmx_insn_failed(const char *insn, u64 arg1, u64 arg2);

static __always_inline unsigned long vmcs_readl(unsigned long field)
{
	unsigned long value;
	bool fail;

	asm volatile("vmread %[field], %[value]" CC_SET(na)
		     : [value] "=r"(value), CC_OUT(na)(fail)
		     : [field] "r"(field));
	if (unlikely(fail)) {
		vmx_insn_failed("vmread", field, 0);
		return 0;
	}
	return value;
}

static __always_inline u16 vmcs_read16(unsigned long field)
{
	return vmcs_readl(field);
}

static __always_inline u32 vmcs_read32(unsigned long field)
{
	return vmcs_readl(field);
}

static __always_inline u64 vmcs_read64(unsigned long field)
{
	return vmcs_readl(field);       /* one VMREAD in 64-bit mode */
}

static __always_inline void vmcs_writel(unsigned long field, unsigned long value)
{
	bool fail;

	asm volatile("vmwrite %[value], %[field]" CC_SET(na)
		     : CC_OUT(na)(fail)
		     : [value] "rm"(value), [field] "r"(field)
		     : "memory");
	if (unlikely(fail))
		vmx_insn_failed("vmwrite", field, value);
}

#define vmcs_write16(f, v)  vmcs_writel(f, (u16)(v))
#define vmcs_write32(f, v)  vmcs_writel(f, (u32)(v))
#define vmcs_write64(f, v)  vmcs_writel(f, (u64)(v))

static inline void vmcs_set_bits(unsigned long field, u32 bits)
{
	vmcs_write32(field, vmcs_read32(field) | bits);
}

static inline void vmcs_clear_bits(unsigned long field, u32 bits)
{
	vmcs_write32(field, vmcs_read32(field) & ~bits);
}

/* VMCLEAR: write the VMCS back to memory, launch state "clear" (SDM 24.11.3). */
static inline void vmcs_clear(phys_addr_t pa)
{
	bool fail;

	asm volatile("vmclear %[pa]" CC_SET(na)
		     : CC_OUT(na)(fail) : [pa] "m"(pa) : "memory");
	if (unlikely(fail))
		vmx_insn_failed("vmclear", pa, 0);
}

/* VMPTRLD: make the VMCS current (and active) on this CPU. */
static inline void vmcs_load(phys_addr_t pa)
{
	bool fail;

	asm volatile("vmptrld %[pa]" CC_SET(na)
		     : CC_OUT(na)(fail) : [pa] "m"(pa) : "memory");
	if (unlikely(fail))
		vmx_insn_failed("vmptrld", pa, 0);
}

/* INVEPT / INVVPID descriptors (SDM Vol. 2, "INVEPT", "INVVPID"). */
static inline void vmx_invept(unsigned long type, u64 eptp)
{
	struct { u64 eptp, reserved; } desc = { eptp, 0 };
	bool fail;

	asm volatile("invept %[desc], %[type]" CC_SET(na)
		     : CC_OUT(na)(fail)
		     : [desc] "m"(desc), [type] "r"(type) : "memory");
	if (unlikely(fail))
		vmx_insn_failed("invept", type, eptp);
}

static inline void vmx_invvpid(unsigned long type, u16 vpid)
{
	struct { u64 vpid, gva; } desc = { vpid, 0 };
	bool fail;

	asm volatile("invvpid %[desc], %[type]" CC_SET(na)
		     : CC_OUT(na)(fail)
		     : [desc] "m"(desc), [type] "r"(type) : "memory");
	if (unlikely(fail))
		vmx_insn_failed("invvpid", type, vpid);
}

#endif /* HVK_KMOD_VMX_VMCS_H */
