/* The Xen PV console's backend (see xen_console.h). */
#define _GNU_SOURCE     /* pipe2() */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

#include <abi/hvk.h>
#include <abi/xen/hvm_op.h>

#include "terminal.h"
#include "xen_console.h"

/*
 * One event drains at most this much: a guest producing from another vCPU
 * as fast as this one prints must not keep it away from its own exits.
 * Whatever is left goes with the guest's next send.
 */
#define XEN_CONSOLE_DRAIN_MAX    (2 * XEN_CONSOLE_OUT_SIZE)
/* How long input waits for the guest to make room before looking again. */
#define XEN_CONSOLE_ROOM_WAIT_MS 200

static int xen_console_set_param(int vm_fd, uint32_t index, uint64_t value,
				 const char *name, struct hvk_err *err)
{
	struct hvk_xen_param param = { .index = index, .value = value };

	if (ioctl(vm_fd, HVK_VM_XEN_SET_PARAM, &param) < 0)
		return hvk_err_set(err, errno, "HVK_VM_XEN_SET_PARAM %s (%u) = 0x%" PRIx64
				   ": %s", name, index, value, strerror(errno));
	return 0;
}

void xen_console_attach(struct xen_console *con, int vm_fd, uint32_t port,
			void *ring, uint64_t ring_paddr, int out_fd)
{
	memset(con, 0, sizeof(*con));
	con->in_fd = con->wake_pipe[0] = con->wake_pipe[1] = -1;
	con->vm_fd = vm_fd;
	con->port = port;
	con->ring = ring;
	con->ring_paddr = ring_paddr;
	con->out_fd = out_fd;
	pthread_mutex_init(&con->out_lock, NULL);
	pthread_mutex_init(&con->in_lock, NULL);
	pthread_cond_init(&con->input_room, NULL);
	con->active = true;
}

int xen_console_setup(struct xen_console *con, int vm_fd, void *ring,
		      uint64_t ring_paddr, int out_fd, struct hvk_err *err)
{
	struct hvk_xen_evtchn bind = { .op = HVK_XEN_EVTCHN_BIND_VMM };
	int rc;

	con->active = false;
	if (ioctl(vm_fd, HVK_VM_XEN_EVTCHN, &bind) < 0)
		return hvk_err_set(err, errno, "HVK_VM_XEN_EVTCHN (bind the PV console's "
				   "port): %s", strerror(errno));
	/* Linux's hvc_xen reads CONSOLE_EVTCHN 0 as "no console" (port 0 is never bound). */
	if (bind.port == 0)
		return hvk_err_set(err, EPROTO, "HVK_VM_XEN_EVTCHN bound the PV console to "
				   "port 0, which guests take for no console");
	rc = xen_console_set_param(vm_fd, XEN_HVM_PARAM_CONSOLE_PFN,
				   ring_paddr / XEN_CONSOLE_PAGE_SIZE, "CONSOLE_PFN", err);
	if (rc == 0)
		rc = xen_console_set_param(vm_fd, XEN_HVM_PARAM_CONSOLE_EVTCHN, bind.port,
					   "CONSOLE_EVTCHN", err);
	if (rc == 0)
		xen_console_attach(con, vm_fd, bind.port, ring, ring_paddr, out_fd);
	return rc;
}

/* Raises the guest's end of the console port, as xenconsoled's notify. */
static void xen_console_notify(struct xen_console *con)
{
	struct hvk_xen_evtchn send = { .op = HVK_XEN_EVTCHN_SEND, .port = con->port };

	if (ioctl(con->vm_fd, HVK_VM_XEN_EVTCHN, &send) == 0 ||
	    __atomic_exchange_n(&con->send_error_reported, true, __ATOMIC_RELAXED))
		return;
	fprintf(stderr, "hvk: PV console: HVK_VM_XEN_EVTCHN send on port %u: %s "
		"(the guest may wait for console room forever)\n", con->port,
		strerror(errno));
}

static void xen_console_write_all(int fd, const char *p, size_t left)
{
	while (left) {
		ssize_t n = write(fd, p, left);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return;         /* stdout gone: nothing sensible to do */
		p += n;
		left -= n;
	}
}

static void xen_console_report_bad(bool *reported, const char *ring)
{
	if (*reported)
		return;
	*reported = true;
	fprintf(stderr, "hvk: PV console: the guest's %s ring indices claim more than "
		"the ring holds (prod - cons > %u): its contents were dropped\n", ring,
		strcmp(ring, "output") ? XEN_CONSOLE_IN_SIZE : XEN_CONSOLE_OUT_SIZE);
}

/* Prints pending output; returns the number of bytes taken from the ring. */
static size_t xen_console_output(struct xen_console *con)
{
	char buf[XEN_CONSOLE_OUT_SIZE];
	enum xencons_status status;
	size_t n, total = 0;

	pthread_mutex_lock(&con->out_lock);
	do {
		n = xencons_out_take(con->ring, buf, sizeof(buf), &status);
		if (status != XENCONS_OK)
			xen_console_report_bad(&con->bad_out_reported, "output");
		xen_console_write_all(con->out_fd, buf, n);
		total += n;
	} while (n && total < XEN_CONSOLE_DRAIN_MAX);
	pthread_mutex_unlock(&con->out_lock);
	return total;
}

bool xen_console_event(struct xen_console *con, uint32_t port)
{
	if (!con || !con->active || port != con->port)
		return false;
	/* Room freed: a guest that found the ring full waits for this send. */
	if (xen_console_output(con))
		xen_console_notify(con);
	/* The same port says the guest took input: room for more. */
	pthread_mutex_lock(&con->in_lock);
	pthread_cond_broadcast(&con->input_room);
	pthread_mutex_unlock(&con->in_lock);
	return true;
}

void xen_console_drain(struct xen_console *con)
{
	if (con->active)
		xen_console_output(con);
}

/* ---- input -------------------------------------------------------------- */

/* Waits (in_lock held) until the guest may have made room, or stop. */
static void xen_console_wait_room(struct xen_console *con)
{
	struct timespec until;

	clock_gettime(CLOCK_REALTIME, &until);
	until.tv_nsec += XEN_CONSOLE_ROOM_WAIT_MS * 1000000L;
	if (until.tv_nsec >= 1000000000L) {
		until.tv_sec++;
		until.tv_nsec -= 1000000000L;
	}
	pthread_cond_timedwait(&con->input_room, &con->in_lock, &until);
}

/* Puts all of buf into in[], waiting for room; false when told to stop. */
static bool xen_console_feed(struct xen_console *con, const char *buf, size_t len)
{
	enum xencons_status status;
	bool stopping = false;

	while (len && !stopping) {
		size_t n;

		pthread_mutex_lock(&con->in_lock);
		n = xencons_in_put(con->ring, buf, len, &status);
		if (status != XENCONS_OK)
			xen_console_report_bad(&con->bad_in_reported, "input");
		if (n == 0 && !con->input_stopping)
			xen_console_wait_room(con);
		stopping = con->input_stopping;
		pthread_mutex_unlock(&con->in_lock);
		if (n)
			xen_console_notify(con);
		buf += n;
		len -= n;
	}
	return !stopping;
}

/* What the terminal's bytes ask for; false when the run is to end. */
static bool xen_console_typed(struct xen_console *con, char *buf, size_t n)
{
	char guest[sizeof(((struct xen_console_interface *)0)->in)];
	enum console_escape_command cmd;
	size_t len;

	cmd = console_escape_filter(&con->escape, buf, n, guest, &len);
	if (!xen_console_feed(con, guest, len))
		return false;
	if (cmd == CONSOLE_ESCAPE_SHOW_HELP)
		fprintf(stderr, "\n%s\n", CONSOLE_ESCAPE_HELP);
	if (cmd != CONSOLE_ESCAPE_QUIT)
		return true;
	con->quit(con->quit_arg);
	return false;
}

/* Reads stdin until its end, an error, Ctrl-a x or xen_console_input_stop(). */
static void *xen_console_input_main(void *arg)
{
	struct xen_console *con = arg;
	char buf[XEN_CONSOLE_IN_SIZE];

	for (;;) {
		struct pollfd fds[2] = {
			{ .fd = con->in_fd, .events = POLLIN },
			{ .fd = con->wake_pipe[0], .events = POLLIN },
		};
		ssize_t n;

		if (poll(fds, 2, -1) < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		if (fds[1].revents)
			break;
		n = read(con->in_fd, buf, sizeof(buf));
		if (n < 0 && (errno == EINTR || errno == EAGAIN))
			continue;
		if (n <= 0)
			break;          /* end of input, or an error: stop reading */
		if (con->terminal ? !xen_console_typed(con, buf, n)
				  : !xen_console_feed(con, buf, n))
			break;
	}
	return NULL;
}

/* A terminal another process group has in the foreground: reading it would stop hvk. */
static bool xen_console_background_terminal(int fd)
{
	pid_t fg = tcgetpgrp(fd);

	return fg >= 0 && fg != getpgrp();
}

int xen_console_input_start(struct xen_console *con, int in_fd, bool quiet,
			    void (*quit)(void *arg), void *arg, struct hvk_err *err)
{
	int rc;

	if (!con->active)
		return 0;
	con->in_fd = in_fd;
	con->quit = quit;
	con->quit_arg = arg;
	con->terminal = isatty(in_fd);
	if (con->terminal && xen_console_background_terminal(in_fd)) {
		fprintf(stderr, "hvk: stdin is a terminal hvk runs in the background of: "
			"no console input (run hvk in the foreground to type to the guest)\n");
		return 0;
	}
	if (pipe2(con->wake_pipe, O_CLOEXEC) < 0)
		return hvk_err_set(err, errno, "PV console input: pipe: %s", strerror(errno));
	if (con->terminal) {
		rc = terminal_raw_enter(in_fd, err);
		if (rc)
			return rc;
		if (!quiet)
			fprintf(stderr, "hvk: the guest's console is on this terminal: "
				"Ctrl-a x quits, Ctrl-a h for help\n");
	}
	rc = pthread_create(&con->input_thread, NULL, xen_console_input_main, con);
	if (rc) {
		terminal_restore();
		return hvk_err_set(err, rc, "PV console input: cannot start a thread: %s",
				   strerror(rc));
	}
	con->input_started = true;
	return 0;
}

void xen_console_input_stop(struct xen_console *con)
{
	if (!con->active)
		return;         /* never set up: nothing started, no fds */
	if (con->input_started) {
		pthread_mutex_lock(&con->in_lock);
		con->input_stopping = true;
		pthread_cond_broadcast(&con->input_room);
		pthread_mutex_unlock(&con->in_lock);
		/* A full pipe is fine: one byte in it is all the thread needs. */
		if (write(con->wake_pipe[1], "", 1) < 0 && errno != EAGAIN)
			fprintf(stderr, "hvk: PV console input: cannot wake its thread: %s\n",
				strerror(errno));
		pthread_join(con->input_thread, NULL);
		con->input_started = false;
	}
	terminal_restore();
	for (int i = 0; i < 2; i++) {
		if (con->wake_pipe[i] >= 0)
			close(con->wake_pipe[i]);
		con->wake_pipe[i] = -1;
	}
}
