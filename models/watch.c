/*
 * watch.c - what the models' watchers share: appending text to a buffer.
 */
#include <stdarg.h>
#include <stdio.h>

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
