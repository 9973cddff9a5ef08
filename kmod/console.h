/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Guest console output collected in the run page (hvk_run.console), from
 * console_io writes and port 0xe9.  The VMM prints it after every HVK_RUN
 * return, so output is never held back behind another exit or lost.
 */
#ifndef HVK_KMOD_CONSOLE_H
#define HVK_KMOD_CONSOLE_H

#include <linux/types.h>

struct hvk_vcpu;

/* Bytes that still fit. */
size_t hvk_console_space(struct hvk_vcpu *vcpu);
/* Appends up to hvk_console_space() bytes; returns how many it took. */
size_t hvk_console_put(struct hvk_vcpu *vcpu, const void *buf, size_t len);

#endif /* HVK_KMOD_CONSOLE_H */
