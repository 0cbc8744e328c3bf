/*
 * test_readme.c - the README's examples give the answers it states, so that
 * they cannot drift from the code: every `sqlite3 DB "QUERY"` of a ```sh
 * block followed by a ```text block (before the next ```sh block) is run on
 * the database the README made it on, and its rows must be the block's
 * lines; the replay example's sentence ("on the sample: `NAME` on CPU N, A
 * of B allocations: X took over ..., L2, and Y needed a new slab, L5") must
 * match the database too.  Also here, as it needs the same replay:
 * `kmemsim summary` prints what the replay printed at its end.
 *
 * Strategy: the databases the README names are made once per test, the way
 * the README makes them (the default run -> kmemsim.db, the shipped sample
 * replayed -> replay.db); queries go through SQLite and are printed as the
 * sqlite3 shell's default list mode prints them (columns joined by '|').
 */
#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include <regex.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../helpers.h"

#define SAMPLE "traces/samples/debian-6.1.192-4cpu-2node"

static char *dir, *readme;

static char *source_path(const char *rel)
{
	const char *root = getenv("KMEMSIM_SOURCE_ROOT");
	char *p = NULL;

	cr_assert(asprintf(&p, "%s/%s", root ? root : ".", rel) > 0);
	return p;
}

static char *read_all(const char *path)
{
	FILE *f = fopen(path, "r");
	char *buf = NULL;
	size_t len = 0;
	FILE *m = open_memstream(&buf, &len);
	int c;

	cr_assert(not(eq(ptr, f, NULL)), "%s", path);
	while ((c = fgetc(f)) != EOF)
		fputc(c, m);
	fclose(f);
	fclose(m);
	return buf;
}

static void setup(void)
{
	char *p = source_path("README.md");

	dir = helper_tmpdir();
	readme = read_all(p);
	free(p);
}

static void teardown(void)
{
	free(readme);
	helper_rmtree(dir);
}

/* Make dir/name as the README does; its stdout (malloc'd). */
static char *make_db(const char *name)
{
	char *db = NULL, *sample = source_path(SAMPLE), *out = NULL, *err = NULL;
	const char *run[] = { "kmemsim", "run", "--db", NULL, NULL };
	const char *replay[] = { "kmemsim", "replay", sample, "--db", NULL, NULL };
	const char **argv = strcmp(name, "replay.db") ? run : replay;

	cr_assert(asprintf(&db, "%s/%s", dir, name) > 0);
	argv[strcmp(name, "replay.db") ? 3 : 4] = db;
	cr_assert(eq(int, helper_run_kmemsim(NULL, argv, &out, &err), 0), "%s", err);
	free(err);
	free(sample);
	free(db);
	return out;
}

/* Rows of sql on dir/db as the sqlite3 shell prints them: "a|b|c\n" each (malloc'd). */
static char *query(const char *db, const char *sql)
{
	char *path = NULL, *buf = NULL;
	size_t len = 0;
	FILE *m = open_memstream(&buf, &len);
	sqlite3 *h;
	sqlite3_stmt *st;
	int s;

	cr_assert(asprintf(&path, "%s/%s", dir, db) > 0);
	cr_assert(eq(int, sqlite3_open_v2(path, &h, SQLITE_OPEN_READONLY, NULL), SQLITE_OK), "%s", path);
	cr_assert(eq(int, sqlite3_prepare_v2(h, sql, -1, &st, NULL), SQLITE_OK), "%s: %s", sql, sqlite3_errmsg(h));
	while ((s = sqlite3_step(st)) == SQLITE_ROW) {
		for (int c = 0; c < sqlite3_column_count(st); c++) {
			const unsigned char *t = sqlite3_column_text(st, c);

			fprintf(m, "%s%s", c ? "|" : "", t ? (const char *)t : "");
		}
		fputc('\n', m);
	}
	cr_assert(eq(int, s, SQLITE_DONE), "%s", sqlite3_errmsg(h));
	sqlite3_finalize(st);
	sqlite3_close(h);
	fclose(m);
	free(path);
	return buf;
}

/* One README example: the database, the query (shell quoting undone), the stated rows. */
struct example {
	char db[64];
	char *sql, *want;
};

/* `sqlite3 DB "..."` at s: DB into e->db, the query into e->sql; the end of the command, or NULL. */
static const char *parse_sqlite3(const char *s, struct example *e)
{
	const char *p = s + strlen("sqlite3 ");
	size_t n = strcspn(p, " \n");
	FILE *m;
	size_t len = 0;

	if (n == 0 || n >= sizeof(e->db) || p[n] != ' ' || p[n + 1] != '"')
		return NULL;
	memcpy(e->db, p, n);
	e->db[n] = 0;
	p += n + 2;
	m = open_memstream(&e->sql, &len);
	for (; *p && *p != '"'; p++) {
		if (*p == '\\' && p[1])
			p++;		/* \" and \\ as the shell reads them */
		fputc(*p, m);
	}
	fclose(m);
	return *p ? p + 1 : NULL;
}

/*
 * Every checked example of the README: the last sqlite3 command of a ```sh block,
 * and the first ```text block after it (before another ```sh block).
 */
static int readme_examples(struct example *ex, int max)
{
	struct example cur = { 0 };
	bool have = false;
	int n = 0;
	const char *s = readme;

	while ((s = strstr(s, "```"))) {
		const char *body = strchr(s, '\n'), *end;

		cr_assert(body != NULL);
		body++;
		end = strstr(body, "\n```");
		cr_assert(end != NULL, "an unclosed block in README.md");
		if (!strncmp(s, "```sh\n", 6)) {
			for (const char *c = body; (c = strstr(c, "sqlite3 ")) && c < end; ) {
				struct example e = { 0 };
				const char *after = parse_sqlite3(c, &e);

				if (!after) {
					c += 8;
					continue;
				}
				free(cur.sql);
				cur = e;
				have = true;
				c = after;
			}
		} else if (!strncmp(s, "```text\n", 8) && have) {
			cr_assert(lt(int, n, max));
			cur.want = strndup(body, (size_t)(end - body) + 1);
			ex[n++] = cur;
			memset(&cur, 0, sizeof(cur));
			have = false;
		}
		s = end + 4;
	}
	free(cur.sql);
	return n;
}

/* "1,236" -> 1236 */
static long number(const char *s, regmatch_t m)
{
	long v = 0;

	for (regoff_t i = m.rm_so; i < m.rm_eo; i++)
		if (s[i] >= '0' && s[i] <= '9')
			v = v * 10 + (s[i] - '0');
	return v;
}

TestSuite(readme, .init = setup, .fini = teardown, .timeout = 120);

Test(readme, examples_give_the_stated_answers)
{
	struct example ex[16];
	int n = readme_examples(ex, 16), checked = 0;
	bool made_run = false, made_replay = false;

	cr_assert(ge(int, n, 2), "README.md: expected the kmemsim.db and replay.db examples with stated answers");
	for (int i = 0; i < n; i++) {
		char *got;

		cr_assert(strcmp(ex[i].db, "kmemsim.db") == 0 || strcmp(ex[i].db, "replay.db") == 0,
			  "README.md: an example on %s, which this test does not know how to make", ex[i].db);
		if (!strcmp(ex[i].db, "kmemsim.db") && !made_run) {
			free(make_db("kmemsim.db"));
			made_run = true;
		} else if (!strcmp(ex[i].db, "replay.db") && !made_replay) {
			free(make_db("replay.db"));
			made_replay = true;
		}
		got = query(ex[i].db, ex[i].sql);
		cr_assert(eq(str, got, ex[i].want), "README.md: sqlite3 %s \"%s\"\ngives:\n%s\nthe README says:\n%s",
			  ex[i].db, ex[i].sql, got, ex[i].want);
		checked++;
		free(got);
		free(ex[i].sql);
		free(ex[i].want);
	}
	cr_assert(made_run && made_replay);
	cr_assert(eq(int, checked, n));
}

/* The replay example's sentence names the first row and its levels. */
Test(readme, replay_sentence)
{
#define W "[[:space:]]+"		/* the sentence wraps anywhere */
	static const char re_text[] = "on" W "the" W "sample:" W "`([a-z0-9_-]+)`" W "on" W "CPU" W "([0-9]+),"
		W "([0-9,]+)" W "of" W "([0-9,]+)" W "allocations:" W "([0-9,]+)" W "took" W "over[^,]*," W "L2,"
		W "and" W "([0-9,]+)" W "needed" W "a" W "new" W "slab," W "L5";
#undef W
	regex_t re;
	regmatch_t m[7];
	char name[64], *sql = NULL, *got, *want = NULL;
	long cpu, slow, allocs, l2, l5;

	cr_assert(eq(int, regcomp(&re, re_text, REG_EXTENDED), 0));
	cr_assert(eq(int, regexec(&re, readme, 7, m, 0), 0), "README.md: the replay example's sentence is gone");
	snprintf(name, sizeof(name), "%.*s", (int)(m[1].rm_eo - m[1].rm_so), readme + m[1].rm_so);
	cpu = number(readme, m[2]);
	slow = number(readme, m[3]);
	allocs = number(readme, m[4]);
	l2 = number(readme, m[5]);
	l5 = number(readme, m[6]);
	regfree(&re);
	free(make_db("replay.db"));
	cr_assert(asprintf(&sql, "SELECT count(*), sum(o.level > 1), sum(o.level = 2), sum(o.level = 5)"
			   " FROM v_ops o JOIN caches c ON c.id = o.cache WHERE o.kind = 'obj_alloc'"
			   " AND o.trace_line IS NOT NULL AND c.name = '%s' AND o.cpu = %ld", name, cpu) > 0);
	got = query("replay.db", sql);
	cr_assert(asprintf(&want, "%ld|%ld|%ld|%ld\n", allocs, slow, l2, l5) > 0);
	cr_assert(eq(str, got, want), "README.md says %s on CPU %ld: %s", name, cpu, want);
	free(got);
	free(want);
	free(sql);
}

/* kmemsim summary DB prints what the replay printed at its end, up to its database line. */
Test(readme, summary_is_the_runs)
{
	char *db = NULL, *printed = make_db("replay.db"), *out = NULL, *err = NULL;
	const char *argv[] = { "kmemsim", "summary", NULL, NULL, NULL, NULL };
	const char *csv_head = "scenario,allocator,kernel,seed,nr_cpus,nr_nodes,sim_ns,wall_s,ops,violations,caches,"
			       "database\nreplay,slub,6.1,1,4,2,";

	cr_assert(asprintf(&db, "%s/replay.db", dir) > 0);
	argv[2] = db;
	cr_assert(eq(int, helper_run_kmemsim(NULL, argv, &out, &err), 0), "%s", err);
	cr_assert(lt(sz, 500, strlen(out)));
	cr_assert(eq(int, strncmp(printed, out, strlen(out)), 0), "replay printed:\n%s\nsummary:\n%s", printed, out);
	cr_assert(not(eq(ptr, strstr(out, "(top 10 of "), NULL)), "%s", out);
	free(out);
	free(err);
	argv[3] = "--format";
	argv[4] = "csv";
	cr_assert(eq(int, helper_run_kmemsim(NULL, argv, &out, &err), 0), "%s", err);
	cr_assert(eq(int, strncmp(out, csv_head, strlen(csv_head)), 0), "%s", out);
	cr_assert(not(eq(ptr, strstr(out, "\n\nkind,where,ops,L1,L2,L3,L4,L5,failed\npage_alloc,0/DMA32,"), NULL)),
		  "%s", out);
	cr_assert(not(eq(ptr, strstr(out, "\nobj_alloc,vm_area_struct,2505,"), NULL)), "%s", out);
	{	/* "top 10 by operations": caches in non-increasing alloc + free operations */
		char prev[64] = "", where[64];
		unsigned long long ops, sum = 0, last = ~0ULL;
		int nr = 0;

		for (const char *l = strstr(out, "\nobj_"); l; l = strstr(l + 1, "\nobj_")) {
			cr_assert(eq(int, sscanf(l + 1, "%*[^,],%63[^,],%llu,", where, &ops), 2), "%.80s", l + 1);
			if (strcmp(where, prev)) {
				cr_assert(le(u64, sum, last), "%s after a cache of %llu operations", prev, last);
				last = nr++ ? sum : last;
				sum = 0;
				snprintf(prev, sizeof(prev), "%s", where);
			}
			sum += ops;
		}
		cr_assert(le(u64, sum, last));
		cr_assert(lt(int, 10, nr));
	}
	free(out);
	free(err);
	free(printed);
	free(db);
}
