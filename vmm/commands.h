/* The hvk CLI's subcommands: one file each (cmd_NAME.c), one table in main.c. */
#ifndef HVK_VMM_COMMANDS_H
#define HVK_VMM_COMMANDS_H

/*
 * Exit codes of the hvk CLI (docs/cli.md).  Guest outcomes have their own
 * codes so scripts and the nested test table can tell them apart.
 */
enum hvk_exit_code {
	HVK_EXIT_CODE_OK            = 0,   /* guest powered off / command done */
	HVK_EXIT_CODE_ERROR         = 1,   /* hvk could not do it (bad ELF, no /dev/hvk) */
	HVK_EXIT_CODE_USAGE         = 2,   /* bad command line */
	HVK_EXIT_CODE_GUEST_CRASH   = 10,  /* SCHEDOP_shutdown(crash) */
	HVK_EXIT_CODE_GUEST_REBOOT  = 11,  /* SCHEDOP_shutdown(reboot) */
	HVK_EXIT_CODE_GUEST_OTHER   = 12,  /* shutdown: suspend, watchdog, unknown */
	HVK_EXIT_CODE_TRIPLE_FAULT  = 13,
	HVK_EXIT_CODE_FAIL_ENTRY    = 14,
	HVK_EXIT_CODE_MMIO          = 15,  /* unhandled MMIO */
	HVK_EXIT_CODE_PIO           = 16,  /* unhandled port I/O */
	HVK_EXIT_CODE_INTERNAL      = 17,  /* module internal error */
	HVK_EXIT_CODE_CONSOLE_QUIT  = 18,  /* the user quit at the PV console (Ctrl-a x) */
	HVK_EXIT_CODE_TIMEOUT       = 124, /* --timeout expired (as timeout(1)) */
	HVK_EXIT_CODE_SIGNAL_BASE   = 128, /* + signal number (SIGINT -> 130) */
};

struct hvk_command {
	const char *name;
	int (*run)(int argc, char **argv);   /* argv[0] is the command name */
	const char *summary;
};

int cmd_info(int argc, char **argv);
int cmd_run(int argc, char **argv);
int cmd_elf(int argc, char **argv);
int cmd_trace(int argc, char **argv);
int cmd_stat(int argc, char **argv);

#endif /* HVK_VMM_COMMANDS_H */
