/*
 * db_writer.c - the ops log's writer thread.  The simulation fills ops rows into
 * batches of a ring (DB_RING batches of DB_OP_BATCH rows); a dedicated thread binds
 * and steps each batch (db_insert_rows) while the simulation goes on.  So that the
 * database holds exactly what an inline log writes, the connection is the writer's
 * alone while it has rows: every other statement of the simulation's thread (a
 * snapshot, a slab event, a query, the end of the run) first hands over the partial
 * batch and waits until the writer has inserted everything and is idle (db_sync).
 * Generic write statements (the slab events and stat bumps of slabdb.c, every ~90 ops
 * rows) are not waited for but queued: their bindings join the batch being filled and
 * the writer steps them after its rows (db_writer_bind, db_writer_step).  Each table
 * gets the same rows in the same order: only the moments of the inserts move.
 *
 *   simulation:  fill ring[p % DB_RING] --publish--> (wake the writer at DB_WAKE queued;
 *                                                    wait while DB_RING are queued)
 *   writer:      wait for c < p --> insert ring[c % DB_RING] --> c++ --> wake the simulation
 *
 * An insert that fails on the writer (a full disk) is reported there, once, as inline
 * (db_fail), and marks the database failed: the simulation stops logging at its next
 * row and the run ends with exit 1 and no file.  The thread blocks SIGINT, SIGTERM
 * and SIGHUP, so outfile.c's handler (which unlinks the temporary file) runs on the
 * simulation's thread.  The thread starts after the first DB_WRITER_AFTER rows
 * (db_writer_plan); KMEMSIM_DB_WRITER=0 in the environment keeps the inserts inline,
 * =1 starts the thread at open (docs/database.md).
 */
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>

#include "db_int.h"

#define DB_RING 32			/* batches in flight: 2,048 rows */
#define DB_WAKE 8			/* batches queued before a sleeping writer is woken */
#define DB_WRITER_AFTER 4096		/* by default, rows inserted inline before the thread starts */

struct db_writer {
	pthread_t tid;
	pthread_mutex_t mu;
	pthread_cond_t work;		/* the writer waits: a batch was published, or stop */
	pthread_cond_t done;		/* the simulation waits: a batch was inserted */
	uint64_t published, consumed;	/* batches handed over, inserted (under mu) */
	bool stop;			/* under mu */
	bool sleeping;			/* the writer waits on `work` (under mu) */
	bool waiting;			/* the simulation sleeps on `done` (under mu) */
	uint64_t wake_at;		/* ... until consumed reaches this (under mu) */
	bool dirty;			/* the simulation's: published since the last drain */
	int nr[DB_RING];		/* rows of each batch */
	struct db_op_row rows[DB_RING][DB_OP_BATCH];
	/* generic write statements stepped while the batch filled, run after its rows */
	struct db_job { struct sim_db_stmt *s; struct db_val *v; } *jobs[DB_RING];
	int nr_jobs[DB_RING], cap_jobs[DB_RING];
};

/* Run the queued steps of a batch: bind each one's values, step, reset (as sim_db_step). */
static void db_writer_jobs(struct sim_db *db, struct db_writer *w, int slot)
{
	for (int j = 0; j < w->nr_jobs[slot]; j++) {
		struct db_job *job = &w->jobs[slot][j];
		sqlite3_stmt *st = job->s->st;
		int b = 0, rc;

		for (int i = 0; i < job->s->nr_vals; i++) {
			const struct db_val *v = &job->v[i];

			b |= v->type == SQLITE_INTEGER ? sqlite3_bind_int64(st, i + 1, v->i) :
			     v->type == SQLITE_FLOAT ? sqlite3_bind_double(st, i + 1, v->d) :
			     v->type == SQLITE_TEXT ? sqlite3_bind_text(st, i + 1, v->t, -1, SQLITE_STATIC) :
			     sqlite3_bind_null(st, i + 1);
		}
		if (!db->failed) {
			rc = b ? SQLITE_MISUSE : sqlite3_step(st);
			sqlite3_reset(st);
			if (rc != SQLITE_DONE) {
				db->failed = true;
				db_fail(db, b ? "cannot bind a value" : "statement failed");
			} else {
				db_row_done(db);
			}
		}
		for (int i = 0; i < job->s->nr_vals; i++)
			free(job->v[i].t);
		free(job->v);
	}
	w->nr_jobs[slot] = 0;
}

_Thread_local bool db_in_writer;

static void *db_writer_main(void *arg)
{
	struct sim_db *db = arg;
	struct db_writer *w = db->writer;

	db_in_writer = true;
	pthread_mutex_lock(&w->mu);
	for (;;) {
		int slot;

		while (w->consumed == w->published && !w->stop) {
			w->sleeping = true;
			pthread_cond_wait(&w->work, &w->mu);
			w->sleeping = false;
		}
		if (w->consumed == w->published)
			break;		/* stopped, and nothing left */
		slot = (int)(w->consumed % DB_RING);
		pthread_mutex_unlock(&w->mu);
		db_insert_rows(db, w->rows[slot], w->nr[slot]);	/* after a failure: skipped */
		db_writer_jobs(db, w, slot);
		pthread_mutex_lock(&w->mu);
		w->consumed++;
		if (w->waiting && w->consumed >= w->wake_at)
			pthread_cond_signal(&w->done);
	}
	pthread_mutex_unlock(&w->mu);
	return NULL;
}

/*
 * At open: the thread from the start (KMEMSIM_DB_WRITER=1), never (=0), or by default
 * once DB_WRITER_AFTER rows went inline: a short run does not pay for a second thread
 * (its start, and the wake-ups of a thread that catches up at once).
 */
void db_writer_plan(struct sim_db *db)
{
	const char *env = getenv("KMEMSIM_DB_WRITER");

	if (env && !strcmp(env, "0"))
		return;
	if (env && !strcmp(env, "1"))
		db_writer_start(db);
	else
		db->writer_wait = DB_WRITER_AFTER / DB_OP_BATCH;
}

int db_writer_start(struct sim_db *db)
{
	struct db_writer *w;
	sigset_t block, old;
	int rc;

	db->writer_wait = 0;
	if (!db->op_buf || db->nr_op_buf || !(w = calloc(1, sizeof(*w))))
		return -1;
	if (pthread_mutex_init(&w->mu, NULL)) {
		free(w);
		return -1;
	}
	pthread_cond_init(&w->work, NULL);
	pthread_cond_init(&w->done, NULL);
	db->writer = w;
	sigemptyset(&block);
	sigaddset(&block, SIGINT);
	sigaddset(&block, SIGTERM);
	sigaddset(&block, SIGHUP);
	pthread_sigmask(SIG_BLOCK, &block, &old);	/* the thread inherits the mask */
	rc = pthread_create(&w->tid, NULL, db_writer_main, db);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (rc) {
		db->writer = NULL;
		pthread_cond_destroy(&w->work);
		pthread_cond_destroy(&w->done);
		pthread_mutex_destroy(&w->mu);
		free(w);
		return -1;
	}
	free(db->op_buf);	/* rows now go straight into the ring */
	db->op_buf = w->rows[0];
	db->nr_op_buf = 0;
	return 0;
}

/* Hand ring slot `published % DB_RING` (db->op_buf, db->nr_op_buf rows) over; point
 * db->op_buf at the next slot once it is free. */
void db_writer_publish(struct sim_db *db)
{
	struct db_writer *w = db->writer;
	int slot;

	pthread_mutex_lock(&w->mu);
	w->nr[w->published % DB_RING] = db->nr_op_buf;
	w->published++;
	/* a sleeping writer is woken for DB_WAKE batches at once (each wake-up is a system
	 * call on both sides), or for whatever is queued when the ring is full */
	if (w->sleeping && w->published - w->consumed >= DB_WAKE)
		pthread_cond_signal(&w->work);
	while (w->published - w->consumed >= DB_RING) {
		if (w->sleeping)
			pthread_cond_signal(&w->work);
		w->wake_at = w->published - DB_RING / 2;	/* then fill half the ring at one go */
		w->waiting = true;
		pthread_cond_wait(&w->done, &w->mu);
		w->waiting = false;
	}
	slot = (int)(w->published % DB_RING);
	pthread_mutex_unlock(&w->mu);
	w->dirty = true;
	db->op_buf = w->rows[slot];
	db->nr_op_buf = 0;
}

void db_writer_drain(struct sim_db *db)
{
	struct db_writer *w = db->writer;

	if (db->nr_op_buf || w->nr_jobs[w->published % DB_RING])
		db_writer_publish(db);
	if (!w->dirty)
		return;
	pthread_mutex_lock(&w->mu);
	if (w->sleeping && w->consumed != w->published)
		pthread_cond_signal(&w->work);
	while (w->consumed != w->published) {
		w->wake_at = w->published;
		w->waiting = true;
		pthread_cond_wait(&w->done, &w->mu);
		w->waiting = false;
	}
	pthread_mutex_unlock(&w->mu);
	w->dirty = false;
}

void db_writer_stop(struct sim_db *db)
{
	struct db_writer *w = db->writer;

	if (!w)
		return;
	db_writer_drain(db);
	pthread_mutex_lock(&w->mu);
	w->stop = true;
	pthread_cond_signal(&w->work);
	pthread_mutex_unlock(&w->mu);
	pthread_join(w->tid, NULL);
	db->writer = NULL;
	db->op_buf = NULL;	/* the ring's; nothing is buffered now */
	db->nr_op_buf = 0;
	pthread_cond_destroy(&w->work);
	pthread_cond_destroy(&w->done);
	pthread_mutex_destroy(&w->mu);
	for (int i = 0; i < DB_RING; i++)
		free(w->jobs[i]);
	free(w);
}

/* No memory to queue a statement, on the simulation's thread: said without db_fail,
 * which reads the connection's error state while the writer may be using it. */
static int db_writer_oom(struct sim_db *db)
{
	db->failed = true;
	fprintf(db->err, "%s: out of memory\n", db->path);
	return -1;
}

/* sim_db_bind_* of a write statement while the writer runs: kept for its next step. */
int db_writer_bind(struct sim_db_stmt *s, int idx, int type, int64_t i, double d, const char *t)
{
	struct db_val *v;
	char *copy = NULL;

	if (idx < 1 || idx > s->nr_vals) {	/* SQLite's words for it, without asking the connection */
		fprintf(s->db->err, "%s: cannot bind a value: column index out of range\n", s->db->path);
		return -1;
	}
	if (type == SQLITE_TEXT && !(copy = strdup(t)))
		return db_writer_oom(s->db);
	v = &s->vals[idx - 1];
	free(v->t);
	*v = (struct db_val){ type, i, d, copy };
	return 0;
}

/* sim_db_step of a write statement while the writer runs: a copy of the bindings joins the
 * batch being filled; the writer steps it after the batch's rows.  0, or -1 (no memory). */
int db_writer_step(struct sim_db_stmt *s)
{
	struct sim_db *db = s->db;
	struct db_writer *w = db->writer;
	int slot = (int)(w->published % DB_RING);
	struct db_job *job;

	if (db->failed)
		return -1;
	if (w->nr_jobs[slot] == w->cap_jobs[slot]) {
		int cap = w->cap_jobs[slot] ? 2 * w->cap_jobs[slot] : 16;
		struct db_job *p = realloc(w->jobs[slot], (size_t)cap * sizeof(*p));

		if (!p)
			goto oom;
		w->jobs[slot] = p;
		w->cap_jobs[slot] = cap;
	}
	job = &w->jobs[slot][w->nr_jobs[slot]];
	job->s = s;
	if (!(job->v = malloc((size_t)s->nr_vals * sizeof(*job->v))))
		goto oom;
	for (int i = 0; i < s->nr_vals; i++) {
		job->v[i] = s->vals[i];
		if (s->vals[i].t && !(job->v[i].t = strdup(s->vals[i].t))) {
			while (i--)
				free(job->v[i].t);
			free(job->v);
			goto oom;
		}
	}
	w->nr_jobs[slot]++;
	return 0;
oom:
	return db_writer_oom(db);
}
