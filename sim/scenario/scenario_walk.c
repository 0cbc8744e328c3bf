/*
 * scenario_walk.c - the table walker of the scenario loader: parses a JSON
 * object against its table of struct sp_key into a struct, and prints the
 * same table back as canonical JSON.  Also the helpers the custom keys of
 * every group share: a JSON value shown in a message, an integer in a range,
 * child key paths, duplicate keys, [min, max] pairs, arrays of objects, and
 * gfp values (names or a number).
 */
#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "scenario_int.h"

/* A short rendering of a JSON value for "got ..." in messages. */
const char *sp_show(const cJSON *v, char *buf, size_t size)
{
	if (cJSON_IsString(v)) {
		const char *s = v->valuestring;
		size_t n = strlen(s);

		if (n > 40)
			snprintf(buf, size, "\"%.37s...\"", s);
		else
			snprintf(buf, size, "\"%s\"", s);
	} else if (cJSON_IsNumber(v)) {
		double d = v->valuedouble;

		if (d == floor(d) && fabs(d) < 1e18)
			snprintf(buf, size, "%.0f", d);
		else
			snprintf(buf, size, "%g", d);
	} else if (cJSON_IsBool(v)) {
		snprintf(buf, size, "%s", cJSON_IsTrue(v) ? "true" : "false");
	} else if (cJSON_IsNull(v)) {
		snprintf(buf, size, "null");
	} else if (cJSON_IsArray(v)) {
		int n = cJSON_GetArraySize(v);

		if (n)
			snprintf(buf, size, "an array of %d", n);
		else
			snprintf(buf, size, "an empty array");
	} else if (cJSON_IsObject(v)) {
		snprintf(buf, size, "an object");
	} else {
		snprintf(buf, size, "something else");
	}
	return buf;
}

/* "a positive integer", "an integer in 0..100", ... for the range [min, max]. */
static const char *sp_range_text(int64_t min, int64_t max, char *buf, size_t size)
{
	if (min == 1 && max >= (int64_t)UINT32_MAX)
		snprintf(buf, size, "a positive integer");
	else if (min == 0 && max >= (int64_t)UINT32_MAX)
		snprintf(buf, size, "a non-negative integer");
	else
		snprintf(buf, size, "an integer in %" PRId64 "..%" PRId64, min, max);
	return buf;
}

/* Read an integer in [min, max] from v; SIM_EBADINPUT after a message. */
int sp_int(struct sp *p, const cJSON *v, const char *path, int64_t min, int64_t max, int64_t *out)
{
	char range[64], got[64];
	double d = cJSON_IsNumber(v) ? v->valuedouble : 0.5;

	*out = 0;	/* set on every path: callers read it after inlining (gcc -O3 -Wmaybe-uninitialized) */
	if (d != floor(d))	/* not an integer at all: say what kind is wanted */
		return sp_error(p, path, "expected %s, got %s",
				min > 0 ? "a positive integer" : min == 0 ? "a non-negative integer" : "an integer",
				sp_show(v, got, sizeof(got)));
	if (d >= (double)min && d <= (double)max) {
		*out = (int64_t)d;
		return 0;
	}
	return sp_error(p, path, "expected %s, got %s", sp_range_text(min, max, range, sizeof(range)),
			sp_show(v, got, sizeof(got)));
}

/* Child path "parent.key" or "parent[i]" (i >= 0); a path too long is cut short. */
void sp_child(char *buf, const char *parent, const char *key, int i)
{
	int n;

	if (key)
		n = snprintf(buf, SP_PATH_MAX, "%s%s%s", parent, *parent ? "." : "", key);
	else
		n = snprintf(buf, SP_PATH_MAX, "%s[%d]", parent, i);
	if (n >= SP_PATH_MAX)
		buf[SP_PATH_MAX - 1] = 0;
}

/* ------------------------------------------------------------------ gfp */

/* "GFP_KERNEL|__GFP_ZERO" or a number -> *out. */
static int sp_gfp_parse(struct sp *p, const cJSON *v, const char *path, uint32_t *out)
{
	char got[64];
	int64_t n;

	if (cJSON_IsNumber(v)) {
		if (sp_int(p, v, path, 0, UINT32_MAX, &n))
			return SIM_EBADINPUT;
		*out = (uint32_t)n;
		return 0;
	}
	if (!cJSON_IsString(v) || !*v->valuestring)
		return sp_error(p, path, "expected gfp flags (\"GFP_KERNEL|__GFP_ZERO\") or a number, got %s",
				sp_show(v, got, sizeof(got)));
	return sp_gfp_parse_text(p, v->valuestring, path, out);
}

/* Canonical gfp: flag names, or the number 0. */
static cJSON *sp_gfp_emit(uint32_t gfp)
{
	char buf[512];

	if (!gfp)
		return cJSON_CreateNumber(0);
	sp_gfp_text(gfp, buf, sizeof(buf));
	return cJSON_CreateString(buf);
}

/* -------------------------------------------------------- table walking */

/* Store one value of `k` read from v at base + k->off. */
static int sp_parse_value(struct sp *p, const struct sp_key *k, const cJSON *v, const char *path, void *base)
{
	char *field = (char *)base + k->off;
	char got[64];
	int64_t n;

	switch (k->type) {
	case T_U32:
	case T_U64:
	case T_INT:
		if (sp_int(p, v, path, k->min, k->max, &n))
			return SIM_EBADINPUT;
		n *= k->scale ? k->scale : 1;
		if (k->type == T_U32)
			*(uint32_t *)field = (uint32_t)n;
		else if (k->type == T_U64)
			*(uint64_t *)field = (uint64_t)n;
		else
			*(int *)field = (int)n;
		return 0;
	case T_BOOL:
		if (!cJSON_IsBool(v))
			return sp_error(p, path, "expected true or false, got %s", sp_show(v, got, sizeof(got)));
		*(bool *)field = cJSON_IsTrue(v) != k->invert;
		return 0;
	case T_STR: {
		char *s;

		if (!cJSON_IsString(v))
			return sp_error(p, path, "expected a string, got %s", sp_show(v, got, sizeof(got)));
		s = strdup(v->valuestring);
		if (!s)
			return sp_error(p, path, "out of memory");
		if (!sp_is_default_string(*(char **)field))
			free(*(char **)field);
		*(char **)field = s;
		return 0;
	}
	case T_NAME:
		if (!cJSON_IsString(v) || strlen(v->valuestring) >= SIM_CACHE_NAME_MAX ||
		    strpbrk(v->valuestring, " \t\n/"))
			return sp_error(p, path, "expected a cache name (at most %d characters, no blank or '/'), got %s",
					SIM_CACHE_NAME_MAX - 1, sp_show(v, got, sizeof(got)));
		strcpy(field, v->valuestring);
		return 0;
	case T_ENUM:
		if (cJSON_IsString(v))
			for (int i = 0; k->names[i]; i++)
				if (!strcmp(k->names[i], v->valuestring)) {
					*(int *)field = i;
					return 0;
				}
		{
			char list[128];
			size_t len = 0;

			list[0] = 0;
			for (int i = 0; k->names[i]; i++)
				len += (size_t)snprintf(list + len, sizeof(list) - len, "%s\"%s\"",
							i ? (k->names[i + 1] ? ", " : " or ") : "", k->names[i]);
			return sp_error(p, path, "expected %s, got %s", list, sp_show(v, got, sizeof(got)));
		}
	case T_GFP:
		return sp_gfp_parse(p, v, path, (uint32_t *)field);
	case T_OBJ:
		return sp_parse_object(p, v, path, k->sub, base);
	case T_FN:
		return k->parse(p, v, path, base);
	}
	return SIM_EBADINPUT;
}

/* Key v of obj (at key path `sub`) must not appear earlier in obj. */
int sp_check_dup(struct sp *p, const cJSON *obj, const cJSON *v, const char *sub)
{
	int nth = 1;

	for (const cJSON *u = obj->child; u != v; u = u->next)
		nth += !strcmp(u->string, v->string);
	return nth > 1 ? sp_error_nth(p, sub, nth, "duplicate key") : 0;
}

/* Parse object `obj` (at key path `path`) against `table` into `base`. */
int sp_parse_object(struct sp *p, const cJSON *obj, const char *path,
		    const struct sp_key *table, void *base)
{
	char got[64], sub[SP_PATH_MAX];

	if (!cJSON_IsObject(obj))
		return sp_error(p, path, "expected an object, got %s", sp_show(obj, got, sizeof(got)));
	for (const cJSON *v = obj->child; v; v = v->next) {
		const struct sp_key *k;

		sp_child(sub, path, v->string, 0);
		if (sp_check_dup(p, obj, v, sub))
			return SIM_EBADINPUT;
		for (k = table; k->name && strcmp(k->name, v->string); k++)
			;
		if (!k->name) {
			char known[512];
			size_t len = 0;

			known[0] = 0;
			for (k = table; k->name && len < sizeof(known); k++)
				len += (size_t)snprintf(known + len, sizeof(known) - len, "%s%s",
							k == table ? "" : ", ", k->name);
			return sp_error(p, sub, "unknown key (known: %s)", known);
		}
		if (sp_parse_value(p, k, v, sub, base))
			return SIM_EBADINPUT;
	}
	return 0;
}

/* The canonical value of `k` at base + k->off. */
static cJSON *sp_emit_value(const struct sim_scenario *sc, const struct sp_key *k, const void *base)
{
	const char *field = (const char *)base + k->off;
	uint32_t scale = k->scale ? k->scale : 1;

	switch (k->type) {
	case T_U32:
		return cJSON_CreateNumber((double)(*(const uint32_t *)field / scale));
	case T_U64:
		return cJSON_CreateNumber((double)(*(const uint64_t *)field / scale));
	case T_INT:
		return cJSON_CreateNumber((double)*(const int *)field);
	case T_BOOL:
		return cJSON_CreateBool(*(const bool *)field != k->invert);
	case T_STR: {
		const char *s = *(const char *const *)field;

		return s ? cJSON_CreateString(s) : cJSON_CreateNull();
	}
	case T_NAME:
		return cJSON_CreateString(field);
	case T_ENUM:
		return cJSON_CreateString(k->names[*(const int *)field]);
	case T_GFP:
		return sp_gfp_emit(*(const uint32_t *)field);
	case T_OBJ:
		return sp_emit_object(sc, k->sub, base);
	case T_FN:
		return k->emit(sc, base);
	}
	return NULL;
}

cJSON *sp_emit_object(const struct sim_scenario *sc, const struct sp_key *table, const void *base)
{
	cJSON *o = cJSON_CreateObject();

	for (const struct sp_key *k = table; o && k->name; k++) {
		cJSON *v;

		if (k->present && !k->present(sc))
			continue;
		v = sp_emit_value(sc, k, base);

		if (!v || !cJSON_AddItemToObject(o, k->name, v)) {
			cJSON_Delete(v);
			cJSON_Delete(o);
			return NULL;
		}
	}
	return o;
}

/* ------------------------------------------------ shared by custom keys */

/* [min, max] with lo <= min <= max <= hi, read into two integers. */
int sp_pair(struct sp *p, const cJSON *v, const char *path, int64_t lo, int64_t hi, int64_t out[2])
{
	char got[64], sub[SP_PATH_MAX];

	out[0] = out[1] = 0;
	if (!cJSON_IsArray(v) || cJSON_GetArraySize(v) != 2)
		return sp_error(p, path, "expected [min, max], got %s", sp_show(v, got, sizeof(got)));
	for (int i = 0; i < 2; i++) {
		sp_child(sub, path, NULL, i);
		if (sp_int(p, cJSON_GetArrayItem(v, i), sub, lo, hi, &out[i]))
			return SIM_EBADINPUT;
	}
	if (out[0] > out[1])
		return sp_error(p, path, "min %" PRId64 " is above max %" PRId64, out[0], out[1]);
	return 0;
}

/* An array of objects, each parsed against `table` into base[i * size]; *nr gets the count. */
int sp_array_of(struct sp *p, const cJSON *v, const char *path, const struct sp_key *table,
		void *base, size_t size, int max, int *nr, const char *required)
{
	char got[64], sub[SP_PATH_MAX];
	int i = 0;

	if (!cJSON_IsArray(v) || cJSON_GetArraySize(v) > max)
		return sp_error(p, path, "expected an array of at most %d objects, got %s", max,
				sp_show(v, got, sizeof(got)));
	for (const cJSON *e = v->child; e; e = e->next, i++) {
		void *elem = (char *)base + (size_t)i * size;

		sp_child(sub, path, NULL, i);
		memset(elem, 0, size);
		if (sp_parse_object(p, e, sub, table, elem))
			return SIM_EBADINPUT;
		if (!cJSON_HasObjectItem(e, required))
			return sp_error(p, sub, "missing key \"%s\"", required);
	}
	*nr = i;
	return 0;
}

cJSON *sp_array_emit(const struct sim_scenario *sc, const struct sp_key *table,
		     const void *base, size_t size, int nr)
{
	cJSON *a = cJSON_CreateArray();

	for (int i = 0; a && i < nr; i++) {
		cJSON *o = sp_emit_object(sc, table, (const char *)base + (size_t)i * size);

		if (!o || !cJSON_AddItemToArray(a, o)) {
			cJSON_Delete(o);
			cJSON_Delete(a);
			return NULL;
		}
	}
	return a;
}
