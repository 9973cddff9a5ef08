/* SPDX-License-Identifier: MIT */
/*
 * From the PVH entry to the guest's own code.  entry32.S stores EBX (the
 * physical address of struct xen_hvm_start_info) and enters the mode's
 * runtime, which calls guest_start(); that detects the platform, installs
 * exception handlers and calls guest_main().  A return of 0 powers off
 * (pass); anything else fails the guest.
 */
#ifndef GUEST_START_H
#define GUEST_START_H

#include <stdbool.h>
#include <stdint.h>

#include <abi/xen/hvm_start_info.h>

extern uint32_t boot_start_info_paddr;  /* EBX at the PVH entry */
/*
 * The TSC read by the PVH entry's first instruction: with a TSC read later,
 * how long the guest ran since its first instruction (guests/bench.c).
 */
extern uint64_t boot_entry_tsc;

/* Each guest defines this. */
int guest_main(void);

__attribute__((noreturn)) void guest_start(void);

/* NULL if EBX did not point at a struct with XEN_HVM_START_MAGIC. */
const struct xen_hvm_start_info *start_info(void);

/* The PVH command line, "" if none. */
const char *boot_cmdline(void);

/* The end of the highest RAM range of the PVH memory map; 0 if none. */
uint64_t boot_ram_end(void);

/*
 * The value of a "key=<decimal or 0x hex>" word of the command line, or
 * `dflt` if there is none (or it does not parse).
 */
uint64_t cmdline_number(const char *key, uint64_t dflt);

/* Whether the command line holds `word` as a whole, space-separated word. */
bool cmdline_has_word(const char *word);

#endif /* GUEST_START_H */
