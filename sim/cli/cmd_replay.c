/*
 * replay_cmd.c - `kmemsim replay TRACE [options]`: the command line of
 * sim_replay (sim/replay/replay.h); one row in sim/cli/cli.c's table.
 */
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "../replay/replay.h"
#include "../scenario/scenario.h"

#define REPLAY_DEFAULT_DB "kmemsim.db"

int sim_cli_replay(int argc, char **argv, FILE *out, FILE *err)
{
	struct sim_replay_opts o = { .db_path = REPLAY_DEFAULT_DB, .pages = SIM_REPLAY_PAGES_NON_SLAB };
	const char *pos[1], *allocator = NULL, *pages = NULL, *log = NULL;
	bool no_db = false;
	const char *kernel = NULL;
	struct sim_cli_list sets = { .n = 0 };
	int nr_pos, rc;
	const struct sim_cli_opt opts[] = {
		{ "--allocator", SIM_CLI_STRING, &allocator, &o.allocator_set },
		{ "--scenario", SIM_CLI_STRING, &o.scenario_path, NULL },
		{ "--set", SIM_CLI_LIST, &sets, NULL },
		{ "--kernel", SIM_CLI_STRING, &kernel, NULL },
		{ "--seed", SIM_CLI_U64, &o.seed, &o.seed_set },
		{ "--db", SIM_CLI_STRING, &o.db_path, NULL },
		{ "--no-db", SIM_CLI_FLAG, &no_db, NULL },
		{ "--pages", SIM_CLI_STRING, &pages, NULL },
		{ "--lenient", SIM_CLI_FLAG, &o.lenient, NULL },
		{ "--one-pass", SIM_CLI_FLAG, &o.one_pass, NULL },
		{ "--no-log", SIM_CLI_FLAG, &o.no_log, NULL },
		{ "--log", SIM_CLI_STRING, &log, NULL },
		{ "--capture-watermarks", SIM_CLI_FLAG, &o.capture_watermarks, NULL },
		{ "--no-pfn-placement", SIM_CLI_FLAG, &o.no_pfn_placement, NULL },
		{ "--no-boot-pages", SIM_CLI_FLAG, &o.no_boot_pages, NULL },
		{ "--quiet", SIM_CLI_FLAG, &o.quiet, NULL },
		{ NULL, 0, NULL, NULL },
	};

	rc = sim_cli_parse(argc, argv, opts, pos, 1, 1, &nr_pos, out, err);
	if (rc)
		return rc == 1 ? 0 : rc;
	o.trace = pos[0];
	if (sim_cli_kernel("replay", kernel, &sets, err))
		return SIM_EBADINPUT;
	o.sets = sets.v;
	o.nr_sets = sets.n;
	if ((allocator && sim_cli_allocator("replay", allocator, true, &o.allocator, err)) ||
	    sim_cli_log_mode("replay", log, &o.no_log, &o.log_aggregate, err))
		return SIM_EBADINPUT;
	if (pages && sim_replay_pages_parse(pages, &o.pages)) {
		fprintf(err, "kmemsim replay: --pages: expected all, non-slab or none, got \"%s\"\n", pages);
		return SIM_EBADINPUT;
	}
	if (no_db)
		o.db_path = NULL;
	if (o.db_path && sim_cli_output("replay", "--db", o.db_path, err))
		return SIM_EBADINPUT;
	return sim_replay(&o, out, err);
}
