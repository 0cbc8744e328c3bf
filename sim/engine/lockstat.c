/*
 * lockstat.c - the table behind sim/engine/lockstat.h: a growing array.
 */
#include <stdlib.h>
#include <string.h>

#include "lockstat.h"

static struct sim_lockstat *rows;
static int nr_rows, cap_rows;

uint32_t sim_lockstat_register(const char *name)
{
	if (nr_rows == cap_rows) {
		int cap = cap_rows ? cap_rows * 2 : 256;
		struct sim_lockstat *n = realloc(rows, (size_t)cap * sizeof(*n));

		if (!n)
			abort();	/* out of host memory: nothing sane to do */
		rows = n;
		cap_rows = cap;
	}
	memset(&rows[nr_rows], 0, sizeof(rows[0]));
	rows[nr_rows].cpu = rows[nr_rows].node = rows[nr_rows].zone = -1;
	rows[nr_rows].name = strdup(name ? name : "?");
	if (!rows[nr_rows].name)
		abort();
	return (uint32_t)nr_rows++;
}

struct sim_lockstat *sim_lockstat_at(uint32_t id)
{
	return (int)id < nr_rows ? &rows[id] : NULL;
}

void sim_lockstat_owner(uint32_t id, int cpu, int node, int zone, const char *cache)
{
	struct sim_lockstat *r = sim_lockstat_at(id);

	if (!r)
		return;
	r->cpu = cpu;
	r->node = node;
	r->zone = zone;
	free((void *)r->cache);
	r->cache = cache ? strdup(cache) : NULL;
}

int sim_lockstat_count(void)
{
	return nr_rows;
}

const struct sim_lockstat *sim_lockstat_get(int i)
{
	return i >= 0 && i < nr_rows ? &rows[i] : NULL;
}

void sim_lockstat_reset(void)
{
	for (int i = 0; i < nr_rows; i++) {
		free((void *)rows[i].name);
		free((void *)rows[i].cache);
	}
	free(rows);
	rows = NULL;
	nr_rows = cap_rows = 0;
}
