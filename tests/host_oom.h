/*
 * host_oom.h - host allocation failure, injected (tests/host_oom.c).  A test executable
 * linked with host_oom.c and -Wl,--wrap=malloc,--wrap=calloc,--wrap=realloc (tests/meson.build:
 * host_oom_tests) sees every malloc, calloc and realloc of the simulator's code pass through
 * here; armed, the n-th one from now (of a given size, or any) fails (returns NULL) as a host out of memory would.
 * Criterion's own allocations are not wrapped (a shared library).
 */
#ifndef KMEMSIM_TESTS_HOST_OOM_H
#define KMEMSIM_TESTS_HOST_OOM_H

#include <stddef.h>

/* Fail the (skip + 1)-th host allocation from now on, once: of exactly `bytes` (calloc:
 * nmemb * size; realloc: the new size), or of any size when `bytes` is 0. */
void host_oom_arm(size_t bytes, unsigned int skip);
void host_oom_disarm(void);
/* How many allocations failed since the last arm. */
unsigned int host_oom_failed(void);

#endif
