// SPDX-License-Identifier: GPL-2.0
/* console_io: CONSOLEIO_write into the run page's console buffer. */
#include <linux/minmax.h>
#include <abi/xen/errno.h>

#include "console.h"
#include "guest_mem.h"
#include "hypercall.h"
#include "vcpu.h"

#define CONSOLE_COPY_CHUNK 256

/*
 * console_io(CONSOLEIO_write, count, buf).  Copies what fits; when the
 * buffer fills, the call is continued with the rest after the VMM has
 * printed it, so a large write never loses output.  Returns 0 (as Xen).
 */
static long console_write(struct hvk_hcall *hc)
{
	u64 count = (u32)hc->arg[1], buf = hc->arg[2];
	u8 chunk[CONSOLE_COPY_CHUNK];

	if ((s32)hc->arg[1] < 0)
		return -XEN_EINVAL;
	while (count) {
		size_t n = min3((size_t)count, sizeof(chunk),
				hvk_console_space(hc->vcpu));

		if (!n) {
			hc->arg[1] = count;
			hc->arg[2] = buf;
			hc->continuation = true;
			hc->to_vmm = true;
			/*
			 * A multicall's earlier send to a VMM port keeps its
			 * exit: the VMM prints the console on every return.
			 */
			if (hc->vcpu->vmm_evtchn_port < 0)
				hc->vcpu->run->exit_reason = HVK_EXIT_CONSOLE;
			return 0;
		}
		if (hvk_copy_from_guest(hc->vcpu, chunk, buf, n))
			return -XEN_EFAULT;
		hvk_console_put(hc->vcpu, chunk, n);
		buf += n;
		count -= n;
	}
	return 0;
}

long hvk_hc_console_io(struct hvk_hcall *hc)
{
	switch (hc->arg[0]) {
	case XEN_CONSOLEIO_WRITE:
		return console_write(hc);
	case XEN_CONSOLEIO_READ:
		return 0;       /* no console input: nothing read */
	}
	return -XEN_ENOSYS;
}
