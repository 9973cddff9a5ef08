/*
 * The Xen PV console ring (REFERENCE-GUEST-SERVICES §8; the layout is
 * <abi/xen/console.h>), the backend's side of it.  Pure logic on a page
 * the guest shares: no I/O, no locking, unit-tested (tests/unit/
 * test_xen_console_ring.c).
 *
 * The guest can write every byte of the page at any time, so each index
 * is read once and every slot is masked: whatever the guest does, the
 * backend never touches memory outside the page.  Indices that claim more
 * than a ring's size (prod - cons > size, which Linux itself rejects) are
 * a broken or hostile guest: the backend drops that ring's contents and
 * starts again from the producer's index.
 */
#ifndef HVK_VMM_XEN_CONSOLE_RING_H
#define HVK_VMM_XEN_CONSOLE_RING_H

#include <stddef.h>
#include <stdint.h>
#include <abi/xen/console.h>

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
size_t xencons_out_take(struct xen_console_interface *ring, char *dst, size_t cap,
			enum xencons_status *status);

/*
 * Puts up to len bytes of src into in[] for the guest and advances
 * in_prod; returns how many fitted (0 when the ring is full).  With
 * XENCONS_BAD_INDICES in *status nothing is written and in_prod becomes
 * in_cons (an empty ring the guest can use again).
 */
size_t xencons_in_put(struct xen_console_interface *ring, const char *src, size_t len,
		      enum xencons_status *status);

#endif /* HVK_VMM_XEN_CONSOLE_RING_H */
