/*
 * sched.c - which vCPU runs next, and the schedule file.
 *
 * The policy: the vCPU with the smallest clock runs; a tie between several
 * is a scheduling decision, taken by the seeded PRNG, or read from a
 * schedule file being replayed, and written to one being recorded.  So are
 * migration targets (engine.c).  The schedule file is text:
 *
 *   kmemsim-schedule 1 seed=<seed>
 *   t 2        a tie won by vCPU 2
 *   m 0        a preempted task moved to vCPU 0
 *
 * The vCPUs sit in a tournament tree keyed on their clocks (a parked vCPU
 * has key UINT64_MAX): the smallest clock is at the root, and the vCPUs
 * tied on it are found by a left-to-right descent, so they come out in
 * vCPU order as a scan of every vCPU would list them, and a tie is the
 * same decision as a scan's.  Only the running vCPU's clock moves at a
 * yield; the few places that move another vCPU's clock (sim_vcpu_kick)
 * update its leaf and sched_rest_min, the smallest key of the vCPUs that
 * are not running.  A pick compares the running vCPU's clock with that
 * bound first: below it, the running vCPU goes on (most yields), with no
 * decision and nothing else read; otherwise its leaf is refreshed,
 * O(log nr_cpus), and the root names the next vCPU or the tie.  Up to
 * SCHED_SCAN_MAX vCPUs a scan of their keys is cheaper than the tree and
 * takes its place.  Lock-step vCPUs tie at nearly every pick: a tie of the
 * tree starts a tie round (below), which decides the following ties without
 * the tree.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine_int.h"
#include "schedule.h"

/*
 * Exploration: clocks do not order the vCPUs; every vCPU that is not parked
 * may run next, and the running vCPU may take a pending interrupt now.
 */
static struct sim_vcpu *explore_pick(struct sim_engine *e)
{
	struct sim_vcpu *v = e->cur;

	for (;;) {
		int cands[SIM_MAX_CPUS + 1], n = 0, c;

		/* A vCPU spinning on a lock runs only when nobody else can: it waits for them. */
		for (int i = 0; i < e->nr_cpus; i++)
			if (!e->vcpu[i].parked && !e->vcpu[i].spinning)
				cands[n++] = i;
		if (n == 0)
			for (int i = 0; i < e->nr_cpus; i++)
				if (!e->vcpu[i].parked)
					cands[n++] = i;
		if (e->started && !v->parked && !v->irqs_disabled && v->irqs.nr)
			cands[n++] = SIM_CHOICE_IRQ + v->cpu;
		if (n == 0)
			return NULL;
		c = n == 1 ? cands[0] : cands[sim_chooser_choose(e->chooser, n, cands, v->cpu)];
		if (c < SIM_CHOICE_IRQ)
			return &e->vcpu[c];
		/* Take the earliest pending interrupt now (no time passes for that), then decide again. */
		sim_irq_deliver_forced(v);
		sim_vcpu_refresh(v);
	}
}

#define SCHED_SCAN_MAX 8	/* up to this many vCPUs a scan is cheaper than the tree */

static inline uint64_t sched_key_of(const struct sim_vcpu *v)
{
	return v->parked ? UINT64_MAX : v->clock_ns;
}

/* A node from its children l and r: the smaller key, and how many leaves hold it. */
static inline struct sim_sched_node sched_merge(const struct sim_sched_node *l, const struct sim_sched_node *r)
{
	if (l->key < r->key)
		return *l;
	if (r->key < l->key)
		return *r;
	return (struct sim_sched_node){ .key = l->key, .cnt = l->cnt + r->cnt, .first = l->first };
}

/* Node i from its children; false when it did not change. */
static inline bool sched_pull(struct sim_engine *e, int i)
{
	struct sim_sched_node *n = &e->sched[i];
	struct sim_sched_node m = sched_merge(&e->sched[2 * i], &e->sched[2 * i + 1]);

	if (n->key == m.key && n->cnt == m.cnt && n->first == m.first)
		return false;
	*n = m;
	return true;
}

void sim_sched_rebuild(struct sim_engine *e)
{
	int leaves = 1;

	e->sched_leaves = 0;
	e->sched_rest_min = 0;		/* worked out by the first pick */
	e->tie_valid = false;
	e->tie_nr_dirty = 0;
	if (e->nr_cpus <= SCHED_SCAN_MAX)
		return;
	while (leaves < e->nr_cpus)
		leaves *= 2;
	e->sched_leaves = leaves;
	for (int i = 0; i < leaves; i++)
		e->sched[leaves + i] = (struct sim_sched_node){
			.key = i < e->nr_cpus ? sched_key_of(&e->vcpu[i]) : UINT64_MAX, .cnt = 1, .first = (uint32_t)i,
		};
	for (int i = leaves - 1; i >= 1; i--) {
		e->sched[i].cnt = 0;	/* differs from any pull: always written */
		sched_pull(e, i);
	}
}

/* Refresh v's leaf and the nodes on its path to the root (log2(leaves) of them; a full
 * walk measured cheaper than stopping where a node does not change). */
static void sched_set_leaf(struct sim_engine *e, const struct sim_vcpu *v)
{
	struct sim_sched_node *t = e->sched;
	int i = e->sched_leaves + v->cpu;
	uint64_t k = sched_key_of(v);

	if (t[i].key == k)
		return;
	t[i].key = k;
	for (i /= 2; i >= 1; i /= 2)
		t[i] = sched_merge(&t[2 * i], &t[2 * i + 1]);
}

/* ---- tie rounds ----------------------------------------------------------
 *
 * Lock-step vCPUs tie at nearly every pick: n vCPUs on one clock, a draw, the
 * winner runs one yield and leaves the clock, a draw among the n - 1 left, and
 * so on.  While no vCPU but the running one moves, the vCPUs still on the tied
 * clock are the previous tie's less those that left it, so a round keeps them
 * in a bitmap (vCPU order) and draws the k-th of them: the same set, count and
 * order as the tree's descent or the scan, so the same decision, without
 * refreshing the tree at each pick.  The round ends when fewer than two are
 * left, when another vCPU's key moves (sim_sched_update) or when the smallest
 * clock is asked for; then the leaves of the vCPUs that left are refreshed.
 * Rounds are used with the tree only (up to SCHED_SCAN_MAX vCPUs a scan costs
 * less than a round's upkeep: measured), and not while a schedule is recorded
 * or replayed (sched_decide_tie checks the recorded vCPU against the tree).
 */

#define TIE_MIN 3		/* a tie of this many vCPUs or more starts a round */

static inline void tie_add(struct sim_engine *e, int cpu)
{
	e->tie_bits[cpu / 64] |= 1ULL << (cpu % 64);
	e->tie_wcnt[cpu / 64]++;
	e->tie_cnt++;
}

static void tie_clear(struct sim_engine *e)
{
	int words = (e->nr_cpus + 63) / 64;

	for (int w = 0; w < words; w++) {
		e->tie_bits[w] = 0;
		e->tie_wcnt[w] = 0;
	}
	e->tie_cnt = 0;
	e->tie_nr_dirty = 0;
}

/* The leaves under node i that hold key, into the round. */
static void tie_collect(struct sim_engine *e, int i, uint64_t key)
{
	if (e->sched[i].key != key)
		return;
	if (i >= e->sched_leaves) {
		tie_add(e, i - e->sched_leaves);
		return;
	}
	tie_collect(e, 2 * i, key);
	tie_collect(e, 2 * i + 1, key);
}

/* A tie on key in the tree starts a round. */
static void tie_start(struct sim_engine *e, uint64_t key)
{
	tie_clear(e);
	e->tie_key = key;
	tie_collect(e, 1, key);
	e->tie_valid = true;
	e->nr_tie_rounds++;
}

/* The round ends: the leaves of the vCPUs that left its key are refreshed (all the inner
 * nodes at once when that is cheaper than one path each). */
static void tie_end(struct sim_engine *e)
{
	struct sim_sched_node *t = e->sched;
	int leaves = e->sched_leaves;

	e->tie_valid = false;
	if (!leaves || !e->tie_nr_dirty) {
		e->tie_nr_dirty = 0;
		return;
	}
	if (e->tie_nr_dirty * __builtin_ctz((unsigned)leaves) < leaves) {
		for (int i = 0; i < e->tie_nr_dirty; i++)
			sched_set_leaf(e, &e->vcpu[e->tie_dirty[i]]);
	} else {
		for (int i = 0; i < e->tie_nr_dirty; i++)
			t[leaves + e->tie_dirty[i]].key = sched_key_of(&e->vcpu[e->tie_dirty[i]]);
		for (int i = leaves - 1; i >= 1; i--)
			t[i] = sched_merge(&t[2 * i], &t[2 * i + 1]);
	}
	e->tie_nr_dirty = 0;
}

/* Position of the r-th (from 0) set bit of w (r < its bit count): the bytes' bit counts
 * (SWAR, no popcount instruction needed) and their running sums find the byte. */
static inline int tie_select64(uint64_t w, uint32_t r)
{
	uint64_t x = w - ((w >> 1) & 0x5555555555555555ULL);
	int byte;

	x = (x & 0x3333333333333333ULL) + ((x >> 2) & 0x3333333333333333ULL);
	x = ((x + (x >> 4)) & 0x0f0f0f0f0f0f0f0fULL) * 0x0101010101010101ULL;	/* byte i: bits in bytes 0..i */
	/* The first byte whose running sum passes r: sums are <= 64, so each byte's high bit
	 * of (sum | 0x80) - (r + 1) says sum > r, with no borrow between bytes. */
	byte = __builtin_ctzll(((x | 0x8080808080808080ULL) - 0x0101010101010101ULL * (r + 1)) &
			       0x8080808080808080ULL) / 8;
	r -= (uint32_t)(((x << 8) >> (8 * byte)) & 0xff);	/* bits in the bytes below */
	w >>= 8 * byte;
	while (r--)
		w &= w - 1;
	return 8 * byte + __builtin_ctzll(w);
}

/* A pick inside a round (v running): the draw among the vCPUs still on the tied clock, or
 * NULL when the round is over (the caller ends it and picks from the tree or a scan). */
static struct sim_vcpu *tie_pick(struct sim_engine *e, struct sim_vcpu *v)
{
	uint64_t k = sched_key_of(v);
	int c = v->cpu, w = c / 64, cpu;
	uint64_t bit = 1ULL << (c % 64);
	uint32_t r;

	/* v was drawn from the round, so it is in it; it may only have moved up. */
	if (k < e->tie_key || !(e->tie_bits[w] & bit))
		return NULL;
	if (k > e->tie_key) {
		e->tie_bits[w] &= ~bit;
		e->tie_wcnt[w]--;
		e->tie_cnt--;
		e->tie_dirty[e->tie_nr_dirty++] = c;
	}
	if (e->tie_cnt < 2)
		return NULL;
	r = (uint32_t)sim_prng_below(&e->prng_sched, (uint64_t)e->tie_cnt);
	e->sched_nr++;
	for (w = 0; r >= e->tie_wcnt[w]; w++)
		r -= e->tie_wcnt[w];
	cpu = w * 64 + tie_select64(e->tie_bits[w], r);
	e->sched_rest_min = e->tie_key;		/* another of the tied vCPUs waits */
	return &e->vcpu[cpu];
}

/* v, not the running vCPU, changed its clock or parked flag (sim_vcpu_kick). */
void sim_sched_update(struct sim_engine *e, const struct sim_vcpu *v)
{
	uint64_t k = sched_key_of(v);

	if (e->tie_valid) {	/* v's leaf may be stale: the bound is not known any more */
		tie_end(e);
		e->sched_rest_min = 0;
	}
	/* Keep sched_rest_min a lower bound of the keys of the vCPUs that are not running. */
	if (k < e->sched_rest_min)
		e->sched_rest_min = k;
	else if (!e->sched_leaves || (k > e->sched[e->sched_leaves + v->cpu].key &&
				      e->sched[e->sched_leaves + v->cpu].key == e->sched_rest_min))
		e->sched_rest_min = 0;	/* v may have held it: the next pick works it out */
	if (e->sched_leaves)
		sched_set_leaf(e, v);
}

/* Few vCPUs: the smallest key, its vCPUs in vCPU order (*n of them, 0 when the key is
 * UINT64_MAX) and the smallest key above it (*next). */
static uint64_t sched_scan(const struct sim_engine *e, int *cands, int *n, uint64_t *next)
{
	const int nr = e->nr_cpus;
	uint64_t best = UINT64_MAX, second = UINT64_MAX;
	int c = 0;

	for (int i = 0; i < nr; i++) {
		uint64_t k = sched_key_of(&e->vcpu[i]);

		if (k < best) {
			second = best;
			best = k;
			c = 0;
		} else if (k > best && k < second) {
			second = k;
		}
		if (k == best)
			cands[c++] = i;
	}
	*n = best == UINT64_MAX ? 0 : c;
	*next = second;
	return best;
}

uint64_t sim_sched_min_clock(void)
{
	struct sim_engine *e = sim;
	int cands[SCHED_SCAN_MAX], n;
	uint64_t next;

	if (e->tie_valid)
		tie_end(e);
	if (!e->sched_leaves)
		return sched_scan(e, cands, &n, &next);
	sched_set_leaf(e, e->cur);
	return e->sched[1].key;
}

/* The k-th (from 0) vCPU in vCPU order whose key is the root's. */
static int sched_nth_tie(const struct sim_engine *e, uint32_t k)
{
	uint64_t best = e->sched[1].key;
	int i = 1;

	while (i < e->sched_leaves) {
		int l = 2 * i;

		if (e->sched[l].key == best) {
			if (k < e->sched[l].cnt) {
				i = l;
				continue;
			}
			k -= e->sched[l].cnt;
		}
		i = l + 1;
	}
	return i - e->sched_leaves;
}

/* The smallest key of every vCPU but `cpu`: the subtrees beside its leaf's path to the root. */
static uint64_t sched_min_without(const struct sim_engine *e, int cpu)
{
	uint64_t m = UINT64_MAX;

	for (int i = e->sched_leaves + cpu; i > 1; i /= 2)
		if (e->sched[i ^ 1].key < m)
			m = e->sched[i ^ 1].key;
	return m;
}

/*
 * A tie between the n vCPUs with the smallest clock: the same decision as
 * sim_sched_decide('t', n, cands) over them listed in vCPU order, without
 * listing them.
 */
static struct sim_vcpu *sched_decide_tie(struct sim_engine *e, uint32_t n)
{
	int cpu = -1;

	if (!e->sched_in && !e->sched_out) {	/* nothing replayed or recorded: the draw alone */
		e->sched_nr++;
		return &e->vcpu[sched_nth_tie(e, (uint32_t)sim_prng_below(&e->prng_sched, n))];
	}
	if (e->sched_in && !e->sched_diverged) {
		char k;
		int c;

		if (fscanf(e->sched_in, " %c %d", &k, &c) == 2 && k == 't' && c >= 0 && c < e->nr_cpus &&
		    e->sched[e->sched_leaves + c].key == e->sched[1].key)
			cpu = c;
		if (cpu < 0) {
			fprintf(stderr, "%s: decision %" PRIu64 ": the run no longer follows the schedule\n",
				e->sched_in_path ? e->sched_in_path : "schedule", e->sched_nr + 1);
			e->sched_diverged = true;
		}
	}
	if (cpu < 0)
		cpu = sched_nth_tie(e, (uint32_t)sim_prng_below(&e->prng_sched, n));
	e->sched_nr++;
	if (e->sched_out)
		fprintf(e->sched_out, "t %d\n", cpu);
	if (e->sched_diverged && e->running && !e->stopping)
		sim_engine_stop();
	return &e->vcpu[cpu];
}

struct sim_vcpu *sim_sched_pick(void)
{
	struct sim_engine *e = sim;
	struct sim_vcpu *v = e->cur, *n;

	if (e->chooser)
		return explore_pick(e);
	/* The running vCPU alone has the smallest clock: it runs on, no decision. */
	if (v->clock_ns < e->sched_rest_min && !v->parked)
		return v;
	if (e->tie_valid) {
		n = tie_pick(e, v);
		if (n)
			return n;
		tie_end(e);
	}
	if (!e->sched_leaves) {
		int cands[SCHED_SCAN_MAX], nc;
		uint64_t best = sched_scan(e, cands, &nc, &e->sched_rest_min);

		if (nc == 0)
			return NULL;
		if (nc == 1)
			return &e->vcpu[cands[0]];	/* sched_rest_min: the next key up */
		e->sched_rest_min = best;		/* another of the tied vCPUs waits */
		if (!e->sched_in && !e->sched_out) {	/* sim_sched_decide's draw, inline */
			e->sched_nr++;
			return &e->vcpu[cands[sim_prng_below(&e->prng_sched, (uint64_t)nc)]];
		}
		return &e->vcpu[cands[sim_sched_decide('t', nc, cands)]];
	}
	if (sim_sched_min_clock() == UINT64_MAX)
		return NULL;
	if (e->sched[1].cnt == 1) {
		n = &e->vcpu[e->sched[1].first];
		e->sched_rest_min = sched_min_without(e, n->cpu);
	} else {
		if (e->sched[1].cnt >= TIE_MIN && !e->sched_in && !e->sched_out)
			tie_start(e, e->sched[1].key);
		n = sched_decide_tie(e, e->sched[1].cnt);
		e->sched_rest_min = e->sched[1].key;	/* another of the tied vCPUs waits */
	}
	return n;
}

static int replay_next(struct sim_engine *e, char kind, int n, const int *cands)
{
	char k;
	int cpu;

	if (fscanf(e->sched_in, " %c %d", &k, &cpu) == 2 && k == kind) {
		for (int i = 0; i < n; i++)
			if (cands[i] == cpu)
				return i;
	}
	fprintf(stderr, "%s: decision %" PRIu64 ": the run no longer follows the schedule\n",
		e->sched_in_path ? e->sched_in_path : "schedule", e->sched_nr + 1);
	e->sched_diverged = true;
	return -1;
}

int sim_sched_decide(char kind, int n, const int *cands)
{
	struct sim_engine *e = sim;
	int i = -1;

	if (e->sched_in && !e->sched_diverged)
		i = replay_next(e, kind, n, cands);
	if (i < 0)
		i = (int)sim_prng_below(&e->prng_sched, (uint64_t)n);
	e->sched_nr++;
	if (e->sched_out)
		fprintf(e->sched_out, "%c %d\n", kind, cands[i]);
	if (e->sched_diverged && e->running && !e->stopping)
		sim_engine_stop();
	return i;
}

int sim_schedule_record(const char *path)
{
	struct sim_engine *e = sim;

	e->sched_out = fopen(path, "w");
	if (!e->sched_out)
		return -1;
	fprintf(e->sched_out, "kmemsim-schedule 1 seed=%" PRIu64 "\n", e->seed);
	return 0;
}

int sim_schedule_replay(const char *path, FILE *err)
{
	struct sim_engine *e = sim;
	unsigned version;
	uint64_t seed;

	e->sched_in = fopen(path, "r");
	if (!e->sched_in) {
		fprintf(err, "%s: cannot read: %s\n", path, strerror(errno));
		return 2;
	}
	if (fscanf(e->sched_in, "kmemsim-schedule %u seed=%" SCNu64, &version, &seed) != 2 ||
	    version != 1) {
		fprintf(err, "%s:1: not a kmemsim schedule (expected \"kmemsim-schedule 1 seed=N\")\n", path);
		fclose(e->sched_in);
		e->sched_in = NULL;
		return 2;
	}
	if (seed != e->seed) {
		fprintf(err, "%s:1: seed: the schedule was recorded with seed %" PRIu64 ", the run has %" PRIu64 "\n",
			path, seed, e->seed);
		fclose(e->sched_in);
		e->sched_in = NULL;
		return 2;
	}
	e->sched_in_path = strdup(path);
	return 0;
}

void sim_sched_close(struct sim_engine *e)
{
	if (!e)
		return;
	if (e->sched_out)
		fclose(e->sched_out);
	if (e->sched_in)
		fclose(e->sched_in);
	e->sched_out = e->sched_in = NULL;
}
