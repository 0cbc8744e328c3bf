/*
 * test_set.c - `--set KEY=VALUE` overrides (sim/scenario/scenario_set.c): each lands in
 * its field over the default or a file, a path into an array the text lacks starts from
 * the default's, and bad overrides get the loader's own checks as `--set: key: what`
 * while errors in the file keep their file:line.
 */
#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sim/scenario/scenario.h"

/* Load `path` (NULL: default) with sets; what went to err in *msg (malloc'd). */
static int load_sets(struct sim_scenario *sc, const char *path, const char *const *sets, int nr, char **msg)
{
	size_t len = 0;
	FILE *err = open_memstream(msg, &len);
	int rc;

	cr_assert(not(eq(ptr, err, NULL)));
	rc = sim_scenario_load_set(sc, path, sets, nr, err);
	fclose(err);
	return rc;
}

static char *write_tmp(const char *text)
{
	char *path = strdup("/tmp/kmemsim-set-XXXXXX");
	int fd = mkstemp(path);

	cr_assert(fd >= 0);
	cr_assert(eq(int, (int)write(fd, text, strlen(text)), (int)strlen(text)));
	close(fd);
	return path;
}

Test(set, over_the_default)
{
	const char *sets[] = { "slub.min_objects=128", "buddy.percpu_pagelist_high_fraction=8",
			       "machine.nodes[1].cpus=4", "allocator=slab", "slab.tune[0].cache=filp",
			       "slab.tune[0].limit=60", "slab.tune[0].batchcount=30", "slab.tune[0].shared=0" };
	struct sim_scenario sc;
	char *msg = NULL;

	cr_assert(eq(int, load_sets(&sc, NULL, sets, 8, &msg), 0), "%s", msg);
	cr_assert(eq(str, msg, ""));
	cr_assert(eq(u32, sc.slub_min_objects, 128));
	cr_assert(eq(u32, sc.percpu_pagelist_high_fraction, 8));
	cr_assert(eq(int, sc.nr_nodes, 2));			/* the default's nodes, node 1 changed */
	cr_assert(eq(int, sc.node[0].nr_cpus, 2));
	cr_assert(eq(int, sc.node[1].nr_cpus, 4));
	cr_assert(eq(u64, sc.node[1].zone_mib[1], 1024));
	cr_assert(eq(int, (int)sc.allocator, (int)SIM_ALLOC_SLAB));
	cr_assert(eq(int, sc.nr_slab_tunes, 1));
	cr_assert(eq(str, sc.slab_tune[0].cache, "filp"));
	cr_assert(eq(int, sc.slab_tune[0].limit, 60));
	cr_assert(eq(str, sc.path, "(default)"));
	cr_assert(not(eq(ptr, strstr(sc.json, "\"min_objects\":\t128"), NULL)), "%s", sc.json);
	cr_assert(sim_scenario_has_key(&sc, "slub.min_objects"));
	cr_assert(not(sim_scenario_has_key(&sc, "workload")));
	sim_scenario_free(&sc);
	free(msg);
}

Test(set, over_a_file_last_wins)
{
	char *path = write_tmp("{\n  \"slub\": {\"min_order\": 1, \"min_objects\": 4},\n  \"seed\": 9\n}\n");
	const char *sets[] = { "slub.min_objects=16", "slub.max_order=2", "slub.min_objects=32" };
	struct sim_scenario sc;
	char *msg = NULL;

	cr_assert(eq(int, load_sets(&sc, path, sets, 3, &msg), 0), "%s", msg);
	cr_assert(eq(u32, sc.slub_min_order, 1));
	cr_assert(eq(u32, sc.slub_max_order, 2));
	cr_assert(eq(u32, sc.slub_min_objects, 32));
	cr_assert(eq(u64, sc.seed, 9));
	cr_assert(eq(str, sc.path, path));
	sim_scenario_free(&sc);
	free(msg);
	unlink(path);
	free(path);
}

/* The loader's checks on what --set wrote, named --set; the file's own errors keep file:line. */
Test(set, errors)
{
	static const struct { const char *set, *line; } cases[] = {
		{ "slub.min_objects=999999", "--set: slub.min_objects: expected an integer in 0..32767, got 999999\n" },
		{ "slub.min_objectz=1", "--set: slub.min_objectz: unknown key (known: min_order, max_order,"
		  " min_objects, freelist_random, freelist_hardened, cpu_partial, debug, tune)\n" },
		{ "machine.nodes[3].cpus=4",
		  "--set: machine.nodes[3].cpus: index 3 is past the end of machine.nodes (2 elements)\n" },
		{ "seed.x=1", "--set: seed: expected a non-negative integer (or a string \"0x...\" for 64 bits),"
		  " got an object\n" },
		{ "slub", "--set: expected KEY=VALUE (slub.min_objects=128), got \"slub\"\n" },
		{ "slub..x=1", "--set: slub..x: expected a key path (a.b, a.list[2].c)\n" },
		{ "allocator=slob", "--set: allocator: expected \"buddy\", \"slub\" or \"slab\", got \"slob\"\n" },
		{ "buddy.percpu_pagelist_high_fraction=4",
		  "--set: buddy.percpu_pagelist_high_fraction: expected 0 (the default sizes) or at least 8, got 4\n" },
	};
	char *path = write_tmp("{\n  \"seed\": 3,\n  \"slub\": {\"min_order\": 99}\n}\n");

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct sim_scenario sc;
		char *msg = NULL;
		const char *sets[] = { cases[i].set };

		cr_assert(eq(int, load_sets(&sc, NULL, sets, 1, &msg), SIM_EBADINPUT), "%s", cases[i].set);
		cr_assert(eq(str, msg, (char *)cases[i].line));
		cr_assert(eq(u32, sc.slub_min_objects, 0));	/* the defaults again */
		free(msg);
	}
	{
		struct sim_scenario sc;
		char *msg = NULL, *want = NULL;
		const char *sets[] = { "slub.max_order=2" };

		cr_assert(eq(int, load_sets(&sc, path, sets, 1, &msg), SIM_EBADINPUT));
		cr_assert(asprintf(&want, "%s:3: slub.min_order: expected an integer in 0..10, got 99\n", path) > 0);
		cr_assert(eq(str, msg, want));
		free(msg);
		free(want);
	}
	unlink(path);
	free(path);
}
