/*
 * test_story.c - `kmemsim story`: every race of the catalogue told so that
 * a reader without its JSON finds the kernel function and the two
 * conflicting accesses; the HTML page; bad input.
 *
 * Strategy: the catalogue is read from docs/races.md (its table: the scenario
 * in the first column, the kernel function first named in the last), so a
 * race added there is tested here too.  Each race is explored as a user
 * would (`kmemsim explore`), its schedule replayed into a database
 * (`kmemsim run --schedule --db`), and the story printed without the
 * scenario's description (--no-description): what is left comes from the
 * run, not from the JSON's prose.
 */
#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../helpers.h"

#define MAX_RACES 32

struct race {
	char name[64];		/* scenarios/races/NAME.json */
	char funcs[160];	/* the kernel functions the catalogue names: " a b c " */
};

static char *dir;

static void setup(void)
{
	dir = helper_tmpdir();
}

static void teardown(void)
{
	helper_rmtree(dir);
}

/* The first `...` of s into buf; the rest after it, or NULL. */
static const char *backticked(const char *s, char *buf, size_t size)
{
	const char *a = strchr(s, '`'), *b = a ? strchr(a + 1, '`') : NULL;

	if (!b)
		return NULL;
	snprintf(buf, size, "%.*s", (int)(b - a - 1), a + 1);
	return b + 1;
}

/* The catalogue's rows (docs/races.md, section "The catalogue"). */
static int read_catalogue(struct race *r)
{
	const char *root = getenv("KMEMSIM_SOURCE_ROOT");
	char path[512], *text, *line, *save = NULL;
	bool in = false;
	int n = 0;

	snprintf(path, sizeof(path), "%s/docs/races.md", root ? root : ".");
	text = helper_read_file(path);
	cr_assert(not(eq(ptr, text, NULL)), "cannot read %s", path);
	for (line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		const char *last;

		if (!strncmp(line, "## ", 3)) {
			in = !strcmp(line, "## The catalogue");
			continue;
		}
		if (!in || strncmp(line, "| `", 3) || n == MAX_RACES)
			continue;
		last = strrchr(line, '|');
		while (last > line && last[-1] != '|')
			last--;		/* the start of the last column */
		cr_assert(not(eq(ptr, (void *)backticked(line, r[n].name, sizeof(r[n].name)), NULL)));
		r[n].funcs[0] = 0;
		for (const char *p = last; p;) {
			char f[64];

			p = backticked(p, f, sizeof(f));
			if (p && strlen(r[n].funcs) + strlen(f) + 2 < sizeof(r[n].funcs))
				snprintf(r[n].funcs + strlen(r[n].funcs), sizeof(r[n].funcs) - strlen(r[n].funcs), " %s", f);
		}
		cr_assert(lt(sz, 0, strlen(r[n].funcs)), "races.md: %s names no kernel function", r[n].name);
		n++;
	}
	free(text);
	return n;
}

/* Explore race r, replay its schedule into DIR/NAME.db; the database's path. */
static char *race_db(const struct race *r)
{
	const char *root = getenv("KMEMSIM_SOURCE_ROOT");
	char scenario[512], sched[512], *db, *err = NULL;
	/* 2,500 schedules: PCT finds slub-put-cpu-partial-irq after 1,081 with seed 1 (docs/races.md) */
	const char *explore[] = { "kmemsim", "explore", scenario, "--schedules", "2500", "--schedule-out", sched, "--quiet", NULL };
	const char *run[] = { "kmemsim", "run", scenario, "--schedule", sched, "--db", NULL, NULL };

	snprintf(scenario, sizeof(scenario), "%s/scenarios/races/%s.json", root ? root : ".", r->name);
	snprintf(sched, sizeof(sched), "%s/%s.schedule", dir, r->name);
	cr_assert(ne(int, asprintf(&db, "%s/%s.db", dir, r->name), -1));
	run[6] = db;
	/* exit 1: a violation found, as the race must be */
	cr_assert(eq(int, helper_run_kmemsim(NULL, explore, NULL, &err), 1), "%s: explore: %s", r->name, err);
	free(err);
	err = NULL;
	cr_assert(eq(int, helper_run_kmemsim(NULL, run, NULL, &err), 1), "%s: run: %s", r->name, err);
	free(err);
	return db;
}

/* The line of `text` that starts with `prefix`, or NULL (malloc'd). */
static char *line_with(const char *text, const char *prefix)
{
	for (const char *p = text; p && *p; p = strchr(p, '\n'), p = p ? p + 1 : NULL)
		if (!strncmp(p, prefix, strlen(prefix)))
			return strndup(p, strcspn(p, "\n"));
	return NULL;
}

/* "A step 27 (cpu0 task 2000, a = kmalloc(64) by task 2000: slab_alloc_node redo: cmpxchg_double)":
 * the lane and the function, both present. */
static void check_access(const char *race, const char *line, char *lane, size_t lsize)
{
	const char *open = strchr(line, '('), *comma, *colon;
	char func[64];

	cr_assert(not(eq(ptr, (void *)open, NULL)), "%s: %s", race, line);
	comma = strchr(open, ',');
	cr_assert(not(eq(ptr, (void *)comma, NULL)), "%s: %s: no operation", race, line);
	snprintf(lane, lsize, "%.*s", (int)(comma - open - 1), open + 1);
	colon = strstr(comma, ": ");
	cr_assert(not(eq(ptr, (void *)colon, NULL)), "%s: %s: no function", race, line);
	snprintf(func, sizeof(func), "%.*s", (int)strcspn(colon + 2, " :"), colon + 2);
	cr_assert(lt(sz, 1, strlen(func)), "%s: %s: no function", race, line);
	cr_assert(not(eq(str, func, "-")), "%s: %s: no function", race, line);
}

/*
 * The pair comes from the data (sim/story/story_conflict.c): the line after B names the
 * rule, the watched line and field; A and B touch it in different lanes (checked above).
 * A deadlock's pair is on a lock, which no watch shows: it keeps the rule around the forced
 * switch.  X, where the invariant broke, comes no earlier than B in the order of effects: at
 * or after B's step, or A's own step or A's use when that acted after B (a stale swap, a
 * lost update: the code of an earlier step goes on after B's).
 */
static void check_pair(const char *race, const char *out, const char *a, const char *b)
{
	static const char *const rules[] = { "stale read: A reads ", "ABA: A reads ", "lost update: both write ",
					     "interleaved writes: both write " };
	const char *what = strstr(out, b), *x = strstr(out, "broke:    X ");
	long xs, as = strtol(a + strlen("conflict: A step "), NULL, 10), bs = strtol(b + strlen("          B step "), NULL, 10);
	long use = -1;
	bool named = false;

	cr_assert(not(eq(ptr, (void *)x, NULL)), "%s", race);
	if (strstr(x, "X deadlock at step "))
		return;
	what = strchr(what, '\n') + 1;
	cr_assert(eq(int, strncmp(what, "          ", 10), 0), "%s: no rule line:\n%s", race, out);
	for (size_t k = 0; k < sizeof(rules) / sizeof(rules[0]); k++)
		named |= !strncmp(what + 10, rules[k], strlen(rules[k]));
	cr_assert(named, "%s: the pair is no read/write or write/write pair:\n%s", race, out);
	/* "... slub kmalloc-64 cpu0 tid = ..." or "... both write slub kmalloc-2k node0 inuse, ...": a watched line */
	cr_assert(strstr(what, " cpu") || strstr(what, " node"), "%s: %s", race, what);
	if (strstr(what, "before A's use at step "))
		use = strtol(strstr(what, "before A's use at step ") + 23, NULL, 10);
	x = strstr(x, " at step ");
	xs = strtol(x + 9, NULL, 10);
	cr_assert(xs >= bs || xs == as || xs == use, "%s: X (step %ld) before B (step %ld):\n%s", race, xs, bs, out);
}

Test(story, every_race_names_its_function_and_conflict, .init = setup, .fini = teardown, .timeout = 100)
{
	struct race r[MAX_RACES];
	int n = read_catalogue(r);

	cr_assert(ge(int, n, 6), "docs/races.md lists %d races", n);
	for (int i = 0; i < n; i++) {
		char *db = race_db(&r[i]), *out = NULL, *err = NULL, *a, *b, *lanes, want[80];
		char lane_a[64], lane_b[64];
		const char *story[] = { "kmemsim", "story", db, "--no-description", NULL };

		cr_assert(eq(int, helper_run_kmemsim(NULL, story, &out, &err), 0), "%s: %s", r[i].name, err);
		/* a kernel function of the catalogue (some run no yield point: get_first_slab) in the lanes */
		lanes = strstr(out, "\nstep ");
		cr_assert(not(eq(ptr, lanes, NULL)), "%s: no lanes:\n%s", r[i].name, out);
		{
			bool named = false;
			char *copy = strdup(r[i].funcs), *save = NULL;

			for (char *f = strtok_r(copy, " ", &save); f && !named; f = strtok_r(NULL, " ", &save)) {
				snprintf(want, sizeof(want), " %s", f);
				named = strstr(lanes, want) != NULL;
			}
			free(copy);
			cr_assert(named, "%s: none of%s in a step:\n%s", r[i].name, r[i].funcs, out);
		}
		/* the two conflicting accesses, each with its lane, operation and function */
		a = line_with(out, "conflict: A step ");
		b = line_with(out, "          B step ");
		cr_assert(not(eq(ptr, a, NULL)), "%s: no conflict:\n%s", r[i].name, out);
		cr_assert(not(eq(ptr, b, NULL)), "%s: no second access:\n%s", r[i].name, out);
		check_access(r[i].name, a, lane_a, sizeof(lane_a));
		check_access(r[i].name, b, lane_b, sizeof(lane_b));
		cr_assert(not(eq(str, lane_a, lane_b)), "%s: both accesses in %s", r[i].name, lane_a);
		/* and marked in the lanes (A or B first, then X or F when the invariant broke or was found there) */
		snprintf(want, sizeof(want), "\n%5ld A", strtol(a + strlen("conflict: A step "), NULL, 10));
		cr_assert(not(eq(ptr, strstr(lanes, want), NULL)), "%s: A is not marked", r[i].name);
		snprintf(want, sizeof(want), "\n%5ld B", strtol(b + strlen("          B step "), NULL, 10));
		cr_assert(not(eq(ptr, strstr(lanes, want), NULL)), "%s: B is not marked", r[i].name);
		cr_assert(strstr(lanes, " X ") || strstr(lanes, "AX ") || strstr(lanes, "BX "), "%s", r[i].name);
		check_pair(r[i].name, out, a, b);
		free(a);
		free(b);
		free(out);
		free(err);
		free(db);
	}
}

/* The fast path race as the issue tells it: x and y by name, the stale swap at its own step. */
Test(story, fastpath_tid_reads_as_the_race, .init = setup, .fini = teardown, .timeout = 60)
{
	struct race r = { "slub-fastpath-tid", " slab_alloc_node" };
	char *db = race_db(&r), *out = NULL, *err = NULL, *html, *page;
	const char *story[] = { "kmemsim", "story", db, NULL };
	const char *story_html[] = { "kmemsim", "story", db, "--format", "html", "-o", NULL, NULL };

	cr_assert(eq(int, helper_run_kmemsim(NULL, story, &out, &err), 0), "%s", err);
	/* the description above the lanes */
	cr_assert(not(eq(ptr, strstr(out, "\n  SLUB's lockless allocation fast path"), NULL)), "%s", out);
	/* the interrupt's operations by the script's names */
	cr_assert(not(eq(ptr, strstr(out, "x = kmalloc(64) in IRQ"), NULL)), "%s", out);
	cr_assert(not(eq(ptr, strstr(out, "y = kmalloc(64) in IRQ"), NULL)), "%s", out);
	cr_assert(not(eq(ptr, strstr(out, "kfree(x) in IRQ"), NULL)), "%s", out);
	/* the stale swap of the task installs y (which b then gets) with the old tid */
	cr_assert(not(eq(ptr, strstr(out, "freelist a/x (62) -> y/b (62); tid 32768 -> 16384"), NULL)), "%s", out);
	/* the interrupt's free puts x back: its own step, before the task goes on */
	cr_assert(not(eq(ptr, strstr(out, "-> a/x (62); tid 24576 -> 32768"), NULL)), "%s", out);
	cr_assert(not(eq(ptr, strstr(out, "slab_alloc_node redo: cmpxchg_double"), NULL)), "%s", out);
	/* the task's reads before the interrupt, the tid stale at its swap; the pair from them */
	cr_assert(not(eq(ptr, strstr(out, "reads slub kmalloc-64 cpu0 tid = 8192 (stale at step 27: 32768)"), NULL)),
		  "%s", out);
	cr_assert(not(eq(ptr, strstr(out, "reads slub kmalloc-64 cpu0 freelist = a/x"), NULL)), "%s", out);
	cr_assert(not(eq(ptr, strstr(out, "expects slub kmalloc-64 cpu0 tid = 8192 (stale: 32768)"), NULL)), "%s", out);
	cr_assert(not(eq(ptr, strstr(out, "conflict: A step 26 (cpu0 task 2000"), NULL)), "%s", out);
	cr_assert(not(eq(ptr, strstr(out, "          B step 34 (cpu0 hardirq, kfree(x) in IRQ"), NULL)), "%s", out);
	cr_assert(not(eq(ptr, strstr(out, "stale read: A reads slub kmalloc-64 cpu0 tid = 8192, B writes it (-> 32768)"
				 " before A's use at step 27"), NULL)), "%s", out);
	/* the stale swap broke the count (y on the freelist while held), found at b's hand-out */
	cr_assert(not(eq(ptr, strstr(out, "broke:    X balance broke at step 27, F live_twice found at step 36"), NULL)),
		  "%s", out);
	cr_assert(not(eq(ptr, strstr(out, "\n   36 F "), NULL)), "%s", out);
	free(out);
	free(err);

	cr_assert(ne(int, asprintf(&html, "%s/story.html", dir), -1));
	story_html[6] = html;
	cr_assert(eq(int, helper_run_kmemsim(NULL, story_html, NULL, &err), 0), "%s", err);
	page = helper_read_file(html);
	cr_assert(not(eq(ptr, page, NULL)));
	cr_assert(eq(int, strncmp(page, "<!DOCTYPE html>", 15), 0));
	cr_assert(not(eq(ptr, strstr(page, "</html>\n"), NULL)));
	cr_assert(eq(ptr, strstr(page, "src="), NULL), "the page fetches something");
	cr_assert(eq(ptr, strstr(page, "<link"), NULL), "the page fetches something");
	cr_assert(not(eq(ptr, strstr(page, "<tr class=\"mark-A\">"), NULL)));
	cr_assert(not(eq(ptr, strstr(page, "<tr class=\"mark-B\">"), NULL)));
	cr_assert(not(eq(ptr, strstr(page, "<tr class=\"mark-X\">"), NULL)));
	cr_assert(not(eq(ptr, strstr(page, "kfree(x) in IRQ"), NULL)));
	cr_assert(not(eq(ptr, strstr(page, "<tr class=\"mark-F\">"), NULL)));
	cr_assert(not(eq(ptr, strstr(page, "<div class=\"read stale\">reads slub kmalloc-64 cpu0 tid = 8192"), NULL)));
	free(page);
	free(html);
	free(err);
	free(db);
}

/* The reaper's lane is the vCPU's kworker (pid -1 - cpu), not a nameless task; a counter the
 * race takes below 0 (remove_partial of a slab on no list) reads -1, not 2^64 - 1. */
Test(story, kworker_lane_and_wrapped_counter, .init = setup, .fini = teardown, .timeout = 60)
{
	struct race drain = { "slab-drain-array-shared", " drain_array" }, node = { "slub-free-node-partial", " __slab_free" };
	char *db = race_db(&drain), *out = NULL, *err = NULL;
	const char *story[] = { "kmemsim", "story", db, NULL };

	cr_assert(eq(int, helper_run_kmemsim(NULL, story, &out, &err), 0), "%s", err);
	cr_assert(not(eq(ptr, strstr(out, "conflict: A step 84 (cpu0 kworker, outside any operation: cache_reap: percpu)\n"),
			 NULL)), "%s", out);
	cr_assert(not(eq(ptr, strstr(out, "  cpu0 kworker  "), NULL)), "%s", out);
	cr_assert(eq(ptr, strstr(out, "cpu0 task  "), NULL), "%s", out);
	free(out), free(err), free(db);
	db = race_db(&node);
	story[2] = db;
	cr_assert(eq(int, helper_run_kmemsim(NULL, story, &out, &err), 0), "%s", err);
	cr_assert(not(eq(ptr, strstr(out, "slub kmalloc-2k node0: nr_partial 0 -> -1 (wrapped)\n"), NULL)), "%s", out);
	cr_assert(eq(ptr, strstr(out, "18446744073709551615"), NULL), "%s", out);
	free(out), free(err), free(db);
}

/* kmemsim timeline of the race run: the two accesses as instants on "vCPU 0 race", joined by
 * flow 1 from B (the interrupt's free) to A (the task's read, at its stale swap), decoded by protoc. */
Test(story, timeline_flow, .init = setup, .fini = teardown, .timeout = 60)
{
	const char *root = getenv("KMEMSIM_SOURCE_ROOT");
	struct race r = { "slub-fastpath-tid", " slab_alloc_node" };
	char *db = race_db(&r), *trace, *err = NULL, cmd[1024], line[512], *text = NULL;
	const char *argv[] = { "kmemsim", "timeline", db, "-o", NULL, "--quiet", NULL };
	size_t len = 0;
	FILE *p, *m;
	const char *b, *a;

	if (system("command -v protoc >/dev/null 2>&1")) {
		free(db);
		cr_skip_test("protoc (Debian's protobuf-compiler) is not installed");
	}
	cr_assert(ne(int, asprintf(&trace, "%s/race.pftrace", dir), -1));
	argv[4] = trace;
	cr_assert(eq(int, helper_run_kmemsim(NULL, argv, NULL, &err), 0), "%s", err);
	snprintf(cmd, sizeof(cmd), "protoc --decode=perfetto.protos.Trace -I '%s/tests/timeline'"
		 " '%s/tests/timeline/perfetto_trace.proto' < '%s'", root ? root : ".", root ? root : ".", trace);
	p = popen(cmd, "r");
	cr_assert(not(eq(ptr, p, NULL)));
	m = open_memstream(&text, &len);
	while (fgets(line, sizeof(line), p))
		fputs(line, m);
	fclose(m);
	cr_assert(eq(int, pclose(p), 0), "protoc could not decode the trace");
	cr_assert(not(eq(ptr, strstr(text, "name: \"vCPU 0 race\""), NULL)), "%s", text);
	b = strstr(text, "name: \"B step 34 (cpu0 hardirq, kfree(x) in IRQ");
	a = strstr(text, "name: \"A step 26 (cpu0 task 2000, a = kmalloc(64) by task 2000: slab_alloc_node");
	cr_assert(not(eq(ptr, (void *)b, NULL)), "%s", text);
	cr_assert(not(eq(ptr, (void *)a, NULL)), "%s", text);
	/* B starts the flow (written first), A ends it */
	cr_assert(lt(ptr, (void *)b, (void *)a));
	cr_assert(not(eq(ptr, strstr(b, " flow_ids: 1\n"), NULL)));
	cr_assert(lt(ptr, strstr(b, " flow_ids: 1\n"), (void *)a), "B starts no flow");
	cr_assert(not(eq(ptr, strstr(a, " terminating_flow_ids: 1\n"), NULL)));
	free(text);
	free(trace);
	free(err);
	free(db);
}

Test(story, bad_input, .init = setup, .fini = teardown)
{
	char *db = helper_default_db(dir, "slub"), *out = NULL, *err = NULL;
	const char *not_race[] = { "kmemsim", "story", db, NULL };
	const char *format[] = { "kmemsim", "story", db, "--format", "pdf", NULL };
	char want[600];

	cr_assert(not(eq(ptr, db, NULL)));
	cr_assert(eq(int, helper_run_kmemsim(NULL, not_race, &out, &err), 2));
	snprintf(want, sizeof(want), "kmemsim story: %s: not a race run (no table steps): run a race scenario with --db\n",
		 db);
	cr_assert(eq(str, err, want));
	cr_assert(eq(str, out, ""));
	free(out);
	free(err);
	cr_assert(eq(int, helper_run_kmemsim(NULL, format, &out, &err), 2));
	cr_assert(eq(str, err, "kmemsim story: --format: expected text or html, got \"pdf\"\n"));
	free(out);
	free(err);
	free(db);
}
