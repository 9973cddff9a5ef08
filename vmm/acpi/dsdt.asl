/*
 * hvk's DSDT (docs/acpi.md), compiled by iasl at build time (vmm/Makefile)
 * and embedded in the hvk binary (dsdt_aml.S).
 *
 * The platform is hardware-reduced ACPI (FADT flag HW_REDUCED_ACPI): no
 * PM1 blocks, no SCI, no GPEs, so nothing here needs methods or devices.
 * Processors are enumerated by the MADT alone (Linux needs no Processor
 * objects to start CPUs).  \_S5 is what makes power-off work: Linux offers
 * ACPI power-off only if \_S5 evaluates (ACPICA acpi_get_sleep_type_data)
 * and then writes its first element as SLP_TYP to the FADT's sleep control
 * register, which the VMM answers (vmm/acpi_regs.c).
 */
#include "dsdt.h"

DefinitionBlock ("", "DSDT", 2, "HVK", "HVKDSDT", 1)
{
    /* { SLP_TYPa, SLP_TYPb }: only the first is used without PM1b. */
    Name (_S5, Package () { HVK_ACPI_S5_SLP_TYP, HVK_ACPI_S5_SLP_TYP })
}
