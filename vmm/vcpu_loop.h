/* The vCPU run loop: HVK_RUN until the guest is done, mapped to an exit code. */
#ifndef HVK_VMM_VCPU_LOOP_H
#define HVK_VMM_VCPU_LOOP_H

#include <signal.h>
#include <stdbool.h>

#include "vm.h"

/* Set by the signal handlers of cmd_run.c; the loop turns them into codes. */
struct vcpu_loop_stop {
	volatile sig_atomic_t timed_out;
	volatile sig_atomic_t signal;   /* the terminating signal, or 0 */
};

/* Runs until the guest ends; returns an HVK_EXIT_CODE_*; reasons on stderr. */
int vcpu_loop_run(struct vcpu *vcpu, const struct vcpu_loop_stop *stop,
		  bool quiet, unsigned int timeout_s);

#endif /* HVK_VMM_VCPU_LOOP_H */
