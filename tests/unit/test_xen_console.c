/*
 * The PV console backend (vmm/xen_console.c) without a VM: output events,
 * the final drain, input from a pipe read to its end, and a terminal (a
 * pty) put in raw mode, quit with Ctrl-a x, and restored.  There is no
 * /dev/hvk here, so the backend's notifications fail on a VM fd of -1:
 * stderr goes to /dev/null meanwhile.
 */
#define _GNU_SOURCE     /* ptsname */
#include <fcntl.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include "tests.h"
#include "xen_console.h"

#define PORT 5

static struct xen_console_interface ring;
static struct xen_console con;
static int out_pipe[2] = { -1, -1 };
static int saved_stderr = -1;

static void setup(void)
{
	int devnull = open("/dev/null", O_WRONLY);

	memset(&ring, 0, sizeof(ring));
	ck_assert_int_eq(pipe(out_pipe), 0);
	fcntl(out_pipe[0], F_SETFL, O_NONBLOCK);
	xen_console_attach(&con, -1, PORT, &ring, 0x9f000, out_pipe[1]);
	saved_stderr = dup(STDERR_FILENO);
	dup2(devnull, STDERR_FILENO);
	close(devnull);
}

static void teardown(void)
{
	dup2(saved_stderr, STDERR_FILENO);
	close(saved_stderr);
	close(out_pipe[0]);
	close(out_pipe[1]);
}

static void guest_write(const char *s)
{
	for (size_t i = 0; s[i]; i++)
		ring.out[ring.out_prod++ & (XEN_CONSOLE_OUT_SIZE - 1)] = s[i];
}

/* What the backend printed so far, NUL-ended. */
static const char *printed(void)
{
	static char buf[8192];
	ssize_t n = read(out_pipe[0], buf, sizeof(buf) - 1);

	buf[n > 0 ? n : 0] = '\0';
	return buf;
}

/* Waits up to 5 s for cond(); Check's own timeout would be less clear. */
static bool wait_for(bool (*cond)(void))
{
	for (int i = 0; i < 500; i++) {
		if (cond())
			return true;
		usleep(10000);
	}
	return cond();
}

START_TEST(test_event_prints_output)
{
	guest_write("Linux version 6.1\r\n");
	ck_assert(xen_console_event(&con, PORT));
	ck_assert_str_eq(printed(), "Linux version 6.1\r\n");
	ck_assert_uint_eq(ring.out_cons, ring.out_prod);
	/* Another port is not the console's: the vCPU loop reports it. */
	guest_write("x");
	ck_assert(!xen_console_event(&con, PORT + 1));
	ck_assert_str_eq(printed(), "");
	/* What is left at the end of the run still comes out. */
	guest_write("reboot: Power down\r\n");
	xen_console_drain(&con);
	ck_assert_str_eq(printed(), "xreboot: Power down\r\n");
}
END_TEST

START_TEST(test_inactive_console)
{
	struct xen_console none = { .active = false };

	ck_assert(!xen_console_event(&none, PORT));
	ck_assert(!xen_console_event(NULL, PORT));
	xen_console_drain(&none);
	xen_console_input_stop(&none);  /* must not close fd 0 */
	ck_assert_int_ne(fcntl(STDIN_FILENO, F_GETFD), -1);
}
END_TEST

static bool input_has_6(void)
{
	return __atomic_load_n(&ring.in_prod, __ATOMIC_ACQUIRE) == 6;
}

static int quits;

static void on_quit(void *arg)
{
	(void)arg;
	__atomic_add_fetch(&quits, 1, __ATOMIC_RELEASE);
}

/* Not a terminal: read to the end as is (Ctrl-a means nothing), then stop. */
START_TEST(test_input_from_pipe)
{
	struct hvk_err err;
	int in[2];

	ck_assert_int_eq(pipe(in), 0);
	ck_assert_int_eq(write(in[1], "ab\x01x\n!", 6), 6);
	close(in[1]);
	ck_assert_msg(xen_console_input_start(&con, in[0], true, on_quit, NULL, &err) == 0,
		      "%s", err.msg);
	ck_assert(wait_for(input_has_6));
	ck_assert_mem_eq(ring.in, "ab\x01x\n!", 6);
	ck_assert_int_eq(quits, 0);
	xen_console_input_stop(&con);
	close(in[0]);
}
END_TEST

static bool quit_seen(void)
{
	return __atomic_load_n(&quits, __ATOMIC_ACQUIRE) > 0;
}

/* A terminal: raw while the guest has it, Ctrl-a x quits, then restored. */
START_TEST(test_input_terminal_raw_and_quit)
{
	struct termios before, during, after;
	struct hvk_err err;
	int master, slave;

	master = posix_openpt(O_RDWR | O_NOCTTY);
	ck_assert_int_ge(master, 0);
	ck_assert_int_eq(grantpt(master), 0);
	ck_assert_int_eq(unlockpt(master), 0);
	slave = open(ptsname(master), O_RDWR | O_NOCTTY);
	ck_assert_int_ge(slave, 0);
	ck_assert_int_eq(tcgetattr(slave, &before), 0);
	ck_assert(before.c_lflag & ICANON);

	quits = 0;
	ck_assert_msg(xen_console_input_start(&con, slave, true, on_quit, NULL, &err) == 0,
		      "%s", err.msg);
	ck_assert_int_eq(tcgetattr(slave, &during), 0);
	ck_assert(!(during.c_lflag & (ICANON | ECHO | ISIG)));
	ck_assert(!(during.c_iflag & ICRNL));
	ck_assert(during.c_oflag & OPOST);      /* hvk's messages keep their margin */

	/* Ctrl-C is the guest's; Ctrl-a Ctrl-a one Ctrl-a; Ctrl-a x ends it. */
	ck_assert_int_eq(write(master, "q\x03\x01\x01\r\x01xLOST", 9), 9);
	ck_assert(wait_for(quit_seen));
	ck_assert_uint_eq(ring.in_prod, 4);
	ck_assert_mem_eq(ring.in, "q\x03\x01\r", 4);
	xen_console_input_stop(&con);
	ck_assert_int_eq(quits, 1);

	ck_assert_int_eq(tcgetattr(slave, &after), 0);
	ck_assert_uint_eq(after.c_lflag, before.c_lflag);
	ck_assert_uint_eq(after.c_iflag, before.c_iflag);
	ck_assert_uint_eq(after.c_oflag, before.c_oflag);
	close(slave);
	close(master);
}
END_TEST

/* The guest never reads: input waits for room and still stops on request. */
START_TEST(test_input_stops_while_ring_full)
{
	static char big[XEN_CONSOLE_IN_SIZE + 10];
	struct hvk_err err;
	int in[2];

	memset(big, 'z', sizeof(big));
	ck_assert_int_eq(pipe(in), 0);
	ck_assert_int_eq(write(in[1], big, sizeof(big)), (ssize_t)sizeof(big));
	ck_assert_msg(xen_console_input_start(&con, in[0], true, on_quit, NULL, &err) == 0,
		      "%s", err.msg);
	for (int i = 0; i < 500 && ring.in_prod != XEN_CONSOLE_IN_SIZE; i++)
		usleep(10000);
	ck_assert_uint_eq(ring.in_prod, XEN_CONSOLE_IN_SIZE);
	xen_console_input_stop(&con);   /* returns: the test would time out */
	close(in[0]);
	close(in[1]);
}
END_TEST

Suite *xen_console_suite(void)
{
	Suite *s = suite_create("xen_console");
	TCase *tc = tcase_create("backend");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_event_prints_output);
	tcase_add_test(tc, test_inactive_console);
	tcase_add_test(tc, test_input_from_pipe);
	tcase_add_test(tc, test_input_terminal_raw_and_quit);
	tcase_add_test(tc, test_input_stops_while_ring_full);
	suite_add_tcase(s, tc);
	return s;
}
