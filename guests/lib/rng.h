/* SPDX-License-Identifier: MIT */
/*
 * xorshift64* (Vigna): the guests' seeded pseudo-random numbers (stress,
 * fuzz-hcall).  The state must not be 0; the same seed gives the same
 * sequence, so a failing seed replays.
 */
#ifndef GUEST_RNG_H
#define GUEST_RNG_H

#include <stdint.h>

static inline uint64_t xorshift64s_next(uint64_t *state)
{
	uint64_t x = *state;

	x ^= x >> 12;
	x ^= x << 25;
	x ^= x >> 27;
	*state = x;
	return x * 0x2545f4914f6cdd1dull;
}

#endif /* GUEST_RNG_H */
