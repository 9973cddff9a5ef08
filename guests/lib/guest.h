/* SPDX-License-Identifier: MIT */
/*
 * The guest library: everything a test guest needs, in one include.
 *
 *   start.h       guest_main(), start_info(), boot_cmdline()
 *   platform.h    hvk / Xen / native, from CPUID
 *   hypercall.h   hypercall0..5, instruction choice, typed wrappers
 *   console.h     console_write(), console_puts()
 *   printf.h      printf(), snprintf()
 *   shutdown.h    guest_shutdown(), guest_pass(), guest_fail()
 *   exceptions.h  idt_set_gate(); vectors 0-31 fail the guest
 *   smp.h         hc_vcpu_op(), secondary vCPUs entering C
 *   check.h       expect_eq() and friends for conformance guests
 *   cpu.h, io.h, string.h
 *
 * 64-bit only: x86_64/paging.h, x86_64/usermode.h.
 * Linked only into PV_GUESTS (Makefile): pv/pv.h, the pv_ops layer.
 */
#ifndef GUEST_GUEST_H
#define GUEST_GUEST_H

#include "check.h"
#include "console.h"
#include "cpu.h"
#include "exceptions.h"
#include "hypercall.h"
#include "platform.h"
#include "printf.h"
#include "shutdown.h"
#include "smp.h"
#include "start.h"
#include "string.h"

#endif /* GUEST_GUEST_H */
