/* SPDX-License-Identifier: MIT */
#include <abi/xen/sched.h>

#include "cpu.h"
#include "hypercall.h"
#include "io.h"
#include "platform.h"
#include "shutdown.h"

unsigned int native_exit_value(unsigned int reason)
{
	if (reason == XEN_SHUTDOWN_POWEROFF)
		return NATIVE_EXIT_POWEROFF;
	if (reason == XEN_SHUTDOWN_CRASH)
		return NATIVE_EXIT_CRASH;
	return NATIVE_EXIT_OTHER;
}

void guest_shutdown(unsigned int reason)
{
	if (platform_has_hypercalls()) {
		struct xen_sched_shutdown arg = { .reason = reason };
		long rc = hc_sched_op(XEN_SCHEDOP_SHUTDOWN, &arg);

		/* Only reached if the hypervisor let the vCPU run on. */
		printf("shutdown(%u) returned %ld; halting\n", reason, rc);
	} else {
		outl(NATIVE_EXIT_PORT, native_exit_value(reason));
	}
	halt_forever();
}

void guest_pass(void)
{
	guest_shutdown(XEN_SHUTDOWN_POWEROFF);
}

void guest_fail(const char *fmt, ...)
{
	va_list ap;

	printf("FAIL: ");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	guest_shutdown(XEN_SHUTDOWN_CRASH);
}
