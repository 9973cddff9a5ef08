/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Intel VT-x backend internals: private to kmod/vmx/.
 *
 * "SDM" section numbers in kmod/vmx/ follow the Intel SDM Vol. 3C layout
 * of 2016-2022 (chapter 24 VMCS, 25 non-root operation, 26 VM entries,
 * 27 VM exits, 28 EPT/VPID, 30 VMX instructions, Appendix A capabilities).
 */
#ifndef HVK_KMOD_VMX_VMX_H
#define HVK_KMOD_VMX_VMX_H

#include <linux/list.h>
#include <asm/processor-flags.h>
#include <asm/vmx.h>

#include "../vcpu.h"
#include "../vendor.h"
#include "../vm.h"

/* What the probe found and chose; constant once the module is loaded. */
struct vmx_config {
	u32 revision_id;                /* IA32_VMX_BASIC[30:0] */
	u32 pin, proc, proc2, exit, entry;      /* VM-execution/exit/entry controls */
	u64 cr0_fixed0, cr0_fixed1, cr4_fixed0, cr4_fixed1;
	unsigned long invept_type;      /* VMX_EPT_EXTENT_CONTEXT or _GLOBAL */
	unsigned long invvpid_type;     /* 0: no VPIDs */
	u32 preemption_timer;           /* value per entry; 0: not used */
	bool ept_2m;                    /* EPT PDEs may map 2 MiB pages */
};

/*
 * The longest uninterrupted stay in guest mode, enforced by the
 * VMX-preemption timer where the CPU has one.  On a real CPU a host
 * interrupt exits long before; the timer is a backstop for CPUs (and
 * emulators) where it does not: Bochs 2.7 recomputes interrupt masking on
 * VM entry before it counts the CPU as in guest mode (vmx.cc,
 * VMenterLoadCheckGuestState: handleCpuContextChange() before in_vmx_guest
 * = 1), so while the guest's IF is 0 no host interrupt ever exits and the
 * L1 hangs.  Costs one exit per slice of guest-only work: ~0.1 % at 1 ms.
 */
#define VMX_SLICE_US    1000

extern struct vmx_config vmx_cfg;
extern u32 vmx_features;        /* HVK_HW_* */

/*
 * CR0/CR4 bits VMX operation fixes to 1 in guest mode; "unrestricted
 * guest" frees PE and PG (SDM 26.3.1.1, A.7, A.8).  The guest sees its own
 * values through the read shadows.
 */
static inline unsigned long vmx_cr0_fixed_on(void)
{
	return vmx_cfg.cr0_fixed0 & ~(X86_CR0_PE | X86_CR0_PG);
}

static inline unsigned long vmx_cr4_fixed_on(void)
{
	return vmx_cfg.cr4_fixed0;
}

/*
 * CR0 bits whose guest writes exit: PE and PG switch modes (EFER.LMA, the
 * PDPTEs) and the fixed ones (NE) must stay set in hardware.  The guest
 * owns the rest (TS, MP, EM, WP, AM, CD, NW): they cannot hurt the host,
 * whose CR0 a VM exit reloads.
 */
static inline unsigned long vmx_cr0_host_owned(void)
{
	return X86_CR0_PE | X86_CR0_PG | vmx_cr0_fixed_on();
}

/*
 * MSRs a VM exit does not switch (SDM 27.5.1 lists what it does load).
 * Every guest RDMSR/WRMSR exits, so their guest values are kept here, but
 * SYSCALL, SWAPGS and SYSRET use the hardware registers in guest mode: the
 * guest array is both the VM-entry MSR-load and the VM-exit MSR-store area
 * (a guest SWAPGS changes KERNEL_GS_BASE without an exit), the host array
 * the VM-exit MSR-load area (SDM 24.7.2, 24.8.2, 26.4, 27.4, 27.6).
 */
enum {
	VMX_MSR_STAR,
	VMX_MSR_LSTAR,
	VMX_MSR_CSTAR,
	VMX_MSR_SFMASK,
	VMX_MSR_KERNEL_GS_BASE,
	VMX_NR_SWITCHED_MSRS
};

struct vmx_msr_areas {
	struct vmx_msr_entry guest[VMX_NR_SWITCHED_MSRS];
	struct vmx_msr_entry host[VMX_NR_SWITCHED_MSRS];
};

/*
 * Host state a VM exit clobbers and does not reload from the VMCS (SDM
 * 27.5): the selectors (host fields must have RPL = TI = 0, user ones do
 * not), the LDT, DEBUGCTL.  Taken at vcpu_load, put back after each exit.
 */
struct vmx_host_state {
	u16 ds_sel, es_sel, fs_sel, gs_sel, ldt_sel;
	unsigned long fs_base;          /* the VMM thread's FS base */
	u64 debugctl;
	/* Last values written to the VMCS, to skip redundant VMWRITEs. */
	unsigned long cr3, cr4, rsp;
	/*
	 * An exit left the GDTR limit at 0xffff and the TR limit at 0x67:
	 * harmless in the kernel, put right before the thread leaves the CPU
	 * or returns to user mode (vmx_host_put), as KVM does.
	 */
	bool descriptors_stale;
};

struct vmx_vm {
	struct hvk_vm vm;               /* first: generic code allocates us */
	u64 tsc_offset;                 /* guest TSC = host TSC + offset */
};

struct vmx_vcpu {
	struct hvk_vcpu vcpu;           /* first: generic code allocates us */
	struct page *vmcs_page;
	void *vmcs;
	phys_addr_t vmcs_pa;
	struct page *msr_page;
	struct vmx_msr_areas *msrs;
	u64 eptp;
	u16 vpid;                       /* 0: VPIDs unused */

	/* Where the VMCS is active: -1 = nowhere (VMCLEARed). */
	int cpu;
	struct list_head loaded_link;   /* on vmx_cpu_data.loaded of ->cpu */
	bool launched;                  /* VMRESUME, not VMLAUNCH */
	bool vmcs_ready;                /* constant fields written */
	bool need_flush;                /* INVEPT/INVVPID before entry */

	/* Guest state VMX keeps in no VMCS field. */
	unsigned long cr2;
	unsigned long dr6;

	/*
	 * What GUEST_RSP/RIP/RFLAGS hold, as read at the last exit: an entry
	 * writes only what changed (a VMWRITE is an exit of its own when hvk
	 * itself runs nested).  Valid once vmcs_regs_known.
	 */
	unsigned long vmcs_rsp, vmcs_rip, vmcs_rflags;
	bool vmcs_regs_known;

	u32 exec_control;               /* CPU_BASED_VM_EXEC_CONTROL as written */

	/* Of the last entry. */
	int fail;                       /* VMX_ENTER_* of vmx_enter.h */
	u32 exit_reason;
	u32 exit_intr_info;

	struct vmx_host_state host;
};

/* Per CPU, set up by vmx_cpu_enable(). */
struct vmx_cpu_data {
	struct page *vmxon_page;
	void *current_vmcs;             /* last VMPTRLD, NULL after VMCLEAR */
	struct list_head loaded;        /* vmx_vcpus whose VMCS is active here */
};

static inline struct vmx_vcpu *to_vmx(struct hvk_vcpu *vcpu)
{
	return container_of(vcpu, struct vmx_vcpu, vcpu);
}

static inline struct vmx_vm *to_vmx_vm(struct hvk_vm *vm)
{
	return container_of(vm, struct vmx_vm, vm);
}

/* vmx_caps.c: capability checks and the controls hvk uses. */
int vmx_probe(u32 *hw_features);

/* vmx_vmcs.c: VMCS contents. */
void vmx_msr_areas_init(struct vmx_msr_areas *areas);
void vmx_vmcs_setup(struct vmx_vcpu *vmx);
void vmx_vmcs_set_host_cpu(struct vmx_vcpu *vmx, int cpu);
void vmx_host_save(struct vmx_vcpu *vmx);
void vmx_host_update_entry(struct vmx_vcpu *vmx);
void vmx_host_restore(struct vmx_vcpu *vmx);
void vmx_host_put(struct vmx_vcpu *vmx);

/* vmx_state.c: architectural state in the VMCS. */
void vmx_get_regs(struct hvk_vcpu *vcpu, struct hvk_regs *regs);
void vmx_set_regs(struct hvk_vcpu *vcpu, const struct hvk_regs *regs);
int vmx_get_cpl(struct hvk_vcpu *vcpu);
bool vmx_in_long_mode(struct hvk_vcpu *vcpu);
void vmx_get_paging(struct hvk_vcpu *vcpu, struct hvk_paging_state *ps);
int vmx_get_msr(struct hvk_vcpu *vcpu, u32 index, u64 *value);
int vmx_set_msr(struct hvk_vcpu *vcpu, u32 index, u64 value);
void vmx_queue_exception(struct hvk_vcpu *vcpu, u8 vector, bool has_error,
			 u32 error_code);
void vmx_skip_instruction(struct hvk_vcpu *vcpu, unsigned int len);
/* MOV to CR0/CR3/CR4 as the guest sees it; -EINVAL = #GP. */
int vmx_set_cr0(struct vmx_vcpu *vmx, unsigned long cr0);
int vmx_set_cr3(struct vmx_vcpu *vmx, unsigned long cr3);
int vmx_set_cr4(struct vmx_vcpu *vmx, unsigned long cr4);
unsigned long vmx_get_cr0(struct vmx_vcpu *vmx);

/* vmx_events.c: interrupt and NMI injection. */
bool vmx_interrupt_allowed(struct hvk_vcpu *vcpu);
bool vmx_nmi_allowed(struct hvk_vcpu *vcpu);
void vmx_inject_interrupt(struct hvk_vcpu *vcpu, u8 vector);
void vmx_inject_nmi(struct hvk_vcpu *vcpu);
void vmx_request_interrupt_window(struct hvk_vcpu *vcpu);
void vmx_request_nmi_window(struct hvk_vcpu *vcpu);
int vmx_exit_interrupt_window(struct vmx_vcpu *vmx);
/* A primary processor-based execution control on or off. */
void vmx_set_exec_control(struct vmx_vcpu *vmx, u32 bit, bool on);
int vmx_exit_nmi_window(struct vmx_vcpu *vmx);

/* vmx_exit.c */
int vmx_handle_exit(struct vmx_vcpu *vmx);

#endif /* HVK_KMOD_VMX_VMX_H */
