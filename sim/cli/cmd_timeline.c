/*
 * cmd_timeline.c - `kmemsim timeline DB -o FILE [options]`: the command line
 * of sim_timeline_write (sim/timeline/timeline.h); one row in cli.c's table.
 */
#include <stdint.h>

#include "cli.h"
#include "slabinfo.h"
#include "../engine/engine.h"
#include "../timeline/timeline.h"

int sim_cli_timeline(int argc, char **argv, FILE *out, FILE *err)
{
	struct sim_timeline_opts o = { .cpu = -1 };
	struct sim_slab_window w = { 0 };
	const char *pos[1], *from = NULL, *to = NULL;
	uint64_t cpu = 0, min_level = 0;
	bool cpu_set = false;
	int nr_pos, rc;
	const struct sim_cli_opt opts[] = {
		{ "-o", SIM_CLI_STRING, &o.out_path, NULL },
		{ "--from", SIM_CLI_STRING, &from, NULL },
		{ "--to", SIM_CLI_STRING, &to, NULL },
		{ "--cpu", SIM_CLI_U64, &cpu, &cpu_set },
		{ "--cache", SIM_CLI_STRING, &o.cache, NULL },
		{ "--min-level", SIM_CLI_U64, &min_level, NULL },
		{ "--quiet", SIM_CLI_FLAG, &o.quiet, NULL },
		{ NULL, 0, NULL, NULL },
	};

	rc = sim_cli_parse(argc, argv, opts, pos, 1, 1, &nr_pos, out, err);
	if (rc)
		return rc == 1 ? 0 : rc;
	o.db_path = pos[0];
	if (!o.out_path) {
		fprintf(err, "kmemsim timeline: -o FILE is required (the trace to write)\n");
		return SIM_EBADINPUT;
	}
	if (min_level > 5) {
		fprintf(err, "kmemsim timeline: --min-level: expected 0..5, got %llu\n", (unsigned long long)min_level);
		return SIM_EBADINPUT;
	}
	if (cpu_set && cpu > 4095) {
		fprintf(err, "kmemsim timeline: --cpu: %llu is out of range\n", (unsigned long long)cpu);
		return SIM_EBADINPUT;
	}
	rc = sim_cli_window(argv[0], o.db_path, from, to, &w, err);
	if (rc)
		return rc;
	o.from_set = w.from_set;
	o.from_ns = w.from_ns;
	o.to_set = w.to_set;
	o.to_ns = w.to_ns;
	o.cpu = cpu_set ? (int)cpu : -1;
	o.min_level = (int)min_level;
	return sim_timeline_write(&o, err);
}
