/* Running a VM: a thread per vCPU, signals, timeout, and the final outcome. */
#ifndef HVK_VMM_VM_RUN_H
#define HVK_VMM_VM_RUN_H

#include <stdbool.h>

#include "vm.h"

/*
 * Runs every vCPU of @vm on its own thread until the guest ends, one vCPU
 * fails, the timeout (seconds, 0 = none) expires or SIGINT/SIGTERM/SIGHUP
 * arrives; stops the others and returns the HVK_EXIT_CODE_*.  The reason
 * goes to stderr (normal outcomes only without @quiet).
 */
int vm_run(struct vm *vm, unsigned int timeout_s, bool quiet);

#endif /* HVK_VMM_VM_RUN_H */
