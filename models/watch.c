/*
 * watch.c - what the models' watchers share: appending text to a buffer, and
 * the kernel's names of the functions the yield points are in.
 */
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "watch.h"

void watch_put(char *buf, size_t size, size_t *len, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (*len >= size)
		return;
	va_start(ap, fmt);
	n = vsnprintf(buf + *len, size - *len, fmt, ap);
	va_end(ap);
	if (n > 0)
		*len += (size_t)n;
}

const char *watch_count(unsigned long v, char buf[32])
{
	if (v > (unsigned long)LONG_MAX)
		snprintf(buf, 32, "-%lu (wrapped)", -v);
	else
		snprintf(buf, 32, "%lu", v);
	return buf;
}

/*
 * slub_int.h renames every SLUB function SLAB or the common layer also defines to
 * slub_NAME (and its own slub_* helpers stand for kernel macros of the same name less
 * the prefix); slab_int.h renames SLAB's to slab_NAME, which are the kernel's
 * __kmem_cache_*, kmem_cache_* and slab_* functions: SLAB's own slab_get_obj,
 * slab_put_obj and slab_destroy keep their names.
 */
const char *watch_kernel_func(const char *func)
{
	if (!func)
		return NULL;
	if (!strncmp(func, "slub_", 5) && func[5])
		return func + 5;
	if (!strncmp(func, "slab_", 5) &&
	    (func[5] == '_' || !strncmp(func + 5, "slab_", 5) || !strncmp(func + 5, "kmem_cache_", 11)))
		return func + 5;
	return func;
}
