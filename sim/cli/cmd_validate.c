/*
 * cmd_validate.c - `kmemsim validate CAPTURE_DIR [options]`: the command line
 * of sim_validate (sim/validate/validate.h); one row in cli.c's table.
 */
#include <string.h>

#include "cli.h"
#include "../scenario/scenario.h"
#include "../validate/validate.h"

int sim_cli_validate(int argc, char **argv, FILE *out, FILE *err)
{
	struct sim_validate_opts o = { 0 };
	const char *pos[1], *allocator = NULL, *format = NULL;
	const char *kernel = NULL, *log = NULL;
	bool no_log = false;
	struct sim_cli_list sets = { .n = 0 };
	int nr_pos, rc;
	const struct sim_cli_opt opts[] = {
		{ "--allocator", SIM_CLI_STRING, &allocator, &o.allocator_set },
		{ "--scenario", SIM_CLI_STRING, &o.scenario_path, NULL },
		{ "--set", SIM_CLI_LIST, &sets, NULL },
		{ "--kernel", SIM_CLI_STRING, &kernel, NULL },
		{ "--db", SIM_CLI_STRING, &o.db_path, NULL },
		{ "--format", SIM_CLI_STRING, &format, NULL },
		{ "--log", SIM_CLI_STRING, &log, NULL },
		{ NULL, 0, NULL, NULL },
	};

	rc = sim_cli_parse(argc, argv, opts, pos, 1, 1, &nr_pos, out, err);
	if (rc)
		return rc == 1 ? 0 : rc;
	o.capture = pos[0];
	if (sim_cli_kernel("validate", kernel, &sets, err))
		return SIM_EBADINPUT;
	o.sets = sets.v;
	o.nr_sets = sets.n;
	if (allocator && sim_cli_allocator("validate", allocator, true, &o.allocator, err))
		return SIM_EBADINPUT;
	if (format && strcmp(format, "table") && strcmp(format, "json")) {
		fprintf(err, "kmemsim validate: --format: expected table or json, got \"%s\"\n", format);
		return SIM_EBADINPUT;
	}
	o.json = format && !strcmp(format, "json");
	if (sim_cli_log_mode("validate", log, &no_log, &o.log_aggregate, err))
		return SIM_EBADINPUT;
	if (no_log) {	/* its windows need the operations, one way or the other */
		fprintf(err, "kmemsim validate: --log: expected ops or aggregate, got \"none\"\n");
		return SIM_EBADINPUT;
	}
	if (o.db_path && sim_cli_output("validate", "--db", o.db_path, err))
		return SIM_EBADINPUT;	/* an existing regular file is read, else written */
	return sim_validate(&o, NULL, out, err);
}
