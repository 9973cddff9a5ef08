// SPDX-License-Identifier: GPL-2.0
/* A vCPU's Xen services: set up and torn down (see xen_vcpu.h). */
#include "vcpu.h"
#include "xen_vcpu.h"

void hvk_xen_vcpu_init(struct hvk_vcpu *vcpu)
{
	hvk_runstate_init(vcpu);
	hvk_vcpu_timers_init(vcpu);
}

/* Registered areas are addresses into pinned RAM or overlays: nothing to free. */
void hvk_xen_vcpu_destroy(struct hvk_vcpu *vcpu)
{
	hvk_vcpu_timers_destroy(vcpu);
}
