/*
 * prefetch.c - a reader thread feeding a ring of event batches.
 *
 * One mutex and two condition variables guard the ring; handing over a batch
 * of PF_BATCH events at a time keeps the locking to a few thousand round trips
 * for a million-event trace.  The producer stops after the batch that ends
 * with the reader's final return code (0 at the end, negative on error).
 */
#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "prefetch.h"

#define PF_BATCH 512		/* events per batch */
#define PF_NR_BATCHES 8		/* batches in the ring */

struct pf_batch {
	struct sim_trace_event ev[PF_BATCH];
	int nr;			/* events in ev[] */
	int rc;			/* 1: more follow; else the reader's final return code */
	uint64_t lines;		/* reader's line count after this batch */
};

struct sim_trace_prefetch {
	struct sim_trace *tr;
	pthread_t thread;
	pthread_mutex_t mu;
	pthread_cond_t not_full, not_empty;
	struct pf_batch *ring;
	int head, tail, filled;	/* consumer batch, producer batch, batches ready */
	bool stop;		/* consumer is leaving: producer ends */
	bool holding;		/* the consumer holds ring[head] */
	int pos;		/* next event of ring[head] */
	bool done;		/* final return code reached */
	int final_rc;
	uint64_t lines;		/* of the batches taken so far */
};

static void *pf_producer(void *arg)
{
	struct sim_trace_prefetch *p = arg;

	for (;;) {
		struct pf_batch *b;
		int rc = 1;

		pthread_mutex_lock(&p->mu);
		while (p->filled == PF_NR_BATCHES && !p->stop)
			pthread_cond_wait(&p->not_full, &p->mu);
		if (p->stop) {
			pthread_mutex_unlock(&p->mu);
			return NULL;
		}
		b = &p->ring[p->tail];
		pthread_mutex_unlock(&p->mu);

		/* Only this thread touches ring[tail] and the reader until it is published. */
		b->nr = 0;
		while (b->nr < PF_BATCH && (rc = sim_trace_next(p->tr, &b->ev[b->nr])) > 0)
			b->nr++;
		b->rc = b->nr == PF_BATCH ? 1 : rc;
		b->lines = sim_trace_stats(p->tr)->nr_lines;

		pthread_mutex_lock(&p->mu);
		p->tail = (p->tail + 1) % PF_NR_BATCHES;
		p->filled++;
		pthread_cond_signal(&p->not_empty);
		pthread_mutex_unlock(&p->mu);
		if (b->rc <= 0)
			return NULL;
	}
}

int sim_trace_prefetch_start(struct sim_trace_prefetch **out, struct sim_trace *tr)
{
	struct sim_trace_prefetch *p = calloc(1, sizeof(*p));

	*out = NULL;
	if (!p)
		return SIM_EFAIL;
	p->ring = malloc(PF_NR_BATCHES * sizeof(*p->ring));
	if (!p->ring) {
		free(p);
		return SIM_EFAIL;
	}
	p->tr = tr;
	p->lines = sim_trace_stats(tr)->nr_lines;
	pthread_mutex_init(&p->mu, NULL);
	pthread_cond_init(&p->not_full, NULL);
	pthread_cond_init(&p->not_empty, NULL);
	if (pthread_create(&p->thread, NULL, pf_producer, p)) {
		pthread_mutex_destroy(&p->mu);
		pthread_cond_destroy(&p->not_full);
		pthread_cond_destroy(&p->not_empty);
		free(p->ring);
		free(p);
		return SIM_EFAIL;
	}
	*out = p;
	return 0;
}

int sim_trace_prefetch_next(struct sim_trace_prefetch *p, struct sim_trace_event *ev)
{
	for (;;) {
		struct pf_batch *b;

		if (p->done)
			return p->final_rc;
		if (p->holding) {
			b = &p->ring[p->head];
			if (p->pos < b->nr) {
				memcpy(ev, &b->ev[p->pos++], sizeof(*ev));	/* padding too (evspool.c) */
				return 1;
			}
			if (b->rc <= 0) {
				p->done = true;
				p->final_rc = b->rc;
				continue;
			}
			pthread_mutex_lock(&p->mu);
			p->head = (p->head + 1) % PF_NR_BATCHES;
			p->filled--;
			p->holding = false;
			pthread_cond_signal(&p->not_full);
			pthread_mutex_unlock(&p->mu);
		}
		pthread_mutex_lock(&p->mu);
		while (p->filled == 0)
			pthread_cond_wait(&p->not_empty, &p->mu);
		p->holding = true;
		p->pos = 0;
		p->lines = p->ring[p->head].lines;
		pthread_mutex_unlock(&p->mu);
	}
}

uint64_t sim_trace_prefetch_lines(const struct sim_trace_prefetch *p)
{
	return p->lines;
}

void sim_trace_prefetch_stop(struct sim_trace_prefetch *p)
{
	if (!p)
		return;
	pthread_mutex_lock(&p->mu);
	p->stop = true;
	pthread_cond_signal(&p->not_full);
	pthread_mutex_unlock(&p->mu);
	pthread_join(p->thread, NULL);
	pthread_mutex_destroy(&p->mu);
	pthread_cond_destroy(&p->not_full);
	pthread_cond_destroy(&p->not_empty);
	free(p->ring);
	free(p);
}
