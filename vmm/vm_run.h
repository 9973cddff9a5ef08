/* Running a VM: a thread per vCPU, signals, timeout, and the final outcome. */
#ifndef HVK_VMM_VM_RUN_H
#define HVK_VMM_VM_RUN_H

#include <stdbool.h>

#include "vm.h"

/* --timeout's longest: a day. */
#define HVK_RUN_TIMEOUT_MAX_MS  (86400u * 1000u)

/*
 * Runs every vCPU of @vm on its own thread until the guest ends, one vCPU
 * fails, the timeout (milliseconds, 0 = none) expires, SIGINT/SIGTERM/SIGHUP
 * arrives or the user quits at the PV console (Ctrl-a x); stops the others,
 * prints what the console ring still holds, and returns the
 * HVK_EXIT_CODE_*.  With a PV console, stdin feeds it for the run's
 * length (a terminal in raw mode, restored before this returns).  The
 * reason goes to stderr (normal outcomes only without @quiet).
 */
int vm_run(struct vm *vm, unsigned int timeout_ms, bool quiet);

#endif /* HVK_VMM_VM_RUN_H */
