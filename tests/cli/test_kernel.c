/*
 * test_kernel.c - choosing the kernel per run: the scenario key "kernel" and --kernel (value,
 * bad value, SLAB refused on 6.12), the version a replay takes from its capture (uname, event
 * formats, none) and says on stderr, runs.kernel and what shows it (summary, diff), and a sweep
 * over the kernel.  The 6.12 models come from other files: this one checks only the choice,
 * that it reaches the models (kernel_version) and that it is recorded.
 */
#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../helpers.h"
#include "models/kernel.h"
#include "sim/scenario/scenario.h"

#define SMALL "--set", "workload.streams[0].ops=150", "--quiet"

/* kmemsim argv in dir: its exit status must be `want`; stdout (malloc'd), stderr into *err if asked. */
static char *kms(const char *dir, const char *const argv[], int want, char **err)
{
	char *out = NULL, *e = NULL;
	int rc = helper_run_kmemsim(dir, argv, &out, &e);

	cr_assert(eq(int, rc, want), "exit %d, stderr: %s", rc, e ? e : "");
	if (err)
		*err = e;
	else
		free(e);
	return out;
}

static char *db_text(const char *dir, const char *db, const char *sql)
{
	char *path = NULL, *q = NULL;
	int64_t n;

	/* helper_db_int reads integers: ask for the text's position in a list of the names */
	cr_assert(asprintf(&path, "%s/%s", dir, db) > 0);
	cr_assert(asprintf(&q, "SELECT instr('|6.1|6.12|', '|' || (%s) || '|')", sql) > 0);
	n = helper_db_int(path, q);
	free(path);
	free(q);
	return strdup(n == 1 ? "6.1" : n == 5 ? "6.12" : "?");
}

static void expect_kernel(const char *dir, const char *db, const char *want)
{
	char *k = db_text(dir, db, "SELECT kernel FROM runs"),
	     *j = db_text(dir, db, "SELECT json_extract(scenario_json, '$.kernel.version') FROM runs");

	cr_assert(eq(str, k, (char *)want), "%s: runs.kernel", db);
	cr_assert(eq(str, j, (char *)want), "%s: scenario_json's kernel.version", db);
	free(k);
	free(j);
}

Test(kernel, the_key_and_the_flag_choose_the_kernel, .timeout = 60)
{
	char *dir = helper_tmpdir();
	const char *def[] = { "kmemsim", "run", SMALL, "--db", "def.db", NULL };
	const char *flag[] = { "kmemsim", "run", SMALL, "--kernel", "6.12", "--db", "flag.db", NULL };
	const char *set[] = { "kmemsim", "run", SMALL, "--set", "kernel=6.12", "--db", "set.db", NULL };
	const char *file[] = { "kmemsim", "run", "k.json", SMALL, "--db", "file.db", NULL };
	/* the object form keeps its other keys; --kernel comes after --set, so it wins */
	const char *obj[] = { "kmemsim", "run", "obj.json", SMALL, "--set", "kernel=6.1", "--kernel", "6.12",
			      "--db", "obj.db", NULL };

	free(helper_write_file(dir, "k.json", "{ \"kernel\": \"6.12\" }\n"));
	free(helper_write_file(dir, "obj.json", "{ \"kernel\": { \"memcg_kmem\": false } }\n"));
	free(kms(dir, def, 0, NULL));
	free(kms(dir, flag, 0, NULL));
	free(kms(dir, set, 0, NULL));
	free(kms(dir, file, 0, NULL));
	free(kms(dir, obj, 0, NULL));
	expect_kernel(dir, "def.db", "6.1");
	expect_kernel(dir, "flag.db", "6.12");
	expect_kernel(dir, "set.db", "6.12");
	expect_kernel(dir, "file.db", "6.12");
	expect_kernel(dir, "obj.db", "6.12");
	{
		char *p = NULL;

		cr_assert(asprintf(&p, "%s/obj.db", dir) > 0);
		cr_assert(eq(i64, helper_db_int(p, "SELECT json_extract(scenario_json, '$.kernel.memcg_kmem')"
						" FROM runs"), 0));
		free(p);
	}
	helper_rmtree(dir);
}

Test(kernel, bad_values_are_one_line_and_exit_2)
{
	static const struct { const char *file, *text, *arg, *err; } bad[] = {
		{ NULL, NULL, "--kernel=6.13", "kmemsim run: --kernel: expected 6.1 or 6.12, got \"6.13\"\n" },
		{ NULL, NULL, "--kernel=6.1.192", "kmemsim run: --kernel: expected 6.1 or 6.12, got \"6.1.192\"\n" },
		/* 6.10 is no 6.1: a version is text, not a number */
		{ NULL, NULL, "--set=kernel=6.10",
		  "--set: kernel: expected a kernel version, 6.1 or 6.12, got \"6.10\"\n" },
		{ "b.json", "{\n  \"seed\": 3,\n  \"kernel\": \"6.2\"\n}\n", NULL,
		  "b.json:3: kernel: expected a kernel version, 6.1 or 6.12, got \"6.2\"\n" },
		{ "c.json", "{\n  \"kernel\": {\n    \"version\": 6.12\n  }\n}\n", NULL,
		  "c.json:3: kernel.version: expected a kernel version, 6.1 or 6.12, got 6.12\n" },
		{ "d.json", "{ \"kernel\": [\"6.12\"] }\n", NULL, "d.json:1: kernel: expected a kernel version, 6.1 or 6.12, or an object, got an array of 1\n" },
	};
	char *dir = helper_tmpdir();

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		const char *argv[] = { "kmemsim", "run", bad[i].file ? bad[i].file : bad[i].arg, "--db", "x.db", NULL };
		char *err = NULL, *p = NULL;

		if (bad[i].file)
			free(helper_write_file(dir, bad[i].file, bad[i].text));
		free(kms(dir, argv, 2, &err));
		cr_expect(eq(str, err, (char *)bad[i].err), "case %zu", i);
		free(err);
		cr_assert(asprintf(&p, "%s/x.db", dir) > 0);
		cr_assert(access(p, F_OK) != 0, "case %zu left a database", i);
		free(p);
	}
	helper_rmtree(dir);
}

Test(kernel, slab_is_refused_on_6_12)
{
	static const char *const line =
		"allocator slab on kernel 6.12: SLAB was removed in Linux 6.8 (use slub, or kernel 6.1)\n";
	char *dir = helper_tmpdir(), *err = NULL, *want = NULL;
	const char *flags[] = { "kmemsim", "run", "--kernel", "6.12", "--allocator", "slab", "--db", "x.db", NULL };
	const char *file[] = { "kmemsim", "run", "s.json", "--db", "x.db", NULL };
	const char *set[] = { "kmemsim", "run", "s61.json", "--set", "kernel=6.12", "--db", "x.db", NULL };
	/* the file's slab, then --allocator slub: fine */
	const char *over[] = { "kmemsim", "run", "s.json", "--allocator", "slub", SMALL, "--db", "ok.db", NULL };

	free(helper_write_file(dir, "s.json", "{ \"allocator\": \"slab\", \"kernel\": \"6.12\" }\n"));
	free(helper_write_file(dir, "s61.json", "{ \"allocator\": \"slab\" }\n"));
	cr_assert(asprintf(&want, "kmemsim run: %s", line) > 0);
	for (int i = 0; i < 3; i++) {
		free(kms(dir, i == 0 ? flags : i == 1 ? file : set, 2, &err));
		cr_expect(eq(str, err, want), "case %d", i);
		free(err);
	}
	free(kms(dir, over, 0, NULL));
	expect_kernel(dir, "ok.db", "6.12");
	free(want);
	helper_rmtree(dir);
}

/* SLAB on 6.12 refused by every command that runs the models, naming that command (not the
 * run or replay it is built on), exit 2, nothing written.  A sweep runs the grid's other
 * points: the refused point's status is 2, its log the line naming sweep. */
Test(kernel, slab_on_6_12_names_the_command_run, .timeout = 60)
{
	static const char *const line =
		"allocator slab on kernel 6.12: SLAB was removed in Linux 6.8 (use slub, or kernel 6.1)\n";
	static const struct {
		const char *cmd;
		const char *argv[16];
		const char *out;	/* run, explore, replay: must not exist afterwards; sweep: its dir */
	} cases[] = {
		{ "run", { "kmemsim", "run", "s.json", "--db", "x.db", NULL }, "x.db" },
		{ "explore", { "kmemsim", "explore", "s.json", "--schedules", "2", "--db", "x.db", NULL }, "x.db" },
		{ "replay", { "kmemsim", "replay", "t.txt", "--kernel", "6.12", "--allocator", "slab", "--db", "x.db",
			      NULL }, "x.db" },
		{ "sweep", { "kmemsim", "sweep", "s61.json", "--vary", "kernel=6.1,6.12", SMALL, "--out", "sw1", NULL },
		  "sw1" },
		{ "sweep", { "kmemsim", "sweep", "s61.json", "--vary", "allocator=slub,slab", "--kernel", "6.12", SMALL,
			     "--out", "sw2", NULL }, "sw2" },
	};
	char *dir = helper_tmpdir();

	free(helper_write_file(dir, "s.json", "{ \"allocator\": \"slab\", \"kernel\": \"6.12\" }\n"));
	free(helper_write_file(dir, "s61.json", "{ \"allocator\": \"slab\" }\n"));
	free(helper_write_file(dir, "t.txt", "# tracer: nop\n"));
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		bool sweep = !strcmp(cases[i].cmd, "sweep");
		char *err = NULL, *want = NULL, *p = NULL, *log;

		free(kms(dir, cases[i].argv, sweep ? 1 : 2, &err));
		cr_assert(asprintf(&want, "kmemsim %s: %s", cases[i].cmd, line) > 0);
		if (!sweep) {
			cr_expect(eq(str, err, want), "case %zu", i);
			cr_assert(asprintf(&p, "%s/%s", dir, cases[i].out) > 0);
			cr_expect(access(p, F_OK) != 0, "case %zu left %s", i, cases[i].out);
		} else {	/* point 0 (6.1, or slub) ran; point 1 was refused */
			cr_assert(asprintf(&p, "%s/%s/point-000.db", dir, cases[i].out) > 0);
			cr_expect(eq(int, access(p, F_OK), 0), "case %zu: point 0 did not run", i);
			free(p);
			cr_assert(asprintf(&p, "%s/%s/point-001.log", dir, cases[i].out) > 0);
			log = helper_read_file(p);
			cr_expect(eq(str, log ? log : "", want), "case %zu", i);
			free(log);
		}
		free(p);
		free(want);
		free(err);
	}
	helper_rmtree(dir);
}

/* validate replays the capture: its refusal names validate, not replay (the shared 6.12 capture) */
Test(kernel, validate_names_itself_refusing_slab_on_a_6_12_capture, .timeout = 60)
{
	char *cap = helper_shared_trace("debian-6.12.118-4cpu-2node"), *dir = helper_tmpdir(), *err = NULL;
	const char *argv[] = { "kmemsim", "validate", cap, "--allocator", "slab", "--db", "v.db", NULL };

	free(kms(dir, argv, 2, &err));
	cr_expect(eq(str, err, "kmemsim validate: allocator slab on kernel 6.12: SLAB was removed in Linux 6.8"
		     " (use slub, or kernel 6.1)\n"));
	free(err);
	free(cap);
	helper_rmtree(dir);
}

/* A capture directory of two events, with `uname` and formats/kmalloc.format when not NULL. */
static char *fake_capture(const char *dir, const char *name, const char *uname, const char *format)
{
	static const char trace[] =
		"# tracer: nop\n#\n"
		"            init-1       [001] .....     7.308564: kmalloc: call_site=foo+0x21/0x90"
		" ptr=ffff88804dc244c0 bytes_req=100 bytes_alloc=128 gfp_flags=GFP_KERNEL node=-1 accounted=false\n"
		"            init-1       [001] .....     7.308566: kfree: call_site=foo+0x69/0x1d0 ptr=ffff88804dc244c0\n";
	char *cap = NULL, *sub = NULL;

	cr_assert(asprintf(&cap, "%s/%s", dir, name) > 0);
	cr_assert(eq(int, mkdir(cap, 0755), 0));
	free(helper_write_file(cap, "trace.txt", trace));
	if (uname)
		free(helper_write_file(cap, "uname", uname));
	if (format) {
		cr_assert(asprintf(&sub, "%s/formats", cap) > 0);
		cr_assert(eq(int, mkdir(sub, 0755), 0));
		free(helper_write_file(sub, "kmalloc.format", format));
		free(sub);
	}
	return cap;
}

/* Replay `input` (+ extra args) into db: its stderr's kernel line must be `line`; runs.kernel `want`. */
static void replay_says(const char *dir, const char *input, const char *extra, const char *db, const char *line,
			const char *want)
{
	const char *argv[] = { "kmemsim", "replay", input, "--db", db, extra, extra ? "6.1" : NULL, NULL };
	char *err = NULL, *out = kms(dir, argv, 0, &err);

	cr_expect(eq(str, err, (char *)line), "%s", input);
	expect_kernel(dir, db, want);
	free(out);
	free(err);
}

Test(kernel, a_replay_takes_the_capture_s_kernel_and_says_why, .timeout = 60)
{
	char *dir = helper_tmpdir();
	char *c612 = fake_capture(dir, "c612", "Linux (none) 6.12.118+deb12-amd64 #1 SMP PREEMPT_DYNAMIC Debian"
				  " 6.12.118-1~deb12u1 (2026-11-28) x86_64 GNU/Linux\n", NULL);
	char *c61 = fake_capture(dir, "c61", "Linux (none) 6.1.0-56-amd64 #1 SMP PREEMPT_DYNAMIC Debian 6.1.192-2"
				 " (2026-11-16) x86_64 GNU/Linux\n", NULL);
	char *c66 = fake_capture(dir, "c66", "Linux box 6.6.30 #1 SMP x86_64 GNU/Linux\n", NULL);
	char *none = fake_capture(dir, "none", NULL, NULL);
	/* 6.4 removed __GFP_ATOMIC: kmalloc's gfp table shows it or not (6.1's and 6.12's formats) */
	char *fnew = fake_capture(dir, "fnew", NULL, "name: kmalloc\nID: 626\nformat:\n\nprint fmt: \"gfp_flags=%s\","
				  " {( unsigned long)(( gfp_t)0x20u), \"__GFP_HIGH\"}\n");
	char *fold = fake_capture(dir, "fold", NULL, "name: kmalloc\nID: 552\nformat:\n\nprint fmt: \"gfp_flags=%s\","
				  " {( unsigned long)(( gfp_t)0x200u), \"__GFP_ATOMIC\"}\n");
	char *trace = NULL;

	cr_assert(asprintf(&trace, "%s/trace.txt", c612) > 0);
	replay_says(dir, c612, NULL, "a.db", "kmemsim: kernel 6.12 (from the capture's uname: 6.12.118+deb12-amd64)\n",
		    "6.12");
	replay_says(dir, c61, NULL, "b.db", "kmemsim: kernel 6.1 (from the capture's uname: 6.1.0-56-amd64)\n", "6.1");
	replay_says(dir, c66, NULL, "c.db", "kmemsim: kernel 6.1 (the nearest we model to the capture's uname:"
		    " 6.6.30)\n", "6.1");
	replay_says(dir, none, NULL, "d.db", "kmemsim: kernel 6.1 (the default: the capture has no uname or event"
		    " formats)\n", "6.1");
	replay_says(dir, fnew, NULL, "e.db", "kmemsim: kernel 6.12 (from the capture's event formats: kmalloc's gfp"
		    " table lacks __GFP_ATOMIC, which 6.4 removed)\n", "6.12");
	replay_says(dir, fold, NULL, "f.db", "kmemsim: kernel 6.1 (from the capture's event formats: kmalloc's gfp"
		    " table has __GFP_ATOMIC, which 6.4 removed)\n", "6.1");
	replay_says(dir, trace, NULL, "g.db", "kmemsim: kernel 6.1 (the default for a trace without its capture"
		    " directory; --kernel to choose)\n", "6.1");
	/* told: --kernel wins over the capture, which is still named */
	replay_says(dir, c612, "--kernel", "h.db", "kmemsim: kernel 6.1 (as told; the capture's uname says"
		    " 6.12.118+deb12-amd64)\n", "6.1");
	{	/* SLAB on the 6.12 capture: refused, by the command run */
		const char *argv[] = { "kmemsim", "replay", c612, "--allocator", "slab", "--db", "s.db", NULL };
		const char *sw[] = { "kmemsim", "sweep", c612, "--vary", "allocator=slub,slab", "--out", "sw",
				     "--quiet", NULL };
		char *err = NULL, *log = NULL, *path = NULL;

		free(kms(dir, argv, 2, &err));
		cr_expect(eq(str, err, "kmemsim replay: allocator slab on kernel 6.12: SLAB was removed in Linux 6.8"
			     " (use slub, or kernel 6.1)\n"));
		free(err);
		/* the capture's kernel is known to each point's replay only: that point fails, and says so */
		free(kms(dir, sw, 1, &err));
		free(err);
		cr_assert(asprintf(&path, "%s/sw/point-001.log", dir) > 0);
		log = helper_read_file(path);
		cr_expect(eq(str, log ? log : "", "kmemsim sweep: allocator slab on kernel 6.12: SLAB was removed in"
			     " Linux 6.8 (use slub, or kernel 6.1)\n"));
		free(log);
		free(path);
	}
	free(trace);
	free(c612);
	free(c61);
	free(c66);
	free(none);
	free(fnew);
	free(fold);
	helper_rmtree(dir);
}

Test(kernel, summary_and_diff_show_the_kernel, .timeout = 60)
{
	char *dir = helper_tmpdir(), *out;
	const char *a[] = { "kmemsim", "run", SMALL, "--db", "a.db", NULL };
	const char *b[] = { "kmemsim", "run", SMALL, "--kernel", "6.12", "--db", "b.db", NULL };
	const char *sum[] = { "kmemsim", "summary", "b.db", NULL };
	const char *csv[] = { "kmemsim", "summary", "b.db", "--format", "csv", NULL };
	const char *diff[] = { "kmemsim", "diff", "a.db", "b.db", NULL };
	const char *same[] = { "kmemsim", "diff", "a.db", "a.db", NULL };

	free(kms(dir, a, 0, NULL));
	free(kms(dir, b, 0, NULL));
	out = kms(dir, sum, 0, NULL);
	cr_expect(eq(int, strncmp(out, "kmemsim: scenario default, allocator slub, kernel 6.12, seed 1, ", 64), 0),
		  "%s", out);
	free(out);
	out = kms(dir, csv, 0, NULL);
	cr_expect(eq(int, strncmp(out, "scenario,allocator,kernel,seed,", 31), 0), "%s", out);
	cr_expect(not(eq(ptr, strstr(out, "\ndefault,slub,6.12,1,4,2,"), NULL)), "%s", out);
	free(out);
	out = kms(dir, diff, 0, NULL);
	cr_expect(eq(int, strncmp(out, "runs (they differ in kernel: A 6.1, B 6.12)\n", 44), 0), "%s", out);
	free(out);
	out = kms(dir, same, 0, NULL);
	cr_expect(eq(int, strncmp(out, "runs\n", 5), 0), "%s", out);
	free(out);
	helper_rmtree(dir);
}

Test(kernel, a_sweep_varies_the_kernel_and_its_merge_keeps_it, .timeout = 60)
{
	char *dir = helper_tmpdir(), *one, *merged;
	const char *sw[] = { "kmemsim", "sweep", "d.json", "--vary", "kernel=6.1,6.12", "--set",
			     "workload.streams[0].ops=150", "--out", "one", "--quiet", NULL };
	const char *s0[] = { "kmemsim", "sweep", "d.json", "--vary", "kernel=6.1,6.12", "--set",
			     "workload.streams[0].ops=150", "--out", "sh", "--shard", "0/2", "--quiet", NULL };
	const char *s1[] = { "kmemsim", "sweep", "d.json", "--vary", "kernel=6.1,6.12", "--set",
			     "workload.streams[0].ops=150", "--out", "sh", "--shard", "1/2", "--quiet", NULL };
	const char *m[] = { "kmemsim", "merge", "sh/merged.db", "sh/sweep-0-of-2.db", "sh/sweep-1-of-2.db", NULL };

	free(helper_write_file(dir, "d.json", "{}"));
	one = kms(dir, sw, 0, NULL);
	cr_expect(eq(int, strncmp(strchr(one, '\n') + 1, "point  kernel  status", 21), 0), "%s", one);
	cr_expect(not(eq(ptr, strstr(one, "\n    0  6.1   "), NULL)), "%s", one);
	cr_expect(not(eq(ptr, strstr(one, "\n    1  6.12  "), NULL)), "%s", one);
	expect_kernel(dir, "one/point-000.db", "6.1");
	expect_kernel(dir, "one/point-001.db", "6.12");
	free(kms(dir, s0, 0, NULL));
	free(kms(dir, s1, 0, NULL));
	merged = kms(dir, m, 0, NULL);
	cr_expect(eq(str, merged, one));
	expect_kernel(dir, "sh/point-001.db", "6.12");
	free(one);
	free(merged);
	helper_rmtree(dir);
}

/* The scenario hands its kernel to the models when it builds a machine; one without the key
 * leaves the models' (so a model test's `kernel_version = KERNEL_6_12` holds). */
Test(kernel, the_scenario_hands_the_version_to_the_models)
{
	struct sim_scenario sc;

	cr_assert(eq(int, sim_scenario_parse(&sc, "t.json", "{ \"kernel\": \"6.12\" }", stderr), 0));
	cr_assert(eq(int, sc.kernel, KERNEL_6_12));
	kernel_version = KERNEL_6_1;
	cr_assert(not(eq(ptr, sim_scenario_engine_create(&sc), NULL)));
	cr_assert(eq(int, kernel_version, KERNEL_6_12));
	sim_engine_destroy(sim);
	sim_scenario_free(&sc);

	sim_scenario_default(&sc);
	kernel_version = KERNEL_6_12;
	cr_assert(not(eq(ptr, sim_scenario_engine_create(&sc), NULL)));
	cr_assert(eq(int, kernel_version, KERNEL_6_12), "a scenario without the key keeps the models' kernel");
	cr_assert(eq(int, sim_scenario_kernel(&sc), KERNEL_6_12));
	sim_engine_destroy(sim);
	kernel_version = KERNEL_6_1;
}
