// SPDX-License-Identifier: GPL-2.0
/* CPUID, MSR and port I/O emulation shared by both backends (see emulate.h). */
#include <linux/bits.h>
#include <asm/msr-index.h>
#include <asm/mtrr.h>
#include <asm/processor.h>
#include <abi/hvk_guest.h>

#include "console.h"
#include "emulate.h"
#include "vcpu.h"
#include "trace.h"
#include "vendor.h"
#include "vm.h"
#include "xen/xen_platform.h"

#define VECTOR_GP  13

/* CPUID.1:ECX features hidden from guests, and why. */
#define CPUID1_ECX_HIDDEN (BIT(3)  /* MONITOR: MWAIT is intercepted */ | \
			   BIT(5)  /* VMX: no nested virtualization */ | \
			   BIT(6)  /* SMX */ | \
			   BIT(21) /* x2APIC: no local APIC yet */ | \
			   BIT(24) /* TSC-deadline timer: no local APIC yet */ | \
			   BIT(26) /* XSAVE: XSETBV is intercepted */ | \
			   BIT(27) /* OSXSAVE */ | \
			   BIT(28) /* AVX: needs XSAVE */)
#define CPUID1_ECX_HYPERVISOR BIT(31)
#define CPUID81_ECX_SVM      BIT(2)
/* RDTSCP (and RDPID, which reads the same TSC_AUX) raise #UD on both
 * backends: TSC_AUX is not virtualised, the host's would leak. */
#define CPUID81_EDX_RDTSCP   BIT(27)
#define CPUID7_ECX_RDPID     BIT(22)

static void cpuid_filter(struct hvk_vcpu *vcpu, u32 leaf, u32 subleaf,
			 u32 *a, u32 *b, u32 *c, u32 *d)
{
	switch (leaf) {
	case 0x1:
		*c = (*c & ~CPUID1_ECX_HIDDEN) | CPUID1_ECX_HYPERVISOR;
		/* EBX[31:24]: initial APIC ID = the vCPU id. */
		*b = (*b & 0x00ffffff) | (vcpu->id << 24);
		break;
	case 0xa:       /* no PMU */
	case 0xd:       /* no XSAVE state */
	case 0x8000000a: /* no SVM */
		*a = *b = *c = *d = 0;
		break;
	case 0x7:
		if (subleaf == 0)
			*c &= ~CPUID7_ECX_RDPID;
		break;
	case 0x80000001:
		*c &= ~CPUID81_ECX_SVM;
		*d &= ~CPUID81_EDX_RDTSCP;
		break;
	}
}

int hvk_emulate_cpuid(struct hvk_vcpu *vcpu, unsigned int insn_len)
{
	u32 leaf = vcpu->gpr[HVK_REG_RAX], subleaf = vcpu->gpr[HVK_REG_RCX];
	u32 a, b, c, d;

	if ((leaf & 0xffff0000) == HVK_CPUID_BASE) {
		hvk_platform_cpuid(vcpu, leaf, &a, &b, &c, &d);
	} else {
		cpuid_count(leaf, subleaf, &a, &b, &c, &d);
		cpuid_filter(vcpu, leaf, subleaf, &a, &b, &c, &d);
	}
	vcpu->gpr[HVK_REG_RAX] = a;
	vcpu->gpr[HVK_REG_RBX] = b;
	vcpu->gpr[HVK_REG_RCX] = c;
	vcpu->gpr[HVK_REG_RDX] = d;
	hvk_ops->skip_instruction(vcpu, insn_len);
	return 1;
}

/* MSRs every vCPU has, whatever the vendor; -ENOENT = #GP. */
static int msr_read_common(struct hvk_vcpu *vcpu, u32 index, u64 *value)
{
	switch (index) {
	case MSR_IA32_APICBASE:
		*value = APIC_DEFAULT_PHYS_BASE | MSR_IA32_APICBASE_ENABLE |
			 (vcpu->id == 0 ? MSR_IA32_APICBASE_BSP : 0);
		return 0;
	case MSR_IA32_MISC_ENABLE:
		*value = MSR_IA32_MISC_ENABLE_FAST_STRING;
		return 0;
	case MSR_IA32_UCODE_REV:
	case MSR_MTRRcap:
		*value = 0;
		return 0;
	case MSR_MTRRdefType:
		*value = MTRR_TYPE_WRBACK;
		return 0;
	}
	return -ENOENT;
}

static int msr_write_common(struct hvk_vcpu *vcpu, u32 index, u64 value)
{
	switch (index) {
	case MSR_IA32_MISC_ENABLE:
	case MSR_IA32_UCODE_REV:        /* Linux writes 0 before reading it */
	case MSR_MTRRdefType:
		return 0;               /* accepted and ignored */
	}
	return -ENOENT;
}

static int msr_inject_gp(struct hvk_vcpu *vcpu)
{
	hvk_ops->queue_exception(vcpu, VECTOR_GP, true, 0);
	return 1;
}

int hvk_emulate_rdmsr(struct hvk_vcpu *vcpu, unsigned int insn_len)
{
	u32 index = vcpu->gpr[HVK_REG_RCX];
	u64 value;
	int err;

	err = hvk_ops->get_msr(vcpu, index, &value);
	if (err == -ENOENT)
		err = msr_read_common(vcpu, index, &value);
	if (err == -ENOENT)
		err = hvk_platform_rdmsr(vcpu, index, &value);
	if (err)
		return msr_inject_gp(vcpu);     /* unknown MSR: #GP, as hardware */
	vcpu->gpr[HVK_REG_RAX] = (u32)value;
	vcpu->gpr[HVK_REG_RDX] = value >> 32;
	hvk_ops->skip_instruction(vcpu, insn_len);
	return 1;
}

int hvk_emulate_wrmsr(struct hvk_vcpu *vcpu, unsigned int insn_len)
{
	u32 index = vcpu->gpr[HVK_REG_RCX];
	u64 value = (u32)vcpu->gpr[HVK_REG_RAX] |
		    ((u64)(u32)vcpu->gpr[HVK_REG_RDX] << 32);
	int err;

	err = hvk_ops->set_msr(vcpu, index, value);
	if (err == -ENOENT)
		err = msr_write_common(vcpu, index, value);
	if (err == -ENOENT)
		err = hvk_platform_wrmsr(vcpu, index, value);
	if (err)
		return msr_inject_gp(vcpu);
	hvk_ops->skip_instruction(vcpu, insn_len);
	return 1;
}

#define PORT_POST_CODE  0x80    /* Linux's io_delay: nothing to do */

/* Ports the kernel answers itself; the rest go to the VMM. */
static bool io_in_kernel(struct hvk_vcpu *vcpu, const struct hvk_io_access *io)
{
	u8 byte = vcpu->gpr[HVK_REG_RAX];

	switch (io->port) {
	case HVK_DEBUGCON_PORT:
		if (io->in)     /* reads 0xe9, as the Bochs/QEMU debugcon */
			vcpu->gpr[HVK_REG_RAX] = (vcpu->gpr[HVK_REG_RAX] & ~0xffULL) |
						 HVK_DEBUGCON_PORT;
		else
			hvk_console_put(vcpu, &byte, 1);
		return true;
	case PORT_POST_CODE:
		return !io->in;
	}
	return false;
}

int hvk_emulate_io(struct hvk_vcpu *vcpu, const struct hvk_io_access *io,
		   unsigned int insn_len)
{
	struct hvk_exit_io *exit = &vcpu->run->exit.io;

	hvk_ops->skip_instruction(vcpu, insn_len);
	trace_hvk_pio(vcpu->vm->id, vcpu->id, io->port, io->size, io->in,
		      io->in ? 0 : (u32)vcpu->gpr[HVK_REG_RAX],
		      io->port == HVK_DEBUGCON_PORT || io->port == PORT_POST_CODE);
	if (io_in_kernel(vcpu, io))
		/* A full console buffer goes to the VMM before more output. */
		return hvk_console_space(vcpu) ? 1 :
		       hvk_vcpu_exit_simple(vcpu, HVK_EXIT_CONSOLE);
	vcpu->run->exit_reason = HVK_EXIT_IO;
	exit->port = io->port;
	exit->size = io->size;
	exit->direction = io->in ? HVK_IO_IN : HVK_IO_OUT;
	exit->data = io->in ? 0 : (u32)vcpu->gpr[HVK_REG_RAX] &
		     (io->size == 4 ? 0xffffffffu : (1u << (io->size * 8)) - 1);
	exit->reserved = 0;
	vcpu->io_in.pending = io->in;
	vcpu->io_in.size = io->size;
	return 0;
}

int hvk_emulate_halt(struct hvk_vcpu *vcpu, unsigned int insn_len)
{
	hvk_ops->skip_instruction(vcpu, insn_len);
	return hvk_vcpu_halt(vcpu);
}
