/*
 * ptrmap.h - a hash map from a 64-bit key (a traced pointer, a pfn) to a
 * pointer, for the replay's "what did the trace mean by this pointer" tables.
 *
 * Open addressing with linear probing and backward-shift deletion (no
 * tombstones), kept at most half full, shrunk when it falls below 1/8: its
 * memory follows the number of live keys, never the number of keys ever
 * seen.  Keys are mixed with a multiplicative hash, so hashed pointers
 * (top 32 bits zero) spread as well as real ones.  There is no iteration in
 * key order on purpose: the replay only looks keys up, so the table's order
 * can never reach a result (sim_ptrmap_each exists for teardown only).
 *
 *     struct sim_ptrmap m = { 0 };
 *     sim_ptrmap_put(&m, 0xffff888012345678, obj, &old);   // old: the value replaced, or NULL
 *     obj = sim_ptrmap_get(&m, 0xffff888012345678);
 *     obj = sim_ptrmap_del(&m, 0xffff888012345678);        // NULL when absent
 *     sim_ptrmap_free(&m);
 *
 * Values must not be NULL (NULL marks an empty slot).
 */
#ifndef KMEMSIM_TRACES_PTRMAP_H
#define KMEMSIM_TRACES_PTRMAP_H

#include <stdint.h>

struct sim_ptrmap_slot {
	uint64_t key;
	void *val;			/* NULL: empty */
};

struct sim_ptrmap {
	struct sim_ptrmap_slot *slot;	/* cap slots; NULL until the first put */
	uint64_t cap;			/* power of two, or 0 */
	uint64_t nr;			/* keys held; nr * 2 <= cap */
};

void *sim_ptrmap_get(const struct sim_ptrmap *m, uint64_t key);		/* NULL when absent */
int sim_ptrmap_put(struct sim_ptrmap *m, uint64_t key, void *val, void **old); /* 0, or -1 out of memory */
void *sim_ptrmap_del(struct sim_ptrmap *m, uint64_t key);		/* the value removed, or NULL */
void sim_ptrmap_each(const struct sim_ptrmap *m, void (*fn)(uint64_t key, void *val, void *arg), void *arg); /* teardown only */
void sim_ptrmap_free(struct sim_ptrmap *m);				/* empty again; values untouched */

#endif
