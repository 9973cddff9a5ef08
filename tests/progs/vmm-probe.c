/*
 * vmm-probe: runs a VMM (any command) and measures, in the L1's own clock,
 * what tests/bench needs and no VMM reports (docs/performance.md):
 *
 *   first_output_ns  from just before fork+exec to the first byte the
 *                    command writes to its stdout (a pipe to us)
 *   busy_ns          how much of that the CPUs ran tasks rather than idled
 *                    (/proc/schedstat's run time, summed over CPUs; -1
 *                    without it): under QEMU's -icount sleep=off idle time is
 *                    skipped to the next timer and counts as time, but it
 *                    executes no instruction
 *   tsc_khz          the TSC's rate against CLOCK_MONOTONIC over the run,
 *                    to turn a guest's TSC ticks into time (neither hvk nor
 *                    KVM under TCG scales the TSC)
 *   maxrss_kib       the command's peak RSS (wait4's ru_maxrss)
 *   end_ns,          from fork+exec to the command's exit, and the busy time
 *   end_busy_ns      of that (less the pause below)
 *
 * With --mark TEXT, the command's stdin is a pipe from us, and when TEXT
 * has gone through on its stdout (a guest's "I am here" line):
 *
 *   mark_ns,         the time and busy time from fork+exec to then
 *   mark_busy_ns
 *   pause_busy_ns    the busy time of the pause that follows: --at-mark's
 *                    CMD (sh -c; a snapshot of the VMM's counters, its
 *                    output on our stdout) runs, then a newline goes to the
 *                    command's stdin (the guest waits for it: nothing of
 *                    the boot runs in the pause, and its cost is not the
 *                    VMM's)
 *
 * The command's stdout passes through unchanged, its stderr is inherited;
 * then one line on stdout:
 *
 *   vmm-probe: first_output_ns=N busy_ns=B tsc_khz=K maxrss_kib=R status=S
 *              end_ns=N end_busy_ns=B [mark_ns=N mark_busy_ns=B pause_busy_ns=B]
 *
 * (a time -1 if what it measures did not happen).  Exit status: the
 * command's, or 128 + signal if it or we were killed by one; 2 for a usage
 * error, 127 if it could not be started.
 * Built 64- and 32-bit like every program here; the bench uses the 64-bit one.
 */
#define _GNU_SOURCE	/* memmem */
#include <errno.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static int64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static uint64_t rdtsc(void)
{
	uint32_t lo, hi;

	__asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
	return (uint64_t)hi << 32 | lo;
}

/*
 * The ns all CPUs spent running tasks (the idle task excluded): field 7 of
 * each "cpuN" line of /proc/schedstat (version 15, CONFIG_SCHEDSTATS), or
 * -1.  It grows when a task is switched out, so the caller's own slice so
 * far is missing: microseconds at both ends.
 */
static int64_t busy_ns(void)
{
	FILE *f = fopen("/proc/schedstat", "r");
	unsigned long long v[7];
	int64_t sum = -1;
	char line[512];

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "cpu%*u %llu %llu %llu %llu %llu %llu %llu", &v[0], &v[1],
			   &v[2], &v[3], &v[4], &v[5], &v[6]) == 7)
			sum = (sum < 0 ? 0 : sum) + (int64_t)v[6];
	fclose(f);
	return sum;
}

static int write_all(int fd, const char *p, size_t n)
{
	while (n) {
		ssize_t w = write(fd, p, n);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return -1;
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

/* What the command's run measured: times from fork+exec, -1 if not seen. */
struct probe {
	const char *mark;	/* --mark's TEXT, or NULL */
	const char *at_mark;	/* --at-mark's CMD, or NULL */
	int stdin_fd;		/* the command's stdin with --mark, else -1 */
	int64_t t0, busy0;
	int64_t first_ns, first_busy_ns;
	int64_t mark_ns, mark_busy_ns, pause_busy_ns;
};

/* TEXT has gone through: snapshot, then let the guest go on. */
static void at_mark(struct probe *pr)
{
	int64_t busy;

	pr->mark_ns = now_ns() - pr->t0;
	busy = busy_ns();
	pr->mark_busy_ns = busy < 0 || pr->busy0 < 0 ? -1 : busy - pr->busy0;
	fflush(stdout);
	if (pr->at_mark) {
		int st = system(pr->at_mark);

		if (st != 0)
			fprintf(stderr, "vmm-probe: --at-mark '%s': status %d\n", pr->at_mark, st);
	}
	if (busy >= 0) {
		int64_t after = busy_ns();

		pr->pause_busy_ns = after < 0 ? -1 : after - busy;
	}
	if (write_all(pr->stdin_fd, "\n", 1))
		perror("vmm-probe: the command's stdin");
}

/*
 * Copies the child's output through, noting when its first byte arrived
 * and, with --mark, when the line holding the mark has gone through (a
 * mark split across reads is found: the last bytes of the previous read
 * are kept).
 */
static void pass_through(int fd, struct probe *pr)
{
	size_t keep = pr->mark ? strlen(pr->mark) - 1 : 0;
	char buf[4096 + 256], *data = buf + 256;
	bool seen = false;
	size_t kept = 0;

	for (;;) {
		ssize_t n = read(fd, data, 4096);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return;
		if (pr->first_ns < 0) {
			int64_t busy = busy_ns();

			pr->first_ns = now_ns() - pr->t0;
			pr->first_busy_ns = busy < 0 || pr->busy0 < 0 ? -1 : busy - pr->busy0;
		}
		write_all(STDOUT_FILENO, data, (size_t)n);
		if (!pr->mark || pr->mark_ns >= 0)
			continue;
		if (!seen) {
			char *at = memmem(data - kept, kept + (size_t)n, pr->mark, strlen(pr->mark));

			if (at) {
				seen = true;
				/* The rest of its line: our snapshot's output starts a new one. */
				if (memchr(at, '\n', (size_t)(data + n - at)))
					at_mark(pr);
				continue;
			}
		} else if (memchr(data, '\n', (size_t)n)) {
			at_mark(pr);
			continue;
		}
		kept = kept + (size_t)n < keep ? kept + (size_t)n : keep;
		memmove(buf + 256 - kept, data + n - kept, kept);
	}
}

static pid_t child;
static volatile sig_atomic_t signalled;

/*
 * timeout(1) and ^C signal us: the VMM must not outlive its probe, and a
 * VMM that exits 0 on SIGTERM (QEMU does) must not make a stopped run look
 * complete: we then exit 128 + the signal.
 */
static void forward_signal(int sig)
{
	signalled = sig;
	if (child > 0)
		kill(child, sig);
}

static void usage(void)
{
	fprintf(stderr, "usage: vmm-probe [--mark TEXT [--at-mark CMD]] COMMAND [ARGS...]\n");
}

int main(int argc, char **argv)
{
	struct probe pr = {
		.stdin_fd = -1, .first_ns = -1, .first_busy_ns = -1,
		.mark_ns = -1, .mark_busy_ns = -1, .pause_busy_ns = -1,
	};
	int64_t end_ns, end_busy;
	uint64_t tsc0, tsc1;
	struct rusage ru;
	int pfd[2], ifd[2], status, code, arg = 1;
	pid_t pid;

	for (; arg < argc && argv[arg][0] == '-'; arg += 2) {
		if (arg + 1 >= argc) {
			usage();
			return 2;
		}
		if (!strcmp(argv[arg], "--mark") && argv[arg + 1][0]) {
			pr.mark = argv[arg + 1];
		} else if (!strcmp(argv[arg], "--at-mark")) {
			pr.at_mark = argv[arg + 1];
		} else {
			usage();
			return 2;
		}
	}
	/* A mark longer than the look-behind could straddle two reads unseen. */
	if (arg >= argc || (pr.at_mark && !pr.mark) || (pr.mark && strlen(pr.mark) > 256)) {
		usage();
		return 2;
	}
	if (pipe(pfd) < 0 || (pr.mark && pipe(ifd) < 0)) {
		perror("vmm-probe: pipe");
		return 127;
	}
	fflush(stdout);
	/* Switched out and back in: our own run time so far is counted now. */
	nanosleep(&(struct timespec){ 0, 1000000 }, NULL);
	pr.busy0 = busy_ns();
	tsc0 = rdtsc();
	pr.t0 = now_ns();
	pid = fork();
	if (pid < 0) {
		perror("vmm-probe: fork");
		return 127;
	}
	if (pid == 0) {
		dup2(pfd[1], STDOUT_FILENO);
		close(pfd[0]);
		close(pfd[1]);
		if (pr.mark) {
			dup2(ifd[0], STDIN_FILENO);
			close(ifd[0]);
			close(ifd[1]);
		}
		execvp(argv[arg], argv + arg);
		fprintf(stderr, "vmm-probe: %s: %s\n", argv[arg], strerror(errno));
		_exit(127);
	}
	child = pid;
	signal(SIGTERM, forward_signal);
	signal(SIGINT, forward_signal);
	signal(SIGHUP, forward_signal);
	close(pfd[1]);
	if (pr.mark) {
		close(ifd[0]);
		pr.stdin_fd = ifd[1];
		/* A command that ends before reading its stdin must not kill us. */
		signal(SIGPIPE, SIG_IGN);
	}
	pass_through(pfd[0], &pr);
	close(pfd[0]);
	while (wait4(pid, &status, 0, &ru) < 0)
		if (errno != EINTR) {
			perror("vmm-probe: wait4");
			return 127;
		}
	end_ns = now_ns() - pr.t0;
	end_busy = busy_ns();
	tsc1 = rdtsc();
	if (pr.stdin_fd >= 0)
		close(pr.stdin_fd);
	end_busy = end_busy < 0 || pr.busy0 < 0 ? -1 : end_busy - pr.busy0;
	if (end_busy >= 0 && pr.pause_busy_ns > 0)
		end_busy -= pr.pause_busy_ns;
	code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
	printf("vmm-probe: first_output_ns=%lld busy_ns=%lld tsc_khz=%llu maxrss_kib=%ld "
	       "status=%d end_ns=%lld end_busy_ns=%lld", (long long)pr.first_ns,
	       (long long)pr.first_busy_ns,
	       (unsigned long long)(end_ns > 0 ? (tsc1 - tsc0) * 1000000 / (uint64_t)end_ns : 0),
	       ru.ru_maxrss, code, (long long)end_ns, (long long)end_busy);
	if (pr.mark)
		printf(" mark_ns=%lld mark_busy_ns=%lld pause_busy_ns=%lld", (long long)pr.mark_ns,
		       (long long)pr.mark_busy_ns, (long long)pr.pause_busy_ns);
	printf("\n");
	return signalled ? 128 + signalled : code;
}
