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
};

/* Decodes the instruction at the vCPU's CS:RIP; false if it cannot. */
bool hvk_insn_decode_mmio(struct hvk_vcpu *vcpu, struct hvk_mmio_insn *out);

#endif /* HVK_KMOD_INSN_H */
