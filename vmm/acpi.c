/* hvk's ACPI tables (see acpi.h and docs/acpi.md). */
#include <errno.h>
#include <inttypes.h>
#include <string.h>

#include <abi/hvk.h>
#include <abi/hvk_guest.h>

#include "acpi.h"

/* The spec's byte offsets (ACPI 6.0 5.2), which the guests read by number. */
_Static_assert(sizeof(struct acpi_rsdp) == 36, "RSDP is 36 bytes");
_Static_assert(offsetof(struct acpi_rsdp, xsdt_address) == 24, "RSDP XSDT @24");
_Static_assert(offsetof(struct acpi_rsdp, extended_checksum) == 32, "RSDP ext cksum @32");
_Static_assert(sizeof(struct acpi_table_header) == 36, "table header is 36 bytes");
_Static_assert(sizeof(struct acpi_gas) == 12, "GAS is 12 bytes");
_Static_assert(sizeof(struct acpi_madt) == 44, "MADT entries start @44");
_Static_assert(sizeof(struct acpi_madt_local_apic) == 8, "Local APIC entry is 8 bytes");
_Static_assert(offsetof(struct acpi_fadt, dsdt) == 40, "FADT DSDT @40");
_Static_assert(offsetof(struct acpi_fadt, iapc_boot_arch) == 109, "FADT boot flags @109");
_Static_assert(offsetof(struct acpi_fadt, flags) == 112, "FADT flags @112");
_Static_assert(offsetof(struct acpi_fadt, reset_reg) == 116, "FADT RESET_REG @116");
_Static_assert(offsetof(struct acpi_fadt, reset_value) == 128, "FADT RESET_VALUE @128");
_Static_assert(offsetof(struct acpi_fadt, minor_version) == 131, "FADT minor @131");
_Static_assert(offsetof(struct acpi_fadt, x_dsdt) == 140, "FADT X_DSDT @140");
_Static_assert(offsetof(struct acpi_fadt, sleep_control_reg) == 244, "FADT SLEEP_CONTROL @244");
_Static_assert(offsetof(struct acpi_fadt, sleep_status_reg) == 256, "FADT SLEEP_STATUS @256");
_Static_assert(sizeof(struct acpi_fadt) == 276, "FADT revision 6 is 276 bytes");
/*
 * Processor Local APIC entries (type 0) hold 8-bit UIDs and APIC ids: enough
 * for every vCPU hvk can have, and ACPI 6.0 5.2.12.12 asks for them, not
 * x2APIC entries (type 9), for processors whose APIC id is below 255.
 */
_Static_assert(HVK_MAX_VCPUS < 255, "vCPU ids fit a Local APIC entry");

static uint64_t align_up(uint64_t x, uint64_t align)
{
	return (x + align - 1) & ~(align - 1);
}

/* The byte that makes len bytes at p sum to 0 mod 256, counting itself as 0. */
static uint8_t acpi_checksum(const void *p, size_t len)
{
	const uint8_t *b = p;
	uint8_t sum = 0;

	while (len--)
		sum += *b++;
	return (uint8_t)-sum;
}

/* Copies a string into a fixed-width, NUL-padded ACPI id field. */
static void acpi_id_copy(char *dst, size_t width, const char *src)
{
	size_t n = strlen(src);

	memset(dst, 0, width);
	memcpy(dst, src, n < width ? n : width);
}

static void acpi_header_init(struct acpi_table_header *h, const char *signature,
			     uint32_t length, uint8_t revision,
			     const char *oem_table_id)
{
	memset(h, 0, sizeof(*h));
	memcpy(h->signature, signature, sizeof(h->signature));
	h->length = length;
	h->revision = revision;
	acpi_id_copy(h->oem_id, sizeof(h->oem_id), ACPI_OEM_ID);
	acpi_id_copy(h->oem_table_id, sizeof(h->oem_table_id), oem_table_id);
	h->oem_revision = ACPI_OEM_REVISION;
	memcpy(h->creator_id, ACPI_CREATOR_ID, sizeof(h->creator_id));
	h->creator_revision = ACPI_CREATOR_REVISION;
}

/* Sets a table's checksum once all its bytes are in place. */
static void acpi_table_seal(uint8_t *table)
{
	struct acpi_table_header *h = (struct acpi_table_header *)table;

	h->checksum = 0;
	h->checksum = acpi_checksum(table, h->length);
}

/* An 8-bit System I/O register, accessed a byte at a time. */
static struct acpi_gas acpi_gas_io_byte(uint16_t port)
{
	return (struct acpi_gas){
		.space_id = ACPI_GAS_SPACE_IO,
		.bit_width = 8,
		.access_size = ACPI_GAS_ACCESS_BYTE,
		.address = port,
	};
}

static void acpi_madt_write(uint8_t *table, unsigned int nr_vcpus)
{
	struct acpi_madt *madt = (struct acpi_madt *)table;
	struct acpi_madt_local_apic *lapic = (void *)(table + sizeof(*madt));

	acpi_header_init(&madt->header, "APIC", ACPI_MADT_SIZE(nr_vcpus),
			 ACPI_MADT_REVISION, "HVKMADT");
	madt->local_apic_address = ACPI_MADT_LOCAL_APIC_ADDRESS;
	madt->flags = 0;        /* no PCAT_COMPAT: hvk has no 8259s */
	/*
	 * UID = APIC id = hvk vCPU id: Linux (as a Xen PVH guest too) takes a
	 * CPU's vCPU id from its MADT processor UID (xen_vcpu_id).
	 */
	for (unsigned int id = 0; id < nr_vcpus; id++)
		lapic[id] = (struct acpi_madt_local_apic){
			.type = ACPI_MADT_TYPE_LOCAL_APIC,
			.length = sizeof(*lapic),
			.processor_uid = id,
			.apic_id = id,
			.flags = ACPI_MADT_ENABLED,
		};
	acpi_table_seal(table);
}

static void acpi_fadt_write(uint8_t *table, uint64_t dsdt)
{
	struct acpi_fadt *fadt = (struct acpi_fadt *)table;

	memset(fadt, 0, sizeof(*fadt));
	acpi_header_init(&fadt->header, "FACP", sizeof(*fadt), ACPI_FADT_REVISION,
			 "HVKFACP");
	/* Both DSDT fields: X_DSDT wins where both are read (ACPI 6.0 5.2.9). */
	fadt->dsdt = (uint32_t)dsdt;
	fadt->x_dsdt = dsdt;
	/*
	 * No 8042 (the flag clear), no VGA, no CMOS RTC: Linux then skips
	 * probing i8042 and the RTC and does not assume VGA (acpi_parse_fadt).
	 */
	fadt->iapc_boot_arch = ACPI_FADT_BOOT_NO_VGA | ACPI_FADT_BOOT_NO_CMOS_RTC;
	/*
	 * Hardware-reduced: no PM1/GPE blocks, SCI or FACS to emulate; Linux
	 * skips PIT/HPET calibration and legacy PIC setup for it.
	 */
	fadt->flags = ACPI_FADT_HW_REDUCED_ACPI | ACPI_FADT_RESET_REG_SUP;
	fadt->reset_reg = acpi_gas_io_byte(HVK_ACPI_RESET_PORT);
	fadt->reset_value = HVK_ACPI_RESET_VALUE;
	fadt->minor_version = ACPI_FADT_MINOR_VERSION;
	fadt->sleep_control_reg = acpi_gas_io_byte(HVK_ACPI_SLEEP_CONTROL_PORT);
	fadt->sleep_status_reg = acpi_gas_io_byte(HVK_ACPI_SLEEP_STATUS_PORT);
	acpi_table_seal(table);
}

static void acpi_xsdt_write(uint8_t *table, uint64_t fadt, uint64_t madt)
{
	const uint64_t entries[ACPI_XSDT_ENTRIES] = { fadt, madt };
	struct acpi_table_header *h = (struct acpi_table_header *)table;

	acpi_header_init(h, "XSDT", ACPI_XSDT_SIZE, ACPI_XSDT_REVISION, "HVKXSDT");
	memcpy(table + sizeof(*h), entries, sizeof(entries));
	acpi_table_seal(table);
}

static void acpi_rsdp_write(uint8_t *p, uint64_t xsdt)
{
	struct acpi_rsdp *rsdp = (struct acpi_rsdp *)p;

	memset(rsdp, 0, sizeof(*rsdp));
	memcpy(rsdp->signature, "RSD PTR ", sizeof(rsdp->signature));
	acpi_id_copy(rsdp->oem_id, sizeof(rsdp->oem_id), ACPI_OEM_ID);
	rsdp->revision = ACPI_RSDP_REVISION;
	/* No RSDT: an OS reads the XSDT when the revision is 2 or more. */
	rsdp->rsdt_address = 0;
	rsdp->length = sizeof(*rsdp);
	rsdp->xsdt_address = xsdt;
	/* The first checksum covers the ACPI 1.0 part (bytes 0..19) only. */
	rsdp->checksum = acpi_checksum(rsdp, offsetof(struct acpi_rsdp, length));
	rsdp->extended_checksum = acpi_checksum(rsdp, sizeof(*rsdp));
}

/* Offsets of each table in the area; end is the space they need. */
static void acpi_plan(struct acpi_layout *l, uint64_t base, unsigned int nr_vcpus,
		      size_t dsdt_size)
{
	l->rsdp = base;
	l->xsdt = align_up(l->rsdp + sizeof(struct acpi_rsdp), ACPI_TABLE_ALIGN);
	l->fadt = align_up(l->xsdt + ACPI_XSDT_SIZE, ACPI_TABLE_ALIGN);
	l->madt = align_up(l->fadt + sizeof(struct acpi_fadt), ACPI_TABLE_ALIGN);
	l->dsdt = align_up(l->madt + ACPI_MADT_SIZE(nr_vcpus), ACPI_TABLE_ALIGN);
	l->end = l->dsdt + dsdt_size;
}

static int acpi_args_check(uint64_t base, unsigned int nr_vcpus, struct hvk_err *err)
{
	if (nr_vcpus == 0 || nr_vcpus > HVK_MAX_VCPUS)
		return hvk_err_set(err, EINVAL, "ACPI tables for %u vCPUs: want 1 to %u",
				   nr_vcpus, HVK_MAX_VCPUS);
	if (base % ACPI_TABLE_ALIGN || base >= (UINT64_C(1) << 32))
		return hvk_err_set(err, EINVAL, "ACPI tables at 0x%" PRIx64 ": want a "
				   "16-byte aligned address below 4 GiB", base);
	return 0;
}

int acpi_tables_write(void *area, uint64_t base, size_t size,
		      unsigned int nr_vcpus, struct acpi_layout *layout,
		      struct hvk_err *err)
{
	size_t dsdt_size = acpi_dsdt_aml_end - acpi_dsdt_aml;
	uint8_t *p = area;
	int rc;

	rc = acpi_args_check(base, nr_vcpus, err);
	if (rc)
		return rc;
	acpi_plan(layout, base, nr_vcpus, dsdt_size);
	if (layout->end - base > size)
		return hvk_err_set(err, E2BIG, "ACPI tables for %u vCPUs need 0x%" PRIx64
				   " bytes at 0x%" PRIx64 ", the area has 0x%zx",
				   nr_vcpus, layout->end - base, base, size);
	memset(area, 0, size);
	memcpy(p + (layout->dsdt - base), acpi_dsdt_aml, dsdt_size);
	acpi_madt_write(p + (layout->madt - base), nr_vcpus);
	acpi_fadt_write(p + (layout->fadt - base), layout->dsdt);
	acpi_xsdt_write(p + (layout->xsdt - base), layout->fadt, layout->madt);
	acpi_rsdp_write(p + (layout->rsdp - base), layout->xsdt);
	return 0;
}
