/*
 * slab_common.c - the layer SLUB and SLAB share (Linux 6.1.192
 * mm/slab_common.c, include/linux/slab.h): the cache registry, cache
 * creation with merging, the kmalloc cache table and its size index.  The
 * entry points (kmalloc / kfree, kmem_cache_alloc / kmem_cache_free and
 * their bulk forms) are in entry.c.
 *
 * Everything allocator-specific goes through struct slab_allocator, chosen
 * by the scenario at slab_common_init.
 *
 * Locks: the kernel's slab_mutex serialises cache creation; creation runs
 * at boot or from the run driver between operations, so it is not modelled.
 */
#include <stdlib.h>
#include <string.h>

#include "slab_common_int.h"
#include "../buddy/buddy.h"
#include "../../sim/engine/engine.h"

#define cache_line_size()	64u

struct kmem_cache *kmalloc_caches[NR_KMALLOC_TYPES][KMALLOC_SHIFT_HIGH + 1];
bool slab_nomerge;
void (*slab_cache_created)(struct kmem_cache *s, const char *name);
bool slab_memcg_kmem = true;
bool slab_zone_dma = true;
bool slab_hardened_usercopy = true;
bool slab_buckets = true;
kmem_buckets *user_buckets;
kmem_buckets *msg_buckets;
void (*slab_event_sink)(int cache, uint64_t slab_addr, int event, int node);
void (*slab_stat_sink)(int cache, int item, int cpu);

static const struct slab_allocator *current_allocator;

/* ------------------------------------------------------------------ */
/* Registry: ids in creation order, a pointer -> id hash, alias names   */


struct slab_alias_entry {
	char *name;
	int id;
};

static struct slab_reg_entry *reg;
static int nr_reg, reg_cap;
static int *reg_hash;			/* open addressing on the pointer; -1 = empty */
static unsigned int reg_hash_cap;	/* power of two, > 2 * nr_reg */
static struct slab_alias_entry *aliases;
static int nr_aliases, aliases_cap;
/* Names (caches' and aliases') -> id, open addressing on an FNV-1a hash. */
struct slab_name_entry {
	const char *name;		/* the allocator's string, or an alias's copy */
	int id;				/* -1 = empty slot */
};
static struct slab_name_entry *names;
static unsigned int names_cap, nr_names;	/* power of two, > 2 * nr_names */

static unsigned int name_slot(const char *name)
{
	uint32_t h = 2166136261u;

	for (; *name; name++)
		h = (h ^ (uint8_t)*name) * 16777619u;
	return h & (names_cap - 1);
}

static void name_put(const char *name, int id)
{
	unsigned int j = name_slot(name);

	while (names[j].id >= 0) {
		if (!strcmp(names[j].name, name))
			return;		/* duplicate names: the first one wins */
		j = (j + 1) & (names_cap - 1);
	}
	names[j].name = name;
	names[j].id = id;
	nr_names++;
}

/* Remember `name` for cache `id`; 0 or -1 (out of host memory). */
static int name_add(const char *name, int id)
{
	if ((nr_names + 1) * 2 >= names_cap) {
		unsigned int cap = names_cap ? names_cap * 2 : 512, old_cap = names_cap;
		struct slab_name_entry *old = names, *tab = malloc(cap * sizeof(*tab));

		if (!tab)
			return -1;
		for (unsigned int i = 0; i < cap; i++)
			tab[i].id = -1;
		names = tab;
		names_cap = cap;
		nr_names = 0;
		for (unsigned int i = 0; i < old_cap; i++)
			if (old[i].id >= 0)
				name_put(old[i].name, old[i].id);
		free(old);
	}
	name_put(name, id);
	return 0;
}

static unsigned int reg_hash_slot(const struct kmem_cache *s)
{
	uint64_t h = (uint64_t)(uintptr_t)s * 0x9e3779b97f4a7c15ULL;

	return (unsigned int)(h >> 32) & (reg_hash_cap - 1);
}

static int reg_hash_grow(void)
{
	unsigned int cap = reg_hash_cap ? reg_hash_cap * 2 : 256;
	int *h = malloc(cap * sizeof(*h));

	if (!h)
		return -1;
	free(reg_hash);
	reg_hash = h;
	reg_hash_cap = cap;
	for (unsigned int i = 0; i < cap; i++)
		reg_hash[i] = -1;
	for (int id = 0; id < nr_reg; id++) {
		unsigned int j = reg_hash_slot(reg[id].s);

		while (reg_hash[j] >= 0)
			j = (j + 1) & (cap - 1);
		reg_hash[j] = id;
	}
	return 0;
}

int slab_cache_id(const struct kmem_cache *s)
{
	if (!s || !reg_hash_cap)
		return -1;
	for (unsigned int j = reg_hash_slot(s); reg_hash[j] >= 0; j = (j + 1) & (reg_hash_cap - 1))
		if (reg[reg_hash[j]].s == s)
			return reg_hash[j];
	return -1;
}

int slab_register_cache(struct kmem_cache *s)
{
	struct slab_cache_info info;
	int id = slab_cache_id(s);

	if (id >= 0)
		return id;
	if (nr_reg == reg_cap) {
		int cap = reg_cap ? reg_cap * 2 : 128;
		struct slab_reg_entry *r = realloc(reg, (size_t)cap * sizeof(*r));

		if (!r)
			return -1;
		reg = r;
		reg_cap = cap;
	}
	if ((unsigned int)(nr_reg + 1) * 2 >= reg_hash_cap && reg_hash_grow())
		return -1;
	id = nr_reg++;
	reg[id].s = s;
	reg[id].refcount = 1;
	reg[id].usersize = 0;
	reg[id].object_size = 0;
	reg[id].create_flags = 0;
	reg[id].ctor = false;
	if (current_allocator && current_allocator->info) {
		current_allocator->info(s, &info);
		reg[id].object_size = info.object_size;
		if (info.name && name_add(info.name, id))
			return -1;
	}
	unsigned int j = reg_hash_slot(s);

	while (reg_hash[j] >= 0)
		j = (j + 1) & (reg_hash_cap - 1);
	reg_hash[j] = id;
	return id;
}

int slab_nr_caches(void)
{
	return nr_reg;
}

struct kmem_cache *slab_cache(int id)
{
	return id >= 0 && id < nr_reg ? reg[id].s : NULL;
}

struct kmem_cache *slab_find_cache(const char *name)
{
	if (!names_cap)
		return NULL;
	for (unsigned int j = name_slot(name); names[j].id >= 0; j = (j + 1) & (names_cap - 1))
		if (!strcmp(names[j].name, name))
			return reg[names[j].id].s;
	return NULL;
}

struct slab_reg_entry *slab_reg_entry(int id)
{
	return id >= 0 && id < nr_reg ? &reg[id] : NULL;
}

void slab_set_unmergeable(int id)
{
	if (id >= 0 && id < nr_reg)
		reg[id].refcount = -1;
}

/* Registry accessor, not a kernel function: s->object_size as kmem_cache_create left it. */
unsigned int slab_cache_object_size(int id)
{
	return id >= 0 && id < nr_reg ? reg[id].object_size : 0;
}

int slab_cache_refcount(int id)
{
	return id >= 0 && id < nr_reg ? reg[id].refcount : 0;
}

int slab_nr_aliases(void)
{
	return nr_aliases;
}

const char *slab_alias_name(int i)
{
	return i >= 0 && i < nr_aliases ? aliases[i].name : NULL;
}

int slab_alias_cache(int i)
{
	return i >= 0 && i < nr_aliases ? aliases[i].id : -1;
}

static void registry_reset(void)
{
	free(names);
	names = NULL;
	names_cap = nr_names = 0;
	for (int i = 0; i < nr_aliases; i++)
		free(aliases[i].name);
	free(aliases);
	aliases = NULL;
	nr_aliases = aliases_cap = 0;
	free(reg);
	reg = NULL;
	nr_reg = reg_cap = 0;
	free(reg_hash);
	reg_hash = NULL;
	reg_hash_cap = 0;
	memset(kmalloc_caches, 0, sizeof(kmalloc_caches));
}

/* ------------------------------------------------------------------ */
/* Allocator selection                                                 */

int slab_common_init(const struct slab_config *cfg)
{
	int rc;

	registry_reset();
	current_allocator = NULL;
	slab_memcg_kmem = cfg->memcg_kmem;
	slab_zone_dma = cfg->zone_dma;
	slab_hardened_usercopy = cfg->hardened_usercopy;
	slab_buckets = cfg->slab_buckets;
	user_buckets = msg_buckets = NULL;	/* the version's create_late_boot_caches makes them */
	slab_memcg_online = false;	/* boot's slabs: the static key is still off */
	if (cfg->kind == SLAB_KIND_NONE)
		return 0;
	if (cfg->kind == SLAB_KIND_SLAB) {
		current_allocator = &slab_allocator;
	} else {
		current_allocator = &slub_allocator;
	}
	rc = current_allocator->init(cfg);
	if (!rc && KOPS(slab_common)->create_boot_caches)
		rc = KOPS(slab_common)->create_boot_caches();
	return rc;
}

/* The caches later initcalls make (the version's create_late_boot_caches), then memcg online */
int slab_common_init_late(const struct slab_config *cfg)
{
	int rc = 0;

	if (!current_allocator)
		return 0;
	if (KOPS(slab_common)->create_late_boot_caches)
		rc = KOPS(slab_common)->create_late_boot_caches();
	if (!rc)
		slab_memcg_online = cfg->memcg_online;
	return rc;
}

void slab_common_exit(void)
{
	if (current_allocator && current_allocator->exit)
		current_allocator->exit();
	current_allocator = NULL;
	registry_reset();
}

const struct slab_allocator *slab_current(void)
{
	return current_allocator;
}

/* SLAB's kmalloc caches start at 32 bytes, SLUB's at 8 (KMALLOC_SHIFT_LOW). */
unsigned int kmalloc_shift_low(void)
{
	return current_allocator && !strcmp(current_allocator->name, "slab") ? 5 : 3;
}

/* ------------------------------------------------------------------ */
/* Sizes and alignment                                                 */


/* kernel: calculate_alignment, mm/slab_common.c */
unsigned int calculate_alignment(unsigned int flags, unsigned int align, unsigned int size)
{
	if (flags & SLAB_HWCACHE_ALIGN) {
		unsigned int ralign = cache_line_size();

		while (size <= ralign / 2)
			ralign /= 2;
		if (ralign > align)
			align = ralign;
	}
	if (align < ARCH_KMALLOC_MINALIGN)	/* arch_slab_minalign() */
		align = ARCH_KMALLOC_MINALIGN;
	return ALIGN_UP(align, (unsigned int)sizeof(void *));
}

/* kernel: __kmalloc_index, include/linux/slab.h */
unsigned int kmalloc_index(size_t size)
{
	unsigned int low = kmalloc_shift_low();

	if (!size)
		return 0;
	if (size <= (1u << low))
		return low;
	if ((1u << low) <= 32 && size > 64 && size <= 96)
		return 1;
	if ((1u << low) <= 64 && size > 128 && size <= 192)
		return 2;
	for (unsigned int n = 3; n <= 21; n++)
		if (size <= (1UL << n))
			return n;
	return (unsigned int)-1;
}

/*
 * Sizes up to 192 bytes, in 8-byte steps, to a kmalloc index.  The
 * kernel patches the table at boot for a large minimum size
 * (setup_kmalloc_cache_index_table): with SLAB every size up to 32 bytes
 * maps to kmalloc-32.  We apply that patch when reading.
 */
static const uint8_t size_index[24] = {
	3, 4, 5, 5, 6, 6, 6, 6, 1, 1, 1, 1, 7, 7, 7, 7, 2, 2, 2, 2, 2, 2, 2, 2
};

static unsigned int size_index_elem(unsigned int bytes)
{
	return (bytes - 1) / 8;
}

/* kernel: KMALLOC_NOT_NORMAL_BITS, include/linux/slab.h */
static gfp_t kmalloc_not_normal_bits(void)
{
	return __GFP_RECLAIMABLE | (slab_zone_dma ? __GFP_DMA : 0) | (slab_memcg_kmem ? __GFP_ACCOUNT : 0);
}

/* kernel: kmalloc_type, include/linux/slab.h -- priorities __GFP_DMA, __GFP_RECLAIMABLE, __GFP_ACCOUNT */
enum kmalloc_cache_type kmalloc_type(gfp_t flags)
{
	if (!(flags & kmalloc_not_normal_bits()))
		return KMALLOC_NORMAL;
	if (slab_zone_dma && (flags & __GFP_DMA))
		return KMALLOC_DMA;
	if (!slab_memcg_kmem || (flags & __GFP_RECLAIMABLE))
		return KMALLOC_RECLAIM;
	return KMALLOC_CGROUP;
}

/* kernel: kmalloc_slab, mm/slab_common.c */
struct kmem_cache *kmalloc_slab(size_t size, gfp_t flags)
{
	unsigned int index;

	if (size <= 192) {
		if (!size)
			return ZERO_SIZE_PTR;
		index = size_index[size_index_elem((unsigned int)size)];
		if ((unsigned int)size <= (1u << kmalloc_shift_low()))
			index = kmalloc_shift_low();	/* setup_kmalloc_cache_index_table */
	} else {
		if (size > KMALLOC_MAX_CACHE_SIZE)
			return NULL;
		index = fls_u32((unsigned int)size - 1);
	}
	return kmalloc_caches[kmalloc_type(flags)][index];
}

/* ------------------------------------------------------------------ */
/* kmalloc caches                                                      */

/* kernel: kmalloc_info, mm/slab_common.c (the entries up to KMALLOC_SHIFT_HIGH; 6.1 and 6.12 agree) */
const struct kmalloc_info_struct kmalloc_info[KMALLOC_SHIFT_HIGH + 1] = {
#define INIT_KMALLOC_INFO(sz, short_sz) \
	{ { "kmalloc-" #short_sz, "kmalloc-cg-" #short_sz, "kmalloc-rcl-" #short_sz, \
	    "dma-kmalloc-" #short_sz }, sz }
	INIT_KMALLOC_INFO(0, 0),
	INIT_KMALLOC_INFO(96, 96),
	INIT_KMALLOC_INFO(192, 192),
	INIT_KMALLOC_INFO(8, 8),
	INIT_KMALLOC_INFO(16, 16),
	INIT_KMALLOC_INFO(32, 32),
	INIT_KMALLOC_INFO(64, 64),
	INIT_KMALLOC_INFO(128, 128),
	INIT_KMALLOC_INFO(256, 256),
	INIT_KMALLOC_INFO(512, 512),
	INIT_KMALLOC_INFO(1024, 1k),
	INIT_KMALLOC_INFO(2048, 2k),
	INIT_KMALLOC_INFO(4096, 4k),
	INIT_KMALLOC_INFO(8192, 8k),
#undef INIT_KMALLOC_INFO
};

/* Not a kernel function: the registry half of create_kmalloc_cache (usercopy region, refcount 1). */
int slab_register_kmalloc(struct kmem_cache *s, unsigned int usersize)
{
	int id = slab_register_cache(s);

	if (id < 0)
		return -1;
	reg[id].usersize = usersize;
	reg[id].refcount = 1;
	return id;
}

/* kernel: create_kmalloc_caches, mm/slab_common.c (the version's set of kmalloc caches) */
int create_kmalloc_caches(unsigned int flags)
{
	return KOPS(slab_common)->create_kmalloc_caches(flags);
}

/* ------------------------------------------------------------------ */
/* Cache creation and merging                                          */

const struct slab_common_kops *const slab_common_kops_table[NR_KERNEL_VERSIONS] = {
	[KERNEL_6_1] = &slab_common_kops_6_1,
	[KERNEL_6_12] = &slab_common_kops_6_12,
};

/* kernel: find_mergeable, mm/slab_common.c (the version's rules) */
struct kmem_cache *find_mergeable(unsigned int size, unsigned int align, unsigned int flags,
				  const char *name, bool ctor, unsigned int usersize)
{
	return KOPS(slab_common)->find_mergeable(size, align, flags, name, ctor, usersize);
}

/* Not a kernel function: slab_unmergeable of cache `id` under the version's rules. */
bool slab_cache_unmergeable(int id)
{
	struct slab_cache_info info;

	if (id < 0 || id >= nr_reg)
		return true;
	current_allocator->info(reg[id].s, &info);
	return KOPS(slab_common)->slab_unmergeable(id, &info);
}

/* kernel: __kmem_cache_alias, mm/slub.c / mm/slab.c (the common half) */
static struct kmem_cache *kmem_cache_alias(const char *name, unsigned int size,
					   unsigned int align, unsigned int flags, bool ctor,
					   unsigned int usersize)
{
	struct kmem_cache *s;
	int id;

	if (!current_allocator->alias)
		return NULL;
	s = find_mergeable(size, align, flags, name, ctor, usersize);
	if (!s)
		return NULL;
	if (nr_aliases == aliases_cap) {
		int cap = aliases_cap ? aliases_cap * 2 : 32;
		struct slab_alias_entry *a = realloc(aliases, (size_t)cap * sizeof(*a));

		if (!a)
			return NULL;
		aliases = a;
		aliases_cap = cap;
	}
	id = slab_cache_id(s);
	aliases[nr_aliases].name = strdup(name);
	if (!aliases[nr_aliases].name)
		return NULL;
	aliases[nr_aliases].id = id;
	if (name_add(aliases[nr_aliases].name, id)) {
		free(aliases[nr_aliases].name);
		return NULL;
	}
	nr_aliases++;
	reg[id].refcount++;
	if (size > reg[id].object_size)
		reg[id].object_size = size;
	current_allocator->alias(s, size);
	return s;
}

/*
 * Flags kmem_cache_create keeps (CACHE_CREATE_MASK of mm/slab.h): the core
 * flags, the allocator's SLAB_DEBUG_FLAGS (SLAB: none without
 * CONFIG_DEBUG_SLAB, else red zone, poison, store user; SLUB with
 * CONFIG_SLUB_DEBUG: those, trace and consistency checks), then its own
 * SLAB_CACHE_FLAGS: SLUB has no SLAB_MEM_SPREAD, SLAB no SLAB_NO_USER_FLAGS.
 */
#define CACHE_CREATE_COMMON (SLAB_HWCACHE_ALIGN | SLAB_CACHE_DMA | SLAB_CACHE_DMA32 | SLAB_PANIC | \
			     SLAB_TYPESAFE_BY_RCU | SLAB_NOLEAKTRACE | SLAB_RECLAIM_ACCOUNT | SLAB_ACCOUNT | \
			     SLAB_NO_MERGE)	/* SLAB_NO_MERGE: 6.12 (no 6.1 caller passes the bit) */

static unsigned int cache_create_mask(void)
{
	unsigned int mask = CACHE_CREATE_COMMON;

	if (current_allocator->debug_flags)
		mask |= current_allocator->debug_flags();
	if (!strcmp(current_allocator->name, "slab"))
		return mask | SLAB_MEM_SPREAD;
	return mask | SLAB_NO_USER_FLAGS;
}

/* kernel: kmem_cache_create_usercopy / create_cache, mm/slab_common.c (6.12: __kmem_cache_create_args) */
struct kmem_cache *kmem_cache_create_usercopy(const char *name, unsigned int size, unsigned int align,
					      unsigned int flags, unsigned int useroffset,
					      unsigned int usersize, bool ctor)
{
	struct kmem_cache *s;
	int id;

	if (!current_allocator || !name || !size || size > (1u << 22))
		return NULL;
	flags &= cache_create_mask();
	if (!slab_memcg_kmem)
		flags &= ~SLAB_ACCOUNT;		/* SLAB_ACCOUNT is 0 without CONFIG_MEMCG_KMEM */
	/* Fail closed on a bad region; 6.12 keeps one only with CONFIG_HARDENED_USERCOPY. */
	if ((!usersize && useroffset) || size < usersize || size - usersize < useroffset ||
	    (KOPS(slab_common)->usersize_needs_hardened_usercopy && !slab_hardened_usercopy))
		usersize = useroffset = 0;
	s = usersize ? NULL : kmem_cache_alias(name, size, align, flags, ctor, usersize);
	if (s) {
		if (slab_cache_created)
			slab_cache_created(s, name);
		return s;
	}
	s = current_allocator->create(name, size, calculate_alignment(flags, align, size), flags, ctor);
	if (!s)
		return NULL;
	id = slab_register_cache(s);
	if (id < 0)
		return NULL;
	reg[id].create_flags = flags;
	reg[id].ctor = ctor;
	reg[id].usersize = usersize;
	if (slab_cache_created)
		slab_cache_created(s, name);
	return s;
}

/* kernel: kmem_cache_create, include/linux/slab.h (no usercopy region) */
struct kmem_cache *kmem_cache_create(const char *name, unsigned int size, unsigned int align,
				     unsigned int flags, bool ctor)
{
	return kmem_cache_create_usercopy(name, size, align, flags, 0, 0, ctor);
}

/* ------------------------------------------------------------------ */

const char *slab_event_name(int event)
{
	static const char *const names[NR_SLAB_EVENTS] = {
		"new", "freeze", "cpu_slab", "cpu_partial_add", "unfreeze",
		"partial_add", "partial_del", "discard",
	};

	return event >= 0 && event < NR_SLAB_EVENTS ? names[event] : "?";
}
