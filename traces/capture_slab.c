/*
 * capture_slab.c - the slab side of a capture: every /sys/kernel/slab
 * attribute (sys_kernel_slab.txt), the aliases SLUB's merging left
 * (sys_kernel_slab_ls-l.txt), and whether /proc/slabinfo shows SLAB or SLUB.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "array.h"
#include "capture_int.h"
#include "trace_int.h"
#include "../models/slab_common/slab_common.h"

static struct sim_capture_cache *cap_cache(struct sim_capture *c, const char *dir)
{
	struct sim_capture_cache *cc;

	for (int i = c->nr_caches - 1; i >= 0; i--)	/* attributes of a cache come together */
		if (!strcmp(c->cache[i].dir, dir))
			return &c->cache[i];
	if (!(cc = sim_array_grow((void **)&c->cache, c->nr_caches, sizeof(*cc))))
		return NULL;
	cc->dir = strdup(dir);
	if (!cc->dir)
		return NULL;
	c->nr_caches++;
	/* the flags a merged cache's id spells out (slub.c create_unique_id) */
	if (dir[0] == ':')
		for (const char *p = dir + 1; *p && *p != '-' && (*p < '0' || *p > '9'); p++)
			cc->flags |= *p == 'd' ? SLAB_CACHE_DMA : *p == 'D' ? SLAB_CACHE_DMA32 :
				     *p == 'a' ? SLAB_RECLAIM_ACCOUNT : *p == 'F' ? SLAB_CONSISTENCY_CHECKS :
				     *p == 'A' ? SLAB_ACCOUNT : 0;
	return cc;
}

/* sys_kernel_slab.txt: "CACHE ATTRIBUTE VALUE..." for every cache directory. */
int cap_read_slab(struct sim_capture *c, FILE *err)
{
	static const struct { const char *attr; unsigned int flag; } flag_attrs[] = {
		{ "hwcache_align", SLAB_HWCACHE_ALIGN }, { "reclaim_account", SLAB_RECLAIM_ACCOUNT },
		{ "cache_dma", SLAB_CACHE_DMA }, { "destroy_by_rcu", SLAB_TYPESAFE_BY_RCU },
		{ "poison", SLAB_POISON }, { "red_zone", SLAB_RED_ZONE }, { "store_user", SLAB_STORE_USER },
		{ "trace", SLAB_TRACE }, { "sanity_checks", SLAB_CONSISTENCY_CHECKS },
	};
	char line[CAP_LINE], *path;
	FILE *f = cap_open(c, "sys_kernel_slab.txt", true, &path);
	int ln = 0, rc = 0;

	if (!f)
		return 0;
	while (fgets(line, sizeof(line), f)) {
		char dir[128], attr[64];
		struct sim_capture_cache *cc;
		const char *val;
		uint64_t v = 0;
		int n;

		ln++;
		cap_chomp(line);
		if (sscanf(line, "%127s %63s %n", dir, attr, &n) != 2)
			continue;
		val = line + n;
		cc = cap_cache(c, dir);
		if (!cc) {
			rc = SIM_EFAIL;
			fprintf(err, "%s: out of memory\n", path);
			break;
		}
		if (!strcmp(attr, "ctor")) {
			cc->ctor = true;
			continue;
		}
		if (!cap_u64(val, &v) || v > UINT32_MAX)
			continue;	/* attributes with lists ("cpu_slabs 4 N0=2") read their first number */
		if (!strcmp(attr, "object_size"))
			cc->object_size = (unsigned int)v;
		else if (!strcmp(attr, "slab_size"))
			cc->size = (unsigned int)v;
		else if (!strcmp(attr, "align"))
			cc->align = (unsigned int)v;
		else if (!strcmp(attr, "order"))
			cc->order = (unsigned int)v;
		else if (!strcmp(attr, "objs_per_slab"))
			cc->objs_per_slab = (unsigned int)v;
		for (size_t i = 0; i < sizeof(flag_attrs) / sizeof(flag_attrs[0]); i++)
			if (!strcmp(attr, flag_attrs[i].attr) && v)
				cc->flags |= flag_attrs[i].flag;
	}
	fclose(f);
	free(path);
	return rc;
}

/* Append `name` to a cache's alias list. */
static int cap_add_alias(struct sim_capture_cache *cc, const char *name)
{
	char *s = NULL;

	if (asprintf(&s, "%s%s%s", cc->aliases ? cc->aliases : "", cc->aliases ? " " : "", name) < 0)
		return -1;
	free(cc->aliases);
	cc->aliases = s;
	return 0;
}

/* sys_kernel_slab_ls-l.txt: "... NAME -> :TARGET" symlinks of merged caches. */
int cap_read_links(struct sim_capture *c, FILE *err)
{
	char line[CAP_LINE], *path;
	FILE *f = cap_open(c, "sys_kernel_slab_ls-l.txt", false, &path);
	int rc = 0;

	if (!f)
		return 0;
	while (fgets(line, sizeof(line), f)) {
		char *arrow = strstr(cap_chomp(line), " -> "), *name, *target, **ln, **ld;

		if (line[0] != 'l' || !arrow)
			continue;
		*arrow = 0;
		name = strrchr(line, ' ');
		target = arrow + 4;
		if (!name || !*target)
			continue;
		name++;
		ln = realloc(c->link_name, (size_t)(c->nr_links + 1) * sizeof(*ln));
		if (ln)
			c->link_name = ln;
		ld = realloc(c->link_dir, (size_t)(c->nr_links + 1) * sizeof(*ld));
		if (ld)
			c->link_dir = ld;
		if (!ln || !ld) {
			rc = SIM_EFAIL;
			break;
		}
		if (strrchr(target, '/'))
			target = strrchr(target, '/') + 1;
		c->link_name[c->nr_links] = strdup(name);
		c->link_dir[c->nr_links] = strdup(target);
		if (!c->link_name[c->nr_links] || !c->link_dir[c->nr_links]) {
			free(c->link_name[c->nr_links]);
			free(c->link_dir[c->nr_links]);
			rc = SIM_EFAIL;
			break;
		}
		c->nr_links++;
	}
	fclose(f);
	if (rc == SIM_EFAIL)
		fprintf(err, "%s: out of memory\n", path);
	free(path);
	for (int i = 0; !rc && i < c->nr_links; i++)
		for (int j = 0; j < c->nr_caches; j++)
			if (!strcmp(c->cache[j].dir, c->link_dir[i]) && cap_add_alias(&c->cache[j], c->link_name[i]))
				rc = SIM_EFAIL;
	return rc;
}

/*
 * slabinfo: SLAB prints non-zero tunables (limit batchcount sharedfactor); SLUB prints zeros.
 * SLAB's header reads "slabinfo - version: 2.1 (statistics)" only when mm/slab.c has STATS,
 * which CONFIG_DEBUG_SLAB alone turns on (with DEBUG and FORCED_DEBUG).
 */
void cap_read_slabinfo(struct sim_capture *c)
{
	char line[CAP_LINE], *path;
	FILE *f = cap_open(c, "slabinfo", true, &path);

	if (!f)
		return;
	while (fgets(line, sizeof(line), f)) {
		const char *t = strstr(line, ": tunables");
		unsigned long limit;

		if (!strncmp(line, "slabinfo - version:", 19) && strstr(line, "(statistics)"))
			c->slab_statistics = true;
		if (line[0] == '#' || !strncmp(line, "slabinfo", 8) || !t)
			continue;
		if (sscanf(t, ": tunables %lu", &limit) == 1) {
			c->slab_tunables = limit > 0;
			break;
		}
	}
	fclose(f);
	free(path);
}

/* One line of a .config: "CONFIG_X=v", "# CONFIG_X is not set", another comment or blank. */
