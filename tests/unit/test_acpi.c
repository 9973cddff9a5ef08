/*
 * ACPI tables (vmm/acpi.c) and the ACPI registers (vmm/acpi_regs.c,
 * vmm/ports.c).  The tables are read back by the spec's byte offsets
 * (ACPI 6.0 5.2), not through vmm/acpi.h's structs, so a wrong struct
 * cannot agree with itself; the guests/acpi guest reads them the same way.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <abi/hvk_guest.h>

#include "acpi.h"
#include "acpi/dsdt.h"
#include "acpi_regs.h"
#include "ports.h"
#include "tests.h"

#define AREA_BASE 0xe0000u
#define AREA_SIZE 0x20000u

/* The tables of nr_vcpus vCPUs, written into a poisoned area. */
struct tables {
	uint8_t *area;
	struct acpi_layout layout;
	struct hvk_err err;
};

static void tables_write(struct tables *t, unsigned int nr_vcpus)
{
	t->area = malloc(AREA_SIZE);
	ck_assert_ptr_nonnull(t->area);
	memset(t->area, 0xaa, AREA_SIZE);
	ck_assert_msg(acpi_tables_write(t->area, AREA_BASE, AREA_SIZE, nr_vcpus,
					&t->layout, &t->err) == 0, "%s", t->err.msg);
}

static uint32_t rd16(const uint8_t *p) { return p[0] | p[1] << 8; }
static uint32_t rd32(const uint8_t *p) { return rd16(p) | (uint32_t)rd16(p + 2) << 16; }
static uint64_t rd64(const uint8_t *p) { return rd32(p) | (uint64_t)rd32(p + 4) << 32; }

static uint8_t sum8(const uint8_t *p, size_t len)
{
	uint8_t s = 0;

	while (len--)
		s += *p++;
	return s;
}

/* The bytes at guest-physical gpa, which must lie inside the area. */
static const uint8_t *at(const struct tables *t, uint64_t gpa, size_t len)
{
	ck_assert_msg(gpa >= AREA_BASE && gpa + len <= AREA_BASE + AREA_SIZE,
		      "0x%llx + %zu is outside the ACPI area", (unsigned long long)gpa, len);
	return t->area + (gpa - AREA_BASE);
}

/*
 * A table with a 36-byte header: signature, length within the area, the
 * revision, a zero sum and hvk's OEM id.  Returns its bytes.
 */
static const uint8_t *table_check(const struct tables *t, uint64_t gpa,
				  const char *sig, uint8_t revision)
{
	const uint8_t *h = at(t, gpa, 36);
	uint32_t len = rd32(h + 4);

	ck_assert_msg(!memcmp(h, sig, 4), "table at 0x%llx is '%.4s', expected %s",
		      (unsigned long long)gpa, (const char *)h, sig);
	ck_assert_uint_ge(len, 36);
	at(t, gpa, len);
	ck_assert_uint_eq(h[8], revision);
	ck_assert_msg(sum8(h, len) == 0, "%s checksum: bytes sum to 0x%02x", sig, sum8(h, len));
	ck_assert_mem_eq(h + 10, "HVK\0\0\0", 6);
	return h;
}

static const uint8_t *rsdp_check(const struct tables *t)
{
	const uint8_t *r = at(t, t->layout.rsdp, 36);

	ck_assert_uint_eq(t->layout.rsdp, AREA_BASE);
	ck_assert_mem_eq(r, "RSD PTR ", 8);
	ck_assert_uint_eq(sum8(r, 20), 0);              /* ACPI 1.0 checksum */
	ck_assert_uint_eq(r[15], 2);                    /* revision: has the XSDT */
	ck_assert_uint_eq(rd32(r + 16), 0);             /* no RSDT */
	ck_assert_uint_eq(rd32(r + 20), 36);
	ck_assert_uint_eq(sum8(r, 36), 0);              /* extended checksum */
	ck_assert_uint_eq(rd64(r + 24), t->layout.xsdt);
	return r;
}

/* XSDT entries, by signature: FADT and MADT, nothing else. */
static void xsdt_check(const struct tables *t, uint64_t *fadt, uint64_t *madt)
{
	const uint8_t *x = table_check(t, t->layout.xsdt, "XSDT", 1);
	uint32_t n = (rd32(x + 4) - 36) / 8;

	ck_assert_uint_eq(rd32(x + 4), 36 + 2 * 8);
	*fadt = *madt = 0;
	for (uint32_t i = 0; i < n; i++) {
		uint64_t p = rd64(x + 36 + 8 * i);
		const uint8_t *h = at(t, p, 4);

		if (!memcmp(h, "FACP", 4))
			*fadt = p;
		else if (!memcmp(h, "APIC", 4))
			*madt = p;
		else
			ck_abort_msg("XSDT entry %u: unexpected table '%.4s'", i, (const char *)h);
	}
	ck_assert_uint_eq(*fadt, t->layout.fadt);
	ck_assert_uint_eq(*madt, t->layout.madt);
}

static void madt_check(const struct tables *t, uint64_t madt, unsigned int nr_vcpus)
{
	const uint8_t *m = table_check(t, madt, "APIC", 4);
	uint32_t len = rd32(m + 4);
	unsigned int n = 0;

	ck_assert_uint_eq(len, 44 + 8 * nr_vcpus);
	ck_assert_uint_eq(rd32(m + 36), 0xfee00000);    /* local APIC address */
	ck_assert_uint_eq(rd32(m + 40), 0);             /* no 8259 (PCAT_COMPAT) */
	for (uint32_t off = 44; off < len; off += m[off + 1], n++) {
		ck_assert_uint_eq(m[off], 0);           /* Processor Local APIC */
		ck_assert_uint_eq(m[off + 1], 8);
		ck_assert_uint_eq(m[off + 2], n);       /* UID = vCPU id */
		ck_assert_uint_eq(m[off + 3], n);       /* APIC id = vCPU id */
		ck_assert_uint_eq(rd32(m + off + 4), 1); /* enabled */
	}
	ck_assert_uint_eq(n, nr_vcpus);
}

/* An 8-bit System I/O GAS at port. */
static void gas_io_byte_check(const uint8_t *gas, uint16_t port)
{
	ck_assert_uint_eq(gas[0], 1);                   /* System I/O */
	ck_assert_uint_eq(gas[1], 8);                   /* bit width */
	ck_assert_uint_eq(gas[2], 0);                   /* bit offset */
	ck_assert_uint_eq(gas[3], 1);                   /* byte access */
	ck_assert_uint_eq(rd64(gas + 4), port);
}

static uint64_t fadt_check(const struct tables *t, uint64_t fadt)
{
	const uint8_t *f = table_check(t, fadt, "FACP", 6);

	ck_assert_uint_eq(rd32(f + 4), 276);
	ck_assert_uint_eq(rd32(f + 36), 0);             /* no FACS */
	ck_assert_uint_eq(rd32(f + 40), t->layout.dsdt);
	ck_assert_uint_eq(rd64(f + 140), t->layout.dsdt);       /* X_DSDT */
	/* boot flags: no 8042 (bit 1 clear), no VGA (2), no CMOS RTC (5) */
	ck_assert_uint_eq(rd16(f + 109), 1u << 2 | 1u << 5);
	/* flags: RESET_REG_SUP (10), HW_REDUCED_ACPI (20) */
	ck_assert_uint_eq(rd32(f + 112), 1u << 10 | 1u << 20);
	gas_io_byte_check(f + 116, HVK_ACPI_RESET_PORT);
	ck_assert_uint_eq(f[128], HVK_ACPI_RESET_VALUE);
	gas_io_byte_check(f + 244, HVK_ACPI_SLEEP_CONTROL_PORT);
	gas_io_byte_check(f + 256, HVK_ACPI_SLEEP_STATUS_PORT);
	return rd64(f + 140);
}

/* The integer an AML DataObject encodes at *p (ACPI 6.0 20.2.3); -1 if none. */
static long aml_integer(const uint8_t *p)
{
	switch (p[0]) {
	case 0x00: return 0;                            /* ZeroOp */
	case 0x01: return 1;                            /* OneOp */
	case 0x0a: return p[1];                         /* BytePrefix */
	case 0x0b: return rd16(p + 1);                  /* WordPrefix */
	case 0x0c: return rd32(p + 1);                  /* DWordPrefix */
	}
	return -1;
}

/*
 * The first element of Name(_S5, Package(){...}): NameOp 0x08, "_S5_",
 * PackageOp 0x12, PkgLength (1 + bits 7:6 of its lead byte), NumElements.
 */
static long dsdt_s5_slp_typ(const uint8_t *aml, uint32_t len)
{
	for (uint32_t i = 36; i + 8 < len; i++) {
		const uint8_t *p = aml + i;

		if (p[0] == 0x08 && !memcmp(p + 1, "_S5_", 4) && p[5] == 0x12) {
			const uint8_t *pkg = p + 6;
			unsigned int pkglen_bytes = 1 + (pkg[0] >> 6);

			ck_assert_uint_ge(pkg[pkglen_bytes], 1);        /* NumElements */
			return aml_integer(pkg + pkglen_bytes + 1);
		}
	}
	return -1;
}

static void dsdt_check(const struct tables *t, uint64_t dsdt)
{
	const uint8_t *d = table_check(t, dsdt, "DSDT", 2);
	uint32_t len = rd32(d + 4);

	ck_assert_uint_eq(len, (size_t)(acpi_dsdt_aml_end - acpi_dsdt_aml));
	ck_assert_mem_eq(d, acpi_dsdt_aml, len);
	ck_assert_int_eq(dsdt_s5_slp_typ(d, len), HVK_ACPI_S5_SLP_TYP);
	ck_assert_uint_eq(t->layout.end, dsdt + len);
}

/* Follows RSDP -> XSDT -> FADT -> DSDT and XSDT -> MADT, checking all. */
static void tables_check(unsigned int nr_vcpus)
{
	struct tables t;
	uint64_t fadt, madt;

	tables_write(&t, nr_vcpus);
	rsdp_check(&t);
	xsdt_check(&t, &fadt, &madt);
	madt_check(&t, madt, nr_vcpus);
	dsdt_check(&t, fadt_check(&t, fadt));
	/* Every table 16-byte aligned; the rest of the area zeroed. */
	ck_assert_uint_eq((t.layout.xsdt | t.layout.fadt | t.layout.madt | t.layout.dsdt) % 16, 0);
	for (uint64_t gpa = t.layout.end; gpa < AREA_BASE + AREA_SIZE; gpa++)
		ck_assert_uint_eq(t.area[gpa - AREA_BASE], 0);
	free(t.area);
}

START_TEST(test_tables_1_vcpu) { tables_check(1); }
END_TEST

START_TEST(test_tables_4_vcpus) { tables_check(4); }
END_TEST

START_TEST(test_tables_64_vcpus) { tables_check(HVK_MAX_VCPUS); }
END_TEST

START_TEST(test_tables_errors)
{
	uint8_t area[0x300];
	struct acpi_layout layout;
	struct hvk_err err;

	ck_assert_int_eq(acpi_tables_write(area, AREA_BASE, sizeof(area), 0, &layout, &err),
			 -EINVAL);
	ck_assert_str_eq(err.msg, "ACPI tables for 0 vCPUs: want 1 to 64");
	ck_assert_int_eq(acpi_tables_write(area, AREA_BASE, sizeof(area), 65, &layout, &err),
			 -EINVAL);
	ck_assert_str_eq(err.msg, "ACPI tables for 65 vCPUs: want 1 to 64");
	ck_assert_int_eq(acpi_tables_write(area, AREA_BASE + 8, sizeof(area), 1, &layout, &err),
			 -EINVAL);
	ck_assert_str_contains(err.msg, "ACPI tables at 0xe0008: want a 16-byte aligned address");
	ck_assert_int_eq(acpi_tables_write(area, 1ull << 32, sizeof(area), 1, &layout, &err),
			 -EINVAL);
	ck_assert_str_contains(err.msg, "below 4 GiB");
	/* 1 vCPU fits in 0x300 bytes, 64 do not. */
	ck_assert_int_eq(acpi_tables_write(area, AREA_BASE, sizeof(area), 1, &layout, &err), 0);
	ck_assert_int_eq(acpi_tables_write(area, AREA_BASE, sizeof(area), 64, &layout, &err),
			 -E2BIG);
	ck_assert_str_contains(err.msg, "ACPI tables for 64 vCPUs need 0x");
	ck_assert_str_contains(err.msg, "bytes at 0xe0000, the area has 0x300");
}
END_TEST

/* ---- the registers, through the VMM's port table ---- */

static enum port_effect port_out(const struct port_table *t, uint16_t port,
				 uint8_t size, uint32_t value)
{
	struct hvk_exit_io io = { .port = port, .size = size,
				  .direction = HVK_IO_OUT, .data = value };
	enum port_effect effect = -1;

	ck_assert_msg(port_table_access(t, &io, &effect), "port 0x%x not served", port);
	return effect;
}

static uint32_t port_in(const struct port_table *t, uint16_t port, uint8_t size)
{
	struct hvk_exit_io io = { .port = port, .size = size,
				  .direction = HVK_IO_IN, .data = 0xdeadbeef };
	enum port_effect effect = -1;

	ck_assert_msg(port_table_access(t, &io, &effect), "port 0x%x not served", port);
	ck_assert_int_eq(effect, PORT_EFFECT_NONE);
	return io.data;
}

START_TEST(test_sleep_control)
{
	struct port_table t;
	uint8_t s5 = (HVK_ACPI_S5_SLP_TYP << 2) | 0x20;

	port_table_init(&t, true);
	/* As Linux: ((SLP_TYP << 2) & 0x1c) | SLP_EN. */
	ck_assert_int_eq(port_out(&t, HVK_ACPI_SLEEP_CONTROL_PORT, 1, s5), PORT_EFFECT_POWER_OFF);
	ck_assert_int_eq(port_out(&t, HVK_ACPI_SLEEP_CONTROL_PORT, 1, s5 & ~0x20),
			 PORT_EFFECT_NONE);             /* no SLP_EN: nothing yet */
	for (unsigned int typ = 0; typ < 8; typ++)
		if (typ != HVK_ACPI_S5_SLP_TYP)
			ck_assert_int_eq(port_out(&t, HVK_ACPI_SLEEP_CONTROL_PORT, 1,
						  typ << 2 | 0x20), PORT_EFFECT_SLEEP_IGNORED);
	ck_assert_int_eq(port_out(&t, HVK_ACPI_SLEEP_CONTROL_PORT, 2, 0xff00 | s5),
			 PORT_EFFECT_POWER_OFF);        /* an 8-bit register */
	ck_assert_uint_eq(port_in(&t, HVK_ACPI_SLEEP_CONTROL_PORT, 1), 0);
}
END_TEST

START_TEST(test_sleep_status_and_reset)
{
	struct port_table t;

	port_table_init(&t, true);
	/* WAK_STS is write-1-to-clear and never set: writes change nothing. */
	ck_assert_int_eq(port_out(&t, HVK_ACPI_SLEEP_STATUS_PORT, 1, 0x80), PORT_EFFECT_NONE);
	ck_assert_uint_eq(port_in(&t, HVK_ACPI_SLEEP_STATUS_PORT, 1), 0);
	ck_assert_int_eq(port_out(&t, HVK_ACPI_RESET_PORT, 1, HVK_ACPI_RESET_VALUE),
			 PORT_EFFECT_RESET);
	ck_assert_int_eq(port_out(&t, HVK_ACPI_RESET_PORT, 1, HVK_ACPI_RESET_VALUE + 1),
			 PORT_EFFECT_NONE);
	ck_assert_uint_eq(port_in(&t, HVK_ACPI_RESET_PORT, 1), 0);
}
END_TEST

START_TEST(test_port_table)
{
	struct hvk_exit_io io = { .port = 0xcf8, .size = 4, .direction = HVK_IO_IN };
	struct hvk_io_policy policy;
	enum port_effect effect = PORT_EFFECT_RESET;
	struct port_table t;

	port_table_init(&t, true);
	ck_assert_uint_eq(t.nr, 4);
	ck_assert_uint_eq(port_in(&t, HVK_VMM_NULL_PORT, 4), 0);
	ck_assert_int_eq(port_out(&t, HVK_VMM_NULL_PORT, 2, 0x1234), PORT_EFFECT_NONE);
	ck_assert(!port_table_access(&t, &io, &effect));
	ck_assert_int_eq(effect, PORT_EFFECT_RESET);    /* untouched */
	memset(&policy, 0xff, sizeof(policy));
	port_table_claims(&t, &policy);
	ck_assert_uint_eq(policy.nr_claims, 4);
	ck_assert_uint_eq(policy.claims[0].base, HVK_VMM_NULL_PORT);
	ck_assert_uint_eq(policy.claims[1].base, HVK_ACPI_SLEEP_CONTROL_PORT);
	ck_assert_uint_eq(policy.claims[2].base, HVK_ACPI_SLEEP_STATUS_PORT);
	ck_assert_uint_eq(policy.claims[3].base, HVK_ACPI_RESET_PORT);
	for (unsigned int i = 0; i < HVK_MAX_IO_CLAIMS; i++) {
		ck_assert_uint_eq(policy.claims[i].size, i < 4 ? 1 : 0);
		ck_assert_uint_eq(policy.claims[i].space, HVK_IO_SPACE_PIO);
		ck_assert_uint_eq(policy.claims[i].flags, 0);
	}

	/* Without ACPI only the null port: the ACPI ports are unclaimed. */
	port_table_init(&t, false);
	port_table_claims(&t, &policy);
	ck_assert_uint_eq(policy.nr_claims, 1);
	ck_assert_ptr_null(port_table_find(&t, HVK_ACPI_SLEEP_CONTROL_PORT));
	ck_assert_ptr_nonnull(port_table_find(&t, HVK_VMM_NULL_PORT));
}
END_TEST

Suite *acpi_suite(void)
{
	Suite *s = suite_create("acpi");
	TCase *tables = tcase_create("tables"), *regs = tcase_create("registers");

	tcase_add_test(tables, test_tables_1_vcpu);
	tcase_add_test(tables, test_tables_4_vcpus);
	tcase_add_test(tables, test_tables_64_vcpus);
	tcase_add_test(tables, test_tables_errors);
	suite_add_tcase(s, tables);

	tcase_add_test(regs, test_sleep_control);
	tcase_add_test(regs, test_sleep_status_and_reset);
	tcase_add_test(regs, test_port_table);
	suite_add_tcase(s, regs);
	return s;
}
