/* hvk: the command-line VMM for hvk.ko.  Dispatches to cmd_*.c. */
#include <stdio.h>
#include <string.h>

#include "commands.h"

static const struct hvk_command commands[] = {
	{ "info", cmd_info, "show the module's version, vendor and capabilities" },
	{ "run",  cmd_run,  "boot a PVH guest kernel" },
	{ "elf",  cmd_elf,  "show what the loader sees in a guest ELF" },
	{ "trace", cmd_trace, "print hvk's tracepoints live (ioctls, exits, hypercalls)" },
	{ "stat", cmd_stat, "exit and hypercall counts of running VMs" },
};

static void usage(FILE *out)
{
	fprintf(out, "usage: hvk COMMAND [ARGS]\n\ncommands:\n");
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		fprintf(out, "  %-6s %s\n", commands[i].name, commands[i].summary);
	fprintf(out, "\n'hvk COMMAND --help' shows a command's options;"
		" 'hvk --version' the release.\n");
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		usage(stderr);
		return HVK_EXIT_CODE_USAGE;
	}
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") ||
	    !strcmp(argv[1], "help")) {
		usage(stdout);
		return HVK_EXIT_CODE_OK;
	}
	if (!strcmp(argv[1], "--version")) {
		printf("hvk %s\n", HVK_VERSION);
		return HVK_EXIT_CODE_OK;
	}
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		if (!strcmp(argv[1], commands[i].name))
			return commands[i].run(argc - 1, argv + 1);
	fprintf(stderr, "hvk: unknown command '%s'\n", argv[1]);
	usage(stderr);
	return HVK_EXIT_CODE_USAGE;
}
