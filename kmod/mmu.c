// SPDX-License-Identifier: GPL-2.0
/* Guest-physical access faults (see mmu.h). */
#include <linux/io.h>
#include <linux/mm.h>

#include "gpt.h"
#include "insn.h"
#include "io_policy.h"
#include "irq/lapic.h"
#include "memslot.h"
#include "xen/physmap.h"
#include "mmu.h"
#include "trace.h"
#include "vcpu.h"
#include "vendor.h"
#include "vm.h"

static int mmu_exit_mmio(struct hvk_vcpu *vcpu, const struct hvk_gpa_fault *f)
{
	struct hvk_exit_mmio *mmio = &vcpu->run->exit.mmio;
	struct hvk_mmio_insn insn;

	trace_hvk_mmio(vcpu->vm->id, vcpu->id, f->gpa, f->write, vcpu->rip);
	vcpu->run->exit_reason = HVK_EXIT_MMIO;
	memset(mmio, 0, sizeof(*mmio));
	mmio->gpa = f->gpa;
	mmio->is_write = f->write;      /* the fault, not the decoder, decides */
	mmio->rip = vcpu->rip;
	/* Size and data come from decoding the instruction; 0 = unknown. */
	if (!f->fetch && hvk_insn_decode_mmio(vcpu, &insn)) {
		mmio->size = insn.size;
		if (f->write && insn.has_data)
			mmio->data = insn.data;
	}
	return 0;
}

/*
 * An empty bus (HVK_UNCLAIMED_IGNORE): reads all ones, writes dropped,
 * completed here.  An instruction hvk cannot decode still exits.
 */
static int mmu_ignore_mmio(struct hvk_vcpu *vcpu, const struct hvk_gpa_fault *f)
{
	struct hvk_mmio_insn insn;

	if (f->fetch || !hvk_insn_decode_mmio(vcpu, &insn) || insn.is_write != f->write)
		return mmu_exit_mmio(vcpu, f);
	if (!insn.is_write)
		hvk_insn_complete_read(vcpu, &insn, ~0ULL);
	hvk_io_count_unclaimed(vcpu, HVK_IO_SPACE_MMIO, f->gpa, insn.size, insn.is_write);
	hvk_vendor_call(skip_instruction)(vcpu, insn.len);
	return 1;
}

int hvk_mmu_fault(struct hvk_vcpu *vcpu, const struct hvk_gpa_fault *f)
{
	struct hvk_vm *vm = vcpu->vm;
	int mapped;

	/* RAM, or a page Xen's guest mapped (shared_info, grant frames). */
	mapped = hvk_physmap_map_fault(vcpu, f->gpa, f->write);
	if (mapped)
		return mapped > 0 ? 1 :
		       hvk_vcpu_exit_internal(vcpu, mapped == -EFAULT ? HVK_INTERNAL_RAM_FAULT :
							HVK_INTERNAL_NO_MEMORY, f->gpa);
	if (hvk_physmap_ram_slot(vm, f->gpa))
		return mmu_exit_mmio(vcpu, f);          /* a write to a read-only slot */
	/* The APIC page covers nothing but RAM (SDM 11.4.1). */
	if (hvk_lapic_mmio_match(vcpu, f->gpa) && !f->fetch)
		return hvk_lapic_mmio(vcpu, f->gpa, f->write);
	if (hvk_io_unclaimed_ignored(vm, HVK_IO_SPACE_MMIO, f->gpa))
		return mmu_ignore_mmio(vcpu, f);
	return mmu_exit_mmio(vcpu, f);
}
