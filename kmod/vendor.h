/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The vendor backend contract.  kmod/svm/ and kmod/vmx/ each export one const
 * struct hvk_vendor_ops, probed once at module load (as NVMM's nvmm_impl).
 * Generic code reaches the hardware only through this table; a backend never
 * calls into another backend, and generic code includes no vendor header.
 *
 * Return convention of the exit path (as KVM): 1 = resume the guest,
 * 0 = return to the VMM with vcpu->run filled, < 0 = -errno from HVK_RUN.
 */
#ifndef HVK_KMOD_VENDOR_H
#define HVK_KMOD_VENDOR_H

#include <linux/static_call.h>
#include <linux/types.h>
#include <abi/hvk.h>

struct hvk_vm;
struct hvk_vcpu;
struct hvk_gpt_format;

/* What the generic page walker needs to know about the guest's paging. */
struct hvk_paging_state {
	u64 cr0, cr3, cr4, efer;
};

struct hvk_vendor_ops {
	const char *name;                 /* "svm", "vmx" */
	u32 vendor;                       /* HVK_VENDOR_* */
	size_t vm_size;                   /* vendor VM struct embedding hvk_vm */
	size_t vcpu_size;                 /* vendor vCPU struct embedding hvk_vcpu */
	const struct hvk_gpt_format *gpt_format;

	/* Module load/unload.  probe() pr_err()s the exact cause of a refusal. */
	int (*probe)(u32 *hw_features);
	int (*hardware_setup)(void);
	void (*hardware_unsetup)(void);
	int (*cpu_enable)(unsigned int cpu);   /* cpuhp online, preemption off */
	void (*cpu_disable)(unsigned int cpu); /* cpuhp offline */

	int (*vm_init)(struct hvk_vm *vm);
	void (*vm_destroy)(struct hvk_vm *vm);
	int (*vcpu_init)(struct hvk_vcpu *vcpu);
	void (*vcpu_destroy)(struct hvk_vcpu *vcpu);

	/* Called with preemption off when the vCPU thread gets/loses a CPU. */
	void (*vcpu_load)(struct hvk_vcpu *vcpu, int cpu);
	void (*vcpu_put)(struct hvk_vcpu *vcpu);

	/*
	 * Enter the guest once and handle the exit.  Preemptible; the backend
	 * disables interrupts around the world switch itself.  Host interrupts
	 * end the quantum (they exit and are taken on the way back).
	 */
	int (*vcpu_run)(struct hvk_vcpu *vcpu);

	/* Architectural state: the full set and the pieces hot paths need. */
	void (*get_regs)(struct hvk_vcpu *vcpu, struct hvk_regs *regs);
	void (*set_regs)(struct hvk_vcpu *vcpu, const struct hvk_regs *regs);
	bool (*in_long_mode)(struct hvk_vcpu *vcpu);  /* EFER.LMA && CS.L */
	void (*get_paging)(struct hvk_vcpu *vcpu, struct hvk_paging_state *ps);

	/* MSRs the backend keeps in its own state; -ENOENT = not ours. */
	int (*get_msr)(struct hvk_vcpu *vcpu, u32 index, u64 *value);
	int (*set_msr)(struct hvk_vcpu *vcpu, u32 index, u64 value);

	/* Event injection: exceptions from emulation, and irq/inject.c's. */
	void (*queue_exception)(struct hvk_vcpu *vcpu, u8 vector,
				bool has_error, u32 error_code);
	/*
	 * May the guest take an external interrupt / NMI at the next entry:
	 * no event already queued for it, no interrupt shadow, IF = 1 / NMIs
	 * not blocked.  If not, the window request asks for an exit as soon
	 * as it may (the backend clears the request on that exit, or on any
	 * exit: it is made again before each entry while still needed).
	 */
	bool (*interrupt_allowed)(struct hvk_vcpu *vcpu);
	bool (*nmi_allowed)(struct hvk_vcpu *vcpu);
	void (*inject_interrupt)(struct hvk_vcpu *vcpu, u8 vector);
	void (*inject_nmi)(struct hvk_vcpu *vcpu);
	void (*request_interrupt_window)(struct hvk_vcpu *vcpu);
	void (*request_nmi_window)(struct hvk_vcpu *vcpu);
	/* Debug registers (debugreg.c): MOV DR exits while @on. */
	void (*set_dr_intercept)(struct hvk_vcpu *vcpu, bool on);
	/* Advance RIP past the intercepted instruction of known length. */
	void (*skip_instruction)(struct hvk_vcpu *vcpu, unsigned int len);
	/*
	 * The nested page tables changed: flush before the next entry.  May be
	 * called from another vCPU's thread (the caller then kicks the target).
	 */
	void (*flush_gpt)(struct hvk_vcpu *vcpu);
};

extern const struct hvk_vendor_ops *hvk_ops;
extern const struct hvk_vendor_ops hvk_svm_ops;
extern const struct hvk_vendor_ops hvk_vmx_ops;

/*
 * The ops on the path of every exit and entry are also static calls, set
 * once the backend is chosen (hvk_vendor_static_calls_set()), and called
 * as hvk_vendor_call(op)(args): a direct call where the table's pointer
 * costs a retpoline on hosts with Spectre v2 mitigations (KVM calls all of
 * kvm_x86_ops this way).  The rest are called through hvk_ops.
 */
#define HVK_VENDOR_STATIC_CALLS(OP)                                     \
	OP(vcpu_run) OP(in_long_mode) OP(get_paging)                    \
	OP(skip_instruction) OP(interrupt_allowed)                      \
	OP(inject_interrupt) OP(request_interrupt_window)

#define HVK_VENDOR_DECLARE_STATIC_CALL(op)                              \
	DECLARE_STATIC_CALL(hvk_vendor_##op, *(((struct hvk_vendor_ops *)0)->op));
HVK_VENDOR_STATIC_CALLS(HVK_VENDOR_DECLARE_STATIC_CALL)

#define hvk_vendor_call(op) static_call(hvk_vendor_##op)

void hvk_vendor_static_calls_set(const struct hvk_vendor_ops *ops);

#endif /* HVK_KMOD_VENDOR_H */
