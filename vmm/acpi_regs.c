/* The ACPI sleep and reset registers (see acpi_regs.h). */
#include <abi/hvk_guest.h>

#include "acpi/dsdt.h"
#include "acpi_regs.h"

/*
 * Linux writes ((SLP_TYP << 2) & 0x1c) | SLP_EN in one byte
 * (acpi_hw_extended_sleep); a write without SLP_EN only sets up a type.
 */
static enum port_effect acpi_sleep_control_write(uint16_t offset, uint8_t size,
						 uint32_t value)
{
	uint8_t reg = value;
	unsigned int slp_typ = (reg & ACPI_SLEEP_SLP_TYP_MASK) >> ACPI_SLEEP_SLP_TYP_SHIFT;

	(void)offset;
	(void)size;
	if (!(reg & ACPI_SLEEP_SLP_EN))
		return PORT_EFFECT_NONE;
	return slp_typ == HVK_ACPI_S5_SLP_TYP ? PORT_EFFECT_POWER_OFF :
						PORT_EFFECT_SLEEP_IGNORED;
}

static enum port_effect acpi_reset_write(uint16_t offset, uint8_t size, uint32_t value)
{
	(void)offset;
	(void)size;
	return (uint8_t)value == HVK_ACPI_RESET_VALUE ? PORT_EFFECT_RESET : PORT_EFFECT_NONE;
}

/* Every register reads 0: its bits are write-only or never set. */
const struct port_device acpi_sleep_control = {
	.name = "ACPI sleep control",
	.read = port_read_zero,
	.write = acpi_sleep_control_write,
};

/*
 * Linux writes WAK_STS (0x80) here before sleeping, to clear it: the bit is
 * write-1-to-clear and hvk never sets it, so there is nothing to clear.
 */
const struct port_device acpi_sleep_status = {
	.name = "ACPI sleep status",
	.read = port_read_zero,
	.write = port_write_ignored,
};

const struct port_device acpi_reset_register = {
	.name = "ACPI reset",
	.read = port_read_zero,
	.write = acpi_reset_write,
};
