/*
 * races.c - the race mode of a run (sim/run/races.h): the live-object tracker
 * and the invariant checks a race scenario is held to.
 *
 * Main entry: sim_races_op, called for every ended operation.  What is live
 * is an open-addressing table keyed by object address (objects) or pfn
 * (pages; every frame of a block), each entry naming the operation and
 * vCPU that handed it out, so a second hand-out of a live one names both.
 * Lookups only: the table's layout never reaches a result.
 *
 * The balance invariant counts, per cache the scripts allocate from, the
 * objects the allocator's structures say are in use (models/watch.h) and
 * compares with the count at boot plus the objects the run holds: a race
 * that loses an object (a freelist overwritten) or hands one out twice
 * shows up here even when every list is still well formed.
 *
 * Periodic checks run at the end of an operation when none is in flight
 * anywhere and never hold a task back: unlike sim_run's check gate they do
 * not change the interleaving, so exploring with or without them, or
 * replaying with them after every operation, runs the same schedule.
 */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "races.h"
#include "../engine/engine.h"
#include "../scenario/scenario.h"
#include "steps.h"
#include "../../models/kernel.h"
#include "../../models/mm.h"
#include "../../models/buddy/buddy.h"
#include "../../models/slab_common/slab_common.h"
#include "../../models/watch.h"

#define RACES_MAX_CACHES 32		/* caches the balance invariant follows */
#define RACES_MAX_PAGES_TRACKED 1024	/* frames tracked per block (a max-order block) */

struct live_entry {
	uint64_t key;			/* object address, or pfn; 0 = empty slot */
	uint64_t seq;			/* operation that handed it out */
	int32_t cache;			/* registry id, -1 for pages and large kmalloc */
	int16_t cpu;
};

struct race_cache {
	struct kmem_cache *s;
	int id;
	long baseline;			/* objects in use at boot (outside any operation) */
	long live;			/* objects of it the run holds now */
};

struct races {
	const struct sim_scenario *sc;
	struct live_entry *tab;
	uint32_t cap, nr;		/* cap: a power of two, nr < cap / 2 */
	struct race_cache cache[RACES_MAX_CACHES];
	int nr_caches;
	bool slub;			/* else SLAB (when caches are followed) */
	uint64_t check_every, since_check;
	bool steps;			/* the steps table is being written */
};

static struct races *cur;

/* ----------------------------------------------------------- live table */

static uint32_t live_slot(uint64_t key, uint32_t cap)
{
	key ^= key >> 33;
	key *= 0xff51afd7ed558ccdULL;
	key ^= key >> 33;
	return (uint32_t)key & (cap - 1);
}

static struct live_entry *live_find(struct races *r, uint64_t key)
{
	for (uint32_t i = live_slot(key, r->cap);; i = (i + 1) & (r->cap - 1)) {
		if (r->tab[i].key == key)
			return &r->tab[i];
		if (!r->tab[i].key)
			return NULL;
	}
}

static void live_grow(struct races *r)
{
	uint32_t cap = r->cap * 2;
	struct live_entry *tab = calloc(cap, sizeof(*tab));

	if (!tab)
		abort();	/* out of host memory */
	for (uint32_t i = 0; i < r->cap; i++) {
		uint32_t j;

		if (!r->tab[i].key)
			continue;
		for (j = live_slot(r->tab[i].key, cap); tab[j].key; j = (j + 1) & (cap - 1))
			;
		tab[j] = r->tab[i];
	}
	free(r->tab);
	r->tab = tab;
	r->cap = cap;
}

static void live_put(struct races *r, const struct live_entry *e)
{
	uint32_t i;

	if ((r->nr + 1) * 2 > r->cap)
		live_grow(r);
	for (i = live_slot(e->key, r->cap); r->tab[i].key; i = (i + 1) & (r->cap - 1))
		;
	r->tab[i] = *e;
	r->nr++;
}

/* Remove an entry, shifting later ones of its run back (linear probing). */
static void live_del(struct races *r, struct live_entry *e)
{
	uint32_t i = (uint32_t)(e - r->tab), j = i;

	r->tab[i].key = 0;
	r->nr--;
	for (;;) {
		uint32_t k;

		j = (j + 1) & (r->cap - 1);
		if (!r->tab[j].key)
			return;
		k = live_slot(r->tab[j].key, r->cap);
		/* Move j back to i when its home k is not in (i, j]. */
		if ((i <= j) ? (i < k && k <= j) : (i < k || k <= j))
			continue;
		r->tab[i] = r->tab[j];
		r->tab[j].key = 0;
		i = j;
	}
}

static struct race_cache *race_cache(struct races *r, int id)
{
	for (int i = 0; i < r->nr_caches; i++)
		if (r->cache[i].id == id)
			return &r->cache[i];
	return NULL;
}

static void violation(struct sim_race_violation *v, const char *invariant, const struct sim_op *op,
		      const char *fmt, ...) __attribute__((format(printf, 4, 5)));
static void violation(struct sim_race_violation *v, const char *invariant, const struct sim_op *op,
		      const char *fmt, ...)
{
	va_list ap;

	memset(v, 0, sizeof(*v));
	v->found = true;
	snprintf(v->invariant, sizeof(v->invariant), "%s", invariant);
	va_start(ap, fmt);
	vsnprintf(v->detail, sizeof(v->detail), fmt, ap);
	va_end(ap);
	v->step = sim_races_step();
	v->seq = op ? op->seq : 0;
}

/* ------------------------------------------------------------- counting */

static long cache_in_use(const struct races *r, struct kmem_cache *s)
{
	return r->slub ? slub_nr_in_use(s) : slab_nr_in_use(s);
}

static const char *cache_name(int id)
{
	struct slab_cache_info info;
	struct kmem_cache *s = slab_cache(id);

	if (!s || !slab_current())
		return "?";
	slab_current()->info(s, &info);
	return info.name;
}

/* Follow cache s (once) for the balance invariant. */
static void follow(struct races *r, struct kmem_cache *s)
{
	int id;

	if (!s || ZERO_OR_NULL_PTR(s) || r->nr_caches == RACES_MAX_CACHES)
		return;
	id = slab_cache_id(s);
	if (race_cache(r, id))
		return;
	r->cache[r->nr_caches++] = (struct race_cache){ .s = s, .id = id, .baseline = cache_in_use(r, s) };
}

/* ------------------------------------------------------------ the checks */

bool sim_races_check(FILE *why)
{
	struct races *r = cur;
	bool ok = true;

	if (!r)
		return true;
	for (int i = 0; i < r->nr_caches; i++) {
		struct race_cache *c = &r->cache[i];
		long in_use = cache_in_use(r, c->s), want = c->baseline + c->live;

		if (in_use == want)
			continue;
		ok = false;
		if (why)
			fprintf(why, "%s: the allocator counts %ld objects in use, the run holds %ld (+%ld from boot):"
				" %ld %s\n", cache_name(c->id), in_use, c->live, c->baseline,
				in_use > want ? in_use - want : want - in_use,
				in_use > want ? "lost (in use, held by nobody)" : "handed out but counted free");
	}
	return ok;
}

/* Run checker `check`; its explanation in *text (malloc'd, may be NULL).  Does it hold? */
static bool holds_why(bool (*check)(FILE *), char **text)
{
	size_t len = 0;
	FILE *why = open_memstream(text, &len);
	bool ok;

	if (!why)
		abort();	/* out of host memory */
	ok = check(why);
	fclose(why);
	return ok;
}

/* Does checker `check` hold now?  Its explanation is dropped. */
static bool holds(bool (*check)(FILE *))
{
	char *text = NULL;
	bool ok = holds_why(check, &text);

	free(text);
	return ok;
}

/* One checker into a buffer; false (and v filled) when it fails. */
static bool check_one(const char *invariant, bool (*check)(FILE *), const struct sim_op *op,
		      struct sim_race_violation *v)
{
	char *text = NULL;
	bool ok = holds_why(check, &text);

	if (!ok) {
		char *nl = text ? strchr(text, '\n') : NULL;

		if (nl)
			*nl = 0;
		violation(v, invariant, op, "%s", text && *text ? text : "inconsistent (no detail given)");
	}
	free(text);
	return ok;
}

/* Every operation has ended: nothing is half-way through a list. */
static bool quiescent(void)
{
	for (int i = 0; i < sim->nr_tasks; i++)
		if (sim->tasks[i]->op)
			return false;
	return true;
}

static bool check_all(const struct sim_op *op, struct sim_race_violation *v)
{
	const struct slab_allocator *a = slab_current();

	return check_one("buddy_check", buddy_check, op, v) &&
	       (!a || !a->check || check_one(a->name, a->check, op, v)) &&
	       check_one("balance", sim_races_check, op, v);
}

void sim_races_broken_now(char *buf, size_t size)
{
	const struct slab_allocator *a = slab_current();
	size_t len = 0;

	buf[0] = 0;
	if (!cur)
		return;
	if (!holds(buddy_check))
		len += (size_t)snprintf(buf + len, size - len, "buddy_check ");
	if (a && a->check && len < size && !holds(a->check))
		len += (size_t)snprintf(buf + len, size - len, "%s ", a->name);
	if (len < size && !holds(sim_races_check))
		len += (size_t)snprintf(buf + len, size - len, "balance ");
	if (len && len <= size)
		buf[len - 1] = 0;
}

/*
 * The operation in flight, on any task, that frees `key` (an object address, or pfn + 1).
 * An interrupt may allocate what the operation it interrupted has already freed into
 * a per-CPU list: that is no second hand-out, though the free has not ended yet.
 */
static const struct sim_op *freeing(uint64_t key, bool page)
{
	for (int i = 0; i < sim->nr_tasks; i++)
		for (const struct sim_op *op = sim->tasks[i]->op; op; op = op->outer) {
			if (page && op->kind == SIM_OP_PAGE_FREE && op->order >= 0 && key - 1 >= op->addr &&
			    key - 1 < op->addr + (1ULL << op->order))
				return op;
			if (!page && op->kind == SIM_OP_OBJ_FREE && op->addr == key)
				return op;
		}
	return NULL;
}

/* A live entry for key: NULL, or the entry of a hand-out whose free has begun (then dropped). */
static struct live_entry *live_conflict(struct races *r, uint64_t key, bool page)
{
	struct live_entry *old = live_find(r, key);
	const struct sim_op *f;

	if (!old)
		return NULL;
	f = freeing(key, page);
	if (!f || f->seq < old->seq)
		return old;
	if (race_cache(r, old->cache))
		race_cache(r, old->cache)->live--;
	live_del(r, old);
	return NULL;
}

/* Track one ended allocation; false (and v filled) on a second hand-out. */
static bool track_alloc(struct races *r, const struct sim_op *op, struct sim_race_violation *v)
{
	struct live_entry e = { .seq = op->seq, .cache = op->cache, .cpu = op->cpu };

	if (op->kind == SIM_OP_OBJ_ALLOC) {
		struct live_entry *old;
		struct page *head;

		if (op->failed || ZERO_OR_NULL_PTR((void *)(uintptr_t)op->addr))
			return true;
		old = live_conflict(r, op->addr, false);
		if (old) {
			violation(v, "live_twice", op, "object %#llx of %s handed out twice while live: by op %llu "
				  "on cpu %d, again by op %llu on cpu %d", (unsigned long long)op->addr,
				  cache_name(op->cache), (unsigned long long)old->seq, old->cpu,
				  (unsigned long long)op->seq, op->cpu);
			return false;
		}
		head = op->cache >= 0 ? virt_to_head_page((void *)(uintptr_t)op->addr) : NULL;
		if (head && !(head->flags & PG_slab)) {
			violation(v, "freed_slab", op, "object %#llx of %s handed out from pfn %#llx, which is no "
				  "slab any more (flags %#x): the allocator used a freed slab's memory",
				  (unsigned long long)op->addr, cache_name(op->cache),
				  (unsigned long long)page_to_pfn(head), head->flags);
			return false;
		}
		e.key = op->addr;
		live_put(r, &e);
		if (race_cache(r, op->cache))
			race_cache(r, op->cache)->live++;
		return true;
	}
	if (op->failed || op->order < 0)
		return true;
	for (uint64_t i = 0; i < (1ULL << op->order) && i < RACES_MAX_PAGES_TRACKED; i++) {
		struct live_entry *old = live_conflict(r, op->addr + i + 1, true);

		if (old) {
			violation(v, "live_twice", op, "page pfn %#llx handed out twice while live: by op %llu on "
				  "cpu %d, again by op %llu on cpu %d (order %d)",
				  (unsigned long long)(op->addr + i), (unsigned long long)old->seq, old->cpu,
				  (unsigned long long)op->seq, op->cpu, op->order);
			return false;
		}
		e.key = op->addr + i + 1;	/* pfn + 1: pfn 0 is a frame too */
		e.cache = -1;
		live_put(r, &e);
	}
	return true;
}

static void track_free(struct races *r, const struct sim_op *op)
{
	if (op->kind == SIM_OP_OBJ_FREE) {
		struct live_entry *e = live_find(r, op->addr);

		/* None: allocated at boot, outside any operation.  Newer than this free: an
		 * interrupt got it again while this free was in flight (live_conflict). */
		if (!e || e->seq > op->seq)
			return;
		if (race_cache(r, e->cache))
			race_cache(r, e->cache)->live--;
		live_del(r, e);
		return;
	}
	for (uint64_t i = 0; op->order >= 0 && i < (1ULL << op->order) && i < RACES_MAX_PAGES_TRACKED; i++) {
		struct live_entry *e = live_find(r, op->addr + i + 1);

		if (e && e->seq < op->seq)
			live_del(r, e);
	}
}

bool sim_races_op(const struct sim_op *op, struct sim_race_violation *v)
{
	struct races *r = cur;

	if (!r)
		return false;
	if (op->kind == SIM_OP_OBJ_ALLOC || op->kind == SIM_OP_PAGE_ALLOC) {
		if (!track_alloc(r, op, v))
			return true;
	} else {
		track_free(r, op);
	}
	if (r->check_every && ++r->since_check >= r->check_every && quiescent()) {
		r->since_check = 0;
		if (!check_all(op, v))
			return true;
	}
	return false;
}

/* ------------------------------------------------------------- life */

bool sim_races_wanted(const struct sim_scenario *sc)
{
	return sc->race.nr_tasks || sc->race.nr_irqs;
}

void sim_races_set_check_every(uint64_t n)
{
	if (cur)
		cur->check_every = n;
}

uint64_t sim_races_step(void)
{
	return sim ? sim->nr_yields : 0;
}

/*
 * Guards whose code exists in one kernel only: switching one off on the other
 * kernel would explore a protection that is not there.  SLAB is gone since
 * 6.8; the on-node-partial check came with 6.8's unfrozen partial slabs.
 */
static const struct {
	enum sim_guard guard;
	const char *key;
	enum kernel_version only;
	const char *why;
} guard_kernels[] = {
	{ SIM_GUARD_SLAB_IRQ, "slab_irq", KERNEL_6_1, "SLAB is gone since Linux 6.8" },
	{ SIM_GUARD_SLAB_LIST_LOCK, "slab_list_lock", KERNEL_6_1, "SLAB is gone since Linux 6.8" },
	{ SIM_GUARD_SLAB_DRAIN_LOCK, "slab_drain_lock", KERNEL_6_1, "SLAB is gone since Linux 6.8" },
	{ SIM_GUARD_SLUB_NODE_PARTIAL, "slub_node_partial", KERNEL_6_12,
	  "6.1 freezes a slab under list_lock as it leaves the node list, so it has no such check" },
};

/* A guard switched off that the run's kernel does not have: one line on err. */
static int guards_fit_kernel(const struct sim_scenario *sc, FILE *err)
{
	for (size_t i = 0; i < sizeof(guard_kernels) / sizeof(guard_kernels[0]); i++)
		if (sc->guard_off[guard_kernels[i].guard] && kernel_version != guard_kernels[i].only) {
			fprintf(err, "%s: guards.%s: a race of Linux %s only, not of %s (%s)\n", sc->path,
				guard_kernels[i].key, kernel_version_name(guard_kernels[i].only),
				kernel_version_name(kernel_version), guard_kernels[i].why);
			return SIM_EBADINPUT;
		}
	return 0;
}

int sim_races_begin(const struct sim_scenario *sc, struct sim_db *db, FILE *err)
{
	struct races *r;
	const struct slab_allocator *a = slab_current();
	int rc = guards_fit_kernel(sc, err);

	if (rc)
		return rc;
	sim_races_end();
	r = calloc(1, sizeof(*r));
	if (!r || !(r->tab = calloc(r->cap = 256, sizeof(*r->tab)))) {
		free(r);
		fprintf(err, "kmemsim: race: out of memory\n");
		return SIM_EFAIL;
	}
	cur = r;
	r->sc = sc;
	r->check_every = sc->race.check_every;
	r->slub = a && !strcmp(a->name, "slub");
	if (a) {
		const struct sim_script *scripts[2] = { sc->race.task, sc->race.irq };
		int nr[2] = { sc->race.nr_tasks, sc->race.nr_irqs };

		for (int k = 0; k < 2; k++)
			for (int i = 0; i < nr[k]; i++)
				for (int j = 0; j < scripts[k][i].nr_ops; j++) {
					const struct sim_script_op *op = &scripts[k][i].op[j];

					if (op->op != SIM_SCRIPT_ALLOC)
						continue;
					follow(r, op->cache[0] ? slab_find_cache(op->cache) :
						  kmalloc_slab(op->size, op->gfp ? op->gfp : GFP_KERNEL));
				}
	}
	if (db) {
		int rc = sim_steps_begin(sc, db, err);

		if (rc)
			return rc;
		r->steps = true;
	} else if (sc->race.nr_watches) {
		return sim_steps_check(sc, err);
	}
	return 0;
}

int sim_races_end(void)
{
	struct races *r = cur;
	int rc = 0;

	if (!r)
		return 0;
	if (r->steps)
		rc = sim_steps_end();
	free(r->tab);
	free(r);
	cur = NULL;
	return rc;
}
