// SPDX-License-Identifier: GPL-2.0
/*
 * Interprocessor interrupts: an ICR write (SDM 11.6.1), its destination
 * (physical, logical flat/cluster, x2APIC cluster; shorthands) and the
 * delivery to each target vCPU.  Lowest priority is delivered to the first
 * matching vCPU, which the SDM allows ("may be treated as fixed" with one
 * target).  INIT and Start-up go to the vCPU power state (smp.c).
 */
#include "../smp.h"
#include "../trace.h"
#include "../vm.h"
#include "lapic_priv.h"

static bool lapic_match_logical(struct hvk_lapic *t, u32 dest, bool x2)
{
	u32 ldr = lapic_get(t, APIC_LDR);

	if (x2)                 /* cluster 31:16, one bit of 15:0 (SDM 11.12.10.2) */
		return dest == 0xffffffffu ||
		       ((dest >> 16) == (ldr >> 16) && (dest & ldr & 0xffff));
	dest &= 0xff;
	ldr >>= 24;
	if (dest == 0xff)
		return true;
	if ((lapic_get(t, APIC_DFR) >> 28) == 0xf)      /* flat model */
		return dest & ldr;
	return (dest >> 4) == (ldr >> 4) && (dest & ldr & 0xf);
}

/* The sender's mode decides how the destination field reads. */
static bool lapic_match(struct hvk_lapic *src, struct hvk_vcpu *target,
			u32 icr, u32 dest)
{
	struct hvk_lapic *t = vcpu_lapic(target);
	bool x2 = lapic_x2apic_mode(src);

	switch (icr & ICR_SHORTHAND_MASK) {
	case APIC_DEST_SELF:
		return target == src->vcpu;
	case APIC_DEST_ALLINC:
		return true;
	case APIC_DEST_ALLBUT:
		return target != src->vcpu;
	}
	if (icr & APIC_DEST_LOGICAL)
		return lapic_match_logical(t, dest, x2);
	if (x2)
		return dest == 0xffffffffu || dest == lapic_id(t);
	return (dest & 0xff) == 0xff || (dest & 0xff) == (lapic_id(t) & 0xff);
}

static void lapic_deliver(struct hvk_vcpu *target, u32 icr)
{
	u8 vector = icr & APIC_VECTOR_MASK;

	switch (icr & APIC_MODE_MASK) {
	case APIC_DM_FIXED:
	case APIC_DM_LOWEST:
		hvk_lapic_deliver_fixed(target, vector);
		break;
	case APIC_DM_NMI:
		hvk_lapic_deliver_nmi(target);
		break;
	case APIC_DM_INIT:
		hvk_smp_init_signal(target);
		break;
	case APIC_DM_STARTUP:
		hvk_smp_startup_signal(target, vector);
		break;
	}
	/* SMI and ExtINT have no source in hvk: dropped. */
}

void lapic_send_ipi(struct hvk_lapic *a, u32 icr, u32 dest)
{
	struct hvk_vm *vm = a->vcpu->vm;
	u32 mode = icr & APIC_MODE_MASK;
	unsigned int i;

	trace_hvk_ipi(vm->id, a->vcpu->id, icr, dest);
	/* INIT level de-assert does nothing on current CPUs (SDM 11.6.1). */
	if (mode == APIC_DM_INIT && !(icr & APIC_INT_ASSERT) && (icr & APIC_INT_LEVELTRIG))
		return;
	if ((mode == APIC_DM_FIXED || mode == APIC_DM_LOWEST) &&
	    (icr & APIC_VECTOR_MASK) < 16) {
		lapic_set(a, APIC_ESR, lapic_get(a, APIC_ESR) | ESR_SEND_ILLEGAL);
		return;
	}
	for (i = 0; i < HVK_MAX_VCPUS; i++) {
		/* Published after creation; vCPUs live as long as the VM. */
		struct hvk_vcpu *target = READ_ONCE(vm->vcpus[i]);

		if (!target || !lapic_match(a, target, icr, dest))
			continue;
		lapic_deliver(target, icr);
		if (mode == APIC_DM_LOWEST)
			break;
	}
}
