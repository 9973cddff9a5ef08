// SPDX-License-Identifier: GPL-2.0
/* The vendor-neutral MSRs (see msr.h). */
#include <linux/kernel.h>
#include <asm/msr-index.h>
#include <asm/mtrr.h>

#include "irq/lapic.h"
#include "msr.h"
#include "vcpu.h"

enum msr_write {
	MSR_WRITE_GP,           /* read-only: any write is #GP */
	MSR_WRITE_IGNORED,      /* any value accepted, nothing changes */
	MSR_WRITE_READ_VALUE,   /* only the value it reads is accepted */
};

struct msr_row {
	u32 index;
	u64 read;               /* what RDMSR returns */
	enum msr_write write;
};

/*
 * Every MSR not here and not the backend's (EFER, PAT, TSC, SYSCALL and
 * SYSENTER MSRs, FS/GS bases) nor the APIC's is #GP; CPUID hides the
 * features behind those (emulate.c: MCE/MCA, PMU, SPEC_CTRL, TSC_ADJUST,
 * thermal and power management, XSAVE, RDTSCP), so a guest that follows
 * CPUID never touches them.  Each row says why it is here.
 */
static const struct msr_row msr_table[] = {
	/* Linux reads it on Intel to match microcode: no platform bits. */
	{ MSR_IA32_PLATFORM_ID, 0, MSR_WRITE_GP },
	/* Locked with VMX off: the guest sees no nested virtualization. */
	{ MSR_IA32_FEAT_CTL, FEAT_CTL_LOCKED, MSR_WRITE_GP },
	/* Linux writes 0, runs CPUID, then reads the revision (SDM 9.11.7.1). */
	{ MSR_IA32_UCODE_REV, 0, MSR_WRITE_IGNORED },
	/* No variable or fixed MTRRs; the default type is write-back. */
	{ MSR_MTRRcap, 0, MSR_WRITE_GP },
	{ MSR_MTRRdefType, MTRR_TYPE_WRBACK, MSR_WRITE_IGNORED },
	/* Fast strings on, no branch-trace or PEBS store (SDM Table 2-2). */
	{ MSR_IA32_MISC_ENABLE, MSR_IA32_MISC_ENABLE_FAST_STRING |
				MSR_IA32_MISC_ENABLE_BTS_UNAVAIL |
				MSR_IA32_MISC_ENABLE_PEBS_UNAVAIL, MSR_WRITE_IGNORED },
	/* No LBR, BTF or freezing: reads 0 and accepts 0, as KVM. */
	{ MSR_IA32_DEBUGCTLMSR, 0, MSR_WRITE_READ_VALUE },
	/* AMD: Linux reads HWCR in init_amd(); no bits worth emulating. */
	{ MSR_K7_HWCR, 0, MSR_WRITE_IGNORED },
	/* AMD: Linux reads NB_CFG at boot (amd_get_nb_id / early init). */
	{ MSR_AMD64_NB_CFG, 0, MSR_WRITE_IGNORED },
	/* AMD: LFENCE is dispatch-serializing (Linux checks, then sets it). */
	{ MSR_AMD64_DE_CFG, MSR_AMD64_DE_CFG_LFENCE_SERIALIZE, MSR_WRITE_IGNORED },
};

static const struct msr_row *msr_find(u32 index)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(msr_table); i++)
		if (msr_table[i].index == index)
			return &msr_table[i];
	return NULL;
}

int hvk_msr_read(struct hvk_vcpu *vcpu, u32 index, u64 *value)
{
	const struct msr_row *row;
	int err = hvk_lapic_rdmsr(vcpu, index, value);

	if (err != -ENOENT)
		return err;
	row = msr_find(index);
	if (!row)
		return -ENOENT;
	*value = row->read;
	return 0;
}

int hvk_msr_write(struct hvk_vcpu *vcpu, u32 index, u64 value)
{
	const struct msr_row *row;
	int err = hvk_lapic_wrmsr(vcpu, index, value);

	if (err != -ENOENT)
		return err;
	row = msr_find(index);
	if (!row)
		return -ENOENT;
	switch (row->write) {
	case MSR_WRITE_IGNORED:
		return 0;
	case MSR_WRITE_READ_VALUE:
		return value == row->read ? 0 : -EINVAL;
	default:
		return -EINVAL;
	}
}
