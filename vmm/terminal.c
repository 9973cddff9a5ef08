/* The terminal in raw mode, restored on every exit path (see terminal.h). */
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "terminal.h"

/* Signals whose default action ends the process, other than vm_run()'s. */
static const int terminal_fatal_signals[] = {
	SIGQUIT, SIGILL, SIGTRAP, SIGABRT, SIGBUS, SIGFPE, SIGSEGV, SIGPIPE,
	SIGSYS, SIGXCPU, SIGXFSZ,
};
#define NR_FATAL (sizeof(terminal_fatal_signals) / sizeof(terminal_fatal_signals[0]))

/* Read by signal handlers: set before raw mode starts, cleared after it ends. */
static volatile sig_atomic_t terminal_is_raw;
static int terminal_fd = -1;
static struct termios terminal_saved;
static struct sigaction terminal_old_actions[NR_FATAL];

/* Async-signal-safe: tcsetattr() is on POSIX's list. */
static void terminal_put_back(int when)
{
	if (terminal_is_raw)
		tcsetattr(terminal_fd, when, &terminal_saved);
}

/*
 * SA_RESETHAND has already restored the default action: a fault re-runs
 * the faulting instruction on return, anything else is raised again
 * (blocked until this handler returns), and hvk dies as it would have.
 */
static void terminal_on_fatal_signal(int sig)
{
	int saved_errno = errno;

	terminal_put_back(TCSANOW);
	terminal_is_raw = 0;
	raise(sig);
	errno = saved_errno;
}

static void terminal_at_exit(void)
{
	terminal_restore();
}

static void terminal_catch_fatal_signals(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = terminal_on_fatal_signal;
	sa.sa_flags = SA_RESETHAND;
	sigemptyset(&sa.sa_mask);
	for (size_t i = 0; i < NR_FATAL; i++)
		sigaction(terminal_fatal_signals[i], &sa, &terminal_old_actions[i]);
}

static void terminal_release_fatal_signals(void)
{
	for (size_t i = 0; i < NR_FATAL; i++)
		sigaction(terminal_fatal_signals[i], &terminal_old_actions[i], NULL);
}

int terminal_raw_enter(int fd, struct hvk_err *err)
{
	static int at_exit_registered;
	struct termios raw;

	if (terminal_is_raw)
		return 0;
	if (tcgetattr(fd, &terminal_saved) < 0)
		return hvk_err_set(err, errno, "stdin: tcgetattr: %s", strerror(errno));
	if (!at_exit_registered && atexit(terminal_at_exit) == 0)
		at_exit_registered = 1;
	raw = terminal_saved;
	raw.c_iflag &= ~(IGNBRK | BRKINT | PARMRK | ISTRIP | INLCR | IGNCR | ICRNL | IXON);
	raw.c_oflag |= OPOST;
	raw.c_lflag &= ~(ECHO | ECHONL | ICANON | IEXTEN | ISIG);
	raw.c_cflag &= ~(CSIZE | PARENB);
	raw.c_cflag |= CS8;
	raw.c_cc[VMIN] = 1;
	raw.c_cc[VTIME] = 0;
	terminal_fd = fd;
	/* Handlers first: a signal between the two must find them ready. */
	terminal_is_raw = 1;
	terminal_catch_fatal_signals();
	if (tcsetattr(fd, TCSANOW, &raw) < 0) {
		int saved_errno = errno;

		terminal_is_raw = 0;
		terminal_release_fatal_signals();
		return hvk_err_set(err, saved_errno, "stdin: tcsetattr (raw mode): %s",
				   strerror(saved_errno));
	}
	return 0;
}

void terminal_restore(void)
{
	if (!terminal_is_raw)
		return;
	/* TCSADRAIN: the guest's last output reaches the screen in raw mode. */
	terminal_put_back(TCSADRAIN);
	terminal_is_raw = 0;
	terminal_release_fatal_signals();
}
