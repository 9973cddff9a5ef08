// SPDX-License-Identifier: GPL-2.0
/*
 * set_timer_op (hypercall 15): the caller's single-shot timer at an
 * absolute system time, Linux's fallback when VCPUOP timers fail.  A
 * 64-bit caller passes the s64 deadline in one register, a 32-bit one in
 * two (low, high: Xen's compat_set_timer_op).  Always 0.
 */
#include "hypercall.h"
#include "vcpu.h"
#include "vcpu_timer.h"

long hvk_hc_set_timer_op(struct hvk_hcall *hc)
{
	u64 timeout = hc->long_mode ? hc->arg[0] :
		      (u32)hc->arg[0] | (u64)(u32)hc->arg[1] << 32;

	hvk_vcpu_timer_set_timeout(hc->vcpu, (s64)timeout);
	return 0;
}
