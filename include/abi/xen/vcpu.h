/* SPDX-License-Identifier: MIT */
/*
 * vcpu_op (hypercall 24): vcpu_op(op, vcpuid, arg).
 *
 * VCPUOP_initialise takes a struct xen_vcpu_hvm_context (Xen's
 * public/hvm/hvm_vcpu.h).  hvk's own HVK_VCPU_SET_HVM_CONTEXT ioctl takes the
 * same struct, so the boot vCPU and secondary vCPUs share one validator.
 */
#ifndef HVK_ABI_XEN_VCPU_H
#define HVK_ABI_XEN_VCPU_H

#include "../types.h"

#define XEN_VCPUOP_INITIALISE    0
#define XEN_VCPUOP_UP            1
#define XEN_VCPUOP_DOWN          2
#define XEN_VCPUOP_IS_UP         3
#define XEN_VCPUOP_GET_RUNSTATE_INFO               4
#define XEN_VCPUOP_REGISTER_RUNSTATE_MEMORY_AREA   5
#define XEN_VCPUOP_SET_PERIODIC_TIMER              6
#define XEN_VCPUOP_STOP_PERIODIC_TIMER             7
#define XEN_VCPUOP_SET_SINGLESHOT_TIMER            8
#define XEN_VCPUOP_STOP_SINGLESHOT_TIMER           9
#define XEN_VCPUOP_REGISTER_VCPU_INFO             10
#define XEN_VCPUOP_SEND_NMI                       11
#define XEN_VCPUOP_GET_PHYSID   12
#define XEN_VCPUOP_REGISTER_VCPU_TIME_MEMORY_AREA 13
#define XEN_VCPUOP_REGISTER_RUNSTATE_PHYS_AREA    14
#define XEN_VCPUOP_REGISTER_VCPU_TIME_PHYS_AREA   15

#define XEN_VCPU_HVM_MODE_32B    0
#define XEN_VCPU_HVM_MODE_64B    1

/*
 * Segment access rights in the *_ar fields: bits 0-3 type, 4 S, 5-6 DPL,
 * 7 P, 8 AVL, 9 L, 10 D/B, 11 G (the VMX "unusable" bit is never set here).
 */
#define XEN_HVM_AR_CODE32      0xc9bu  /* G D P S, execute/read, accessed */
#define XEN_HVM_AR_DATA32      0xc93u  /* G D/B P S, read/write, accessed */
#define XEN_HVM_AR_TSS32_BUSY  0x08bu  /* P, 32-bit busy TSS */

/*
 * 32-bit start (120 bytes, at offset 8 of the context):
 *   0 eax ecx edx ebx esp ebp esi edi eip eflags (u32 each, 0..39)
 *  40 cr0 cr3 cr4 pad1 (u32 each, 40..55)
 *  56 efer (u64)
 *  64 cs_base ds_base ss_base es_base tr_base (u32, 64..83)
 *  84 cs_limit ds_limit ss_limit es_limit tr_limit (u32, 84..103)
 * 104 cs_ar ds_ar ss_ar es_ar tr_ar (u16, 104..113), pad2[3] (114..119)
 */
struct xen_vcpu_hvm_x86_32 {
	uint32_t eax, ecx, edx, ebx, esp, ebp, esi, edi;
	uint32_t eip, eflags;
	uint32_t cr0, cr3, cr4;
	uint32_t pad1;
	hvk_u64 efer;
	uint32_t cs_base, ds_base, ss_base, es_base, tr_base;
	uint32_t cs_limit, ds_limit, ss_limit, es_limit, tr_limit;
	uint16_t cs_ar, ds_ar, ss_ar, es_ar, tr_ar;
	uint16_t pad2[3];
};

/*
 * 64-bit start (112 bytes): the hypervisor sets flat 64-bit segments itself.
 * Requires paging (CR0.PG, CR4.PAE, EFER.LME/LMA) and a canonical RIP.
 */
struct xen_vcpu_hvm_x86_64 {
	hvk_u64 rax, rcx, rdx, rbx, rsp, rbp, rsi, rdi;
	hvk_u64 rip, rflags;
	hvk_u64 cr0, cr3, cr4;
	hvk_u64 efer;
};

/* 128 bytes: u32 mode, u32 pad, union at offset 8. */
struct xen_vcpu_hvm_context {
	uint32_t mode;          /* XEN_VCPU_HVM_MODE_* */
	uint32_t pad;
	union {
		struct xen_vcpu_hvm_x86_32 x86_32;
		struct xen_vcpu_hvm_x86_64 x86_64;
	} cpu_regs;
};

/*
 * VCPUOP_register_vcpu_info: moves the vCPU's vcpu_info (64 bytes) from its
 * shared_info slot to guest frame `mfn` (a GFN on HVM) at `offset`.  16 bytes
 * on 32- and 64-bit.
 */
struct xen_vcpu_register_vcpu_info {
	hvk_u64 mfn;
	uint32_t offset;
	uint32_t rsvd;
};

/*
 * VCPUOP_register_runstate_memory_area / _vcpu_time_memory_area: a guest
 * *virtual* address (8 bytes: a 64-bit caller's pointer, or a 32-bit
 * caller's in the low half); the _phys_area variants take a guest-physical
 * address in the same 8 bytes.
 */
struct xen_vcpu_register_area {
	hvk_u64 addr;
};

/* VCPUOP_set_periodic_timer: 8 bytes. */
struct xen_vcpu_set_periodic_timer {
	hvk_u64 period_ns;
};

/*
 * VCPUOP_set_singleshot_timer: absolute system time (the pvclock's ns).
 * 16 bytes from a 64-bit caller; 12 from a 32-bit one (the u64 is only
 * 4-byte aligned there), so the 32-bit layout carries it in two halves.
 */
#define XEN_VCPU_SSHOTTMR_FUTURE  (1u << 0)     /* ignored, as Xen >= 4.18 */

struct xen_vcpu_set_singleshot_timer64 {
	hvk_u64 timeout_abs_ns;
	uint32_t flags;
	uint32_t pad;
};

struct xen_vcpu_set_singleshot_timer32 {
	uint32_t timeout_abs_ns[2];     /* low, high */
	uint32_t flags;
};

/* vcpu_runstate_info.state; time[] is indexed by it. */
#define XEN_RUNSTATE_RUNNING   0
#define XEN_RUNSTATE_RUNNABLE  1
#define XEN_RUNSTATE_BLOCKED   2
#define XEN_RUNSTATE_OFFLINE   3
#define XEN_RUNSTATE_NR        4
/* state_entry_time bit 63: an update is in progress (phys areas always). */
#define XEN_RUNSTATE_UPDATE    (1ull << 63)

/*
 * vcpu_runstate_info: 48 bytes for a 64-bit guest (state, pad,
 * state_entry_time @8, time[4] @16), 44 for a 32-bit one, where the u64s
 * are 4-byte aligned (state_entry_time @4, time[4] @12): carried as halves.
 */
struct xen_vcpu_runstate_info64 {
	int32_t state;
	uint32_t pad;
	hvk_u64 state_entry_time;
	hvk_u64 time[XEN_RUNSTATE_NR];
};

struct xen_vcpu_runstate_info32 {
	int32_t state;
	uint32_t state_entry_time[2];           /* low, high */
	uint32_t time[XEN_RUNSTATE_NR][2];      /* low, high */
};

#endif /* HVK_ABI_XEN_VCPU_H */
