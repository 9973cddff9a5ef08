/*
 * The I/O ports the VMM serves itself: a small table of ranges, each with a
 * device whose handlers read and write at an offset into its range (the
 * bus devices of Firecracker and cloud-hypervisor).  The VMM claims these
 * ranges from the kernel (port_table_claims(), HVK_VM_SET_IO_POLICY), so
 * their accesses come back from HVK_RUN as HVK_EXIT_IO; every other port is
 * unclaimed and follows the VM's policy (--unclaimed-io).
 */
#ifndef HVK_VMM_PORTS_H
#define HVK_VMM_PORTS_H

#include <stdbool.h>
#include <stdint.h>

#include <abi/hvk.h>

/* What an access asks of the VMM beyond its value. */
enum port_effect {
	PORT_EFFECT_NONE,               /* done: the guest runs on */
	PORT_EFFECT_POWER_OFF,          /* ACPI S5 through the sleep control register */
	PORT_EFFECT_RESET,              /* the ACPI reset register */
	PORT_EFFECT_SLEEP_IGNORED,      /* a sleep state hvk does not have */
};

/* A device's handlers; offset is from its range's base, size 1, 2 or 4. */
struct port_device {
	const char *name;
	uint32_t (*read)(uint16_t offset, uint8_t size);
	enum port_effect (*write)(uint16_t offset, uint8_t size, uint32_t value);
};

/* Handlers for registers that read 0 / ignore writes. */
uint32_t port_read_zero(uint16_t offset, uint8_t size);
enum port_effect port_write_ignored(uint16_t offset, uint8_t size, uint32_t value);

struct port_range {
	uint16_t base;
	uint16_t size;                  /* ports, >= 1 */
	const struct port_device *device;
};

#define PORT_TABLE_MAX_RANGES   8u

struct port_table {
	unsigned int nr;
	struct port_range ranges[PORT_TABLE_MAX_RANGES];
};

/* The VMM's ports: the null port, and the ACPI registers if acpi. */
void port_table_init(struct port_table *t, bool acpi);

/* The range holding port, or NULL. */
const struct port_range *port_table_find(const struct port_table *t, uint16_t port);

/*
 * Serves an HVK_EXIT_IO at a port of the table: an IN gets io->data (its
 * size's bytes), an OUT goes to the device, *effect says what else to do.
 * The range holding io->port takes the whole access.  False if no range
 * holds io->port (io and *effect untouched).
 */
bool port_table_access(const struct port_table *t, struct hvk_exit_io *io,
		       enum port_effect *effect);

/* Sets policy->claims[] and nr_claims: one PIO claim per range. */
void port_table_claims(const struct port_table *t, struct hvk_io_policy *policy);

#endif /* HVK_VMM_PORTS_H */
