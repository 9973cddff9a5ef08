/* SPDX-License-Identifier: MIT */
/*
 * acpi: hvk's ACPI tables (docs/acpi.md), read as an OS reads them, by the
 * spec's byte offsets (ACPI 6.0 5.2; nothing shared with the VMM's code):
 *   - start_info.rsdp_paddr -> RSDP (signature, both checksums, revision 2,
 *     length 36) -> XSDT -> every table it lists (signature, length,
 *     checksum) -> FADT -> DSDT, and MADT;
 *   - MADT: Processor Local APIC (type 0) or x2APIC (type 9) entries, the
 *     enabled ones exactly `cpus=N` (default 1) with UIDs 0..N-1 once each;
 *   - FADT: revision 6, HW_REDUCED_ACPI and RESET_REG_SUP, the sleep
 *     control/status and reset registers 8-bit System I/O at the
 *     HVK_ACPI_*_PORT ports, reset value HVK_ACPI_RESET_VALUE;
 *   - DSDT: \_S5, whose package's first element is S5's SLP_TYP.
 * Then it powers off as Linux does (acpi_hw_extended_sleep): 0x80 to the
 * sleep status register, ((SLP_TYP << 2) & 0x1c) | SLP_EN to sleep control:
 * hvk exits 0.  With `reset` on the command line it writes the reset value
 * to the reset register instead: hvk exits 11.  If either write returns,
 * the guest fails (exit 10).
 *
 * With `hvk run --no-acpi` rsdp_paddr is 0: the guest prints `acpi: no
 * RSDP` and powers off through SCHEDOP_shutdown (exit 0).
 */
#include <abi/hvk_guest.h>

#include "guest.h"
#include "io.h"

#define NAME "acpi"

#define ACPI_HEADER_SIZE        36
#define RSDP_SIZE               36
#define FADT_MIN_SIZE           268     /* through SLEEP_STATUS_REG */
#define MAX_CPUS                64

#define GAS_SPACE_SYSTEM_IO     1
#define FADT_RESET_REG_SUP      (1u << 10)
#define FADT_HW_REDUCED         (1u << 20)
#define SLP_TYP_SHIFT           2
#define SLP_TYP_MASK            0x1c
#define SLP_EN                  0x20
#define WAK_STS                 0x80

/* AML opcodes (ACPI 6.0 20.2). */
#define AML_ZERO_OP             0x00
#define AML_ONE_OP              0x01
#define AML_NAME_OP             0x08
#define AML_BYTE_PREFIX         0x0a
#define AML_WORD_PREFIX         0x0b
#define AML_DWORD_PREFIX        0x0c
#define AML_PACKAGE_OP          0x12
#define AML_ROOT_CHAR           0x5c

static uint32_t rd16(const uint8_t *p) { return p[0] | p[1] << 8; }
static uint32_t rd32(const uint8_t *p) { return rd16(p) | (uint32_t)rd16(p + 2) << 16; }
static uint64_t rd64(const uint8_t *p) { return rd32(p) | (uint64_t)rd32(p + 4) << 32; }

static const uint8_t *phys(uint64_t paddr)
{
	expect_true(paddr && paddr < (1ull << 32), "a table at 0x%llx (not in the "
		    "identity map below 4 GiB)", (unsigned long long)paddr);
	return (const uint8_t *)(uintptr_t)paddr;
}

static uint8_t sum8(const uint8_t *p, uint32_t len)
{
	uint8_t s = 0;

	while (len--)
		s += *p++;
	return s;
}

/*
 * A table with the standard header: signature (any if want_sig is NULL),
 * length, checksum, and revision (any if 0).
 */
static const uint8_t *table(uint64_t paddr, const char *want_sig, unsigned int revision)
{
	const uint8_t *t = phys(paddr);
	uint32_t len = rd32(t + 4);
	char sig[5] = "", oem_id[7] = "";

	memcpy(sig, t, 4);
	memcpy(oem_id, t + 10, 6);      /* NUL-padded, or not NUL-ended at all */
	if (want_sig)
		expect_true(!memcmp(sig, want_sig, 4), "the table at 0x%llx is '%s', "
			    "expected %s", (unsigned long long)paddr, sig, want_sig);
	expect_ge(len, ACPI_HEADER_SIZE, "%s length", sig);
	expect_eq(sum8(t, len), 0, "%s checksum (sum of its %u bytes)", sig, len);
	if (revision)
		expect_eq(t[8], revision, "%s revision", sig);
	printf(NAME ": %s at 0x%llx, %u bytes, revision %u, OEM '%s'\n", sig,
	       (unsigned long long)paddr, len, t[8], oem_id);
	return t;
}

static uint64_t rsdp_check(uint64_t paddr)
{
	const uint8_t *r = phys(paddr);

	expect_true(!memcmp(r, "RSD PTR ", 8), "RSDP signature at 0x%llx",
		    (unsigned long long)paddr);
	expect_eq(sum8(r, 20), 0, "RSDP checksum (bytes 0..19)");
	expect_eq(r[15], 2, "RSDP revision");
	expect_eq(rd32(r + 20), RSDP_SIZE, "RSDP length");
	expect_eq(sum8(r, RSDP_SIZE), 0, "RSDP extended checksum (36 bytes)");
	printf(NAME ": RSDP at 0x%llx, revision %u, XSDT at 0x%llx\n",
	       (unsigned long long)paddr, r[15], (unsigned long long)rd64(r + 24));
	return rd64(r + 24);
}

/* The XSDT's FADT and MADT; every listed table must be sound. */
static void xsdt_check(uint64_t paddr, uint64_t *fadt, uint64_t *madt)
{
	const uint8_t *x = table(paddr, "XSDT", 1);
	uint32_t n = (rd32(x + 4) - ACPI_HEADER_SIZE) / 8;

	*fadt = *madt = 0;
	for (uint32_t i = 0; i < n; i++) {
		uint64_t p = rd64(x + ACPI_HEADER_SIZE + 8 * i);
		const uint8_t *t = phys(p);

		if (!memcmp(t, "FACP", 4))
			*fadt = p;
		else if (!memcmp(t, "APIC", 4))
			*madt = p;
		else
			table(p, NULL, 0);      /* not hvk's, but it must be sound */
	}
	expect_true(*fadt, "the XSDT's %u entries hold no FADT (FACP)", n);
	expect_true(*madt, "the XSDT's %u entries hold no MADT (APIC)", n);
}

/* One processor entry: UID and enabled flag; false for other entry types. */
static bool madt_processor(const uint8_t *e, uint32_t *uid, bool *enabled)
{
	if (e[0] == 0 && e[1] >= 8) {                   /* Processor Local APIC */
		*uid = e[2];
		*enabled = rd32(e + 4) & 1;
		return true;
	}
	if (e[0] == 9 && e[1] >= 16) {                  /* Processor Local x2APIC */
		*uid = rd32(e + 12);
		*enabled = rd32(e + 8) & 1;
		return true;
	}
	return false;
}

static void madt_check(uint64_t paddr, unsigned int cpus)
{
	const uint8_t *m = table(paddr, "APIC", 0);
	uint32_t len = rd32(m + 4), off, uid;
	uint64_t seen = 0;
	unsigned int enabled_count = 0;
	bool enabled;

	expect_eq(rd32(m + 36), 0xfee00000, "MADT local APIC address");
	for (off = 44; off + 2 <= len; off += m[off + 1]) {
		expect_true(m[off + 1] >= 2 && off + m[off + 1] <= len, "MADT entry at "
			    "offset %u: length %u runs past the table's %u bytes", off,
			    m[off + 1], len);
		if (!madt_processor(m + off, &uid, &enabled) || !enabled)
			continue;
		expect_true(uid < cpus, "MADT: an enabled processor with UID %u "
			    "(expected UIDs 0..%u)", uid, cpus - 1);
		expect_true(!(seen & 1ull << uid), "MADT: UID %u listed twice", uid);
		seen |= 1ull << uid;
		enabled_count++;
	}
	expect_eq(off, len, "the end of the MADT's last entry");
	expect_eq(enabled_count, cpus, "enabled processors in the MADT (cpus=%u)", cpus);
	printf(NAME ": MADT: %u enabled processors, UIDs 0..%u\n", enabled_count, cpus - 1);
}

/* An 8-bit System I/O register; returns its port. */
static uint16_t gas_io_byte(const uint8_t *gas, const char *what, uint16_t want)
{
	expect_eq(gas[0], GAS_SPACE_SYSTEM_IO, "FADT %s address space", what);
	expect_eq(gas[1], 8, "FADT %s bit width", what);
	expect_eq(gas[2], 0, "FADT %s bit offset", what);
	expect_eq(rd64(gas + 4), want, "FADT %s port", what);
	return rd64(gas + 4);
}

struct acpi_regs {
	uint16_t sleep_control, sleep_status, reset;
	uint8_t reset_value;
};

/* The registers, and the DSDT's address (X_DSDT, equal to DSDT if both). */
static uint64_t fadt_check(uint64_t paddr, struct acpi_regs *regs)
{
	const uint8_t *f = table(paddr, "FACP", 6);
	uint32_t flags = rd32(f + 112);

	expect_ge(rd32(f + 4), FADT_MIN_SIZE, "FADT length");
	expect_true(flags & FADT_HW_REDUCED, "FADT flags 0x%x lack HW_REDUCED_ACPI (bit 20)",
		    flags);
	expect_true(flags & FADT_RESET_REG_SUP, "FADT flags 0x%x lack RESET_REG_SUP (bit 10)",
		    flags);
	regs->sleep_control = gas_io_byte(f + 244, "SLEEP_CONTROL_REG",
					  HVK_ACPI_SLEEP_CONTROL_PORT);
	regs->sleep_status = gas_io_byte(f + 256, "SLEEP_STATUS_REG",
					 HVK_ACPI_SLEEP_STATUS_PORT);
	regs->reset = gas_io_byte(f + 116, "RESET_REG", HVK_ACPI_RESET_PORT);
	regs->reset_value = f[128];
	expect_eq(regs->reset_value, HVK_ACPI_RESET_VALUE, "FADT RESET_VALUE");
	if (rd32(f + 40))
		expect_eq(rd32(f + 40), rd64(f + 140), "FADT DSDT vs X_DSDT");
	printf(NAME ": FADT: hardware-reduced, sleep control 0x%x, sleep status 0x%x, "
	       "reset 0x%x (value 0x%x)\n", regs->sleep_control, regs->sleep_status,
	       regs->reset, regs->reset_value);
	return rd64(f + 140) ? rd64(f + 140) : rd32(f + 40);
}

/* An AML integer DataObject (ZeroOp, OneOp, Byte/Word/DWord prefix). */
static long aml_integer(const uint8_t *p)
{
	switch (p[0]) {
	case AML_ZERO_OP:       return 0;
	case AML_ONE_OP:        return 1;
	case AML_BYTE_PREFIX:   return p[1];
	case AML_WORD_PREFIX:   return rd16(p + 1);
	case AML_DWORD_PREFIX:  return rd32(p + 1);
	}
	return -1;
}

/*
 * Name(_S5, Package(){SLP_TYPa, ...}): NameOp, optionally the root prefix,
 * "_S5_", PackageOp, PkgLength (1 + bits 7:6 of its lead byte),
 * NumElements, then the elements.
 */
static unsigned int dsdt_s5_slp_typ(uint64_t paddr)
{
	const uint8_t *d = table(paddr, "DSDT", 0);
	uint32_t len = rd32(d + 4);

	for (uint32_t i = ACPI_HEADER_SIZE; i + 9 < len; i++) {
		const uint8_t *p = d + i + 1;
		long slp_typ;

		if (d[i] != AML_NAME_OP)
			continue;
		if (*p == AML_ROOT_CHAR)
			p++;
		if (memcmp(p, "_S5_", 4) || p[4] != AML_PACKAGE_OP)
			continue;
		p += 5;
		p += 1 + (p[0] >> 6);
		expect_ge(p[0], 1, "the number of elements of \\_S5");
		slp_typ = aml_integer(p + 1);
		expect_true(slp_typ >= 0 && slp_typ <= 7, "\\_S5's first element (AML "
			    "0x%02x 0x%02x) is not a SLP_TYP from 0 to 7", p[1], p[2]);
		printf(NAME ": DSDT: \\_S5 SLP_TYP %ld\n", slp_typ);
		return slp_typ;
	}
	guest_fail(NAME ": no Name(_S5, Package(){...}) in the DSDT's %u bytes", len);
}

int guest_main(void)
{
	const struct xen_hvm_start_info *si = start_info();
	unsigned int cpus = cmdline_number("cpus", 1), slp_typ;
	uint64_t fadt, madt;
	struct acpi_regs regs;

	check_name = NAME;
	expect_true(si, "no start_info at EBX = 0x%x", boot_start_info_paddr);
	if (!si->rsdp_paddr) {
		printf(NAME ": no RSDP (start_info.rsdp_paddr 0)\n");
		return 0;
	}
	expect_true(cpus >= 1 && cpus <= MAX_CPUS, "cpus=%u: want 1 to %u", cpus, MAX_CPUS);
	xsdt_check(rsdp_check(si->rsdp_paddr), &fadt, &madt);
	madt_check(madt, cpus);
	slp_typ = dsdt_s5_slp_typ(fadt_check(fadt, &regs));
	printf(NAME ": all checks passed (%u CPUs)\n", cpus);
	if (cmdline_has_word("reset")) {
		printf(NAME ": resetting: 0x%x to the reset register 0x%x\n", regs.reset_value,
		       regs.reset);
		outb(regs.reset, regs.reset_value);
		guest_fail(NAME ": the write to the reset register 0x%x returned", regs.reset);
	}
	printf(NAME ": powering off: S5 through the sleep control register 0x%x\n",
	       regs.sleep_control);
	outb(regs.sleep_status, WAK_STS);
	outb(regs.sleep_control, ((slp_typ << SLP_TYP_SHIFT) & SLP_TYP_MASK) | SLP_EN);
	guest_fail(NAME ": the S5 write to the sleep control register 0x%x returned",
		   regs.sleep_control);
}
