/*
 * bench_floor.c - the floors bench.c prints its figures beside, measured in the same run:
 *
 *   fastpath: a plain C loop of SLUB's fast path, kmalloc + kfree pairs on per-CPU freelists
 *     (slab_alloc_node's and do_slab_free's lockless paths: the hardened free pointer
 *     (freelist_ptr: ptr ^ s->random ^ swab(address)), the tid bumped by a compare and
 *     exchange of freelist and tid), the bench's sizes, weights and lifetimes: what a kmalloc
 *     costs when nothing is simulated around it;
 *   insert: the SQLite insert of the rows a run logs in `ops`, the same rows (read back from
 *     a run's database) into the same table (its own CREATE statement), the way the log does
 *     it: one transaction, no journal, no mutex, prepared statements of 64 rows, each value
 *     bound with its type's call unless its parameter holds it already, the rowid bound NULL
 *     where it is the next one; timed until the last row is in (the commit, at close, is
 *     outside the log's figure too).
 *
 * Medians of BENCH_FLOOR_RUNS, in CPU time; nothing here is a test.
 */
#include <sqlite3.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "bench_floor.h"

#define FLOOR_OBJS 64			/* objects per per-CPU freelist (a slab of them) */
#define FLOOR_LIVE 16			/* the bench's longest lifetime: pairs in flight */
#define FLOOR_TID_STEP 1024		/* TID_STEP: roundup_pow_of_two(NR_CPUS) */
#define FLOOR_BATCH 64			/* rows per insert statement (sim/db's DB_OP_BATCH) */
#define FLOOR_MIN_PAIRS 2000000		/* fast-path pairs timed at least */

/* CPU seconds of this thread: the figures beside are CPU time too (a shared machine's wall
 * clock is partly others'). */
static double floor_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* ----------------------------------------------------------- fast path */

struct floor_cache {			/* kmem_cache and its kmem_cache_cpu, as far as the fast path reads */
	uint64_t random;		/* s->random */
	unsigned int offset, size;	/* free pointer offset, object size */
	uintptr_t freelist;		/* c->freelist */
	uint64_t tid;			/* c->tid */
	unsigned char *slab;
};

/* kernel: freelist_ptr, mm/slub.c (CONFIG_SLAB_FREELIST_HARDENED) */
static inline uintptr_t floor_ptr(const struct floor_cache *s, uintptr_t ptr, uintptr_t addr)
{
	return ptr ^ (uintptr_t)s->random ^ (uintptr_t)__builtin_bswap64((uint64_t)addr);
}

/* The cmpxchg_double of freelist and tid: both as read, then both replaced. */
static inline int floor_cmpxchg(struct floor_cache *c, uintptr_t old, uint64_t tid, uintptr_t new, uint64_t ntid)
{
	return __atomic_compare_exchange_n(&c->freelist, &old, new, false, __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE) &&
	       (c->tid == tid ? (c->tid = ntid, 1) : 0);
}

/* kernel: slab_alloc_node's fast path, mm/slub.c */
static inline uintptr_t floor_alloc(struct floor_cache *c)
{
	for (;;) {
		uint64_t tid = __atomic_load_n(&c->tid, __ATOMIC_RELAXED);
		uintptr_t object = c->freelist, fp = object + c->offset;
		uintptr_t next = floor_ptr(c, *(uintptr_t *)fp, fp);

		if (floor_cmpxchg(c, object, tid, next, tid + FLOOR_TID_STEP))
			return object;
	}
}

/* kernel: do_slab_free's fast path, mm/slub.c */
static inline void floor_free(struct floor_cache *c, uintptr_t object)
{
	for (;;) {
		uint64_t tid = __atomic_load_n(&c->tid, __ATOMIC_RELAXED);
		uintptr_t head = c->freelist, fp = object + c->offset;

		*(uintptr_t *)fp = floor_ptr(c, head, fp);	/* set_freepointer */
		if (floor_cmpxchg(c, head, tid, object, tid + FLOOR_TID_STEP))
			return;
	}
}

static int floor_cache_init(struct floor_cache *c, unsigned int size, uint64_t random)
{
	memset(c, 0, sizeof(*c));
	c->size = size;
	c->offset = size >= 16 ? size / 2 & ~7u : 0;	/* mid-object, as 6.1 places it */
	c->random = random;
	c->slab = aligned_alloc(4096, ((size_t)size * FLOOR_OBJS + 4095) & ~(size_t)4095);
	if (!c->slab)
		return -1;
	for (int i = FLOOR_OBJS - 1; i >= 0; i--)
		floor_free(c, (uintptr_t)(c->slab + (size_t)i * size));
	return 0;
}

double bench_floor_fastpath(uint64_t nr_pairs, const uint32_t (*sizes)[2], int nr_sizes)
{
	struct floor_cache cache[8];
	int pick[64], nr_pick = 0;
	double ns[BENCH_FLOOR_RUNS];
	uint64_t seed = 20240601, sum = 0;

	if (nr_sizes > 8)
		return 0;
	for (int i = 0; i < nr_sizes; i++) {
		if (floor_cache_init(&cache[i], sizes[i][0] < 8 ? 8 : sizes[i][0], 0x9e3779b97f4a7c15ULL * (i + 1)))
			return 0;
		for (uint32_t w = 0; w < sizes[i][1] && nr_pick < 64; w++)
			pick[nr_pick++] = i;
	}
	if (nr_pairs < FLOOR_MIN_PAIRS)		/* long enough to time */
		nr_pairs = FLOOR_MIN_PAIRS;
	for (int r = 0; r < BENCH_FLOOR_RUNS; r++) {
		struct { uintptr_t obj; int cache; } live[FLOOR_LIVE] = { { 0, 0 } };
		double t = floor_now();

		for (uint64_t n = 0; n < nr_pairs; n++) {
			int slot = (int)(n % FLOOR_LIVE), ci;

			seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
			ci = pick[(seed >> 33) % (uint64_t)nr_pick];
			if (live[slot].obj)		/* the oldest of the pairs in flight ends */
				floor_free(&cache[live[slot].cache], live[slot].obj);
			live[slot].obj = floor_alloc(&cache[ci]);
			live[slot].cache = ci;
			sum += live[slot].obj & 0xff;
		}
		for (int i = 0; i < FLOOR_LIVE; i++)
			if (live[i].obj)
				floor_free(&cache[live[i].cache], live[i].obj);
		ns[r] = (floor_now() - t) * 1e9 / (double)nr_pairs;
	}
	for (int i = 0; i < nr_sizes; i++)
		free(cache[i].slab);
	if (sum == 1)			/* keeps the loop's work observable */
		fputc('\n', stderr);
	return bench_median(ns, BENCH_FLOOR_RUNS);
}

/* -------------------------------------------------------------- insert */

static int floor_exec(sqlite3 *db, const char *sql)
{
	return sqlite3_exec(db, sql, NULL, NULL, NULL) == SQLITE_OK ? 0 : -1;
}

static double floor_wall(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/*
 * The rows to insert, read back once: each value as its type and an integer (a REAL's
 * bits; a TEXT's offset in `text`), in row order, as compact as the log's own rows (a
 * sqlite3_value per value, scattered over the heap, made the floor a measure of cache
 * misses).
 */
struct floor_rows {
	int64_t *iv;
	uint8_t *type;
	char *text;
	size_t nr_text, cap_text;
};

/* What a parameter of the batch statement holds (its bindings persist between steps). */
struct floor_held {
	uint8_t type;			/* 0 unknown, else SQLITE_INTEGER, SQLITE_NULL or SQLITE_TEXT */
	int64_t x;			/* the integer, or the text's offset */
};

/*
 * Bind value k with the call of its type, as the log binds, and as it does not bind a
 * parameter again that holds the value already (held: the batch statement's; NULL: bind
 * all).  The rowid column (the first) one past the largest so far is bound NULL, as the
 * log binds it: SQLite then appends instead of seeking.
 */
static int floor_bind(sqlite3_stmt *st, int i, const struct floor_rows *v, int64_t k, bool rowid, int64_t *max_rowid,
		      struct floor_held *held)
{
	int type = v->type[k];
	int64_t x = v->iv[k];
	double d;

	if (type == SQLITE_INTEGER && rowid) {
		bool next = x == *max_rowid + 1;

		*max_rowid = x > *max_rowid ? x : *max_rowid;
		if (next)
			type = SQLITE_NULL;
	}
	if (held && held[i].type == type &&
	    (type == SQLITE_NULL || (type == SQLITE_INTEGER && held[i].x == x) ||
	     (type == SQLITE_TEXT && !strcmp(v->text + held[i].x, v->text + x))))
		return SQLITE_OK;
	if (held)
		held[i] = (struct floor_held){ (uint8_t)(type == SQLITE_FLOAT ? 0 : type), x };
	switch (type) {
	case SQLITE_INTEGER:
		return sqlite3_bind_int64(st, i, x);
	case SQLITE_FLOAT:
		memcpy(&d, &x, sizeof(d));
		return sqlite3_bind_double(st, i, d);
	case SQLITE_TEXT:
		return sqlite3_bind_text(st, i, v->text + x, -1, SQLITE_STATIC);
	default:
		return sqlite3_bind_null(st, i);
	}
}

/* Keep value k (a column of the row being read); 0 or -1 (no memory). */
static int floor_keep(struct floor_rows *v, int64_t k, sqlite3_stmt *st, int c)
{
	int type = sqlite3_column_type(st, c);
	double d;

	v->type[k] = (uint8_t)type;
	v->iv[k] = 0;
	if (type == SQLITE_INTEGER) {
		v->iv[k] = sqlite3_column_int64(st, c);
	} else if (type == SQLITE_FLOAT) {
		d = sqlite3_column_double(st, c);
		memcpy(&v->iv[k], &d, sizeof(d));
	} else if (type == SQLITE_TEXT || type == SQLITE_BLOB) {
		const char *t = (const char *)sqlite3_column_text(st, c);
		size_t len = strlen(t ? t : "") + 1;

		if (v->nr_text + len > v->cap_text) {
			size_t cap = v->cap_text ? 2 * v->cap_text : 1 << 20;
			char *p;

			while (cap < v->nr_text + len)
				cap *= 2;
			if (!(p = realloc(v->text, cap)))
				return -1;
			v->text = p;
			v->cap_text = cap;
		}
		memcpy(v->text + v->nr_text, t ? t : "", len);
		v->iv[k] = (int64_t)v->nr_text;
		v->type[k] = SQLITE_TEXT;
		v->nr_text += len;
	}
	return 0;
}

/* One timed insert of every row (nr_cols values each) into a fresh file's `ops`; CPU seconds
 * (*wall: wall seconds) or -1. */
static double floor_insert_once(const char *create, const char *cols, int nr_cols, const struct floor_rows *v, int64_t nr_rows,
				const char *path, double *wall)
{
	sqlite3 *db = NULL;
	sqlite3_stmt *batch = NULL, *one = NULL;
	size_t cap = strlen(cols) + 64 + (size_t)FLOOR_BATCH * (size_t)nr_cols * 8, len;
	char *sql = malloc(cap);
	double t = -1, t0;
	int64_t max_rowid = 0;
	struct floor_held *held = calloc((size_t)FLOOR_BATCH * (size_t)nr_cols + 1, sizeof(*held));
	int rc;

	unlink(path);
	/* as the log opens its database: no mutex around each call */
	if (!sql || !held || sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
					     NULL) != SQLITE_OK || floor_exec(db, create) ||
	    floor_exec(db, "PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF; PRAGMA locking_mode = EXCLUSIVE;"
		       " PRAGMA temp_store = MEMORY; PRAGMA cache_size = -65536"))
		goto out;
	for (int b = 0; b < 2; b++) {	/* a statement of FLOOR_BATCH rows, and one of one row */
		len = (size_t)snprintf(sql, cap, "INSERT INTO ops (%s) VALUES ", cols);
		for (int r = 0; r < (b ? 1 : FLOOR_BATCH); r++) {
			len += (size_t)snprintf(sql + len, cap - len, "%s(", r ? ", " : "");
			for (int c = 0; c < nr_cols; c++)
				len += (size_t)snprintf(sql + len, cap - len, "%s?", c ? ", " : "");
			len += (size_t)snprintf(sql + len, cap - len, ")");
		}
		if (sqlite3_prepare_v2(db, sql, -1, b ? &one : &batch, NULL) != SQLITE_OK)
			goto out;
	}
	t0 = floor_now();
	*wall = floor_wall();
	rc = floor_exec(db, "BEGIN");
	for (int64_t r = 0; !rc && r < nr_rows; ) {
		bool full = nr_rows - r >= FLOOR_BATCH;
		sqlite3_stmt *st = full ? batch : one;
		int n = full ? FLOOR_BATCH : 1;

		for (int k = 0; k < n; k++)
			for (int c = 0; c < nr_cols; c++)
				rc |= floor_bind(st, k * nr_cols + c + 1, v, (r + k) * nr_cols + c, !c, &max_rowid,
						 full ? held : NULL);
		rc |= sqlite3_step(st) != SQLITE_DONE;
		sqlite3_reset(st);
		r += n;
	}
	if (!rc) {	/* the last row is in: where the log's figure stops too (its commit is at close) */
		t = floor_now() - t0;
		*wall = floor_wall() - *wall;
	}
	if (floor_exec(db, "COMMIT"))
		t = -1;
out:
	sqlite3_finalize(batch);
	sqlite3_finalize(one);
	sqlite3_close(db);
	unlink(path);
	free(sql);
	free(held);
	return t;
}

int64_t bench_floor_rows(const char *run_db)
{
	sqlite3 *db = NULL;
	sqlite3_stmt *st = NULL;
	int64_t n = 0;

	if (sqlite3_open_v2(run_db, &db, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK &&
	    sqlite3_prepare_v2(db, "SELECT count(*) FROM ops", -1, &st, NULL) == SQLITE_OK &&
	    sqlite3_step(st) == SQLITE_ROW)
		n = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	sqlite3_close(db);
	return n;
}

double bench_floor_insert(const char *run_db, int64_t *nr_rows, double *wall_ns)
{
	double walls[BENCH_FLOOR_RUNS];
	sqlite3 *db = NULL;
	sqlite3_stmt *st = NULL;
	struct floor_rows v = { NULL, NULL, NULL, 0, 0 };
	char *create = NULL, *cols = NULL, path[64];
	int nr_cols = 0;
	int64_t n = 0, cap = 0;
	double secs[BENCH_FLOOR_RUNS], res = 0;
	int runs = 0;

	*nr_rows = 0;
	if (sqlite3_open_v2(run_db, &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(db, "SELECT sql FROM sqlite_master WHERE name = 'ops'", -1, &st, NULL) != SQLITE_OK ||
	    sqlite3_step(st) != SQLITE_ROW || !(create = strdup((const char *)sqlite3_column_text(st, 0))))
		goto out;
	sqlite3_finalize(st);
	/* the stored columns (the generated one is computed), in the table's order */
	if (sqlite3_prepare_v2(db, "SELECT group_concat('\"' || name || '\"', ', '), count(*) FROM"
			       " pragma_table_xinfo('ops') WHERE hidden = 0", -1, &st, NULL) != SQLITE_OK ||
	    sqlite3_step(st) != SQLITE_ROW || !(cols = strdup((const char *)sqlite3_column_text(st, 0))))
		goto out;
	nr_cols = sqlite3_column_int(st, 1);
	sqlite3_finalize(st);
	{
		char *sql = NULL;

		if (asprintf(&sql, "SELECT %s FROM ops ORDER BY seq", cols) < 0)
			goto out;
		if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK) {
			free(sql);
			st = NULL;
			goto out;
		}
		free(sql);
	}
	while (sqlite3_step(st) == SQLITE_ROW) {
		if (n == cap) {
			size_t nv = (size_t)(cap = cap ? 2 * cap : 4096) * (size_t)nr_cols;
			int64_t *iv = realloc(v.iv, nv * sizeof(*iv));
			uint8_t *type = iv ? realloc(v.type, nv) : NULL;

			if (iv)
				v.iv = iv;
			if (!type)
				goto out;
			v.type = type;
		}
		for (int c = 0; c < nr_cols; c++)
			if (floor_keep(&v, n * nr_cols + c, st, c))
				goto out;
		n++;
	}
	snprintf(path, sizeof(path), "/tmp/kmemsim-bench-floor-%d.db", (int)getpid());
	for (int r = 0; n && r < BENCH_FLOOR_RUNS; r++) {
		double s = floor_insert_once(create, cols, nr_cols, &v, n, path, &walls[runs]);

		if (s < 0)
			goto out;
		secs[runs++] = s;
	}
	if (runs) {
		res = bench_median(secs, runs) * 1e9 / (double)n;
		*wall_ns = bench_median(walls, runs) * 1e9 / (double)n;
		*nr_rows = n;
	}
out:
	sqlite3_finalize(st);
	sqlite3_close(db);
	free(v.iv);
	free(v.type);
	free(v.text);
	free(create);
	free(cols);
	return res;
}
