/*
 * What the VMM must know about its own DSDT (dsdt.asl), in one place:
 * dsdt.asl includes this file through iasl's preprocessor and the C code
 * (acpi_regs.c, the unit tests) includes it too, so the _S5 package and the
 * sleep control register's power-off check cannot disagree.  #defines only:
 * iasl reads it.
 */
#ifndef HVK_VMM_ACPI_DSDT_H
#define HVK_VMM_ACPI_DSDT_H

/*
 * The SLP_TYP of S5 (soft off), the first element of \_S5.  On a
 * hardware-reduced platform the value is hvk's to choose (ACPI 6.0
 * 4.8.3.7: SLP_TYP of the sleep control register is what \_Sx gives);
 * 5 matches the state's number, as QEMU's hardware-reduced machines do.
 */
#define HVK_ACPI_S5_SLP_TYP 5

#endif /* HVK_VMM_ACPI_DSDT_H */
