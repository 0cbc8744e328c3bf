/*
 * scenario_set.c - `--set KEY=VALUE`: an override of one scenario key, by its dotted path
 * (`slub.min_objects=128`, `machine.nodes[1].cpus=4`, `slub.tune[0].cache=filp`), written
 * into the scenario's JSON before the loader reads it, so the same checks and messages apply.
 *
 * Main entry: sp_apply_sets (from sim_scenario_load_set, scenario.c); the error lines say
 * `--set: key.path: what` for a key it wrote (sp_is_set_path, scenario_text.c).
 *
 * VALUE is JSON when it parses as JSON (128, true, "x", [1, 2], {"a": 1}) and a string
 * otherwise (slab, FZPU, filp; and a kernel version, 6.12, which is no number).  A path
 * through a key the text does not have creates it: an object, or, where the path indexes an
 * array, the array the scenario has without the text (the canonical JSON of the embedded
 * default: `machine.nodes[1]` on a file without a machine starts from the default's two
 * nodes); an index one past the end appends an element.  `kernel=V` over a text whose
 * "kernel" is an object writes its kernel.version.
 */
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "scenario_int.h"

/* One step of a key path: a key, or an index (key NULL). */
struct sp_step {
	char key[64];
	int index;
	bool is_index;
};

#define SP_MAX_STEPS 16

static int sp_set_bad(struct sp *p, const char *path, const char *what)
{
	fprintf(p->err, "--set: %s: %s\n", path, what);
	return SIM_EBADINPUT;
}

/* "a.b[2].c" -> steps; 0 or -1 (path malformed). */
static int sp_set_steps(const char *path, struct sp_step *st, int *nr)
{
	const char *s = path;

	*nr = 0;
	while (*s) {
		struct sp_step *t = &st[*nr];

		if (*nr == SP_MAX_STEPS)
			return -1;
		memset(t, 0, sizeof(*t));
		if (*s == '[') {
			char *end;
			long i = strtol(s + 1, &end, 10);

			if (s[1] < '0' || s[1] > '9' || *end != ']' || i > 1000000)
				return -1;
			t->is_index = true;
			t->index = (int)i;
			s = end + 1;
		} else {
			size_t n = strcspn(s, ".[");

			if (!n || n >= sizeof(t->key))
				return -1;
			for (size_t k = 0; k < n; k++)
				if (!(s[k] == '_' || (s[k] >= 'a' && s[k] <= 'z') || (s[k] >= 'A' && s[k] <= 'Z') ||
				      (s[k] >= '0' && s[k] <= '9')))
					return -1;
			memcpy(t->key, s, n);
			s += n;
		}
		(*nr)++;
		if (*s == '.') {
			s++;
			if (!*s || *s == '.' || *s == '[')
				return -1;
		} else if (*s && *s != '[') {
			return -1;
		}
	}
	return *nr ? 0 : -1;
}

/* The child of v at step t, or NULL. */
static cJSON *sp_set_child(const cJSON *v, const struct sp_step *t)
{
	if (!v)
		return NULL;
	if (t->is_index)
		return cJSON_IsArray(v) ? cJSON_GetArrayItem(v, t->index) : NULL;
	return cJSON_IsObject(v) ? cJSON_GetObjectItemCaseSensitive(v, t->key) : NULL;
}

/* Put `item` at step t of container cur (replacing what is there); 0 or -1 (item freed). */
static int sp_set_put(cJSON *cur, const struct sp_step *t, cJSON *item)
{
	if (t->is_index) {
		if (t->index < cJSON_GetArraySize(cur))
			return cJSON_ReplaceItemInArray(cur, t->index, item) ? 0 : (cJSON_Delete(item), -1);
		return cJSON_AddItemToArray(cur, item) ? 0 : (cJSON_Delete(item), -1);
	}
	if (cJSON_GetObjectItemCaseSensitive(cur, t->key))
		return cJSON_ReplaceItemInObjectCaseSensitive(cur, t->key, item) ? 0 : (cJSON_Delete(item), -1);
	return cJSON_AddItemToObject(cur, t->key, item) ? 0 : (cJSON_Delete(item), -1);
}

/* Apply one "KEY=VALUE" to root; canon is the default's canonical JSON (arrays to start from). */
static int sp_set_one(struct sp *p, cJSON *root, const cJSON *canon, const char *set, char *key_out)
{
	const char *eq = strchr(set, '=');
	struct sp_step st[SP_MAX_STEPS];
	char path[SP_PATH_MAX], at[SP_PATH_MAX], msg[SP_PATH_MAX + 64];
	cJSON *cur = root, *val;
	const cJSON *cc = canon;
	int nr;

	if (!eq || eq == set || (size_t)(eq - set) >= sizeof(path)) {
		fprintf(p->err, "--set: expected KEY=VALUE (slub.min_objects=128), got \"%s\"\n", set);
		return SIM_EBADINPUT;
	}
	memcpy(path, set, (size_t)(eq - set));
	path[eq - set] = 0;
	if (sp_set_steps(path, st, &nr) || st[0].is_index)
		return sp_set_bad(p, path, "expected a key path (a.b, a.list[2].c)");
	/* kernel=6.12 over a text whose "kernel" is an object (memcg_kmem ...) is its kernel.version */
	if (nr == 1 && !strcmp(st[0].key, "kernel") && cJSON_IsObject(sp_set_child(root, &st[0]))) {
		memset(&st[1], 0, sizeof(st[1]));
		strcpy(st[1].key, "version");
		nr = 2;
	}
	at[0] = 0;
	for (int i = 0; i < nr; i++) {
		const struct sp_step *t = &st[i];
		cJSON *next;

		if (t->is_index ? !cJSON_IsArray(cur) : !cJSON_IsObject(cur)) {
			snprintf(msg, sizeof(msg), "%s is not %s", *at ? at : "the scenario",
				 t->is_index ? "an array" : "an object");
			return sp_set_bad(p, path, msg);
		}
		if (t->is_index && t->index > cJSON_GetArraySize(cur)) {
			snprintf(msg, sizeof(msg), "index %d is past the end of %s (%d elements)", t->index, at,
				 cJSON_GetArraySize(cur));
			return sp_set_bad(p, path, msg);
		}
		cc = sp_set_child(cc, t);
		sp_child(msg, at, t->is_index ? NULL : t->key, t->index);
		memcpy(at, msg, sizeof(at));
		if (i == nr - 1)
			break;
		next = sp_set_child(cur, t);
		if (!next) {
			/* what the scenario has without the text: the default's array, else an object */
			next = st[i + 1].is_index ? (cJSON_IsArray(cc) ? cJSON_Duplicate(cc, true) : cJSON_CreateArray())
						  : cJSON_CreateObject();
			if (!next || sp_set_put(cur, t, next))
				return sp_set_bad(p, path, "out of memory");
		}
		cur = next;
	}
	val = cJSON_ParseWithOpts(eq + 1, NULL, true);
	/* a kernel version is text: 6.10 is not 6.1 */
	if (val && cJSON_IsNumber(val) && !strcmp(st[0].key, "kernel") &&
	    (nr == 1 || (nr == 2 && !strcmp(st[1].key, "version")))) {
		cJSON_Delete(val);
		val = NULL;
	}
	if (!val)
		val = cJSON_CreateString(eq + 1);
	if (!val || sp_set_put(cur, &st[nr - 1], val))
		return sp_set_bad(p, path, "out of memory");
	snprintf(key_out, SP_PATH_MAX, "%s", at);
	return 0;
}

int sp_apply_sets(struct sp *p, cJSON *root, const char *const *sets, int nr, char **keys_out)
{
	struct sim_scenario d;
	cJSON *canon;
	char *keys = NULL, key[SP_PATH_MAX], *dj;
	size_t len = 0;
	int rc = 0;

	*keys_out = NULL;
	sim_scenario_default(&d);
	dj = sim_scenario_to_json(&d);
	canon = dj ? cJSON_Parse(dj) : NULL;
	free(dj);
	for (int i = 0; i < nr && !rc; i++) {
		char *k;

		rc = sp_set_one(p, root, canon, sets[i], key);
		if (rc)
			break;
		k = realloc(keys, len + strlen(key) + 2);
		if (!k) {
			rc = sp_set_bad(p, key, "out of memory");
			break;
		}
		keys = k;
		len += (size_t)sprintf(keys + len, "%s\n", key);
	}
	cJSON_Delete(canon);
	if (rc)
		free(keys);
	else
		*keys_out = keys;
	return rc;
}
