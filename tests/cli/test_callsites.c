/*
 * test_callsites.c - trace phases and call sites on a crafted trace:
 * `mark:TEXT` in every window option (exact text first, else the one text
 * containing it; ambiguous, missing, and a database without marks are bad
 * input), the callsites table and ops.callsite (symbols and bare addresses,
 * in order of first appearance), and `kmemsim callsites` (counts, bytes,
 * fragmentation, levels, live objects, windows, sorting, formats).
 *
 * Strategy: one small trace (a few kmalloc/kfree lines around
 * tracing_mark_write lines) replayed once per test through the binary, then
 * its outputs compared with SQL over the same database and with numbers
 * worked out by hand from the trace.
 */
#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../helpers.h"

static char *dir, *trace, *db;

/* One ftrace line at `us` microseconds on `cpu`. */
static void tl(FILE *f, int cpu, unsigned int us, const char *event, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));
static void tl(FILE *f, int cpu, unsigned int us, const char *event, const char *fmt, ...)
{
	va_list ap;

	fprintf(f, "%16s-%-7d [%03d] ..... %5u.%06u: %s: ", "task", 100, cpu, 1 + us / 1000000, us % 1000000, event);
	va_start(ap, fmt);
	vfprintf(f, fmt, ap);
	va_end(ap);
	fputc('\n', f);
}

static void km(FILE *f, unsigned int us, const char *site, unsigned long long ptr, int req, int alloc)
{
	tl(f, 0, us, "kmalloc", "call_site=%s ptr=%016llx bytes_req=%d bytes_alloc=%d gfp_flags=GFP_KERNEL"
	   " node=-1 accounted=false", site, ptr, req, alloc);
}

static void kf(FILE *f, unsigned int us, unsigned long long ptr)
{
	tl(f, 0, us, "kfree", "call_site=f_free+0x8/0x20 ptr=%016llx", ptr);
}

static void mark(FILE *f, unsigned int us, const char *text)
{
	tl(f, 0, us, "tracing_mark_write", "%s", text);
}

#define A(i) (0xffff888000100000ULL + 0x1000ULL * (i))

/*
 * Allocations: f_alloc A1 (64), A2 (64), A5 (8), A6 (64, after A2's free:
 * SLUB hands A2's object out again); g_alloc A3 (128); an address A4 (64).
 * Frees: A1 in the window, A2 after it.  Marks: WORKLOAD BEGIN (twice: the
 * first counts), WORKLOAD END, END.
 */
static void setup(void)
{
	FILE *f;
	const char *argv[] = { "kmemsim", "replay", NULL, "--db", NULL, "--quiet", NULL };
	char *err = NULL;

	dir = helper_tmpdir();
	cr_assert(asprintf(&trace, "%s/t.trace", dir) > 0);
	cr_assert(asprintf(&db, "%s/t.db", dir) > 0);
	f = fopen(trace, "w");
	cr_assert(not(eq(ptr, f, NULL)));
	km(f, 10, "f_alloc+0x10/0x40", A(1), 40, 64);
	mark(f, 20, "WORKLOAD BEGIN");
	km(f, 30, "f_alloc+0x10/0x40", A(2), 50, 64);
	km(f, 40, "g_alloc+0x20/0x80", A(3), 100, 128);
	km(f, 50, "ffffffff81234567", A(4), 64, 64);
	kf(f, 60, A(1));
	mark(f, 70, "WORKLOAD END");
	kf(f, 80, A(2));
	mark(f, 90, "WORKLOAD BEGIN");
	km(f, 100, "f_alloc+0x10/0x40", A(5), 8, 8);
	km(f, 110, "f_alloc+0x10/0x40", A(6), 60, 64);
	mark(f, 120, "END");
	cr_assert(eq(int, fclose(f), 0));
	argv[2] = trace;
	argv[4] = db;
	cr_assert(eq(int, helper_run_kmemsim(NULL, argv, NULL, &err), 0), "%s", err);
	free(err);
}

static void teardown(void)
{
	free(trace);
	free(db);
	helper_rmtree(dir);
}

/* kmemsim ARGS... on the test's database (the DB argument after the command); exit status. */
static int run(char **out, char **err, const char *cmd, ...)
{
	const char *argv[24] = { "kmemsim", cmd, db };
	int n = 3;
	va_list ap;

	va_start(ap, cmd);
	for (const char *a; n < 23 && (a = va_arg(ap, const char *)); )
		argv[n++] = a;
	va_end(ap);
	argv[n] = NULL;
	return helper_run_kmemsim(NULL, argv, out, err);
}

static int64_t q(const char *sql)
{
	return helper_db_int(db, sql);
}

TestSuite(callsites, .init = setup, .fini = teardown, .timeout = 60);

Test(callsites, interned_in_order_of_first_appearance)
{
	cr_assert(eq(i64, q("SELECT count(*) FROM callsites"), 4));
	cr_assert(eq(i64, q("SELECT callsite FROM callsites WHERE text = 'f_alloc+0x10/0x40'"), 1));
	cr_assert(eq(i64, q("SELECT callsite FROM callsites WHERE text = 'g_alloc+0x20/0x80'"), 2));
	cr_assert(eq(i64, q("SELECT callsite FROM callsites WHERE text = '0xffffffff81234567'"), 3));
	cr_assert(eq(i64, q("SELECT callsite FROM callsites WHERE text = 'f_free+0x8/0x20'"), 4));
	/* every traced operation has its line's call site; nothing else has one */
	cr_assert(eq(i64, q("SELECT count(*) FROM v_ops WHERE kind = 'obj_alloc' AND callsite = 1"), 4));
	cr_assert(eq(i64, q("SELECT count(*) FROM v_ops WHERE kind = 'obj_free' AND callsite = 4"), 2));
	cr_assert(eq(i64, q("SELECT count(*) FROM v_ops WHERE callsite IS NOT NULL AND trace_line IS NULL"), 0));
	cr_assert(eq(i64, q("SELECT count(*) FROM v_ops WHERE kind LIKE 'page%' AND callsite IS NOT NULL"), 0));
}

Test(callsites, whole_replay_as_csv)
{
	char *out = NULL, *err = NULL, *want = NULL;
	int64_t a64 = q("SELECT size FROM caches WHERE name = 'kmalloc-64'");
	int64_t a8 = q("SELECT size FROM caches WHERE name = 'kmalloc-8'");
	int64_t a128 = q("SELECT size FROM caches WHERE name = 'kmalloc-128'");
	int64_t f_alloc = 3 * a64 + a8;

	cr_assert(eq(int, run(&out, &err, "callsites", "--format", "csv", NULL), 0), "%s", err);
	/* levels as the database has them: the counts are checked, the shares are theirs */
	cr_assert(eq(i64, q("SELECT count(*) FROM v_ops WHERE callsite = 1 AND level BETWEEN 1 AND 5"), 4));
	cr_assert(asprintf(&want,
		"callsite,allocs,bytes_req,bytes_alloc,frag_pct,L1_pct,L2_pct,L3_pct,L4_pct,L5_pct,slow,live\n"
		"f_alloc+0x10/0x40,4,158,%lld,%.2f,%.2f,%.2f,%.2f,%.2f,%.2f,%lld,2\n",
		(long long)f_alloc, 100.0 - 100.0 * 158 / (double)f_alloc,
		25.0 * (double)q("SELECT count(*) FROM v_ops WHERE callsite = 1 AND level = 1"),
		25.0 * (double)q("SELECT count(*) FROM v_ops WHERE callsite = 1 AND level = 2"),
		25.0 * (double)q("SELECT count(*) FROM v_ops WHERE callsite = 1 AND level = 3"),
		25.0 * (double)q("SELECT count(*) FROM v_ops WHERE callsite = 1 AND level = 4"),
		25.0 * (double)q("SELECT count(*) FROM v_ops WHERE callsite = 1 AND level = 5"),
		(long long)q("SELECT count(*) FROM v_ops WHERE callsite = 1 AND level > 1")) > 0);
	cr_assert(eq(int, strncmp(out, want, strlen(want)), 0), "got:\n%s\nwant:\n%s", out, want);
	/* the two single allocations, ties by text: the address sorts before g_alloc */
	cr_assert(not(eq(ptr, strstr(out, "\n0xffffffff81234567,1,64,"), NULL)), "%s", out);
	cr_assert(not(eq(ptr, strstr(out, "\ng_alloc+0x20/0x80,1,100,"), NULL)), "%s", out);
	cr_assert(lt(ptr, strstr(out, "\n0xffffffff81234567,"), strstr(out, "\ng_alloc+")), "%s", out);
	cr_assert(eq(i64, a128 > 0, 1));
	free(want);
	free(out);
	free(err);
}

/* A2 is live at the end of [BEGIN, END): its free comes after; A1 was allocated before the window. */
Test(callsites, window_by_marks)
{
	char *out = NULL, *err = NULL;

	cr_assert(eq(int, run(&out, &err, "callsites", "--from", "mark:WORKLOAD BEGIN", "--to", "mark:WORKLOAD END",
			      "--format", "json", NULL), 0), "%s", err);
	cr_assert(not(eq(ptr, strstr(out, "{\"callsite\": \"f_alloc+0x10/0x40\", \"allocs\": 1, \"bytes_req\": 50,"),
			 NULL)), "%s", out);
	cr_assert(not(eq(ptr, strstr(out, "\"slow\": "), NULL)), "%s", out);
	cr_assert(eq(int, (int)(strstr(strstr(out, "f_alloc"), "\"live\": 1}") != NULL), 1), "%s", out);
	cr_assert(not(eq(ptr, strstr(out, "\"callsite\": \"g_alloc+0x20/0x80\""), NULL)), "%s", out);
	cr_assert(eq(ptr, strstr(out, "f_free"), NULL), "%s", out);	/* frees are not allocation sites */
	free(out);
	free(err);
}

Test(callsites, sort_top_and_table)
{
	char *out = NULL, *err = NULL;

	cr_assert(eq(int, run(&out, &err, "callsites", "--sort", "bytes", "--top", "2", NULL), 0), "%s", err);
	cr_assert(eq(int, strncmp(out, "object allocations by call site (top 2 of 3 by bytes; 0 without a call site,"
				  " inferred by the replay):\ncallsite ", 110), 0), "%s", out);
	cr_assert(not(eq(ptr, strstr(out, "\nf_alloc+0x10/0x40 "), NULL)), "%s", out);
	cr_assert(not(eq(ptr, strstr(out, "\ng_alloc+0x20/0x80 "), NULL)), "%s", out);
	cr_assert(eq(ptr, strstr(out, "0xffffffff81234567"), NULL), "%s", out);
	free(out);
	free(err);
	cr_assert(eq(int, run(&out, &err, "callsites", "--sort", "size", NULL), 2));
	cr_assert(eq(str, err, "kmemsim callsites: --sort: expected allocs, bytes, frag, slow or live, got \"size\"\n"));
	free(out);
	free(err);
}

/* slabstat and slabinfo over mark:TEXT windows print what the same windows in ns print. */
Test(callsites, marks_are_times)
{
	char *a = NULL, *b = NULL, *err = NULL, from[32], to[32];
	int64_t begin = q("SELECT time_ns FROM marks WHERE text = 'WORKLOAD BEGIN' ORDER BY line LIMIT 1");
	int64_t end = q("SELECT time_ns FROM marks WHERE text = 'WORKLOAD END'");

	cr_assert(eq(i64, q("SELECT count(*) FROM marks"), 4));
	cr_assert(lt(i64, begin, end));
	snprintf(from, sizeof(from), "%lld", (long long)begin);
	snprintf(to, sizeof(to), "%lld", (long long)end);
	cr_assert(eq(int, run(&a, &err, "slabstat", "kmalloc-64", "alloc_fastpath", "--from", "mark:WORKLOAD BEGIN",
			      "--to", "mark:WORKLOAD END", NULL), 0), "%s", err);
	free(err);
	cr_assert(eq(int, run(&b, &err, "slabstat", "kmalloc-64", "alloc_fastpath", "--from", from, "--to", to, NULL), 0));
	cr_assert(eq(str, a, b));
	cr_assert(a[0] >= '0' && a[0] <= '9', "%s", a);
	free(a);
	free(b);
	free(err);
	/* a unique substring, and an exact text that other texts contain */
	cr_assert(eq(int, run(&a, &err, "slabinfo", "--from", "mark:BEGIN", "--to", "mark:D END", NULL), 0), "%s", err);
	free(err);
	cr_assert(eq(int, run(&b, &err, "slabinfo", "--from", from, "--to", to, NULL), 0));
	cr_assert(eq(str, a, b));
	free(a);
	free(b);
	free(err);
	cr_assert(eq(int, run(&a, &err, "slabinfo", "--to", "mark:END", NULL), 0), "%s", err);
	free(err);
	snprintf(to, sizeof(to), "%lld", (long long)q("SELECT time_ns FROM marks WHERE text = 'END'"));
	cr_assert(eq(int, run(&b, &err, "slabinfo", "--to", to, NULL), 0));
	cr_assert(eq(str, a, b));
	free(a);
	free(b);
	free(err);
}

Test(callsites, bad_marks)
{
	char *out = NULL, *err = NULL, *want = NULL;

	cr_assert(eq(int, run(&out, &err, "slabinfo", "--from", "mark:NOPE", NULL), 2));
	cr_assert(asprintf(&want, "kmemsim slabinfo: --from: no mark \"NOPE\" in %s (marks: WORKLOAD BEGIN,"
			   " WORKLOAD END, END)\n", db) > 0);
	cr_assert(eq(str, err, want));
	cr_assert(eq(str, out, ""));
	free(want);
	free(out);
	free(err);
	cr_assert(eq(int, run(&out, &err, "callsites", "--to", "mark:WORKLOAD", NULL), 2));
	cr_assert(asprintf(&want, "kmemsim callsites: --to: mark \"WORKLOAD\" is ambiguous in %s (marks containing it:"
			   " WORKLOAD BEGIN, WORKLOAD END)\n", db) > 0);
	cr_assert(eq(str, err, want));
	free(want);
	free(out);
	free(err);
	cr_assert(eq(int, run(&out, &err, "slabstat", "kmalloc-64", "--from", "mark:", NULL), 2));
	cr_assert(eq(str, err, "kmemsim slabstat: --from: expected mark:TEXT with the text of a trace mark,"
		     " got \"mark:\"\n"));
	free(out);
	free(err);
}

/* A synthetic run has neither marks nor call sites: both say so. */
Test(callsites, synthetic_run)
{
	const char *argv[] = { "kmemsim", "run", NULL, "--db", db, "--quiet", NULL };
	char *out = NULL, *err = NULL, *want = NULL, *sc;

	sc = helper_write_file(dir, "s.json", "{ \"name\": \"tiny\", \"seed\": 1, \"workload\": { \"streams\": ["
			       " { \"ops\": 50, \"sizes\": { \"64\": 1 } } ] } }\n");
	argv[2] = sc;
	cr_assert(eq(int, helper_run_kmemsim(NULL, argv, NULL, &err), 0), "%s", err);
	free(err);
	cr_assert(eq(i64, q("SELECT count(*) FROM v_ops WHERE callsite IS NOT NULL"), 0));
	cr_assert(eq(int, run(&out, &err, "slabinfo", "--from", "mark:BEGIN", NULL), 2));
	cr_assert(asprintf(&want, "kmemsim slabinfo: --from: %s has no marks table: marks are the tracing_mark_write"
			   " lines of a replayed trace, and this is not a replay\n", db) > 0);
	cr_assert(eq(str, err, want));
	free(want);
	free(out);
	free(err);
	cr_assert(eq(int, run(&out, &err, "callsites", NULL), 2));
	cr_assert(asprintf(&want, "kmemsim callsites: %s: no call sites: not a replay (call sites come from a"
			   " trace's kmalloc and kfree lines)\n", db) > 0);
	cr_assert(eq(str, err, want));
	free(want);
	free(out);
	free(err);
	free(sc);
}

/* slabstat --format: the attributes and the stats as tables; without it, the sysfs layout. */
Test(callsites, slabstat_format)
{
	char *plain = NULL, *csv = NULL, *err = NULL, *want = NULL;
	unsigned long long total;

	cr_assert(eq(int, run(&plain, &err, "slabstat", "kmalloc-64", "alloc_fastpath", NULL), 0), "%s", err);
	free(err);
	cr_assert(eq(int, sscanf(plain, "%llu", &total), 1), "%s", plain);
	cr_assert(eq(int, run(&csv, &err, "slabstat", "kmalloc-64", "alloc_fastpath", "--format", "csv", NULL), 0));
	cr_assert(asprintf(&want, "\nalloc_fastpath,%llu,", total) > 0);
	cr_assert(eq(int, strncmp(csv, "stat,total,C0", 13), 0), "%s", csv);
	cr_assert(not(eq(ptr, strstr(csv, want), NULL)), "%s", csv);
	free(want);
	free(csv);
	free(err);
	cr_assert(eq(int, run(&csv, &err, "slabstat", "kmalloc-64", "object_size", "--format", "json", NULL), 0));
	cr_assert(eq(str, csv, "{\n  \"attributes\": [\n    {\"file\": \"object_size\", \"value\": 64}\n  ]\n}\n"));
	free(csv);
	free(err);
	cr_assert(eq(int, run(&csv, &err, "slabstat", "kmalloc-64", "--format", "xml", NULL), 2));
	cr_assert(eq(str, err, "kmemsim slabstat: --format: expected table, csv or json, got \"xml\"\n"));
	free(csv);
	free(err);
	free(plain);
}

/* kmemsim timeline's window goes through the same parser: marks work there too. */
Test(callsites, timeline_takes_marks)
{
	char *out = NULL, *err = NULL, *file = NULL, *want = NULL;

	cr_assert(asprintf(&file, "%s/t.pftrace", dir) > 0);
	cr_assert(eq(int, run(&out, &err, "timeline", "-o", file, "--from", "mark:BEGIN", "--to", "mark:D END",
			      "--quiet", NULL), 0), "%s", err);
	cr_assert(eq(int, access(file, R_OK), 0));
	free(out);
	free(err);
	cr_assert(eq(int, run(&out, &err, "timeline", "-o", file, "--to", "mark:NOPE", NULL), 2));
	cr_assert(asprintf(&want, "kmemsim timeline: --to: no mark \"NOPE\" in %s (marks: WORKLOAD BEGIN,"
			   " WORKLOAD END, END)\n", db) > 0);
	cr_assert(eq(str, err, want));
	free(want);
	free(out);
	free(err);
	free(file);
}
