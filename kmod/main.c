// SPDX-License-Identifier: GPL-2.0
/*
 * hvk.ko: module load/unload, vendor selection and /dev/hvk.
 *
 * One module, one device node; the backend (kmod/svm/ or kmod/vmx/) is
 * chosen once at load from what the CPU offers, and a refusal names its
 * cause (no VT-x/AMD-V, disabled by firmware, owned by another hypervisor).
 */
#include <linux/cpuhotplug.h>
#include <linux/fs.h>
#include <linux/miscdevice.h>
#include <linux/module.h>
#include <linux/uaccess.h>
#include <asm/cpufeature.h>

#include "pages.h"
#include "ram.h"
#include "stats.h"
#include "trace.h"
#include "vendor.h"
#include "vm.h"

#define HVK_MODULE_MAJOR 0
#define HVK_MODULE_MINOR 1

const struct hvk_vendor_ops *hvk_ops;

#define HVK_VENDOR_DEFINE_STATIC_CALL(op)                               \
	DEFINE_STATIC_CALL_NULL(hvk_vendor_##op, *(((struct hvk_vendor_ops *)0)->op));
HVK_VENDOR_STATIC_CALLS(HVK_VENDOR_DEFINE_STATIC_CALL)

void hvk_vendor_static_calls_set(const struct hvk_vendor_ops *ops)
{
#define HVK_VENDOR_UPDATE_STATIC_CALL(op) static_call_update(hvk_vendor_##op, ops->op);
	HVK_VENDOR_STATIC_CALLS(HVK_VENDOR_UPDATE_STATIC_CALL)
#undef HVK_VENDOR_UPDATE_STATIC_CALL
}
static u32 hvk_hw_features;
static enum cpuhp_state hvk_cpuhp_state;

static long dev_get_version(void __user *argp)
{
	struct hvk_version v = {
		.api_version = HVK_API_VERSION,
		.module_major = HVK_MODULE_MAJOR,
		.module_minor = HVK_MODULE_MINOR,
	};

	return copy_to_user(argp, &v, sizeof(v)) ? -EFAULT : 0;
}

static long dev_get_caps(void __user *argp)
{
	struct hvk_caps caps = {
		.vendor = hvk_ops->vendor,
		.hw_features = hvk_hw_features,
		.features = HVK_CAP_VM | HVK_CAP_READONLY_MEM |
			    HVK_CAP_XEN_HYPERCALLS | HVK_CAP_SMP |
			    HVK_CAP_XEN_COMPAT | HVK_CAP_LAPIC | HVK_CAP_IO_POLICY |
			    HVK_CAP_XEN_EVTCHN | HVK_CAP_DEMAND_MEM,
		.max_vcpus = HVK_MAX_VCPUS,
		.max_mem_slots = HVK_MAX_MEM_SLOTS,
		.nr_vms = hvk_vm_count(),
		.pages_pinned = hvk_pages_pinned_count(),
		.pages_allocated = hvk_pages_allocated_count(),
	};

	return copy_to_user(argp, &caps, sizeof(caps)) ? -EFAULT : 0;
}

static long dev_ioctl_dispatch(unsigned int cmd, void __user *argp)
{
	switch (cmd) {
	case HVK_GET_VERSION:
		return dev_get_version(argp);
	case HVK_GET_CAPS:
		return dev_get_caps(argp);
	case HVK_CREATE_VM:
		return hvk_vm_create_fd(argp);
	}
	return -ENOTTY;
}

static long dev_ioctl(struct file *file, unsigned int cmd, unsigned long arg)
{
	long ret = dev_ioctl_dispatch(cmd, (void __user *)arg);

	trace_hvk_ioctl(0, cmd, 0, 0, 0, ret);
	return ret;
}

static const struct file_operations hvk_dev_fops = {
	.owner = THIS_MODULE,
	.unlocked_ioctl = dev_ioctl,
	/* Every hvk ioctl struct is 32/64-bit identical: no translation. */
	.compat_ioctl = compat_ptr_ioctl,
	.llseek = noop_llseek,
};

static struct miscdevice hvk_dev = {
	.minor = MISC_DYNAMIC_MINOR,
	.name = "hvk",
	.fops = &hvk_dev_fops,
	.mode = 0660,
};

static const struct hvk_vendor_ops *select_vendor(void)
{
	if (boot_cpu_has(X86_FEATURE_SVM))
		return &hvk_svm_ops;
	/*
	 * Raw CPUID, not boot_cpu_has(): the kernel clears X86_FEATURE_VMX when
	 * the firmware disabled VT-x, and the backend's probe says so precisely.
	 */
	if (cpuid_ecx(1) & BIT(X86_FEATURE_VMX & 31))
		return &hvk_vmx_ops;
	pr_err("hvk: this CPU has neither Intel VT-x (vmx) nor AMD-V (svm) in CPUID; "
	       "enable virtualization in the firmware, or under an emulator use "
	       "-cpu ...,+svm (QEMU) or a VMX-capable Bochs model\n");
	return NULL;
}

static int hvk_cpu_online(unsigned int cpu)
{
	return hvk_ops->cpu_enable(cpu);
}

static int hvk_cpu_offline(unsigned int cpu)
{
	hvk_ops->cpu_disable(cpu);
	return 0;
}

static int __init hvk_init(void)
{
	int err;

	hvk_ops = select_vendor();
	if (!hvk_ops)
		return -ENODEV;
	err = hvk_ops->probe(&hvk_hw_features);
	if (err)
		return err;
	hvk_vendor_static_calls_set(hvk_ops);
	err = hvk_ram_module_init();
	if (err)
		return err;
	err = hvk_ops->hardware_setup();
	if (err)
		goto ram_exit;
	/* Enables VMX/SVM on every CPU now and on each CPU that comes online. */
	err = cpuhp_setup_state(CPUHP_AP_ONLINE_DYN, "hvk:online",
				hvk_cpu_online, hvk_cpu_offline);
	if (err < 0)
		goto unsetup;
	hvk_cpuhp_state = err;
	hvk_debugfs_init();
	/* Before /dev/hvk appears: the first vCPU already needs its notifiers. */
	preempt_notifier_inc();
	err = misc_register(&hvk_dev);
	if (err)
		goto remove_debugfs;
	pr_info("hvk: %s backend ready, /dev/hvk (API %u)\n", hvk_ops->name,
		HVK_API_VERSION);
	return 0;
remove_debugfs:
	preempt_notifier_dec();
	hvk_debugfs_exit();
	cpuhp_remove_state(hvk_cpuhp_state);
unsetup:
	hvk_ops->hardware_unsetup();
ram_exit:
	hvk_ram_module_exit();
	return err;
}

static void __exit hvk_exit(void)
{
	misc_deregister(&hvk_dev);
	preempt_notifier_dec();
	hvk_debugfs_exit();
	cpuhp_remove_state(hvk_cpuhp_state);
	hvk_ops->hardware_unsetup();
	hvk_ram_module_exit();
	pr_info("hvk: unloaded\n");
}

module_init(hvk_init);
module_exit(hvk_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("hvk: a Type-2 hypervisor for PVH guests (VT-x and AMD-V)");
/* The release version of module, CLI and packages (dist/version.sh). */
MODULE_VERSION(__stringify(HVK_MODULE_MAJOR) "." __stringify(HVK_MODULE_MINOR));
