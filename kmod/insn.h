/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Decoding the instruction behind an MMIO exit, enough to tell the VMM the
 * access size and, for a write, the data.  Covers the forms device drivers
 * use for MMIO: MOV r/m<->reg (88 89 8A 8B), MOV r/m,imm (C6 C7), MOVZX/MOVSX
 * (0F B6 B7 BE BF) and MOV moffs (A0-A3), with operand-size, address-size,
 * segment, LOCK and REX prefixes.  Anything else decodes as "unknown"
 * (size 0): the exit still reports address and direction.
 */
#ifndef HVK_KMOD_INSN_H
#define HVK_KMOD_INSN_H

#include <linux/types.h>

struct hvk_vcpu;

struct hvk_mmio_insn {
	u8 size;                /* bytes accessed; 0 = not decoded */
	bool is_write;
	bool has_data;          /* data holds the value written */
	u64 data;
	u8 len;                 /* instruction length */
	/* A read: where the value goes (completing it in the kernel). */
	u8 dest_reg;            /* HVK_REG_*; AH..BH as 4..7 without REX */
	u8 dest_size;           /* bytes written to dest_reg */
	bool dest_high_byte;    /* AH, CH, DH, BH */
	bool sign_extend;       /* MOVSX */
};

/* Decodes the instruction at the vCPU's CS:RIP; false if it cannot. */
bool hvk_insn_decode_mmio(struct hvk_vcpu *vcpu, struct hvk_mmio_insn *out);
/*
 * Completes a decoded MMIO read in the kernel: @value (insn->size bytes)
 * goes to the destination register with the instruction's extension and
 * the x86 rules for partial registers.  The caller advances RIP.
 */
void hvk_insn_complete_read(struct hvk_vcpu *vcpu, const struct hvk_mmio_insn *insn,
			    u64 value);

#endif /* HVK_KMOD_INSN_H */
