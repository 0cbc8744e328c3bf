/*
 * db_vmstat.c - the `vmstat` table: the model's /proc/vmstat at the end of a
 * run (models/buddy/vmstat.h, buddy_vmstat), one row per line in the kernel's
 * order.  Read back by `kmemsim vmstat DB` (sim/cli/cmd_vmstat.c).
 */
#include "db_int.h"
#include "../../models/buddy/buddy.h"

int sim_db_log_vmstat(struct sim_db *db)
{
	const char *names[NR_VMSTAT_LINES_MAX];
	uint64_t values[NR_VMSTAT_LINES_MAX];
	sqlite3_stmt *st = db_prepare(db, "INSERT INTO vmstat VALUES (?1, ?2, ?3)");
	int n = buddy_vmstat(names, values, NR_VMSTAT_LINES_MAX), rc = -1;

	if (!st)
		return -1;
	for (int i = 0; i < n && i < NR_VMSTAT_LINES_MAX; i++) {
		int b = sqlite3_bind_int(st, 1, i + 1);

		b |= sqlite3_bind_text(st, 2, names[i], -1, SQLITE_STATIC);
		b |= db_bind_u64(st, 3, values[i]);
		if (db_insert(db, st, "vmstat", b))
			goto fail;
	}
	rc = 0;
fail:
	sqlite3_finalize(st);
	return rc;
}
