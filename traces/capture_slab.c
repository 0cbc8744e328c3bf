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
	/* the attributes read, and the largest value a kernel shows: sizes and alignment within
	 * an order-10 slab (calculate_order: order <= MAX_ORDER - 1), 4 MiB of 8-byte objects */
	static const struct { const char *attr; unsigned int max; } num_attrs[] = {
		{ "object_size", 4u << 20 }, { "slab_size", 4u << 20 }, { "align", 4u << 20 }, { "order", 10 },
		{ "objs_per_slab", 1u << 19 },
	};
	FILE *f = cap_open(c, "sys_kernel_slab.txt", true, &path, err);
	int ln = 0, rc = 0, got;

	if (!f)
		return cap_absent(path);
	while ((got = cap_line(f, line, sizeof(line), path, &ln, err)) > 0) {
		char dir[128], attr[64];
		struct sim_capture_cache *cc;
		const char *val;
		uint64_t v = 0;
		int n;

		if (!line[strspn(line, " \t")])
			continue;
		if (sscanf(line, "%127s %63s %n", dir, attr, &n) != 2) {
			rc = cap_bad(err, path, ln, "expected \"CACHE ATTRIBUTE VALUE\"");
			break;
		}
		val = line + n;
		for (size_t i = 0; i < sizeof(num_attrs) / sizeof(num_attrs[0]); i++)
			if (!strcmp(attr, num_attrs[i].attr) && (!cap_u64(val, &v) || v > num_attrs[i].max)) {
				char msg[128];

				snprintf(msg, sizeof(msg), "%s: expected a number from 0 to %u", attr, num_attrs[i].max);
				rc = cap_bad(err, path, ln, msg);
			}
		if (rc)
			break;
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
	if (got < 0)
		rc = -got;
	else if (!rc && !c->nr_caches)
		rc = cap_empty(err, path, "\"CACHE ATTRIBUTE VALUE\" lines");
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
	FILE *f = cap_open(c, "sys_kernel_slab_ls-l.txt", false, &path, err);
	int rc = 0, nr = 0, lno = 0, got;

	if (!f)
		return cap_absent(path);
	while ((got = cap_line(f, line, sizeof(line), path, &lno, err)) > 0) {
		char *arrow = strstr(line, " -> "), *name, *target, **ln, **ld;

		if (!line[strspn(line, " \t")])
			continue;
		nr++;
		if (!strncmp(line, "ls: ", 4) || !strncmp(line, "total ", 6))
			continue;	/* `ls` of a kernel without /sys/kernel/slab (SLAB), the block count */
		if (strlen(line) < 11 || !strchr("-dlcbps", line[0]) ||
		    strspn(line + 1, "-rwxsStT") < 9) {
			rc = cap_bad(err, path, lno, "expected a line of `ls -l` (\"lrwxrwxrwx ... NAME -> TARGET\")");
			break;
		}
		if (line[0] != 'l')
			continue;
		if (!arrow) {
			rc = cap_bad(err, path, lno, "expected \"NAME -> TARGET\" on a symlink's line");
			break;
		}
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
	if (got < 0)
		rc = -got;
	else if (!rc && !nr)
		rc = cap_empty(err, path, "the lines of `ls -l /sys/kernel/slab`");
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
int cap_read_slabinfo(struct sim_capture *c, FILE *err)
{
	char line[CAP_LINE], *path;
	FILE *f = cap_open(c, "slabinfo", true, &path, err);
	int ln = 0, rc = 0, got;
	bool header = false, first = true;

	if (!f)
		return cap_absent(path);
	while ((got = cap_line(f, line, sizeof(line), path, &ln, err)) > 0) {
		unsigned long u[12];
		char name[128];

		if (!header) {
			if (strncmp(line, "slabinfo - version: ", 20)) {
				rc = cap_bad(err, path, ln, "expected \"slabinfo - version: 2.1\" first");
				break;
			}
			header = true;
			c->slab_statistics = strstr(line, "(statistics)") != NULL;
			continue;
		}
		if (line[0] == '#' || !line[strspn(line, " \t")])
			continue;
		if (sscanf(line, "%127s %lu %lu %lu %lu %lu : tunables %lu %lu %lu : slabdata %lu %lu %lu",
			   name, &u[0], &u[1], &u[2], &u[3], &u[4], &u[5], &u[6], &u[7], &u[8], &u[9], &u[10]) != 12 ||
		    strchr(strstr(line, name) + strlen(name), '-')) {	/* %lu takes "-1" */
			rc = cap_bad(err, path, ln, "expected \"NAME N N N N N : tunables N N N : slabdata N N N\"");
			break;
		}
		if (first) {			/* the first cache's limit */
			first = false;
			c->slab_tunables = u[5] > 0;
		}
	}
	if (got < 0)
		rc = -got;
	else if (!rc && !header)
		rc = cap_empty(err, path, "\"slabinfo - version: 2.1\"");
	fclose(f);
	free(path);
	return rc;
}

/* One line of a .config: "CONFIG_X=v", "# CONFIG_X is not set", another comment or blank. */
