// SPDX-License-Identifier: GPL-2.0
/* Decoding MMIO instructions (see insn.h); SDM Vol. 2, chapter 2. */
#include <linux/string.h>

#include "guest_mem.h"
#include "insn.h"
#include "vcpu.h"
#include "vendor.h"

#define INSN_MAX 15

struct insn_ctx {
	const u8 *b;
	unsigned int n, pos;
	bool long_mode;
	unsigned int opsize, addrsize;  /* bytes */
	u8 rex;
};

#define REX_W 0x8
#define REX_R 0x4

static bool insn_byte(struct insn_ctx *c, u8 *v)
{
	if (c->pos >= c->n)
		return false;
	*v = c->b[c->pos++];
	return true;
}

/* Legacy prefixes, then REX in 64-bit mode (it must come last). */
static bool insn_prefixes(struct insn_ctx *c)
{
	for (;;) {
		u8 p = c->pos < c->n ? c->b[c->pos] : 0;

		if (p == 0x66)
			c->opsize = c->opsize == 2 ? 4 : 2;
		else if (p == 0x67)
			c->addrsize = c->long_mode ? 4 : (c->addrsize == 2 ? 4 : 2);
		else if (p == 0xf2 || p == 0xf3)
			return false;   /* REP string MMIO: not decoded */
		else if (p != 0xf0 && p != 0x2e && p != 0x36 && p != 0x3e &&
			 p != 0x26 && p != 0x64 && p != 0x65)
			break;
		c->pos++;
	}
	if (c->long_mode && c->pos < c->n && (c->b[c->pos] & 0xf0) == 0x40)
		c->rex = c->b[c->pos++];
	if (c->rex & REX_W)
		c->opsize = 8;
	return c->pos < c->n;
}

/* Skips ModRM, SIB and displacement; returns ModRM.reg or -1. */
static int insn_modrm(struct insn_ctx *c)
{
	u8 modrm, sib, mod, rm;
	unsigned int disp = 0;

	if (!insn_byte(c, &modrm))
		return -1;
	mod = modrm >> 6;
	rm = modrm & 7;
	if (mod == 3)
		return -1;      /* a register operand cannot be MMIO */
	if (c->addrsize == 2) {
		disp = mod == 1 ? 1 : mod == 2 || (mod == 0 && rm == 6) ? 2 : 0;
	} else {
		if (rm == 4) {
			if (!insn_byte(c, &sib))
				return -1;
			if (mod == 0 && (sib & 7) == 5)
				disp = 4;
		}
		if (mod == 1)
			disp = 1;
		else if (mod == 2 || (mod == 0 && rm == 5))
			disp = 4;
	}
	c->pos += disp;
	return c->pos <= c->n ? ((modrm >> 3) & 7) | (c->rex & REX_R ? 8 : 0) : -1;
}

/* A register's value as the instruction reads it (AH..BH without REX). */
static u64 insn_reg(const struct hvk_vcpu *vcpu, const struct insn_ctx *c,
		    int reg, unsigned int size)
{
	if (size == 1 && !c->rex && reg >= 4 && reg < 8)
		return (vcpu->gpr[reg - 4] >> 8) & 0xff;
	return size == 8 ? vcpu->gpr[reg] : vcpu->gpr[reg] & ((1ULL << (size * 8)) - 1);
}

/* The destination of a load: AH..BH are registers 4-7 without REX. */
static void insn_set_dest(const struct insn_ctx *c, struct hvk_mmio_insn *out,
			  int reg, unsigned int size)
{
	out->dest_size = size;
	out->dest_high_byte = size == 1 && !c->rex && reg >= 4 && reg < 8;
	out->dest_reg = out->dest_high_byte ? reg - 4 : reg;
}

static bool insn_imm(struct insn_ctx *c, unsigned int size, u64 *imm)
{
	unsigned int i, bytes = size == 8 ? 4 : size;   /* imm32 sign-extends */
	s64 v = 0;

	if (c->pos + bytes > c->n)
		return false;
	for (i = 0; i < bytes; i++)
		v |= (u64)c->b[c->pos + i] << (8 * i);
	c->pos += bytes;
	if (size == 8)
		v = (s32)v;
	*imm = v;
	return true;
}

static bool insn_decode(struct hvk_vcpu *vcpu, struct insn_ctx *c,
			struct hvk_mmio_insn *out)
{
	u8 op, op2;
	int reg;

	if (!insn_prefixes(c) || !insn_byte(c, &op))
		return false;
	switch (op) {
	case 0x88: case 0x89:           /* MOV r/m, reg */
		out->size = op == 0x88 ? 1 : c->opsize;
		reg = insn_modrm(c);
		if (reg < 0)
			return false;
		out->is_write = out->has_data = true;
		out->data = insn_reg(vcpu, c, reg, out->size);
		break;
	case 0x8a: case 0x8b:           /* MOV reg, r/m */
		out->size = op == 0x8a ? 1 : c->opsize;
		reg = insn_modrm(c);
		if (reg < 0)
			return false;
		insn_set_dest(c, out, reg, out->size);
		break;
	case 0xc6: case 0xc7:           /* MOV r/m, imm */
		out->size = op == 0xc6 ? 1 : c->opsize;
		if (insn_modrm(c) != 0)         /* only /0 is MOV */
			return false;
		out->is_write = out->has_data = true;
		if (!insn_imm(c, out->size, &out->data))
			return false;
		break;
	case 0xa0: case 0xa1: case 0xa2: case 0xa3:     /* MOV with moffs */
		out->size = op & 1 ? c->opsize : 1;
		c->pos += c->addrsize;          /* the offset is address-sized */
		out->is_write = op >= 0xa2;
		out->has_data = out->is_write;
		out->data = insn_reg(vcpu, c, HVK_REG_RAX, out->size);
		out->dest_reg = HVK_REG_RAX;
		out->dest_size = out->size;
		break;
	case 0x0f:                      /* MOVZX / MOVSX */
		if (!insn_byte(c, &op2) || (op2 != 0xb6 && op2 != 0xb7 &&
					    op2 != 0xbe && op2 != 0xbf))
			return false;
		out->size = op2 & 1 ? 2 : 1;
		reg = insn_modrm(c);
		if (reg < 0)
			return false;
		insn_set_dest(c, out, reg, c->opsize);
		out->dest_high_byte = false;    /* the destination is 16 bits or more */
		out->sign_extend = op2 >= 0xbe;
		break;
	default:
		return false;
	}
	out->len = c->pos;
	return c->pos <= c->n;
}

bool hvk_insn_decode_mmio(struct hvk_vcpu *vcpu, struct hvk_mmio_insn *out)
{
	struct hvk_regs regs;
	struct insn_ctx c = { 0 };
	u8 bytes[INSN_MAX];
	u64 linear;
	bool code32;

	memset(out, 0, sizeof(*out));
	hvk_ops->get_regs(vcpu, &regs);
	c.long_mode = hvk_vendor_call(in_long_mode)(vcpu);
	code32 = c.long_mode || (regs.cs.ar & 0x400);   /* CS.D */
	c.opsize = code32 ? 4 : 2;
	c.addrsize = c.long_mode ? 8 : code32 ? 4 : 2;
	linear = c.long_mode ? vcpu->rip : (u32)(regs.cs.base + vcpu->rip);
	/* Fetch what is readable: an instruction may end before a bad page. */
	for (c.n = INSN_MAX; c.n; c.n--)
		if (!hvk_copy_from_guest(vcpu, bytes, linear, c.n))
			break;
	c.b = bytes;
	if (!insn_decode(vcpu, &c, out)) {
		memset(out, 0, sizeof(*out));
		return false;
	}
	return true;
}

void hvk_insn_complete_read(struct hvk_vcpu *vcpu, const struct hvk_mmio_insn *insn,
			    u64 value)
{
	u64 *reg = &vcpu->gpr[insn->dest_reg];
	unsigned int bits = insn->size * 8;

	if (bits < 64) {
		value &= (1ULL << bits) - 1;
		if (insn->sign_extend && (value >> (bits - 1)))
			value |= ~0ULL << bits;
	}
	if (insn->dest_high_byte) {
		*reg = (*reg & ~0xff00ULL) | ((value & 0xff) << 8);
		return;
	}
	/* 32-bit destinations zero-extend; 8 and 16 bits merge (SDM 3.4.1.1). */
	switch (insn->dest_size) {
	case 1:
		*reg = (*reg & ~0xffULL) | (value & 0xff);
		break;
	case 2:
		*reg = (*reg & ~0xffffULL) | (value & 0xffff);
		break;
	case 4:
		*reg = (u32)value;
		break;
	default:
		*reg = value;
	}
}
