/*
 * Counters as hvk run --stats and hvk stat print them (vmm/stats.c): the
 * injection and unclaimed-I/O counters, the per-port / per-page unclaimed
 * lines the nested tests compare with what the unclaimed-io guest did, and
 * the debugfs keys of those counters.
 */
#include <limits.h>
#include <stdio.h>
#include <string.h>

#include "stats.h"
#include "tests.h"

/* What a print function wrote, as a string (ck_assert on failure). */
static void print_to(char *buf, size_t len, void (*print)(FILE *, const void *),
		     const void *arg)
{
	FILE *f;

	memset(buf, 0, len);    /* glibc's fmemopen leaves it as is if nothing is written */
	f = fmemopen(buf, len, "w");
	ck_assert_ptr_nonnull(f);
	print(f, arg);
	ck_assert_int_eq(fclose(f), 0);
}

static void print_stats(FILE *f, const void *st) { stats_print(f, st); }
static void print_io(FILE *f, const void *io) { stats_print_io(f, io); }

START_TEST(test_stats_counters_line)
{
	struct hvk_stats st = { .exits = 10, .userspace_exits = 2, .hypercalls = 3,
				.interrupts = 250, .nmis = 1, .unclaimed_io = 10 };
	char out[4096];

	print_to(out, sizeof(out), print_stats, &st);
	/* The first line stays as the nested tests parse it. */
	ck_assert_str_contains(out, "VM exits: 10, returns to the VMM: 2, hypercalls: 3\n");
	ck_assert_str_contains(out, "\ninterrupts: 250, NMIs: 1, unclaimed I/O: 10\n");
	ck_assert_ptr_null(strstr(out, "nested page-table"));     /* a vCPU's: none */
	ck_assert_ptr_null(strstr(out, "Xen areas"));
	st.gpt_tables = 7;
	st.xen_area_pages = 3;
	print_to(out, sizeof(out), print_stats, &st);
	ck_assert_str_contains(out, "\nnested page-table pages: 7\n");
	/* As guests.table's xenvcpu rows read it. */
	ck_assert_str_contains(out, "\nguest RAM pinned for Xen areas: 3 page(s)\n");
}
END_TEST

START_TEST(test_stats_io_lines)
{
	struct hvk_io_stats io = { .nr = 2, .other = 0 };
	char out[4096];

	io.entries[0] = (struct hvk_io_count){ .addr = 0xcf8, .space = HVK_IO_SPACE_PIO,
					       .reads = 2, .writes = 1 };
	io.entries[1] = (struct hvk_io_count){ .addr = 0xfed00000, .space = HVK_IO_SPACE_MMIO,
					       .reads = 3, .writes = 1 };
	print_to(out, sizeof(out), print_io, &io);
	ck_assert_str_eq(out, "  unclaimed pio 0xcf8: 2 reads, 1 writes\n"
			      "  unclaimed mmio 0xfed00000: 3 reads, 1 writes\n");
	io.nr = 0;
	io.other = 7;
	print_to(out, sizeof(out), print_io, &io);
	ck_assert_str_eq(out, "  unclaimed (other ports and pages): 7\n");
	io.other = 0;
	print_to(out, sizeof(out), print_io, &io);
	ck_assert_str_eq(out, "");
	/* A count past the table is clamped, not read out of bounds. */
	io.nr = HVK_IO_STATS_ENTRIES + 5;
	print_to(out, sizeof(out), print_io, &io);
	ck_assert_uint_eq(strlen(out) > 0, 1);
}
END_TEST

START_TEST(test_stats_debugfs_keys)
{
	static const char text[] = "vm 3\npid 42\nvendor svm\nexits 9\n"
				   "interrupts 17\nnmis 2\nunclaimed_io 5\ngpt_tables 6\n"
				   "xen_area_pages 4\n";
	char path[PATH_MAX];
	struct hvk_stats st;
	struct hvk_err err;
	unsigned int id;
	int pid;

	file_write(tmp_path(path, "debugfs-stats"), text, sizeof(text) - 1);
	ck_assert_int_eq(stats_read_debugfs(path, &st, &pid, &id, &err), 0);
	ck_assert_int_eq(pid, 42);
	ck_assert_uint_eq(id, 3);
	ck_assert_uint_eq(st.exits, 9);
	ck_assert_uint_eq(st.interrupts, 17);
	ck_assert_uint_eq(st.nmis, 2);
	ck_assert_uint_eq(st.unclaimed_io, 5);
	ck_assert_uint_eq(st.gpt_tables, 6);
	ck_assert_uint_eq(st.xen_area_pages, 4);
}
END_TEST

Suite *stats_suite(void)
{
	Suite *s = suite_create("stats");
	TCase *tc = tcase_create("stats");

	tcase_add_test(tc, test_stats_counters_line);
	tcase_add_test(tc, test_stats_io_lines);
	tcase_add_test(tc, test_stats_debugfs_keys);
	suite_add_tcase(s, tc);
	return s;
}
