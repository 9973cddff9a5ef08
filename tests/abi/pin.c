/*
 * pin.c: the layouts and numbers of include/abi/ pinned to their sources:
 * the Xen guest ABI reference (shared REFERENCE.md: shipped Xen public
 * headers and the PVH boot protocol) and the layout comments in hvk.h.
 *
 * layout.sh proves -m32 and -m64 agree with each other; this proves they
 * agree with the specification.  Compiled by pins.sh with -std=c11 (for
 * _Static_assert) for -m32 and -m64; the -m64 build is also run for the
 * checks that need a string: the CPUID signature words are computed from the
 * strings here rather than restated in hex.  Those read macros only, which
 * constants.sh proves the same for -m32, so no -m32 program has to run.
 *
 * A wrong offset fails the build with e.g.
 *   static assertion failed: "xen_hvm_start_info.rsdp_paddr: expected offset 32"
 * and pins.sh then compiles this file with -DPIN_REPORT to print the actual
 * value of every failing pin as well.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <abi/hvk.h>
#include <abi/hvk_guest.h>
#include <abi/xen/console.h>
#include <abi/xen/cpuid.h>
#include <abi/xen/elfnote.h>
#include <abi/xen/errno.h>
#include <abi/xen/event_channel.h>
#include <abi/xen/grant_table.h>
#include <abi/xen/hvm_op.h>
#include <abi/xen/hvm_start_info.h>
#include <abi/xen/hypercall.h>
#include <abi/xen/memory.h>
#include <abi/xen/multicall.h>
#include <abi/xen/sched.h>
#include <abi/xen/shared_info.h>
#include <abi/xen/vcpu.h>
#include <abi/xen/version.h>

#define MSIZE(type, field) sizeof(((type *)0)->field)

static int failures;
static int checks;

static void expect(const char *what, unsigned long long got,
		   unsigned long long want)
{
	checks++;
	if (got != want) {
		printf("  pins: %s is %llu (%#llx), expected %llu (%#llx)\n",
		       what, got, got, want, want);
		failures++;
	}
}

#ifndef PIN_REPORT
/*
 * PIN(struct, field, offset, size): field is at offset and that big.
 * PIN_SIZE(struct, size), PIN_VAL(expression, value): as they say.
 */
#define PIN(s, f, off, sz) \
	_Static_assert(offsetof(struct s, f) == (off), #s "." #f ": expected offset " #off); \
	_Static_assert(MSIZE(struct s, f) == (sz), #s "." #f ": expected size " #sz)
#define PIN_SIZE(s, sz) \
	_Static_assert(sizeof(struct s) == (sz), "sizeof(struct " #s ") expected " #sz)
#define PIN_VAL(e, v) _Static_assert((e) == (v), #e ": expected " #v)
#else
/*
 * Report mode (-DPIN_REPORT, compiled to assembly by pins.sh only after a
 * static assertion failed): each pin becomes a "got" and a "want" value
 * (abi_value.h) keyed by its line, which pins.sh prints side by side for
 * every pin that does not hold.  Nothing is run, so -m32 reports too.
 */
#include "abi_value.h"
#define PIN_STR2(x) #x
#define PIN_STR(x) PIN_STR2(x)
#define PIN_CAT(a, b) a##b
#define PIN_FN(line) PIN_CAT(pin_line_, line)
#define PIN_RUN(body) \
	static void __attribute__((used)) PIN_FN(__LINE__)(void) { body; }
#define PIN_PAIR(what, got, want) \
	ABI_VALUE("got:" PIN_STR(__LINE__) ":" what, got); \
	ABI_VALUE("want:" PIN_STR(__LINE__) ":" what, want)
#define PIN(s, f, off, sz) PIN_RUN( \
	PIN_PAIR("offset", offsetof(struct s, f), (off)); \
	PIN_PAIR("size", MSIZE(struct s, f), (sz)))
#define PIN_SIZE(s, sz) PIN_RUN(PIN_PAIR("sizeof", sizeof(struct s), (sz)))
#define PIN_VAL(e, v) PIN_RUN(PIN_PAIR("value", (e), (v)))
#endif

/* ---- the types everything rests on -------------------------------------- */
PIN_VAL(sizeof(hvk_u64), 8);
PIN_VAL(_Alignof(hvk_u64), 8);          /* 4 for a plain uint64_t on i386 */
PIN_VAL(sizeof(hvk_s64), 8);
PIN_VAL(_Alignof(hvk_s64), 8);

/* ---- PVH boot: hvm_start_info (v1: 56 bytes, v0: first 40) ------------- */
PIN_SIZE(xen_hvm_start_info, 56);
PIN(xen_hvm_start_info, magic, 0, 4);
PIN(xen_hvm_start_info, version, 4, 4);
PIN(xen_hvm_start_info, flags, 8, 4);
PIN(xen_hvm_start_info, nr_modules, 12, 4);
PIN(xen_hvm_start_info, modlist_paddr, 16, 8);
PIN(xen_hvm_start_info, cmdline_paddr, 24, 8);
PIN(xen_hvm_start_info, rsdp_paddr, 32, 8);
PIN(xen_hvm_start_info, memmap_paddr, 40, 8);
PIN(xen_hvm_start_info, memmap_entries, 48, 4);
PIN(xen_hvm_start_info, reserved, 52, 4);
PIN_VAL(XEN_HVM_START_V0_SIZE, 40);
PIN_VAL(XEN_HVM_START_V0_SIZE, offsetof(struct xen_hvm_start_info, memmap_paddr));
PIN_VAL(XEN_HVM_START_VERSION, 1);
/* "xEn3" with the 0x80 bit of the E set, little-endian. */
PIN_VAL(XEN_HVM_START_MAGIC, (uint32_t)'x' | (uint32_t)('E' | 0x80) << 8 |
	(uint32_t)'n' << 16 | (uint32_t)'3' << 24);
PIN_VAL(XEN_HVM_START_MAGIC, 0x336ec578);
PIN_VAL(XEN_SIF_PRIVILEGED, 1u << 0);
PIN_VAL(XEN_SIF_INITDOMAIN, 1u << 1);
PIN_VAL(XEN_HVM_START_INFO_PADDR, 0x6000);
PIN_VAL(XEN_HVM_MEMMAP_PADDR, 0x7000);

PIN_SIZE(xen_hvm_modlist_entry, 32);
PIN(xen_hvm_modlist_entry, paddr, 0, 8);
PIN(xen_hvm_modlist_entry, size, 8, 8);
PIN(xen_hvm_modlist_entry, cmdline_paddr, 16, 8);
PIN(xen_hvm_modlist_entry, reserved, 24, 8);

PIN_SIZE(xen_hvm_memmap_entry, 24);
PIN(xen_hvm_memmap_entry, addr, 0, 8);
PIN(xen_hvm_memmap_entry, size, 8, 8);
PIN(xen_hvm_memmap_entry, type, 16, 4);
PIN(xen_hvm_memmap_entry, reserved, 20, 4);
PIN_VAL(XEN_HVM_MEMMAP_TYPE_RAM, 1);
PIN_VAL(XEN_HVM_MEMMAP_TYPE_RESERVED, 2);
PIN_VAL(XEN_HVM_MEMMAP_TYPE_ACPI, 3);
PIN_VAL(XEN_HVM_MEMMAP_TYPE_NVS, 4);
PIN_VAL(XEN_HVM_MEMMAP_TYPE_UNUSABLE, 5);
PIN_VAL(XEN_HVM_MEMMAP_TYPE_DISABLED, 6);
PIN_VAL(XEN_HVM_MEMMAP_TYPE_PMEM, 7);

/* ---- ELF notes ------------------------------------------------------------ */
PIN_VAL(XEN_ELFNOTE_INFO, 0);
PIN_VAL(XEN_ELFNOTE_ENTRY, 1);
PIN_VAL(XEN_ELFNOTE_HYPERCALL_PAGE, 2);
PIN_VAL(XEN_ELFNOTE_VIRT_BASE, 3);
PIN_VAL(XEN_ELFNOTE_PADDR_OFFSET, 4);
PIN_VAL(XEN_ELFNOTE_XEN_VERSION, 5);
PIN_VAL(XEN_ELFNOTE_GUEST_OS, 6);
PIN_VAL(XEN_ELFNOTE_GUEST_VERSION, 7);
PIN_VAL(XEN_ELFNOTE_LOADER, 8);
PIN_VAL(XEN_ELFNOTE_PAE_MODE, 9);
PIN_VAL(XEN_ELFNOTE_FEATURES, 10);
PIN_VAL(XEN_ELFNOTE_BSD_SYMTAB, 11);
PIN_VAL(XEN_ELFNOTE_HV_START_LOW, 12);
PIN_VAL(XEN_ELFNOTE_L1_MFN_VALID, 13);
PIN_VAL(XEN_ELFNOTE_SUSPEND_CANCEL, 14);
PIN_VAL(XEN_ELFNOTE_INIT_P2M, 15);
PIN_VAL(XEN_ELFNOTE_MOD_START_PFN, 16);
PIN_VAL(XEN_ELFNOTE_SUPPORTED_FEATURES, 17);
PIN_VAL(XEN_ELFNOTE_PHYS32_ENTRY, 18);
PIN_VAL(XEN_ELFNOTE_PHYS32_RELOC, 19);
PIN_VAL(XEN_ELFNOTE_PHYS32_RELOC_ALIGN_DEFAULT, 0x200000);

/* ---- vcpu_hvm_context (128 bytes): VCPUOP_initialise's argument ---------- */
PIN_SIZE(xen_vcpu_hvm_context, 128);
PIN(xen_vcpu_hvm_context, mode, 0, 4);
PIN(xen_vcpu_hvm_context, pad, 4, 4);
PIN(xen_vcpu_hvm_context, cpu_regs, 8, 120);
PIN(xen_vcpu_hvm_context, cpu_regs.x86_32, 8, 120);
PIN(xen_vcpu_hvm_context, cpu_regs.x86_64, 8, 112);
PIN_VAL(XEN_VCPU_HVM_MODE_32B, 0);
PIN_VAL(XEN_VCPU_HVM_MODE_64B, 1);

/* x86_32: offsets within the 120-byte struct (context offset = 8 + these). */
PIN_SIZE(xen_vcpu_hvm_x86_32, 120);
PIN(xen_vcpu_hvm_x86_32, eax, 0, 4);
PIN(xen_vcpu_hvm_x86_32, ecx, 4, 4);
PIN(xen_vcpu_hvm_x86_32, edx, 8, 4);
PIN(xen_vcpu_hvm_x86_32, ebx, 12, 4);
PIN(xen_vcpu_hvm_x86_32, esp, 16, 4);
PIN(xen_vcpu_hvm_x86_32, ebp, 20, 4);
PIN(xen_vcpu_hvm_x86_32, esi, 24, 4);
PIN(xen_vcpu_hvm_x86_32, edi, 28, 4);
PIN(xen_vcpu_hvm_x86_32, eip, 32, 4);
PIN(xen_vcpu_hvm_x86_32, eflags, 36, 4);
PIN(xen_vcpu_hvm_x86_32, cr0, 40, 4);
PIN(xen_vcpu_hvm_x86_32, cr3, 44, 4);
PIN(xen_vcpu_hvm_x86_32, cr4, 48, 4);
PIN(xen_vcpu_hvm_x86_32, pad1, 52, 4);
PIN(xen_vcpu_hvm_x86_32, efer, 56, 8);
PIN(xen_vcpu_hvm_x86_32, cs_base, 64, 4);
PIN(xen_vcpu_hvm_x86_32, ds_base, 68, 4);
PIN(xen_vcpu_hvm_x86_32, ss_base, 72, 4);
PIN(xen_vcpu_hvm_x86_32, es_base, 76, 4);
PIN(xen_vcpu_hvm_x86_32, tr_base, 80, 4);
PIN(xen_vcpu_hvm_x86_32, cs_limit, 84, 4);
PIN(xen_vcpu_hvm_x86_32, ds_limit, 88, 4);
PIN(xen_vcpu_hvm_x86_32, ss_limit, 92, 4);
PIN(xen_vcpu_hvm_x86_32, es_limit, 96, 4);
PIN(xen_vcpu_hvm_x86_32, tr_limit, 100, 4);
PIN(xen_vcpu_hvm_x86_32, cs_ar, 104, 2);
PIN(xen_vcpu_hvm_x86_32, ds_ar, 106, 2);
PIN(xen_vcpu_hvm_x86_32, ss_ar, 108, 2);
PIN(xen_vcpu_hvm_x86_32, es_ar, 110, 2);
PIN(xen_vcpu_hvm_x86_32, tr_ar, 112, 2);
PIN(xen_vcpu_hvm_x86_32, pad2, 114, 6);
PIN_VAL(XEN_HVM_AR_CODE32, 0xc9b);
PIN_VAL(XEN_HVM_AR_DATA32, 0xc93);
PIN_VAL(XEN_HVM_AR_TSS32_BUSY, 0x08b);

PIN_SIZE(xen_vcpu_hvm_x86_64, 112);
PIN(xen_vcpu_hvm_x86_64, rax, 0, 8);
PIN(xen_vcpu_hvm_x86_64, rcx, 8, 8);
PIN(xen_vcpu_hvm_x86_64, rdx, 16, 8);
PIN(xen_vcpu_hvm_x86_64, rbx, 24, 8);
PIN(xen_vcpu_hvm_x86_64, rsp, 32, 8);
PIN(xen_vcpu_hvm_x86_64, rbp, 40, 8);
PIN(xen_vcpu_hvm_x86_64, rsi, 48, 8);
PIN(xen_vcpu_hvm_x86_64, rdi, 56, 8);
PIN(xen_vcpu_hvm_x86_64, rip, 64, 8);
PIN(xen_vcpu_hvm_x86_64, rflags, 72, 8);
PIN(xen_vcpu_hvm_x86_64, cr0, 80, 8);
PIN(xen_vcpu_hvm_x86_64, cr3, 88, 8);
PIN(xen_vcpu_hvm_x86_64, cr4, 96, 8);
PIN(xen_vcpu_hvm_x86_64, efer, 104, 8);

/* ---- hypercalls --------------------------------------------------------- */
PIN_VAL(XEN_HC_MEMORY_OP, 12);
PIN_VAL(XEN_HC_MULTICALL, 13);
PIN_VAL(XEN_HC_XEN_VERSION, 17);
PIN_VAL(XEN_HC_CONSOLE_IO, 18);
PIN_VAL(XEN_HC_GRANT_TABLE_OP, 20);
PIN_VAL(XEN_HC_VCPU_OP, 24);
PIN_VAL(XEN_HC_SCHED_OP, 29);
PIN_VAL(XEN_HC_EVENT_CHANNEL_OP, 32);
PIN_VAL(XEN_HC_HVM_OP, 34);
PIN_VAL(XEN_HC_ARCH_0, 48);
PIN_VAL(XEN_HC_ARCH_7, 55);
PIN_VAL(XEN_HC_MAX_ARGS, 5);           /* RDI RSI RDX R10 R8 / EBX..EDI */
PIN_VAL(XEN_CONSOLEIO_WRITE, 0);
PIN_VAL(XEN_CONSOLEIO_READ, 1);
PIN_VAL(XEN_GNTTABOP_SET_VERSION, 8);

/* errno values (hypercalls return them negated) */
PIN_VAL(XEN_EPERM, 1);
PIN_VAL(XEN_ENOENT, 2);
PIN_VAL(XEN_EFAULT, 14);
PIN_VAL(XEN_EBUSY, 16);
PIN_VAL(XEN_EEXIST, 17);
PIN_VAL(XEN_ENODEV, 19);
PIN_VAL(XEN_EINVAL, 22);
PIN_VAL(XEN_ENOSYS, 38);
PIN_VAL(XEN_EOPNOTSUPP, 95);
PIN_VAL(XEN_EALREADY, 114);

/* memory_op: add_to_physmap, both caller layouts */
PIN_VAL(XEN_XENMEM_ADD_TO_PHYSMAP, 7);
PIN_VAL(XEN_XENMAPSPACE_SHARED_INFO, 0);
PIN_VAL(XEN_XENMAPSPACE_GRANT_TABLE, 1);
PIN_SIZE(xen_add_to_physmap64, 24);
PIN(xen_add_to_physmap64, domid, 0, 2);
PIN(xen_add_to_physmap64, size, 2, 2);
PIN(xen_add_to_physmap64, space, 4, 4);
PIN(xen_add_to_physmap64, idx, 8, 8);
PIN(xen_add_to_physmap64, gpfn, 16, 8);
PIN_SIZE(xen_add_to_physmap32, 16);
PIN(xen_add_to_physmap32, domid, 0, 2);
PIN(xen_add_to_physmap32, size, 2, 2);
PIN(xen_add_to_physmap32, space, 4, 4);
PIN(xen_add_to_physmap32, idx, 8, 4);
PIN(xen_add_to_physmap32, gpfn, 12, 4);

/* multicall: { xen_ulong_t op, result, args[6] }, both caller layouts */
PIN_VAL(XEN_MULTICALL_NR_ARGS, 6);
PIN_SIZE(xen_multicall_entry64, 64);
PIN(xen_multicall_entry64, op, 0, 8);
PIN(xen_multicall_entry64, result, 8, 8);
PIN(xen_multicall_entry64, args, 16, 48);
PIN(xen_multicall_entry64, args[1], 24, 8);
PIN_SIZE(xen_multicall_entry32, 32);
PIN(xen_multicall_entry32, op, 0, 4);
PIN(xen_multicall_entry32, result, 4, 4);
PIN(xen_multicall_entry32, args, 8, 24);
PIN(xen_multicall_entry32, args[1], 12, 4);

/* xen_version */
PIN_VAL(XEN_XENVER_VERSION, 0);
PIN_VAL(XEN_XENVER_EXTRAVERSION, 1);
PIN_VAL(XEN_XENVER_GET_FEATURES, 6);
PIN_VAL(XEN_XENVER_PAGESIZE, 7);
PIN_VAL(XEN_EXTRAVERSION_LEN, 16);
PIN_SIZE(xen_feature_info, 8);
PIN(xen_feature_info, submap_idx, 0, 4);
PIN(xen_feature_info, submap, 4, 4);

/* vcpu_op */
PIN_VAL(XEN_VCPUOP_INITIALISE, 0);
PIN_VAL(XEN_VCPUOP_UP, 1);
PIN_VAL(XEN_VCPUOP_DOWN, 2);
PIN_VAL(XEN_VCPUOP_IS_UP, 3);
PIN_VAL(XEN_VCPUOP_GET_PHYSID, 12);

/* sched_op */
PIN_VAL(XEN_SCHEDOP_YIELD, 0);
PIN_VAL(XEN_SCHEDOP_BLOCK, 1);
PIN_VAL(XEN_SCHEDOP_SHUTDOWN, 2);
PIN_VAL(XEN_SCHEDOP_POLL, 3);
PIN_VAL(XEN_SHUTDOWN_POWEROFF, 0);
PIN_VAL(XEN_SHUTDOWN_REBOOT, 1);
PIN_VAL(XEN_SHUTDOWN_SUSPEND, 2);
PIN_VAL(XEN_SHUTDOWN_CRASH, 3);
PIN_VAL(XEN_SHUTDOWN_WATCHDOG, 4);
PIN_SIZE(xen_sched_shutdown, 4);
PIN(xen_sched_shutdown, reason, 0, 4);

/* hvm_op */
PIN_VAL(XEN_HVMOP_SET_PARAM, 0);
PIN_VAL(XEN_HVMOP_GET_PARAM, 1);
PIN_VAL(XEN_HVM_PARAM_STORE_PFN, 1);
PIN_VAL(XEN_HVM_PARAM_STORE_EVTCHN, 2);
PIN_VAL(XEN_HVM_PARAM_CONSOLE_PFN, 17);
PIN_VAL(XEN_HVM_PARAM_CONSOLE_EVTCHN, 18);
PIN_SIZE(xen_hvm_param, 16);
PIN(xen_hvm_param, domid, 0, 2);
PIN(xen_hvm_param, pad, 2, 2);
PIN(xen_hvm_param, index, 4, 4);
PIN(xen_hvm_param, value, 8, 8);

/* ---- the PV console ring (public/io/console.h) ---------------------------- */
PIN_VAL(XEN_CONSOLE_IN_SIZE, 1024);
PIN_VAL(XEN_CONSOLE_OUT_SIZE, 2048);
PIN_SIZE(xen_console_interface, 4096);
PIN(xen_console_interface, in, 0, 1024);
PIN(xen_console_interface, out, 1024, 2048);
PIN(xen_console_interface, in_cons, 3072, 4);
PIN(xen_console_interface, in_prod, 3076, 4);
PIN(xen_console_interface, out_cons, 3080, 4);
PIN(xen_console_interface, out_prod, 3084, 4);
PIN(xen_console_interface, connection, 3088, 1);

/* ---- pvclock and vcpu_info ---------------------------------------------- */
PIN_SIZE(xen_vcpu_time_info, 32);
PIN(xen_vcpu_time_info, version, 0, 4);
PIN(xen_vcpu_time_info, pad0, 4, 4);
PIN(xen_vcpu_time_info, tsc_timestamp, 8, 8);
PIN(xen_vcpu_time_info, system_time, 16, 8);
PIN(xen_vcpu_time_info, tsc_to_system_mul, 24, 4);
PIN(xen_vcpu_time_info, tsc_shift, 28, 1);
PIN(xen_vcpu_time_info, flags, 29, 1);
PIN(xen_vcpu_time_info, pad1, 30, 2);
/* tsc_shift is signed: a negative shift is a right shift. */
PIN_VAL(_Generic(((struct xen_vcpu_time_info *)0)->tsc_shift,
		 int8_t: 1, default: 0), 1);
PIN_VAL(XEN_PVCLOCK_TSC_STABLE, 1u << 0);

/* vcpu_info: 64 bytes for both, time at 32; cr2 follows pending_sel. */
PIN_SIZE(xen_vcpu_info64, 64);
PIN(xen_vcpu_info64, upcall_pending, 0, 1);
PIN(xen_vcpu_info64, upcall_mask, 1, 1);
PIN(xen_vcpu_info64, pending_sel, 8, 8);
PIN(xen_vcpu_info64, cr2, 16, 8);
PIN(xen_vcpu_info64, time, 32, 32);
PIN_SIZE(xen_vcpu_info32, 64);
PIN(xen_vcpu_info32, upcall_pending, 0, 1);
PIN(xen_vcpu_info32, upcall_mask, 1, 1);
PIN(xen_vcpu_info32, pending_sel, 4, 4);
PIN(xen_vcpu_info32, cr2, 8, 4);
PIN(xen_vcpu_info32, time, 32, 32);
PIN_VAL(XEN_VCPU_INFO_SIZE, 64);
PIN_VAL(XEN_LEGACY_MAX_VCPUS, 32);

/* shared_info's wall clock (REFERENCE-GUEST-SERVICES §1), both layouts. */
PIN_VAL(XEN_SHARED_INFO_WC64, 3072);
PIN_VAL(XEN_SHARED_INFO_WC32, 2304);
PIN_VAL(XEN_SHARED_INFO_WC_SEC_HI64, 3084);
PIN_VAL(XEN_SHARED_INFO_WC_SEC_HI32, 2340);
PIN_SIZE(xen_wallclock, 12);
PIN(xen_wallclock, wc_sec, 4, 4);
PIN(xen_wallclock, wc_nsec, 8, 4);

/* ---- a vCPU's services (§2, §4) ------------------------------------------ */
PIN_VAL(XEN_VCPUOP_GET_RUNSTATE_INFO, 4);
PIN_VAL(XEN_VCPUOP_REGISTER_RUNSTATE_MEMORY_AREA, 5);
PIN_VAL(XEN_VCPUOP_SET_PERIODIC_TIMER, 6);
PIN_VAL(XEN_VCPUOP_STOP_PERIODIC_TIMER, 7);
PIN_VAL(XEN_VCPUOP_SET_SINGLESHOT_TIMER, 8);
PIN_VAL(XEN_VCPUOP_STOP_SINGLESHOT_TIMER, 9);
PIN_VAL(XEN_VCPUOP_REGISTER_VCPU_INFO, 10);
PIN_VAL(XEN_VCPUOP_REGISTER_VCPU_TIME_MEMORY_AREA, 13);
PIN_VAL(XEN_VCPUOP_REGISTER_RUNSTATE_PHYS_AREA, 14);
PIN_VAL(XEN_VCPUOP_REGISTER_VCPU_TIME_PHYS_AREA, 15);
PIN_SIZE(xen_vcpu_register_vcpu_info, 16);
PIN(xen_vcpu_register_vcpu_info, mfn, 0, 8);
PIN(xen_vcpu_register_vcpu_info, offset, 8, 4);
PIN(xen_vcpu_register_vcpu_info, rsvd, 12, 4);
PIN_SIZE(xen_vcpu_register_area, 8);
PIN_SIZE(xen_vcpu_set_periodic_timer, 8);
PIN_SIZE(xen_vcpu_set_singleshot_timer64, 16);
PIN(xen_vcpu_set_singleshot_timer64, flags, 8, 4);
PIN_SIZE(xen_vcpu_set_singleshot_timer32, 12);
PIN(xen_vcpu_set_singleshot_timer32, flags, 8, 4);
PIN_VAL(XEN_VCPU_SSHOTTMR_FUTURE, 1);
PIN_VAL(XEN_RUNSTATE_RUNNING, 0);
PIN_VAL(XEN_RUNSTATE_RUNNABLE, 1);
PIN_VAL(XEN_RUNSTATE_BLOCKED, 2);
PIN_VAL(XEN_RUNSTATE_OFFLINE, 3);
PIN_VAL(XEN_RUNSTATE_UPDATE, 1ull << 63);
PIN_SIZE(xen_vcpu_runstate_info64, 48);
PIN(xen_vcpu_runstate_info64, state_entry_time, 8, 8);
PIN(xen_vcpu_runstate_info64, time, 16, 32);
PIN_SIZE(xen_vcpu_runstate_info32, 44);
PIN(xen_vcpu_runstate_info32, state_entry_time, 4, 8);
PIN(xen_vcpu_runstate_info32, time, 12, 32);
PIN_VAL(XEN_HC_SET_TIMER_OP, 15);

/* xen_version's other sub-ops and features (§5). */
PIN_VAL(XEN_XENVER_COMPILE_INFO, 2);
PIN_VAL(XEN_XENVER_CAPABILITIES, 3);
PIN_VAL(XEN_XENVER_CHANGESET, 4);
PIN_VAL(XEN_XENVER_PLATFORM_PARAMETERS, 5);
PIN_VAL(XEN_XENVER_GUEST_HANDLE, 8);
PIN_VAL(XEN_XENVER_COMMANDLINE, 9);
PIN_VAL(XEN_XENVER_BUILD_ID, 10);
PIN_VAL(XEN_XENVER_COMMANDLINE2, 14);
PIN_SIZE(xen_compile_info, 144);
PIN(xen_compile_info, compile_by, 64, 16);
PIN(xen_compile_info, compile_domain, 80, 32);
PIN(xen_compile_info, compile_date, 112, 32);
PIN_VAL((1u << XEN_XENFEAT_WRITABLE_PAGE_TABLES) | (1u << XEN_XENFEAT_AUTO_TRANSLATED_PHYSMAP) |
	(1u << XEN_XENFEAT_HVM_CALLBACK_VECTOR) | (1u << XEN_XENFEAT_HVM_SAFE_PVCLOCK) |
	(1u << XEN_XENFEAT_MEMORY_OP_VNODE_SUPPORTED) | (1u << XEN_XENFEAT_NOT_DIRECT_MAPPED) |
	(1u << XEN_XENFEAT_RUNSTATE_PHYS_AREA) | (1u << XEN_XENFEAT_VCPU_TIME_PHYS_AREA) |
	(1u << XEN_XENFEAT_DM_MSIX_ALL_WRITES), 0x1D2305u);

/* ---- memory_op and grant_table_op (§9) ----------------------------------- */
PIN_VAL(XEN_XENMEM_DECREASE_RESERVATION, 1);
PIN_VAL(XEN_XENMEM_POPULATE_PHYSMAP, 6);
PIN_VAL(XEN_XENMEM_MEMORY_MAP, 9);
PIN_VAL(XEN_MEMOP_EXTENT_SHIFT, 6);
PIN_SIZE(xen_memory_reservation64, 32);
PIN(xen_memory_reservation64, nr_extents, 8, 8);
PIN(xen_memory_reservation64, extent_order, 16, 4);
PIN(xen_memory_reservation64, mem_flags, 20, 4);
PIN(xen_memory_reservation64, domid, 24, 2);
PIN_SIZE(xen_memory_reservation32, 20);
PIN(xen_memory_reservation32, nr_extents, 4, 4);
PIN(xen_memory_reservation32, extent_order, 8, 4);
PIN(xen_memory_reservation32, mem_flags, 12, 4);
PIN(xen_memory_reservation32, domid, 16, 2);
PIN_SIZE(xen_memory_map64, 16);
PIN(xen_memory_map64, buffer, 8, 8);
PIN_SIZE(xen_memory_map32, 8);
PIN(xen_memory_map32, buffer, 4, 4);
PIN_SIZE(xen_vnuma_topology_info, 40);
PIN(xen_vnuma_topology_info, vdistance, 16, 8);
PIN_VAL(XEN_HC_GRANT_TABLE_OP, 20);
PIN_VAL(XEN_GNTTABOP_SETUP_TABLE, 2);
PIN_VAL(XEN_GNTTABOP_QUERY_SIZE, 6);
PIN_VAL(XEN_GNTTABOP_SET_VERSION, 8);
PIN_VAL(XEN_GNTTABOP_GET_VERSION, 10);
PIN_SIZE(xen_gnttab_setup_table64, 24);
PIN(xen_gnttab_setup_table64, nr_frames, 4, 4);
PIN(xen_gnttab_setup_table64, status, 8, 2);
PIN(xen_gnttab_setup_table64, frame_list, 16, 8);
PIN_SIZE(xen_gnttab_setup_table32, 16);
PIN(xen_gnttab_setup_table32, status, 8, 2);
PIN(xen_gnttab_setup_table32, frame_list, 12, 4);
PIN_SIZE(xen_gnttab_query_size, 16);
PIN(xen_gnttab_query_size, nr_frames, 4, 4);
PIN(xen_gnttab_query_size, max_nr_frames, 8, 4);
PIN(xen_gnttab_query_size, status, 12, 2);
PIN_SIZE(xen_gnttab_get_version, 8);
PIN(xen_gnttab_get_version, version, 4, 4);
PIN_SIZE(xen_grant_entry_v1, 8);
PIN(xen_grant_entry_v1, frame, 4, 4);
PIN_VAL(XEN_GNTST_ADDRESS_TOO_BIG, -11);

/* ---- platform discovery --------------------------------------------------- */
PIN_VAL(XEN_CPUID_FIRST_LEAF, 0x40000000);
PIN_VAL(XEN_CPUID_LEAF_STRIDE, 0x100);
PIN_VAL(XEN_CPUID_LAST_SEARCH, 0x4000ff00);
PIN_VAL(XEN_CPUID_LEAF_VERSION, 1);
PIN_VAL(XEN_CPUID_LEAF_HCALL_PAGE, 2);
PIN_VAL(XEN_CPUID_LEAF_HVM, 4);
PIN_VAL(XEN_CPUID_HVM_APIC_ACCESS_VIRT, 1u << 0);
PIN_VAL(XEN_CPUID_HVM_X2APIC_VIRT, 1u << 1);
PIN_VAL(XEN_CPUID_HVM_IOMMU_MAPPINGS, 1u << 2);
PIN_VAL(XEN_CPUID_HVM_VCPU_ID_PRESENT, 1u << 3);
PIN_VAL(XEN_CPUID_HVM_DOMID_PRESENT, 1u << 4);
PIN_VAL(XEN_CPUID_MAX_LEAF_OFFSET, 5);
PIN_VAL(XEN_HYPERCALL_PAGE_MSR, 0x40000000);
PIN_VAL(XEN_HYPERCALL_STUB_SIZE, 32);
PIN_VAL(XEN_HYPERCALL_STUBS, 128);
PIN_VAL(XEN_HYPERCALL_STUBS * XEN_HYPERCALL_STUB_SIZE, 4096);  /* one page */
PIN_VAL(HVK_CPUID_BASE, 0x40000000);

/* ---- hvk's own ABI, as hvk.h's comments give it -------------------------- */
PIN_VAL(HVK_IOCTL_TYPE, 0xE7);
PIN_SIZE(hvk_version, 32);
PIN_SIZE(hvk_caps, 64);
PIN_SIZE(hvk_vm_create, 32);
PIN_SIZE(hvk_memory_region, 48);
PIN_SIZE(hvk_vcpu_create, 32);
PIN_SIZE(hvk_vcpu_init, 160);
PIN(hvk_vcpu_init, ctx, 32, 128);
PIN_SIZE(hvk_segment, 16);
PIN(hvk_segment, base, 0, 8);
PIN(hvk_segment, limit, 8, 4);
PIN(hvk_segment, selector, 12, 2);
PIN(hvk_segment, ar, 14, 2);
PIN_SIZE(hvk_dtable, 16);
PIN(hvk_dtable, base, 0, 8);
PIN(hvk_dtable, limit, 8, 4);

/*   0 gpr[16]   128 rip  136 rflags  144 cr0 cr2 cr3 cr4 efer  184 dr6 dr7
 * 200 cs ds es fs gs ss tr ldtr (16 each)  328 gdt idt  360 flags reserved0
 * 368 reserved[8]  -> 432 bytes */
PIN_VAL(HVK_NR_GPRS, 16);
PIN_SIZE(hvk_regs, 432);
PIN(hvk_regs, gpr, 0, 128);
PIN(hvk_regs, gpr[HVK_REG_R15], 120, 8);
PIN(hvk_regs, rip, 128, 8);
PIN(hvk_regs, rflags, 136, 8);
PIN(hvk_regs, cr0, 144, 8);
PIN(hvk_regs, cr2, 152, 8);
PIN(hvk_regs, cr3, 160, 8);
PIN(hvk_regs, cr4, 168, 8);
PIN(hvk_regs, efer, 176, 8);
PIN(hvk_regs, dr6, 184, 8);
PIN(hvk_regs, dr7, 192, 8);
PIN(hvk_regs, cs, 200, 16);
PIN(hvk_regs, ds, 216, 16);
PIN(hvk_regs, es, 232, 16);
PIN(hvk_regs, fs, 248, 16);
PIN(hvk_regs, gs, 264, 16);
PIN(hvk_regs, ss, 280, 16);
PIN(hvk_regs, tr, 296, 16);
PIN(hvk_regs, ldtr, 312, 16);
PIN(hvk_regs, gdt, 328, 16);
PIN(hvk_regs, idt, 344, 16);
PIN(hvk_regs, flags, 360, 4);
PIN(hvk_regs, reserved0, 364, 4);
PIN(hvk_regs, reserved, 368, 64);

/* hvk_stats: the layout in its comment (hvk.h). */
PIN_SIZE(hvk_stats, 1648);
PIN(hvk_stats, exits, 8, 8);
PIN(hvk_stats, userspace_exits, 16, 8);
PIN(hvk_stats, hypercalls, 24, 8);
PIN(hvk_stats, exits_other, 32, 8);
PIN(hvk_stats, hypercalls_other, 40, 8);
PIN(hvk_stats, nr_exit_codes, 48, 4);
PIN(hvk_stats, gpt_tables, 52, 4);
PIN(hvk_stats, hypercall_count, 80, 512);
PIN(hvk_stats, exit_count, 592, 1024);
PIN(hvk_stats, ram_faults, 1616, 8);
PIN(hvk_stats, ram_huge, 1624, 8);
PIN(hvk_stats, ram_zaps, 1632, 8);
PIN(hvk_stats, xen_area_pages, 1640, 8);
PIN_SIZE(hvk_exit_count, 16);

/* Exit structs: sizes from their comments. */
PIN_SIZE(hvk_exit_io, 16);
PIN_SIZE(hvk_exit_mmio, 32);
PIN_SIZE(hvk_exit_shutdown, 8);
PIN_SIZE(hvk_exit_fail_entry, 16);
PIN_SIZE(hvk_exit_internal, 40);

/*    0 exit_reason  4 flags  8 console_len  12 immediate_exit  16 reserved[6]
 *   64 exit (448-byte union)  512 console[2048]   -> 2560 bytes */
PIN_SIZE(hvk_run, 2560);
PIN(hvk_run, exit_reason, 0, 4);
PIN(hvk_run, flags, 4, 4);
PIN(hvk_run, console_len, 8, 4);
PIN(hvk_run, immediate_exit, 12, 4);
PIN(hvk_run, reserved, 16, 48);
PIN(hvk_run, exit, 64, 448);
PIN(hvk_run, console, 512, 2048);
PIN_VAL(HVK_CONSOLE_BUF_SIZE, 2048);
PIN_VAL(sizeof(struct hvk_run) <= HVK_RUN_MMAP_SIZE, 1);

/* ---- checks that need a string: run time ---------------------------------- */

/* CPUID register n (0 = EBX, 1 = ECX, 2 = EDX) holding bytes 4n..4n+3 of sig. */
static uint32_t sig_word(const char *sig, int n)
{
	const unsigned char *p = (const unsigned char *)sig + 4 * n;

	return (uint32_t)p[0] | (uint32_t)p[1] << 8 |
	       (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

/*
 * Event channels (REFERENCE-GUEST-SERVICES §1, §3, §4): the same layout for
 * 32- and 64-bit guests, except SCHEDOP_poll's argument.
 */
PIN_VAL(XEN_HC_EVENT_CHANNEL_OP, 32);
PIN_VAL(XEN_EVTCHNOP_BIND_INTERDOMAIN, 0);
PIN_VAL(XEN_EVTCHNOP_BIND_VIRQ, 1);
PIN_VAL(XEN_EVTCHNOP_BIND_PIRQ, 2);
PIN_VAL(XEN_EVTCHNOP_CLOSE, 3);
PIN_VAL(XEN_EVTCHNOP_SEND, 4);
PIN_VAL(XEN_EVTCHNOP_STATUS, 5);
PIN_VAL(XEN_EVTCHNOP_ALLOC_UNBOUND, 6);
PIN_VAL(XEN_EVTCHNOP_BIND_IPI, 7);
PIN_VAL(XEN_EVTCHNOP_BIND_VCPU, 8);
PIN_VAL(XEN_EVTCHNOP_UNMASK, 9);
PIN_VAL(XEN_EVTCHNOP_RESET, 10);
PIN_VAL(XEN_EVTCHNOP_INIT_CONTROL, 11);
PIN_VAL(XEN_EVTCHNOP_EXPAND_ARRAY, 12);
PIN_VAL(XEN_EVTCHNOP_SET_PRIORITY, 13);
PIN_VAL(XEN_EVTCHNSTAT_CLOSED, 0);
PIN_VAL(XEN_EVTCHNSTAT_UNBOUND, 1);
PIN_VAL(XEN_EVTCHNSTAT_INTERDOMAIN, 2);
PIN_VAL(XEN_EVTCHNSTAT_PIRQ, 3);
PIN_VAL(XEN_EVTCHNSTAT_VIRQ, 4);
PIN_VAL(XEN_EVTCHNSTAT_IPI, 5);
PIN_VAL(XEN_VIRQ_TIMER, 0);
PIN_VAL(XEN_VIRQ_DEBUG, 1);
PIN_VAL(XEN_VIRQ_CONSOLE, 2);
PIN_VAL(XEN_VIRQ_DOM_EXC, 3);
PIN_VAL(XEN_VIRQ_TBUF, 4);
PIN_VAL(XEN_VIRQ_DEBUGGER, 6);
PIN_VAL(XEN_VIRQ_XENOPROF, 7);
PIN_VAL(XEN_VIRQ_CON_RING, 8);
PIN_VAL(XEN_VIRQ_PCPU_STATE, 9);
PIN_VAL(XEN_VIRQ_MEM_EVENT, 10);
PIN_VAL(XEN_VIRQ_ARGO, 11);
PIN_VAL(XEN_VIRQ_ENOMEM, 12);
PIN_VAL(XEN_VIRQ_XENPMU, 13);
PIN_VAL(XEN_VIRQ_ARCH_0, 16);
PIN_VAL(XEN_NR_VIRQS, 24);
PIN_VAL(XEN_EVTCHN_2L_PORTS64, 64 * 64);
PIN_VAL(XEN_EVTCHN_2L_PORTS32, 32 * 32);
PIN_VAL(XEN_EVTCHN_PENDING_OFFSET, 2048);
PIN_VAL(XEN_EVTCHN_MASK_OFFSET64, 2560);
PIN_VAL(XEN_EVTCHN_MASK_OFFSET32, 2176);
PIN_SIZE(xen_evtchn_alloc_unbound, 8);
PIN(xen_evtchn_alloc_unbound, dom, 0, 2);
PIN(xen_evtchn_alloc_unbound, remote_dom, 2, 2);
PIN(xen_evtchn_alloc_unbound, port, 4, 4);
PIN_SIZE(xen_evtchn_bind_interdomain, 12);
PIN(xen_evtchn_bind_interdomain, remote_dom, 0, 2);
PIN(xen_evtchn_bind_interdomain, remote_port, 4, 4);
PIN(xen_evtchn_bind_interdomain, local_port, 8, 4);
PIN_SIZE(xen_evtchn_bind_virq, 12);
PIN(xen_evtchn_bind_virq, virq, 0, 4);
PIN(xen_evtchn_bind_virq, vcpu, 4, 4);
PIN(xen_evtchn_bind_virq, port, 8, 4);
PIN_SIZE(xen_evtchn_bind_pirq, 12);
PIN(xen_evtchn_bind_pirq, pirq, 0, 4);
PIN(xen_evtchn_bind_pirq, flags, 4, 4);
PIN(xen_evtchn_bind_pirq, port, 8, 4);
PIN_SIZE(xen_evtchn_bind_ipi, 8);
PIN(xen_evtchn_bind_ipi, vcpu, 0, 4);
PIN(xen_evtchn_bind_ipi, port, 4, 4);
PIN_SIZE(xen_evtchn_port, 4);
PIN_SIZE(xen_evtchn_status, 24);
PIN(xen_evtchn_status, dom, 0, 2);
PIN(xen_evtchn_status, port, 4, 4);
PIN(xen_evtchn_status, status, 8, 4);
PIN(xen_evtchn_status, vcpu, 12, 4);
PIN(xen_evtchn_status, u, 16, 8);
PIN(xen_evtchn_status, u.unbound_dom, 16, 2);
PIN(xen_evtchn_status, u.interdomain.dom, 16, 2);
PIN(xen_evtchn_status, u.interdomain.port, 20, 4);
PIN(xen_evtchn_status, u.pirq, 16, 4);
PIN(xen_evtchn_status, u.virq, 16, 4);
PIN_SIZE(xen_evtchn_bind_vcpu, 8);
PIN(xen_evtchn_bind_vcpu, port, 0, 4);
PIN(xen_evtchn_bind_vcpu, vcpu, 4, 4);
PIN_SIZE(xen_evtchn_reset, 2);
PIN_SIZE(xen_evtchn_init_control, 24);
PIN(xen_evtchn_init_control, control_gfn, 0, 8);
PIN(xen_evtchn_init_control, offset, 8, 4);
PIN(xen_evtchn_init_control, vcpu, 12, 4);
PIN(xen_evtchn_init_control, link_bits, 16, 1);
PIN_SIZE(xen_evtchn_expand_array, 8);
PIN_SIZE(xen_evtchn_set_priority, 8);
PIN(xen_evtchn_set_priority, priority, 4, 4);
PIN_VAL(XEN_SCHED_POLL_MAX_PORTS, 128);
PIN_SIZE(xen_sched_poll64, 24);
PIN(xen_sched_poll64, ports, 0, 8);
PIN(xen_sched_poll64, nr_ports, 8, 4);
PIN(xen_sched_poll64, timeout, 16, 8);
PIN_SIZE(xen_sched_poll32, 16);
PIN(xen_sched_poll32, ports, 0, 4);
PIN(xen_sched_poll32, nr_ports, 4, 4);
PIN(xen_sched_poll32, timeout, 8, 8);
PIN_VAL(XEN_HVMOP_SET_EVTCHN_UPCALL_VECTOR, 23);
PIN_VAL(XEN_HVM_PARAM_CALLBACK_IRQ, 0);
PIN_VAL((uint64_t)XEN_HVM_CALLBACK_TYPE_VECTOR << XEN_HVM_CALLBACK_TYPE_SHIFT, 0x0200000000000000ull);
PIN_SIZE(xen_hvm_evtchn_upcall_vector, 8);
PIN(xen_hvm_evtchn_upcall_vector, vcpu, 0, 4);
PIN(xen_hvm_evtchn_upcall_vector, vector, 4, 1);
PIN_VAL(XEN_CPUID_HVM_UPCALL_VECTOR, 1u << 6);

int main(void)
{
	/* 12 bytes: the string literal's own NUL is the 13th. */
	static const char xen_sig[] = "XenVMMXenVMM";
	static const char hvk_sig[] = "hvkhvkhvk\0\0\0";

	expect("XEN_CPUID_SIGNATURE_EBX", XEN_CPUID_SIGNATURE_EBX, sig_word(xen_sig, 0));
	expect("XEN_CPUID_SIGNATURE_ECX", XEN_CPUID_SIGNATURE_ECX, sig_word(xen_sig, 1));
	expect("XEN_CPUID_SIGNATURE_EDX", XEN_CPUID_SIGNATURE_EDX, sig_word(xen_sig, 2));
	expect("HVK_CPUID_SIGNATURE_EBX", HVK_CPUID_SIGNATURE_EBX, sig_word(hvk_sig, 0));
	expect("HVK_CPUID_SIGNATURE_ECX", HVK_CPUID_SIGNATURE_ECX, sig_word(hvk_sig, 1));
	expect("HVK_CPUID_SIGNATURE_EDX", HVK_CPUID_SIGNATURE_EDX, sig_word(hvk_sig, 2));

	checks++;
	if (strcmp(XEN_ELFNOTE_NAME, "Xen") != 0) {
		printf("  pins: XEN_ELFNOTE_NAME is \"%s\", expected \"Xen\"\n",
		       XEN_ELFNOTE_NAME);
		failures++;
	}
	checks++;
	if (strcmp(HVK_DEVICE_PATH, "/dev/hvk") != 0) {
		printf("  pins: HVK_DEVICE_PATH is \"%s\", expected \"/dev/hvk\"\n",
		       HVK_DEVICE_PATH);
		failures++;
	}

	printf("%d %d\n", checks, failures);
	return failures != 0;
}
