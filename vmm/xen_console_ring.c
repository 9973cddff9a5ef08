/*
 * The PV console ring, backend side (see xen_console_ring.h).
 *
 * Ordering, as Xen's backends and Linux's hvc_xen pair up (§8): the guest
 * fills out[], write barrier, then bumps out_prod; so the backend loads
 * out_prod with acquire before reading the bytes, and stores out_cons with
 * release after reading them (the guest must not reuse a slot still being
 * read).  Input mirrors it: in_cons loaded with acquire, in[] written, then
 * in_prod stored with release.  On x86 these are plain moves that the
 * compiler may not reorder; the __atomic forms also read each index
 * exactly once, which is what makes the bounds checks hold against a
 * guest rewriting them concurrently.
 */
#include <string.h>

#include "xen_console_ring.h"

static uint32_t ring_load(const uint32_t *index)
{
	return __atomic_load_n(index, __ATOMIC_ACQUIRE);
}

static void ring_store(uint32_t *index, uint32_t value)
{
	__atomic_store_n(index, value, __ATOMIC_RELEASE);
}

/* Copies n bytes out of ring buffer buf (size a power of 2) from index idx on. */
static void ring_copy_from(char *dst, const uint8_t *buf, uint32_t size, uint32_t idx,
			   size_t n)
{
	uint32_t slot = idx & (size - 1);
	size_t first = size - slot < n ? size - slot : n;

	memcpy(dst, buf + slot, first);
	memcpy(dst + first, buf, n - first);
}

static void ring_copy_to(uint8_t *buf, uint32_t size, uint32_t idx, const char *src,
			 size_t n)
{
	uint32_t slot = idx & (size - 1);
	size_t first = size - slot < n ? size - slot : n;

	memcpy(buf + slot, src, first);
	memcpy(buf, src + first, n - first);
}

size_t xencons_out_take(struct xen_console_interface *ring, char *dst, size_t cap,
			enum xencons_status *status)
{
	uint32_t prod = ring_load(&ring->out_prod);
	uint32_t cons = ring_load(&ring->out_cons);
	uint32_t pending = prod - cons;         /* u32 arithmetic: wraps */
	size_t n;

	*status = XENCONS_OK;
	if (pending > XEN_CONSOLE_OUT_SIZE) {
		*status = XENCONS_BAD_INDICES;
		ring_store(&ring->out_cons, prod);
		return 0;
	}
	n = pending < cap ? pending : cap;
	ring_copy_from(dst, ring->out, XEN_CONSOLE_OUT_SIZE, cons, n);
	ring_store(&ring->out_cons, cons + (uint32_t)n);
	return n;
}

size_t xencons_in_put(struct xen_console_interface *ring, const char *src, size_t len,
		      enum xencons_status *status)
{
	uint32_t cons = ring_load(&ring->in_cons);
	uint32_t prod = ring_load(&ring->in_prod);
	uint32_t used = prod - cons;
	size_t room, n;

	*status = XENCONS_OK;
	if (used > XEN_CONSOLE_IN_SIZE) {
		*status = XENCONS_BAD_INDICES;
		ring_store(&ring->in_prod, cons);
		return 0;
	}
	room = XEN_CONSOLE_IN_SIZE - used;
	n = len < room ? len : room;
	ring_copy_to(ring->in, XEN_CONSOLE_IN_SIZE, prod, src, n);
	ring_store(&ring->in_prod, prod + (uint32_t)n);
	return n;
}
