/*
 * hvk's ACPI tables (docs/acpi.md): RSDP -> XSDT -> FADT -> DSDT, and MADT,
 * for a hardware-reduced platform whose only registers are the sleep
 * control/status and reset ports of include/abi/hvk_guest.h.
 *
 * Layouts are ACPI 6.0 chapter 5.2; each struct below carries the spec's
 * byte offsets and acpi.c checks them with _Static_assert.  Multi-byte
 * fields are little-endian, as x86 stores them.
 */
#ifndef HVK_VMM_ACPI_H
#define HVK_VMM_ACPI_H

#include <stddef.h>
#include <stdint.h>

#include "err.h"

#define ACPI_OEM_ID             "HVK"
#define ACPI_CREATOR_ID         "HVK "
#define ACPI_CREATOR_REVISION   1u
#define ACPI_OEM_REVISION       1u

#define ACPI_RSDP_REVISION      2u      /* ACPI 2.0+: has the XSDT */
#define ACPI_XSDT_REVISION      1u
#define ACPI_FADT_REVISION      6u      /* ACPI 6.0 */
#define ACPI_FADT_MINOR_VERSION 0u
#define ACPI_MADT_REVISION      4u      /* ACPI 6.0 */

/* RSDP (5.2.5.3): 36 bytes, found through hvm_start_info.rsdp_paddr. */
struct acpi_rsdp {
	char signature[8];              /*  0 "RSD PTR " */
	uint8_t checksum;               /*  8 bytes 0..19 sum to 0 */
	char oem_id[6];                 /*  9 */
	uint8_t revision;               /* 15 */
	uint32_t rsdt_address;          /* 16 */
	uint32_t length;                /* 20 36 */
	uint64_t xsdt_address;          /* 24 */
	uint8_t extended_checksum;      /* 32 all 36 bytes sum to 0 */
	uint8_t reserved[3];            /* 33 */
} __attribute__((packed));

/* The header of every table but the RSDP (5.2.6): 36 bytes. */
struct acpi_table_header {
	char signature[4];              /*  0 */
	uint32_t length;                /*  4 the whole table */
	uint8_t revision;               /*  8 */
	uint8_t checksum;               /*  9 all length bytes sum to 0 */
	char oem_id[6];                 /* 10 */
	char oem_table_id[8];           /* 16 */
	uint32_t oem_revision;          /* 24 */
	char creator_id[4];             /* 28 */
	uint32_t creator_revision;      /* 32 */
} __attribute__((packed));

/* Generic Address Structure (5.2.3.2): 12 bytes. */
struct acpi_gas {
	uint8_t space_id;               /* 0 ACPI_GAS_SPACE_* */
	uint8_t bit_width;              /* 1 */
	uint8_t bit_offset;             /* 2 */
	uint8_t access_size;            /* 3 ACPI_GAS_ACCESS_* */
	uint64_t address;               /* 4 */
} __attribute__((packed));

#define ACPI_GAS_SPACE_IO       1u      /* System I/O: address is a port */
#define ACPI_GAS_ACCESS_BYTE    1u

/* MADT (5.2.12): header, then interrupt controller structures. */
struct acpi_madt {
	struct acpi_table_header header;        /*  0 "APIC" */
	uint32_t local_apic_address;            /* 36 */
	uint32_t flags;                         /* 40 ACPI_MADT_PCAT_COMPAT */
} __attribute__((packed));

#define ACPI_MADT_LOCAL_APIC_ADDRESS 0xfee00000u
#define ACPI_MADT_PCAT_COMPAT   (1u << 0)       /* 8259s present: not on hvk */

/* Processor Local APIC structure (5.2.12.2): 8 bytes. */
struct acpi_madt_local_apic {
	uint8_t type;                   /* 0 ACPI_MADT_TYPE_LOCAL_APIC */
	uint8_t length;                 /* 1 8 */
	uint8_t processor_uid;          /* 2 ACPI processor UID */
	uint8_t apic_id;                /* 3 */
	uint32_t flags;                 /* 4 ACPI_MADT_ENABLED */
} __attribute__((packed));

#define ACPI_MADT_TYPE_LOCAL_APIC 0u
#define ACPI_MADT_ENABLED       (1u << 0)

/* FADT (5.2.9), revision 6: 276 bytes.  Fields hvk leaves 0 are grouped. */
struct acpi_fadt {
	struct acpi_table_header header;        /*   0 "FACP" */
	uint32_t firmware_ctrl;                 /*  36 FACS: none */
	uint32_t dsdt;                          /*  40 */
	uint8_t legacy_fields[65];              /*  44 PM blocks... CENTURY: 0 */
	uint16_t iapc_boot_arch;                /* 109 ACPI_FADT_BOOT_* */
	uint8_t reserved0;                      /* 111 */
	uint32_t flags;                         /* 112 ACPI_FADT_* */
	struct acpi_gas reset_reg;              /* 116 */
	uint8_t reset_value;                    /* 128 */
	uint16_t arm_boot_arch;                 /* 129 */
	uint8_t minor_version;                  /* 131 */
	uint64_t x_firmware_ctrl;               /* 132 */
	uint64_t x_dsdt;                        /* 140 */
	struct acpi_gas x_legacy_blocks[8];     /* 148 X_PM1a_EVT .. X_GPE1: 0 */
	struct acpi_gas sleep_control_reg;      /* 244 */
	struct acpi_gas sleep_status_reg;       /* 256 */
	uint64_t hypervisor_vendor_id;          /* 268 */
} __attribute__((packed));

/* IA-PC boot architecture flags (5.2.9.3). */
#define ACPI_FADT_BOOT_8042         (1u << 1)   /* set: an 8042 exists */
#define ACPI_FADT_BOOT_NO_VGA       (1u << 2)
#define ACPI_FADT_BOOT_NO_CMOS_RTC  (1u << 5)
/* Fixed feature flags (5.2.9, table 5-35). */
#define ACPI_FADT_RESET_REG_SUP     (1u << 10)
#define ACPI_FADT_HW_REDUCED_ACPI   (1u << 20)

/* Sizes of the tables hvk builds; each table starts 16-byte aligned. */
#define ACPI_TABLE_ALIGN        16u
#define ACPI_XSDT_ENTRIES       2u      /* FADT, MADT */
#define ACPI_XSDT_SIZE          (sizeof(struct acpi_table_header) + \
				 ACPI_XSDT_ENTRIES * sizeof(uint64_t))
#define ACPI_MADT_SIZE(nr_vcpus) (sizeof(struct acpi_madt) + \
				  (nr_vcpus) * sizeof(struct acpi_madt_local_apic))

/* The compiled DSDT (acpi/dsdt.asl, embedded by acpi/dsdt_aml.S). */
extern const uint8_t acpi_dsdt_aml[];
extern const uint8_t acpi_dsdt_aml_end[];

/* Where the tables went, as guest-physical addresses. */
struct acpi_layout {
	uint64_t rsdp;
	uint64_t xsdt;
	uint64_t fadt;
	uint64_t madt;
	uint64_t dsdt;
	uint64_t end;           /* first byte past the last table */
};

/*
 * Writes the tables for vCPUs 0 .. nr_vcpus-1 into area[0, size), which the
 * guest sees at guest-physical `base` (16-byte aligned, below 4 GiB: the
 * FADT's 32-bit DSDT field must reach it), and zeroes the rest of the area.
 * Returns 0, or -EINVAL (nr_vcpus 0 or over HVK_MAX_VCPUS, a bad base) or
 * -E2BIG (the area is too small) with err->msg saying which.
 */
int acpi_tables_write(void *area, uint64_t base, size_t size,
		      unsigned int nr_vcpus, struct acpi_layout *layout,
		      struct hvk_err *err);

#endif /* HVK_VMM_ACPI_H */
