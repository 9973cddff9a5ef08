/*
 * Running a VM (see vm_run.h).
 *
 * vCPU threads block every process signal but SIGUSR1, the VMM's "stop"
 * kick.  The main thread waits in sigwaitinfo() for SIGINT/SIGTERM/SIGHUP,
 * SIGALRM (--timeout) or SIGUSR2 (a vCPU thread finished), then stops the
 * rest: it sets the stop flag and each run page's immediate_exit (so a
 * thread about to call HVK_RUN returns at once) and sends SIGUSR1 (so one
 * inside HVK_RUN returns -EINTR).  The PV console's input thread sends
 * SIGUSR2 too when the user quits (Ctrl-a x).
 */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include "commands.h"
#include "vcpu_loop.h"
#include "vm_run.h"

#define VCPU_KICK_SIGNAL   SIGUSR1
#define VCPU_DONE_SIGNAL   SIGUSR2

struct vcpu_thread {
	struct vcpu *vcpu;
	const struct vcpu_devices *dev;
	pthread_t thread;
	bool started;
	struct vcpu_outcome outcome;
};

static volatile sig_atomic_t run_stop;
static pthread_t run_main_thread;
static int run_first_done = -1;         /* index of the first vCPU to finish */
static bool run_console_quit;           /* Ctrl-a x came before any vCPU finished */
static pthread_mutex_t run_lock = PTHREAD_MUTEX_INITIALIZER;

static void on_kick(int sig)
{
	(void)sig;      /* only interrupts HVK_RUN (no SA_RESTART) */
}

static void *vcpu_thread_main(void *arg)
{
	struct vcpu_thread *t = arg;

	vcpu_loop_run(t->vcpu, t->dev, &run_stop, &t->outcome);
	if (!t->outcome.stopped) {
		pthread_mutex_lock(&run_lock);
		if (run_first_done < 0)
			run_first_done = t->vcpu->id;
		pthread_mutex_unlock(&run_lock);
		pthread_kill(run_main_thread, VCPU_DONE_SIGNAL);
	}
	return NULL;
}

/* The console's Ctrl-a x, on its input thread. */
static void on_console_quit(void *arg)
{
	(void)arg;
	pthread_mutex_lock(&run_lock);
	if (run_first_done < 0)
		run_console_quit = true;
	pthread_mutex_unlock(&run_lock);
	pthread_kill(run_main_thread, VCPU_DONE_SIGNAL);
}

static void run_signal_sets(sigset_t *waited)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_kick;
	sigemptyset(&sa.sa_mask);
	sigaction(VCPU_KICK_SIGNAL, &sa, NULL);
	sigemptyset(waited);
	sigaddset(waited, SIGINT);
	sigaddset(waited, SIGTERM);
	sigaddset(waited, SIGHUP);
	sigaddset(waited, SIGALRM);
	sigaddset(waited, VCPU_DONE_SIGNAL);
}

static void run_stop_all(struct vcpu_thread *threads, unsigned int n)
{
	run_stop = 1;
	for (unsigned int i = 0; i < n; i++) {
		if (!threads[i].started)
			continue;
		threads[i].vcpu->run->immediate_exit = 1;
		pthread_kill(threads[i].thread, VCPU_KICK_SIGNAL);
	}
	for (unsigned int i = 0; i < n; i++)
		if (threads[i].started)
			pthread_join(threads[i].thread, NULL);
}

/* Waits for the event that ends the run; returns the deciding signal. */
static int run_wait(const sigset_t *waited)
{
	for (;;) {
		int sig = sigwaitinfo(waited, NULL);

		if (sig == VCPU_DONE_SIGNAL) {
			pthread_mutex_lock(&run_lock);
			bool done = run_first_done >= 0 || run_console_quit;
			pthread_mutex_unlock(&run_lock);
			if (done)
				return sig;
			continue;
		}
		if (sig > 0)
			return sig;
		if (errno != EINTR)
			return -1;
	}
}

/*
 * Every vCPU that finishes sends VCPU_DONE_SIGNAL, and only the first was
 * taken: the rest must go before the mask is restored, or the default
 * action of SIGUSR2 would kill the VMM after a clean run.
 */
static void run_drain_signals(const sigset_t *waited)
{
	struct timespec zero = { 0, 0 };

	while (sigtimedwait(waited, NULL, &zero) > 0)
		;
}

/* SIGALRM after @ms milliseconds (0: never), or none. */
static void run_set_alarm(unsigned int ms)
{
	struct itimerval t = {
		.it_value = { .tv_sec = ms / 1000, .tv_usec = (ms % 1000) * 1000 },
	};

	setitimer(ITIMER_REAL, &t, NULL);
}

static int run_report(int sig, struct vcpu_thread *threads, unsigned int timeout_ms,
		      bool quiet)
{
	const struct vcpu_outcome *o;

	if (sig == SIGALRM) {
		unsigned int frac = timeout_ms % 1000;
		int digits = 3;

		/* As given: 10 s, 0.25 s. */
		for (; frac && frac % 10 == 0; frac /= 10)
			digits--;
		if (frac)
			fprintf(stderr, "hvk: timeout: the guest ran for %u.%0*u s (--timeout)\n",
				timeout_ms / 1000, digits, frac);
		else
			fprintf(stderr, "hvk: timeout: the guest ran for %u s (--timeout)\n",
				timeout_ms / 1000);
		return HVK_EXIT_CODE_TIMEOUT;
	}
	if (sig != VCPU_DONE_SIGNAL) {
		fprintf(stderr, "hvk: stopped by signal %d (%s)\n", sig, strsignal(sig));
		return HVK_EXIT_CODE_SIGNAL_BASE + sig;
	}
	if (run_console_quit) {
		if (!quiet)
			fprintf(stderr, "hvk: quit from the console (Ctrl-a x)\n");
		return HVK_EXIT_CODE_CONSOLE_QUIT;
	}
	o = &threads[run_first_done].outcome;
	if (!o->quiet_ok || !quiet)
		fprintf(stderr, "hvk: %s\n", o->reason);
	return o->code;
}

/*
 * The console's input, for the run's length.  Without it the guest still
 * runs and prints: say why and go on.
 */
static void run_console_input_start(struct vm *vm, bool quiet)
{
	struct hvk_err err;

	if (xen_console_input_start(&vm->console, STDIN_FILENO, quiet, on_console_quit,
				    NULL, &err))
		fprintf(stderr, "hvk: no console input: %s\n", err.msg);
}

/*
 * After the vCPUs: what the guest left in the console ring is printed (a
 * power-off's last lines), then the terminal is put back, before hvk's
 * own last words.
 */
static void run_console_end(struct vm *vm)
{
	xen_console_drain(&vm->console);
	xen_console_input_stop(&vm->console);
}

int vm_run(struct vm *vm, unsigned int timeout_ms, bool quiet)
{
	struct vcpu_thread threads[HVK_MAX_VCPUS];
	struct vcpu_devices dev = { .ports = &vm->ports, .console = &vm->console };
	sigset_t waited, old;
	int sig, code;

	memset(threads, 0, sizeof(threads));
	run_main_thread = pthread_self();
	run_first_done = -1;
	run_console_quit = false;
	run_signal_sets(&waited);
	/* Threads inherit the mask: only the main thread takes these. */
	pthread_sigmask(SIG_BLOCK, &waited, &old);
	run_console_input_start(vm, quiet);
	for (unsigned int i = 0; i < vm->nr_vcpus; i++) {
		threads[i].vcpu = &vm->vcpus[i];
		threads[i].dev = &dev;
		threads[i].started = !pthread_create(&threads[i].thread, NULL,
						     vcpu_thread_main, &threads[i]);
		if (!threads[i].started) {
			run_stop_all(threads, vm->nr_vcpus);
			run_console_end(vm);
			fprintf(stderr, "hvk: cannot start a thread for vCPU %u\n", i);
			run_drain_signals(&waited);
			pthread_sigmask(SIG_SETMASK, &old, NULL);
			return HVK_EXIT_CODE_ERROR;
		}
	}
	run_set_alarm(timeout_ms);
	sig = run_wait(&waited);
	run_set_alarm(0);
	run_stop_all(threads, vm->nr_vcpus);
	run_console_end(vm);
	code = sig < 0 ? HVK_EXIT_CODE_ERROR : run_report(sig, threads, timeout_ms, quiet);
	run_drain_signals(&waited);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	return code;
}
