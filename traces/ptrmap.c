/*
 * ptrmap.c - the 64-bit key -> pointer hash map of ptrmap.h.
 *
 * Linear probing from slot hash(key); a deletion shifts the following run
 * back over the hole (Knuth's algorithm R), so lookups never meet
 * tombstones and a table that empties is as fast as a fresh one.
 */
#include <stdlib.h>

#include "ptrmap.h"

#define PTRMAP_MIN_CAP 64

static uint64_t ptrmap_slot(const struct sim_ptrmap *m, uint64_t key)
{
	return (key * 0x9e3779b97f4a7c15ULL) >> 17 & (m->cap - 1);
}

/* Move every key to a table of `cap` slots; -1 when out of memory (table unchanged). */
static int ptrmap_resize(struct sim_ptrmap *m, uint64_t cap)
{
	struct sim_ptrmap old = *m;
	struct sim_ptrmap_slot *s = calloc(cap, sizeof(*s));

	if (!s)
		return -1;
	m->slot = s;
	m->cap = cap;
	for (uint64_t i = 0; i < old.cap; i++) {
		uint64_t j;

		if (!old.slot[i].val)
			continue;
		for (j = ptrmap_slot(m, old.slot[i].key); s[j].val; j = (j + 1) & (cap - 1))
			;
		s[j] = old.slot[i];
	}
	free(old.slot);
	return 0;
}

void *sim_ptrmap_get(const struct sim_ptrmap *m, uint64_t key)
{
	if (!m->nr)
		return NULL;
	for (uint64_t j = ptrmap_slot(m, key); m->slot[j].val; j = (j + 1) & (m->cap - 1))
		if (m->slot[j].key == key)
			return m->slot[j].val;
	return NULL;
}

int sim_ptrmap_put(struct sim_ptrmap *m, uint64_t key, void *val, void **old)
{
	uint64_t j;

	if (old)
		*old = NULL;
	if ((m->nr + 1) * 2 > m->cap && ptrmap_resize(m, m->cap ? m->cap * 2 : PTRMAP_MIN_CAP))
		return -1;
	for (j = ptrmap_slot(m, key); m->slot[j].val; j = (j + 1) & (m->cap - 1)) {
		if (m->slot[j].key == key) {
			if (old)
				*old = m->slot[j].val;
			m->slot[j].val = val;
			return 0;
		}
	}
	m->slot[j].key = key;
	m->slot[j].val = val;
	m->nr++;
	return 0;
}

void *sim_ptrmap_del(struct sim_ptrmap *m, uint64_t key)
{
	uint64_t mask = m->cap - 1, i, j;
	void *val;

	if (!m->nr)
		return NULL;
	for (i = ptrmap_slot(m, key); m->slot[i].val; i = (i + 1) & mask)
		if (m->slot[i].key == key)
			break;
	if (!m->slot[i].val)
		return NULL;
	val = m->slot[i].val;
	/* Shift back every later key of the run whose home is not in (i, j]. */
	for (j = (i + 1) & mask; m->slot[j].val; j = (j + 1) & mask) {
		uint64_t home = ptrmap_slot(m, m->slot[j].key);

		if ((j > i && (home <= i || home > j)) || (j < i && home <= i && home > j)) {
			m->slot[i] = m->slot[j];
			i = j;
		}
	}
	m->slot[i].val = NULL;
	m->nr--;
	/* Shrinking may fail for want of memory: the map then stays large, which is fine. */
	if (m->cap > PTRMAP_MIN_CAP && m->nr * 8 < m->cap)
		(void)ptrmap_resize(m, m->cap / 2);
	return val;
}

void sim_ptrmap_each(const struct sim_ptrmap *m, void (*fn)(uint64_t key, void *val, void *arg), void *arg)
{
	for (uint64_t i = 0; i < m->cap; i++)
		if (m->slot[i].val)
			fn(m->slot[i].key, m->slot[i].val, arg);
}

void sim_ptrmap_free(struct sim_ptrmap *m)
{
	free(m->slot);
	m->slot = NULL;
	m->cap = m->nr = 0;
}
