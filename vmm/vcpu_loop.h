/* The vCPU run loop: HVK_RUN until the guest is done, mapped to an outcome. */
#ifndef HVK_VMM_VCPU_LOOP_H
#define HVK_VMM_VCPU_LOOP_H

#include <signal.h>
#include <stdbool.h>

#include "ports.h"
#include "vm.h"
#include "xen_console.h"

/* The VMM's devices a vCPU's exits may reach. */
struct vcpu_devices {
	const struct port_table *ports;   /* HVK_EXIT_IO */
	struct xen_console *console;      /* HVK_EXIT_XEN_EVTCHN; may be inactive */
};

/* How a vCPU's run ended: an HVK_EXIT_CODE_* and a one-line reason. */
struct vcpu_outcome {
	int code;
	bool stopped;           /* asked to stop by the VMM: code is meaningless */
	bool quiet_ok;          /* a normal outcome (no message unless verbose) */
	char reason[256];
};

/*
 * Runs the vCPU until the guest ends it or *stop becomes non-zero (the VMM
 * sets it, plus the run page's immediate_exit, then interrupts the thread).
 * Port I/O exits go to the devices of dev->ports, any other port ends the
 * run; an event on the console's port goes to dev->console, on any other
 * port it ends the run too.
 */
void vcpu_loop_run(struct vcpu *vcpu, const struct vcpu_devices *dev,
		   volatile sig_atomic_t *stop, struct vcpu_outcome *out);

#endif /* HVK_VMM_VCPU_LOOP_H */
