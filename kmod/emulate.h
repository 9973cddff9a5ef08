/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Vendor-neutral instruction emulation, called by both backends' exit
 * handlers (as KVM's kvm_emulate_*): CPUID, RDMSR/WRMSR, port I/O.  Each
 * takes the intercepted instruction's length and advances RIP itself when
 * the instruction completes (not when it faults).  Return 1 to resume, 0 to
 * exit to the VMM with vcpu->run filled.
 */
#ifndef HVK_KMOD_EMULATE_H
#define HVK_KMOD_EMULATE_H

#include <linux/types.h>

struct hvk_vcpu;

struct hvk_io_access {
	u16 port;
	u8 size;                /* 1, 2, 4 */
	bool in;
};

int hvk_emulate_cpuid(struct hvk_vcpu *vcpu, unsigned int insn_len);
int hvk_emulate_rdmsr(struct hvk_vcpu *vcpu, unsigned int insn_len);
int hvk_emulate_wrmsr(struct hvk_vcpu *vcpu, unsigned int insn_len);
int hvk_emulate_io(struct hvk_vcpu *vcpu, const struct hvk_io_access *io,
		   unsigned int insn_len);
/* HLT: advance RIP and halt the vCPU until something wakes it. */
int hvk_emulate_halt(struct hvk_vcpu *vcpu, unsigned int insn_len);
/*
 * VMCALL/VMMCALL, in hypercall.c, given the caller's CPL and mode as the
 * backend read them at the exit: no vendor call on the path every
 * hypercall takes.  Returns as an exit handler does (1 re-enter, 0 to the
 * VMM); sets *@completed when the call completed, and the backend then
 * moves RIP past the instruction (a continuation leaves RIP on it, to run
 * again with the updated arguments).
 */
int hvk_emulate_hypercall(struct hvk_vcpu *vcpu, int cpl, bool long_mode, bool *completed);

#endif /* HVK_KMOD_EMULATE_H */
