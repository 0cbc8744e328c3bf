/*
 * intern.c - one stable copy of each distinct string the reader hands out
 * (call-site symbols, cache names, skipped event names).
 *
 * Open addressing on a power-of-two table of (hash, length, string), kept at
 * most half full; the strings live in chunks that never move, so a pointer
 * stays valid until trace_intern_free.  Memory grows with the number of
 * distinct strings (bounded by the kernel's symbols and caches), not with
 * the trace length.
 */
#include <stdlib.h>
#include <string.h>

#include "trace_int.h"

#define CHUNK (64 * 1024)		/* string storage per chunk */

struct slot {
	uint64_t hash;			/* 0 = empty slot */
	const char *str;
	uint32_t len;
};

struct chunk {
	struct chunk *next;
	size_t used, size;
	char data[];
};

struct trace_intern {
	struct slot *slots;
	size_t mask;			/* table size - 1 */
	size_t nr;			/* strings held; <= (mask + 1) / 2 */
	struct chunk *chunks;		/* newest first */
};

/* 64-bit hash, 8 bytes at a time; never 0. */
static uint64_t hash_bytes(const char *s, size_t len)
{
	uint64_t h = 0x9e3779b97f4a7c15ull ^ (len * 0xff51afd7ed558ccdull);
	uint64_t w;

	while (len >= 8) {
		memcpy(&w, s, 8);
		h = (h ^ w) * 0xc4ceb9fe1a85ec53ull;
		h ^= h >> 29;
		s += 8;
		len -= 8;
	}
	w = 0;
	memcpy(&w, s, len);
	h = (h ^ w) * 0xc4ceb9fe1a85ec53ull;
	h ^= h >> 32;
	return h ? h : 1;
}

struct trace_intern *trace_intern_new(void)
{
	struct trace_intern *t = calloc(1, sizeof(*t));

	if (!t)
		return NULL;
	t->mask = 1023;
	t->slots = calloc(t->mask + 1, sizeof(*t->slots));
	if (!t->slots) {
		free(t);
		return NULL;
	}
	return t;
}

void trace_intern_free(struct trace_intern *t)
{
	struct chunk *c, *next;

	if (!t)
		return;
	for (c = t->chunks; c; c = next) {
		next = c->next;
		free(c);
	}
	free(t->slots);
	free(t);
}

/* Copy s into chunk storage, NUL-terminated. */
static char *store(struct trace_intern *t, const char *s, size_t len)
{
	struct chunk *c = t->chunks;
	char *dst;

	if (!c || c->size - c->used < len + 1) {
		size_t size = len + 1 > CHUNK ? len + 1 : CHUNK;

		c = malloc(sizeof(*c) + size);
		if (!c)
			return NULL;
		c->used = 0;
		c->size = size;
		c->next = t->chunks;
		t->chunks = c;
	}
	dst = c->data + c->used;
	memcpy(dst, s, len);
	dst[len] = '\0';
	c->used += len + 1;
	return dst;
}

/* Double the table and re-place every string. */
static int grow(struct trace_intern *t)
{
	size_t size = (t->mask + 1) * 2, i;
	struct slot *slots = calloc(size, sizeof(*slots));

	if (!slots)
		return -1;
	for (i = 0; i <= t->mask; i++) {
		size_t j;

		if (!t->slots[i].hash)
			continue;
		for (j = t->slots[i].hash & (size - 1); slots[j].hash; j = (j + 1) & (size - 1))
			;
		slots[j] = t->slots[i];
	}
	free(t->slots);
	t->slots = slots;
	t->mask = size - 1;
	return 0;
}

const char *trace_intern(struct trace_intern *t, const char *s, size_t len)
{
	uint64_t h = hash_bytes(s, len);
	size_t i;
	char *str;

	for (i = h & t->mask; t->slots[i].hash; i = (i + 1) & t->mask) {
		const struct slot *sl = &t->slots[i];

		if (sl->hash == h && sl->len == len && trace_bytes_eq(sl->str, s, len))
			return sl->str;
	}
	if (len > UINT32_MAX)
		return NULL;
	str = store(t, s, len);
	if (!str)
		return NULL;
	t->slots[i].hash = h;
	t->slots[i].str = str;
	t->slots[i].len = (uint32_t)len;
	t->nr++;
	if (t->nr * 2 > t->mask + 1 && grow(t))
		return NULL;
	return str;
}
