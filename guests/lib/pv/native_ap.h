/* SPDX-License-Identifier: MIT */
/*
 * Starting an AP natively (native_ap.c, ap_trampoline.S): the BSP copies a
 * real-mode trampoline to a free page below 1 MiB and sends the AP
 * INIT, SIPI, SIPI through its local APIC.  The AP wakes in real mode at
 * CS:IP = vector<<8:0, loads the library's GDT, enters 32-bit protected
 * mode, takes this CPU's CR4/CR3 (and long mode or CR0.PG) from the
 * mailbox and jumps to the library's AP entry, smp_ap_entry, with the
 * registers the hypervisor's start state would have given it (smp.h).
 *
 * Mailbox offsets, for the assembly; native_ap.c checks them.
 */
#ifndef GUEST_PV_NATIVE_AP_H
#define GUEST_PV_NATIVE_AP_H

#define AP_MB_STACK_TOP         0       /* u64 */
#define AP_MB_FN                8       /* u64 */
#define AP_MB_ARG               16      /* u64 */
#define AP_MB_ID                24      /* u32 */
#define AP_MB_CR0_PG            28      /* u32: CR0.PG to set (32-bit), or 0 */
#define AP_MB_CR3               32      /* u32 */
#define AP_MB_CR4               36      /* u32 */
#define AP_MB_TAKEN             40      /* u32: the AP has read the rest */

#endif /* GUEST_PV_NATIVE_AP_H */
