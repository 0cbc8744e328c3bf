/*
 * workload.h - synthetic workloads: the tasks that drive a scenario's streams.
 *
 * Each configured stream becomes one task per vCPU it runs on (times the
 * scenario's tasks_per_cpu).  A task loops over its operations, drawing every
 * choice from its own PRNG stream (forked from the seed by stream, vCPU and
 * task index), so what it asks for never depends on the interleaving; only
 * the answers do.  At the end each task frees what it still holds.
 *
 * Stream kinds: page streams (alloc_pages_node / __free_pages) today; object
 * streams (kmem_cache_alloc / kmalloc) slot in beside them as another
 * enum sim_stream_kind with their own step and drain functions.
 */
#ifndef KMEMSIM_SIM_WORKLOAD_H
#define KMEMSIM_SIM_WORKLOAD_H

#include <stdint.h>
#include <stdio.h>

struct sim_scenario;
struct sim_workload;
struct page;

/* What a stream allocates. */
enum sim_stream_kind {
	SIM_STREAM_PAGES,		/* alloc_pages_node / __free_pages */
	SIM_STREAM_OBJECTS,		/* reserved: kmem_cache_alloc / kfree (SLUB, SLAB) */
	SIM_NR_STREAM_KINDS
};

/* Totals over every task of a workload (for reports and tests). */
struct sim_workload_stats {
	uint64_t nr_tasks;		/* tasks created */
	uint64_t nr_alloc;		/* allocations attempted */
	uint64_t nr_alloc_irq;		/* of which from interrupt handlers */
	uint64_t nr_failed;		/* allocations that returned nothing */
	uint64_t nr_free;		/* frees issued */
	uint64_t nr_live;		/* allocated and not yet freed; 0 after a full run */
	uint64_t nr_irq_pending;	/* interrupts raised whose handler has not run */
};

/* Create the tasks of every stream of `sc` (engine and models set up). 0, or SIM_EBADINPUT after one line on err. */
int sim_workload_create(const struct sim_scenario *sc, struct sim_workload **out, FILE *err);
/* Totals so far. */
void sim_workload_stats(const struct sim_workload *w, struct sim_workload_stats *out);
/* Free the workload's memory (after the engine is done with its tasks). */
void sim_workload_destroy(struct sim_workload *w);
/* One page operation as every run driver logs it (sim/engine/path.h), shared with
 * the scripted tasks (sim/run/script.c) so both write the same op rows:
 * alloc_pages_node inside a page-alloc operation (NULL on failure), and
 * __free_pages inside a page-free operation.  gfp is a gfp_t (models/mm.h). */
struct page *sim_workload_alloc_pages(int nid, uint32_t gfp, unsigned int order, int mt);
void sim_workload_free_pages(struct page *page, unsigned int order);
/* The tasks of the scenario's "memory" section (sim/run/memory.c): page cache readers and
 * anonymous-memory tasks.  0, or SIM_EBADINPUT after one line on err; destroy after the run. */
int sim_memory_create(const struct sim_scenario *sc, FILE *err);
void sim_memory_destroy(void);
/* The OOM kills of the run as the kernel logs them (nothing when there were none). */
void sim_memory_report(FILE *out);
/* "pages", "objects". */
const char *sim_stream_kind_name(enum sim_stream_kind kind);

#endif
