/* SPDX-License-Identifier: MIT */
/*
 * vcpu_info and its pvclock (xen/include/public/xen.h).
 *
 * vcpu_time_info is 32 bytes for 32- and 64-bit guests.  The writer makes
 * version odd, updates, then makes it even; a reader retries while version is
 * odd or changed.  Nanoseconds since boot:
 *   system_time + ((((tsc - tsc_timestamp) << tsc_shift) * tsc_to_system_mul) >> 32)
 * where a negative tsc_shift shifts right.
 *
 * vcpu_info is 64 bytes on both: upcall_pending (0), upcall_mask (1),
 * pending_sel (xen_ulong_t: 4 bytes at 4 for 32-bit, 8 at 8 for 64-bit),
 * arch (cr2 + pad), time at offset 32.  The part before `time` differs by
 * bitness and is described by two explicit layouts.
 */
#ifndef HVK_ABI_XEN_SHARED_INFO_H
#define HVK_ABI_XEN_SHARED_INFO_H

#include "../types.h"

#define XEN_PVCLOCK_TSC_STABLE   (1u << 0)

struct xen_vcpu_time_info {
	uint32_t version;
	uint32_t pad0;
	hvk_u64 tsc_timestamp;
	hvk_u64 system_time;
	uint32_t tsc_to_system_mul;
	int8_t tsc_shift;
	uint8_t flags;          /* XEN_PVCLOCK_* */
	uint8_t pad1[2];
};

/* 64-bit guest's view of a vcpu_info. */
struct xen_vcpu_info64 {
	uint8_t upcall_pending;
	uint8_t upcall_mask;
	uint8_t pad0[6];
	hvk_u64 pending_sel;
	hvk_u64 cr2;
	hvk_u64 arch_pad;
	struct xen_vcpu_time_info time;
};

/* 32-bit guest's view of a vcpu_info. */
struct xen_vcpu_info32 {
	uint8_t upcall_pending;
	uint8_t upcall_mask;
	uint8_t pad0[2];
	uint32_t pending_sel;
	uint32_t cr2;
	uint32_t arch_pad[5];
	struct xen_vcpu_time_info time;
};

/* shared_info begins with XEN_LEGACY_MAX_VCPUS vcpu_info slots. */
#define XEN_LEGACY_MAX_VCPUS     32
#define XEN_VCPU_INFO_SIZE       64

/*
 * The wall clock at system time 0, in shared_info: { u32 wc_version, wc_sec,
 * wc_nsec } at 3072 (64-bit layout) / 2304 (32-bit layout), the seconds'
 * high word (wc_sec_hi) at 3084 / 2340.  wc_version is odd while the
 * hypervisor updates it.  Wall time = wc + the pvclock's system time.
 */
#define XEN_SHARED_INFO_WC64        3072
#define XEN_SHARED_INFO_WC32        2304
#define XEN_SHARED_INFO_WC_SEC_HI64 3084
#define XEN_SHARED_INFO_WC_SEC_HI32 2340

struct xen_wallclock {
	uint32_t wc_version;
	uint32_t wc_sec;
	uint32_t wc_nsec;
};

#endif /* HVK_ABI_XEN_SHARED_INFO_H */
