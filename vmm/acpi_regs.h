/*
 * The registers of hvk's hardware-reduced ACPI platform (docs/acpi.md), as
 * devices of the VMM's port table (ports.h): the FADT's sleep control and
 * sleep status registers and its reset register, one byte each at the
 * HVK_ACPI_*_PORT ports of include/abi/hvk_guest.h.
 *
 *   sleep control  write SLP_EN (bit 5) with SLP_TYP (bits 4:2) = \_S5's
 *                  type: power off.  SLP_EN with any other type: ignored
 *                  (PORT_EFFECT_SLEEP_IGNORED; hvk has no other sleep
 *                  state and the DSDT declares none).  Reads 0.
 *   sleep status   reads 0: WAK_STS (bit 7) is never set, as hvk never
 *                  sleeps; writes are write-1-to-clear, so clear nothing.
 *   reset          HVK_ACPI_RESET_VALUE resets (reboots) the VM; other
 *                  values are ignored.  Reads 0.
 *
 * Only the low byte of a wider access counts: each register is 8 bits.
 */
#ifndef HVK_VMM_ACPI_REGS_H
#define HVK_VMM_ACPI_REGS_H

#include "ports.h"

/* The registers' bits (ACPI 6.0 4.8.3.7, Sleep Control and Status Registers). */
#define ACPI_SLEEP_SLP_TYP_SHIFT  2
#define ACPI_SLEEP_SLP_TYP_MASK   (7u << ACPI_SLEEP_SLP_TYP_SHIFT)
#define ACPI_SLEEP_SLP_EN         (1u << 5)
#define ACPI_SLEEP_WAK_STS        (1u << 7)

extern const struct port_device acpi_sleep_control;
extern const struct port_device acpi_sleep_status;
extern const struct port_device acpi_reset_register;

#endif /* HVK_VMM_ACPI_REGS_H */
