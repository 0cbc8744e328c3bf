/*
 * array.h - growing an array of structs one element at a time (the capture
 * and snapshot readers' caches and zones, the validation's rows).
 */
#ifndef KMEMSIM_TRACES_ARRAY_H
#define KMEMSIM_TRACES_ARRAY_H

#include <stdlib.h>
#include <string.h>

/*
 * Room for element `nr` of the array *arr of `size`-byte elements: the array
 * reallocated to nr + 1 elements, that one zeroed and returned; the caller
 * counts it.  NULL when out of memory (*arr unchanged).
 */
static inline void *sim_array_grow(void **arr, int nr, size_t size)
{
	char *a = realloc(*arr, (size_t)(nr + 1) * size);

	if (!a)
		return NULL;
	*arr = a;
	memset(a + (size_t)nr * size, 0, size);
	return a + (size_t)nr * size;
}

#endif
