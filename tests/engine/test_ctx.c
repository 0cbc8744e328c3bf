/*
 * test_ctx.c - stackful contexts: first entry, round trips, state kept
 * across switches, stack alignment.
 */
#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include <stdint.h>
#include <stdlib.h>

#include "sim/engine/engine.h"

static struct sim_ctx main_c, co_c;
static int steps[16], nr_steps;

static void co_entry(void *arg)
{
	int *counter = arg;
	volatile double x = 1.5;	/* lives in a callee frame across switches */

	for (int i = 0; i < 3; i++) {
		steps[nr_steps++] = 100 + i;
		(*counter)++;
		x *= 2;
		sim_ctx_switch(&co_c, &main_c);
	}
	steps[nr_steps++] = (int)x;	/* 1.5 * 8 = 12 */
	sim_ctx_switch(&co_c, &main_c);
	abort();
}

Test(ctx, round_trips_interleave_in_order)
{
	void *stack = malloc(SIM_STACK_SIZE);
	int counter = 0;

	cr_assert(stack != NULL);
	nr_steps = 0;
	sim_ctx_init_main(&main_c);
	cr_assert(eq(int, sim_ctx_make(&co_c, stack, SIM_STACK_SIZE, co_entry, &counter), 0));
	for (int i = 0; i < 4; i++) {
		steps[nr_steps++] = i;
		sim_ctx_switch(&main_c, &co_c);
	}
	cr_assert(eq(int, counter, 3));
	cr_assert(eq(int, nr_steps, 8));
	int want[] = { 0, 100, 1, 101, 2, 102, 3, 12 };
	for (int i = 0; i < 8; i++)
		cr_assert(eq(int, steps[i], want[i]), "step %d", i);
	sim_ctx_release(&co_c);
	free(stack);
}

static uintptr_t seen_sp;

static void align_entry(void *arg)
{
	(void)arg;
	/* A 16-byte aligned local proves the ABI alignment at entry. */
	_Alignas(16) char probe[16];
	seen_sp = (uintptr_t)probe;
	sim_ctx_switch(&co_c, &main_c);
	abort();
}

Test(ctx, new_context_stack_is_aligned_and_inside_its_stack)
{
	char *stack = malloc(SIM_STACK_SIZE + 8);

	cr_assert(stack != NULL);
	sim_ctx_init_main(&main_c);
	/* An odd stack start must still give an aligned first frame. */
	sim_ctx_make(&co_c, stack + 8, SIM_STACK_SIZE, align_entry, NULL);
	sim_ctx_switch(&main_c, &co_c);
	cr_assert(eq(u64, seen_sp % 16, 0));
	cr_assert(seen_sp > (uintptr_t)stack && seen_sp < (uintptr_t)stack + SIM_STACK_SIZE + 8);
	sim_ctx_release(&co_c);
	free(stack);
}
