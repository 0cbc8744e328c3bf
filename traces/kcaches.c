/*
 * kcaches.c - the catalogue of named caches (traces/kcaches.h) of the kernel at hand:
 * traces/kcaches_6_1.c or traces/kcaches_6_12.c, both generated.
 */
#include <string.h>

#include "kcaches.h"

const struct kcache_entry *kcache_lookup_kernel(const char *kernel, const char *name)
{
	if (kernel && !strcmp(kernel, "6.12"))
		return kcache_lookup_6_12(name);
	return kcache_lookup_6_1(name);
}
