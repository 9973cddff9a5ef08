/* SPDX-License-Identifier: MIT */
/*
 * The PV console ring (Xen's public/io/console.h): one page of guest RAM
 * the guest finds through HVM_PARAM_CONSOLE_PFN, with an event channel in
 * HVM_PARAM_CONSOLE_EVTCHN.  The same layout for 32- and 64-bit guests.
 *
 *      0 in[1024]   guest input, written by the backend
 *   1024 out[2048]  guest output, written by the guest
 *   3072 in_cons  3076 in_prod  3080 out_cons  3084 out_prod
 *   3088 connection (u8; Linux ignores it)
 *
 * Indices are free-running u32 (slot = index & (size - 1)); a ring is
 * full when prod - cons == size.
 */
#ifndef HVK_ABI_XEN_CONSOLE_H
#define HVK_ABI_XEN_CONSOLE_H

#include "../types.h"

#define XEN_CONSOLE_IN_SIZE   1024u
#define XEN_CONSOLE_OUT_SIZE  2048u
#define XEN_CONSOLE_PAGE_SIZE 4096u

struct xen_console_interface {
	uint8_t in[XEN_CONSOLE_IN_SIZE];
	uint8_t out[XEN_CONSOLE_OUT_SIZE];
	uint32_t in_cons, in_prod;
	uint32_t out_cons, out_prod;
	uint8_t connection;
	uint8_t pad[XEN_CONSOLE_PAGE_SIZE - 3089];
};

#endif /* HVK_ABI_XEN_CONSOLE_H */
