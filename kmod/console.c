// SPDX-License-Identifier: GPL-2.0
/* Guest console buffer in the run page (see console.h). */
#include <linux/minmax.h>
#include <linux/string.h>

#include "console.h"
#include "vcpu.h"

size_t hvk_console_space(struct hvk_vcpu *vcpu)
{
	return HVK_CONSOLE_BUF_SIZE - vcpu->console_len;
}

size_t hvk_console_put(struct hvk_vcpu *vcpu, const void *buf, size_t len)
{
	size_t n = min(len, hvk_console_space(vcpu));

	if (!vcpu->console_len)
		vcpu->console_since = jiffies;
	/* At the kernel's own offset: the run page's length is output only. */
	memcpy(vcpu->run->console + vcpu->console_len, buf, n);
	vcpu->console_len += n;
	return n;
}
