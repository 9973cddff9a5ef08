/* SPDX-License-Identifier: MIT */
#include <abi/hvk_guest.h>
#include <abi/xen/hypercall.h>

#include "console.h"
#include "hypercall.h"
#include "io.h"
#include "platform.h"
#include "string.h"

void console_write(const char *buf, size_t len)
{
	/* A failed console write has nowhere to be reported; drop it. */
	if (platform_has_hypercalls()) {
		hc_console_io(XEN_CONSOLEIO_WRITE, len, buf);
		return;
	}
	for (size_t i = 0; i < len; i++)
		outb(HVK_DEBUGCON_PORT, (unsigned char)buf[i]);
}

void console_puts(const char *s)
{
	console_write(s, strlen(s));
}
