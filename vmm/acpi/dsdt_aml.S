/*
 * The DSDT compiled from dsdt.asl (acpi/dsdt.aml, made by vmm/Makefile),
 * as read-only bytes of the hvk binary: acpi_dsdt_aml[] up to
 * acpi_dsdt_aml_end (vmm/acpi.h).  .incbin paths are relative to the
 * assembler's working directory, vmm/, where the Makefile runs.
 */
	.section .rodata
	.balign 16
	.globl acpi_dsdt_aml
	.globl acpi_dsdt_aml_end
acpi_dsdt_aml:
	.incbin "acpi/dsdt.aml"
acpi_dsdt_aml_end:

	.section .note.GNU-stack, "", @progbits
