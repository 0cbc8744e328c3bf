/*
 * cmd_vmstat.c - `kmemsim vmstat DB`: a run's /proc/vmstat at its end, from
 * the database's `vmstat` table (sim/db/db_vmstat.c): `name value` per line,
 * in the order and with the names of the run's kernel's /proc/vmstat (Debian
 * 6.1.192: 173 lines; 6.12.118: 185; nr_unstable last).  docs/vmstat.md says which counters the model moves.
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "../db/db.h"
#include "../engine/engine.h"

struct vm_print {
	FILE *out;
	int nr_rows, nr_tables;
};

static int vm_row(void *arg, int ncol, char **v, char **names)
{
	struct vm_print *p = arg;

	(void)names;
	if (ncol == 2 && v[0]) {
		fprintf(p->out, "%s %s\n", v[0], v[1] ? v[1] : "0");
		p->nr_rows++;
	}
	return 0;
}

static int vm_has_table(void *arg, int ncol, char **v, char **names)
{
	struct vm_print *p = arg;

	(void)ncol, (void)v, (void)names;
	p->nr_tables++;
	return 0;
}

int sim_cli_vmstat(int argc, char **argv, FILE *out, FILE *err)
{
	const struct sim_cli_opt opts[] = { { NULL, 0, NULL, NULL } };
	struct vm_print p = { .out = out };
	const char *pos[1];
	struct sim_db *db;
	int nr_pos, rc = sim_cli_parse(argc, argv, opts, pos, 1, 1, &nr_pos, out, err);

	if (rc)
		return rc == 1 ? 0 : rc;
	if (sim_cli_db_readable("vmstat", pos[0], err))
		return SIM_EBADINPUT;
	if ((rc = sim_db_open_read(&db, pos[0], err)))
		return rc;
	if (sim_db_query(db, "SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'vmstat'",
			 vm_has_table, &p, err)) {
		rc = SIM_EFAIL;
	} else if (!p.nr_tables) {
		fprintf(err, "%s: vmstat: no such table (a database of an older kmemsim)\n", pos[0]);
		rc = SIM_EBADINPUT;
	} else if (sim_db_query(db, "SELECT name, value FROM vmstat ORDER BY line", vm_row, &p, err)) {
		rc = SIM_EFAIL;
	} else if (!p.nr_rows) {
		fprintf(err, "%s: vmstat: no rows: the run did not finish\n", pos[0]);
		rc = SIM_EFAIL;
	}
	sim_db_close(db, false, err);
	return rc;
}
