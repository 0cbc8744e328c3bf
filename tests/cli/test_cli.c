/*
 * test_cli.c - the kmemsim command line: exit statuses, error lines, and the
 * /proc layouts of buddyinfo and zoneinfo.
 *
 * Strategy: the layouts are checked twice, in process (the formatters fed
 * the numbers of a real machine's SNAP0 files must print those files' lines
 * byte for byte) and end to end (every line `kmemsim buddyinfo/zoneinfo DB`
 * prints has the shape of a real line).  Bad input is a table of command
 * lines, each with its exact stderr line and exit status 2, run through the
 * real binary ($KMEMSIM_BIN).
 */
#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include <criterion/parameterized.h>
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../helpers.h"
#include "sim/cli/procinfo.h"

/* /work/shared/traces/debian-6.1.192-4cpu-2node/SNAP0/buddyinfo (whole file). */
static const char snap0_buddyinfo[] =
	"Node 0, zone      DMA      0      0      0      0      0      0      1      1      0      1      3 \n"
	"Node 0, zone    DMA32      1      1      3      1      2      2      2      0      1      3    179 \n"
	"Node 1, zone    DMA32      1      2      1      2      3      0      1      1      0      2    195 \n";

/* SNAP0/zoneinfo, node 0's DMA, DMA32 and Normal, without the parts we do not
 * model (per-node stats, zone vmstat items other than nr_free_pages). */
static const char snap0_zoneinfo[] =
	"Node 0, zone      DMA\n"
	"  pages free     3776\n"
	"        boost    0\n"
	"        min      129\n"
	"        low      161\n"
	"        high     193\n"
	"        spanned  4095\n"
	"        present  3998\n"
	"        managed  3840\n"
	"        cma      0\n"
	"        protection: (0, 939, 939, 939, 939)\n"
	"      nr_free_pages 3776\n"
	"      numa_hit     1\n"
	"      numa_miss    0\n"
	"      numa_foreign 0\n"
	"      numa_interleave 0\n"
	"      numa_local   1\n"
	"      numa_other   0\n"
	"  pagesets\n"
	"    cpu: 0\n"
	"              count: 0\n"
	"              high:  80\n"
	"              batch: 1\n"
	"  vm stats threshold: 6\n"
	"    cpu: 1\n"
	"              count: 0\n"
	"              high:  80\n"
	"              batch: 1\n"
	"  vm stats threshold: 6\n"
	"    cpu: 2\n"
	"              count: 0\n"
	"              high:  80\n"
	"              batch: 1\n"
	"  vm stats threshold: 6\n"
	"    cpu: 3\n"
	"              count: 0\n"
	"              high:  80\n"
	"              batch: 1\n"
	"  vm stats threshold: 6\n"
	"  node_unreclaimable:  0\n"
	"  start_pfn:           1\n"
	"Node 0, zone    DMA32\n"
	"  pages free     185335\n"
	"        boost    0\n"
	"        min      8095\n"
	"        low      10118\n"
	"        high     12141\n"
	"        spanned  258048\n"
	"        present  258048\n"
	"        managed  242463\n"
	"        cma      0\n"
	"        protection: (0, 0, 0, 0, 0)\n"
	"      nr_free_pages 185335\n"
	"      numa_hit     29194\n"
	"      numa_miss    0\n"
	"      numa_foreign 0\n"
	"      numa_interleave 320\n"
	"      numa_local   29041\n"
	"      numa_other   153\n"
	"  pagesets\n"
	"    cpu: 0\n"
	"              count: 415\n"
	"              high:  5059\n"
	"              batch: 63\n"
	"  vm stats threshold: 24\n"
	"    cpu: 1\n"
	"              count: 2237\n"
	"              high:  5059\n"
	"              batch: 63\n"
	"  vm stats threshold: 24\n"
	"    cpu: 2\n"
	"              count: 229\n"
	"              high:  5059\n"
	"              batch: 63\n"
	"  vm stats threshold: 24\n"
	"    cpu: 3\n"
	"              count: 284\n"
	"              high:  5059\n"
	"              batch: 63\n"
	"  vm stats threshold: 24\n"
	"  node_unreclaimable:  0\n"
	"  start_pfn:           4096\n"
	"Node 0, zone   Normal\n"
	"  pages free     0\n"
	"        boost    0\n"
	"        min      0\n"
	"        low      0\n"
	"        high     0\n"
	"        spanned  0\n"
	"        present  0\n"
	"        managed  0\n"
	"        cma      0\n"
	"        protection: (0, 0, 0, 0, 0)\n";

/* Print with `fn` into a string, in 6.1's layout (kernel 0, KERNEL_6_1). */
static char *print_zones(void (*fn)(const struct sim_procinfo_zone *, int, int, FILE *),
			 const struct sim_procinfo_zone *z, int n)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);

	cr_assert(not(eq(ptr, f, NULL)));
	fn(z, n, 0, f);
	fclose(f);
	return text;
}

Test(cli, buddyinfo_layout_matches_the_kernel)
{
	static const uint64_t free0[3][11] = {
		{ 0, 0, 0, 0, 0, 0, 1, 1, 0, 1, 3 },
		{ 1, 1, 3, 1, 2, 2, 2, 0, 1, 3, 179 },
		{ 1, 2, 1, 2, 3, 0, 1, 1, 0, 2, 195 },
	};
	struct sim_procinfo_zone z[4] = {
		{ .nid = 0, .zid = 0, .populated = true },
		{ .nid = 0, .zid = 1, .populated = true },
		{ .nid = 0, .zid = 2, .populated = false },	/* not printed */
		{ .nid = 1, .zid = 1, .populated = true },
	};
	char *got;

	memcpy(z[0].nr_free, free0[0], sizeof(free0[0]));
	memcpy(z[1].nr_free, free0[1], sizeof(free0[1]));
	memcpy(z[3].nr_free, free0[2], sizeof(free0[2]));
	got = print_zones(sim_procinfo_print_buddyinfo, z, 4);
	cr_assert(eq(str, got, (char *)snap0_buddyinfo));
	free(got);
}

Test(cli, zoneinfo_layout_matches_the_kernel)
{
	struct sim_procinfo_pcp dma[4] = {
		{ 0, 80, 1, 6 }, { 0, 80, 1, 6 }, { 0, 80, 1, 6 }, { 0, 80, 1, 6 }
	};
	struct sim_procinfo_pcp dma32[4] = {
		{ 415, 5059, 63, 24 }, { 2237, 5059, 63, 24 }, { 229, 5059, 63, 24 }, { 284, 5059, 63, 24 }
	};
	struct sim_procinfo_zone z[3] = {
		{ .nid = 0, .zid = 0, .populated = true, .free_pages = 3776, .min = 129, .low = 161,
		  .high = 193, .spanned = 4095, .present = 3998, .managed = 3840,
		  .protection = { 0, 939, 939, 939, 939 }, .numa = { 1, 0, 0, 0, 1, 0 },
		  .start_pfn = 1, .nr_cpus = 4, .pcp = dma },
		{ .nid = 0, .zid = 1, .populated = true, .free_pages = 185335, .min = 8095,
		  .low = 10118, .high = 12141, .spanned = 258048, .present = 258048,
		  .managed = 242463, .numa = { 29194, 0, 0, 320, 29041, 153 },
		  .start_pfn = 4096, .nr_cpus = 4, .pcp = dma32 },
		{ .nid = 0, .zid = 2, .populated = false, .nr_cpus = 4 },
	};
	char *got = print_zones(sim_procinfo_print_zoneinfo, z, 3);

	cr_assert(eq(str, got, (char *)snap0_zoneinfo));
	free(got);
}

/* ------------------------------------------------------------ the binary */

Test(cli, version_and_help)
{
	const char *v[] = { "kmemsim", "--version", NULL };
	const char *h[] = { "kmemsim", "--help", NULL };
	char *out, *err;

	cr_assert(eq(int, helper_run_kmemsim(NULL, v, &out, &err), 0));
	cr_assert(eq(str, out, "kmemsim 0.1.0\n"));
	cr_assert(eq(str, err, ""));
	free(out);
	free(err);
	cr_assert(eq(int, helper_run_kmemsim(NULL, h, &out, &err), 0));
	cr_assert(eq(int, strncmp(out, "usage: kmemsim ", 15), 0));
	cr_assert(not(eq(ptr, strstr(out, "kmemsim buddyinfo DB"), NULL)));
	free(out);
	free(err);
}

/* Arrays, not pointers: Criterion copies parameters into a freshly started
 * worker, where the parent's pointers mean nothing. */
struct bad_cli {
	char argv[6][32];		/* "" ends it */
	char err[128];			/* the exact stderr */
};

static const struct bad_cli bad_clis[] = {
	{ { "kmemsim", "frobnicate" },
	  "kmemsim: unknown command \"frobnicate\" (kmemsim --help lists them)\n" },
	{ { "kmemsim", "run", "--frob" }, "kmemsim run: unknown option --frob\n" },
	{ { "kmemsim", "--seed", "four" },
	  "kmemsim run: --seed: expected a non-negative integer, got \"four\"\n" },
	{ { "kmemsim", "run", "--seed=-1" },
	  "kmemsim run: --seed: expected a non-negative integer, got \"-1\"\n" },
	{ { "kmemsim", "run", "--db" }, "kmemsim run: --db: missing value\n" },
	{ { "kmemsim", "run", "--quiet=yes" }, "kmemsim run: --quiet: takes no value\n" },
	{ { "kmemsim", "run", "a.json", "b.json" }, "kmemsim run: unexpected argument \"b.json\"\n" },
	{ { "kmemsim", "run", "--schedule", "/nonexistent/s" },
	  "kmemsim run: --schedule: /nonexistent/s: No such file or directory\n" },
	{ { "kmemsim", "buddyinfo" }, "kmemsim buddyinfo: missing argument DB\n" },
	{ { "kmemsim", "zoneinfo", "/nonexistent.db" },
	  "kmemsim zoneinfo: /nonexistent.db: No such file or directory\n" },
	{ { "kmemsim", "buddyinfo", "a.db", "b.db" },
	  "kmemsim buddyinfo: unexpected argument \"b.db\"\n" },
};

ParameterizedTestParameters(cli, bad_input_exits_2)
{
	return cr_make_param_array(struct bad_cli, (void *)bad_clis, sizeof(bad_clis) / sizeof(bad_clis[0]));
}

ParameterizedTest(const struct bad_cli *c, cli, bad_input_exits_2)
{
	const char *argv[7] = { NULL };
	char *out, *err;
	int rc;

	for (int i = 0; i < 6 && c->argv[i][0]; i++)
		argv[i] = c->argv[i];
	rc = helper_run_kmemsim(NULL, argv, &out, &err);

	cr_assert(eq(int, rc, 2));
	cr_assert(eq(str, err, (char *)c->err));
	cr_assert(eq(str, out, ""));
	free(out);
	free(err);
}

/* Every line of `text` matches `pattern`; returns the number of lines. */
static int match_lines(const char *text, const char *pattern)
{
	regex_t re;
	int n = 0;
	char *copy = strdup(text), *save = NULL;

	cr_assert(eq(int, regcomp(&re, pattern, REG_EXTENDED | REG_NOSUB), 0));
	for (char *l = strtok_r(copy, "\n", &save); l; l = strtok_r(NULL, "\n", &save), n++)
		cr_assert(eq(int, regexec(&re, l, 0, NULL, 0), 0), "line does not match: \"%s\"", l);
	regfree(&re);
	free(copy);
	return n;
}

/* The shape of a real buddyinfo line: "Node N, zone %8s " then 11 times "%6lu ". */
#define BUDDYINFO_LINE "^Node [0-9]+, zone [ A-Za-z0-9]{8} ( {0,5}[0-9]{1,6} |[0-9]{7,} ){11}$"

Test(cli, buddyinfo_pattern_accepts_real_lines)
{
	cr_assert(eq(int, match_lines(snap0_buddyinfo, BUDDYINFO_LINE), 3));
}

/* The shapes of the zoneinfo lines we print, as zoneinfo_show_print writes them. */
static const char zoneinfo_line[] =
	"^(Node [0-9]+, zone [ A-Za-z0-9]{8}"
	"|  pages free     [0-9]+"
	"|        (boost    |min      |low      |high     |spanned  |present  |managed  |cma      )[0-9]+"
	"|        protection: \\([0-9]+(, [0-9]+){4}\\)"
	"|      (nr_free_pages|numa_hit    |numa_miss   |numa_foreign|numa_interleave"
	"|numa_local  |numa_other  ) [0-9]+"
	"|  pagesets"
	"|    cpu: [0-9]+"
	"|              (count: |high:  |batch: )[0-9]+"
	"|  vm stats threshold: [0-9]+"
	"|  node_unreclaimable:  [0-9]+"
	"|  start_pfn:           [0-9]+)$";

Test(cli, zoneinfo_pattern_accepts_real_lines)
{
	cr_assert(eq(int, match_lines(snap0_zoneinfo, zoneinfo_line), 93));
}

/* A small run in a fresh directory; returns the directory. */
static char *small_run(const char *db)
{
	char *dir = helper_tmpdir(), *json, *out, *err;
	const char *argv[] = { "kmemsim", "run", "small.json", "--db", db, "--quiet", NULL };

	cr_assert(not(eq(ptr, dir, NULL)));
	json = helper_write_file(dir, "small.json",
				 "{ \"seed\": 9, \"workload\": { \"streams\": [ { \"cpu\": -1, \"ops\": 500,"
				 " \"irq_pct\": 10 } ] } }\n");
	cr_assert(not(eq(ptr, json, NULL)));
	cr_assert(eq(int, helper_run_kmemsim(dir, argv, &out, &err), 0));
	cr_assert(eq(str, out, ""));
	cr_assert(eq(str, err, ""));
	free(json);
	free(out);
	free(err);
	return dir;
}

Test(cli, buddyinfo_and_zoneinfo_of_a_run_have_the_kernel_layout)
{
	char *dir = small_run("run.db"), *out, *err;
	const char *bi[] = { "kmemsim", "buddyinfo", "run.db", NULL };
	const char *zi[] = { "kmemsim", "zoneinfo", "run.db", NULL };
	int nr_headers = 0;

	cr_assert(eq(int, helper_run_kmemsim(dir, bi, &out, &err), 0));
	cr_assert(eq(str, err, ""));
	/* the default machine: node 0 DMA and DMA32, node 1 DMA32 */
	cr_assert(eq(int, match_lines(out, BUDDYINFO_LINE), 3));
	cr_assert(eq(int, strncmp(out, "Node 0, zone      DMA ", 22), 0));
	free(out);
	free(err);
	cr_assert(eq(int, helper_run_kmemsim(dir, zi, &out, &err), 0));
	cr_assert(eq(str, err, ""));
	match_lines(out, zoneinfo_line);
	for (const char *p = out; (p = strstr(p, "Node ")); p++)
		nr_headers++;
	cr_assert(eq(int, nr_headers, 2 * 5));	/* every zone of every node, Device too */
	cr_assert(not(eq(ptr, strstr(out, "Node 1, zone   Device\n"), NULL)));
	free(out);
	free(err);
	helper_rmtree(dir);
}

Test(cli, no_arguments_runs_the_default_scenario)
{
	char *dir = helper_tmpdir(), *out, *err, db[512];
	const char *argv[] = { "kmemsim", "--no-log", NULL };
	FILE *f;

	cr_assert(eq(int, helper_run_kmemsim(dir, argv, &out, &err), 0));
	cr_assert(eq(str, err, ""));
	cr_assert(eq(int, strncmp(out, "kmemsim: scenario default, allocator slub, kernel 6.1, seed 1, ", 63), 0));
	/* the summary shows each cache's L1..L5 shares */
	cr_assert(not(eq(ptr, strstr(out, "\nobject operations by cache (top 10 of "), NULL)), "%s", out);
	cr_assert(not(eq(ptr, strstr(out, "\nobj_alloc  kmalloc-64 "), NULL)), "%s", out);
	cr_assert(not(eq(ptr, strstr(out, "\ndatabase kmemsim.db (operations not logged)\n"), NULL)));
	snprintf(db, sizeof(db), "%s/kmemsim.db", dir);
	f = fopen(db, "r");
	cr_assert(not(eq(ptr, f, NULL)));
	fclose(f);
	free(out);
	free(err);
	helper_rmtree(dir);
}

Test(cli, bad_scenario_and_run_failures)
{
	char *dir = helper_tmpdir(), *out, *err;
	char *bad = helper_write_file(dir, "bad.json",
				      "{\n  \"machine\": { \"nodes\": [ { \"cpus\": \"four\" } ] }\n}\n");
	const char *a1[] = { "kmemsim", "run", "bad.json", NULL };
	const char *a2[] = { "kmemsim", "run", "--no-log", "--db", "/nonexistent/x.db", NULL };
	const char *a3[] = { "kmemsim", "run", "--no-log", "--schedule-out", "/nonexistent/s", NULL };

	cr_assert(eq(int, helper_run_kmemsim(dir, a1, &out, &err), 2));
	cr_assert(eq(str, err, "bad.json:2: machine.nodes[0].cpus: expected a positive integer, got \"four\"\n"));
	free(out);
	free(err);
	/* output paths are bad input, refused before the run (docs/cli.md) */
	cr_assert(eq(int, helper_run_kmemsim(dir, a2, &out, &err), 2));
	cr_assert(eq(str, err, "kmemsim run: --db: /nonexistent/x.db: no directory /nonexistent\n"));
	free(out);
	free(err);
	cr_assert(eq(int, helper_run_kmemsim(dir, a3, &out, &err), 2));
	cr_assert(eq(str, err, "kmemsim run: --schedule-out: /nonexistent/s: no directory /nonexistent\n"));
	free(out);
	free(err);
	free(bad);
	helper_rmtree(dir);
}
