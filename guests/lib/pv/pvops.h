/* SPDX-License-Identifier: MIT */
/*
 * pv_ops: the guest's sensitive operations behind one table, filled at boot
 * from the platform CPUID names (platform.h) -- the native instructions, or
 * hvk's hypercalls -- and then patched into the call sites (patch.h).
 * docs/pvops.md lists every op with both implementations.
 *
 * Calling convention of the table's functions (PV_FN), for every op but
 * cpuid: up to three word-sized arguments in PV_ARG1..3's registers, the
 * result in AX, and every other register kept by the callee (GCC's
 * no_caller_saved_registers), so a call site loses only AX and the flags,
 * as a cli or a pushf;pop in its place would.  64-bit: RDI RSI RDX (the
 * SysV registers); 32-bit: EAX EDX ECX (regparm(3)).  cpuid keeps the
 * instruction's own registers: EAX, ECX in; EAX, EBX, ECX, EDX out.
 *
 * The op numbers are the table's slots (struct pv_ops, in this order) and
 * the `op` byte of a site record; this part is included from assembly.
 */
#ifndef GUEST_PV_PVOPS_H
#define GUEST_PV_PVOPS_H

#define PV_OP_IRQ_DISABLE       0
#define PV_OP_IRQ_ENABLE        1
#define PV_OP_SAVE_FL           2
#define PV_OP_RESTORE_FL        3
#define PV_OP_HALT              4
#define PV_OP_CPUID             5
#define PV_OP_READ_CR0          6
#define PV_OP_WRITE_CR0         7
#define PV_OP_READ_CR2          8
#define PV_OP_READ_CR3          9
#define PV_OP_WRITE_CR3         10
#define PV_OP_READ_CR4          11
#define PV_OP_WRITE_CR4         12
#define PV_OP_SET_PTE           13
#define PV_OP_FLUSH_TLB         14
#define PV_OP_INVLPG            15
#define PV_OP_LAZY_MMU_BEGIN    16
#define PV_OP_LAZY_MMU_END      17
#define PV_OP_INB               18
#define PV_OP_OUTB              19
#define PV_OP_OUTL              20
#define PV_OP_CONSOLE_WRITE     21
#define PV_OP_SHUTDOWN          22
#define PV_OP_VCPU_UP           23
#define PV_NR_OPS               24

/* Registers a site lets its op change (struct pv_site.clobbers). */
#define PV_CLOBBER_AX           (1 << 0)
#define PV_CLOBBER_BX           (1 << 1)
#define PV_CLOBBER_CX           (1 << 2)
#define PV_CLOBBER_DX           (1 << 3)

#ifndef __ASSEMBLER__
#include <stdint.h>

#include "../smp.h"

#ifdef __x86_64__
#define PV_FN   __attribute__((no_caller_saved_registers))
#define PV_ARG1 "D"
#define PV_ARG2 "S"
#define PV_ARG3 "d"
#else
/* regparm also makes a forgotten PV_FN a type error in the 32-bit build. */
#define PV_FN   __attribute__((no_caller_saved_registers, regparm(3)))
#define PV_ARG1 "a"
#define PV_ARG2 "d"
#define PV_ARG3 "c"
#endif

/* A page-table entry of the library's paging mode: 8 bytes (4-level), 4 (32-bit). */
typedef unsigned long pte_t;

/* What a new vCPU runs: fn(id, arg) on stack_top (see pv_start_vcpu). */
struct pv_vcpu_start {
	smp_ap_fn fn;
	unsigned long arg;
	void *stack_top;
};

struct pv_ops {
	void (PV_FN *irq_disable)(void);
	void (PV_FN *irq_enable)(void);
	unsigned long (PV_FN *save_fl)(void);
	void (PV_FN *restore_fl)(unsigned long flags);
	void (PV_FN *halt)(void);
	void (*cpuid)(void);            /* the instruction's registers, see above */
	unsigned long (PV_FN *read_cr0)(void);
	void (PV_FN *write_cr0)(unsigned long v);
	unsigned long (PV_FN *read_cr2)(void);
	unsigned long (PV_FN *read_cr3)(void);
	void (PV_FN *write_cr3)(unsigned long v);
	unsigned long (PV_FN *read_cr4)(void);
	void (PV_FN *write_cr4)(unsigned long v);
	void (PV_FN *set_pte)(pte_t *ptep, pte_t val);
	void (PV_FN *flush_tlb)(void);
	void (PV_FN *invlpg)(unsigned long va);
	void (PV_FN *lazy_mmu_begin)(void);
	void (PV_FN *lazy_mmu_end)(void);
	unsigned long (PV_FN *inb)(unsigned long port);
	void (PV_FN *outb)(unsigned long port, unsigned long v);
	void (PV_FN *outl)(unsigned long port, unsigned long v);
	void (PV_FN *console_write)(const char *buf, unsigned long len);
	void (PV_FN *shutdown)(unsigned long reason);           /* no return */
	long (PV_FN *vcpu_up)(unsigned long id, const struct pv_vcpu_start *start);
};

extern struct pv_ops pv_ops;                    /* the one in use */
extern const struct pv_ops pv_native_ops;       /* native.c */
extern const struct pv_ops pv_hvk_ops;          /* hvk.c */
/* hvk.c: vcpu_up by INIT-SIPI-SIPI instead of VCPUOP (ap=sipi). */
PV_FN long hvk_vcpu_up_sipi(unsigned long id, const struct pv_vcpu_start *s);

/*
 * Fills pv_ops for the platform (native or hvk; Xen fails the guest) and
 * makes the boot stack CPU 0's (percpu.h).  Sites stay unpatched, calling
 * through their trampolines, until pv_patch_sites() (patch.h).
 */
void pvops_init(void);
const char *pvops_platform(void);       /* the table's: "native", "hvk" */
const char *pv_op_name(unsigned int op);
/* The table's function for op (slot op of struct pv_ops). */
void *pv_op_function(const struct pv_ops *table, unsigned int op);

/*
 * Starts vCPU id (1 .. PV_MAX_CPUS-1) in fn(id, arg), on a stack of its own
 * that makes it CPU id for percpu.h, through pv_ops.vcpu_up.  0 or a
 * negative Xen errno.  fn must not return.
 */
long pv_start_vcpu(unsigned int id, smp_ap_fn fn, unsigned long arg);

/* printf through pv_ops.console_write; a line longer than 255 bytes is cut. */
int pv_printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#include "calls.h"
#endif /* __ASSEMBLER__ */

#endif /* GUEST_PV_PVOPS_H */
