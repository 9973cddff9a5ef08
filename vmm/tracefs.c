/* hvk's tracepoints through tracefs (see tracefs.h). */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "tracefs.h"

static const char *const tracefs_roots[] = {
	"/sys/kernel/tracing",
	"/sys/kernel/debug/tracing",
};

/*
 * tracefs is root's alone (mode 0700 since Linux 5.16, and its files 0640),
 * and hvk.ko adds no way around it: a member of group hvk runs VMs but
 * cannot trace them (docs/security.md).  Say that, not "not mounted".
 */
static int tracefs_denied(const char *path, struct hvk_err *err)
{
	return hvk_err_set(err, EACCES, "%s: permission denied: tracing needs root "
			   "(hvk's events are kernel tracepoints and tracefs is root's "
			   "alone; group hvk may run VMs, not trace them): run as root",
			   path);
}

static int file_write(const struct tracefs *t, const char *rel, const char *val,
		      int flags, struct hvk_err *err)
{
	char path[192];
	int fd, n;

	snprintf(path, sizeof(path), "%s/%s", t->root, rel);
	fd = open(path, O_WRONLY | flags);
	if (fd < 0 && (errno == EACCES || errno == EPERM))
		return tracefs_denied(path, err);
	if (fd < 0)
		return hvk_err_set(err, errno, "%s: %s", path, strerror(errno));
	n = write(fd, val, strlen(val));
	close(fd);
	if (n < 0)
		return hvk_err_set(err, errno, "%s: write '%s': %s", path, val, strerror(errno));
	return 0;
}

/* The first character of a tracefs file (enable flags are "0"/"1"). */
static char file_first_char(const struct tracefs *t, const char *rel)
{
	char path[192], c = '0';
	int fd;

	snprintf(path, sizeof(path), "%s/%s", t->root, rel);
	fd = open(path, O_RDONLY);
	if (fd >= 0) {
		if (read(fd, &c, 1) != 1)
			c = '0';
		close(fd);
	}
	return c;
}

static int tracefs_list_events(struct tracefs *t, struct hvk_err *err)
{
	char path[128];
	struct dirent *d;
	DIR *dir;

	snprintf(path, sizeof(path), "%s/events/hvk", t->root);
	dir = opendir(path);
	if (!dir && errno == EACCES)
		return tracefs_denied(path, err);
	if (!dir)
		return hvk_err_set(err, errno, "%s: %s%s", path, strerror(errno),
				   errno == ENOENT ? " (is hvk.ko loaded?)" : "");
	t->nr_events = 0;
	while ((d = readdir(dir)) && t->nr_events < TRACEFS_MAX_EVENTS)
		if (!strncmp(d->d_name, "hvk_", 4) &&
		    strlen(d->d_name) < sizeof(t->events[0]))
			memcpy(t->events[t->nr_events++], d->d_name, strlen(d->d_name) + 1);
	closedir(dir);
	return 0;
}

int tracefs_open(struct tracefs *t, struct hvk_err *err)
{
	memset(t, 0, sizeof(*t));
	for (size_t i = 0; i < sizeof(tracefs_roots) / sizeof(tracefs_roots[0]); i++) {
		char probe[96];

		snprintf(probe, sizeof(probe), "%s/trace_pipe", tracefs_roots[i]);
		if (access(probe, F_OK) == 0) {
			snprintf(t->root, sizeof(t->root), "%s", tracefs_roots[i]);
			return tracefs_list_events(t, err);
		}
		if (errno == EACCES)
			return tracefs_denied(tracefs_roots[i], err);
	}
	return hvk_err_set(err, ENOENT, "tracefs is not mounted "
			   "(mount -t tracefs nodev /sys/kernel/tracing)");
}

/* Is event @ev (an hvk_* name) in the comma-separated @list? */
static bool event_listed(const char *list, const char *ev)
{
	const char *p = list;

	while (*p) {
		size_t n = strcspn(p, ",");
		const char *name = !strncmp(p, "hvk_", 4) ? p + 4 : p;
		size_t len = n - (size_t)(name - p);

		if (strlen(ev + 4) == len && !strncmp(ev + 4, name, len))
			return true;
		p += n + (p[n] == ',');
	}
	return false;
}

/* Every name in @list must be one of hvk's events. */
static int events_check(const struct tracefs *t, const char *list, struct hvk_err *err)
{
	char copy[256], *tok, *save = NULL;

	snprintf(copy, sizeof(copy), "%s", list);
	for (tok = strtok_r(copy, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		char full[40];
		bool found = false;

		snprintf(full, sizeof(full), "%s%s", strncmp(tok, "hvk_", 4) ? "hvk_" : "", tok);
		for (unsigned int i = 0; i < t->nr_events; i++)
			found |= !strcmp(t->events[i], full);
		if (!found)
			return hvk_err_set(err, EINVAL, "unknown event '%s' (see %s/events/hvk/)",
					   tok, t->root);
	}
	return 0;
}

/* set_event_pid gets every current thread of @pid; event-fork adds new ones. */
static int tracefs_filter_pid(struct tracefs *t, pid_t pid, struct hvk_err *err)
{
	char dirpath[64], tid[300];
	struct dirent *d;
	DIR *dir;
	int rc;

	snprintf(dirpath, sizeof(dirpath), "/proc/%d/task", (int)pid);
	dir = opendir(dirpath);
	if (!dir)
		return hvk_err_set(err, errno, "no process %d: %s", (int)pid, strerror(errno));
	t->saved_event_fork = file_first_char(t, "options/event-fork");
	rc = file_write(t, "set_event_pid", "", O_TRUNC, err);
	while (!rc && (d = readdir(dir)))
		if (d->d_name[0] != '.') {
			snprintf(tid, sizeof(tid), "%s ", d->d_name);
			rc = file_write(t, "set_event_pid", tid, O_APPEND, err);
		}
	closedir(dir);
	t->pid_filtered = true;
	return rc ?: file_write(t, "options/event-fork", "1", 0, err);
}

int tracefs_enable(struct tracefs *t, const char *list, pid_t pid, struct hvk_err *err)
{
	char rel[96];
	int rc = list ? events_check(t, list, err) : 0;

	if (rc)
		return rc;
	t->saved_tracing_on = file_first_char(t, "tracing_on");
	t->active = true;
	if (pid && (rc = tracefs_filter_pid(t, pid, err)))
		return rc;
	for (unsigned int i = 0; i < t->nr_events && !rc; i++) {
		snprintf(rel, sizeof(rel), "events/hvk/%s/enable", t->events[i]);
		t->saved_enable[i] = file_first_char(t, rel);
		rc = file_write(t, rel, !list || event_listed(list, t->events[i]) ?
				"1" : "0", 0, err);
	}
	return rc ?: file_write(t, "tracing_on", "1", 0, err);
}

void tracefs_restore(struct tracefs *t)
{
	char rel[96], val[2] = { 0, 0 };

	if (!t->active)
		return;
	for (unsigned int i = 0; i < t->nr_events; i++) {
		snprintf(rel, sizeof(rel), "events/hvk/%s/enable", t->events[i]);
		val[0] = t->saved_enable[i] == '1' ? '1' : '0';
		file_write(t, rel, val, 0, NULL);
	}
	if (t->pid_filtered) {
		file_write(t, "set_event_pid", "", O_TRUNC, NULL);
		val[0] = t->saved_event_fork == '1' ? '1' : '0';
		file_write(t, "options/event-fork", val, 0, NULL);
	}
	val[0] = t->saved_tracing_on == '1' ? '1' : '0';
	file_write(t, "tracing_on", val, 0, NULL);
	t->active = false;
}

int tracefs_open_pipe(struct tracefs *t, bool nonblock, struct hvk_err *err)
{
	char path[128];
	int fd;

	snprintf(path, sizeof(path), "%s/trace_pipe", t->root);
	fd = open(path, O_RDONLY | (nonblock ? O_NONBLOCK : 0));
	if (fd < 0)
		return hvk_err_set(err, errno, "%s: %s", path, strerror(errno));
	return fd;
}

bool tracefs_print(int fd, const char *buf, size_t len)
{
	const char *p = buf, *end = buf + len;

	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t n = nl ? (size_t)(nl - p) + 1 : (size_t)(end - p);
		const char *s = p;

		while (s < p + n && *s == ' ')
			s++;
		if (write(fd, s, (size_t)(p + n - s)) < 0)
			return false;
		p += n;
	}
	return true;
}

/* Copies what trace_pipe holds now; false once it is empty. */
static bool stream_copy(struct tracefs *t)
{
	char buf[8192];
	ssize_t n = read(t->pipe_fd, buf, sizeof(buf));

	if (n <= 0)
		return false;
	return tracefs_print(t->out_fd, buf, (size_t)n);
}

static void *stream_main(void *arg)
{
	struct tracefs *t = arg;
	struct pollfd pfd = { .fd = t->pipe_fd, .events = POLLIN };

	while (!t->stream_stop) {
		if (poll(&pfd, 1, 100) > 0)
			stream_copy(t);
	}
	while (stream_copy(t))
		;
	return NULL;
}

int tracefs_stream_start(struct tracefs *t, int out_fd, struct hvk_err *err)
{
	pthread_t thread;

	t->pipe_fd = tracefs_open_pipe(t, true, err);
	if (t->pipe_fd < 0)
		return t->pipe_fd;
	t->out_fd = out_fd;
	t->stream_stop = 0;
	if (pthread_create(&thread, NULL, stream_main, t)) {
		close(t->pipe_fd);
		return hvk_err_set(err, EAGAIN, "cannot start the trace reader thread");
	}
	t->stream_thread = (unsigned long)thread;
	t->streaming = true;
	return 0;
}

void tracefs_stream_stop(struct tracefs *t)
{
	if (t->streaming) {
		/* Events are written synchronously: one last poll period drains them. */
		usleep(150 * 1000);
		t->stream_stop = 1;
		pthread_join((pthread_t)t->stream_thread, NULL);
		close(t->pipe_fd);
		t->streaming = false;
	}
	tracefs_restore(t);
}
