/* SPDX-License-Identifier: MIT */
/*
 * The guest console: hypercall console_io(CONSOLEIO_write) on hvk and Xen,
 * port 0xe9 (QEMU's -debugcon) on native.
 */
#ifndef GUEST_CONSOLE_H
#define GUEST_CONSOLE_H

#include <stddef.h>

void console_write(const char *buf, size_t len);
void console_puts(const char *s);       /* no newline added */

#endif /* GUEST_CONSOLE_H */
