/* SPDX-License-Identifier: MIT */
/*
 * The native implementations of the pv ops (native.c): the instructions
 * themselves.  The hvk table (hvk.c) reuses those that need no hypervisor
 * on an HVM guest.  All PV_FN (pvops.h) except native_cpuid, which takes
 * and returns the instruction's registers (native_insns.S).
 */
#ifndef GUEST_PV_NATIVE_H
#define GUEST_PV_NATIVE_H

#include "pvops.h"

PV_FN void native_irq_disable(void);
PV_FN void native_irq_enable(void);
PV_FN unsigned long native_save_fl(void);
PV_FN void native_restore_fl(unsigned long flags);
PV_FN void native_halt(void);
void native_cpuid(void);
PV_FN unsigned long native_read_cr0(void);
PV_FN void native_write_cr0(unsigned long v);
PV_FN unsigned long native_read_cr2(void);
PV_FN unsigned long native_read_cr3(void);
PV_FN void native_write_cr3(unsigned long v);
PV_FN unsigned long native_read_cr4(void);
PV_FN void native_write_cr4(unsigned long v);
PV_FN unsigned long native_inb(unsigned long port);
PV_FN void native_outb(unsigned long port, unsigned long v);
PV_FN void native_outl(unsigned long port, unsigned long v);

/* native_ap.c: INIT-SIPI-SIPI through the local APIC. */
PV_FN long native_vcpu_up(unsigned long id, const struct pv_vcpu_start *start);

/* Quiets what the firmware left running (native.c). */
void native_platform_init(void);

#endif /* GUEST_PV_NATIVE_H */
