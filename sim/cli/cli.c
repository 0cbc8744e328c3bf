/*
 * cli.c - the kmemsim command line: subcommand table, option parser, and
 * the run / buddyinfo / zoneinfo subcommands.
 *
 * Main entry: sim_cli_main.  `kmemsim` alone runs the embedded default
 * scenario; `kmemsim --seed 7` (options first) is `kmemsim run --seed 7`.
 * Everything the user got wrong is one line on err, `kmemsim CMD: what`, and
 * SIM_EBADINPUT; nothing here exits: main() picks the exit status.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config.h"
#include "cli.h"
#include "../db/db.h"
#include "../engine/engine.h"
#include "../replay/replay.h"
#include "../explore/explore.h"
#include "procinfo.h"
#include "../run/run.h"
#include "../scenario/scenario.h"
#include "slabinfo.h"
#include "outfmt.h"

#define CLI_DEFAULT_DB "kmemsim.db"

struct cli_cmd {
	const char *name;
	const char *args;		/* usage after the name */
	const char *summary;		/* one line for --help */
	int (*fn)(int argc, char **argv, FILE *out, FILE *err);
};

/* Add a subcommand here (and declare its function in cli.h). */
static const struct cli_cmd cli_cmds[] = {
	{ "run", "[SCENARIO.json] [--set KEY=VALUE]... [--seed N] [--allocator slub|slab|buddy] [--kernel 6.1|6.12]"
	  " [--db FILE] [--schedule-out FILE]"
	  " [--schedule FILE] [--log ops|aggregate|none] [--no-log] [--quiet]",
	  "run a scenario (default: the embedded one) into a database", sim_cli_run },
	{ "replay", "TRACE|CAPTURE_DIR [--allocator slub|slab] [--kernel 6.1|6.12] [--scenario S.json] [--set KEY=VALUE]... [--seed N]"
	  " [--db FILE]"
	  " [--no-db] [--pages non-slab|all|none] [--lenient] [--one-pass] [--log ops|aggregate|none] [--no-log]"
	  " [--quiet]"
	  " [--capture-watermarks] [--no-pfn-placement] [--no-boot-pages]",
	  "replay a kernel kmem: trace (file, .xz/.gz, - for stdin, or capture directory) into a database",
	  sim_cli_replay },
	{ "validate", "CAPTURE_DIR [--allocator slub|slab] [--kernel 6.1|6.12] [--scenario S.json] [--set KEY=VALUE]... [--db FILE] [--log ops|aggregate]"
	  " [--format table|json]",
	  "replay a capture and compare it with the kernel's own counters between its snapshot marks",
	  sim_cli_validate },
	{ "summary", "DB [--format table|csv|json]", "print the summary a run printed at its end, from its database",
	  sim_cli_summary },
	{ "buddyinfo", "DB", "print a run's final /proc/buddyinfo", sim_cli_buddyinfo },
	{ "zoneinfo", "DB", "print a run's final /proc/zoneinfo (free pages, watermarks, pagesets)",
	  sim_cli_zoneinfo },
	{ "vmstat", "DB", "print a run's final /proc/vmstat (counters and events, the kernel's names and order)",
	  sim_cli_vmstat },
	{ "slabinfo", "DB [--from TIME|line:N|mark:TEXT] [--to TIME|line:N|mark:TEXT]",
	  "print a run's /proc/slabinfo (at the end, or at --to with counters of the window)",
	  sim_cli_slabinfo },
	{ "slabstat", "DB CACHE [STAT] [--from TIME|line:N|mark:TEXT] [--to TIME|line:N|mark:TEXT]"
	  " [--format table|csv|json]",
	  "print /sys/kernel/slab/CACHE/STAT of a SLUB run (every file without STAT)", sim_cli_slabstat },
	{ "callsites", "DB [--from TIME|line:N|mark:TEXT] [--to TIME|line:N|mark:TEXT]"
	  " [--sort allocs|bytes|frag|slow|live] [--top N] [--format table|csv|json]",
	  "a replay's object allocations per call site: bytes, fragmentation, L1..L5, live at the end",
	  sim_cli_callsites },
	{ "explore", "SCENARIO.json [--set KEY=VALUE]... [--kernel 6.1|6.12] [--strategy random|pct|pct-shared|split|exhaustive|delay] [--schedules N] [--depth D]"
	  " [--preemptions K] [--delays K] [--irq-every N] [--switch-every N] [--jobs J] [--shard i/N] [--all] [--check-every N] [--seed N] [--explore-seed N] [--db FILE]"
	  " [--schedule-out FILE] [--no-shrink] [--quiet]",
	  "run many schedules of a scenario against the invariants; shrink and print the first failure",
	  sim_cli_explore },
	{ "diff", "A.db B.db [--format table|csv|json] [--top N]",
	  "two runs side by side: caches and zones, the largest differences first", sim_cli_diff },
	{ "report", "DB [B.db] [-o report.html]",
	  "a self-contained HTML report of a run with charts (of two runs: their diff too; of a sweep's"
	  " directory or summary: its points compared)", sim_cli_report },
	{ "merge", "OUT.db IN.db... [--schedule-out FILE] [--format table|csv|json]",
	  "merge the shards of one exploration (explore --shard i/N --db) or the slices of one sweep", sim_cli_merge },
	{ "timeline", "DB -o FILE [--from TIME|line:N|mark:TEXT] [--to TIME|line:N|mark:TEXT] [--cpu N]"
	  " [--cache NAME] [--min-level N]"
	  " [--quiet]",
	  "write a run as a Perfetto trace: vCPU contexts, operations as slices, counters (docs/timeline.md)",
	  sim_cli_timeline },
	{ "story", "DB [--from STEP] [--to STEP] [--format text|html] [-o FILE] [--no-description]",
	  "a race run told step by step: lanes per CPU and context, the conflicting accesses (docs/story.md)",
	  sim_cli_story },
	{ "sweep", "SPEC.json | TARGET --vary KEY=V1,V2,... [--vary ...] [--set KEY=VALUE]... [--kernel 6.1|6.12]"
	  " [--scenario S.json]"
	  " [--jobs J] [--shard i/N] [--out DIR] [--format table|csv|json] [--quiet] [--no-log]",
	  "run a scenario or trace at every point of a grid of settings and compare the points", sim_cli_sweep },
};
#define CLI_NR_CMDS (sizeof(cli_cmds) / sizeof(cli_cmds[0]))

static const struct cli_cmd *cli_find(const char *name)
{
	for (size_t i = 0; i < CLI_NR_CMDS; i++)
		if (!strcmp(cli_cmds[i].name, name))
			return &cli_cmds[i];
	return NULL;
}

static void cli_help(FILE *out)
{
	fprintf(out, "usage: kmemsim [COMMAND] [ARGS]\n"
		"A deterministic simulator of the Linux 6.1 and 6.12 memory allocators.\n"
		"Without a command, runs the embedded default scenario (as `kmemsim run`).\n\n"
		"commands:\n");
	for (size_t i = 0; i < CLI_NR_CMDS; i++)
		fprintf(out, "  %-10s %s\n", cli_cmds[i].name, cli_cmds[i].summary);
	fprintf(out, "\n");
	for (size_t i = 0; i < CLI_NR_CMDS; i++)
		fprintf(out, "kmemsim %s %s\n", cli_cmds[i].name, cli_cmds[i].args);
	fprintf(out, "kmemsim --help | --version\n\n"
		"Exit status: 0 ok, 1 run-time failure or invariant violation, 2 bad input (docs/cli.md).\n");
}

/* ------------------------------------------------------------ option parser */

static int cli_parse_u64(const char *cmd, const char *opt, const char *s, uint64_t *v, FILE *err)
{
	char *end;

	errno = 0;
	if (*s && *s != '-' && *s != '+' && *s != ' ') {
		unsigned long long x = strtoull(s, &end, 0);

		if (!errno && !*end) {
			*v = x;
			return 0;
		}
	}
	fprintf(err, "kmemsim %s: %s: expected a non-negative integer, got \"%s\"\n", cmd, opt, s);
	return SIM_EBADINPUT;
}

/* --allocator of command `cmd`: slub or slab (slab_only), or buddy too; 0, or SIM_EBADINPUT after one line. */
int sim_cli_allocator(const char *cmd, const char *arg, bool slab_only, int *out, FILE *err)
{
	enum sim_allocator a;

	if (sim_allocator_parse(arg, &a) || (slab_only && a == SIM_ALLOC_BUDDY)) {
		fprintf(err, "kmemsim %s: --allocator: expected %s, got \"%s\"\n", cmd,
			slab_only ? "slub or slab" : "slub, slab or buddy", arg);
		return SIM_EBADINPUT;
	}
	*out = (int)a;
	return 0;
}
/* --kernel V of `cmd` (NULL: not given): checked, then the last of its --set list as kernel=V. */
int sim_cli_kernel(const char *cmd, const char *arg, struct sim_cli_list *sets, FILE *err)
{
	static char set[8][24];		/* "kernel=6.12", one per version (the list keeps pointers) */
	int v;

	if (!arg)
		return 0;
	if (sim_kernel_parse(arg, &v) || v >= 8) {
		fprintf(err, "kmemsim %s: --kernel: expected %s, got \"%s\"\n", cmd, sim_kernel_names(), arg);
		return SIM_EBADINPUT;
	}
	if (sets->n == SIM_CLI_MAX_LIST) {
		fprintf(err, "kmemsim %s: --set: at most %d of them with --kernel\n", cmd, SIM_CLI_MAX_LIST - 1);
		return SIM_EBADINPUT;
	}
	snprintf(set[v], sizeof(set[v]), "kernel=%s", sim_kernel_name(v));
	sets->v[sets->n++] = set[v];
	return 0;
}

/* --log of `cmd`: ops (a row per operation), aggregate (op_counts) or none (as --no-log). */
int sim_cli_log_mode(const char *cmd, const char *arg, bool *no_log, bool *aggregate, FILE *err)
{
	if (!arg || !strcmp(arg, "ops"))
		return 0;
	if (!strcmp(arg, "aggregate") || !strcmp(arg, "none")) {
		*(arg[0] == 'a' ? aggregate : no_log) = true;
		return 0;
	}
	fprintf(err, "kmemsim %s: --log: expected ops, aggregate or none, got \"%s\"\n", cmd, arg);
	return SIM_EBADINPUT;
}

int sim_cli_shard(const char *s, int *shard, int *nr)
{
	char *end;
	long i = strtol(s, &end, 10), n;

	if (end == s || *end != '/')
		return -1;
	s = end + 1;
	n = strtol(s, &end, 10);
	if (end == s || *end || n < 1 || n > 1000000 || i < 0 || i >= n)
		return -1;
	*shard = (int)i;
	*nr = (int)n;
	return 0;
}

int sim_cli_output(const char *cmd, const char *opt, const char *path, FILE *err)
{
	char where[64];

	snprintf(where, sizeof(where), "kmemsim %s: %s", cmd, opt);
	return sim_out_check(where, path, err) ? SIM_EBADINPUT : 0;
}

int sim_cli_parse(int argc, char **argv, const struct sim_cli_opt *opts, const char **pos,
		  int min_pos, int max_pos, int *nr_pos, FILE *out, FILE *err)
{
	const char *cmd = argv[0];
	const struct cli_cmd *c = cli_find(cmd);
	bool dashdash = false;

	*nr_pos = 0;
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i], *val = NULL, *eq;
		const struct sim_cli_opt *o;
		size_t len;

		if (dashdash || a[0] != '-' || !a[1]) {
			if (*nr_pos >= max_pos) {
				fprintf(err, "kmemsim %s: unexpected argument \"%s\"\n", cmd, a);
				return SIM_EBADINPUT;
			}
			pos[(*nr_pos)++] = a;
			continue;
		}
		if (!strcmp(a, "--")) {
			dashdash = true;
			continue;
		}
		if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
			if (c)
				fprintf(out, "usage: kmemsim %s %s\n%s\n", c->name, c->args, c->summary);
			return 1;
		}
		eq = strchr(a, '=');
		len = eq ? (size_t)(eq - a) : strlen(a);
		for (o = opts; o && o->name; o++)
			if (strlen(o->name) == len && !strncmp(o->name, a, len))
				break;
		if (!o || !o->name) {
			fprintf(err, "kmemsim %s: unknown option %.*s\n", cmd, (int)len, a);
			return SIM_EBADINPUT;
		}
		if (o->type == SIM_CLI_FLAG) {
			if (eq) {
				fprintf(err, "kmemsim %s: %s: takes no value\n", cmd, o->name);
				return SIM_EBADINPUT;
			}
			*(bool *)o->dest = true;
		} else {
			if (eq)
				val = eq + 1;
			else if (i + 1 < argc)
				val = argv[++i];
			if (!val || !*val) {
				fprintf(err, "kmemsim %s: %s: missing value\n", cmd, o->name);
				return SIM_EBADINPUT;
			}
			if (o->type == SIM_CLI_STRING) {
				*(const char **)o->dest = val;
			} else if (o->type == SIM_CLI_LIST) {
				struct sim_cli_list *l = o->dest;

				if (l->n == SIM_CLI_MAX_LIST) {
					fprintf(err, "kmemsim %s: %s: at most %d of them\n", cmd, o->name, SIM_CLI_MAX_LIST);
					return SIM_EBADINPUT;
				}
				l->v[l->n++] = val;
			} else if (cli_parse_u64(cmd, o->name, val, o->dest, err)) {
				return SIM_EBADINPUT;
			}
		}
		if (o->seen)
			*o->seen = true;
	}
	if (*nr_pos < min_pos) {
		fprintf(err, "kmemsim %s: missing argument%s%s\n", cmd, c ? " " : "", c ? c->args : "");
		return SIM_EBADINPUT;
	}
	return 0;
}

/* -------------------------------------------------------------- commands */

int sim_cli_run(int argc, char **argv, FILE *out, FILE *err)
{
	struct sim_run_opts o = { .db_path = CLI_DEFAULT_DB };
	const char *pos[1], *allocator = NULL, *log = NULL, *kernel = NULL;
	struct sim_cli_list sets = { .n = 0 };
	int nr_pos, rc;
	const struct sim_cli_opt opts[] = {
		{ "--seed", SIM_CLI_U64, &o.seed, &o.seed_set },
		{ "--set", SIM_CLI_LIST, &sets, NULL },
		{ "--allocator", SIM_CLI_STRING, &allocator, &o.allocator_set },
		{ "--kernel", SIM_CLI_STRING, &kernel, NULL },
		{ "--db", SIM_CLI_STRING, &o.db_path, NULL },
		{ "--schedule-out", SIM_CLI_STRING, &o.schedule_out, NULL },
		{ "--schedule", SIM_CLI_STRING, &o.schedule_in, NULL },
		{ "--no-log", SIM_CLI_FLAG, &o.no_log, NULL },
		{ "--log", SIM_CLI_STRING, &log, NULL },
		{ "--quiet", SIM_CLI_FLAG, &o.quiet, NULL },
		{ NULL, 0, NULL, NULL },
	};

	rc = sim_cli_parse(argc, argv, opts, pos, 0, 1, &nr_pos, out, err);
	if (rc)
		return rc == 1 ? 0 : rc;
	if (nr_pos)
		o.scenario_path = pos[0];
	if (sim_cli_kernel("run", kernel, &sets, err))
		return SIM_EBADINPUT;
	o.sets = sets.v;
	o.nr_sets = sets.n;
	if ((allocator && sim_cli_allocator("run", allocator, false, &o.allocator, err)) ||
	    sim_cli_log_mode("run", log, &o.no_log, &o.log_aggregate, err))
		return SIM_EBADINPUT;
	if (sim_cli_output("run", "--db", o.db_path, err) ||
	    (o.schedule_out && sim_cli_output("run", "--schedule-out", o.schedule_out, err)))
		return SIM_EBADINPUT;
	if (o.schedule_in && access(o.schedule_in, R_OK)) {
		fprintf(err, "kmemsim run: --schedule: %s: %s\n", o.schedule_in, strerror(errno));
		return SIM_EBADINPUT;
	}
	return sim_run(&o, out, err);
}

/* A report command's DB argument must be a readable file. */
int sim_cli_db_readable(const char *cmd, const char *db, FILE *err)
{
	if (access(db, R_OK)) {
		fprintf(err, "kmemsim %s: %s: %s\n", cmd, db, strerror(errno));
		return SIM_EBADINPUT;
	}
	return 0;
}

/* A report command of one DB argument, printed by `report`. */
static int cli_db_report(int argc, char **argv, int (*report)(const char *db, FILE *out, FILE *err),
			 FILE *out, FILE *err)
{
	const char *db;
	int nr_pos, rc = sim_cli_parse(argc, argv, NULL, &db, 1, 1, &nr_pos, out, err);

	if (rc)
		return rc == 1 ? 0 : rc;
	if (sim_cli_db_readable(argv[0], db, err))
		return SIM_EBADINPUT;
	return report(db, out, err);
}

int sim_cli_buddyinfo(int argc, char **argv, FILE *out, FILE *err)
{
	return cli_db_report(argc, argv, sim_procinfo_buddyinfo, out, err);
}

int sim_cli_zoneinfo(int argc, char **argv, FILE *out, FILE *err)
{
	return cli_db_report(argc, argv, sim_procinfo_zoneinfo, out, err);
}

/* A simulated time: an integer with an optional unit, ns (the default), us, ms or s. */
static int cli_parse_time(const char *cmd, const char *opt, const char *s, uint64_t *ns, FILE *err)
{
	static const struct { const char *unit; uint64_t mul; } units[] = {
		{ "", 1 }, { "ns", 1 }, { "us", 1000 }, { "ms", 1000000 }, { "s", 1000000000 },
	};
	char *end;
	unsigned long long x;

	errno = 0;
	x = strtoull(s, &end, 10);
	if (s[0] >= '0' && s[0] <= '9' && !errno) {
		for (size_t i = 0; i < sizeof(units) / sizeof(units[0]); i++)
			if (!strcmp(end, units[i].unit) && x <= UINT64_MAX / units[i].mul) {
				*ns = x * units[i].mul;
				return 0;
			}
	}
	fprintf(err, "kmemsim %s: %s: expected a simulated time (an integer, ns or with a unit: 1500us, 3ms, 1s),"
		" got \"%s\"\n", cmd, opt, s);
	return SIM_EBADINPUT;
}

/*
 * A point of a run: a simulated time; `line:N`, trace line N of a replay (the
 * simulated time at which the first replayed event at or after it began); or
 * `mark:TEXT`, the simulated time of the trace's first tracing_mark_write line
 * with that text (else the one mark text containing it).
 */
int sim_cli_point(const char *cmd, const char *opt, const char *s, const char *db_path,
		  struct sim_db **db, uint64_t *ns, FILE *err)
{
	char *end, where[96];
	long long line = 0;
	bool mark = !strncmp(s, "mark:", 5);
	int rc;

	if (!mark && strncmp(s, "line:", 5))
		return cli_parse_time(cmd, opt, s, ns, err);
	if (!mark) {
		errno = 0;
		line = strtoll(s + 5, &end, 10);
		if (s[5] < '0' || s[5] > '9' || *end || errno || line < 1) {
			fprintf(err, "kmemsim %s: %s: expected line:N with a trace line number N >= 1, got \"%s\"\n",
				cmd, opt, s);
			return SIM_EBADINPUT;
		}
	} else if (!s[5]) {
		fprintf(err, "kmemsim %s: %s: expected mark:TEXT with the text of a trace mark, got \"%s\"\n",
			cmd, opt, s);
		return SIM_EBADINPUT;
	}
	if (!*db) {
		rc = sim_db_open_read(db, db_path, err);	/* 1 out of memory, 2 not a database */
		if (rc)
			return rc;
	}
	snprintf(where, sizeof(where), "kmemsim %s: %s", cmd, opt);
	return mark ? sim_replay_mark_ns(*db, db_path, s + 5, where, ns, err)
		    : sim_replay_line_ns(*db, line, ns, err);
}

int sim_cli_window(const char *cmd, const char *db_path, const char *from, const char *to,
		   struct sim_slab_window *w, FILE *err)
{
	struct sim_db *db = NULL;	/* opened once, by the first line: or mark: point */
	int rc = 0;

	if (sim_cli_db_readable(cmd, db_path, err))
		return SIM_EBADINPUT;
	w->from_set = from != NULL;
	w->to_set = to != NULL;
	if (from)
		rc = sim_cli_point(cmd, "--from", from, db_path, &db, &w->from_ns, err);
	if (!rc && to)
		rc = sim_cli_point(cmd, "--to", to, db_path, &db, &w->to_ns, err);
	sim_db_close(db, true, err);
	if (rc)
		return rc;
	if (from && to && w->to_ns < w->from_ns) {
		fprintf(err, "kmemsim %s: --to %s is before --from %s\n", cmd, to, from);
		return SIM_EBADINPUT;
	}
	return 0;
}

int sim_cli_window_args(int argc, char **argv, const struct sim_cli_opt *extra, const char **pos,
			int min_pos, int max_pos, int *nr_pos, struct sim_slab_window *w, FILE *out, FILE *err)
{
	const char *from = NULL, *to = NULL;
	struct sim_cli_opt opts[16] = {
		{ "--from", SIM_CLI_STRING, &from, &w->from_set },
		{ "--to", SIM_CLI_STRING, &to, &w->to_set },
	};
	int n = 2, rc;

	for (; extra && extra->name && n < 15; extra++)
		opts[n++] = *extra;
	rc = sim_cli_parse(argc, argv, opts, pos, min_pos, max_pos, nr_pos, out, err);
	if (rc)
		return rc == 1 ? SIM_CLI_HELP : rc;
	return sim_cli_window(argv[0], pos[0], from, to, w, err);
}

/* slabinfo DB, or slabstat DB CACHE [STAT]: the same window options, their own printer. */
static int cli_slab_report(int argc, char **argv, bool stat, FILE *out, FILE *err)
{
	struct sim_slab_window w = { 0 };
	const char *pos[3], *format = NULL;
	const struct sim_cli_opt fmt_opt[] = {
		{ "--format", SIM_CLI_STRING, &format, NULL },
		{ NULL, 0, NULL, NULL },
	};
	enum out_format f = OUT_TABLE;
	int nr_pos, rc = sim_cli_window_args(argc, argv, stat ? fmt_opt : NULL, pos, stat ? 2 : 1,
					     stat ? 3 : 1, &nr_pos, &w, out, err);

	if (rc)
		return rc == SIM_CLI_HELP ? 0 : rc;
	if (format && out_format_parse(format, &f)) {
		fprintf(err, "kmemsim %s: --format: expected table, csv or json, got \"%s\"\n", argv[0], format);
		return SIM_EBADINPUT;
	}
	if (!stat)
		return sim_slabinfo_print(pos[0], &w, out, err);
	if (format)
		return sim_slabstat_format(pos[0], pos[1], nr_pos > 2 ? pos[2] : NULL, &w, (int)f, out, err);
	return sim_slabstat_print(pos[0], pos[1], nr_pos > 2 ? pos[2] : NULL, &w, out, err);
}

int sim_cli_slabinfo(int argc, char **argv, FILE *out, FILE *err)
{
	return cli_slab_report(argc, argv, false, out, err);
}

int sim_cli_slabstat(int argc, char **argv, FILE *out, FILE *err)
{
	return cli_slab_report(argc, argv, true, out, err);
}

/* ------------------------------------------------------------- dispatcher */

int sim_cli_main(int argc, char **argv, FILE *out, FILE *err)
{
	static char run_name[] = "run";
	const struct cli_cmd *c;

	if (argc < 2) {
		char *args[] = { run_name, NULL };

		return sim_cli_run(1, args, out, err);
	}
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") || !strcmp(argv[1], "help")) {
		cli_help(out);
		return 0;
	}
	if (!strcmp(argv[1], "--version") || !strcmp(argv[1], "-V")) {
		fprintf(out, "kmemsim %s\n", KMEMSIM_VERSION);
		return 0;
	}
	if (argv[1][0] == '-') {
		/* Options without a command: they are run's.  argv[0] becomes "run". */
		argv[0] = run_name;
		return sim_cli_run(argc, argv, out, err);
	}
	c = cli_find(argv[1]);
	if (!c) {
		fprintf(err, "kmemsim: unknown command \"%s\" (kmemsim --help lists them)\n", argv[1]);
		return SIM_EBADINPUT;
	}
	return c->fn(argc - 1, argv + 1, out, err);
}
