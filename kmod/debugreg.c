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

void hvk_debugreg_load(struct hvk_debugregs *d)
{
	/* No host breakpoint may fire on the guest's addresses meanwhile. */
	set_debugreg(0, 7);
	set_debugreg(d->db[0], 0);
	set_debugreg(d->db[1], 1);
	set_debugreg(d->db[2], 2);
	set_debugreg(d->db[3], 3);
}

void hvk_debugreg_save(struct hvk_vcpu *vcpu)
{
	struct hvk_debugregs *d = &vcpu->debugreg;

	get_debugreg(d->db[0], 0);
	get_debugreg(d->db[1], 1);
	get_debugreg(d->db[2], 2);
	get_debugreg(d->db[3], 3);
	d->in_use = false;
	hvk_ops->set_dr_intercept(vcpu, true);
}
