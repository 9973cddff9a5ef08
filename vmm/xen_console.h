/*
 * The Xen PV console's backend (REFERENCE-GUEST-SERVICES §8): what
 * xenconsoled is to a Xen guest, for `hvk run --xen`.
 *
 * Before the first vCPU runs, xen_console_setup() binds an event channel
 * whose other end is the VMM (HVK_XEN_EVTCHN_BIND_VMM) and tells the guest
 * where the ring page is and which port to use (HVM params CONSOLE_PFN and
 * CONSOLE_EVTCHN, which Linux's hvc_xen reads for hvc0).  Then:
 *  - output: a guest send on the port returns from HVK_RUN with
 *    HVK_EXIT_XEN_EVTCHN; the vCPU thread calls xen_console_event(), which
 *    copies out[] to stdout, frees the ring and raises the port back so a
 *    guest waiting for room goes on;
 *  - input: a thread reads stdin into in[] and raises the port.  A
 *    terminal goes into raw mode with an escape key (console_escape.h);
 *    any other stdin is read to its end, then no more.
 * Ring logic: xen_console_ring.h.  The page is guest RAM the PVH memmap
 * reserves (pvh.h, PVH_CONSOLE_PAGE).
 */
#ifndef HVK_VMM_XEN_CONSOLE_H
#define HVK_VMM_XEN_CONSOLE_H

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>

#include "console_escape.h"
#include "err.h"
#include "xen_console_ring.h"

struct xen_console {
	bool active;                    /* set up: the guest has a PV console */
	int vm_fd;
	uint32_t port;                  /* the guest's CONSOLE_EVTCHN */
	uint64_t ring_paddr;
	struct xen_console_interface *ring; /* in guest RAM, shared with the guest */
	int out_fd;

	/* out_lock: out_cons and the writes to out_fd, so chunks stay in order. */
	pthread_mutex_t out_lock;
	bool bad_out_reported;

	/* in_lock: in_prod; input_room is signalled when the guest took input. */
	pthread_mutex_t in_lock;
	pthread_cond_t input_room;
	bool bad_in_reported;

	/* The input thread: started and stopped by xen_console_input_*(). */
	bool input_started;
	bool input_stopping;            /* under in_lock */
	bool terminal;                  /* stdin is a terminal, now raw */
	int in_fd;
	int wake_pipe[2];               /* a byte here ends the input thread */
	pthread_t input_thread;
	struct console_escape escape;
	void (*quit)(void *arg);        /* Ctrl-a x */
	void *quit_arg;

	bool send_error_reported;
};

/*
 * Binds the VMM's console port and sets the guest's CONSOLE_PFN and
 * CONSOLE_EVTCHN for the zeroed page ring (at guest-physical ring_paddr);
 * output goes to out_fd.  Returns 0 or -errno with err naming the ioctl.
 */
int xen_console_setup(struct xen_console *con, int vm_fd, void *ring,
		      uint64_t ring_paddr, int out_fd, struct hvk_err *err);

/*
 * xen_console_setup()'s second half: the backend for a port already bound
 * and announced.  The unit tests use it alone, with a VM fd the
 * notifications then fail on (reported once on stderr).
 */
void xen_console_attach(struct xen_console *con, int vm_fd, uint32_t port,
			void *ring, uint64_t ring_paddr, int out_fd);

/*
 * A vCPU's HVK_EXIT_XEN_EVTCHN on port: false when it is not the console's
 * (nor is the console set up); else prints the pending output, raises the
 * port if it freed room, wakes the input thread, and returns true.  Any
 * vCPU thread may call it.
 */
bool xen_console_event(struct xen_console *con, uint32_t port);

/* Prints what the guest left in the ring (at the end of the run). */
void xen_console_drain(struct xen_console *con);

/*
 * Starts reading in_fd for the guest (nothing when the console is not set
 * up): a terminal goes raw, and Ctrl-a x calls quit(arg) from the input
 * thread; a terminal that is not this process group's (a background job)
 * is left alone, with a note.  Without quiet, says how to quit.
 */
int xen_console_input_start(struct xen_console *con, int in_fd, bool quiet,
			    void (*quit)(void *arg), void *arg, struct hvk_err *err);

/* Ends the input thread and puts the terminal back as it was. */
void xen_console_input_stop(struct xen_console *con);

#endif /* HVK_VMM_XEN_CONSOLE_H */
