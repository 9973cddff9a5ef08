/* SPDX-License-Identifier: MIT */
#include <stdint.h>

#include "../shutdown.h"
#include "percpu.h"

#define PV_CPU_MAGIC    0x75706370u     /* "pcpu" */

struct pv_cpu {
	uint32_t magic;
	uint32_t id;
};

extern uint8_t boot_stack[], boot_stack_top[];          /* entry32.S */

static uint8_t ap_stacks[PV_MAX_CPUS - 1][PV_STACK_SIZE]
	__attribute__((aligned(PV_STACK_SIZE)));
static unsigned int cpus_started;

static struct pv_cpu *cpu_at_base(void *stack)
{
	return (struct pv_cpu *)stack;
}

void pv_cpu_init_boot(void)
{
	if ((uintptr_t)boot_stack % PV_STACK_SIZE ||
	    boot_stack_top - boot_stack != PV_STACK_SIZE)
		guest_fail("pv percpu: the boot stack at %p is not %u bytes aligned to its size",
			   (void *)boot_stack, PV_STACK_SIZE);
	*cpu_at_base(boot_stack) = (struct pv_cpu){ PV_CPU_MAGIC, 0 };
	cpus_started = 1;
}

void *pv_cpu_stack(unsigned int id)
{
	uint8_t *stack;

	if (id == 0 || id >= PV_MAX_CPUS)
		guest_fail("pv percpu: no stack for CPU %u (1 .. %u)", id, PV_MAX_CPUS - 1);
	stack = ap_stacks[id - 1];
	*cpu_at_base(stack) = (struct pv_cpu){ PV_CPU_MAGIC, id };
	__atomic_add_fetch(&cpus_started, 1, __ATOMIC_RELAXED);
	return stack + PV_STACK_SIZE;
}

unsigned int pv_cpus_started(void)
{
	return __atomic_load_n(&cpus_started, __ATOMIC_RELAXED);
}

unsigned int pv_cpu_id(void)
{
	volatile uint8_t here;
	uintptr_t base = (uintptr_t)&here & ~(uintptr_t)(PV_STACK_SIZE - 1);
	const struct pv_cpu *cpu = cpu_at_base((void *)base);

	if (cpu->magic != PV_CPU_MAGIC)
		guest_fail("pv percpu: stack at 0x%lx is no CPU's", (unsigned long)base);
	return cpu->id;
}
