/* hvk info: what the module reports about itself and the hardware. */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "commands.h"
#include "device.h"

static const struct {
	uint32_t bit;
	const char *name;
} hw_feature_names[] = {
	{ HVK_HW_NESTED_PAGING, "nested-paging" },
	{ HVK_HW_NRIPS, "nrips" },
	{ HVK_HW_TAGGED_TLB, "tagged-tlb" },
	{ HVK_HW_UNRESTRICTED, "unrestricted-guest" },
	{ HVK_HW_DECODE_ASSISTS, "decode-assists" },
	{ HVK_HW_VGIF, "vgif" },
	{ HVK_HW_FLUSH_BY_ASID, "flush-by-asid" },
	{ HVK_HW_GPT_2M, "2m-nested-pages" },
};

/* The ABI features (HVK_CAP_*): tests look for a name to decide what can run. */
static const struct {
	uint32_t bit;
	const char *name;
} feature_names[] = {
	{ HVK_CAP_VM, "vm" },
	{ HVK_CAP_READONLY_MEM, "readonly-mem" },
	{ HVK_CAP_XEN_HYPERCALLS, "xen-hypercalls" },
	{ HVK_CAP_SMP, "smp" },
	{ HVK_CAP_XEN_COMPAT, "xen-compat" },
	{ HVK_CAP_LAPIC, "lapic" },
	{ HVK_CAP_IO_POLICY, "io-policy" },
	{ HVK_CAP_XEN_EVTCHN, "xen-evtchn" },
};

static void info_print(const struct hvk_version *v, const struct hvk_caps *c)
{
	printf("api: %u\n", v->api_version);
	printf("module: %u.%u\n", v->module_major, v->module_minor);
	printf("vendor: %s\n", device_vendor_name(c->vendor));
	printf("features:");
	for (size_t i = 0; i < sizeof(feature_names) / sizeof(feature_names[0]); i++)
		if (c->features & feature_names[i].bit)
			printf(" %s", feature_names[i].name);
	printf("\n");
	printf("hw-features:");
	for (size_t i = 0; i < sizeof(hw_feature_names) / sizeof(hw_feature_names[0]); i++)
		if (c->hw_features & hw_feature_names[i].bit)
			printf(" %s", hw_feature_names[i].name);
	printf("\nmax-vcpus: %u\n", c->max_vcpus);
	printf("max-mem-slots: %u\n", c->max_mem_slots);
	printf("vms: %u\n", c->nr_vms);
	printf("pages-pinned: %llu\n", (unsigned long long)c->pages_pinned);
	printf("pages-allocated: %llu\n", (unsigned long long)c->pages_allocated);
}

int cmd_info(int argc, char **argv)
{
	struct hvk_version v;
	struct hvk_caps caps;
	struct hvk_err err;
	int fd;

	if (argc > 1) {
		bool help = !strcmp(argv[1], "--help") || !strcmp(argv[1], "-h");

		fprintf(help ? stdout : stderr, "usage: hvk info\n"
			"Prints the module's API version, the virtualization vendor it\n"
			"drives (SVM or VMX), its ABI features (HVK_CAP_*, e.g. xen-evtchn),\n"
			"hardware features and memory counters.\n");
		return help ? HVK_EXIT_CODE_OK : HVK_EXIT_CODE_USAGE;
	}
	fd = device_open(&err);
	if (fd < 0) {
		fprintf(stderr, "hvk: %s\n", err.msg);
		return HVK_EXIT_CODE_ERROR;
	}
	if (device_get_version(fd, &v, &err) || device_get_caps(fd, &caps, &err)) {
		fprintf(stderr, "hvk: %s\n", err.msg);
		close(fd);
		return HVK_EXIT_CODE_ERROR;
	}
	info_print(&v, &caps);
	close(fd);
	return HVK_EXIT_CODE_OK;
}
