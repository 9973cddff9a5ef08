/*
 * Driving hvk's tracepoints through tracefs: enable a set of events,
 * optionally only for one process and its threads, stream trace_pipe, and
 * put every setting back as it was afterwards.
 */
#ifndef HVK_VMM_TRACEFS_H
#define HVK_VMM_TRACEFS_H

#include <stdbool.h>
#include <sys/types.h>

#include "err.h"

#define TRACEFS_MAX_EVENTS 32

struct tracefs {
	char root[64];                  /* /sys/kernel/tracing or .../debug/tracing */
	unsigned int nr_events;
	char events[TRACEFS_MAX_EVENTS][32];    /* hvk_* event names */
	char saved_enable[TRACEFS_MAX_EVENTS];
	char saved_event_fork;
	char saved_tracing_on;
	bool pid_filtered;
	bool active;
	/* tracefs_stream_*: a thread copying trace_pipe to out_fd. */
	int pipe_fd, out_fd;
	volatile int stream_stop;
	unsigned long stream_thread;    /* pthread_t */
	bool streaming;
};

/* Finds tracefs and hvk's events; a clear error when it cannot. */
int tracefs_open(struct tracefs *t, struct hvk_err *err);
/*
 * Enables @list (comma-separated names, with or without "hvk_"; NULL = all)
 * for @pid's threads and the threads it creates later (0 = every process).
 */
int tracefs_enable(struct tracefs *t, const char *list, pid_t pid, struct hvk_err *err);
/* Restores what tracefs_enable() changed. */
void tracefs_restore(struct tracefs *t);
/* Opens trace_pipe (O_NONBLOCK if asked); returns the fd. */
int tracefs_open_pipe(struct tracefs *t, bool nonblock, struct hvk_err *err);
/* Streams events to @out_fd on a thread, until tracefs_stream_stop(). */
int tracefs_stream_start(struct tracefs *t, int out_fd, struct hvk_err *err);
/* Copies what is still buffered, stops the thread, restores tracefs. */
void tracefs_stream_stop(struct tracefs *t);
/* Writes the lines of buf[0..len) to fd without the leading padding;
 * false when the reader went away (EPIPE). */
bool tracefs_print(int fd, const char *buf, size_t len);

#endif /* HVK_VMM_TRACEFS_H */
