/* SPDX-License-Identifier: MIT */
/*
 * The paravirtualization layer, in one include (docs/pvops.md):
 *
 *   pvops.h     the pv_ops table, its calling convention, pvops_init()
 *   calls.h     pv_*() and lazy_mmu_begin/end(): the patchable call sites
 *   patch.h     the site format, pv_patch_sites()
 *   lazy_mmu.h  batching queueable ops into multicalls
 *   percpu.h    per-CPU data found from the stack
 *
 * Linked only into guests that use it (Makefile: PV_GUESTS).
 */
#ifndef GUEST_PV_PV_H
#define GUEST_PV_PV_H

#include "lazy_mmu.h"
#include "patch.h"
#include "percpu.h"
#include "pvops.h"

#endif /* GUEST_PV_PV_H */
