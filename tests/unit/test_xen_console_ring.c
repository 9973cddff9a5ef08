/*
 * The PV console ring, backend side (vmm/xen_console_ring.c): output taken
 * in order across the wrap, input put up to a full ring, and a guest that
 * writes nonsense indices never making the backend touch memory outside
 * the page.  The ring sits inside guard bytes that must stay untouched.
 */
#include <string.h>

#include "tests.h"
#include "xen_console_ring.h"

#define GUARD 0x5c

/* The ring page between two guard pages, as far as any stray copy could reach. */
struct guarded_ring {
	unsigned char before[XEN_CONSOLE_PAGE_SIZE];
	struct xen_console_interface ring;
	unsigned char after[XEN_CONSOLE_PAGE_SIZE];
};

static struct guarded_ring g;

static void ring_reset(void)
{
	memset(&g, GUARD, sizeof(g));
	memset(&g.ring, 0, sizeof(g.ring));
}

static void guards_check(void)
{
	for (size_t i = 0; i < sizeof(g.before); i++) {
		ck_assert_uint_eq(g.before[i], GUARD);
		ck_assert_uint_eq(g.after[i], GUARD);
	}
}

/* The guest's side of output: as Linux's __write_console(). */
static void guest_write(const char *s, size_t n)
{
	uint32_t prod = g.ring.out_prod;

	for (size_t i = 0; i < n; i++)
		g.ring.out[prod++ & (XEN_CONSOLE_OUT_SIZE - 1)] = s[i];
	g.ring.out_prod = prod;
}

/* The guest's side of input: as Linux's domU_read_console(). */
static size_t guest_read(char *buf, size_t cap)
{
	size_t n = 0;

	while (g.ring.in_cons != g.ring.in_prod && n < cap)
		buf[n++] = g.ring.in[g.ring.in_cons++ & (XEN_CONSOLE_IN_SIZE - 1)];
	return n;
}

START_TEST(test_layout)
{
	/* §8: in[1024] @0, out[2048] @1024, the four indices from 3072. */
	unsigned char *page = (unsigned char *)&g.ring;

	ring_reset();
	g.ring.out_prod = 0x11223344;
	ck_assert_mem_eq(page + 3084, "\x44\x33\x22\x11", 4);
	g.ring.in_cons = 1;
	ck_assert_uint_eq(page[3072], 1);
	ck_assert_ptr_eq((void *)g.ring.out, (void *)(page + 1024));
}
END_TEST

START_TEST(test_out_empty)
{
	enum xencons_status st;
	char buf[16];

	ring_reset();
	ck_assert_uint_eq(xencons_out_take(&g.ring, buf, sizeof(buf), &st), 0);
	ck_assert_int_eq(st, XENCONS_OK);
	ck_assert_uint_eq(g.ring.out_cons, 0);
}
END_TEST

START_TEST(test_out_in_order)
{
	enum xencons_status st;
	char buf[XEN_CONSOLE_OUT_SIZE];

	ring_reset();
	guest_write("hello, ", 7);
	guest_write("world\n", 6);
	ck_assert_uint_eq(xencons_out_take(&g.ring, buf, sizeof(buf), &st), 13);
	ck_assert_int_eq(st, XENCONS_OK);
	ck_assert_mem_eq(buf, "hello, world\n", 13);
	ck_assert_uint_eq(g.ring.out_cons, 13);
	ck_assert_uint_eq(xencons_out_take(&g.ring, buf, sizeof(buf), &st), 0);
	guards_check();
}
END_TEST

/* Indices near the end of out[] and near UINT32_MAX: both wraps at once. */
START_TEST(test_out_wraps)
{
	static const char msg[] = "0123456789abcdefghij";
	enum xencons_status st;
	char buf[XEN_CONSOLE_OUT_SIZE];
	uint32_t start = UINT32_MAX - 9;        /* slot 2038: 10 bytes to the end */

	ring_reset();
	g.ring.out_cons = g.ring.out_prod = start;
	guest_write(msg, 20);
	ck_assert_uint_eq(g.ring.out_prod, start + 20);        /* wrapped past 0 */
	ck_assert_mem_eq(g.ring.out + 2038, "0123456789", 10);
	ck_assert_mem_eq(g.ring.out, "abcdefghij", 10);
	ck_assert_uint_eq(xencons_out_take(&g.ring, buf, sizeof(buf), &st), 20);
	ck_assert_int_eq(st, XENCONS_OK);
	ck_assert_mem_eq(buf, msg, 20);
	ck_assert_uint_eq(g.ring.out_cons, 10);
	guards_check();
}
END_TEST

START_TEST(test_out_full_ring)
{
	enum xencons_status st;
	static char data[XEN_CONSOLE_OUT_SIZE], buf[XEN_CONSOLE_OUT_SIZE];

	ring_reset();
	for (size_t i = 0; i < sizeof(data); i++)
		data[i] = (char)(i * 7);
	g.ring.out_cons = g.ring.out_prod = 1000;
	guest_write(data, sizeof(data));
	ck_assert_uint_eq(g.ring.out_prod - g.ring.out_cons, XEN_CONSOLE_OUT_SIZE);
	ck_assert_uint_eq(xencons_out_take(&g.ring, buf, sizeof(buf), &st), XEN_CONSOLE_OUT_SIZE);
	ck_assert_int_eq(st, XENCONS_OK);
	ck_assert_mem_eq(buf, data, sizeof(data));
	ck_assert_uint_eq(g.ring.out_cons, g.ring.out_prod);
	guards_check();
}
END_TEST

/* A small buffer takes the oldest bytes and leaves the rest for next time. */
START_TEST(test_out_partial_take)
{
	enum xencons_status st;
	char buf[4];

	ring_reset();
	guest_write("abcdef", 6);
	ck_assert_uint_eq(xencons_out_take(&g.ring, buf, sizeof(buf), &st), 4);
	ck_assert_mem_eq(buf, "abcd", 4);
	ck_assert_uint_eq(g.ring.out_cons, 4);
	ck_assert_uint_eq(xencons_out_take(&g.ring, buf, sizeof(buf), &st), 2);
	ck_assert_mem_eq(buf, "ef", 2);
}
END_TEST

/*
 * A hostile guest: prod - cons > size in every shape (one too many, prod
 * behind cons, all ones).  Nothing is copied, out_cons resyncs to
 * out_prod, and nothing outside the page is read or written.
 */
START_TEST(test_out_bad_indices)
{
	static const uint32_t cases[][2] = {    /* cons, prod */
		{ 0, XEN_CONSOLE_OUT_SIZE + 1 },
		{ 100, 99 },
		{ 0, UINT32_MAX },
		{ 0x80000000u, 0 },
		{ UINT32_MAX - 5, 5000 },
	};
	enum xencons_status st;
	char buf[XEN_CONSOLE_OUT_SIZE];

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		ring_reset();
		g.ring.out_cons = cases[i][0];
		g.ring.out_prod = cases[i][1];
		memset(buf, 0x77, sizeof(buf));
		ck_assert_uint_eq(xencons_out_take(&g.ring, buf, sizeof(buf), &st), 0);
		ck_assert_int_eq(st, XENCONS_BAD_INDICES);
		ck_assert_uint_eq(g.ring.out_cons, cases[i][1]);
		ck_assert_uint_eq((unsigned char)buf[0], 0x77);
		guards_check();
		/* Resynced: the guest's next write comes through. */
		guest_write("ok", 2);
		ck_assert_uint_eq(xencons_out_take(&g.ring, buf, sizeof(buf), &st), 2);
		ck_assert_int_eq(st, XENCONS_OK);
		ck_assert_mem_eq(buf, "ok", 2);
	}
}
END_TEST

/* A guest clobbering the input indices: the same promise. */
START_TEST(test_in_bad_indices)
{
	enum xencons_status st;
	char buf[8];

	ring_reset();
	g.ring.in_cons = 7;
	g.ring.in_prod = 7 + XEN_CONSOLE_IN_SIZE + 1;
	ck_assert_uint_eq(xencons_in_put(&g.ring, "abc", 3, &st), 0);
	ck_assert_int_eq(st, XENCONS_BAD_INDICES);
	ck_assert_uint_eq(g.ring.in_prod, 7);
	guards_check();
	ck_assert_uint_eq(xencons_in_put(&g.ring, "abc", 3, &st), 3);
	ck_assert_int_eq(st, XENCONS_OK);
	ck_assert_uint_eq(guest_read(buf, sizeof(buf)), 3);
	ck_assert_mem_eq(buf, "abc", 3);
}
END_TEST

START_TEST(test_in_put_and_read)
{
	enum xencons_status st;
	char buf[32];

	ring_reset();
	ck_assert_uint_eq(xencons_in_put(&g.ring, "ls -l\r", 6, &st), 6);
	ck_assert_int_eq(st, XENCONS_OK);
	ck_assert_uint_eq(g.ring.in_prod, 6);
	ck_assert_uint_eq(guest_read(buf, sizeof(buf)), 6);
	ck_assert_mem_eq(buf, "ls -l\r", 6);
	guards_check();
}
END_TEST

/* A full input ring takes nothing more until the guest reads; then the wrap. */
START_TEST(test_in_full_then_wrap)
{
	enum xencons_status st;
	static char data[XEN_CONSOLE_IN_SIZE + 100], buf[XEN_CONSOLE_IN_SIZE];

	ring_reset();
	for (size_t i = 0; i < sizeof(data); i++)
		data[i] = (char)('a' + i % 26);
	g.ring.in_cons = g.ring.in_prod = UINT32_MAX - 49;  /* wraps within the write */
	ck_assert_uint_eq(xencons_in_put(&g.ring, data, sizeof(data), &st), XEN_CONSOLE_IN_SIZE);
	ck_assert_uint_eq(g.ring.in_prod - g.ring.in_cons, XEN_CONSOLE_IN_SIZE);
	ck_assert_uint_eq(xencons_in_put(&g.ring, data, 1, &st), 0);
	ck_assert_int_eq(st, XENCONS_OK);
	ck_assert_uint_eq(guest_read(buf, 10), 10);
	ck_assert_mem_eq(buf, data, 10);
	ck_assert_uint_eq(xencons_in_put(&g.ring, data + XEN_CONSOLE_IN_SIZE, 100, &st), 10);
	ck_assert_uint_eq(guest_read(buf, sizeof(buf)), XEN_CONSOLE_IN_SIZE);
	ck_assert_mem_eq(buf, data + 10, XEN_CONSOLE_IN_SIZE);
	guards_check();
}
END_TEST

Suite *xen_console_ring_suite(void)
{
	Suite *s = suite_create("xen_console_ring");
	TCase *out = tcase_create("output"), *in = tcase_create("input");

	tcase_add_test(out, test_layout);
	tcase_add_test(out, test_out_empty);
	tcase_add_test(out, test_out_in_order);
	tcase_add_test(out, test_out_wraps);
	tcase_add_test(out, test_out_full_ring);
	tcase_add_test(out, test_out_partial_take);
	tcase_add_test(out, test_out_bad_indices);
	suite_add_tcase(s, out);

	tcase_add_test(in, test_in_put_and_read);
	tcase_add_test(in, test_in_full_then_wrap);
	tcase_add_test(in, test_in_bad_indices);
	suite_add_tcase(s, in);
	return s;
}
