/*
 * The Xen PV console ring (REFERENCE-GUEST-SERVICES §8; Xen's
 * public/io/console.h), the backend's side of it.  Pure logic on a page
 * the guest shares: no I/O, no locking, unit-tested (tests/unit/
 * test_xen_console_ring.c).
 *
 *      0 in[1024]   guest input, written by the backend (here)
 *   1024 out[2048]  guest output, written by the guest
 *   3072 in_cons  3076 in_prod  3080 out_cons  3084 out_prod
 *   3088 connection (u8; Linux ignores it)
 *
 * Indices are free-running u32 (slot = index & (size - 1)); a ring is full
 * when prod - cons == size.  The guest can write every byte of the page at
 * any time, so each index is read once and every slot is masked: whatever
 * the guest does, the backend never touches memory outside the page.
 * Indices that claim more than a ring's size (prod - cons > size, which
 * Linux itself rejects) are a broken or hostile guest: the backend drops
 * that ring's contents and starts again from the producer's index.
 *
 * The layout is a guest-visible ABI fact; it belongs in include/abi/xen/
 * with the other Xen structs (tests/abi checks those), and lives here only
 * until it moves there.
 */
#ifndef HVK_VMM_XEN_CONSOLE_RING_H
#define HVK_VMM_XEN_CONSOLE_RING_H

#include <stddef.h>
#include <stdint.h>

#define XENCONS_IN_SIZE   1024u
#define XENCONS_OUT_SIZE  2048u
#define XENCONS_PAGE_SIZE 4096u

struct xencons_interface {
	char in[XENCONS_IN_SIZE];
	char out[XENCONS_OUT_SIZE];
	uint32_t in_cons, in_prod;
	uint32_t out_cons, out_prod;
	uint8_t connection;
	uint8_t pad[XENCONS_PAGE_SIZE - 3089];
};

_Static_assert(sizeof(struct xencons_interface) == XENCONS_PAGE_SIZE,
	       "the console ring is one page");
_Static_assert(offsetof(struct xencons_interface, out) == 1024, "out @1024");
_Static_assert(offsetof(struct xencons_interface, in_cons) == 3072, "in_cons @3072");
_Static_assert(offsetof(struct xencons_interface, in_prod) == 3076, "in_prod @3076");
_Static_assert(offsetof(struct xencons_interface, out_cons) == 3080, "out_cons @3080");
_Static_assert(offsetof(struct xencons_interface, out_prod) == 3084, "out_prod @3084");
_Static_assert(offsetof(struct xencons_interface, connection) == 3088, "connection @3088");

/* What a ring operation found, besides the bytes it moved. */
enum xencons_status {
	XENCONS_OK = 0,
	XENCONS_BAD_INDICES,   /* prod - cons > size: contents dropped, resynced */
};

/*
 * Takes the guest's pending output, out[out_cons, out_prod), into dst (at
 * most cap bytes, the oldest first) and advances out_cons past what it
 * took.  Returns the number of bytes copied; *status says whether the
 * indices were consistent (with XENCONS_BAD_INDICES nothing is copied and
 * out_cons becomes out_prod).
 */
size_t xencons_out_take(struct xencons_interface *ring, char *dst, size_t cap,
			enum xencons_status *status);

/*
 * Puts up to len bytes of src into in[] for the guest and advances
 * in_prod; returns how many fitted (0 when the ring is full).  With
 * XENCONS_BAD_INDICES in *status nothing is written and in_prod becomes
 * in_cons (an empty ring the guest can use again).
 */
size_t xencons_in_put(struct xencons_interface *ring, const char *src, size_t len,
		      enum xencons_status *status);

#endif /* HVK_VMM_XEN_CONSOLE_RING_H */
