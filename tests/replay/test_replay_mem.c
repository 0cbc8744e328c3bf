/*
 * test_replay_mem.c - a trace replayed from memory (sim_replay_opts.trace_text).
 *
 * Strategy: the same few lines replayed from a file and from memory under the
 * same name give the same database (helper_db_hash), compressed or not; text
 * that is no trace is refused from memory as from a file, with the name.  A
 * scenario loaded by the caller (sim_replay_opts.scenario) gives the database
 * of the replay that loads it from its file, SLUB and SLAB, and stays as it
 * was for the next replay.
 */
#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>

#include "../helpers.h"
#include "sim/replay/replay.h"
#include "sim/scenario/scenario.h"
#include "traces/trace.h"

#define L(us, ev, f) "            init-1       [001] .....     7.0000" us ": " ev ": " f "\n"
static const char text[] =
	L("10", "mm_page_alloc", "page=ffffea00013aac80 pfn=0x4eab2 order=0 migratetype=0 gfp_flags=GFP_KERNEL")
	L("11", "kmalloc", "call_site=f_alloc+0x10/0x40 ptr=ffff888000001000 bytes_req=64 bytes_alloc=64"
			   " gfp_flags=GFP_KERNEL node=-1 accounted=false")
	L("12", "kmem_cache_alloc", "call_site=vm_area_dup+0x21/0x90 ptr=ffff88804dc244c0 bytes_req=152"
				    " bytes_alloc=152 gfp_flags=GFP_KERNEL node=-1 accounted=true")
	L("13", "kfree", "call_site=f_free+0x8/0x20 ptr=ffff888000001000")
	L("14", "kmem_cache_free", "call_site=g_free+0x8/0x20 ptr=ffff88804dc244c0 name=vm_area_struct")
	L("15", "mm_page_free", "page=ffffea00013aac80 pfn=0x4eab2 order=0");

/* Replay o into dir/name (the status); err's text in *msg when msg. */
static int replay_into(struct sim_replay_opts *o, const char *db, char **msg)
{
	char *err = NULL;
	size_t ne = 0;
	FILE *fe = open_memstream(&err, &ne), *out = fopen("/dev/null", "w");
	int rc;

	cr_assert(not(eq(ptr, fe, NULL)));
	cr_assert(not(eq(ptr, out, NULL)));
	o->db_path = db;
	o->quiet = true;
	o->seed_set = true;
	o->seed = 3;
	rc = sim_replay(o, out, fe);
	fclose(fe);
	fclose(out);
	if (msg)
		*msg = err;
	else
		free(err);
	return rc;
}

/* The database of `bytes` replayed from a file named dir/t.trace and from memory, same name. */
static void same_database(const void *bytes, size_t len)
{
	char *dir = helper_tmpdir(), *path = NULL, *a = NULL, *b = NULL;
	struct sim_replay_stats sa = { 0 }, sb = { 0 };
	struct sim_replay_opts fo = { .stats = &sa }, mo = { .stats = &sb };
	FILE *f;

	cr_assert(not(eq(ptr, dir, NULL)));
	cr_assert(asprintf(&path, "%s/t.trace", dir) > 0);
	cr_assert(asprintf(&a, "%s/file.db", dir) > 0);
	cr_assert(asprintf(&b, "%s/mem.db", dir) > 0);
	f = fopen(path, "wb");
	cr_assert(not(eq(ptr, f, NULL)));
	cr_assert(eq(sz, fwrite(bytes, 1, len, f), len));
	cr_assert(eq(int, fclose(f), 0));
	fo.trace = path;
	mo.trace = path;		/* the name only: no file is read */
	mo.trace_text = bytes;
	mo.trace_len = len;
	cr_assert(eq(int, replay_into(&fo, a, NULL), 0));
	unlink(path);
	cr_assert(eq(int, replay_into(&mo, b, NULL), 0));
	cr_assert(eq(u64, sb.nr_events, 6));
	cr_assert(eq(u64, sb.nr_replayed, sa.nr_replayed));
	cr_assert(eq(u64, sb.nr_unmatched_free, 0));
	cr_assert(not(eq(u64, helper_db_hash(a), 0)));
	cr_assert(eq(u64, helper_db_hash(a), helper_db_hash(b)));
	unlink(a);
	unlink(b);
	rmdir(dir);
	free(dir);
	free(path);
	free(a);
	free(b);
}

Test(replay_mem, text_in_memory_replays_as_its_file)
{
	same_database(text, sizeof(text) - 1);
}

Test(replay_mem, gzip_in_memory_replays_as_its_file)
{
	uLongf len = compressBound(sizeof(text)) + 32;
	unsigned char *gz = malloc(len);
	z_stream z = { 0 };

	cr_assert(not(eq(ptr, gz, NULL)));
	cr_assert(eq(int, deflateInit2(&z, 6, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY), Z_OK));
	z.next_in = (unsigned char *)(uintptr_t)text;
	z.avail_in = sizeof(text) - 1;
	z.next_out = gz;
	z.avail_out = (uInt)len;
	cr_assert(eq(int, deflate(&z, Z_FINISH), Z_STREAM_END));
	deflateEnd(&z);
	same_database(gz, z.total_out);
	free(gz);
}

Test(replay_mem, no_trace_in_memory_is_refused_with_its_name)
{
	static const char junk[] = "PK\003\004 a zip, not a trace\n";
	struct sim_replay_opts o = { .trace = "mem.trace", .trace_text = junk, .trace_len = sizeof(junk) - 1 };
	char *dir = helper_tmpdir(), *db = NULL, *msg = NULL;

	cr_assert(not(eq(ptr, dir, NULL)));
	cr_assert(asprintf(&db, "%s/x.db", dir) > 0);
	cr_assert(eq(int, replay_into(&o, db, &msg), SIM_EBADINPUT));
	cr_assert(eq(int, strncmp(msg, "mem.trace:", 10), 0), "%s", msg);
	cr_assert(eq(int, access(db, F_OK), -1));	/* no database written */
	cr_log_info("%s", msg);
	free(msg);
	free(db);
	rmdir(dir);
	free(dir);
}

/* The scenario file with --set, loaded by the replay and loaded before: the same database. */
static void loaded_scenario_same_database(int allocator)
{
	static const char scen[] = "{ \"name\": \"small\", \"machine\": { \"nodes\": [ { \"cpus\": 2,"
				   " \"zones\": { \"dma32\": 16 } } ] } }\n";
	const char *sets[] = { "slub.min_objects=8", "slab.reaper=false" };
	char *dir = helper_tmpdir(), *path, *a = NULL, *b = NULL, *c = NULL, *msg = NULL;
	struct sim_scenario *sc = calloc(1, sizeof(*sc));
	struct sim_replay_opts fo = { .trace = "mem.trace", .trace_text = text, .trace_len = sizeof(text) - 1,
				      .sets = sets, .nr_sets = 2, .allocator_set = true, .allocator = allocator };
	struct sim_replay_opts lo = fo;
	char *json;

	cr_assert(not(eq(ptr, dir, NULL)));
	cr_assert(not(eq(ptr, sc, NULL)));
	path = helper_write_file(dir, "small.json", scen);
	cr_assert(asprintf(&a, "%s/file.db", dir) > 0);
	cr_assert(asprintf(&b, "%s/loaded.db", dir) > 0);
	cr_assert(asprintf(&c, "%s/again.db", dir) > 0);
	fo.scenario_path = path;
	lo.scenario_path = path;
	cr_assert(eq(int, sim_scenario_load_set(sc, path, sets, 2, stderr), 0));
	json = sim_scenario_to_json(sc);
	lo.scenario = sc;
	cr_assert(eq(int, replay_into(&fo, a, &msg), 0), "%s", msg);
	free(msg);
	unlink(path);			/* loaded: the file is not read again */
	cr_assert(eq(int, replay_into(&lo, b, &msg), 0), "%s", msg);
	free(msg);
	cr_assert(eq(int, replay_into(&lo, c, &msg), 0), "%s", msg);
	free(msg);
	cr_assert(not(eq(u64, helper_db_hash(a), 0)));
	cr_assert(eq(u64, helper_db_hash(b), helper_db_hash(a)));
	cr_assert(eq(u64, helper_db_hash(c), helper_db_hash(a)));
	msg = sim_scenario_to_json(sc);	/* the caller's scenario, as it was */
	cr_assert(eq(str, msg, json));
	cr_assert(eq(str, sc->name, "small"));
	free(msg);
	free(json);
	sim_scenario_free(sc);
	free(sc);
	free(path);
	free(a);
	free(b);
	free(c);
	helper_rmtree(dir);
}

Test(replay_mem, loaded_scenario_replays_as_its_file_slub)
{
	loaded_scenario_same_database(SIM_ALLOC_SLUB);
}

Test(replay_mem, loaded_scenario_replays_as_its_file_slab)
{
	loaded_scenario_same_database(SIM_ALLOC_SLAB);
}
