/*
 * hvk unit tests: runs every suite with Check and exits non-zero if any
 * test fails.  Test files go to a private temp dir removed at the end.
 * Under valgrind, run with CK_FORK=no so the tests run in one process.
 */
#include <dirent.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tests.h"

static char tmp_dir[] = "/tmp/hvk-unit-XXXXXX";

const char *tmp_path(char *buf, const char *name)
{
	snprintf(buf, PATH_MAX, "%s/%s", tmp_dir, name);
	return buf;
}

void tmp_dir_create(void)
{
	if (!mkdtemp(tmp_dir)) {
		perror("mkdtemp");
		exit(2);
	}
}

void tmp_dir_remove(void)
{
	char path[PATH_MAX];
	struct dirent *de;
	DIR *dir = opendir(tmp_dir);

	while (dir && (de = readdir(dir)))
		if (strcmp(de->d_name, ".") && strcmp(de->d_name, ".."))
			unlink(tmp_path(path, de->d_name));
	if (dir)
		closedir(dir);
	rmdir(tmp_dir);
}

void file_write(const char *path, const void *data, size_t len)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);

	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(write(fd, data, len), (ssize_t)len);
	close(fd);
}

void file_truncate(const char *path, uint64_t len)
{
	ck_assert_int_eq(truncate(path, len), 0);
}

void file_patch(const char *path, uint64_t offset, const void *data, size_t len)
{
	int fd = open(path, O_WRONLY);

	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(pwrite(fd, data, len, offset), (ssize_t)len);
	close(fd);
}

int main(void)
{
	SRunner *sr = srunner_create(size_suite());
	int failed;

	srunner_add_suite(sr, elf_suite());
	srunner_add_suite(sr, pvh_suite());
	srunner_add_suite(sr, acpi_suite());
	srunner_add_suite(sr, stats_suite());
	srunner_add_suite(sr, cmd_elf_suite());
	srunner_add_suite(sr, cli_errors_suite());
	srunner_add_suite(sr, xen_console_ring_suite());
	srunner_add_suite(sr, console_escape_suite());
	srunner_add_suite(sr, xen_console_suite());
	tmp_dir_create();
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	tmp_dir_remove();
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
