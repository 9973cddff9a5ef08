/* A vCPU's registers, printed when its run ends in a fault the VMM cannot fix. */
#ifndef HVK_VMM_VCPU_STATE_H
#define HVK_VMM_VCPU_STATE_H

#include <stdio.h>

#include "vm.h"

/*
 * Prints the vCPU's state (HVK_VCPU_GET_REGS) to f, every line prefixed
 * "hvk: ", what a developer needs to find where a guest died: a triple
 * fault leaves the registers as the CPU had them at the third fault.
 * Says so in one line when the registers cannot be read.
 */
void vcpu_state_print(const struct vcpu *vcpu, const char *why, FILE *f);

#endif /* HVK_VMM_VCPU_STATE_H */
