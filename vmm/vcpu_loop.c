/* The vCPU run loop (see vcpu_loop.h). */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <abi/xen/sched.h>

#include "commands.h"
#include "vcpu_loop.h"

/* Guest output goes to stdout unbuffered, as the guest writes it. */
static void console_flush(struct hvk_run *run)
{
	const uint8_t *p = run->console;
	uint32_t left = run->console_len;

	while (left) {
		ssize_t n = write(STDOUT_FILENO, p, left);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;          /* stdout gone: nothing sensible to do */
		p += n;
		left -= n;
	}
	run->console_len = 0;
}

static const char *shutdown_reason_name(uint32_t reason)
{
	switch (reason) {
	case XEN_SHUTDOWN_POWEROFF: return "poweroff";
	case XEN_SHUTDOWN_REBOOT:   return "reboot";
	case XEN_SHUTDOWN_SUSPEND:  return "suspend";
	case XEN_SHUTDOWN_CRASH:    return "crash";
	case XEN_SHUTDOWN_WATCHDOG: return "watchdog";
	}
	return "unknown";
}

static int exit_shutdown(const struct hvk_run *run, bool quiet)
{
	uint32_t reason = run->exit.shutdown.reason;

	if (reason == XEN_SHUTDOWN_POWEROFF) {
		if (!quiet)
			fprintf(stderr, "hvk: guest powered off\n");
		return HVK_EXIT_CODE_OK;
	}
	fprintf(stderr, "hvk: guest shut down: %s (reason %u, from vCPU %u)\n",
		shutdown_reason_name(reason), reason, run->exit.shutdown.vcpu_id);
	if (reason == XEN_SHUTDOWN_CRASH)
		return HVK_EXIT_CODE_GUEST_CRASH;
	if (reason == XEN_SHUTDOWN_REBOOT)
		return HVK_EXIT_CODE_GUEST_REBOOT;
	return HVK_EXIT_CODE_GUEST_OTHER;
}

static int exit_mmio(const struct vcpu *vcpu)
{
	const struct hvk_exit_mmio *m = &vcpu->run->exit.mmio;

	fprintf(stderr, "hvk: vCPU %u: unhandled MMIO %s at guest-physical 0x%" PRIx64
		" (RIP 0x%" PRIx64 "): no device there\n", vcpu->id,
		m->is_write ? "write" : "read", (uint64_t)m->gpa, (uint64_t)m->rip);
	return HVK_EXIT_CODE_MMIO;
}

static int exit_io(const struct vcpu *vcpu)
{
	const struct hvk_exit_io *io = &vcpu->run->exit.io;

	if (io->direction == HVK_IO_OUT)
		fprintf(stderr, "hvk: vCPU %u: unhandled port I/O: out 0x%x, %u byte(s), "
			"value 0x%x: no device there\n", vcpu->id, io->port, io->size,
			io->data);
	else
		fprintf(stderr, "hvk: vCPU %u: unhandled port I/O: in 0x%x, %u byte(s): "
			"no device there\n", vcpu->id, io->port, io->size);
	return HVK_EXIT_CODE_PIO;
}

static const char *internal_error_name(uint32_t suberror)
{
	switch (suberror) {
	case HVK_INTERNAL_UNHANDLED_EXIT: return "unhandled exit, vendor code";
	case HVK_INTERNAL_NO_MEMORY:      return "out of memory mapping guest-physical";
	case HVK_INTERNAL_EMULATION:      return "cannot emulate instruction at RIP";
	case HVK_INTERNAL_BAD_STATE:      return "vCPU has no valid state";
	}
	return "unknown internal error";
}

/* Returns -1 to keep running, else the exit code. */
static int vcpu_handle_exit(struct vcpu *vcpu, bool quiet)
{
	struct hvk_run *run = vcpu->run;

	switch (run->exit_reason) {
	case HVK_EXIT_CONSOLE:
		return -1;
	case HVK_EXIT_SHUTDOWN:
		return exit_shutdown(run, quiet);
	case HVK_EXIT_TRIPLE_FAULT:
		fprintf(stderr, "hvk: vCPU %u: triple fault (the guest reset itself)\n",
			vcpu->id);
		return HVK_EXIT_CODE_TRIPLE_FAULT;
	case HVK_EXIT_FAIL_ENTRY:
		fprintf(stderr, "hvk: vCPU %u: VM entry failed: hardware reason 0x%" PRIx64
			", qualification 0x%" PRIx64 "\n", vcpu->id,
			(uint64_t)run->exit.fail_entry.hw_reason,
			(uint64_t)run->exit.fail_entry.qualification);
		return HVK_EXIT_CODE_FAIL_ENTRY;
	case HVK_EXIT_MMIO:
		return exit_mmio(vcpu);
	case HVK_EXIT_IO:
		return exit_io(vcpu);
	case HVK_EXIT_INTERNAL_ERROR:
		fprintf(stderr, "hvk: vCPU %u: internal error: %s 0x%" PRIx64 "\n",
			vcpu->id, internal_error_name(run->exit.internal.suberror),
			(uint64_t)run->exit.internal.data[0]);
		return HVK_EXIT_CODE_INTERNAL;
	}
	fprintf(stderr, "hvk: vCPU %u: unknown exit reason %u\n", vcpu->id,
		run->exit_reason);
	return HVK_EXIT_CODE_INTERNAL;
}

static int vcpu_stop_code(const struct vcpu_loop_stop *stop, unsigned int timeout_s)
{
	if (stop->timed_out) {
		fprintf(stderr, "hvk: timeout: the guest ran for %u s (--timeout)\n",
			timeout_s);
		return HVK_EXIT_CODE_TIMEOUT;
	}
	if (stop->signal) {
		fprintf(stderr, "hvk: stopped by signal %d (%s)\n", stop->signal,
			strsignal(stop->signal));
		return HVK_EXIT_CODE_SIGNAL_BASE + stop->signal;
	}
	return -1;
}

int vcpu_loop_run(struct vcpu *vcpu, const struct vcpu_loop_stop *stop,
		  bool quiet, unsigned int timeout_s)
{
	for (;;) {
		int code, rc = ioctl(vcpu->fd, HVK_RUN, 0);
		int saved_errno = errno;

		/* Console output comes first, whatever happened. */
		console_flush(vcpu->run);
		code = vcpu_stop_code(stop, timeout_s);
		if (code >= 0)
			return code;
		if (rc < 0) {
			if (saved_errno == EINTR) {
				vcpu->run->immediate_exit = 0;
				continue;       /* a signal we do not stop for */
			}
			fprintf(stderr, "hvk: vCPU %u: HVK_RUN: %s\n", vcpu->id,
				strerror(saved_errno));
			return HVK_EXIT_CODE_ERROR;
		}
		code = vcpu_handle_exit(vcpu, quiet);
		if (code >= 0)
			return code;
	}
}
