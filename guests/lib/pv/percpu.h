/* SPDX-License-Identifier: MIT */
/*
 * Which CPU am I, without a hypercall or an exit: every pv CPU runs on a
 * stack of PV_STACK_SIZE bytes aligned to its size, with a struct pv_cpu
 * at its base (as Linux's thread_info once was), so the stack pointer
 * rounded down finds it.  CPU 0 runs on the boot stack (entry32.S aligns
 * it so); the others on stacks pv_start_vcpu() hands out.
 */
#ifndef GUEST_PV_PERCPU_H
#define GUEST_PV_PERCPU_H

#define PV_MAX_CPUS             4
#define PV_STACK_SIZE           0x4000

/* CPU 0: the boot stack; fails the guest unless it is sized and aligned. */
void pv_cpu_init_boot(void);

/* A fresh stack for CPU id (1 .. PV_MAX_CPUS-1): its top. */
void *pv_cpu_stack(unsigned int id);

/* CPUs given a pv stack so far, CPU 0 included. */
unsigned int pv_cpus_started(void);

/* The calling CPU's id; fails the guest if its stack is not a pv stack. */
unsigned int pv_cpu_id(void);

#endif /* GUEST_PV_PERCPU_H */
