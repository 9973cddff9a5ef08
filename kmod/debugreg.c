// SPDX-License-Identifier: GPL-2.0
/* The guest's DR0-DR3 (see debugreg.h). */
#include <linux/percpu.h>
#include <linux/string.h>
#include <asm/cpufeature.h>
#include <asm/debugreg.h>
#include <asm/hw_breakpoint.h>

#include "debugreg.h"
#include "vcpu.h"
#include "vendor.h"

/* DR7's L0-L3 and G0-G3: any of them arms a breakpoint on DR0-DR3. */
#define DR7_BREAKPOINTS  (DR_LOCAL_ENABLE_MASK | DR_GLOBAL_ENABLE_MASK)

void hvk_debugreg_reset(struct hvk_vcpu *vcpu)
{
	memset(vcpu->debugreg.db, 0, sizeof(vcpu->debugreg.db));
}

int hvk_debugreg_access(struct hvk_vcpu *vcpu)
{
	vcpu->debugreg.in_use = true;
	hvk_ops->set_dr_intercept(vcpu, false);
	return 1;       /* the instruction runs again, on the guest's registers */
}

void hvk_debugreg_enter(struct hvk_vcpu *vcpu)
{
	struct hvk_debugregs *d = &vcpu->debugreg;

	if (!d->in_use && !(hvk_vendor_call(get_dr7)(vcpu) & DR7_BREAKPOINTS))
		return;
	/* No host breakpoint may fire on the guest's addresses meanwhile. */
	set_debugreg(0, 7);
	set_debugreg(d->db[0], 0);
	set_debugreg(d->db[1], 1);
	set_debugreg(d->db[2], 2);
	set_debugreg(d->db[3], 3);
}

void hvk_debugreg_exit(struct hvk_vcpu *vcpu)
{
	struct hvk_debugregs *d = &vcpu->debugreg;

	/* The guest may have written them without an exit: keep what it wrote. */
	if (d->in_use) {
		get_debugreg(d->db[0], 0);
		get_debugreg(d->db[1], 1);
		get_debugreg(d->db[2], 2);
		get_debugreg(d->db[3], 3);
		d->in_use = false;
		hvk_ops->set_dr_intercept(vcpu, true);
	}
	/*
	 * The exit left DR7 at 0x400 (SDM 28.5.1, APM 15.7.1) and DR0-DR3 may
	 * be the guest's: the host's breakpoints back, if it has any.
	 */
	if (hw_breakpoint_active())
		hw_breakpoint_restore();
}
