// SPDX-License-Identifier: GPL-2.0
/* CPUID, MSR and port I/O emulation shared by both backends (see emulate.h). */
#include <linux/bits.h>
#include <asm/msr-index.h>
#include <asm/processor.h>
#include <abi/hvk_guest.h>

#include "console.h"
#include "emulate.h"
#include "gpt.h"
#include "irq/lapic.h"
#include "io_policy.h"
#include "msr.h"
#include "vcpu.h"
#include "trace.h"
#include "vendor.h"
#include "vm.h"
#include "xen/xen_platform.h"

#define VECTOR_GP  13

/*
 * The CPU model guests see: the host's CPUID less what hvk does not
 * virtualise, plus the local APIC hvk emulates (docs/cpu-model.md).
 */
#define CPUID1_ECX_HIDDEN (BIT(2)  /* DTES64: no debug store */ | \
			   BIT(3)  /* MONITOR: MWAIT is intercepted */ | \
			   BIT(4)  /* DS-CPL */ | \
			   BIT(5)  /* VMX: no nested virtualization */ | \
			   BIT(6)  /* SMX */ | \
			   BIT(7)  /* EIST: no PERF_CTL */ | \
			   BIT(8)  /* TM2 */ | \
			   BIT(14) /* xTPR update control */ | \
			   BIT(15) /* PDCM: no PERF_CAPABILITIES */ | \
			   BIT(18) /* DCA */ | \
			   BIT(26) /* XSAVE: XSETBV is intercepted */ | \
			   BIT(27) /* OSXSAVE */ | \
			   BIT(28) /* AVX: needs XSAVE */)
/* Emulated by hvk whatever the host has: the local APIC (irq/). */
#define CPUID1_ECX_FORCED (BIT(21) /* x2APIC */ | BIT(24) /* TSC-deadline */ | \
			   BIT(31) /* hypervisor present */)
#define CPUID1_EDX_HIDDEN (BIT(7)  /* MCE: no machine-check MSRs */ | \
			   BIT(14) /* MCA */ | \
			   BIT(21) /* DS */ | \
			   BIT(22) /* ACPI thermal MSRs */ | \
			   BIT(29) /* TM */ | \
			   BIT(31) /* PBE */)
#define CPUID1_EDX_APIC      BIT(9)
#define CPUID7_EBX_TSC_ADJUST BIT(1)
/* SPEC_CTRL, STIBP, L1D_FLUSH, ARCH_CAPABILITIES, SSBD: not switched. */
#define CPUID7_EDX_HIDDEN   (BIT(26) | BIT(27) | BIT(28) | BIT(29) | BIT(31))
/* RDTSCP (and RDPID, which reads the same TSC_AUX) raise #UD on both
 * backends: TSC_AUX is not virtualised, the host's would leak. */
#define CPUID81_EDX_RDTSCP   BIT(27)
#define CPUID7_ECX_PKU       BIT(3)
#define CPUID7_ECX_RDPID     BIT(22)
/* OSPKE mirrors CR4.PKE: the guest's, not the host's (SDM vol. 2A, CPUID). */
#define CPUID7_ECX_OSPKE     BIT(4)
/* SVM, OSVW, IBS, SKINIT, WDT, LWP and the AMD performance counters. */
#define CPUID81_ECX_HIDDEN  (BIT(2) | BIT(9) | BIT(10) | BIT(12) | BIT(13) | \
			     BIT(15) | BIT(23) | BIT(24) | BIT(28))
/* IBPB, IBRS, STIBP, SSBD, VIRT_SSBD: not switched either. */
#define CPUID88_EBX_HIDDEN  (BIT(12) | BIT(14) | BIT(15) | BIT(24) | BIT(25))

static void cpuid_filter(struct hvk_vcpu *vcpu, u32 leaf, u32 subleaf,
			 u32 *a, u32 *b, u32 *c, u32 *d)
{
	switch (leaf) {
	case 0x1:
		*c = (*c & ~CPUID1_ECX_HIDDEN) | CPUID1_ECX_FORCED;
		*d &= ~(CPUID1_EDX_HIDDEN | CPUID1_EDX_APIC);
		/* The APIC bit reads 0 while IA32_APIC_BASE disables it. */
		if (hvk_lapic_hw_enabled(vcpu))
			*d |= CPUID1_EDX_APIC;
		/* EBX[31:24]: initial APIC ID = the vCPU id. */
		*b = (*b & 0x00ffffff) | (vcpu->id << 24);
		break;
	case 0x6:       /* no thermal or power management */
	case 0xa:       /* no PMU */
	case 0xd:       /* no XSAVE state */
	case 0x8000000a: /* no SVM */
	case 0x8000001f: /* no memory encryption */
		*a = *b = *c = *d = 0;
		break;
	case 0x7:
		if (subleaf == 0) {
			*b &= ~CPUID7_EBX_TSC_ADJUST;
			*c &= ~(CPUID7_ECX_RDPID | CPUID7_ECX_OSPKE);
			if (*c & CPUID7_ECX_PKU) {
				struct hvk_paging_state ps;

				hvk_vendor_call(get_paging)(vcpu, &ps);
				if (ps.cr4 & X86_CR4_PKE)
					*c |= CPUID7_ECX_OSPKE;
			}
			*d &= ~CPUID7_EDX_HIDDEN;
		}
		break;
	case 0xb:       /* x2APIC topology: EDX is this vCPU's x2APIC ID */
	case 0x1f:
		*d = vcpu->id;
		break;
	case 0x80000001:
		*c &= ~CPUID81_ECX_HIDDEN;
		*d &= ~CPUID81_EDX_RDTSCP;
		break;
	case 0x80000008:
		/*
		 * MAXPHYADDR: what the nested tables map (gpt.h); bits 23:16
		 * (AMD's size for a guest of this guest) 0: the same.
		 */
		*a = (*a & ~0xff00ffU) | hvk_guest_phys_bits();
		*b &= ~CPUID88_EBX_HIDDEN;
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
	hvk_vendor_call(skip_instruction)(vcpu, insn_len);
	return 1;
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
		err = hvk_msr_read(vcpu, index, &value);
	if (err == -ENOENT)
		err = hvk_platform_rdmsr(vcpu, index, &value);
	if (err)
		return msr_inject_gp(vcpu);     /* unknown MSR: #GP, as hardware */
	vcpu->gpr[HVK_REG_RAX] = (u32)value;
	vcpu->gpr[HVK_REG_RDX] = value >> 32;
	hvk_vendor_call(skip_instruction)(vcpu, insn_len);
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
		err = hvk_msr_write(vcpu, index, value);
	if (err == -ENOENT)
		err = hvk_platform_wrmsr(vcpu, index, value);
	if (err)
		return msr_inject_gp(vcpu);
	hvk_vendor_call(skip_instruction)(vcpu, insn_len);
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

/* An empty bus: reads all ones, writes go nowhere (HVK_UNCLAIMED_IGNORE). */
static void io_answer_unclaimed(struct hvk_vcpu *vcpu, const struct hvk_io_access *io)
{
	u64 ones = io->size == 4 ? 0xffffffffULL : (1ULL << (io->size * 8)) - 1;

	if (io->in)
		vcpu->gpr[HVK_REG_RAX] = io->size == 4 ? ones :
					 vcpu->gpr[HVK_REG_RAX] | ones;
	hvk_io_count_unclaimed(vcpu, HVK_IO_SPACE_PIO, io->port, io->size, !io->in);
}

int hvk_emulate_io(struct hvk_vcpu *vcpu, const struct hvk_io_access *io,
		   unsigned int insn_len)
{
	struct hvk_exit_io *exit = &vcpu->run->exit.io;
	u32 out = io->in ? 0 : (u32)vcpu->gpr[HVK_REG_RAX];
	bool ignored;

	hvk_vendor_call(skip_instruction)(vcpu, insn_len);
	if (io_in_kernel(vcpu, io)) {
		trace_hvk_pio(vcpu->vm->id, vcpu->id, io->port, io->size, io->in, out, true);
		/* A full console buffer goes to the VMM before more output. */
		return hvk_console_space(vcpu) ? 1 :
		       hvk_vcpu_exit_simple(vcpu, HVK_EXIT_CONSOLE);
	}
	ignored = hvk_io_unclaimed_ignored(vcpu->vm, HVK_IO_SPACE_PIO, io->port);
	trace_hvk_pio(vcpu->vm->id, vcpu->id, io->port, io->size, io->in, out, ignored);
	if (ignored) {
		io_answer_unclaimed(vcpu, io);
		return 1;
	}
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
	hvk_vendor_call(skip_instruction)(vcpu, insn_len);
	return hvk_vcpu_halt(vcpu);
}
