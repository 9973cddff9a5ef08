/*
 * vmtest: what the programs here that drive /dev/hvk directly share — TAP
 * style checks, opening the device, and a one-vCPU VM running hand-assembled
 * 32-bit flat code.  Built into each program (64- and 32-bit alike).
 */
#ifndef HVK_TESTS_PROGS_VMTEST_H
#define HVK_TESTS_PROGS_VMTEST_H

#include <stddef.h>
#include <stdint.h>

#include <abi/hvk.h>
#include <abi/xen/hvm_op.h>

#define RAM_SIZE      (2u << 20)
#define GUEST_CODE    0x1000u
#define GUEST_DATA    0x2000u

extern int nr_test, nr_failed;
extern const char *bits;                /* "64" or "32" */

/* "ok N - [64-bit] what" or "not ok N - ...: detail". */
void check(int cond, const char *what, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* ioctl() must fail with exactly `want` (an errno). */
void check_errno(int fd, unsigned long req, void *arg, int want, const char *what);

/*
 * The end of a program: checks that no VM, pinned or allocated page is
 * left, closes @dev, prints "<name><bits>: N passed, M failed" and returns
 * the exit status (0 only if every check passed).
 */
int vmtest_finish(int dev, const char *name);
/* /dev/hvk, or "Bail out!" and exit 2. */
int dev_open(void);
/* HVK_GET_CAPS, all ones on failure. */
struct hvk_caps get_caps(int dev);

struct vm {
	int dev, fd, vcpu;
	uint8_t *ram;
	struct hvk_run *run;
};

/* 32-bit flat protected mode at GUEST_CODE. */
void flat32_context(struct xen_vcpu_hvm_context *ctx);
/*
 * A VM (HVK_CREATE_VM flags `vm_flags`) with RAM_SIZE of RAM, `code` at
 * GUEST_CODE, `reason` at GUEST_DATA and one vCPU ready: 0, or -1 (errno).
 */
int vm_setup_flags(struct vm *vm, const uint8_t *code, size_t len, uint32_t reason,
		   uint32_t vm_flags);
/* The same with HVK_MEM_* flags for its RAM (HVK_MEM_PINNED). */
int vm_setup_mem(struct vm *vm, const uint8_t *code, size_t len, uint32_t reason,
		 uint32_t vm_flags, uint32_t mem_flags);
int vm_setup(struct vm *vm, const uint8_t *code, size_t len, uint32_t reason);
void vm_teardown(struct vm *vm);

/* The port a test guest reports on with a 4-byte OUT. */
#define REPORT_PORT   0x500u

/* HVK_VM_GET_STATS, all ones on failure. */
struct hvk_stats vm_stats(struct vm *vm);
/*
 * One HVK_RUN that should end at the guest's report (an OUT to
 * REPORT_PORT): 0 and the value, or -1 and why in @why.
 */
int vm_run_report(struct vm *vm, uint32_t *value, char *why, size_t len);

#endif /* HVK_TESTS_PROGS_VMTEST_H */
