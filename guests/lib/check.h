/* SPDX-License-Identifier: MIT */
/*
 * Checks for conformance guests: each compares what a call returned with
 * what it must return and, on a mismatch, fails the guest with
 *   FAIL: <check_name>: <what> returned <got>, expected <want>
 * `what` is a printf format.  Safe on any vCPU.
 */
#ifndef GUEST_CHECK_H
#define GUEST_CHECK_H

#include <stdbool.h>

#include "printf.h"

extern const char *check_name;          /* the guest's name; "check" by default */
extern unsigned long checks_passed;     /* checks that held, on all vCPUs */

void expect_eq(long got, long want, const char *what, ...) GUEST_PRINTF(3, 4);
void expect_ge(long got, long min, const char *what, ...) GUEST_PRINTF(3, 4);
/* Fails with "<check_name>: <what>" unless cond holds. */
void expect_true(bool cond, const char *what, ...) GUEST_PRINTF(2, 3);

#endif /* GUEST_CHECK_H */
