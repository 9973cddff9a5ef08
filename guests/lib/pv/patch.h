/* SPDX-License-Identifier: MIT */
/*
 * Patch sites.  Every pv call (calls.h) is a 5-byte `call pv_tramp_<op>`
 * with a record in section .pv_sites:
 *
 *   off  size (32/64-bit)  field
 *   0    4 / 8             addr      the site's first byte
 *   4/8  1                 len       its length (5)
 *   5/9  1                 op        PV_OP_* (pvops.h), the table slot
 *   6/10 2                 clobbers  PV_CLOBBER_*: the registers the site's
 *                                    asm declares written (outputs/clobbers)
 *   padded to 8 / 16 bytes
 *
 * Unpatched, the call goes to the op's trampoline (trampolines.S), which
 * counts itself in pv_tramp_hits and jumps through the pv_ops slot.
 * pv_patch_sites() rewrites each site, once, before any AP starts:
 *   - the native instruction sequence inline, padded with NOPs, when the
 *     table holds the native function for the op, the sequence fits in the
 *     site and changes no register the site does not declare (its template
 *     in native_insns.S, section .pv_templates, same record layout with
 *     addr = the template's bytes);
 *   - else a direct `call <the table's function>`, padded.
 * The clobbers are written out at each site in calls.h, not hidden in a
 * macro: the site's asm lists AX (and for cpuid BX, CX, DX) as outputs and
 * "cc", "memory" as clobbers, and PV_SITE_ID records the same set.
 */
#ifndef GUEST_PV_PATCH_H
#define GUEST_PV_PATCH_H

#include <stdint.h>

struct pv_site {
	uintptr_t addr;
	uint8_t len;
	uint8_t op;
	uint16_t clobbers;
};

#define PV_SITE_CALL_LEN        5       /* e8 rel32 */

#ifdef __x86_64__
#define PV_SITE_PTR             ".quad"
#define PV_SITE_ALIGN           "8"
#else
#define PV_SITE_PTR             ".long"
#define PV_SITE_ALIGN           "4"
#endif

/*
 * The site's instruction and its record; the asm statement must pass
 * PV_SITE_ID(op, clobbers) among its inputs.  `name` is the pv_ops field.
 */
#define PV_SITE(name)							\
	"771:\n\tcall pv_tramp_" #name "\n772:\n"			\
	"\t.pushsection .pv_sites, \"a\"\n"				\
	"\t.balign " PV_SITE_ALIGN "\n"					\
	"\t" PV_SITE_PTR " 771b\n"					\
	"\t.byte 772b - 771b, %c[pv_op]\n"				\
	"\t.short %c[pv_clobbers]\n"					\
	"\t.balign " PV_SITE_ALIGN "\n"					\
	"\t.popsection\n"

#define PV_SITE_ID(op, clobbers) [pv_op] "i"(op), [pv_clobbers] "i"(clobbers)

/* Trampolines taken, on all CPUs: each unpatched pv call adds one. */
extern volatile uint32_t pv_tramp_hits;

struct pv_patch_stats {
	unsigned int sites, inlined, calls;
};

/* Patches every site for the current pv_ops; call once, before APs run. */
struct pv_patch_stats pv_patch_sites(void);

/* The site of op nearest at or after code (e.g. a function holding one). */
const struct pv_site *pv_site_find(unsigned int op, const void *code);

/* Where the site's call goes, or NULL if it is not a call (inlined). */
const void *pv_site_call_target(const struct pv_site *site);

/* The op's trampoline, where an unpatched site calls. */
const void *pv_trampoline(unsigned int op);

/* The op's native template: bytes and length; NULL if it has none. */
const uint8_t *pv_native_template(unsigned int op, unsigned int *len);

#endif /* GUEST_PV_PATCH_H */
