/* hvk stat: exit and hypercall counters of running VMs, as perf kvm stat. */
#include <dirent.h>
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "commands.h"
#include "stats.h"

#define HVK_DEBUGFS "/sys/kernel/debug/hvk"

static void stat_usage(FILE *out)
{
	fprintf(out, "usage: hvk stat [PID]\n"
		"Prints each VM's exit reasons and hypercalls with counts and shares,\n"
		"and its injected interrupts, NMIs and unclaimed I/O accesses\n"
		"(all VMs, or those of VMM process PID), from %s.\n", HVK_DEBUGFS);
}

static bool debugfs_mounted(void)
{
	FILE *f = fopen("/proc/mounts", "r");
	char line[256];
	bool found = false;

	while (f && !found && fgets(line, sizeof(line), f))
		found = strstr(line, " /sys/kernel/debug debugfs ") != NULL;
	if (f)
		fclose(f);
	return found;
}

static int stat_open_root(DIR **dir)
{
	*dir = opendir(HVK_DEBUGFS);
	if (*dir)
		return 0;
	if (errno == EACCES)
		fprintf(stderr, "hvk: %s: permission denied (run as root)\n", HVK_DEBUGFS);
	else if (!debugfs_mounted())
		fprintf(stderr, "hvk: debugfs is not mounted "
			"(mount -t debugfs nodev /sys/kernel/debug)\n");
	else
		fprintf(stderr, "hvk: %s: %s (is hvk.ko loaded?)\n", HVK_DEBUGFS,
			strerror(errno));
	return -1;
}

/* Prints one VM; returns 1 if printed, 0 if filtered out, -1 on error. */
static int stat_vm(const char *name, int want_pid)
{
	char path[300];
	struct hvk_stats st;
	struct hvk_err err;
	unsigned int id;
	int pid;

	snprintf(path, sizeof(path), "%s/%s/stats", HVK_DEBUGFS, name);
	if (stats_read_debugfs(path, &st, &pid, &id, &err)) {
		fprintf(stderr, "hvk: %s\n", err.msg);
		return -1;
	}
	if (want_pid > 0 && pid != want_pid)
		return 0;
	printf("VM %u (VMM pid %d)\n", id, pid);
	stats_print(stdout, &st);
	return 1;
}

int cmd_stat(int argc, char **argv)
{
	int want_pid = 0, shown = 0, failed = 0;
	struct dirent *d;
	DIR *dir;

	if (argc > 2 || (argc == 2 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")))) {
		stat_usage(argc == 2 ? stdout : stderr);
		return argc == 2 ? HVK_EXIT_CODE_OK : HVK_EXIT_CODE_USAGE;
	}
	if (argc == 2 && (want_pid = atoi(argv[1])) <= 0) {
		fprintf(stderr, "hvk stat: '%s' is not a process id\n", argv[1]);
		return HVK_EXIT_CODE_USAGE;
	}
	if (stat_open_root(&dir))
		return HVK_EXIT_CODE_ERROR;
	while ((d = readdir(dir))) {
		int r;

		if (strncmp(d->d_name, "vm", 2))
			continue;
		r = stat_vm(d->d_name, want_pid);
		shown += r > 0;
		failed += r < 0;
	}
	closedir(dir);
	if (!shown && !failed)
		fprintf(stderr, "hvk: no VM%s%.0d\n", want_pid ? " of process " : "", want_pid);
	return shown && !failed ? HVK_EXIT_CODE_OK : HVK_EXIT_CODE_ERROR;
}
