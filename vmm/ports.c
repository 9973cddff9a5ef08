/* The ports the VMM serves (see ports.h). */
#include <string.h>

#include <abi/hvk_guest.h>

#include "acpi_regs.h"
#include "ports.h"

uint32_t port_read_zero(uint16_t offset, uint8_t size)
{
	(void)offset;
	(void)size;
	return 0;
}

enum port_effect port_write_ignored(uint16_t offset, uint8_t size, uint32_t value)
{
	(void)offset;
	(void)size;
	(void)value;
	return PORT_EFFECT_NONE;
}

/*
 * HVK_VMM_NULL_PORT: OUT is ignored, IN reads 0, any size.  It exists so
 * benchmarks and tests can measure and exercise a full return to the VMM.
 */
static const struct port_device null_port = {
	.name = "null port",
	.read = port_read_zero,
	.write = port_write_ignored,
};

/* Every port the VMM may serve; the ACPI ones only with ACPI tables. */
static const struct {
	struct port_range range;
	bool acpi;
} vmm_ports[] = {
	{ { HVK_VMM_NULL_PORT, 1, &null_port }, false },
	{ { HVK_ACPI_SLEEP_CONTROL_PORT, 1, &acpi_sleep_control }, true },
	{ { HVK_ACPI_SLEEP_STATUS_PORT, 1, &acpi_sleep_status }, true },
	{ { HVK_ACPI_RESET_PORT, 1, &acpi_reset_register }, true },
};

_Static_assert(sizeof(vmm_ports) / sizeof(vmm_ports[0]) <= PORT_TABLE_MAX_RANGES,
	       "the port table holds every VMM port");
_Static_assert(sizeof(vmm_ports) / sizeof(vmm_ports[0]) <= HVK_MAX_IO_CLAIMS,
	       "the kernel takes a claim for every VMM port");

void port_table_init(struct port_table *t, bool acpi)
{
	memset(t, 0, sizeof(*t));
	for (size_t i = 0; i < sizeof(vmm_ports) / sizeof(vmm_ports[0]); i++)
		if (!vmm_ports[i].acpi || acpi)
			t->ranges[t->nr++] = vmm_ports[i].range;
}

const struct port_range *port_table_find(const struct port_table *t, uint16_t port)
{
	for (unsigned int i = 0; i < t->nr; i++) {
		const struct port_range *r = &t->ranges[i];

		if (port >= r->base && port - r->base < r->size)
			return r;
	}
	return NULL;
}

bool port_table_access(const struct port_table *t, struct hvk_exit_io *io,
		       enum port_effect *effect)
{
	const struct port_range *r = port_table_find(t, io->port);
	uint16_t offset;

	if (!r)
		return false;
	offset = io->port - r->base;
	if (io->direction == HVK_IO_IN) {
		uint32_t mask = io->size >= 4 ? 0xffffffffu : (1u << (8 * io->size)) - 1;

		io->data = r->device->read(offset, io->size) & mask;
		*effect = PORT_EFFECT_NONE;
	} else {
		*effect = r->device->write(offset, io->size, io->data);
	}
	return true;
}

void port_table_claims(const struct port_table *t, struct hvk_io_policy *policy)
{
	memset(policy->claims, 0, sizeof(policy->claims));
	for (unsigned int i = 0; i < t->nr; i++)
		policy->claims[i] = (struct hvk_io_range){
			.base = t->ranges[i].base,
			.size = t->ranges[i].size,
			.space = HVK_IO_SPACE_PIO,
		};
	policy->nr_claims = t->nr;
}
