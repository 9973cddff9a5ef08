/* SPDX-License-Identifier: MIT */
/*
 * Xen-ABI hypercalls (include/abi/xen/hypercall.h): number and up to five
 * arguments in the registers of the caller's mode, result in (E/R)AX,
 * negative Xen errno on failure.  Only valid when platform_has_hypercalls().
 *
 * The instruction is chosen once from the CPU vendor (platform_detect) and
 * can be forced with hypercall_use() or the command-line word
 * "hypercall=vmcall" / "hypercall=vmmcall", to check that the hypervisor
 * accepts the other vendor's instruction too.
 */
#ifndef GUEST_HYPERCALL_H
#define GUEST_HYPERCALL_H

enum hypercall_insn {
	HYPERCALL_VMCALL,       /* 0f 01 c1, Intel */
	HYPERCALL_VMMCALL,      /* 0f 01 d9, AMD */
};

extern enum hypercall_insn hypercall_insn;

void hypercall_use(enum hypercall_insn insn);
const char *hypercall_insn_name(enum hypercall_insn insn);

/* Per mode: x86_32/hypercall.c or x86_64/hypercall.c. */
long hypercall_with(enum hypercall_insn insn, unsigned long nr,
		    unsigned long a1, unsigned long a2, unsigned long a3,
		    unsigned long a4, unsigned long a5);

static inline long hypercall5(unsigned long nr, unsigned long a1,
			      unsigned long a2, unsigned long a3,
			      unsigned long a4, unsigned long a5)
{
	return hypercall_with(hypercall_insn, nr, a1, a2, a3, a4, a5);
}

static inline long hypercall4(unsigned long nr, unsigned long a1,
			      unsigned long a2, unsigned long a3,
			      unsigned long a4)
{
	return hypercall5(nr, a1, a2, a3, a4, 0);
}

static inline long hypercall3(unsigned long nr, unsigned long a1,
			      unsigned long a2, unsigned long a3)
{
	return hypercall5(nr, a1, a2, a3, 0, 0);
}

static inline long hypercall2(unsigned long nr, unsigned long a1,
			      unsigned long a2)
{
	return hypercall5(nr, a1, a2, 0, 0, 0);
}

static inline long hypercall1(unsigned long nr, unsigned long a1)
{
	return hypercall5(nr, a1, 0, 0, 0, 0);
}

static inline long hypercall0(unsigned long nr)
{
	return hypercall5(nr, 0, 0, 0, 0, 0);
}

/* Typed wrappers for the hypercalls the library itself uses. */
long hc_console_io(unsigned int cmd, unsigned long count, const void *buf);
long hc_sched_op(unsigned int cmd, void *arg);
long hc_xen_version(unsigned int cmd, void *arg);

#endif /* GUEST_HYPERCALL_H */
