/*
 * sweep.c - the grid of a sweep (a spec file or --vary), and running its points: each in a
 * forked worker, --jobs at a time, into its own database; then the slice's summary database
 * (sweep_db.c) and the comparison read back from it.
 *
 * A worker is a child process that runs one point as `kmemsim run` or `kmemsim replay` would,
 * with the sweep's --set then the point's values; its stdout goes nowhere and its stderr to
 * out_dir/point-NNN.log (removed when empty).  It asks the kernel to kill it when its parent
 * dies (PR_SET_PDEATHSIG), so an interrupted sweep leaves no workers behind.  Every point's
 * overrides are checked in the parent before any runs, so a bad value stops the sweep at once
 * with the loader's own line.
 */
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "sweep.h"
#include "sweep_int.h"
#include "../engine/engine.h"
#include "../replay/replay.h"
#include "../run/run.h"
#include "../scenario/scenario.h"

/* ------------------------------------------------------------------ grid */

static int sw_bad(FILE *err, const char *where, const char *what, const char *got)
{
	fprintf(err, "%s: %s%s%s%s\n", where, what, got ? " \"" : "", got ? got : "", got ? "\"" : "");
	return SIM_EBADINPUT;
}

static int sw_add_value(struct sim_sweep_axis *a, const char *v, size_t len)
{
	if (a->nr == SIM_SWEEP_MAX_VALUES)
		return -1;
	a->value[a->nr] = strndup(v, len);
	return a->value[a->nr++] ? 0 : -1;
}

int sim_sweep_add_axis(struct sim_sweep *sw, const char *arg, FILE *err)
{
	const char *eq = strchr(arg, '=');
	struct sim_sweep_axis *a;

	if (!eq || eq == arg || !eq[1])
		return sw_bad(err, "kmemsim sweep: --vary", "expected KEY=V1,V2,..., got", arg);
	if (sw->nr_axes == SIM_SWEEP_MAX_AXES)
		return sw_bad(err, "kmemsim sweep: --vary", "too many keys (at most 8)", NULL);
	for (int i = 0; i < sw->nr_axes; i++)
		if (strlen(sw->axis[i].key) == (size_t)(eq - arg) && !strncmp(sw->axis[i].key, arg, (size_t)(eq - arg)))
			return sw_bad(err, "kmemsim sweep: --vary", "key given twice:", sw->axis[i].key);
	a = &sw->axis[sw->nr_axes++];
	a->key = strndup(arg, (size_t)(eq - arg));
	for (const char *v = eq + 1; ; ) {
		size_t n = strcspn(v, ",");

		if (!n)
			return sw_bad(err, "kmemsim sweep: --vary", "an empty value in", arg);
		if (sw_add_value(a, v, n))
			return sw_bad(err, "kmemsim sweep: --vary", "too many values (at most 64) in", arg);
		if (!v[n])
			break;
		v += n + 1;
	}
	return a->key ? 0 : SIM_EFAIL;
}

/* A JSON value as a --set value: a string as it is, anything else as compact JSON. */
static char *sw_json_value(const cJSON *v)
{
	return cJSON_IsString(v) ? strdup(v->valuestring) : cJSON_PrintUnformatted(v);
}

int sim_sweep_load_spec(struct sim_sweep *sw, const char *path, FILE *err)
{
	char *text = sw_read_text(path, err);
	cJSON *root, *v;
	int rc = SIM_EBADINPUT;

	if (!text)
		return SIM_EBADINPUT;
	root = cJSON_Parse(text);
	free(text);
	if (!cJSON_IsObject(root)) {
		cJSON_Delete(root);
		return sw_bad(err, path, "expected a JSON object {\"target\": ..., \"vary\": {...}}", NULL);
	}
	for (v = root->child; v; v = v->next) {
		if (!strcmp(v->string, "target") && cJSON_IsString(v)) {
			sw->target = strdup(v->valuestring);
		} else if (!strcmp(v->string, "scenario") && cJSON_IsString(v)) {
			sw->scenario = strdup(v->valuestring);
		} else if (!strcmp(v->string, "set") && cJSON_IsObject(v)) {
			for (const cJSON *s = v->child; s; s = s->next) {
				char *val = sw_json_value(s);

				if (!val || sw->nr_sets == SIM_SWEEP_MAX_SETS ||
				    asprintf(&sw->set[sw->nr_sets++], "%s=%s", s->string, val) < 0) {
					free(val);
					sw_bad(err, path, "set: too many keys (at most 64)", NULL);
					goto out;
				}
				free(val);
			}
		} else if (!strcmp(v->string, "vary") && cJSON_IsObject(v)) {
			for (const cJSON *k = v->child; k; k = k->next) {
				struct sim_sweep_axis *a;

				if (sw->nr_axes == SIM_SWEEP_MAX_AXES || !cJSON_IsArray(k) || !cJSON_GetArraySize(k) ||
				    cJSON_GetArraySize(k) > SIM_SWEEP_MAX_VALUES) {
					fprintf(err, "%s: vary.%s: expected an array of 1..%d values (at most %d keys)\n", path,
						k->string, SIM_SWEEP_MAX_VALUES, SIM_SWEEP_MAX_AXES);
					goto out;
				}
				a = &sw->axis[sw->nr_axes++];
				a->key = strdup(k->string);
				for (const cJSON *e = k->child; e; e = e->next) {
					char *val = sw_json_value(e);

					if (!val || !a->key)
						goto out;
					a->value[a->nr++] = val;
				}
			}
		} else {
			fprintf(err, "%s: %s: unknown key or wrong type (known: \"target\" string, \"scenario\" string,"
				" \"set\" object, \"vary\" object of arrays)\n", path, v->string);
			goto out;
		}
	}
	if (!sw->target) {
		sw_bad(err, path, "missing key \"target\"", NULL);
		goto out;
	}
	rc = 0;
out:
	cJSON_Delete(root);
	return rc;
}

int sim_sweep_nr_points(const struct sim_sweep *sw)
{
	long n = 1;

	for (int i = 0; i < sw->nr_axes; i++) {
		n *= sw->axis[i].nr;
		if (n > SIM_SWEEP_MAX_POINTS)
			return SIM_SWEEP_MAX_POINTS + 1;
	}
	return (int)n;
}

int sim_sweep_check(struct sim_sweep *sw, FILE *err)
{
	struct stat st;
	size_t n = strlen(sw->target);

	if (stat(sw->target, &st) && strcmp(sw->target, "-"))
		return sw_bad(err, "kmemsim sweep", "no such target:", sw->target);
	if (!strcmp(sw->target, "-"))
		return sw_bad(err, "kmemsim sweep", "a sweep reads its target once per point: not stdin", NULL);
	sw->replay = S_ISDIR(st.st_mode) || n < 5 || strcmp(sw->target + n - 5, ".json");
	if (!sw->replay && sw->scenario)
		return sw_bad(err, "kmemsim sweep", "--scenario is for a trace target; the target is a scenario:",
			      sw->target);
	if (!sw->nr_axes)
		return sw_bad(err, "kmemsim sweep", "nothing varies: give --vary KEY=V1,V2,...", NULL);
	if (sim_sweep_nr_points(sw) > SIM_SWEEP_MAX_POINTS)
		return sw_bad(err, "kmemsim sweep", "the grid has more than 4096 points", NULL);
	return 0;
}

void sim_sweep_free(struct sim_sweep *sw)
{
	free(sw->target);
	free(sw->scenario);
	for (int i = 0; i < sw->nr_sets; i++)
		free(sw->set[i]);
	for (int i = 0; i < sw->nr_axes; i++) {
		free(sw->axis[i].key);
		for (int k = 0; k < sw->axis[i].nr; k++)
			free(sw->axis[i].value[k]);
	}
	memset(sw, 0, sizeof(*sw));
}

/* The value index of axis a at point p (the last axis varies fastest). */
static int sw_value_of(const struct sim_sweep *sw, int p, int a)
{
	for (int i = sw->nr_axes - 1; i > a; i--)
		p /= sw->axis[i].nr;
	return p % sw->axis[a].nr;
}

/* The --set list of point p (sets[] point into sw; bufs are malloc'd, freed by the caller). */
static int sw_point_sets(const struct sim_sweep *sw, int p, const char **sets, char **bufs)
{
	int n = 0;

	for (int i = 0; i < sw->nr_sets; i++)
		sets[n++] = sw->set[i];
	for (int a = 0; a < sw->nr_axes; a++) {
		if (asprintf(&bufs[a], "%s=%s", sw->axis[a].key, sw->axis[a].value[sw_value_of(sw, p, a)]) < 0)
			return -1;
		sets[n++] = bufs[a];
	}
	return n;
}

char *sw_spec_text(const struct sim_sweep *sw)
{
	char *t = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&t, &len);

	if (!f)
		return NULL;
	fprintf(f, "target %s\nscenario %s\n", sw->target, sw->scenario ? sw->scenario : "-");
	for (int i = 0; i < sw->nr_sets; i++)
		fprintf(f, "set %s\n", sw->set[i]);
	for (int a = 0; a < sw->nr_axes; a++) {
		fprintf(f, "vary %s", sw->axis[a].key);
		for (int k = 0; k < sw->axis[a].nr; k++)
			fprintf(f, "\t%s", sw->axis[a].value[k]);
		fputc('\n', f);
	}
	return fclose(f) ? (free(t), NULL) : t;
}

/* Point p's values, one a line. */
char *sw_point_values(const struct sim_sweep *sw, int p)
{
	char *t = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&t, &len);

	if (!f)
		return NULL;
	for (int a = 0; a < sw->nr_axes; a++)
		fprintf(f, "%s%s", a ? "\n" : "", sw->axis[a].value[sw_value_of(sw, p, a)]);
	return fclose(f) ? (free(t), NULL) : t;
}

/* --------------------------------------------------------------- workers */

/* In the child: run point p into db (a replay from the learning pass done before, when
 * learned); never returns. */
static void sw_child(const struct sim_sweep *sw, const struct sim_sweep_opts *o, int p, const char *db,
		     const char *log, pid_t parent, struct sim_replay_learned *learned)
{
	const char *sets[SIM_SWEEP_MAX_SETS + SIM_SWEEP_MAX_AXES];
	char *bufs[SIM_SWEEP_MAX_AXES] = { 0 };
	struct sw_count count = { 0 };
	void (*observer)(const struct sim_op *, void *) = o->no_log ? sw_count_op : NULL;
	FILE *errf, *nul;
	int n, rc;

	prctl(PR_SET_PDEATHSIG, SIGKILL);
	if (getppid() != parent)		/* the parent died before the line above */
		_exit(SIM_EFAIL);
	errf = fopen(log, "w");
	nul = fopen("/dev/null", "w");
	if (!errf || !nul)
		_exit(SIM_EFAIL);
	n = sw_point_sets(sw, p, sets, bufs);
	if (n < 0)
		_exit(SIM_EFAIL);
	if (sw->replay) {
		struct sim_replay_opts ro = { .trace = sw->target, .scenario_path = sw->scenario, .sets = sets,
					      .nr_sets = n, .cmd = "kmemsim sweep", .db_path = db, .pages = SIM_REPLAY_PAGES_NON_SLAB,
					      .quiet = true, .learned = learned, .no_log = o->no_log,
					      .op_observer = observer, .op_observer_arg = &count };

		rc = sim_replay(&ro, nul, errf);
	} else {
		struct sim_run_opts ro = { .scenario_path = sw->target, .sets = sets, .nr_sets = n, .cmd = "kmemsim sweep", .db_path = db,
					   .quiet = true, .no_log = o->no_log, .op_observer = observer,
					   .op_observer_arg = &count };

		rc = sim_run(&ro, nul, errf);
	}
	/* --no-log: the rows the summary would have read from ops, counted, into the database */
	if (o->no_log && (rc == 0 || rc == SIM_EFAIL) && !access(db, F_OK) && sw_count_store(&count, db, rc, errf))
		rc = SIM_EFAIL;
	fflush(errf);
	fflush(nul);
	_exit(rc);
}

/* Every point of the slice checked as its run would load it: 0 or SIM_EBADINPUT after the line. */
static int sw_check_points(const struct sim_sweep *sw, const struct sim_sweep_opts *o, int nr, FILE *err)
{
	struct sim_scenario *sc = calloc(1, sizeof(*sc));
	int rc = sc ? 0 : SIM_EFAIL;

	for (int p = o->shard; !rc && p < nr; p += o->nr_shards) {
		const char *sets[SIM_SWEEP_MAX_SETS + SIM_SWEEP_MAX_AXES];
		char *bufs[SIM_SWEEP_MAX_AXES] = { 0 };
		int n = sw_point_sets(sw, p, sets, bufs);

		rc = n < 0 ? SIM_EFAIL : sim_scenario_load_set(sc, sw->replay ? sw->scenario : sw->target, sets, n, err);
		sim_scenario_free(sc);
		for (int a = 0; a < SIM_SWEEP_MAX_AXES; a++)
			free(bufs[a]);
	}
	free(sc);
	return rc;
}

/*
 * A trace's learning pass, once for every point (they differ in settings only, which the pass
 * does not read): the workers, forked after it, each take over a copy-on-write copy of its
 * state and of the decompressed text (sim_replay_learn).  NULL when the points learn by
 * themselves: a scenario target, or the pass failed (each point then says why in its log).
 */
static struct sim_replay_learned *sw_learn(const struct sim_sweep *sw)
{
	struct sim_replay_opts ro = { .trace = sw->target, .scenario_path = sw->scenario,
				      .sets = (const char *const *)sw->set, .nr_sets = sw->nr_sets,
				      .cmd = "kmemsim sweep", .pages = SIM_REPLAY_PAGES_NON_SLAB, .quiet = true };
	struct sim_replay_learned *l = NULL;
	FILE *nul;

	if (!sw->replay || !(nul = fopen("/dev/null", "w")))
		return NULL;
	if (sim_replay_learn(&ro, &l, nul))
		l = NULL;
	fclose(nul);
	return l;
}

/* Run the slice's points, jobs at a time; status[p] gets each one's exit status. */
static int sw_run_points(const struct sim_sweep *sw, const struct sim_sweep_opts *o, int nr, int *status,
			 FILE *err)
{
	pid_t parent = getpid(), *pid = calloc((size_t)nr, sizeof(*pid));
	int running = 0, next = o->shard, done = 0, total = 0;
	struct sim_replay_learned *learned;

	if (!pid)
		return SIM_EFAIL;
	sw_heap_prepare();
	learned = o->shard < nr ? sw_learn(sw) : NULL;
	sw_heap_refresh();
	for (int p = o->shard; p < nr; p += o->nr_shards)
		total++;
	fflush(NULL);
	while (next < nr || running) {
		int st;
		pid_t w;

		while (next < nr && running < o->jobs) {
			char *db = sw_point_path(o->out_dir, next, "db"), *log = sw_point_path(o->out_dir, next, "log");
			pid_t c;

			if (!db || !log) {
				free(db);
				free(log);
				break;
			}
			c = fork();
			if (c == 0)
				sw_child(sw, o, next, db, log, parent, learned);
			free(db);
			free(log);
			if (c < 0) {
				fprintf(err, "kmemsim sweep: fork: %s\n", strerror(errno));
				status[next] = SIM_EFAIL;
			} else {
				pid[next] = c;
				running++;
			}
			next += o->nr_shards;
		}
		if (!running)
			break;
		w = waitpid(-1, &st, 0);
		if (w < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		for (int p = o->shard; p < nr; p += o->nr_shards)
			if (pid[p] == w) {
				char *log = sw_point_path(o->out_dir, p, "log");
				struct stat ls;

				status[p] = WIFEXITED(st) ? WEXITSTATUS(st) : SIM_EFAIL;
				pid[p] = 0;
				running--;
				done++;
				if (log && !stat(log, &ls) && !ls.st_size)
					unlink(log);
				if (!o->quiet)
					fprintf(err, "kmemsim sweep: point %d done (%d of %d)%s\n", p, done, total,
						status[p] ? ", failed: see its .log" : "");
				free(log);
			}
	}
	free(pid);
	sim_replay_learned_free(learned);
	return 0;
}

int sim_sweep_run(const struct sim_sweep *sw, const struct sim_sweep_opts *o, struct sim_sweep_result *res,
		  FILE *err)
{
	int nr = sim_sweep_nr_points(sw), rc, *status = calloc((size_t)nr, sizeof(int));
	char *sum;

	memset(res, 0, sizeof(*res));
	if (!status)
		return SIM_EFAIL;
	rc = sw_check_points(sw, o, nr, err);
	if (!rc && mkdir(o->out_dir, 0777) && errno != EEXIST) {
		fprintf(err, "kmemsim sweep: --out %s: %s\n", o->out_dir, strerror(errno));
		rc = SIM_EBADINPUT;
	}
	if (!rc)
		rc = sw_run_points(sw, o, nr, status, err);
	if (!rc) {
		if (o->nr_shards > 1)
			rc = asprintf(&sum, "%s/sweep-%d-of-%d.db", o->out_dir, o->shard, o->nr_shards) < 0;
		else
			rc = asprintf(&sum, "%s/sweep.db", o->out_dir) < 0;
		rc = rc ? SIM_EFAIL : sw_write_summary(sw, o, status, sum, err);
		if (!rc) {
			const char *in[1] = { sum };

			rc = sim_sweep_merge(NULL, in, 1, res, err);
		}
		free(sum);
	}
	for (int p = o->shard; !rc && p < nr; p += o->nr_shards)
		if (status[p])
			rc = SIM_EFAIL;
	free(status);
	return rc;
}
