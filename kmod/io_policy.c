// SPDX-License-Identifier: GPL-2.0
/* Claimed and unclaimed port I/O and MMIO (see io_policy.h). */
#include <linux/mm.h>
#include <linux/string.h>

#include "gpt.h"
#include "io_policy.h"
#include "trace.h"
#include "vcpu.h"
#include "vm.h"

#define IO_PORT_LIMIT   0x10000ULL

void hvk_io_policy_init(struct hvk_io_policy_state *p)
{
	memset(p, 0, sizeof(*p));
	p->unclaimed = HVK_UNCLAIMED_EXIT;
	spin_lock_init(&p->counts_lock);
}

static bool io_range_valid(const struct hvk_io_range *r)
{
	u64 limit = r->space == HVK_IO_SPACE_PIO ? IO_PORT_LIMIT :
		    1ULL << hvk_guest_phys_bits();

	return r->space <= HVK_IO_SPACE_MMIO && !r->flags && r->size &&
	       r->base < limit && r->size <= limit - r->base;
}

static bool io_ranges_overlap(const struct hvk_io_range *a, const struct hvk_io_range *b)
{
	return a->space == b->space && a->base < b->base + b->size &&
	       b->base < a->base + a->size;
}

static bool io_policy_request_valid(const struct hvk_io_policy *req)
{
	static const struct hvk_io_range unused;
	u32 i, j;

	if (req->flags || req->reserved0 || req->reserved[0] || req->reserved[1] ||
	    req->unclaimed > HVK_UNCLAIMED_IGNORE || req->nr_claims > HVK_MAX_IO_CLAIMS)
		return false;
	for (i = 0; i < HVK_MAX_IO_CLAIMS; i++) {
		const struct hvk_io_range *r = &req->claims[i];

		if (i >= req->nr_claims) {
			/* Unused entries are reserved: zero. */
			if (memcmp(r, &unused, sizeof(*r)))
				return false;
			continue;
		}
		if (!io_range_valid(r))
			return false;
		for (j = 0; j < i; j++)
			if (io_ranges_overlap(r, &req->claims[j]))
				return false;
	}
	return true;
}

int hvk_io_policy_set(struct hvk_io_policy_state *p, const struct hvk_io_policy *req)
{
	if (!io_policy_request_valid(req))
		return -EINVAL;
	p->unclaimed = req->unclaimed;
	p->nr_claims = req->nr_claims;
	memcpy(p->claims, req->claims, sizeof(p->claims));
	return 0;
}

static bool io_claimed(const struct hvk_io_policy_state *p, u32 space, u64 addr)
{
	u32 i;

	for (i = 0; i < p->nr_claims; i++)
		if (p->claims[i].space == space && addr >= p->claims[i].base &&
		    addr - p->claims[i].base < p->claims[i].size)
			return true;
	return false;
}

bool hvk_io_unclaimed_ignored(struct hvk_vm *vm, u32 space, u64 addr)
{
	const struct hvk_io_policy_state *p = &vm->io_policy;

	return p->unclaimed == HVK_UNCLAIMED_IGNORE && !io_claimed(p, space, addr);
}

void hvk_io_count_unclaimed(struct hvk_vcpu *vcpu, u32 space, u64 addr, u8 size,
			    bool write)
{
	struct hvk_io_policy_state *p = &vcpu->vm->io_policy;
	u64 key = space == HVK_IO_SPACE_MMIO ? addr & PAGE_MASK : addr;
	struct hvk_io_count *c = NULL;
	u32 i;

	vcpu->stats.unclaimed_io++;
	trace_hvk_unclaimed_io(vcpu->vm->id, vcpu->id, space, addr, size, write);
	spin_lock(&p->counts_lock);
	for (i = 0; i < p->nr_counts; i++)
		if (p->counts[i].space == space && p->counts[i].addr == key) {
			c = &p->counts[i];
			break;
		}
	if (!c && p->nr_counts < HVK_IO_STATS_ENTRIES) {
		c = &p->counts[p->nr_counts++];
		c->space = space;
		c->addr = key;
	}
	if (!c)
		p->other++;
	else if (write)
		c->writes++;
	else
		c->reads++;
	spin_unlock(&p->counts_lock);
}

void hvk_io_stats_get(struct hvk_io_policy_state *p, struct hvk_io_stats *out)
{
	memset(out, 0, sizeof(*out));
	spin_lock(&p->counts_lock);
	out->nr = p->nr_counts;
	out->other = p->other;
	memcpy(out->entries, p->counts, sizeof(out->entries));
	spin_unlock(&p->counts_lock);
}
