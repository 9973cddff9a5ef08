/* Capturing a CLI command's exit code, stdout and stderr (tests.h). */
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <unistd.h>

#include "tests.h"

static void fd_slurp(int fd, char *buf, size_t len)
{
	ssize_t n = pread(fd, buf, len - 1, 0);

	buf[n > 0 ? n : 0] = '\0';
	close(fd);
}

void cmd_capture(struct run_result *r, int (*cmd)(int, char **), int argc,
		 char **argv)
{
	char out_path[PATH_MAX], err_path[PATH_MAX];
	int out = open(tmp_path(out_path, "stdout"), O_RDWR | O_CREAT | O_TRUNC, 0644);
	int err = open(tmp_path(err_path, "stderr"), O_RDWR | O_CREAT | O_TRUNC, 0644);
	int saved_out = dup(1), saved_err = dup(2);

	ck_assert(out >= 0 && err >= 0 && saved_out >= 0 && saved_err >= 0);
	fflush(stdout);
	fflush(stderr);
	dup2(out, 1);
	dup2(err, 2);
	optind = 0;     /* each command parses with getopt from scratch */
	r->code = cmd(argc, argv);
	fflush(stdout);
	fflush(stderr);
	dup2(saved_out, 1);
	dup2(saved_err, 2);
	close(saved_out);
	close(saved_err);
	fd_slurp(out, r->out, sizeof(r->out));
	fd_slurp(err, r->err, sizeof(r->err));
}
