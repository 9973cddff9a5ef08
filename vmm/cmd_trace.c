/* hvk trace: stream hvk's tracepoints, decoded, until Ctrl-C. */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "commands.h"
#include "tracefs.h"

static volatile sig_atomic_t trace_stop;

static void trace_on_signal(int sig)
{
	(void)sig;
	trace_stop = 1;
}

static void trace_usage(FILE *out)
{
	fprintf(out, "usage: hvk trace [--pid PID] [--events LIST]\n"
		"Prints hvk's events live, one line each, until Ctrl-C, then puts\n"
		"tracefs back as it was.  LIST is comma-separated, e.g.\n"
		"ioctl,hypercall,vcpu_exit (names of /sys/kernel/tracing/events/hvk/).\n"
		"--pid follows one VMM process and the threads it starts.\n");
}

static int trace_parse(int argc, char **argv, pid_t *pid, const char **events)
{
	static const struct option longopts[] = {
		{ "pid", required_argument, NULL, 'p' },
		{ "events", required_argument, NULL, 'e' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	while ((c = getopt_long(argc, argv, "+p:e:h", longopts, NULL)) != -1) {
		char *end;

		switch (c) {
		case 'p':
			*pid = strtol(optarg, &end, 10);
			if (*optarg == '\0' || *end != '\0' || *pid <= 0) {
				fprintf(stderr, "hvk trace: --pid '%s': want a process id\n", optarg);
				return -1;
			}
			break;
		case 'e': *events = optarg; break;
		case 'h': trace_usage(stdout); return 1;
		default: trace_usage(stderr); return -1;
		}
	}
	if (optind != argc) {
		trace_usage(stderr);
		return -1;
	}
	return 0;
}

static void trace_install_signals(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = trace_on_signal;        /* no SA_RESTART: read() returns */
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	/* A closed reader (hvk trace | head) must not kill us before we
	 * restore tracefs: write() fails with EPIPE instead. */
	signal(SIGPIPE, SIG_IGN);
}

int cmd_trace(int argc, char **argv)
{
	const char *events = NULL;
	struct tracefs t;
	struct hvk_err err;
	char buf[8192];
	pid_t pid = 0;
	int rc, fd;

	rc = trace_parse(argc, argv, &pid, &events);
	if (rc)
		return rc > 0 ? HVK_EXIT_CODE_OK : HVK_EXIT_CODE_USAGE;
	trace_install_signals();
	if (tracefs_open(&t, &err) || tracefs_enable(&t, events, pid, &err) ||
	    (fd = tracefs_open_pipe(&t, false, &err)) < 0) {
		tracefs_restore(&t);
		fprintf(stderr, "hvk: %s\n", err.msg);
		return HVK_EXIT_CODE_ERROR;
	}
	while (!trace_stop) {
		ssize_t n = read(fd, buf, sizeof(buf));

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0 || !tracefs_print(STDOUT_FILENO, buf, (size_t)n))
			break;
	}
	close(fd);
	tracefs_restore(&t);
	return HVK_EXIT_CODE_OK;
}
