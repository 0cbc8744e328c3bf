/*
 * fuzz_db.c - libFuzzer harness: the database readers and printers
 * (sim/cli: buddyinfo, zoneinfo, slabinfo, slabstat, with and without a
 * window, and the replay's line:N lookup) on a database file that is the input.
 *
 * The first byte picks one command (its value modulo the number of
 * commands); the rest is written as a file under /dev/shm and the command
 * reads it, as `kmemsim` would.  A damaged or foreign database must be
 * refused (exit 2 or 1 with one line), never crash or leak; the file must
 * not be changed by the reader (its bytes are compared after the command)
 * and no -journal, -wal or -shm file may be left beside it.  Work per input
 * is bounded by its size (the seeds are databases of 8-20 KiB,
 * tests/fuzz/db_seeds.sh).
 *
 * SQLite is set up once per process: without its memory statistics (a
 * global mutex taken on every malloc), and with its memory from the arena
 * below instead of malloc (Debian's SQLite is built without lookaside, so a
 * schema is parsed with thousands of mallocs, each one of ASan's with a
 * stack trace and a quarantine).  The arena keeps what ASan would tell us
 * of SQLite's memory as our code uses it: a block is poisoned from its free
 * until the arena is emptied, and the arena must be empty after each input
 * (a statement or connection left open aborts, as a leak would).  The reads
 * are the same.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <sys/mman.h>
#include <unistd.h>

#include <sanitizer/asan_interface.h>
#include <sqlite3.h>

#include "sim/cli/cli.h"

static char db_path[64];
static FILE *devnull;

/* ------------------------------------------------------ SQLite's arena */

/* Reserved, not touched; a bigger input falls back to malloc.  The most one input used: 12.9 MB
 * on the seeds, 41.6 and 63.3 MB in 60 and 90 s of fuzzing (slabinfo --from line:2 --to 1ms). */
#define ARENA_SIZE ((size_t)64 << 20)
#define ARENA_HDR 16			/* the size: also the left red zone of the block */

static unsigned char *arena;
static size_t arena_used, arena_base;	/* bytes handed out; those of SQLite's own setup */
static long arena_live, arena_live_base;	/* blocks not yet freed */

static size_t arena_round(int n)
{
	return ((size_t)(n > 0 ? n : 1) + 15) & ~(size_t)15;
}

static bool arena_owns(const void *p)
{
	return (const unsigned char *)p >= arena && (const unsigned char *)p < arena + ARENA_SIZE;
}

__attribute__((no_sanitize("address")))
static void *arena_malloc(int n)
{
	size_t size = arena_round(n);
	unsigned char *p;

	if (n < 0)
		return NULL;
	if (ARENA_SIZE - arena_used < size + ARENA_HDR) {
		p = malloc(size + ARENA_HDR);		/* (ASan's own red zones) */
		if (!p)
			return NULL;
	} else {
		p = arena + arena_used;
		arena_used += size + ARENA_HDR;
	}
	*(size_t *)p = size;
	p += ARENA_HDR;
	/* all of it: SQLite may use the rounded size (sqlite3_msize) */
	__asan_unpoison_memory_region(p, size);
	arena_live++;
	return p;
}

__attribute__((no_sanitize("address")))
static int arena_size(void *p)
{
	return (int)*(size_t *)((unsigned char *)p - ARENA_HDR);
}

__attribute__((no_sanitize("address")))
static void arena_free(void *p)
{
	size_t size;

	if (!p)
		return;
	size = (size_t)arena_size(p);
	arena_live--;
	if (!arena_owns(p)) {
		free((unsigned char *)p - ARENA_HDR);
		return;
	}
	__asan_poison_memory_region(p, size);
	if (arena_live == arena_live_base && arena_used > arena_base) {
		/* all of an input's memory is back: reuse it (kept poisoned until handed out again) */
		__asan_poison_memory_region(arena + arena_base, arena_used - arena_base);
		arena_used = arena_base;
	}
}

__attribute__((no_sanitize("address")))
static void *arena_realloc(void *p, int n)
{
	size_t old = (size_t)arena_size(p), size = arena_round(n);
	unsigned char *q;

	if (n <= 0)
		return NULL;
	if (arena_owns(p) && (unsigned char *)p + old == arena + arena_used && size >= old &&
	    ARENA_SIZE - arena_used >= size - old) {
		/* the last block grows in place */
		arena_used += size - old;
		*(size_t *)((unsigned char *)p - ARENA_HDR) = size;
		__asan_unpoison_memory_region(p, size);
		return p;
	}
	q = arena_malloc(n);
	if (!q)
		return NULL;
	memcpy(q, p, old < size ? old : size);
	arena_free(p);
	return q;
}

static int arena_roundup(int n)
{
	return (int)arena_round(n);
}

static int arena_init(void *unused)
{
	(void)unused;
	return SQLITE_OK;
}

static void arena_shutdown(void *unused)
{
	(void)unused;
}

static const sqlite3_mem_methods arena_methods = {
	arena_malloc, arena_free, arena_realloc, arena_size, arena_roundup, arena_init, arena_shutdown, NULL
};

/* ------------------------------------------------------------ harness */

static void cleanup(void)
{
	unlink(db_path);
}

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	sqlite3 *db;

	(void)argc;
	(void)argv;
	arena = mmap(NULL, ARENA_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (arena == MAP_FAILED)
		abort();
	__asan_poison_memory_region(arena, ARENA_SIZE);
	/* before SQLite initializes: these are global settings */
	if (sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0) != SQLITE_OK ||
	    sqlite3_config(SQLITE_CONFIG_MALLOC, &arena_methods) != SQLITE_OK)
		abort();
	/* SQLite's own lasting setup, done by its first connection, is not an input's */
	if (sqlite3_open(":memory:", &db) != SQLITE_OK || sqlite3_exec(db, "SELECT 1", NULL, NULL, NULL) ||
	    sqlite3_close(db) != SQLITE_OK)
		abort();
	arena_base = arena_used;
	arena_live_base = arena_live;
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

/* The file at db_path is still the input's bytes, and alone. */
static void check_untouched(const uint8_t *data, size_t size)
{
	static const char *const sidecars[] = { "-journal", "-wal", "-shm" };
	static uint8_t *buf;
	static size_t buf_size;
	char path[80];
	int fd = open(db_path, O_RDONLY);
	ssize_t n;

	if (buf_size < size + 1) {
		free(buf);
		buf_size = size + 1;
		if (!(buf = malloc(buf_size)))
			abort();
	}
	if (fd < 0)
		abort();
	n = read(fd, buf, size + 1);	/* a file under /dev/shm: all of it at once */
	close(fd);
	if (n != (ssize_t)size || memcmp(buf, data, size)) {
		fprintf(stderr, "fuzz_db: a reader changed %s\n", db_path);
		abort();
	}
	for (size_t i = 0; i < sizeof(sidecars) / sizeof(sidecars[0]); i++) {
		snprintf(path, sizeof(path), "%s%s", db_path, sidecars[i]);
		if (!access(path, F_OK)) {
			fprintf(stderr, "fuzz_db: a reader left %s\n", path);
			abort();
		}
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const cmds[][8] = {
		{ "kmemsim", "buddyinfo", "@", NULL },
		{ "kmemsim", "zoneinfo", "@", NULL },
		{ "kmemsim", "slabinfo", "@", NULL },
		{ "kmemsim", "slabinfo", "@", "--from", "line:2", "--to", "1ms", NULL },
		{ "kmemsim", "slabstat", "@", "kmalloc-64", NULL },
		{ "kmemsim", "slabstat", "@", "kmalloc-64", "alloc_fastpath", "--to", "line:20", NULL },
	};
	int fd;

	if (size < 1)
		return 0;
	fd = open(db_path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	if (fd < 0 || write(fd, data + 1, size - 1) != (ssize_t)(size - 1) || close(fd))
		abort();
	run(cmds[data[0] % (sizeof(cmds) / sizeof(cmds[0]))]);
	if (arena_live != arena_live_base) {
		fprintf(stderr, "fuzz_db: %ld blocks of SQLite's memory still held after the command"
			" (a statement or connection left open)\n", arena_live - arena_live_base);
		abort();
	}
	check_untouched(data + 1, size - 1);
	return 0;
}
