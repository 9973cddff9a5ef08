/* SPDX-License-Identifier: MIT */
/* Hypercall instruction choice and typed wrappers; the register part is per mode. */
#include <abi/xen/hypercall.h>

#include "hypercall.h"

enum hypercall_insn hypercall_insn = HYPERCALL_VMCALL;

void hypercall_use(enum hypercall_insn insn)
{
	hypercall_insn = insn;
}

const char *hypercall_insn_name(enum hypercall_insn insn)
{
	return insn == HYPERCALL_VMMCALL ? "vmmcall" : "vmcall";
}

long hc_console_io(unsigned int cmd, unsigned long count, const void *buf)
{
	return hypercall3(XEN_HC_CONSOLE_IO, cmd, count, (unsigned long)buf);
}

long hc_sched_op(unsigned int cmd, void *arg)
{
	return hypercall2(XEN_HC_SCHED_OP, cmd, (unsigned long)arg);
}

long hc_xen_version(unsigned int cmd, void *arg)
{
	return hypercall2(XEN_HC_XEN_VERSION, cmd, (unsigned long)arg);
}
