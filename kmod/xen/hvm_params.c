// SPDX-License-Identifier: GPL-2.0
/* The HVM parameters (see hvm_params.h). */
#include <linux/errno.h>
#include <abi/hvk.h>
#include <abi/xen/errno.h>
#include <abi/xen/sched.h>

#include "evtchn.h"
#include "gpt.h"
#include "hvm_params.h"
#include "physmap.h"
#include "vcpu.h"
#include "vm.h"

/* VM86_TSS_SIZED bit 63: Xen's mark that the TSS must be (re)loaded. */
#define VM86_TSS_UPDATED        (1ULL << 63)
/* sizeof(struct tss32), and the largest useful TSS: + interrupt and I/O maps. */
#define TSS32_SIZE              104u
#define TSS32_MAX_SIZE          (TSS32_SIZE + 0x100 / 8 + 0x10000 / 8 + 1)

static bool param_deprecated(u32 index)
{
	switch (index) {
	case XEN_HVM_PARAM_PAE_ENABLED:
	case XEN_HVM_PARAM_DM_DOMAIN:
	case XEN_HVM_PARAM_MEMORY_EVENT_CR0 ... XEN_HVM_PARAM_BUFIOREQ_EVTCHN:
	case XEN_HVM_PARAM_MEMORY_EVENT_MSR:
		return true;
	}
	return false;
}

/* hvm_allow_get_param(): what a guest may read of its own. */
static int param_may_get(u32 index)
{
	switch (index) {
	case XEN_HVM_PARAM_CALLBACK_IRQ:
	case XEN_HVM_PARAM_VM86_TSS:
	case XEN_HVM_PARAM_VM86_TSS_SIZED:
	case XEN_HVM_PARAM_ACPI_IOPORTS_LOCATION:
	case XEN_HVM_PARAM_VM_GENERATION_ID_ADDR:
	case XEN_HVM_PARAM_STORE_PFN:
	case XEN_HVM_PARAM_STORE_EVTCHN:
	case XEN_HVM_PARAM_CONSOLE_PFN:
	case XEN_HVM_PARAM_CONSOLE_EVTCHN:
	case XEN_HVM_PARAM_ALTP2M:
	case XEN_HVM_PARAM_X87_FIP_WIDTH:
		return 0;
	}
	return param_deprecated(index) ? -XEN_EINVAL : -XEN_EPERM;
}

/* hvm_allow_set_param(): what a guest may write of its own. */
static int param_may_set(u32 index)
{
	switch (index) {
	case XEN_HVM_PARAM_CALLBACK_IRQ:
	case XEN_HVM_PARAM_VM86_TSS:
	case XEN_HVM_PARAM_VM86_TSS_SIZED:
	case XEN_HVM_PARAM_ACPI_IOPORTS_LOCATION:
	case XEN_HVM_PARAM_VM_GENERATION_ID_ADDR:
	case XEN_HVM_PARAM_STORE_EVTCHN:
	case XEN_HVM_PARAM_CONSOLE_EVTCHN:
	case XEN_HVM_PARAM_X87_FIP_WIDTH:
		return 0;
	case XEN_HVM_PARAM_ALTP2M:
		return -XEN_EEXIST;     /* read-only */
	}
	return param_deprecated(index) ? -XEN_EINVAL : -XEN_EPERM;
}

int hvk_hvm_param_get(struct hvk_vcpu *caller, u32 index, u64 *value)
{
	const u64 *params = caller->vm->hvm_params.value;
	int err = param_may_get(index);

	if (err)
		return err;
	switch (index) {
	case XEN_HVM_PARAM_CALLBACK_IRQ:
		*value = hvk_evtchn_callback_irq(caller->vm);
		break;
	case XEN_HVM_PARAM_VM86_TSS:    /* the address half of VM86_TSS_SIZED */
		*value = (u32)READ_ONCE(params[XEN_HVM_PARAM_VM86_TSS_SIZED]);
		break;
	case XEN_HVM_PARAM_VM86_TSS_SIZED:
		*value = READ_ONCE(params[index]) & ~VM86_TSS_UPDATED;
		break;
	default:
		*value = READ_ONCE(params[index]);
		break;
	}
	return 0;
}

/* Xen's domain_crash() of the caller's own domain, as for a bad VM86 TSS. */
static int param_crash(struct hvk_vcpu *caller)
{
	hvk_vm_shutdown(caller->vm, XEN_SHUTDOWN_CRASH, caller->id);
	return -XEN_EINVAL;
}

int hvk_hvm_param_set(struct hvk_vcpu *caller, u32 index, u64 value)
{
	u64 *params = caller->vm->hvm_params.value;
	int err = param_may_set(index);

	if (err)
		return err;
	switch (index) {
	case XEN_HVM_PARAM_CALLBACK_IRQ:
		/* The event channels keep it and latch shared_info's layout. */
		return hvk_evtchn_set_callback_irq(caller, value);
	case XEN_HVM_PARAM_VM86_TSS:
		/* Hardware would drop the high bits: Xen crashes the guest. */
		if (value != (u32)value)
			return param_crash(caller);
		/* Old hvmloaders give no size: 128 bytes. */
		if (value)
			value |= (128ULL << 32) | VM86_TSS_UPDATED;
		index = XEN_HVM_PARAM_VM86_TSS_SIZED;
		break;
	case XEN_HVM_PARAM_VM86_TSS_SIZED:
		if ((value >> 32) < TSS32_SIZE)
			return param_crash(caller);
		if ((value >> 32) > TSS32_MAX_SIZE)
			value = (u32)value | ((u64)TSS32_MAX_SIZE << 32);
		value |= VM86_TSS_UPDATED;
		break;
	case XEN_HVM_PARAM_ACPI_IOPORTS_LOCATION:
		return -XEN_ENODEV;     /* no ACPI PM timer in a PVH domain */
	case XEN_HVM_PARAM_X87_FIP_WIDTH:
		if (value != 0 && value != 4 && value != 8)
			return -XEN_EINVAL;
		break;
	}
	WRITE_ONCE(params[index], value);
	return 0;
}

/* The toolstack's parameters: the console's and xenstore's page and port. */
int hvk_hvm_param_vmm_set(struct hvk_vm *vm, const struct hvk_xen_param *req)
{
	if (!vm->xen_compat || req->flags || req->reserved)
		return -EINVAL;
	switch (req->index) {
	case XEN_HVM_PARAM_CONSOLE_PFN:
	case XEN_HVM_PARAM_STORE_PFN:
		if (!hvk_gfn_valid(req->value))
			return -EINVAL;
		break;
	case XEN_HVM_PARAM_CONSOLE_EVTCHN:
	case XEN_HVM_PARAM_STORE_EVTCHN:
		if (req->value > U32_MAX)
			return -EINVAL;         /* ports are 32-bit */
		break;
	default:
		return -EINVAL;
	}
	WRITE_ONCE(vm->hvm_params.value[req->index], req->value);
	return 0;
}
