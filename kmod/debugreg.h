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
#include <asm/debugreg.h>
#include <asm/hw_breakpoint.h>

struct hvk_vcpu;

struct hvk_debugregs {
	unsigned long db[4];            /* the guest's DR0-DR3 */
	bool in_use;                    /* MOV DR runs without exits until the next exit */
};

/* DR7's L0-L3 and G0-G3: any of them arms a breakpoint on DR0-DR3. */
#define HVK_DR7_BREAKPOINTS  (DR_LOCAL_ENABLE_MASK | DR_GLOBAL_ENABLE_MASK)

/* INIT, or a new start state: DR0-DR3 are 0 (SDM Table 10-1). */
void hvk_debugreg_reset(struct hvk_vcpu *vcpu);
/* A MOV DR exit: the guest uses its debug registers.  Returns 1 (re-enter). */
int hvk_debugreg_access(struct hvk_vcpu *vcpu);
/* The rare halves of the two below: the guest's DR0-DR3 in, and back out. */
void hvk_debugreg_load(struct hvk_debugregs *d);
void hvk_debugreg_save(struct hvk_vcpu *vcpu);

/*
 * Interrupts off: right before the world switch, with the guest's DR7 as
 * it will run (the VMCB's / VMCS's), and right after the exit.  Inline:
 * every exit pays for the look, and almost no guest uses DR0-DR3.
 */
static inline void hvk_debugreg_enter(struct hvk_debugregs *d, unsigned long guest_dr7)
{
	if (unlikely(d->in_use || (guest_dr7 & HVK_DR7_BREAKPOINTS)))
		hvk_debugreg_load(d);
}

static inline void hvk_debugreg_exit(struct hvk_vcpu *vcpu, struct hvk_debugregs *d)
{
	/* The guest may have written them without an exit: keep what it wrote. */
	if (unlikely(d->in_use))
		hvk_debugreg_save(vcpu);
	/*
	 * The exit left DR7 at 0x400 (SDM 28.5.1, APM 15.7.1) and DR0-DR3 may
	 * be the guest's: the host's breakpoints back, if it has any.
	 */
	if (unlikely(hw_breakpoint_active()))
		hw_breakpoint_restore();
}

#endif /* HVK_KMOD_DEBUGREG_H */
