/*
 * version.c - which kernel the models follow (models/kernel.h).
 */
#include <stdlib.h>
#include <string.h>

#include "kernel.h"

enum kernel_version kernel_version = KERNEL_6_1;

static const char *const version_names[NR_KERNEL_VERSIONS] = {
	[KERNEL_6_1] = "6.1",
	[KERNEL_6_12] = "6.12",
};

const char *kernel_version_name(enum kernel_version v)
{
	return (unsigned int)v < NR_KERNEL_VERSIONS ? version_names[v] : "?";
}

bool kernel_version_parse(const char *s, enum kernel_version *v)
{
	for (int i = 0; i < NR_KERNEL_VERSIONS; i++) {
		size_t n = strlen(version_names[i]);

		/* "6.1" must not take "6.12": the name ends the string or is followed by '.' or '-' */
		if (strncmp(s, version_names[i], n) == 0 &&
		    (s[n] == '\0' || s[n] == '.' || s[n] == '-')) {
			*v = (enum kernel_version)i;
			return true;
		}
	}
	return false;
}
