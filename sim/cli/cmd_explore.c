/*
 * cmd_explore.c - `kmemsim explore` (sim_explore_scenario, then the schedule
 * file, the answer and the explorations row) and `kmemsim merge` (the shards
 * of one exploration joined into the answer one process would give).
 */
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "config.h"
#include "cli.h"
#include "../sweep/sweep.h"
#include "../db/db.h"
#include "../engine/engine.h"
#include "../explore/explore.h"
#include "../scenario/scenario.h"

#define XC_MAX_INPUTS 1024		/* databases one merge reads */

/* ------------------------------------------------------------ output */

/* The schedule as the text of its file: the checks it was found with ride along. */
static char *schedule_text(const struct sim_schedule *s, uint64_t seed, uint64_t check_every,
			   const struct sim_race_violation *v)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);

	if (!f)
		return NULL;
	fprintf(f, "kmemsim-forced 1 seed=%" PRIu64 " switches=%d\n", seed, s->nr);
	fprintf(f, "# check_every=%" PRIu64 "\n", check_every);
	if (v && v->found)
		fprintf(f, "# violation: %s at step %" PRIu64 "\n", v->invariant, v->step);
	for (int i = 0; i < s->nr; i++) {
		if (s->f[i].choice >= SIM_CHOICE_IRQ)
			fprintf(f, "%" PRIu64 " irq %d\n", s->f[i].step, s->f[i].choice - SIM_CHOICE_IRQ);
		else
			fprintf(f, "%" PRIu64 " cpu %d\n", s->f[i].step, s->f[i].choice);
	}
	fclose(f);
	return text;
}

/* One word for a shell command line: single-quoted unless every byte is safe bare. */
static void put_shell_word(FILE *out, const char *w)
{
	if (*w && strspn(w, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-+=.,:/@%") == strlen(w)) {
		fputs(w, out);
		return;
	}
	fputc('\'', out);
	for (; *w; w++)
		if (*w == '\'')
			fputs("'\\''", out);
		else
			fputc(*w, out);
	fputc('\'', out);
}

/* The answer and how to reproduce it. */
static void print_answer(FILE *out, const char *scenario_path, uint64_t seed, uint64_t index, uint64_t index_seed,
			 const char *invariant, const char *detail, uint64_t step, int switches, int found_switches,
			 const char *schedule_path, const char *name, const struct sim_cli_list *sets)
{
	fprintf(out, "violation in schedule %" PRIu64 " (schedule seed %#" PRIx64 "): %s at step %" PRIu64 "\n",
		index, index_seed, invariant, step);
	fprintf(out, "  %s\n", detail);
	if (found_switches >= 0)
		fprintf(out, "schedule: %s (%d forced switch%s, shrunk from %d)\n", schedule_path, switches,
			switches == 1 ? "" : "es", found_switches);
	else
		fprintf(out, "schedule: %s (%d forced switch%s)\n", schedule_path, switches, switches == 1 ? "" : "es");
	/* every --set in its order (--kernel is one of them), so the run is the one explored */
	fputs("reproduce: kmemsim run ", out);
	put_shell_word(out, scenario_path);
	for (int i = 0; i < sets->n; i++) {
		fputs(" --set ", out);
		put_shell_word(out, sets->v[i]);
	}
	fprintf(out, " --seed %" PRIu64 " --schedule ", seed);
	put_shell_word(out, schedule_path);
	fprintf(out, " --db ");
	put_shell_word(out, name);
	fputs(".db\n", out);
	fprintf(out, "  then: kmemsim story %s.db --to %" PRIu64 "\n", name, step);
}

/* The scenario's name, made safe for a file name. */
static void file_name(const struct sim_scenario *sc, char *buf, size_t size)
{
	const char *n = sc->name && *sc->name ? sc->name : "explore";

	snprintf(buf, size, "%s", n);
	for (char *p = buf; *p; p++)
		if (*p == '/' || *p == ' ')
			*p = '_';
}

/* ------------------------------------------------------------ database */

static const char xc_schema[] =
	"CREATE TABLE explorations (scenario TEXT, scenario_path TEXT, seed TEXT, explore_seed TEXT,"
	" strategy TEXT, schedules INTEGER, depth INTEGER, preemptions INTEGER, check_every INTEGER,"
	" all_schedules INTEGER, shard INTEGER, nr_shards INTEGER, jobs INTEGER, explored INTEGER,"
	" failing INTEGER, exhausted INTEGER, found INTEGER, first_index INTEGER, first_seed TEXT,"
	" switches_found INTEGER, switches INTEGER, invariant TEXT, detail TEXT, step INTEGER,"
	" schedule TEXT, wall_s REAL, shrink_s REAL);\n"
	/* the --set values in their order (--kernel V as kernel=V): merge's reproduce line */
	"CREATE TABLE explore_sets (pos INTEGER PRIMARY KEY, value TEXT);\n";

#define XC_NR_COLS 27

/* The strategy and what bounds it, as explore's and merge's first line say it. */
static void print_strategy(FILE *out, enum sim_explore_strategy s, int depth, int preemptions)
{
	fputs(sim_explore_strategy_name(s), out);
	if (s == SIM_EXPLORE_PCT || s == SIM_EXPLORE_PCT_SHARED)
		fprintf(out, " (depth %d)", depth);
	if (s == SIM_EXPLORE_EXHAUSTIVE)
		fprintf(out, " (at most %d forced switch%s)", preemptions, preemptions == 1 ? "" : "es");
	if (s == SIM_EXPLORE_DELAY)
		fprintf(out, " (at most %d delay%s)", preemptions, preemptions == 1 ? "" : "s");
}

/* One explorations row from text values (NULL = SQL NULL), as read back by merge. */
static int insert_row(struct sim_db *db, const char *table, char **vals)
{
	char sql[160];
	struct sim_db_stmt *st;
	int b = 0, rc;

	snprintf(sql, sizeof(sql), "INSERT INTO %s VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13,"
		 " ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21, ?22, ?23, ?24, ?25, ?26, ?27)", table);
	st = sim_db_prepare(db, sql);
	if (!st)
		return -1;
	for (int i = 0; i < XC_NR_COLS; i++)
		b |= sim_db_bind_text(st, i + 1, vals[i]);
	rc = b || sim_db_step(st) < 0 ? -1 : 0;
	sim_db_finalize(st);
	return rc;
}

/* The --set values into table explore_sets; 0 or -1. */
static int insert_sets(struct sim_db *db, const char *const *v, int n)
{
	struct sim_db_stmt *st = sim_db_prepare(db, "INSERT INTO explore_sets VALUES (?1, ?2)");
	int rc = st ? 0 : -1;

	for (int i = 0; !rc && i < n; i++)
		rc = sim_db_bind_int64(st, 1, i) || sim_db_bind_text(st, 2, v[i]) || sim_db_step(st) < 0 ? -1 : 0;
	sim_db_finalize(st);
	return rc;
}

struct xc_row {
	char *v[XC_NR_COLS];
	char buf[XC_NR_COLS][64];
};

static void row_set(struct xc_row *r, int i, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void row_set(struct xc_row *r, int i, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(r->buf[i], sizeof(r->buf[i]), fmt, ap);
	va_end(ap);
	r->v[i] = r->buf[i];
}

static int write_db(const char *path, const struct sim_scenario *sc, const char *scenario_path,
		    const struct sim_xplore *x, const char *sched, const struct sim_cli_list *sets, FILE *err)
{
	struct sim_db *db = sim_db_open(path, err);
	const struct sim_explore_opts *e = &x->ex;
	struct xc_row r = { 0 };
	int rc;

	if (!db)
		return SIM_EFAIL;
	r.v[0] = sc->name;
	r.v[1] = (char *)scenario_path;
	row_set(&r, 2, "%#" PRIx64, sc->seed);
	row_set(&r, 3, "%#" PRIx64, e->seed);
	r.v[4] = (char *)sim_explore_strategy_name(e->strategy);
	row_set(&r, 5, "%" PRIu64, e->nr_schedules);
	row_set(&r, 6, "%d", e->depth);
	row_set(&r, 7, "%d", e->preemptions);
	row_set(&r, 8, "%" PRIu64, sc->race.check_every);
	row_set(&r, 9, "%d", e->all);
	row_set(&r, 10, "%d", e->nr_shards > 1 ? e->shard : 0);
	row_set(&r, 11, "%d", e->nr_shards > 1 ? e->nr_shards : 1);
	row_set(&r, 12, "%d", e->jobs > 1 ? e->jobs : 1);
	row_set(&r, 13, "%" PRIu64, x->res.explored);
	row_set(&r, 14, "%" PRIu64, x->res.failing);
	row_set(&r, 15, "%d", x->res.exhausted);
	row_set(&r, 16, "%d", x->res.found);
	if (x->res.found) {
		row_set(&r, 17, "%" PRIu64, x->res.first_index);
		row_set(&r, 18, "%#" PRIx64, x->res.first_seed);
		row_set(&r, 19, "%d", x->nr_found_switches);
		row_set(&r, 20, "%d", x->res.first.nr);
		r.v[21] = (char *)x->v.invariant;
		r.v[22] = (char *)x->v.detail;
		row_set(&r, 23, "%" PRIu64, x->v.step);
		r.v[24] = (char *)sched;
	}
	row_set(&r, 25, "%.6f", x->wall_s);
	row_set(&r, 26, "%.6f", x->shrink_s);
	rc = sim_db_log_run(db, sc, KMEMSIM_VERSION) || sim_db_exec(db, xc_schema) ||
	     insert_row(db, "explorations", r.v) || insert_sets(db, sets->v, sets->n);
	if (sim_db_close(db, !rc, err) || rc)
		return SIM_EFAIL;	/* the database said why, in one line */
	return 0;
}

/* ------------------------------------------------------ kmemsim explore */

int sim_cli_explore(int argc, char **argv, FILE *out, FILE *err)
{
	struct sim_scenario *sc = calloc(1, sizeof(*sc));
	struct sim_xplore x = { .shrink = true };
	const char *pos[1], *strategy = "pct", *shard = NULL, *db = NULL, *sched_out = NULL;
	uint64_t seed = 0, xseed = 0, schedules = 1000, depth = 2, preemptions = 2, jobs = 1, check_every = 0;
	uint64_t delays = 1, irq_every = 0, switch_every = 0;
	bool seed_set = false, xseed_set = false, check_set = false, all = false, no_shrink = false, quiet = false;
	char name[64], path[128];
	char *sched = NULL;
	const char *kernel = NULL;
	struct sim_cli_list sets = { .n = 0 };
	int nr_pos, rc;
	const struct sim_cli_opt opts[] = {
		{ "--set", SIM_CLI_LIST, &sets, NULL },
		{ "--kernel", SIM_CLI_STRING, &kernel, NULL },
		{ "--strategy", SIM_CLI_STRING, &strategy, NULL },
		{ "--schedules", SIM_CLI_U64, &schedules, NULL },
		{ "--depth", SIM_CLI_U64, &depth, NULL },
		{ "--preemptions", SIM_CLI_U64, &preemptions, NULL },
		{ "--delays", SIM_CLI_U64, &delays, NULL },
		{ "--irq-every", SIM_CLI_U64, &irq_every, NULL },
		{ "--switch-every", SIM_CLI_U64, &switch_every, NULL },
		{ "--jobs", SIM_CLI_U64, &jobs, NULL },
		{ "--shard", SIM_CLI_STRING, &shard, NULL },
		{ "--all", SIM_CLI_FLAG, &all, NULL },
		{ "--check-every", SIM_CLI_U64, &check_every, &check_set },
		{ "--seed", SIM_CLI_U64, &seed, &seed_set },
		{ "--explore-seed", SIM_CLI_U64, &xseed, &xseed_set },
		{ "--db", SIM_CLI_STRING, &db, NULL },
		{ "--schedule-out", SIM_CLI_STRING, &sched_out, NULL },
		{ "--no-shrink", SIM_CLI_FLAG, &no_shrink, NULL },
		{ "--quiet", SIM_CLI_FLAG, &quiet, NULL },
		{ NULL, 0, NULL, NULL },
	};

	if (!sc) {
		fprintf(err, "kmemsim: out of memory\n");
		return SIM_EFAIL;
	}
	rc = sim_cli_parse(argc, argv, opts, pos, 1, 1, &nr_pos, out, err);
	if (rc) {
		free(sc);
		return rc == 1 ? 0 : rc;
	}
	if (sim_cli_kernel("explore", kernel, &sets, err)) {
		rc = SIM_EBADINPUT;
		goto out;
	}
	if (sim_explore_strategy_parse(strategy, &x.ex.strategy)) {
		fprintf(err, "kmemsim explore: --strategy: expected random, pct, pct-shared, split, exhaustive or delay, got \"%s\"\n", strategy);
		rc = SIM_EBADINPUT;
		goto out;
	}
	if (shard && sim_cli_shard(shard, &x.ex.shard, &x.ex.nr_shards)) {
		fprintf(err, "kmemsim explore: --shard: expected i/N with 0 <= i < N, got \"%s\"\n", shard);
		rc = SIM_EBADINPUT;
		goto out;
	}
	if (shard && (x.ex.strategy == SIM_EXPLORE_EXHAUSTIVE || x.ex.strategy == SIM_EXPLORE_DELAY)) {
		fprintf(err, "kmemsim explore: --shard: %s search is depth-first, it cannot be sharded\n",
			sim_explore_strategy_name(x.ex.strategy));
		rc = SIM_EBADINPUT;
		goto out;
	}
	if (!schedules || depth < 1 || depth > 16 || preemptions > 64 || delays > 64 || !jobs || jobs > 64) {
		fprintf(err, "kmemsim explore: expected --schedules >= 1, --depth 1..16, --preemptions 0..64,"
			" --delays 0..64, --jobs 1..64\n");
		rc = SIM_EBADINPUT;
		goto out;
	}
	if ((db && sim_cli_output("explore", "--db", db, err)) ||
	    (sched_out && sim_cli_output("explore", "--schedule-out", sched_out, err))) {
		rc = SIM_EBADINPUT;
		goto out;
	}
	rc = sim_scenario_load_set(sc, pos[0], sets.v, sets.n, err);
	if (!rc)
		rc = sim_scenario_kernel_check(sc, "kmemsim explore", err);	/* before any schedule runs */
	if (rc)
		goto out;
	if (seed_set)
		sc->seed = seed;
	if (check_set)
		sc->race.check_every = check_every;
	x.ex.seed = xseed_set ? xseed : sc->seed;
	x.ex.nr_schedules = schedules;
	x.ex.depth = (int)depth;
	x.ex.preemptions = (int)(x.ex.strategy == SIM_EXPLORE_DELAY ? delays : preemptions);
	x.ex.irq_every = irq_every;
	x.ex.switch_every = switch_every;
	x.ex.all = all;
	x.ex.jobs = (int)jobs;
	x.ex.progress = !quiet;
	x.shrink = !no_shrink;
	file_name(sc, name, sizeof(name));
	if (!sched_out) {
		snprintf(path, sizeof(path), "%s.schedule", name);
		sched_out = path;
		if (sim_cli_output("explore", "--schedule-out", sched_out, err)) {
			rc = SIM_EBADINPUT;
			goto out;
		}
	}

	rc = sim_explore_scenario(sc, &x, err);
	if (rc)
		goto out;
	if (!quiet)
		fprintf(err, "explored %" PRIu64 " schedules in %.2f s (%.0f/s); shrinking %.2f s\n", x.res.explored,
			x.wall_s, x.wall_s > 0 ? (double)x.res.explored / x.wall_s : 0.0, x.shrink_s);
	fprintf(out, "%s: ", sc->name);
	print_strategy(out, x.ex.strategy, x.ex.depth, x.ex.preemptions);
	fprintf(out, ", seed %" PRIu64 ": %" PRIu64 " schedule%s explored", sc->seed, x.res.explored,
		x.res.explored == 1 ? "" : "s");
	if (x.ex.nr_shards > 1)
		fprintf(out, " (shard %d/%d)", x.ex.shard, x.ex.nr_shards);
	if (x.ex.all)
		fprintf(out, ", %" PRIu64 " failing", x.res.failing);
	if (x.ex.strategy == SIM_EXPLORE_EXHAUSTIVE || x.ex.strategy == SIM_EXPLORE_DELAY)
		fprintf(out, ", %s", x.res.exhausted ? "the bounded space was covered" : "the bounded space was not covered");
	fputc('\n', out);
	if (x.res.found) {
		sched = schedule_text(&x.res.first, sc->seed, sc->race.check_every, &x.v);
		if (!sched || sim_out_write_text(sched_out, sched, err)) {
			rc = SIM_EFAIL;
			goto out;
		}
		print_answer(out, pos[0], sc->seed, x.res.first_index, x.res.first_seed, x.v.invariant, x.v.detail,
			     x.v.step, x.res.first.nr, x.shrink ? x.nr_found_switches : -1, sched_out, name, &sets);
	} else {
		fprintf(out, "no violation\n");
	}
	if (db && write_db(db, sc, pos[0], &x, sched, &sets, err)) {
		rc = SIM_EFAIL;
		goto out;
	}
	rc = x.res.found ? SIM_EFAIL : 0;
out:
	free(sched);
	sim_schedule_free(&x.res.first);
	sim_scenario_free(sc);
	free(sc);
	return rc;
}

/* -------------------------------------------------------- kmemsim merge */

/* The explorations rows of all inputs. */
struct xc_merge {
	struct xc_row *rows;
	int nr, cap;
	char *scenario_json;		/* runs.scenario_json of the first input */
	FILE *err;
	const char *path;
	bool has_sets;			/* this input has table explore_sets (not one from before it) */
	char *sets[SIM_CLI_MAX_LIST];	/* its --set values */
	int nr_sets;
	int sets_from;			/* the first input that has the table (its values kept), or -1 */
	char *kept[SIM_CLI_MAX_LIST];
	int nr_kept;
};

static int merge_row(void *arg, int ncol, char **vals, char **names)
{
	struct xc_merge *m = arg;
	struct xc_row *r;

	(void)names;
	if (ncol != XC_NR_COLS)
		return 1;
	if (m->nr == m->cap) {
		int cap = m->cap ? m->cap * 2 : 16;
		struct xc_row *n = realloc(m->rows, (size_t)cap * sizeof(*n));

		if (!n)
			return 1;
		m->rows = n;
		m->cap = cap;
	}
	r = &m->rows[m->nr++];
	memset(r, 0, sizeof(*r));
	for (int i = 0; i < XC_NR_COLS; i++)
		r->v[i] = vals[i] ? strdup(vals[i]) : NULL;
	return 0;
}

static int merge_json(void *arg, int ncol, char **vals, char **names)
{
	struct xc_merge *m = arg;

	(void)names;
	if (ncol == 1 && vals[0] && !m->scenario_json)
		m->scenario_json = strdup(vals[0]);
	return 0;
}

static int merge_has_sets(void *arg, int ncol, char **vals, char **names)
{
	(void)ncol, (void)vals, (void)names;
	((struct xc_merge *)arg)->has_sets = true;
	return 0;
}

static int merge_set(void *arg, int ncol, char **vals, char **names)
{
	struct xc_merge *m = arg;

	(void)names;
	if (ncol != 1 || m->nr_sets == SIM_CLI_MAX_LIST || !(m->sets[m->nr_sets] = strdup(vals[0] ? vals[0] : "")))
		return 1;
	m->nr_sets++;
	return 0;
}

/* This input's --set values (m->sets) against those kept from the first that had them:
 * the same, or it explored another scenario.  Frees or keeps m->sets.  0 or -1. */
static int merge_sets_agree(struct xc_merge *m, int input)
{
	bool agree = m->sets_from < 0 || m->nr_sets == m->nr_kept;

	for (int i = 0; agree && m->sets_from >= 0 && i < m->nr_sets; i++)
		agree = !strcmp(m->sets[i], m->kept[i]);
	if (m->sets_from < 0) {
		memcpy(m->kept, m->sets, sizeof(m->kept));
		m->nr_kept = m->nr_sets;
		m->sets_from = input;
	} else {
		for (int i = 0; i < m->nr_sets; i++)
			free(m->sets[i]);
	}
	m->nr_sets = 0;
	return agree ? 0 : -1;
}

static bool same(const char *a, const char *b)
{
	return a && b ? !strcmp(a, b) : a == b;
}

static uint64_t col_u64(const struct xc_row *r, int i)
{
	return r->v[i] ? strtoull(r->v[i], NULL, 0) : 0;
}

/*
 * merge's paths before anything is read: OUT (pos[0]) and --schedule-out obey the output
 * rule, no input is given twice, and OUT is none of the inputs (the same file under
 * another name counts: device and inode are compared).  0, or -1 after one line.
 */
static int merge_paths(const char **pos, int nr_pos, const char *sched_out, FILE *err)
{
	struct stat o, a, b;
	bool out_exists;

	if (sim_cli_output("merge", "OUT", pos[0], err) ||
	    (sched_out && sim_cli_output("merge", "--schedule-out", sched_out, err)))
		return -1;
	out_exists = !stat(pos[0], &o);
	for (int i = 1; i < nr_pos; i++) {
		if (stat(pos[i], &a)) {
			fprintf(err, "kmemsim merge: %s: %s\n", pos[i], strerror(errno));
			return -1;
		}
		if (out_exists && a.st_dev == o.st_dev && a.st_ino == o.st_ino) {
			fprintf(err, "kmemsim merge: OUT: %s is also an input (%s): it would be overwritten\n",
				pos[0], pos[i]);
			return -1;
		}
		for (int k = 1; k < i; k++)
			if (!stat(pos[k], &b) && a.st_dev == b.st_dev && a.st_ino == b.st_ino) {
				fprintf(err, "kmemsim merge: %s: given twice (as %s too)\n", pos[i], pos[k]);
				return -1;
			}
	}
	return 0;
}

int sim_cli_merge(int argc, char **argv, FILE *out, FILE *err)
{
	const char *pos[XC_MAX_INPUTS + 1], *sched_out = NULL;
	const struct sim_cli_opt opts[] = {
		{ "--schedule-out", SIM_CLI_STRING, &sched_out, NULL },
		{ NULL, 0, NULL, NULL },
	};
	struct xc_merge m = { .err = err, .sets_from = -1 };
	struct sim_scenario *sc = calloc(1, sizeof(*sc));
	struct xc_row ans = { 0 };
	const struct xc_row *best = NULL;
	uint64_t explored = 0, failing = 0, nr_shards;
	bool *seen = NULL;
	int nr_pos, rc, missing = 0;
	enum sim_explore_strategy strategy;
	struct sim_db *db;

	if (!sc) {
		fprintf(err, "kmemsim: out of memory\n");
		return SIM_EFAIL;
	}
	for (int i = 1, n = 0; i < argc; i++) {	/* slices of a sweep: the first input says so */
		if (!strcmp(argv[i], "--format") || !strcmp(argv[i], "--schedule-out")) {
			i++;
		} else if (argv[i][0] != '-' && ++n == 2) {
			if (sim_sweep_is_db(argv[i])) {
				free(sc);
				return sim_cli_sweep_merge(argc, argv, out, err);
			}
			break;
		}
	}
	rc = sim_cli_parse(argc, argv, opts, pos, 2, XC_MAX_INPUTS + 1, &nr_pos, out, err);
	if (rc) {
		free(sc);
		return rc == 1 ? 0 : rc;
	}
	if (merge_paths(pos, nr_pos, sched_out, err)) {
		rc = SIM_EBADINPUT;
		goto out;
	}
	for (int i = 1; i < nr_pos; i++) {
		struct sim_db *in = sim_db_open_existing(pos[i], err);
		int before = m.nr;

		if (!in) {
			rc = SIM_EBADINPUT;
			goto out;
		}
		m.path = pos[i];
		m.has_sets = false;
		rc = sim_db_query(in, "SELECT * FROM explorations", merge_row, &m, err);
		if (!rc)
			rc = sim_db_query(in, "SELECT scenario_json FROM runs", merge_json, &m, err);
		if (!rc)	/* a shard written before the table has no --set values to compare or show */
			rc = sim_db_query(in, "SELECT name FROM sqlite_master WHERE type = 'table' AND"
					  " name = 'explore_sets'", merge_has_sets, &m, err);
		if (!rc && m.has_sets)
			rc = sim_db_query(in, "SELECT value FROM explore_sets ORDER BY pos", merge_set, &m, err);
		sim_db_close(in, false, err);
		if (rc || m.nr != before + 1) {
			fprintf(err, "kmemsim merge: %s: not the database of one `kmemsim explore --db`\n", pos[i]);
			rc = SIM_EBADINPUT;
			goto out;
		}
		if (m.has_sets && merge_sets_agree(&m, i)) {
			fprintf(err, "kmemsim merge: %s: not a shard of the exploration of %s (they differ in"
				" their --set values)\n", pos[i], pos[m.sets_from]);
			rc = SIM_EBADINPUT;
			goto out;
		}
	}
	/* Shards of one exploration: same scenario, seeds, strategy and bounds; distinct shards. */
	nr_shards = col_u64(&m.rows[0], 11);
	seen = calloc(nr_shards ? nr_shards : 1, sizeof(*seen));
	if (!seen) {
		rc = SIM_EFAIL;
		goto out;
	}
	for (int i = 0; i < m.nr; i++) {
		const struct xc_row *r = &m.rows[i];
		static const int must_agree[] = { 0, 2, 3, 4, 5, 6, 7, 8, 9, 11 };
		uint64_t shard = col_u64(r, 10);

		for (size_t k = 0; k < sizeof(must_agree) / sizeof(must_agree[0]); k++)
			if (!same(r->v[must_agree[k]], m.rows[0].v[must_agree[k]])) {
				fprintf(err, "kmemsim merge: %s: not a shard of the exploration of %s (they differ in"
					" their settings)\n", pos[i + 1], pos[1]);
				rc = SIM_EBADINPUT;
				goto out;
			}
		if (shard >= nr_shards || seen[shard]) {
			fprintf(err, "kmemsim merge: %s: shard %" PRIu64 " given twice\n", pos[i + 1], shard);
			rc = SIM_EBADINPUT;
			goto out;
		}
		seen[shard] = true;
		explored += col_u64(r, 13);
		failing += col_u64(r, 14);
		if (col_u64(r, 16) && (!best || col_u64(r, 17) < col_u64(best, 17)))
			best = r;
	}
	for (uint64_t s = 0; s < nr_shards; s++)
		missing += !seen[s];

	/* The answer: the first input's settings, summed counts, the lowest failing index. */
	for (int i = 0; i < XC_NR_COLS; i++)
		ans.v[i] = (best ? best : &m.rows[0])->v[i];
	row_set(&ans, 10, "-1");
	row_set(&ans, 13, "%" PRIu64, explored);
	row_set(&ans, 14, "%" PRIu64, failing);
	row_set(&ans, 16, "%d", best != NULL);
	if (!m.scenario_json || sim_scenario_parse(sc, "runs.scenario_json", m.scenario_json, err)) {
		rc = SIM_EBADINPUT;
		goto out;
	}
	db = sim_db_open(pos[0], err);
	if (!db) {
		rc = SIM_EFAIL;
		goto out;
	}
	rc = sim_db_log_run(db, sc, KMEMSIM_VERSION) || sim_db_exec(db, xc_schema) ||
	     sim_db_exec(db, "CREATE TABLE answer AS SELECT * FROM explorations WHERE 0;\n");
	for (int i = 0; !rc && i < m.nr; i++)
		rc = insert_row(db, "explorations", m.rows[i].v);
	if (!rc)
		rc = insert_row(db, "answer", ans.v) || insert_sets(db, (const char *const *)m.kept, m.nr_kept);
	if (sim_db_close(db, !rc, err) || rc) {	/* the database said why, in one line */
		rc = SIM_EFAIL;
		goto out;
	}

	fprintf(out, "%s: ", ans.v[0]);
	if (ans.v[4] && !sim_explore_strategy_parse(ans.v[4], &strategy))
		print_strategy(out, strategy, ans.v[6] ? atoi(ans.v[6]) : 0, ans.v[7] ? atoi(ans.v[7]) : 0);
	else
		fputs(ans.v[4] ? ans.v[4] : "?", out);
	fprintf(out, ", seed %" PRIu64 ": %" PRIu64 " schedules explored in %d shard%s", sc->seed, explored, m.nr,
		m.nr == 1 ? "" : "s");
	if (missing)
		fprintf(out, " (%d of %" PRIu64 " shards missing: the answer covers only the others)", missing,
			nr_shards);
	fputc('\n', out);
	if (!best) {
		fprintf(out, "no violation\n");
		rc = 0;
		goto out;
	}
	{
		char name[64], path[128], kset[24];
		struct sim_cli_list sets = { .n = 0 };

		/* the shards' --set values; a shard from before they were kept has the kernel only */
		for (int i = 0; i < m.nr_kept; i++)
			sets.v[sets.n++] = m.kept[i];
		if (m.sets_from < 0 && sim_scenario_kernel(sc)) {
			snprintf(kset, sizeof(kset), "kernel=%s", sim_kernel_name(sim_scenario_kernel(sc)));
			sets.v[sets.n++] = kset;
		}
		file_name(sc, name, sizeof(name));
		if (!sched_out) {
			snprintf(path, sizeof(path), "%s.schedule", name);
			sched_out = path;
		}
		if (!best->v[24] || sim_out_write_text(sched_out, best->v[24], err)) {
			rc = SIM_EFAIL;
			goto out;
		}
		print_answer(out, best->v[1] ? best->v[1] : "SCENARIO.json", sc->seed, col_u64(best, 17),
			     col_u64(best, 18), best->v[21] ? best->v[21] : "?", best->v[22] ? best->v[22] : "",
			     col_u64(best, 23), (int)col_u64(best, 20), -1, sched_out, name, &sets);
	}
	rc = SIM_EFAIL;
out:
	for (int i = 0; i < m.nr; i++)
		for (int k = 0; k < XC_NR_COLS; k++)
			free(m.rows[i].v[k]);
	free(m.rows);
	for (int i = 0; i < m.nr_kept; i++)
		free(m.kept[i]);
	for (int i = 0; i < m.nr_sets; i++)
		free(m.sets[i]);
	free(m.scenario_json);
	free(seen);
	sim_scenario_free(sc);
	free(sc);
	return rc;
}
