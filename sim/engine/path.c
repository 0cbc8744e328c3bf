/*
 * path.c - operations in flight, their labels, levels and path signatures.
 *
 * Labels are interned once per call site (PATH_LABEL caches the id in a
 * static), process-wide; their ids never reach the database, only their
 * names do.  Signatures are interned per run in an open-addressing table
 * keyed by the label sequence; ids are handed out in order of first
 * appearance, so they depend only on the run, never on the table's layout.
 */
#include <assert.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "engine.h"
#include "path.h"

/* ---- labels (process-wide) ----------------------------------------------- */

static const char **label_names;
static int nr_labels, cap_labels;

static void *xrealloc(void *p, size_t size)
{
	void *n = realloc(p, size);

	if (!n)
		abort();	/* out of host memory: nothing sane to do */
	return n;
}

uint16_t sim_path_label_id(const char *name)
{
	for (int i = 1; i < nr_labels; i++)
		if (!strcmp(label_names[i], name))
			return (uint16_t)i;
	if (nr_labels == 0)
		nr_labels = 1;	/* id 0 means "not interned yet" */
	if (nr_labels >= 65535)
		abort();
	if (nr_labels >= cap_labels) {
		cap_labels = cap_labels ? cap_labels * 2 : 256;
		label_names = xrealloc(label_names, (size_t)cap_labels * sizeof(*label_names));
	}
	label_names[nr_labels] = name;
	return (uint16_t)nr_labels++;
}

const char *sim_path_label_name(uint16_t id)
{
	return id > 0 && id < nr_labels ? label_names[id] : "?";
}

/* ---- signatures (per run) ------------------------------------------------ */

struct sig {
	uint64_t hash;
	uint16_t *labels;
	uint8_t nr;
	char *text;	/* "a>b>c" */
};

static struct sig *sigs;		/* by id */
static int nr_sigs, cap_sigs;
static int32_t *sig_table;		/* open addressing: id + 1, 0 = empty */
static uint32_t sig_table_size;

static sim_op_sink *sink_fn;
static void *sink_arg;

static uint64_t labels_hash(const uint16_t *l, int n)
{
	uint64_t h = 0xcbf29ce484222325ULL;

	for (int i = 0; i < n; i++) {
		h ^= l[i];
		h *= 0x100000001b3ULL;
	}
	return h ^ (uint64_t)n;
}

static char *sig_text(const uint16_t *l, int n)
{
	size_t len = 1;
	char *t, *p;

	for (int i = 0; i < n; i++)
		len += strlen(sim_path_label_name(l[i])) + 1;
	t = p = malloc(len);
	if (!t)
		abort();
	*p = 0;
	for (int i = 0; i < n; i++) {
		size_t k = strlen(sim_path_label_name(l[i]));

		if (i)
			*p++ = '>';
		memcpy(p, sim_path_label_name(l[i]), k);
		p += k;
		*p = 0;
	}
	return t;
}

static void sig_table_grow(void)
{
	uint32_t size = sig_table_size ? sig_table_size * 2 : 1024;
	int32_t *t = calloc(size, sizeof(*t));

	if (!t)
		abort();
	for (int id = 0; id < nr_sigs; id++) {
		uint32_t i = (uint32_t)sigs[id].hash & (size - 1);

		while (t[i])
			i = (i + 1) & (size - 1);
		t[i] = id + 1;
	}
	free(sig_table);
	sig_table = t;
	sig_table_size = size;
}

/* A few labels each: a loop costs less than a call to memcmp (once per operation). */
static inline bool labels_equal(const uint16_t *a, const uint16_t *b, int n)
{
	for (int i = 0; i < n; i++)
		if (a[i] != b[i])
			return false;
	return true;
}

static int sig_intern(const uint16_t *l, int n)
{
	uint64_t h = labels_hash(l, n);
	uint32_t i;
	struct sig *s;

	if ((uint32_t)(nr_sigs + 1) * 2 > sig_table_size)
		sig_table_grow();
	for (i = (uint32_t)h & (sig_table_size - 1); sig_table[i]; i = (i + 1) & (sig_table_size - 1)) {
		s = &sigs[sig_table[i] - 1];
		if (s->hash == h && s->nr == n && labels_equal(s->labels, l, n))
			return sig_table[i] - 1;
	}
	if (nr_sigs == cap_sigs) {
		cap_sigs = cap_sigs ? cap_sigs * 2 : 256;
		sigs = xrealloc(sigs, (size_t)cap_sigs * sizeof(*sigs));
	}
	s = &sigs[nr_sigs];
	s->hash = h;
	s->nr = (uint8_t)n;
	s->labels = malloc((size_t)(n ? n : 1) * sizeof(*l));
	if (!s->labels)
		abort();
	memcpy(s->labels, l, (size_t)n * sizeof(*l));
	s->text = sig_text(l, n);
	sig_table[i] = nr_sigs + 1;
	return nr_sigs++;
}

int sim_path_nr_sigs(void)
{
	return nr_sigs;
}

const char *sim_path_sig_text(int sig)
{
	return sig >= 0 && sig < nr_sigs ? sigs[sig].text : NULL;
}

void sim_path_reset(void)
{
	for (int i = 0; i < nr_sigs; i++) {
		free(sigs[i].labels);
		free(sigs[i].text);
	}
	free(sigs);
	free(sig_table);
	sigs = NULL;
	sig_table = NULL;
	nr_sigs = cap_sigs = 0;
	sig_table_size = 0;
	sink_fn = NULL;
	sink_arg = NULL;
}

void sim_path_set_sink(sim_op_sink *fn, void *arg)
{
	sink_fn = fn;
	sink_arg = arg;
}

/* ---- operations ---------------------------------------------------------- */

void sim_op_begin(struct sim_op *op, enum sim_op_kind kind)
{
	struct sim_vcpu *v = sim->cur;
	struct sim_task *t = v->curr;

	memset(op, 0, offsetof(struct sim_op, labels));
	op->seq = ++sim->seq;
	op->outer = t->op;
	op->parent_seq = t->op ? t->op->seq : 0;
	op->start_ns = v->clock_ns;
	op->trace_line = -1;
	op->cache = -1;
	op->sig = -1;
	op->cpu = (int16_t)v->cpu;
	op->node = (int16_t)v->node;
	op->mem_node = -1;
	op->task = t->pid;
	op->kind = (int8_t)kind;
	op->ctx = (int8_t)sim_context();
	op->order = -1;
	op->migratetype = -1;
	op->zone = -1;
	op->preempt_at_begin = t->preempt_count;
	op->irqs_off_at_begin = v->irqs_disabled;
	t->op = op;
}

void sim_op_end(struct sim_op *op)
{
	struct sim_task *t = sim->cur->curr;

	/* lockdep balance: an operation ends holding no lock it took (spin_lock raises
	 * preempt_count, spin_unlock lowers it; on with the guards off too) and with IRQs
	 * as it found them (a task cannot migrate while either is off). */
	assert((op->unbalanced || t->preempt_count == op->preempt_at_begin) &&
	       "operation ends with a lock held");
	assert((op->unbalanced || sim->cur->irqs_disabled == op->irqs_off_at_begin) &&
	       "operation changed the IRQ state");
	op->end_ns = sim->cur->clock_ns;
	/* The op may have been begun on another vCPU before a migration: pop from its task. */
	if (t->op == op)
		t->op = op->outer;
	op->sig = sig_intern(op->labels, op->nr_labels);
	if (sink_fn)
		sink_fn(op, sink_arg);
}

struct sim_op *sim_op_current(void)
{
	return sim->cur->curr->op;
}

void sim_path_add(uint16_t label)
{
	struct sim_op *op = sim->cur->curr->op;

	if (!op)
		return;
	op->at = label;
	if (op->nr_labels < SIM_PATH_MAX)
		op->labels[op->nr_labels++] = label;
}

void sim_path_at(uint16_t label)
{
	struct sim_op *op = sim->cur->curr->op;

	if (op)
		op->at = label;
}

void sim_path_level(int level)
{
	struct sim_op *op = sim->cur->curr->op;

	if (op && level > op->level)
		op->level = (int8_t)level;
}
