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
#include "vcpu_state.h"

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

#define outcome_set(out, c, ...) \
	((out)->code = (c), snprintf((out)->reason, sizeof((out)->reason), __VA_ARGS__))

/* The one poweroff outcome, by SCHEDOP_shutdown or by ACPI S5. */
static void outcome_power_off(struct vcpu_outcome *out)
{
	out->quiet_ok = true;
	outcome_set(out, HVK_EXIT_CODE_OK, "guest powered off");
}

static void exit_shutdown(const struct hvk_run *run, struct vcpu_outcome *out)
{
	uint32_t reason = run->exit.shutdown.reason;
	int code = HVK_EXIT_CODE_GUEST_OTHER;

	if (reason == XEN_SHUTDOWN_POWEROFF) {
		outcome_power_off(out);
		return;
	}
	if (reason == XEN_SHUTDOWN_CRASH)
		code = HVK_EXIT_CODE_GUEST_CRASH;
	else if (reason == XEN_SHUTDOWN_REBOOT)
		code = HVK_EXIT_CODE_GUEST_REBOOT;
	outcome_set(out, code, "guest shut down: %s (reason %u, from vCPU %u)",
		    shutdown_reason_name(reason), reason, run->exit.shutdown.vcpu_id);
}

static void exit_mmio(const struct vcpu *vcpu, struct vcpu_outcome *out)
{
	const struct hvk_exit_mmio *m = &vcpu->run->exit.mmio;
	char what[64] = "";

	if (m->size && m->is_write)
		snprintf(what, sizeof(what), " of %u byte(s), value 0x%" PRIx64, m->size,
			 (uint64_t)m->data);
	else if (m->size)
		snprintf(what, sizeof(what), " of %u byte(s)", m->size);
	outcome_set(out, HVK_EXIT_CODE_MMIO, "vCPU %u: unhandled MMIO %s%s at guest-physical "
		    "0x%" PRIx64 " (RIP 0x%" PRIx64 "): no device there", vcpu->id,
		    m->is_write ? "write" : "read", what, (uint64_t)m->gpa, (uint64_t)m->rip);
}

static void exit_io(const struct vcpu *vcpu, struct vcpu_outcome *out)
{
	const struct hvk_exit_io *io = &vcpu->run->exit.io;

	if (io->direction == HVK_IO_OUT)
		outcome_set(out, HVK_EXIT_CODE_PIO, "vCPU %u: unhandled port I/O: out 0x%x, "
			    "%u byte(s), value 0x%x: no device there", vcpu->id, io->port,
			    io->size, io->data);
	else
		outcome_set(out, HVK_EXIT_CODE_PIO, "vCPU %u: unhandled port I/O: in 0x%x, "
			    "%u byte(s): no device there", vcpu->id, io->port, io->size);
}

static const char *internal_error_name(uint32_t suberror)
{
	switch (suberror) {
	case HVK_INTERNAL_UNHANDLED_EXIT: return "unhandled exit, vendor code";
	case HVK_INTERNAL_NO_MEMORY:      return "out of memory mapping guest-physical";
	case HVK_INTERNAL_EMULATION:      return "cannot emulate instruction at RIP";
	case HVK_INTERNAL_BAD_STATE:      return "vCPU has no valid state";
	case HVK_INTERNAL_RAM_FAULT:      return "guest RAM not mapped (or not writable) "
						 "in the VMM, at guest-physical";
	}
	return "unknown internal error";
}

/*
 * An access to a port of the VMM's table (ports.h); false to keep running,
 * true when it decided the outcome.  Unknown ports: exit_io().
 */
static bool exit_port_io(const struct vcpu *vcpu, const struct port_table *ports,
			 struct vcpu_outcome *out)
{
	struct hvk_exit_io *io = &vcpu->run->exit.io;
	enum port_effect effect;

	if (!port_table_access(ports, io, &effect)) {
		exit_io(vcpu, out);
		return true;
	}
	switch (effect) {
	case PORT_EFFECT_NONE:
		return false;
	case PORT_EFFECT_SLEEP_IGNORED:
		/* The guest goes on; a message, as it may now wait for a wake-up. */
		fprintf(stderr, "hvk: vCPU %u: ACPI sleep control write 0x%x asks for a "
			"sleep state hvk does not have (only S5, power-off); ignored\n",
			vcpu->id, io->data & 0xff);
		return false;
	case PORT_EFFECT_POWER_OFF:
		outcome_power_off(out);
		return true;
	case PORT_EFFECT_RESET:
		outcome_set(out, HVK_EXIT_CODE_GUEST_REBOOT, "guest shut down: reboot "
			    "(ACPI reset register, from vCPU %u)", vcpu->id);
		return true;
	}
	return false;
}

/*
 * The guest sent on a port whose other end is the VMM: the PV console's,
 * or one no device bound (a kernel bug: the VMM binds every such port).
 */
static bool exit_xen_evtchn(const struct vcpu *vcpu, struct xen_console *console,
			    struct vcpu_outcome *out)
{
	uint32_t port = vcpu->run->exit.xen_evtchn.port;

	if (xen_console_event(console, port))
		return false;
	outcome_set(out, HVK_EXIT_CODE_INTERNAL, "vCPU %u: the guest sent on event "
		    "channel port %u, which no device of the VMM has bound", vcpu->id, port);
	return true;
}

/* Returns false to keep running, true when the outcome is decided. */
static bool vcpu_handle_exit(struct vcpu *vcpu, const struct vcpu_devices *dev,
			     struct vcpu_outcome *out)
{
	struct hvk_run *run = vcpu->run;

	switch (run->exit_reason) {
	case HVK_EXIT_CONSOLE:
		return false;
	case HVK_EXIT_IO:
		return exit_port_io(vcpu, dev->ports, out);
	case HVK_EXIT_XEN_EVTCHN:
		return exit_xen_evtchn(vcpu, dev->console, out);
	case HVK_EXIT_SHUTDOWN:
		exit_shutdown(run, out);
		break;
	case HVK_EXIT_TRIPLE_FAULT:
		vcpu_state_print(vcpu, "at the triple fault", stderr);
		outcome_set(out, HVK_EXIT_CODE_TRIPLE_FAULT,
			    "vCPU %u: triple fault (the guest reset itself)", vcpu->id);
		break;
	case HVK_EXIT_FAIL_ENTRY:
		vcpu_state_print(vcpu, "the entry refused", stderr);
		outcome_set(out, HVK_EXIT_CODE_FAIL_ENTRY, "vCPU %u: VM entry failed: "
			    "hardware reason 0x%" PRIx64 ", qualification 0x%" PRIx64,
			    vcpu->id, (uint64_t)run->exit.fail_entry.hw_reason,
			    (uint64_t)run->exit.fail_entry.qualification);
		break;
	case HVK_EXIT_MMIO:
		exit_mmio(vcpu, out);
		break;
	case HVK_EXIT_INTERNAL_ERROR:
		outcome_set(out, HVK_EXIT_CODE_INTERNAL, "vCPU %u: internal error: %s 0x%"
			    PRIx64, vcpu->id, internal_error_name(run->exit.internal.suberror),
			    (uint64_t)run->exit.internal.data[0]);
		break;
	default:
		outcome_set(out, HVK_EXIT_CODE_INTERNAL, "vCPU %u: unknown exit reason %u",
			    vcpu->id, run->exit_reason);
	}
	return true;
}

void vcpu_loop_run(struct vcpu *vcpu, const struct vcpu_devices *dev,
		   volatile sig_atomic_t *stop, struct vcpu_outcome *out)
{
	memset(out, 0, sizeof(*out));
	for (;;) {
		int rc = ioctl(vcpu->fd, HVK_RUN, 0);
		int saved_errno = errno;

		/* Console output comes first, whatever happened. */
		console_flush(vcpu->run);
		if (*stop) {
			out->stopped = true;
			return;
		}
		if (rc < 0 && saved_errno == EINTR) {
			vcpu->run->immediate_exit = 0;
			continue;       /* a signal that is not ours to act on */
		}
		if (rc < 0) {
			outcome_set(out, HVK_EXIT_CODE_ERROR, "vCPU %u: HVK_RUN: %s",
				    vcpu->id, strerror(saved_errno));
			return;
		}
		if (vcpu_handle_exit(vcpu, dev, out))
			return;
	}
}
