/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Guest console output collected in the run page (hvk_run.console), from
 * console_io writes and port 0xe9.  The VMM prints it after every HVK_RUN
 * return, so output is never lost.  Nor is it held back: a guest that
 * prints and then runs on in the kernel (exits hvk handles itself, or none
 * but the host's interrupts) returns to the VMM with HVK_EXIT_CONSOLE once
 * its oldest byte is HVK_CONSOLE_HOLD_MS old, and at once when the vCPU
 * is about to wait (halted, down): a user sees each line within that, and
 * a guest printing a lot still costs one VMM exit per buffer or per hold.
 */
#ifndef HVK_KMOD_CONSOLE_H
#define HVK_KMOD_CONSOLE_H

#include <linux/jiffies.h>
#include <linux/types.h>

#include "vcpu.h"

#define HVK_CONSOLE_HOLD_MS     20

/* Has output waited long enough to be worth a return to the VMM? */
static inline bool hvk_console_due(const struct hvk_vcpu *vcpu)
{
	return vcpu->console_len &&
	       time_after_eq(jiffies, vcpu->console_since +
					msecs_to_jiffies(HVK_CONSOLE_HOLD_MS));
}

/* Bytes that still fit. */
size_t hvk_console_space(struct hvk_vcpu *vcpu);
/* Appends up to hvk_console_space() bytes; returns how many it took. */
size_t hvk_console_put(struct hvk_vcpu *vcpu, const void *buf, size_t len);

#endif /* HVK_KMOD_CONSOLE_H */
