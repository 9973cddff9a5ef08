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
 *
 * The command's stdout passes through unchanged, its stderr is inherited;
 * then one line on stdout:
 *
 *   vmm-probe: first_output_ns=N busy_ns=B tsc_khz=K maxrss_kib=R status=S
 *
 * (first_output_ns and busy_ns -1 if it wrote nothing).  Exit status: the command's, or
 * 128 + signal; 2 for a usage error, 127 if it could not be started.
 * Built 64- and 32-bit like every program here; the bench uses the 64-bit one.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
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

/*
 * Copies the child's output through; sets *first and *busy to the time and
 * the busy time when its first byte arrived (-1 if none did).
 */
static void pass_through(int fd, int64_t *first, int64_t *busy)
{
	char buf[4096];

	*first = *busy = -1;
	for (;;) {
		ssize_t n = read(fd, buf, sizeof(buf));

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return;
		if (*first < 0) {
			*first = now_ns();
			*busy = busy_ns();
		}
		write_all(STDOUT_FILENO, buf, (size_t)n);
	}
}

int main(int argc, char **argv)
{
	int64_t t0, busy0, first, busy, t1;
	uint64_t tsc0, tsc1;
	struct rusage ru;
	int pfd[2], status, code;
	pid_t pid;

	if (argc < 2) {
		fprintf(stderr, "usage: vmm-probe COMMAND [ARGS...]\n");
		return 2;
	}
	if (pipe(pfd) < 0) {
		perror("vmm-probe: pipe");
		return 127;
	}
	fflush(stdout);
	/* Switched out and back in: our own run time so far is counted now. */
	nanosleep(&(struct timespec){ 0, 1000000 }, NULL);
	busy0 = busy_ns();
	tsc0 = rdtsc();
	t0 = now_ns();
	pid = fork();
	if (pid < 0) {
		perror("vmm-probe: fork");
		return 127;
	}
	if (pid == 0) {
		dup2(pfd[1], STDOUT_FILENO);
		close(pfd[0]);
		close(pfd[1]);
		execvp(argv[1], argv + 1);
		fprintf(stderr, "vmm-probe: %s: %s\n", argv[1], strerror(errno));
		_exit(127);
	}
	close(pfd[1]);
	pass_through(pfd[0], &first, &busy);
	close(pfd[0]);
	while (wait4(pid, &status, 0, &ru) < 0)
		if (errno != EINTR) {
			perror("vmm-probe: wait4");
			return 127;
		}
	t1 = now_ns();
	tsc1 = rdtsc();
	code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
	printf("vmm-probe: first_output_ns=%lld busy_ns=%lld tsc_khz=%llu maxrss_kib=%ld "
	       "status=%d\n", (long long)(first < 0 ? -1 : first - t0),
	       (long long)(busy < 0 || busy0 < 0 ? -1 : busy - busy0),
	       (unsigned long long)(t1 > t0 ? (tsc1 - tsc0) * 1000000 / (uint64_t)(t1 - t0) : 0),
	       ru.ru_maxrss, code);
	return code;
}
