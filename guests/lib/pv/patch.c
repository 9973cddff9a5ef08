/* SPDX-License-Identifier: MIT */
/*
 * Rewriting the pv call sites (patch.h).  The code is ours to write: it is
 * identity-mapped with R/W set, and CR0.WP is clear anyway, so a supervisor
 * store to .text succeeds (SDM Vol. 3 §4.6.1).  Before the patched code
 * runs, a serializing instruction (CPUID): SDM Vol. 3 §9.1.3 (§8.1.3 in
 * older editions), "Handling Self- and Cross-Modifying Code", option 2.
 * Patching happens once on CPU 0 before any AP starts, so no other CPU
 * can be executing a site (no cross-modifying code to worry about).
 */
#include <stdbool.h>

#include "../cpu.h"
#include "../shutdown.h"
#include "../string.h"
#include "patch.h"
#include "percpu.h"
#include "pvops.h"

#define OPCODE_CALL_REL32       0xe8

/* Same layout as struct pv_site; addr points at the template's bytes. */
struct pv_template {
	uintptr_t bytes;
	uint8_t len;
	uint8_t op;
	uint16_t clobbers;
};

_Static_assert(sizeof(struct pv_site) == 2 * sizeof(void *),
	       "site records are two words (patch.h, PV_SITE)");
_Static_assert(sizeof(struct pv_template) == sizeof(struct pv_site),
	       "templates use the site record layout");

extern const struct pv_site __pv_sites_start[], __pv_sites_end[];            /* guest.ld */
extern const struct pv_template __pv_templates_start[], __pv_templates_end[];
extern const void *const pv_trampolines[PV_NR_OPS];                          /* trampolines.S */

volatile uint32_t pv_tramp_hits;

/* The recommended multi-byte NOPs, SDM Vol. 2B "NOP", Table 4-12. */
static const uint8_t nops[][8] = {
	[1] = { 0x90 },
	[2] = { 0x66, 0x90 },
	[3] = { 0x0f, 0x1f, 0x00 },
	[4] = { 0x0f, 0x1f, 0x40, 0x00 },
	[5] = { 0x0f, 0x1f, 0x44, 0x00, 0x00 },
	[6] = { 0x66, 0x0f, 0x1f, 0x44, 0x00, 0x00 },
	[7] = { 0x0f, 0x1f, 0x80, 0x00, 0x00, 0x00, 0x00 },
	[8] = { 0x0f, 0x1f, 0x84, 0x00, 0x00, 0x00, 0x00, 0x00 },
};

static void fill_nops(uint8_t *at, unsigned int len)
{
	while (len) {
		unsigned int n = len < 8 ? len : 8;

		memcpy(at, nops[n], n);
		at += n;
		len -= n;
	}
}

static const struct pv_template *template_of(unsigned int op)
{
	for (const struct pv_template *t = __pv_templates_start; t < __pv_templates_end; t++)
		if (t->op == op)
			return t;
	return NULL;
}

const uint8_t *pv_native_template(unsigned int op, unsigned int *len)
{
	const struct pv_template *t = template_of(op);

	if (!t)
		return NULL;
	*len = t->len;
	return (const uint8_t *)t->bytes;
}

/* Inline only what the native function would do, in the site's registers. */
static const struct pv_template *inline_template(const struct pv_site *s)
{
	const struct pv_template *t = template_of(s->op);

	if (!t || pv_op_function(&pv_ops, s->op) != pv_op_function(&pv_native_ops, s->op))
		return NULL;
	if (t->len > s->len || (t->clobbers & ~s->clobbers))
		return NULL;
	return t;
}

static void write_call(uint8_t *at, const void *target)
{
	int32_t rel = (int32_t)((uintptr_t)target - ((uintptr_t)at + PV_SITE_CALL_LEN));

	at[0] = OPCODE_CALL_REL32;
	memcpy(at + 1, &rel, sizeof(rel));
}

static bool patch_site(const struct pv_site *s)
{
	uint8_t *code = (uint8_t *)s->addr;
	const struct pv_template *t = inline_template(s);

	if (t) {
		memcpy(code, (const void *)t->bytes, t->len);
		fill_nops(code + t->len, s->len - t->len);
		return true;
	}
	write_call(code, pv_op_function(&pv_ops, s->op));
	fill_nops(code + PV_SITE_CALL_LEN, s->len - PV_SITE_CALL_LEN);
	return false;
}

struct pv_patch_stats pv_patch_sites(void)
{
	struct pv_patch_stats st = { 0 };

	if (pv_cpus_started() > 1)
		guest_fail("pv patch: APs may be running the sites: patch before starting them");
	for (const struct pv_site *s = __pv_sites_start; s < __pv_sites_end; s++) {
		st.sites++;
		if (patch_site(s))
			st.inlined++;
		else
			st.calls++;
	}
	cpuid(0);       /* serializing: the next fetch sees the new bytes */
	return st;
}

const struct pv_site *pv_site_find(unsigned int op, const void *code)
{
	const struct pv_site *best = NULL;

	for (const struct pv_site *s = __pv_sites_start; s < __pv_sites_end; s++)
		if (s->op == op && s->addr >= (uintptr_t)code &&
		    (!best || s->addr < best->addr))
			best = s;
	return best;
}

const void *pv_site_call_target(const struct pv_site *s)
{
	const uint8_t *code = (const uint8_t *)s->addr;
	int32_t rel;

	if (code[0] != OPCODE_CALL_REL32)
		return NULL;
	memcpy(&rel, code + 1, sizeof(rel));
	return (const void *)(s->addr + PV_SITE_CALL_LEN + (intptr_t)rel);
}

const void *pv_trampoline(unsigned int op)
{
	return op < PV_NR_OPS ? pv_trampolines[op] : NULL;
}
