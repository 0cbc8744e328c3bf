/*
 * host_oom.c - host allocation failure for the tests (tests/host_oom.h): the linker's --wrap
 * sends the simulator's malloc, calloc and realloc here; __real_* are the C library's (or the
 * sanitizer's) own.
 */
#include <stdbool.h>
#include <stdlib.h>

#include "host_oom.h"

void *__real_malloc(size_t size);
void *__real_calloc(size_t nmemb, size_t size);
void *__real_realloc(void *ptr, size_t size);
void *__wrap_malloc(size_t size);
void *__wrap_calloc(size_t nmemb, size_t size);
void *__wrap_realloc(void *ptr, size_t size);

static bool armed;
static size_t arm_bytes;
static unsigned int arm_skip, nr_failed;

void host_oom_arm(size_t bytes, unsigned int skip)
{
	arm_bytes = bytes;
	arm_skip = skip;
	nr_failed = 0;
	armed = true;
}

void host_oom_disarm(void)
{
	armed = false;
}

unsigned int host_oom_failed(void)
{
	return nr_failed;
}

/* Whether this allocation of `bytes` is the one to fail. */
static bool host_oom_hit(size_t bytes)
{
	if (!armed || (arm_bytes && bytes != arm_bytes))
		return false;
	if (arm_skip) {
		arm_skip--;
		return false;
	}
	armed = false;
	nr_failed++;
	return true;
}

void *__wrap_malloc(size_t size)
{
	return host_oom_hit(size) ? NULL : __real_malloc(size);
}

void *__wrap_calloc(size_t nmemb, size_t size)
{
	return host_oom_hit(nmemb * size) ? NULL : __real_calloc(nmemb, size);
}

void *__wrap_realloc(void *ptr, size_t size)
{
	return host_oom_hit(size) ? NULL : __real_realloc(ptr, size);
}
