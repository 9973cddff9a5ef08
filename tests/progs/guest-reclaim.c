/*
 * guest-reclaim: guest RAM the host reclaims (issue 13).  Nothing is
 * pinned, so the host may swap out the VMM's guest memory like any other:
 * the MMU notifier zaps the nested entries of each page as it goes, and
 * the guest's next access faults it back in from swap.
 *
 * The guest (32-bit flat, no paging) fills FILL_START..FILL_END with a
 * pattern (each dword its address XOR the seed at GUEST_DATA) and reports
 * 0 by OUT to port 0x500; resumed, it checks every dword and reports the
 * number that differ, for ever.  The VMM: the guest fills; the VMM reads
 * the pattern back; MADV_PAGEOUT of the whole range pushes it to swap
 * (the nested suite's 27-reclaim.sh sets up swap on zram; without swap
 * there is nothing to check, and the program says so and fails); the
 * guest checks every dword; and again after the guest has read it all
 * back in.
 *
 * Output as abi-client: "ok N - what" / "not ok N - what: detail", a
 * summary line; exit 0 only when everything passed.  Built 64- and 32-bit.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>

#include <abi/hvk.h>

#include "vmtest.h"

#ifndef MADV_PAGEOUT
#define MADV_PAGEOUT 21                 /* Linux 5.4 */
#endif

#define FILL_START  0x100000u
#define FILL_END    0x200000u           /* RAM_SIZE: the rest of RAM */
#define FILL_PAGES  ((FILL_END - FILL_START) / 4096u)
#define SEED        0x5eed1e55u

#define IMM32(v)    (v) & 0xff, ((v) >> 8) & 0xff, ((v) >> 16) & 0xff, (v) >> 24

static const uint8_t fill_check_code[] = {
	0xbb, IMM32(FILL_START),                /* mov ebx, FILL_START */
	0x89, 0xd8,                             /* fill: mov eax, ebx */
	0x33, 0x05, IMM32(GUEST_DATA),          /* xor eax, [GUEST_DATA] */
	0x89, 0x03,                             /* mov [ebx], eax */
	0x83, 0xc3, 0x04,                       /* add ebx, 4 */
	0x81, 0xfb, IMM32(FILL_END),            /* cmp ebx, FILL_END */
	0x72, 0xeb,                             /* jb fill (21 bytes back) */
	0x31, 0xc0,                             /* xor eax, eax */
	0x66, 0xba, REPORT_PORT & 0xff, REPORT_PORT >> 8, /* mov dx, 0x500 */
	0xef,                                   /* out dx, eax */
	0x31, 0xc9,                             /* check: xor ecx, ecx */
	0xbb, IMM32(FILL_START),                /* mov ebx, FILL_START */
	0x89, 0xd8,                             /* next: mov eax, ebx */
	0x33, 0x05, IMM32(GUEST_DATA),          /* xor eax, [GUEST_DATA] */
	0x3b, 0x03,                             /* cmp eax, [ebx] */
	0x74, 0x01,                             /* je same */
	0x41,                                   /* inc ecx */
	0x83, 0xc3, 0x04,                       /* same: add ebx, 4 */
	0x81, 0xfb, IMM32(FILL_END),            /* cmp ebx, FILL_END */
	0x72, 0xe8,                             /* jb next (24 bytes back) */
	0x89, 0xc8,                             /* mov eax, ecx */
	0xef,                                   /* out dx, eax */
	0xeb, 0xdc,                             /* jmp check (36 bytes back) */
};

/* A field of /proc/self/status in KiB ("VmSwap"), or -1. */
static long status_kib(const char *field)
{
	char line[128];
	size_t n = strlen(field);
	long kib = -1;
	FILE *f = fopen("/proc/self/status", "r");

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (!strncmp(line, field, n) && line[n] == ':')
			kib = strtol(line + n + 1, NULL, 10);
	fclose(f);
	return kib;
}

/* Swap devices in /proc/swaps (its first line is a header). */
static int swap_devices(void)
{
	char line[256];
	int n = -1;
	FILE *f = fopen("/proc/swaps", "r");

	if (!f)
		return 0;
	while (fgets(line, sizeof(line), f))
		n++;
	fclose(f);
	return n < 0 ? 0 : n;
}

/* The VMM's own view of the range: dwords that differ from the pattern. */
static unsigned int vmm_mismatches(const struct vm *vm)
{
	unsigned int n = 0;

	for (uint32_t a = FILL_START; a < FILL_END; a += 4)
		n += *(const volatile uint32_t *)(vm->ram + a) != (a ^ SEED);
	return n;
}

static void test_reclaim(struct vm *vm)
{
	struct hvk_stats st0, st1, st2;
	long swap0, swap1;
	uint32_t value = ~0u;
	char why[160] = "";
	int rc;

	rc = vm_run_report(vm, &value, why, sizeof(why));
	check(rc == 0 && value == 0 && vmm_mismatches(vm) == 0,
	      "the guest fills 1 MiB with its pattern, the VMM reads it back",
	      "%s report 0x%x, %u dwords differ", why, value, vmm_mismatches(vm));

	st0 = vm_stats(vm);
	swap0 = status_kib("VmSwap");
	rc = madvise(vm->ram + FILL_START, FILL_END - FILL_START, MADV_PAGEOUT);
	swap1 = status_kib("VmSwap");
	st1 = vm_stats(vm);
	check(rc == 0 && swap1 - swap0 == (long)(FILL_END - FILL_START) / 1024,
	      "MADV_PAGEOUT swaps out the whole range",
	      "madvise %s, VmSwap %ld -> %ld KiB", rc ? strerror(errno) : "ok", swap0, swap1);
	check(st1.ram_zaps - st0.ram_zaps == FILL_PAGES,
	      "... and the MMU notifier zapped each of its pages' nested entries",
	      "zapped %llu pages, expected %u",
	      (unsigned long long)(st1.ram_zaps - st0.ram_zaps), FILL_PAGES);

	value = ~0u;
	rc = vm_run_report(vm, &value, why, sizeof(why));
	st2 = vm_stats(vm);
	check(rc == 0 && value == 0, "the guest reads every dword back from swap intact",
	      "%s %u dwords differ", why, value);
	check(st2.ram_faults - st1.ram_faults == FILL_PAGES,
	      "... each page faulted in once, on the guest's first access",
	      "faults +%llu, expected %u",
	      (unsigned long long)(st2.ram_faults - st1.ram_faults), FILL_PAGES);

	value = ~0u;
	rc = vm_run_report(vm, &value, why, sizeof(why));
	check(rc == 0 && value == 0 && vmm_mismatches(vm) == 0 &&
	      vm_stats(vm).ram_faults == st2.ram_faults,
	      "again: intact, no fault, and the VMM reads the same",
	      "%s %u dwords differ for the guest, %u for the VMM", why, value,
	      vmm_mismatches(vm));
}

int main(void)
{
	int dev = dev_open();
	struct vm vm;

	setvbuf(stdout, NULL, _IOLBF, 0);
	if (!swap_devices()) {
		check(0, "swap is on", "/proc/swaps lists none (27-reclaim.sh sets up zram)");
		return vmtest_finish(dev, "guest-reclaim");
	}
	if (vm_setup(&vm, fill_check_code, sizeof(fill_check_code), SEED)) {
		check(0, "VM set up", "%s", strerror(errno));
		return vmtest_finish(dev, "guest-reclaim");
	}
	test_reclaim(&vm);
	vm_teardown(&vm);
	return vmtest_finish(dev, "guest-reclaim");
}
