/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The guest's debug address registers DR0-DR3.  Neither VMRUN nor VM entry
 * switches them, so without care a guest reads the values another VM's
 * guest left, or the host's hardware breakpoints (a perf or ptrace
 * watchpoint's address), and arms its DR7 against them.  As KVM does:
 * every MOV DR exits at first; the first one loads the guest's DR0-DR3 and
 * lets the instruction run again without exits, until the next VM exit,
 * which saves them and turns the exits back on.  A guest whose DR7 arms a
 * breakpoint gets its DR0-DR3 loaded before every entry.  After every exit
 * the host's own breakpoints are restored (the exit cleared DR7).
 * DR6 and DR7 themselves are in the VMCB / VMCS, or switched by the
 * backend (VMX's DR6).
 */
#ifndef HVK_KMOD_DEBUGREG_H
#define HVK_KMOD_DEBUGREG_H

#include <linux/types.h>

struct hvk_vcpu;

struct hvk_debugregs {
	unsigned long db[4];            /* the guest's DR0-DR3 */
	bool in_use;                    /* MOV DR runs without exits until the next exit */
};

/* INIT, or a new start state: DR0-DR3 are 0 (SDM Table 10-1). */
void hvk_debugreg_reset(struct hvk_vcpu *vcpu);
/* A MOV DR exit: the guest uses its debug registers.  Returns 1 (re-enter). */
int hvk_debugreg_access(struct hvk_vcpu *vcpu);
/* Interrupts off: right before the world switch, and right after the exit. */
void hvk_debugreg_enter(struct hvk_vcpu *vcpu);
void hvk_debugreg_exit(struct hvk_vcpu *vcpu);

#endif /* HVK_KMOD_DEBUGREG_H */
