/* hvk run: boot a PVH guest kernel on hvk.ko. */
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "commands.h"
#include "elf.h"
#include "pvh.h"
#include "size.h"
#include "vcpu_loop.h"
#include "vm.h"

#define RUN_DEFAULT_MEM  (64ull << 20)

struct run_options {
	uint64_t mem;
	const char *cmdline;
	struct pvh_module modules[PVH_MAX_MODULES];
	unsigned int nr_modules;
	unsigned int timeout_s;
	bool quiet;
	const char *kernel;
};

static struct vcpu_loop_stop run_stop;
static struct hvk_run *volatile run_signal_target;

static void run_usage(FILE *out)
{
	fprintf(out,
		"usage: hvk run [options] KERNEL\n"
		"Boots KERNEL (an ELF with a Xen PHYS32_ENTRY note) through the PVH boot ABI.\n\n"
		"  --mem SIZE             guest RAM, e.g. 64M or 1G (default 64M)\n"
		"  --cmdline STR          kernel command line\n"
		"  --module FILE[,CMDLINE]  a boot module (repeatable; module 0 is a Linux initrd)\n"
		"  --timeout SECS         stop the guest after SECS seconds (exit code 124)\n"
		"  --quiet                no hvk messages for normal outcomes\n\n"
		"Exit codes: 0 poweroff, 1 hvk error, 2 usage, 10 guest crash, 11 reboot,\n"
		"12 other shutdown, 13 triple fault, 14 entry failure, 15 unhandled MMIO,\n"
		"16 unhandled port I/O, 17 internal error, 124 timeout, 128+N signal N.\n");
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

static int run_parse_timeout(struct run_options *opt, const char *arg)
{
	char *end;
	unsigned long v = strtoul(arg, &end, 10);

	if (*arg == '\0' || *end != '\0' || v == 0 || v > 86400) {
		fprintf(stderr, "hvk run: --timeout '%s': want seconds from 1 to 86400\n", arg);
		return -1;
	}
	opt->timeout_s = v;
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
		{ "quiet", no_argument, NULL, 'q' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int c, rc = 0;

	memset(opt, 0, sizeof(*opt));
	opt->mem = RUN_DEFAULT_MEM;
	while (rc == 0 && (c = getopt_long(argc, argv, "+m:c:M:t:qh", longopts, NULL)) != -1) {
		switch (c) {
		case 'm': rc = run_parse_mem(opt, optarg); break;
		case 'c': opt->cmdline = optarg; break;
		case 'M': rc = run_parse_module(opt, optarg); break;
		case 't': rc = run_parse_timeout(opt, optarg); break;
		case 'q': opt->quiet = true; break;
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
	return 0;
}

/* Make HVK_RUN return now, even if the signal came just before the ioctl. */
static void run_on_signal(int sig)
{
	if (sig == SIGALRM)
		run_stop.timed_out = 1;
	else
		run_stop.signal = sig;
	if (run_signal_target)
		run_signal_target->immediate_exit = 1;
}

static void run_install_signals(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = run_on_signal;   /* no SA_RESTART: HVK_RUN returns EINTR */
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	sigaction(SIGALRM, &sa, NULL);
}

static int run_boot(struct vm *vm, const struct run_options *opt,
		    struct elf_image *kernel, struct hvk_err *err)
{
	struct pvh_config cfg = {
		.cmdline = opt->cmdline,
		.modules = opt->modules,
		.nr_modules = opt->nr_modules,
	};
	struct xen_vcpu_hvm_context ctx;
	struct pvh_layout layout;
	int rc;

	rc = elf_image_open(kernel, opt->kernel, err);
	if (rc)
		return rc;
	rc = vm_create(vm, opt->mem, err);
	if (rc)
		return rc;
	rc = pvh_boot_load(&layout, vm->ram, vm->ram_size, kernel, &cfg, err);
	if (rc)
		return rc;
	rc = vm_create_vcpu(vm, &vm->boot_vcpu, 0, err);
	if (rc)
		return rc;
	pvh_vcpu_context_init(&ctx, layout.entry, layout.start_info_paddr);
	return vcpu_set_context(&vm->boot_vcpu, &ctx, err);
}

int cmd_run(int argc, char **argv)
{
	struct elf_image kernel = { 0 };
	struct run_options opt;
	struct hvk_err err;
	struct vm vm = { .dev_fd = -1, .vm_fd = -1, .boot_vcpu.fd = -1 };
	int rc, code;

	rc = run_parse(&opt, argc, argv);
	if (rc)
		return rc > 0 ? HVK_EXIT_CODE_OK : HVK_EXIT_CODE_USAGE;
	run_install_signals();
	if (run_boot(&vm, &opt, &kernel, &err)) {
		fprintf(stderr, "hvk: %s\n", err.msg);
		code = HVK_EXIT_CODE_ERROR;
		goto out;
	}
	run_signal_target = vm.boot_vcpu.run;
	if (opt.timeout_s)
		alarm(opt.timeout_s);
	code = vcpu_loop_run(&vm.boot_vcpu, &run_stop, opt.quiet, opt.timeout_s);
	alarm(0);
	run_signal_target = NULL;
out:
	vm_destroy(&vm);
	elf_image_close(&kernel);
	return code;
}
