/* SPDX-License-Identifier: GPL-2.0 */
/*
 * hvk's tracepoints: every /dev/hvk ioctl, VM lifetime, guest entries and
 * exits, hypercalls, vCPU operations, port I/O, MMIO, event channel
 * deliveries and returns to the VMM.
 * Usable from tracefs (events/hvk/), trace-cmd and perf; each is a static
 * key, so a disabled event costs a patched-out jump.  Emitted only from
 * generic code: one instrumentation for both vendors.
 */
#undef TRACE_SYSTEM
#define TRACE_SYSTEM hvk

#if !defined(HVK_KMOD_TRACE_H) || defined(TRACE_HEADER_MULTI_READ)
#define HVK_KMOD_TRACE_H

#include <linux/tracepoint.h>
#include <abi/hvk.h>
#include <abi/xen/hypercall.h>
#include <abi/xen/vcpu.h>

#include "xen/evtchn.h"

/*
 * The exit-reason decoder tables: the kernel's own lists of SVM exit codes
 * and VMX basic exit reasons (uapi), the same ones KVM's kvm_exit prints.
 */
#include <uapi/asm/kvm.h>   /* the *_VECTOR names SVM_EXIT_REASONS uses */
#include <uapi/asm/svm.h>
#include <uapi/asm/vmx.h>

#define HVK_FD_KINDS \
	{ 0, "dev" }, { 1, "vm" }, { 2, "vcpu" }

#define HVK_IOCTL_NAMES \
	{ HVK_GET_VERSION, "GET_VERSION" }, \
	{ HVK_GET_CAPS, "GET_CAPS" }, \
	{ HVK_CREATE_VM, "CREATE_VM" }, \
	{ HVK_SET_MEMORY_REGION, "SET_MEMORY_REGION" }, \
	{ HVK_CREATE_VCPU, "CREATE_VCPU" }, \
	{ HVK_VM_GET_STATS, "VM_GET_STATS" }, \
	{ HVK_RUN, "RUN" }, \
	{ HVK_VCPU_SET_HVM_CONTEXT, "VCPU_SET_HVM_CONTEXT" }, \
	{ HVK_VCPU_GET_REGS, "VCPU_GET_REGS" }, \
	{ HVK_VCPU_SET_REGS, "VCPU_SET_REGS" }, \
	{ HVK_VCPU_GET_STATS, "VCPU_GET_STATS" }, \
	{ HVK_VM_XEN_EVTCHN, "VM_XEN_EVTCHN" }

#define HVK_HYPERCALL_NAMES \
	{ XEN_HC_MEMORY_OP, "memory_op" }, \
	{ XEN_HC_MULTICALL, "multicall" }, \
	{ XEN_HC_XEN_VERSION, "xen_version" }, \
	{ XEN_HC_CONSOLE_IO, "console_io" }, \
	{ XEN_HC_GRANT_TABLE_OP, "grant_table_op" }, \
	{ XEN_HC_VCPU_OP, "vcpu_op" }, \
	{ XEN_HC_SCHED_OP, "sched_op" }, \
	{ XEN_HC_EVENT_CHANNEL_OP, "event_channel_op" }, \
	{ XEN_HC_HVM_OP, "hvm_op" }, \
	{ 48, "hvk_base" }, { 49, "hvk_1" }, { 50, "hvk_2" }, { 51, "hvk_3" }, \
	{ 52, "hvk_4" }, { 53, "hvk_5" }, { 54, "hvk_6" }, { 55, "hvk_7" }

#define HVK_VCPUOP_NAMES \
	{ XEN_VCPUOP_INITIALISE, "initialise" }, \
	{ XEN_VCPUOP_UP, "up" }, \
	{ XEN_VCPUOP_DOWN, "down" }, \
	{ XEN_VCPUOP_IS_UP, "is_up" }, \
	{ XEN_VCPUOP_GET_PHYSID, "get_physid" }

#define HVK_EXIT_NAMES \
	{ HVK_EXIT_NONE, "none" }, \
	{ HVK_EXIT_IO, "io" }, \
	{ HVK_EXIT_MMIO, "mmio" }, \
	{ HVK_EXIT_CONSOLE, "console" }, \
	{ HVK_EXIT_SHUTDOWN, "shutdown" }, \
	{ HVK_EXIT_TRIPLE_FAULT, "triple_fault" }, \
	{ HVK_EXIT_FAIL_ENTRY, "fail_entry" }, \
	{ HVK_EXIT_INTERNAL_ERROR, "internal_error" }, \
	{ HVK_EXIT_XEN_EVTCHN, "xen_evtchn" }

#define HVK_EVTCHN_FROM_NAMES \
	{ HVK_EVTCHN_FROM_SEND, "send" }, \
	{ HVK_EVTCHN_FROM_VIRQ, "virq" }, \
	{ HVK_EVTCHN_FROM_VMM, "vmm" }, \
	{ HVK_EVTCHN_FROM_UNMASK, "unmask" }, \
	{ HVK_EVTCHN_FROM_BIND, "bind" }

#define HVK_EVTCHN_OUTCOME_NAMES \
	{ HVK_EVTCHN_RAISED, "raised" }, \
	{ HVK_EVTCHN_QUEUED, "queued" }, \
	{ HVK_EVTCHN_MASKED, "masked" }, \
	{ HVK_EVTCHN_COALESCED, "coalesced" }, \
	{ HVK_EVTCHN_DROPPED, "dropped" }, \
	{ HVK_EVTCHN_UNNOTIFIED, "unnotified" }

TRACE_EVENT(hvk_ioctl,
	TP_PROTO(int fd_kind, unsigned int cmd, u64 a0, u64 a1, u64 a2, long ret),
	TP_ARGS(fd_kind, cmd, a0, a1, a2, ret),
	TP_STRUCT__entry(
		__field(int, fd_kind)
		__field(unsigned int, cmd)
		__field(u64, a0)
		__field(u64, a1)
		__field(u64, a2)
		__field(long, ret)
	),
	TP_fast_assign(
		__entry->fd_kind = fd_kind;
		__entry->cmd = cmd;
		__entry->a0 = a0;
		__entry->a1 = a1;
		__entry->a2 = a2;
		__entry->ret = ret;
	),
	TP_printk("%s %s args 0x%llx 0x%llx 0x%llx ret %ld",
		  __print_symbolic(__entry->fd_kind, HVK_FD_KINDS),
		  __print_symbolic(__entry->cmd, HVK_IOCTL_NAMES),
		  __entry->a0, __entry->a1, __entry->a2, __entry->ret)
);

DECLARE_EVENT_CLASS(hvk_vm_class,
	TP_PROTO(u32 vm_id, u32 flags),
	TP_ARGS(vm_id, flags),
	TP_STRUCT__entry(
		__field(u32, vm_id)
		__field(u32, flags)
	),
	TP_fast_assign(
		__entry->vm_id = vm_id;
		__entry->flags = flags;
	),
	TP_printk("vm %u flags 0x%x", __entry->vm_id, __entry->flags)
);
DEFINE_EVENT(hvk_vm_class, hvk_vm_create,
	TP_PROTO(u32 vm_id, u32 flags), TP_ARGS(vm_id, flags));
DEFINE_EVENT(hvk_vm_class, hvk_vm_destroy,
	TP_PROTO(u32 vm_id, u32 flags), TP_ARGS(vm_id, flags));

TRACE_EVENT(hvk_vcpu_entry,
	TP_PROTO(u32 vm_id, u32 vcpu_id, u64 rip),
	TP_ARGS(vm_id, vcpu_id, rip),
	TP_STRUCT__entry(
		__field(u32, vm_id)
		__field(u32, vcpu_id)
		__field(u64, rip)
	),
	TP_fast_assign(
		__entry->vm_id = vm_id;
		__entry->vcpu_id = vcpu_id;
		__entry->rip = rip;
	),
	TP_printk("vm %u vcpu %u rip 0x%llx", __entry->vm_id, __entry->vcpu_id,
		  __entry->rip)
);

TRACE_EVENT(hvk_vcpu_exit,
	TP_PROTO(u32 vm_id, u32 vcpu_id, u32 isa, u64 code, u64 rip, u64 info1,
		 u64 info2),
	TP_ARGS(vm_id, vcpu_id, isa, code, rip, info1, info2),
	TP_STRUCT__entry(
		__field(u32, vm_id)
		__field(u32, vcpu_id)
		__field(u32, isa)
		__field(u64, code)
		__field(u64, rip)
		__field(u64, info1)
		__field(u64, info2)
	),
	TP_fast_assign(
		__entry->vm_id = vm_id;
		__entry->vcpu_id = vcpu_id;
		__entry->isa = isa;
		__entry->code = code;
		__entry->rip = rip;
		__entry->info1 = info1;
		__entry->info2 = info2;
	),
	TP_printk("vm %u vcpu %u reason %s rip 0x%llx info 0x%llx 0x%llx",
		  __entry->vm_id, __entry->vcpu_id,
		  __entry->isa == HVK_VENDOR_VMX ?
			__print_symbolic(__entry->code, VMX_EXIT_REASONS) :
			__print_symbolic(__entry->code, SVM_EXIT_REASONS),
		  __entry->rip, __entry->info1, __entry->info2)
);

TRACE_EVENT(hvk_hypercall,
	TP_PROTO(u32 vm_id, u32 vcpu_id, u64 nr, const u64 *args, long result,
		 bool long_mode),
	TP_ARGS(vm_id, vcpu_id, nr, args, result, long_mode),
	TP_STRUCT__entry(
		__field(u32, vm_id)
		__field(u32, vcpu_id)
		__field(u64, nr)
		__array(u64, args, XEN_HC_MAX_ARGS)
		__field(long, result)
		__field(bool, long_mode)
	),
	TP_fast_assign(
		__entry->vm_id = vm_id;
		__entry->vcpu_id = vcpu_id;
		__entry->nr = nr;
		memcpy(__entry->args, args, sizeof(__entry->args));
		__entry->result = result;
		__entry->long_mode = long_mode;
	),
	TP_printk("vm %u vcpu %u %s(0x%llx) 0x%llx 0x%llx 0x%llx 0x%llx 0x%llx = %ld %s",
		  __entry->vm_id, __entry->vcpu_id,
		  __print_symbolic(__entry->nr & 0xff, HVK_HYPERCALL_NAMES),
		  __entry->nr, __entry->args[0], __entry->args[1], __entry->args[2],
		  __entry->args[3], __entry->args[4], __entry->result,
		  __entry->long_mode ? "64-bit" : "32-bit")
);

TRACE_EVENT(hvk_vcpuop,
	TP_PROTO(u32 vm_id, u32 vcpu_id, u32 op, u32 target, long result),
	TP_ARGS(vm_id, vcpu_id, op, target, result),
	TP_STRUCT__entry(
		__field(u32, vm_id)
		__field(u32, vcpu_id)
		__field(u32, op)
		__field(u32, target)
		__field(long, result)
	),
	TP_fast_assign(
		__entry->vm_id = vm_id;
		__entry->vcpu_id = vcpu_id;
		__entry->op = op;
		__entry->target = target;
		__entry->result = result;
	),
	TP_printk("vm %u vcpu %u %s vcpu %u = %ld", __entry->vm_id,
		  __entry->vcpu_id, __print_symbolic(__entry->op, HVK_VCPUOP_NAMES),
		  __entry->target, __entry->result)
);

TRACE_EVENT(hvk_pio,
	TP_PROTO(u32 vm_id, u32 vcpu_id, u16 port, u8 size, bool in, u32 value,
		 bool in_kernel),
	TP_ARGS(vm_id, vcpu_id, port, size, in, value, in_kernel),
	TP_STRUCT__entry(
		__field(u32, vm_id)
		__field(u32, vcpu_id)
		__field(u16, port)
		__field(u8, size)
		__field(bool, in)
		__field(u32, value)
		__field(bool, in_kernel)
	),
	TP_fast_assign(
		__entry->vm_id = vm_id;
		__entry->vcpu_id = vcpu_id;
		__entry->port = port;
		__entry->size = size;
		__entry->in = in;
		__entry->value = value;
		__entry->in_kernel = in_kernel;
	),
	TP_printk("vm %u vcpu %u %s port 0x%x size %u value 0x%x (%s)",
		  __entry->vm_id, __entry->vcpu_id, __entry->in ? "in" : "out",
		  __entry->port, __entry->size, __entry->value,
		  __entry->in_kernel ? "kernel" : "vmm")
);

TRACE_EVENT(hvk_mmio,
	TP_PROTO(u32 vm_id, u32 vcpu_id, u64 gpa, bool write, u64 rip),
	TP_ARGS(vm_id, vcpu_id, gpa, write, rip),
	TP_STRUCT__entry(
		__field(u32, vm_id)
		__field(u32, vcpu_id)
		__field(u64, gpa)
		__field(bool, write)
		__field(u64, rip)
	),
	TP_fast_assign(
		__entry->vm_id = vm_id;
		__entry->vcpu_id = vcpu_id;
		__entry->gpa = gpa;
		__entry->write = write;
		__entry->rip = rip;
	),
	TP_printk("vm %u vcpu %u %s gpa 0x%llx rip 0x%llx", __entry->vm_id,
		  __entry->vcpu_id, __entry->write ? "write" : "read", __entry->gpa,
		  __entry->rip)
);

/* Guest RAM mapped into the nested tables from the VMM's page tables. */
TRACE_EVENT(hvk_ram_fault,
	TP_PROTO(u32 vm_id, u32 vcpu_id, u64 gpa, u64 hva, bool writable, bool huge),
	TP_ARGS(vm_id, vcpu_id, gpa, hva, writable, huge),
	TP_STRUCT__entry(
		__field(u32, vm_id)
		__field(u32, vcpu_id)
		__field(u64, gpa)
		__field(u64, hva)
		__field(bool, writable)
		__field(bool, huge)
	),
	TP_fast_assign(
		__entry->vm_id = vm_id;
		__entry->vcpu_id = vcpu_id;
		__entry->gpa = gpa;
		__entry->hva = hva;
		__entry->writable = writable;
		__entry->huge = huge;
	),
	TP_printk("vm %u vcpu %u gpa 0x%llx hva 0x%llx %s %s", __entry->vm_id,
		  __entry->vcpu_id, __entry->gpa, __entry->hva,
		  __entry->writable ? "rw" : "ro", __entry->huge ? "2M" : "4K")
);

/* The host changed the VMM's mapping of [start, end): mappings zapped. */
TRACE_EVENT(hvk_ram_zap,
	TP_PROTO(u32 vm_id, u64 start, u64 end, u64 zapped),
	TP_ARGS(vm_id, start, end, zapped),
	TP_STRUCT__entry(
		__field(u32, vm_id)
		__field(u64, start)
		__field(u64, end)
		__field(u64, zapped)
	),
	TP_fast_assign(
		__entry->vm_id = vm_id;
		__entry->start = start;
		__entry->end = end;
		__entry->zapped = zapped;
	),
	TP_printk("vm %u hva 0x%llx-0x%llx zapped %llu", __entry->vm_id,
		  __entry->start, __entry->end, __entry->zapped)
);

TRACE_EVENT(hvk_inject,
	TP_PROTO(u32 vm_id, u32 vcpu_id, u8 vector, bool nmi),
	TP_ARGS(vm_id, vcpu_id, vector, nmi),
	TP_STRUCT__entry(
		__field(u32, vm_id)
		__field(u32, vcpu_id)
		__field(u8, vector)
		__field(bool, nmi)
	),
	TP_fast_assign(
		__entry->vm_id = vm_id;
		__entry->vcpu_id = vcpu_id;
		__entry->vector = vector;
		__entry->nmi = nmi;
	),
	TP_printk("vm %u vcpu %u %s vector 0x%x", __entry->vm_id, __entry->vcpu_id,
		  __entry->nmi ? "nmi" : "interrupt", __entry->vector)
);

TRACE_EVENT(hvk_ipi,
	TP_PROTO(u32 vm_id, u32 vcpu_id, u32 icr, u32 dest),
	TP_ARGS(vm_id, vcpu_id, icr, dest),
	TP_STRUCT__entry(
		__field(u32, vm_id)
		__field(u32, vcpu_id)
		__field(u32, icr)
		__field(u32, dest)
	),
	TP_fast_assign(
		__entry->vm_id = vm_id;
		__entry->vcpu_id = vcpu_id;
		__entry->icr = icr;
		__entry->dest = dest;
	),
	TP_printk("vm %u vcpu %u icr 0x%x dest 0x%x", __entry->vm_id, __entry->vcpu_id,
		  __entry->icr, __entry->dest)
);

TRACE_EVENT(hvk_unclaimed_io,
	TP_PROTO(u32 vm_id, u32 vcpu_id, u32 space, u64 addr, u8 size, bool write),
	TP_ARGS(vm_id, vcpu_id, space, addr, size, write),
	TP_STRUCT__entry(
		__field(u32, vm_id)
		__field(u32, vcpu_id)
		__field(u32, space)
		__field(u64, addr)
		__field(u8, size)
		__field(bool, write)
	),
	TP_fast_assign(
		__entry->vm_id = vm_id;
		__entry->vcpu_id = vcpu_id;
		__entry->space = space;
		__entry->addr = addr;
		__entry->size = size;
		__entry->write = write;
	),
	TP_printk("vm %u vcpu %u ignored %s %s 0x%llx size %u", __entry->vm_id,
		  __entry->vcpu_id, __entry->space ? "mmio" : "pio",
		  __entry->write ? "write" : "read", __entry->addr, __entry->size)
);

/* An event channel port raised (xen/evtchn.h: where from, what it did). */
TRACE_EVENT(hvk_evtchn,
	TP_PROTO(u32 vm_id, u32 vcpu_id, u32 port, u8 from, u8 outcome),
	TP_ARGS(vm_id, vcpu_id, port, from, outcome),
	TP_STRUCT__entry(
		__field(u32, vm_id)
		__field(u32, vcpu_id)
		__field(u32, port)
		__field(u8, from)
		__field(u8, outcome)
	),
	TP_fast_assign(
		__entry->vm_id = vm_id;
		__entry->vcpu_id = vcpu_id;
		__entry->port = port;
		__entry->from = from;
		__entry->outcome = outcome;
	),
	TP_printk("vm %u vcpu %u port %u from %s: %s", __entry->vm_id, __entry->vcpu_id,
		  __entry->port, __print_symbolic(__entry->from, HVK_EVTCHN_FROM_NAMES),
		  __print_symbolic(__entry->outcome, HVK_EVTCHN_OUTCOME_NAMES))
);

TRACE_EVENT(hvk_userspace_exit,
	TP_PROTO(u32 vm_id, u32 vcpu_id, u32 reason, int ret),
	TP_ARGS(vm_id, vcpu_id, reason, ret),
	TP_STRUCT__entry(
		__field(u32, vm_id)
		__field(u32, vcpu_id)
		__field(u32, reason)
		__field(int, ret)
	),
	TP_fast_assign(
		__entry->vm_id = vm_id;
		__entry->vcpu_id = vcpu_id;
		__entry->reason = reason;
		__entry->ret = ret;
	),
	TP_printk("vm %u vcpu %u reason %s ret %d", __entry->vm_id, __entry->vcpu_id,
		  __print_symbolic(__entry->reason, HVK_EXIT_NAMES), __entry->ret)
);

#endif /* HVK_KMOD_TRACE_H */

#undef TRACE_INCLUDE_PATH
#define TRACE_INCLUDE_PATH .
#undef TRACE_INCLUDE_FILE
#define TRACE_INCLUDE_FILE trace
#include <trace/define_trace.h>
