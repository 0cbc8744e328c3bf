/*
 * fuzz_db.c - libFuzzer harness: the database readers and printers
 * (sim/cli: buddyinfo, zoneinfo, slabinfo, slabstat, with and without a
 * window, and the replay's line:N lookup) on a database file that is the input.
 *
 * The first byte says which commands run (bit i: cmds[i]); the rest is
 * written as a file under /dev/shm and each command reads it, as `kmemsim`
 * would.  A damaged or foreign database must be refused (exit 2 or 1 with
 * one line), never crash; the file must not be changed by a reader.  Work
 * per input is bounded by its size (the seeds are databases of 40-70 KiB,
 * tests/fuzz/db_seeds.sh).  SQLite is set up once per process without its
 * memory statistics (a global mutex taken on every malloc); the reads are
 * the same.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sqlite3.h>

#include "sim/cli/cli.h"

static char db_path[64];
static FILE *devnull;

static void cleanup(void)
{
	unlink(db_path);
}

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	/* before SQLite initializes: these are global settings */
	if (sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0) != SQLITE_OK)
		abort();
	snprintf(db_path, sizeof(db_path), "/dev/shm/kmemsim-fuzz-%d.db", (int)getpid());
	devnull = fopen("/dev/null", "w");
	atexit(cleanup);
	return 0;
}

static void run(const char *const *args)
{
	char *argv[8];
	int argc = 0, rc;

	while (args[argc] && argc < 7) {
		argv[argc] = (char *)(args[argc][0] == '@' ? db_path : args[argc]);
		argc++;
	}
	argv[argc] = NULL;
	rc = sim_cli_main(argc, argv, devnull, devnull);
	if (rc < 0 || rc > 2)
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const cmds[][8] = {
		{ "kmemsim", "buddyinfo", "@", NULL },
		{ "kmemsim", "zoneinfo", "@", NULL },
		{ "kmemsim", "slabinfo", "@", NULL },
		{ "kmemsim", "slabinfo", "@", "--from", "line:2", "--to", "1ms", NULL },
		{ "kmemsim", "slabstat", "@", "kmalloc-64", NULL },
		{ "kmemsim", "slabstat", "@", "kmalloc-64", "alloc_fastpath", "--to", "line:40", NULL },
	};
	FILE *f;

	if (size < 1)
		return 0;
	f = fopen(db_path, "wb");
	if (!f || fwrite(data + 1, 1, size - 1, f) != size - 1 || fclose(f))
		abort();
	/* First byte: which commands, so that each input runs one or two of them. */
	for (size_t i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++)
		if (data[0] & (1u << i))
			run(cmds[i]);
	return 0;
}
