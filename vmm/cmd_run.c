/* hvk run: boot a PVH guest kernel on hvk.ko. */
#include <errno.h>
#include <getopt.h>
#include <sys/ioctl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "commands.h"
#include "elf.h"
#include "ports.h"
#include "pvh.h"
#include "size.h"
#include "stats.h"
#include "tracefs.h"
#include "vm.h"
#include "vm_run.h"

#define RUN_DEFAULT_MEM  (64ull << 20)

/* Long options without a short form. */
enum {
	RUN_OPT_NO_ACPI = 0x100,
	RUN_OPT_UNCLAIMED_IO,
	RUN_OPT_PIN_MEMORY,
};

struct run_options {
	uint64_t mem;
	const char *cmdline;
	struct pvh_module modules[PVH_MAX_MODULES];
	unsigned int nr_modules;
	unsigned int timeout_ms;
	unsigned int cpus;
	bool xen;
	bool quiet;
	bool trace;
	bool stats;
	bool no_acpi;
	bool pin_memory;
	bool unclaimed_io_set;  /* --unclaimed-io given: else by --xen */
	uint32_t unclaimed_io;  /* HVK_UNCLAIMED_* */
	const char *kernel;
};


static void run_usage(FILE *out)
{
	fprintf(out,
		"usage: hvk run [options] KERNEL\n"
		"Boots KERNEL (an ELF with a Xen PHYS32_ENTRY note) through the PVH boot ABI.\n\n"
		"  --mem SIZE             guest RAM, e.g. 64M or 1G (default 64M)\n"
		"  --pin-memory           pin all guest RAM up front (within 'ulimit -l')\n"
		"                         instead of faulting it in as the guest uses it\n"
		"  --cmdline STR          kernel command line\n"
		"  --module FILE[,CMDLINE]  a boot module (repeatable; module 0 is a Linux initrd)\n"
		"  --timeout SECS         stop the guest after SECS seconds, e.g. 10 or 0.25\n"
		"                         (exit code 124)\n"
		"  --cpus N               N vCPUs (default 1); the guest starts the others\n"
		"                         with VCPUOP_initialise/VCPUOP_up\n"
		"  --xen                  Xen-compatible mode: Xen's CPUID leaves and\n"
		"                         hypercall page, and a PV console (hvc0) on\n"
		"                         stdin/stdout; on a terminal Ctrl-a x quits\n"
		"                         (for Xen PVH guests such as Linux: docs/linux.md)\n"
		"  --no-acpi              no ACPI tables (start_info.rsdp_paddr 0), so no\n"
		"                         ACPI power-off or reset registers either\n"
		"  --unclaimed-io exit|ignore\n"
		"                         port I/O and MMIO no device serves: end the run\n"
		"                         (exit 16 or 15; the default) or read all ones and\n"
		"                         drop writes, counted by --stats (the default\n"
		"                         with --xen, as Xen does for PVH guests)\n"
		"  --quiet                no hvk messages for normal outcomes\n"
		"  --trace                print hvk's events for this VM on stderr, live\n"
		"  --stats                print the VM's exit and hypercall counts at the end\n\n"
		"Exit codes: 0 poweroff, 1 hvk error, 2 usage, 10 guest crash, 11 reboot,\n"
		"12 other shutdown, 13 triple fault, 14 entry failure, 15 unhandled MMIO,\n"
		"16 unhandled port I/O, 17 internal error, 18 quit at the console (Ctrl-a x),\n"
		"124 timeout, 128+N signal N.\n");
}

static int run_parse_module(struct run_options *opt, char *arg)
{
	char *comma = strchr(arg, ',');

	if (opt->nr_modules == PVH_MAX_MODULES) {
		fprintf(stderr, "hvk run: at most %u --module options\n", PVH_MAX_MODULES);
		return -1;
	}
	if (comma)
		*comma = '\0';
	opt->modules[opt->nr_modules].path = arg;
	opt->modules[opt->nr_modules].cmdline = comma ? comma + 1 : NULL;
	opt->nr_modules++;
	return 0;
}

/*
 * Seconds with up to three decimals, as milliseconds: a test that only
 * needs the guest stopped need not spend a whole second of it (under an
 * emulator, a second of guest time can take a minute).
 */
static int run_parse_timeout(struct run_options *opt, const char *arg)
{
	uint64_t ms = 0;
	const char *p = arg;
	unsigned int decimals = 0;

	while (*p >= '0' && *p <= '9' && ms <= HVK_RUN_TIMEOUT_MAX_MS)
		ms = ms * 10 + (uint64_t)(*p++ - '0');
	if (*p == '.' && p > arg)
		for (p++; *p >= '0' && *p <= '9' && decimals < 3; p++, decimals++)
			ms = ms * 10 + (uint64_t)(*p - '0');
	for (; decimals < 3; decimals++)
		ms *= 10;
	if (p == arg || p[-1] == '.' || *p != '\0' || ms == 0 || ms > HVK_RUN_TIMEOUT_MAX_MS) {
		fprintf(stderr, "hvk run: --timeout '%s': want seconds from 0.001 to 86400, "
			"at most 3 decimals (e.g. 10 or 0.25)\n", arg);
		return -1;
	}
	opt->timeout_ms = (unsigned int)ms;
	return 0;
}

static int run_parse_cpus(struct run_options *opt, const char *arg)
{
	char *end;
	unsigned long v = strtoul(arg, &end, 10);

	if (*arg == '\0' || *end != '\0' || v == 0 || v > HVK_MAX_VCPUS) {
		fprintf(stderr, "hvk run: --cpus '%s': want 1 to %u\n", arg, HVK_MAX_VCPUS);
		return -1;
	}
	opt->cpus = v;
	return 0;
}

static int run_parse_unclaimed_io(struct run_options *opt, const char *arg)
{
	if (!strcmp(arg, "exit")) {
		opt->unclaimed_io = HVK_UNCLAIMED_EXIT;
	} else if (!strcmp(arg, "ignore")) {
		opt->unclaimed_io = HVK_UNCLAIMED_IGNORE;
	} else {
		fprintf(stderr, "hvk run: --unclaimed-io '%s': want exit or ignore\n", arg);
		return -1;
	}
	opt->unclaimed_io_set = true;
	return 0;
}

static int run_parse_mem(struct run_options *opt, const char *arg)
{
	if (parse_size(arg, &opt->mem) || opt->mem == 0 ||
	    opt->mem % PVH_PAGE_SIZE) {
		fprintf(stderr, "hvk run: --mem '%s': want a size such as 64M, "
			"a multiple of 4K\n", arg);
		return -1;
	}
	return 0;
}

static int run_parse(struct run_options *opt, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "mem", required_argument, NULL, 'm' },
		{ "cmdline", required_argument, NULL, 'c' },
		{ "module", required_argument, NULL, 'M' },
		{ "timeout", required_argument, NULL, 't' },
		{ "cpus", required_argument, NULL, 'C' },
		{ "xen", no_argument, NULL, 'x' },
		{ "no-acpi", no_argument, NULL, RUN_OPT_NO_ACPI },
		{ "pin-memory", no_argument, NULL, RUN_OPT_PIN_MEMORY },
		{ "unclaimed-io", required_argument, NULL, RUN_OPT_UNCLAIMED_IO },
		{ "quiet", no_argument, NULL, 'q' },
		{ "trace", no_argument, NULL, 'T' },
		{ "stats", no_argument, NULL, 'S' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int c, rc = 0;

	memset(opt, 0, sizeof(*opt));
	opt->mem = RUN_DEFAULT_MEM;
	opt->cpus = 1;
	/* Options may follow KERNEL too (hvk run vmlinux --module initrd ...). */
	while (rc == 0 && (c = getopt_long(argc, argv, "m:c:M:t:C:xqTSh", longopts, NULL)) != -1) {
		switch (c) {
		case 'm': rc = run_parse_mem(opt, optarg); break;
		case 'c': opt->cmdline = optarg; break;
		case 'M': rc = run_parse_module(opt, optarg); break;
		case 't': rc = run_parse_timeout(opt, optarg); break;
		case 'C': rc = run_parse_cpus(opt, optarg); break;
		case 'x': opt->xen = true; break;
		case RUN_OPT_NO_ACPI: opt->no_acpi = true; break;
		case RUN_OPT_PIN_MEMORY: opt->pin_memory = true; break;
		case RUN_OPT_UNCLAIMED_IO: rc = run_parse_unclaimed_io(opt, optarg); break;
		case 'q': opt->quiet = true; break;
		case 'T': opt->trace = true; break;
		case 'S': opt->stats = true; break;
		case 'h': run_usage(stdout); return 1;
		default: rc = -1;
		}
	}
	if (rc == 0 && optind != argc - 1) {
		fprintf(stderr, "hvk run: expected one KERNEL argument\n");
		rc = -1;
	}
	if (rc) {
		run_usage(stderr);
		return rc;
	}
	opt->kernel = argv[optind];
	/* A Xen PVH guest expects what Xen does: nothing there, no crash. */
	if (!opt->unclaimed_io_set)
		opt->unclaimed_io = opt->xen ? HVK_UNCLAIMED_IGNORE : HVK_UNCLAIMED_EXIT;
	return 0;
}

/*
 * The VMM's ports, claimed from the kernel with the unclaimed-access policy.
 * A module without HVK_CAP_IO_POLICY sends every access it does not serve
 * to the VMM, which is the exit policy: then there is nothing to set, and
 * --xen's default of ignore falls back to it; only an explicit
 * --unclaimed-io=ignore needs the ioctl (and fails with its error).
 */
static int run_io_setup(struct vm *vm, const struct run_options *opt,
			struct hvk_err *err)
{
	struct hvk_io_policy policy = { .unclaimed = opt->unclaimed_io };

	port_table_init(&vm->ports, !opt->no_acpi);
	port_table_claims(&vm->ports, &policy);
	if (!(vm->features & HVK_CAP_IO_POLICY)) {
		if (policy.unclaimed == HVK_UNCLAIMED_EXIT)
			return 0;
		if (!opt->unclaimed_io_set) {
			fprintf(stderr, "hvk: %s has no I/O policy (HVK_CAP_IO_POLICY): "
				"unclaimed I/O ends the run, as --unclaimed-io=exit\n",
				HVK_DEVICE_PATH);
			return 0;
		}
	}
	return vm_set_io_policy(vm, &policy, err);
}

/*
 * --xen's PV console needs event channels in the kernel; a module without
 * them still runs Xen guests, whose console_io output keeps working.
 */
static bool run_console_wanted(const struct vm *vm, const struct run_options *opt)
{
	if (!opt->xen)
		return false;
	if (vm->features & HVK_CAP_XEN_EVTCHN)
		return true;
	fprintf(stderr, "hvk: %s has no event channels (HVK_CAP_XEN_EVTCHN): no PV "
		"console (hvc0), guest output only through console_io\n", HVK_DEVICE_PATH);
	return false;
}

static int run_boot(struct vm *vm, const struct run_options *opt,
		    struct elf_image *kernel, struct hvk_err *err)
{
	struct pvh_config cfg = {
		.cmdline = opt->cmdline,
		.modules = opt->modules,
		.nr_modules = opt->nr_modules,
		.acpi = !opt->no_acpi,
		.nr_vcpus = opt->cpus,
	};
	struct xen_vcpu_hvm_context ctx;
	struct pvh_layout layout;
	int rc;

	rc = elf_image_open(kernel, opt->kernel, err);
	if (rc)
		return rc;
	rc = vm_create(vm, opt->mem, opt->xen ? HVK_VM_XEN_COMPAT : 0,
		       opt->pin_memory ? HVK_MEM_PINNED : 0, err);
	if (rc)
		return rc;
	rc = run_io_setup(vm, opt, err);
	if (rc)
		return rc;
	cfg.console_page = run_console_wanted(vm, opt);
	rc = pvh_boot_load(&layout, vm->ram, vm->ram_size, kernel, &cfg, err);
	if (rc)
		return rc;
	if (cfg.console_page) {
		rc = xen_console_setup(&vm->console, vm->vm_fd,
				       (unsigned char *)vm->ram + layout.console_paddr,
				       layout.console_paddr, STDOUT_FILENO, err);
		if (rc)
			return rc;
	}
	/* Secondary vCPUs get no state: they wait in the kernel for VCPUOP_up. */
	for (unsigned int id = 0; id < opt->cpus && rc == 0; id++)
		rc = vm_create_vcpu(vm, &vm->vcpus[id], id, err);
	if (rc)
		return rc;
	pvh_vcpu_context_init(&ctx, layout.entry, layout.start_info_paddr);
	return vcpu_set_context(&vm->vcpus[0], &ctx, err);
}

static void run_print_stats(const struct vm *vm)
{
	struct hvk_io_stats io;
	struct hvk_stats st;

	if (ioctl(vm->vm_fd, HVK_VM_GET_STATS, &st) < 0) {
		fprintf(stderr, "hvk: HVK_VM_GET_STATS: %s\n", strerror(errno));
		return;
	}
	stats_print(stderr, &st);
	if (!(vm->features & HVK_CAP_IO_POLICY))
		return;         /* nothing is answered in the kernel: no counts */
	memset(&io, 0, sizeof(io));
	if (ioctl(vm->vm_fd, HVK_VM_GET_IO_STATS, &io) < 0) {
		fprintf(stderr, "hvk: HVK_VM_GET_IO_STATS: %s\n", strerror(errno));
		return;
	}
	stats_print_io(stderr, &io);
}

/* Tracing starts before the VM exists, so its whole ioctl sequence shows. */
static int run_trace_start(struct tracefs *t, struct hvk_err *err)
{
	if (tracefs_open(t, err) || tracefs_enable(t, NULL, getpid(), err) ||
	    tracefs_stream_start(t, STDERR_FILENO, err)) {
		tracefs_restore(t);
		return -1;
	}
	return 0;
}

int cmd_run(int argc, char **argv)
{
	struct tracefs trace;
	struct elf_image kernel = { 0 };
	struct run_options opt;
	struct hvk_err err;
	static struct vm vm;
	int rc, code;

	rc = run_parse(&opt, argc, argv);
	if (rc)
		return rc > 0 ? HVK_EXIT_CODE_OK : HVK_EXIT_CODE_USAGE;
	vm.dev_fd = vm.vm_fd = -1;
	memset(&trace, 0, sizeof(trace));
	if (opt.trace && run_trace_start(&trace, &err)) {
		fprintf(stderr, "hvk: --trace: %s\n", err.msg);
		return HVK_EXIT_CODE_ERROR;
	}
	if (run_boot(&vm, &opt, &kernel, &err)) {
		fprintf(stderr, "hvk: %s\n", err.msg);
		code = HVK_EXIT_CODE_ERROR;
		goto out;
	}
	code = vm_run(&vm, opt.timeout_ms, opt.quiet);
	if (opt.stats)
		run_print_stats(&vm);
out:
	vm_destroy(&vm);
	elf_image_close(&kernel);
	if (opt.trace)
		tracefs_stream_stop(&trace);
	return code;
}
