/*
 * Symbolic names (see names.h).  The exit-reason tables are the kernel's own
 * (linux-libc-dev's <asm/svm.h> and <asm/vmx.h>), the ones the hvk_vcpu_exit
 * tracepoint prints, so hvk stat and traces use the same words.
 */
#include <stddef.h>
#include <asm/kvm.h>    /* the *_VECTOR names SVM_EXIT_REASONS uses */
#include <asm/svm.h>
#include <asm/vmx.h>

#include <abi/hvk.h>
#include <abi/xen/hypercall.h>

#include "names.h"

struct code_name {
	uint64_t code;
	const char *name;
};

static const struct code_name svm_exits[] = { SVM_EXIT_REASONS };
static const struct code_name vmx_exits[] = { VMX_EXIT_REASONS };

static const struct code_name hypercalls[] = {
	{ XEN_HC_MEMORY_OP, "memory_op" },
	{ XEN_HC_MULTICALL, "multicall" },
	{ XEN_HC_XEN_VERSION, "xen_version" },
	{ XEN_HC_CONSOLE_IO, "console_io" },
	{ XEN_HC_GRANT_TABLE_OP, "grant_table_op" },
	{ XEN_HC_VCPU_OP, "vcpu_op" },
	{ XEN_HC_SCHED_OP, "sched_op" },
	{ XEN_HC_EVENT_CHANNEL_OP, "event_channel_op" },
	{ XEN_HC_HVM_OP, "hvm_op" },
	{ 48, "hvk_base" }, { 49, "hvk_1" }, { 50, "hvk_2" }, { 51, "hvk_3" },
	{ 52, "hvk_4" }, { 53, "hvk_5" }, { 54, "hvk_6" }, { 55, "hvk_7" },
};

static const char *lookup(const struct code_name *t, size_t n, uint64_t code)
{
	for (size_t i = 0; i < n; i++)
		if (t[i].code == code)
			return t[i].name;
	return "unknown";
}

#define LOOKUP(table, code) lookup(table, sizeof(table) / sizeof(table[0]), code)

const char *exit_reason_name(uint32_t vendor, uint64_t code)
{
	if (vendor == HVK_VENDOR_VMX)
		return LOOKUP(vmx_exits, code);
	return LOOKUP(svm_exits, code);
}

const char *hypercall_name(uint64_t nr)
{
	return LOOKUP(hypercalls, nr);
}
