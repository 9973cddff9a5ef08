/* SPDX-License-Identifier: MIT */
/*
 * hvk's userspace ABI: the ioctls of /dev/hvk, of a VM fd and of a vCPU fd,
 * and the run structure a vCPU fd maps.
 *
 * Rules (see docs/abi.md):
 *  - fixed-width types only; 64-bit fields are hvk_u64 (8-byte aligned on
 *    i386 too); pointers travel as hvk_u64.  The layout is identical for 32-
 *    and 64-bit callers, so the module needs no compat translation
 *    (tests/abi checks it field by field).
 *  - every request carries flags and reserved space; unknown flags and
 *    non-zero reserved fields are refused with -EINVAL, so new fields can
 *    later be given meaning without a new ioctl.
 *  - padding is named; nothing is implicit.
 *
 * fd hierarchy (as KVM): open("/dev/hvk") -> HVK_CREATE_VM -> VM fd
 *   -> HVK_CREATE_VCPU -> vCPU fd -> mmap(0, HVK_RUN_MMAP_SIZE) + HVK_RUN.
 */
#ifndef HVK_ABI_HVK_H
#define HVK_ABI_HVK_H

#include "types.h"
#include "xen/vcpu.h"

#if defined(__KERNEL__)
#include <linux/ioctl.h>
#else
#include <sys/ioctl.h>
#endif

#define HVK_DEVICE_PATH     "/dev/hvk"
#define HVK_API_VERSION     1u
#define HVK_IOCTL_TYPE      0xE7

/* ---- /dev/hvk ------------------------------------------------------- */

/* HVK_GET_VERSION: 32 bytes.  A VMM refuses to run on another api_version. */
struct hvk_version {
	uint32_t api_version;           /* HVK_API_VERSION */
	uint32_t flags;                 /* 0 */
	uint32_t module_major;
	uint32_t module_minor;
	hvk_u64 reserved[2];
};

#define HVK_VENDOR_NONE     0u
#define HVK_VENDOR_SVM      1u      /* AMD-V */
#define HVK_VENDOR_VMX      2u      /* Intel VT-x */

/* Hardware features the backend found and uses (hvk_caps.hw_features). */
#define HVK_HW_NESTED_PAGING    (1u << 0)  /* NPT or EPT */
#define HVK_HW_NRIPS            (1u << 1)  /* SVM next-RIP save */
#define HVK_HW_TAGGED_TLB       (1u << 2)  /* SVM ASIDs / VMX VPID */
#define HVK_HW_UNRESTRICTED     (1u << 3)  /* VMX unrestricted guest */
#define HVK_HW_DECODE_ASSISTS   (1u << 4)  /* SVM decode assists */
#define HVK_HW_VGIF             (1u << 5)  /* SVM virtual GIF */
#define HVK_HW_FLUSH_BY_ASID    (1u << 6)  /* SVM TLB_CONTROL flush-this-ASID */
#define HVK_HW_GPT_2M           (1u << 7)  /* 2 MiB NPT/EPT mappings */

/* ABI features the module implements (hvk_caps.features). */
#define HVK_CAP_VM              (1u << 0)  /* VMs, memory regions, vCPUs, run */
#define HVK_CAP_READONLY_MEM    (1u << 1)  /* HVK_MEM_READONLY */
#define HVK_CAP_XEN_HYPERCALLS  (1u << 2)  /* in-kernel Xen hypercalls */
#define HVK_CAP_SMP             (1u << 3)  /* VCPUOP_* bring-up, in-kernel waits */
#define HVK_CAP_XEN_COMPAT      (1u << 4)  /* HVK_VM_XEN_COMPAT */
#define HVK_CAP_LAPIC           (1u << 5)  /* in-kernel local APIC, timer, IPIs */
#define HVK_CAP_IO_POLICY       (1u << 6)  /* HVK_VM_SET_IO_POLICY, _GET_IO_STATS */
#define HVK_CAP_XEN_EVTCHN      (1u << 7)  /* HVK_VM_XEN_EVTCHN, HVK_VM_XEN_SET_PARAM */
#define HVK_CAP_DEMAND_MEM      (1u << 8)  /* RAM faulted in on demand; HVK_MEM_PINNED */

/* HVK_GET_CAPS: 64 bytes. */
struct hvk_caps {
	uint32_t vendor;                /* HVK_VENDOR_* */
	uint32_t hw_features;           /* HVK_HW_* */
	uint32_t features;              /* HVK_CAP_* */
	uint32_t max_vcpus;             /* per VM */
	uint32_t max_mem_slots;         /* per VM */
	uint32_t nr_vms;                /* VMs that exist now */
	hvk_u64 pages_pinned;           /* guest pages pinned, all VMs (PINNED
					   slots, pages holding Xen areas) */
	hvk_u64 pages_allocated;        /* module-owned pages (tables, VMCBs...) */
	hvk_u64 reserved[3];
};

/*
 * Xen-compatible mode: Xen's CPUID leaves and hypercall-page MSR, for real
 * Xen PVH guests.  Off by default: a Linux kernel that sees the Xen
 * signature takes its Xen path and needs far more.
 */
#define HVK_VM_XEN_COMPAT   (1u << 0)

/* HVK_CREATE_VM: 32 bytes, returns a VM fd. */
struct hvk_vm_create {
	uint32_t flags;                 /* HVK_VM_* */
	uint32_t reserved0;
	hvk_u64 reserved[3];
};

#define HVK_GET_VERSION  _IOR(HVK_IOCTL_TYPE, 0x00, struct hvk_version)
#define HVK_GET_CAPS     _IOR(HVK_IOCTL_TYPE, 0x01, struct hvk_caps)
#define HVK_CREATE_VM    _IOW(HVK_IOCTL_TYPE, 0x02, struct hvk_vm_create)

/* ---- VM fd ------------------------------------------------------------ */

#define HVK_MAX_MEM_SLOTS   32u
#define HVK_MAX_VCPUS       64u

#define HVK_MEM_READONLY    (1u << 0)   /* guest writes exit as MMIO */
#define HVK_MEM_PINNED      (1u << 1)   /* pinned whole, RLIMIT_MEMLOCK */

/*
 * HVK_SET_MEMORY_REGION: 48 bytes.  guest_phys, size and user_addr are 4 KiB
 * aligned; size 0 deletes the slot; regions may not overlap.  user_addr is
 * the VMM's own memory.  Its pages are faulted in on the guest's first
 * access and follow the VMM's mapping from then on (what the VMM maps
 * there later, the guest sees; MADV_DONTNEED reads zeros again); with
 * HVK_MEM_PINNED every page is pinned while the slot exists instead.
 */
struct hvk_memory_region {
	uint32_t slot;                  /* < HVK_MAX_MEM_SLOTS */
	uint32_t flags;                 /* HVK_MEM_* */
	hvk_u64 guest_phys;
	hvk_u64 size;
	hvk_u64 user_addr;
	hvk_u64 reserved[2];
};

/* HVK_CREATE_VCPU: 32 bytes, returns a vCPU fd. */
struct hvk_vcpu_create {
	uint32_t id;                    /* < HVK_MAX_VCPUS, unique in the VM */
	uint32_t flags;                 /* 0 */
	hvk_u64 reserved[3];
};

/*
 * Counters of a vCPU (HVK_VCPU_GET_STATS) or of a whole VM, summed over its
 * vCPUs (HVK_VM_GET_STATS): 1648 bytes.
 *
 * exit_count[] lists the distinct hardware exit codes seen (SVM exit codes
 * or VMX basic exit reasons, per `vendor`), nr_exit_codes of them; codes
 * beyond HVK_STATS_EXIT_CODES are counted in exits_other.  Hypercalls are
 * counted by number (hvk's families at 48..55); multicall entries count as
 * the calls they make, numbers >= 64 in hypercalls_other.
 *
 *    0 flags vendor  8 exits  16 userspace_exits  24 hypercalls
 *   32 exits_other  40 hypercalls_other  48 nr_exit_codes gpt_tables
 *   56 interrupts  64 nmis  72 unclaimed_io  80 hypercall_count[64]
 *  592 exit_count[64] (16 each)  1616 ram_faults  1624 ram_huge
 * 1632 ram_zaps  1640 xen_area_pages
 *
 * interrupts and nmis count events injected into the guest (local APIC
 * vectors, NMIs); unclaimed_io the accesses the kernel answered under
 * HVK_UNCLAIMED_IGNORE.  gpt_tables (VM-wide; 0 in a vCPU's counters):
 * pages of nested page tables the VM holds now, bounded (docs/abi.md).
 * ram_faults, ram_huge and ram_zaps (VM-wide too): faults that mapped
 * guest RAM into the nested tables from the VMM's page tables, those of
 * them that mapped 2 MiB at once, and the 4 KiB pages unmapped again
 * because the host changed its mapping (unmap, reclaim, migration, fork).
 * xen_area_pages (VM-wide): pages of guest RAM pinned now because a Xen
 * area registered by guest-physical address lies in them (vcpu_info, the
 * runstate and time copies), each until its last area there goes.
 */
#define HVK_STATS_HYPERCALLS   64u
#define HVK_STATS_EXIT_CODES   64u

struct hvk_exit_count {
	hvk_u64 code;
	hvk_u64 count;
};

struct hvk_stats {
	uint32_t flags;                 /* 0 */
	uint32_t vendor;                /* HVK_VENDOR_*: how to read the codes */
	hvk_u64 exits;                  /* VM exits */
	hvk_u64 userspace_exits;        /* HVK_RUN returns to the VMM */
	hvk_u64 hypercalls;
	hvk_u64 exits_other;
	hvk_u64 hypercalls_other;
	uint32_t nr_exit_codes;
	uint32_t gpt_tables;            /* the VM's nested page-table pages */
	hvk_u64 interrupts;
	hvk_u64 nmis;
	hvk_u64 unclaimed_io;
	hvk_u64 hypercall_count[HVK_STATS_HYPERCALLS];
	struct hvk_exit_count exit_count[HVK_STATS_EXIT_CODES];
	hvk_u64 ram_faults;
	hvk_u64 ram_huge;
	hvk_u64 ram_zaps;
	hvk_u64 xen_area_pages;
};

/*
 * Port I/O and MMIO the kernel does not serve itself (the local APIC, port
 * 0xe9 and 0x80 are always its own) either go to the VMM or follow the
 * VM's policy for unclaimed accesses:
 *  - claimed (a range in claims[]): HVK_RUN returns HVK_EXIT_IO / _MMIO;
 *  - unclaimed, HVK_UNCLAIMED_EXIT: the same (the VMM decides; hvk run ends
 *    the run naming the access).  This is the default of a new VM;
 *  - unclaimed, HVK_UNCLAIMED_IGNORE: answered in the kernel as a bus with
 *    nothing on it answers (reads all ones, writes dropped), counted per
 *    port / 4 KiB page (HVK_VM_GET_IO_STATS) and traced.
 * HVK_VM_SET_IO_POLICY replaces the whole table at once.
 */
#define HVK_UNCLAIMED_EXIT      0u
#define HVK_UNCLAIMED_IGNORE    1u

#define HVK_IO_SPACE_PIO        0u
#define HVK_IO_SPACE_MMIO       1u

#define HVK_MAX_IO_CLAIMS       32u

struct hvk_io_range {                   /* 16 bytes */
	hvk_u64 base;                   /* port, or guest-physical address */
	uint32_t size;                  /* bytes, >= 1; a port range <= 0x10000 */
	uint16_t space;                 /* HVK_IO_SPACE_* */
	uint16_t flags;                 /* 0 */
};

/* HVK_VM_SET_IO_POLICY: 544 bytes.  Ranges may not overlap. */
struct hvk_io_policy {
	uint32_t flags;                 /* 0 */
	uint32_t unclaimed;             /* HVK_UNCLAIMED_* */
	uint32_t nr_claims;             /* <= HVK_MAX_IO_CLAIMS */
	uint32_t reserved0;
	hvk_u64 reserved[2];
	struct hvk_io_range claims[HVK_MAX_IO_CLAIMS];
};

/*
 * HVK_VM_GET_IO_STATS: 2080 bytes.  Unclaimed accesses answered in the
 * kernel, one entry per port (PIO) or 4 KiB page (MMIO, addr = the page),
 * in the order first seen; accesses past the table's end count in `other`.
 */
#define HVK_IO_STATS_ENTRIES    64u

struct hvk_io_count {                   /* 32 bytes */
	hvk_u64 addr;
	uint32_t space;                 /* HVK_IO_SPACE_* */
	uint32_t reserved;
	hvk_u64 reads;
	hvk_u64 writes;
};

struct hvk_io_stats {
	uint32_t flags;                 /* 0 */
	uint32_t nr;                    /* entries[0..nr) are valid */
	hvk_u64 other;
	hvk_u64 reserved[2];
	struct hvk_io_count entries[HVK_IO_STATS_ENTRIES];
};

/*
 * Xen-compatible VMs (HVK_VM_XEN_COMPAT) only; -EINVAL otherwise.
 *
 * HVK_VM_XEN_EVTCHN, 32 bytes: event channels whose other end is the VMM
 * (the PV console's backend).  HVK_XEN_EVTCHN_BIND_VMM allocates one and
 * returns its port in `port` (the guest sees an interdomain channel to
 * domain 0); a guest EVTCHNOP_send on it returns from HVK_RUN with
 * HVK_EXIT_XEN_EVTCHN.  HVK_XEN_EVTCHN_SEND raises `port` in the guest, as
 * the other end's send would; any thread of the VMM may call it.
 */
#define HVK_XEN_EVTCHN_BIND_VMM 0u
#define HVK_XEN_EVTCHN_SEND     1u

struct hvk_xen_evtchn {
	uint32_t op;                    /* HVK_XEN_EVTCHN_* */
	uint32_t port;                  /* SEND: in; BIND_VMM: out */
	uint32_t flags;                 /* 0 */
	uint32_t reserved0;
	hvk_u64 reserved[2];
};

/*
 * HVK_VM_XEN_SET_PARAM, 24 bytes: an HVM parameter as the toolstack sets
 * it before boot (XEN_HVM_PARAM_CONSOLE_PFN, _CONSOLE_EVTCHN, _STORE_*);
 * the guest reads it with HVMOP_get_param.
 */
struct hvk_xen_param {
	uint32_t index;                 /* XEN_HVM_PARAM_* */
	uint32_t flags;                 /* 0 */
	hvk_u64 value;
	hvk_u64 reserved;
};

#define HVK_SET_MEMORY_REGION _IOW(HVK_IOCTL_TYPE, 0x10, struct hvk_memory_region)
#define HVK_CREATE_VCPU       _IOW(HVK_IOCTL_TYPE, 0x11, struct hvk_vcpu_create)
#define HVK_VM_GET_STATS      _IOR(HVK_IOCTL_TYPE, 0x12, struct hvk_stats)
#define HVK_VM_SET_IO_POLICY  _IOW(HVK_IOCTL_TYPE, 0x13, struct hvk_io_policy)
#define HVK_VM_GET_IO_STATS   _IOR(HVK_IOCTL_TYPE, 0x14, struct hvk_io_stats)
#define HVK_VM_XEN_EVTCHN     _IOWR(HVK_IOCTL_TYPE, 0x15, struct hvk_xen_evtchn)
#define HVK_VM_XEN_SET_PARAM  _IOW(HVK_IOCTL_TYPE, 0x16, struct hvk_xen_param)

/* ---- vCPU fd ------------------------------------------------------------ */

/*
 * HVK_VCPU_SET_HVM_CONTEXT: 160 bytes.  The same vcpu_hvm_context a guest
 * passes to VCPUOP_initialise, checked by the same validator.
 */
struct hvk_vcpu_init {
	uint32_t flags;                 /* 0 */
	uint32_t reserved0;
	hvk_u64 reserved[3];
	struct xen_vcpu_hvm_context ctx;
};

/* A segment register as the CPU caches it: 16 bytes. */
struct hvk_segment {
	hvk_u64 base;
	uint32_t limit;                 /* byte granular (G already applied) */
	uint16_t selector;
	uint16_t ar;                    /* XEN_HVM_AR_* bit layout; 0 = unusable */
};

/* A descriptor-table register: 16 bytes. */
struct hvk_dtable {
	hvk_u64 base;
	uint32_t limit;
	uint32_t reserved;
};

enum {
	HVK_REG_RAX, HVK_REG_RCX, HVK_REG_RDX, HVK_REG_RBX,
	HVK_REG_RSP, HVK_REG_RBP, HVK_REG_RSI, HVK_REG_RDI,
	HVK_REG_R8, HVK_REG_R9, HVK_REG_R10, HVK_REG_R11,
	HVK_REG_R12, HVK_REG_R13, HVK_REG_R14, HVK_REG_R15,
	HVK_NR_GPRS
};

/*
 * HVK_VCPU_GET_REGS / HVK_VCPU_SET_REGS: the full architectural state a
 * debugger or test needs.  gpr[] is indexed by HVK_REG_* (the x86 encoding).
 *
 *   0 gpr[16]   128 rip  136 rflags  144 cr0 cr2 cr3 cr4 efer  184 dr6 dr7
 * 200 cs ds es fs gs ss tr ldtr (16 each)  328 gdt idt  360 flags reserved0
 * 368 reserved[8]  -> 432 bytes
 */
struct hvk_regs {
	hvk_u64 gpr[HVK_NR_GPRS];
	hvk_u64 rip;
	hvk_u64 rflags;
	hvk_u64 cr0, cr2, cr3, cr4, efer;
	hvk_u64 dr6, dr7;
	struct hvk_segment cs, ds, es, fs, gs, ss, tr, ldtr;
	struct hvk_dtable gdt, idt;
	uint32_t flags;                 /* 0 */
	uint32_t reserved0;
	hvk_u64 reserved[8];
};

#define HVK_RUN                  _IO(HVK_IOCTL_TYPE, 0x20)
#define HVK_VCPU_SET_HVM_CONTEXT _IOW(HVK_IOCTL_TYPE, 0x21, struct hvk_vcpu_init)
#define HVK_VCPU_GET_REGS        _IOR(HVK_IOCTL_TYPE, 0x22, struct hvk_regs)
#define HVK_VCPU_SET_REGS        _IOW(HVK_IOCTL_TYPE, 0x23, struct hvk_regs)
#define HVK_VCPU_GET_STATS       _IOR(HVK_IOCTL_TYPE, 0x24, struct hvk_stats)

/* ---- the run structure (mmap of a vCPU fd at offset 0) ------------------- */

#define HVK_RUN_MMAP_SIZE       4096u
#define HVK_CONSOLE_BUF_SIZE    2048u

/* Why HVK_RUN returned (hvk_run.exit_reason). */
#define HVK_EXIT_NONE           0u  /* HVK_RUN returned an error (e.g. -EINTR) */
#define HVK_EXIT_IO             1u  /* port I/O the kernel does not handle */
#define HVK_EXIT_MMIO           2u  /* access outside RAM / write to ROM */
#define HVK_EXIT_CONSOLE        3u  /* console[] to print: full, or held 20 ms */
#define HVK_EXIT_SHUTDOWN       4u  /* SCHEDOP_shutdown: exit.shutdown */
#define HVK_EXIT_TRIPLE_FAULT   5u  /* the guest reset itself */
#define HVK_EXIT_FAIL_ENTRY     6u  /* VMRUN/VMLAUNCH refused the state */
#define HVK_EXIT_INTERNAL_ERROR 7u  /* hvk cannot go on: exit.internal */
#define HVK_EXIT_XEN_EVTCHN     8u  /* the guest sent on a VMM port: exit.xen_evtchn */

#define HVK_IO_IN               0u
#define HVK_IO_OUT              1u

/* exit.internal.suberror */
#define HVK_INTERNAL_UNHANDLED_EXIT  1u  /* data[0] = vendor exit code */
#define HVK_INTERNAL_NO_MEMORY       2u  /* building nested page tables */
#define HVK_INTERNAL_EMULATION       3u  /* data[0] = RIP */
#define HVK_INTERNAL_BAD_STATE       4u  /* vCPU never initialised */
#define HVK_INTERNAL_RAM_FAULT       5u  /* data[0] = guest-physical address
					       whose RAM the VMM's mapping
					       cannot give (unmapped, or
					       read-only for a writable slot) */

struct hvk_exit_io {                    /* 16 bytes */
	uint16_t port;
	uint8_t size;                   /* 1, 2 or 4 */
	uint8_t direction;              /* HVK_IO_IN / HVK_IO_OUT */
	uint32_t data;                  /* OUT: the value; IN: VMM fills it */
	hvk_u64 reserved;
};

struct hvk_exit_mmio {                  /* 32 bytes */
	hvk_u64 gpa;
	uint32_t size;                  /* 1..8, 0 when unknown */
	uint8_t is_write;
	uint8_t pad[3];
	hvk_u64 data;                   /* write: the value when known */
	hvk_u64 rip;
};

struct hvk_exit_shutdown {              /* 8 bytes */
	uint32_t reason;                /* XEN_SHUTDOWN_* */
	uint32_t vcpu_id;               /* the vCPU that asked */
};

struct hvk_exit_fail_entry {            /* 16 bytes */
	hvk_u64 hw_reason;              /* SVM exit code / VMX VM-instruction error */
	hvk_u64 qualification;
};

struct hvk_exit_xen_evtchn {            /* 8 bytes */
	uint32_t port;
	uint32_t reserved;
};

struct hvk_exit_internal {              /* 40 bytes */
	uint32_t suberror;              /* HVK_INTERNAL_* */
	uint32_t ndata;
	hvk_u64 data[4];
};

/*
 * 2560 bytes, identical for 32- and 64-bit VMMs:
 *    0 exit_reason  4 flags  8 console_len  12 immediate_exit  16 reserved[6]
 *   64 exit (448-byte union)  512 console[2048]
 *
 * console[0..console_len) holds guest console output (console_io writes and
 * port 0xe9) and may be non-empty on *any* exit: the VMM prints it first,
 * then handles exit_reason.  The kernel empties it on the next HVK_RUN.
 * Output is not held back: when nothing else returns to the VMM, HVK_RUN
 * returns HVK_EXIT_CONSOLE once console[] is full, once its oldest byte is
 * 20 ms old, and before the vCPU waits (halted, down).
 *
 * immediate_exit (written by the VMM, e.g. from a signal handler): when
 * non-zero, HVK_RUN returns -EINTR at once without entering the guest.  It
 * closes the race of a signal handled after the VMM's last check but before
 * the ioctl (KVM's immediate_exit).
 */
struct hvk_run {
	uint32_t exit_reason;           /* HVK_EXIT_* */
	uint32_t flags;                 /* 0 */
	uint32_t console_len;
	uint32_t immediate_exit;
	hvk_u64 reserved[6];
	union {
		struct hvk_exit_io io;
		struct hvk_exit_mmio mmio;
		struct hvk_exit_shutdown shutdown;
		struct hvk_exit_fail_entry fail_entry;
		struct hvk_exit_internal internal;
		struct hvk_exit_xen_evtchn xen_evtchn;
		uint8_t raw[448];
	} exit;
	uint8_t console[HVK_CONSOLE_BUF_SIZE];
};

#endif /* HVK_ABI_HVK_H */
