// SPDX-License-Identifier: GPL-2.0
/*
 * VT-x probe: is VMX present, enabled by the firmware, unused by another
 * hypervisor, and able to do what hvk needs?  Chooses the VM-execution,
 * VM-exit and VM-entry controls from the capability MSRs (SDM Appendix A)
 * and names the first missing one when it refuses.
 */
#include <asm/msr.h>
#include <asm/processor.h>
#include <asm/tlbflush.h>
#include <asm/tsc.h>
#include <asm/virtext.h>

#include "../vendor.h"
#include "vmx.h"

struct vmx_config vmx_cfg;
u32 vmx_features;

enum vmx_ctl_kind {
	CTL_REQUIRED,           /* refuse to load without it */
	CTL_OPTIONAL,           /* used when the CPU allows it */
	CTL_ZERO,               /* refuse if the CPU forces it on */
	CTL_DYNAMIC,            /* must be allowed; hvk sets it when needed */
};

struct vmx_ctl {
	u32 bit;
	enum vmx_ctl_kind kind;
	const char *name;
};

static const struct vmx_ctl pin_ctls[] = {
	{ PIN_BASED_EXT_INTR_MASK, CTL_REQUIRED, "external-interrupt exiting" },
	/* Otherwise host NMIs in guest mode go through the guest's IDT. */
	{ PIN_BASED_NMI_EXITING, CTL_REQUIRED, "NMI exiting" },
	{ PIN_BASED_VMX_PREEMPTION_TIMER, CTL_OPTIONAL, "activate VMX-preemption timer" },
	/* The CPU tracks blocking by NMI; hvk injects NMIs (vmx_events.c). */
	{ PIN_BASED_VIRTUAL_NMIS, CTL_REQUIRED, "virtual NMIs" },
	{ }
};

/* CR3-load/-store exiting are not listed: forced on, they are handled. */
static const struct vmx_ctl proc_ctls[] = {
	{ CPU_BASED_HLT_EXITING, CTL_REQUIRED, "HLT exiting" },
	{ CPU_BASED_USE_TSC_OFFSETTING, CTL_REQUIRED, "use TSC offsetting" },
	/* Without a TPR shadow, MOV CR8 would write the host's TPR. */
	{ CPU_BASED_CR8_LOAD_EXITING, CTL_REQUIRED, "CR8-load exiting" },
	{ CPU_BASED_CR8_STORE_EXITING, CTL_REQUIRED, "CR8-store exiting" },
	{ CPU_BASED_UNCOND_IO_EXITING, CTL_REQUIRED, "unconditional I/O exiting" },
	{ CPU_BASED_RDPMC_EXITING, CTL_REQUIRED, "RDPMC exiting" },
	{ CPU_BASED_MWAIT_EXITING, CTL_REQUIRED, "MWAIT exiting" },
	{ CPU_BASED_MONITOR_EXITING, CTL_REQUIRED, "MONITOR exiting" },
	{ CPU_BASED_INTR_WINDOW_EXITING, CTL_DYNAMIC, "interrupt-window exiting" },
	{ CPU_BASED_NMI_WINDOW_EXITING, CTL_DYNAMIC, "NMI-window exiting" },
	{ CPU_BASED_ACTIVATE_SECONDARY_CONTROLS, CTL_REQUIRED,
	  "activate secondary controls" },
	/* No bitmaps: every port and MSR access exits. */
	{ CPU_BASED_USE_IO_BITMAPS, CTL_ZERO, "use I/O bitmaps" },
	{ CPU_BASED_USE_MSR_BITMAPS, CTL_ZERO, "use MSR bitmaps" },
	{ CPU_BASED_TPR_SHADOW, CTL_ZERO, "use TPR shadow" },
	/* On until the guest's DR0-DR3 are loaded (debugreg.h). */
	{ CPU_BASED_MOV_DR_EXITING, CTL_REQUIRED, "MOV-DR exiting" },
	{ }
};

static const struct vmx_ctl proc2_ctls[] = {
	{ SECONDARY_EXEC_ENABLE_EPT, CTL_REQUIRED, "enable EPT" },
	{ SECONDARY_EXEC_UNRESTRICTED_GUEST, CTL_REQUIRED, "unrestricted guest" },
	{ SECONDARY_EXEC_ENABLE_VPID, CTL_OPTIONAL, "enable VPID" },
	/* Off, INVPCID is #UD although CPUID may advertise it. */
	{ SECONDARY_EXEC_ENABLE_INVPCID, CTL_OPTIONAL, "enable INVPCID" },
	{ SECONDARY_EXEC_WBINVD_EXITING, CTL_OPTIONAL, "WBINVD exiting" },
	/* "enable RDTSCP" stays off: RDTSCP (and RDPID) are #UD, as on SVM. */
	{ }
};

static const struct vmx_ctl exit_ctls[] = {
	{ VM_EXIT_HOST_ADDR_SPACE_SIZE, CTL_REQUIRED, "host address-space size" },
	{ VM_EXIT_SAVE_DEBUG_CONTROLS, CTL_REQUIRED, "save debug controls" },
	{ VM_EXIT_LOAD_IA32_EFER, CTL_REQUIRED, "load IA32_EFER" },
	{ VM_EXIT_LOAD_IA32_PAT, CTL_REQUIRED, "load IA32_PAT" },
	/* The host takes its interrupts itself after the exit. */
	{ VM_EXIT_ACK_INTR_ON_EXIT, CTL_ZERO, "acknowledge interrupt on exit" },
	{ }
};

static const struct vmx_ctl entry_ctls[] = {
	{ VM_ENTRY_LOAD_DEBUG_CONTROLS, CTL_REQUIRED, "load debug controls" },
	{ VM_ENTRY_IA32E_MODE, CTL_REQUIRED, "IA-32e mode guest" },
	{ VM_ENTRY_LOAD_IA32_EFER, CTL_REQUIRED, "load IA32_EFER" },
	{ VM_ENTRY_LOAD_IA32_PAT, CTL_REQUIRED, "load IA32_PAT" },
	{ VM_ENTRY_SMM, CTL_ZERO, "entry to SMM" },
	{ VM_ENTRY_DEACT_DUAL_MONITOR, CTL_ZERO, "deactivate dual-monitor treatment" },
	{ }
};

/*
 * The low half of a capability MSR holds the allowed 0-settings (a 1 there
 * = must be 1), the high half the allowed 1-settings (SDM A.3).
 */
static int vmx_adjust(const char *what, u32 msr, const struct vmx_ctl *ctls,
		      u32 *result)
{
	const struct vmx_ctl *c;
	u32 must1, may1;
	u64 cap;

	if (rdmsrl_safe(msr, &cap)) {
		pr_err("hvk: VT-x: cannot read capability MSR %#x\n", msr);
		return -EIO;
	}
	must1 = cap;
	may1 = cap >> 32;
	*result = must1;
	for (c = ctls; c->name; c++) {
		if (c->kind == CTL_ZERO && (must1 & c->bit)) {
			pr_err("hvk: VT-x forces the %s control on (%s controls); hvk needs it off\n",
			       c->name, what);
			return -ENODEV;
		}
		if ((c->kind == CTL_REQUIRED || c->kind == CTL_DYNAMIC) &&
		    !(may1 & c->bit)) {
			pr_err("hvk: VT-x lacks the %s control (%s controls), which hvk requires\n",
			       c->name, what);
			return -ENODEV;
		}
		if ((c->kind == CTL_REQUIRED || c->kind == CTL_OPTIONAL) &&
		    (may1 & c->bit))
			*result |= c->bit;
	}
	return 0;
}

static int vmx_check_enabled(void)
{
	u64 feat;

	if (!cpu_has_vmx()) {
		pr_err("hvk: this CPU has no VT-x (CPUID.1:ECX.VMX is clear)\n");
		return -ENODEV;
	}
	/* Linux locks the MSR at boot (feat_ctl.c) and KVM relies on that too. */
	if (rdmsrl_safe(MSR_IA32_FEAT_CTL, &feat) || !(feat & FEAT_CTL_LOCKED)) {
		pr_err("hvk: IA32_FEATURE_CONTROL is unreadable or unlocked; the kernel "
		       "should have locked it at boot, hvk does not write it\n");
		return -ENODEV;
	}
	if (!(feat & FEAT_CTL_VMX_ENABLED_OUTSIDE_SMX)) {
		pr_err("hvk: VT-x disabled by the firmware (IA32_FEATURE_CONTROL locked "
		       "with VMX off)\n");
		return -EPERM;
	}
	if (cr4_read_shadow() & X86_CR4_VMXE) {
		pr_err("hvk: VT-x already in use by another hypervisor (CR4.VMXE set; "
		       "unload kvm_intel)\n");
		return -EBUSY;
	}
	return 0;
}

/* IA32_VMX_BASIC (SDM A.1): region size, memory type, TRUE_* MSRs. */
static int vmx_check_basic(bool *true_ctls)
{
	u64 basic;

	rdmsrl(MSR_IA32_VMX_BASIC, basic);
	if (vmx_basic_vmcs_size(basic) > PAGE_SIZE || (basic & VMX_BASIC_64) ||
	    ((basic & VMX_BASIC_MEM_TYPE_MASK) >> VMX_BASIC_MEM_TYPE_SHIFT) !=
	    VMX_BASIC_MEM_TYPE_WB) {
		pr_err("hvk: VT-x VMCS regions are unusable here (IA32_VMX_BASIC %#llx: "
		       "need <= 4 KiB, 64-bit addresses, write-back)\n", basic);
		return -ENODEV;
	}
	vmx_cfg.revision_id = vmx_basic_vmcs_revision_id(basic);
	*true_ctls = basic & VMX_BASIC_TRUE_CTLS;
	return 0;
}

static int vmx_choose_controls(bool true_ctls)
{
	int err;

	err = vmx_adjust("pin-based", true_ctls ? MSR_IA32_VMX_TRUE_PINBASED_CTLS :
			 MSR_IA32_VMX_PINBASED_CTLS, pin_ctls, &vmx_cfg.pin);
	err = err ?: vmx_adjust("primary processor-based",
				true_ctls ? MSR_IA32_VMX_TRUE_PROCBASED_CTLS :
				MSR_IA32_VMX_PROCBASED_CTLS, proc_ctls, &vmx_cfg.proc);
	err = err ?: vmx_adjust("secondary processor-based",
				MSR_IA32_VMX_PROCBASED_CTLS2, proc2_ctls, &vmx_cfg.proc2);
	err = err ?: vmx_adjust("VM-exit", true_ctls ? MSR_IA32_VMX_TRUE_EXIT_CTLS :
				MSR_IA32_VMX_EXIT_CTLS, exit_ctls, &vmx_cfg.exit);
	err = err ?: vmx_adjust("VM-entry", true_ctls ? MSR_IA32_VMX_TRUE_ENTRY_CTLS :
				MSR_IA32_VMX_ENTRY_CTLS, entry_ctls, &vmx_cfg.entry);
	/* Set per vCPU while EFER.LMA is (SDM 24.8.1). */
	vmx_cfg.entry &= ~VM_ENTRY_IA32E_MODE;
	return err;
}

/* IA32_VMX_EPT_VPID_CAP (SDM A.10): what hvk's EPT and VPID use needs. */
static int vmx_check_ept_vpid(void)
{
	u64 cap;

	rdmsrl(MSR_IA32_VMX_EPT_VPID_CAP, cap);
	if (!(cap & VMX_EPT_PAGE_WALK_4_BIT) || !(cap & VMX_EPTP_WB_BIT) ||
	    !(cap & VMX_EPT_INVEPT_BIT) ||
	    !(cap & (VMX_EPT_EXTENT_CONTEXT_BIT | VMX_EPT_EXTENT_GLOBAL_BIT))) {
		pr_err("hvk: VT-x EPT lacks %s\n",
		       !(cap & VMX_EPT_PAGE_WALK_4_BIT) ? "4-level page walks" :
		       !(cap & VMX_EPTP_WB_BIT) ? "the write-back memory type" :
		       !(cap & VMX_EPT_INVEPT_BIT) ? "INVEPT" :
		       "single-context or all-context INVEPT");
		return -ENODEV;
	}
	vmx_cfg.ept_2m = cap & VMX_EPT_2MB_PAGE_BIT;
	vmx_cfg.invept_type = (cap & VMX_EPT_EXTENT_CONTEXT_BIT) ?
			      VMX_EPT_EXTENT_CONTEXT : VMX_EPT_EXTENT_GLOBAL;
	cap >>= 32;
	if ((cap & VMX_VPID_INVVPID_BIT) && (cap & VMX_VPID_EXTENT_SINGLE_CONTEXT_BIT))
		vmx_cfg.invvpid_type = VMX_VPID_EXTENT_SINGLE_CONTEXT;
	else if ((cap & VMX_VPID_INVVPID_BIT) && (cap & VMX_VPID_EXTENT_GLOBAL_CONTEXT_BIT))
		vmx_cfg.invvpid_type = VMX_VPID_EXTENT_ALL_CONTEXT;
	else
		vmx_cfg.proc2 &= ~SECONDARY_EXEC_ENABLE_VPID;   /* no way to flush */
	if (!(vmx_cfg.proc2 & SECONDARY_EXEC_ENABLE_VPID))
		vmx_cfg.invvpid_type = 0;
	return 0;
}

/*
 * The VMX-preemption timer counts down at the TSC rate >> IA32_VMX_MISC[4:0]
 * (SDM 25.5.1): the value for one slice of VMX_SLICE_US.
 */
static void vmx_choose_preemption_timer(void)
{
	u64 misc, ticks;

	vmx_cfg.preemption_timer = 0;
	if (!(vmx_cfg.pin & PIN_BASED_VMX_PREEMPTION_TIMER))
		return;
	rdmsrl(MSR_IA32_VMX_MISC, misc);
	ticks = ((u64)(tsc_khz ?: 1000000) * VMX_SLICE_US / 1000) >>
		vmx_misc_preemption_timer_rate(misc);
	vmx_cfg.preemption_timer = clamp_t(u64, ticks, 1, U32_MAX);
}

static void vmx_read_fixed(void)
{
	rdmsrl(MSR_IA32_VMX_CR0_FIXED0, vmx_cfg.cr0_fixed0);
	rdmsrl(MSR_IA32_VMX_CR0_FIXED1, vmx_cfg.cr0_fixed1);
	rdmsrl(MSR_IA32_VMX_CR4_FIXED0, vmx_cfg.cr4_fixed0);
	rdmsrl(MSR_IA32_VMX_CR4_FIXED1, vmx_cfg.cr4_fixed1);
}

int vmx_probe(u32 *hw_features)
{
	bool true_ctls;
	int err;

	err = vmx_check_enabled();
	err = err ?: vmx_check_basic(&true_ctls);
	err = err ?: vmx_choose_controls(true_ctls);
	err = err ?: vmx_check_ept_vpid();
	if (err)
		return err;
	vmx_read_fixed();
	vmx_choose_preemption_timer();
	vmx_features = HVK_HW_NESTED_PAGING | HVK_HW_UNRESTRICTED |
		       (vmx_cfg.ept_2m ? HVK_HW_GPT_2M : 0);
	if (vmx_cfg.invvpid_type)
		vmx_features |= HVK_HW_TAGGED_TLB;
	*hw_features = vmx_features;
	pr_info("hvk: VT-x with EPT (%s INVEPT), unrestricted guest, %s, %s\n",
		vmx_cfg.invept_type == VMX_EPT_EXTENT_CONTEXT ? "single-context" :
		"all-context", vmx_cfg.invvpid_type ? "VPIDs" : "no VPIDs",
		vmx_cfg.preemption_timer ? "preemption timer" : "no preemption timer");
	return 0;
}
