/* SPDX-License-Identifier: MIT */
/* The APIC guests' clock: pvclock or a PIT-calibrated TSC (clock.h). */
#include <abi/xen/hypercall.h>
#include <abi/xen/memory.h>
#include <abi/xen/shared_info.h>

#include "clock.h"
#include "cpu.h"
#include "hypercall.h"
#include "io.h"
#include "platform.h"
#include "shutdown.h"

#define PAGE_BYTES              4096u
#define TIME_INFO_OFFSET        32      /* of vcpu_info, both layouts */

#define PIT_HZ                  1193182u
#define PIT_CHANNEL2            0x42
#define PIT_COMMAND             0x43
#define PIT_CH2_LOHI_MODE0      0xb0    /* channel 2, lo/hi byte, mode 0, binary */
#define PORT_SPEAKER            0x61
#define SPEAKER_GATE2           0x01
#define SPEAKER_DATA            0x02
#define SPEAKER_OUT2            0x20
#define CALIBRATE_MS            50u
/* If OUT2 never rises (no PIT): give up after about 10 s at 3 GHz. */
#define CALIBRATE_MAX_TSC       30000000000ull

#ifdef __x86_64__
typedef struct xen_add_to_physmap64 physmap_t;
#else
typedef struct xen_add_to_physmap32 physmap_t;
#endif

/* The pvclock formula (abi/xen/shared_info.h), also used for the native scale. */
struct time_scale {
	uint64_t tsc_base;
	uint64_t ns_base;
	uint32_t mul;
	int8_t shift;
};

static uint8_t shared_info_page[PAGE_BYTES] __attribute__((aligned(PAGE_BYTES)));
static volatile struct xen_vcpu_time_info *pvclock;
static struct time_scale native_scale;
static uint64_t tsc_hz;

static uint64_t mul_shr32(uint64_t a, uint32_t mul)
{
	uint64_t lo = (a & 0xffffffffu) * mul, hi = (a >> 32) * mul;

	return hi + (lo >> 32);
}

static uint64_t scale_delta(uint64_t delta, uint32_t mul, int8_t shift)
{
	delta = shift >= 0 ? delta << shift : delta >> -shift;
	return mul_shr32(delta, mul);
}

/* Xen's set_time_scale: mul/shift such that ns = scale_delta(ticks). */
static void set_time_scale(struct time_scale *ts, uint64_t ticks_per_sec)
{
	uint64_t tps64 = ticks_per_sec;
	uint32_t tps32;
	int shift = 0;

	while (tps64 > 2 * NS_PER_SEC) {
		tps64 >>= 1;
		shift--;
	}
	tps32 = (uint32_t)tps64;
	while (tps32 <= (uint32_t)NS_PER_SEC) {
		tps32 <<= 1;
		shift++;
	}
	ts->mul = (uint32_t)((NS_PER_SEC << 32) / tps32);
	ts->shift = (int8_t)shift;
}

static uint64_t pvclock_read(void)
{
	uint64_t stamp, sys, tsc;
	uint32_t version, mul;
	int8_t shift;

	do {
		version = pvclock->version;
		__atomic_thread_fence(__ATOMIC_ACQUIRE);
		stamp = pvclock->tsc_timestamp;
		sys = pvclock->system_time;
		mul = pvclock->tsc_to_system_mul;
		shift = pvclock->tsc_shift;
		tsc = rdtsc();
		__atomic_thread_fence(__ATOMIC_ACQUIRE);
	} while ((version & 1) || version != pvclock->version);
	return sys + scale_delta(tsc - stamp, mul, shift);
}

static void map_pvclock(void)
{
	physmap_t x = {
		.domid = XEN_DOMID_SELF,
		.space = XEN_XENMAPSPACE_SHARED_INFO,
		.idx = 0,
		.gpfn = (uintptr_t)shared_info_page / PAGE_BYTES,
	};
	long rc = hypercall2(XEN_HC_MEMORY_OP, XEN_XENMEM_ADD_TO_PHYSMAP, (unsigned long)&x);
	uint32_t mul;

	if (rc)
		guest_fail("clock: add_to_physmap(shared_info, gpfn 0x%lx) returned %ld",
			   (unsigned long)x.gpfn, rc);
	pvclock = (volatile struct xen_vcpu_time_info *)(shared_info_page + TIME_INFO_OFFSET);
	mul = pvclock->tsc_to_system_mul;
	if (!mul || !pvclock->version)
		guest_fail("clock: vcpu_info[0].time not filled in (version %u, mul %u)",
			   pvclock->version, mul);
	/* ns = (tsc << shift) * mul >> 32, so tsc_hz = 1e9 * 2^32 / mul >> shift. */
	tsc_hz = (NS_PER_SEC << 32) / mul;
	tsc_hz = pvclock->tsc_shift >= 0 ? tsc_hz >> pvclock->tsc_shift
					 : tsc_hz << -pvclock->tsc_shift;
}

/* TSC ticks while PIT channel 2 counts CALIBRATE_MS down in mode 0. */
static void calibrate_tsc_by_pit(void)
{
	const uint32_t latch = PIT_HZ / (1000 / CALIBRATE_MS);
	uint64_t start, now;

	outb(PORT_SPEAKER, (inb(PORT_SPEAKER) & ~SPEAKER_DATA) | SPEAKER_GATE2);
	outb(PIT_COMMAND, PIT_CH2_LOHI_MODE0);
	outb(PIT_CHANNEL2, latch & 0xff);
	outb(PIT_CHANNEL2, latch >> 8);
	start = now = rdtsc();
	while (!(inb(PORT_SPEAKER) & SPEAKER_OUT2)) {
		now = rdtsc();
		if (now - start > CALIBRATE_MAX_TSC)
			guest_fail("clock: PIT channel 2 never reached 0 (no PIT?), "
				   "%llu TSC ticks", (unsigned long long)(now - start));
	}
	tsc_hz = (now - start) * (1000 / CALIBRATE_MS);
	if (!tsc_hz)
		guest_fail("clock: the TSC did not advance over %u ms of the PIT", CALIBRATE_MS);
	set_time_scale(&native_scale, tsc_hz);
	native_scale.tsc_base = rdtsc();
	native_scale.ns_base = 0;
}

void clock_init(void)
{
	if (platform_has_hypercalls())
		map_pvclock();
	else
		calibrate_tsc_by_pit();
}

volatile void *clock_shared_info(void)
{
	return pvclock ? shared_info_page : 0;
}

bool clock_is_pvclock(void)
{
	return pvclock != 0;
}

const char *clock_name(void)
{
	return pvclock ? "pvclock" : "TSC by the PIT";
}

uint64_t clock_ns(void)
{
	if (pvclock)
		return pvclock_read();
	return native_scale.ns_base +
	       scale_delta(rdtsc() - native_scale.tsc_base, native_scale.mul, native_scale.shift);
}

uint64_t clock_tsc_hz(void)
{
	return tsc_hz;
}

/* ns * hz / 1e9 in two parts, so that neither product overflows. */
uint64_t clock_ns_to_tsc(uint64_t ns)
{
	return ns / NS_PER_SEC * tsc_hz + ns % NS_PER_SEC * tsc_hz / NS_PER_SEC;
}

uint64_t clock_tsc_to_ns(uint64_t tsc_delta)
{
	return tsc_delta / tsc_hz * NS_PER_SEC + tsc_delta % tsc_hz * NS_PER_SEC / tsc_hz;
}

void clock_delay_ns(uint64_t ns)
{
	uint64_t end = clock_ns() + ns;

	while (clock_ns() < end)
		cpu_relax();
}
