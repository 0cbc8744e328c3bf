/*
 * ctx.h - stackful execution contexts: the machine part of the engine.
 *
 * sim_ctx_switch saves the callee-saved registers of the running context on
 * its stack, stores its stack pointer in `from`, and resumes `to`: about a
 * dozen instructions and no system call (ucontext's swapcontext makes one to
 * save the signal mask).  x86-64 has an assembly backend (sim/engine/ctx_x86_64.S);
 * other targets fall back to ucontext, correct but slower.
 */
#ifndef KMEMSIM_SIM_CTX_H
#define KMEMSIM_SIM_CTX_H

#include <stddef.h>

#define SIM_STACK_SIZE (256 * 1024)	/* per task; pages are touched lazily */

typedef void sim_ctx_entry(void *arg);

struct sim_ctx {
	void *sp;			/* saved stack pointer (asm backends) */
	void *uc;			/* ucontext_t * (fallback backend) */
	const void *stack_lo;		/* stack bounds, for AddressSanitizer */
	size_t stack_size;
	void *fake_stack;		/* AddressSanitizer's fake stack */
	sim_ctx_entry *entry;		/* first-switch entry point and its argument */
	void *arg;
};

/* Prepare `c` to run entry(arg) on [stack, stack + size) at its first switch. */
int sim_ctx_make(struct sim_ctx *c, void *stack, size_t size, sim_ctx_entry *entry, void *arg);
/* Save the running context into `from` and resume `to`. */
void sim_ctx_switch(struct sim_ctx *from, struct sim_ctx *to);
/* Describe the host thread's own stack, for the context that runs the engine. */
void sim_ctx_init_main(struct sim_ctx *c);
/* Free what sim_ctx_make allocated (not the stack). */
void sim_ctx_release(struct sim_ctx *c);

#endif
