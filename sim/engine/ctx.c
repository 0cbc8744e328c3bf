/*
 * ctx.c - first-frame setup and AddressSanitizer bookkeeping for contexts.
 *
 * The register save/restore is sim_ctx_switch_asm (sim/engine/ctx_x86_64.S); this
 * file lays out a new context's first frame so that the switch "returns" into
 * the trampoline, and tells AddressSanitizer about each stack change (without
 * that, ASan reports false stack overflows on the task stacks).  Targets
 * without an assembly backend use ucontext, which costs a system call per
 * switch.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ctx.h"

#if defined(__SANITIZE_ADDRESS__)
#define SIM_CTX_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define SIM_CTX_ASAN 1
#endif
#endif

#ifdef SIM_CTX_ASAN
void __sanitizer_start_switch_fiber(void **fake_stack_save, const void *bottom, size_t size);
void __sanitizer_finish_switch_fiber(void *fake_stack_save, const void **bottom_old, size_t *size_old);

/* The first switch after sim_ctx_init_main leaves the host stack: learn its bounds then. */
static struct sim_ctx *main_ctx;

static void ctx_asan_finish(void *fake_stack)
{
	const void *lo;
	size_t size;

	__sanitizer_finish_switch_fiber(fake_stack, &lo, &size);
	if (main_ctx && !main_ctx->stack_lo) {
		main_ctx->stack_lo = lo;
		main_ctx->stack_size = size;
	}
}
#endif

/* Runs first on a new context: finish the sanitizer switch, then the entry. */
static void ctx_start(struct sim_ctx *c)
{
#ifdef SIM_CTX_ASAN
	ctx_asan_finish(NULL);
#endif
	c->entry(c->arg);
	abort();		/* entries never return: they switch away for good */
}

#if defined(__x86_64__)

void sim_ctx_switch_asm(void **from_sp, void *to_sp);
void sim_ctx_trampoline(void);

int sim_ctx_make(struct sim_ctx *c, void *stack, size_t size, sim_ctx_entry *entry, void *arg)
{
	uintptr_t top = ((uintptr_t)stack + size) & ~(uintptr_t)15;
	uint64_t *sp = (uint64_t *)(top - 72);

	memset(c, 0, sizeof(*c));
	c->stack_lo = stack;
	c->stack_size = size;
	c->entry = entry;
	c->arg = arg;
	/* Popped by sim_ctx_switch_asm: r15..r12, rbx, rbp, return. */
	sp[0] = 0;				/* r15 */
	sp[1] = 0;				/* r14 */
	sp[2] = (uint64_t)(uintptr_t)c;		/* r13: argument of ctx_start */
	sp[3] = (uint64_t)(uintptr_t)ctx_start;	/* r12: called by the trampoline */
	sp[4] = 0;				/* rbx */
	sp[5] = 0;				/* rbp */
	sp[6] = (uint64_t)(uintptr_t)sim_ctx_trampoline;
	/* After `ret` rsp = top - 16: 16-byte aligned before the trampoline's call. */
	c->sp = sp;
	return 0;
}

void sim_ctx_switch(struct sim_ctx *from, struct sim_ctx *to)
{
#ifdef SIM_CTX_ASAN
	__sanitizer_start_switch_fiber(&from->fake_stack, to->stack_lo, to->stack_size);
#endif
	sim_ctx_switch_asm(&from->sp, to->sp);
#ifdef SIM_CTX_ASAN
	ctx_asan_finish(from->fake_stack);
#endif
}

void sim_ctx_release(struct sim_ctx *c)
{
	(void)c;
}

#else /* ucontext fallback */

#include <ucontext.h>

static void ctx_uc_start(unsigned int hi, unsigned int lo)
{
	ctx_start((struct sim_ctx *)(((uintptr_t)hi << 32) | (uintptr_t)lo));
}

int sim_ctx_make(struct sim_ctx *c, void *stack, size_t size, sim_ctx_entry *entry, void *arg)
{
	ucontext_t *uc = calloc(1, sizeof(*uc));
	uintptr_t p = (uintptr_t)c;

	if (!uc)
		return -1;
	memset(c, 0, sizeof(*c));
	c->uc = uc;
	c->stack_lo = stack;
	c->stack_size = size;
	c->entry = entry;
	c->arg = arg;
	getcontext(uc);
	uc->uc_stack.ss_sp = stack;
	uc->uc_stack.ss_size = size;
	uc->uc_link = NULL;
	makecontext(uc, (void (*)(void))ctx_uc_start, 2, (unsigned int)(p >> 32), (unsigned int)p);
	return 0;
}

void sim_ctx_switch(struct sim_ctx *from, struct sim_ctx *to)
{
	if (!from->uc)
		from->uc = calloc(1, sizeof(ucontext_t));
	if (!from->uc)
		abort();
#ifdef SIM_CTX_ASAN
	__sanitizer_start_switch_fiber(&from->fake_stack, to->stack_lo, to->stack_size);
#endif
	swapcontext(from->uc, to->uc);
#ifdef SIM_CTX_ASAN
	ctx_asan_finish(from->fake_stack);
#endif
}

void sim_ctx_release(struct sim_ctx *c)
{
	free(c->uc);
	c->uc = NULL;
}

#endif

void sim_ctx_init_main(struct sim_ctx *c)
{
	memset(c, 0, sizeof(*c));
#ifdef SIM_CTX_ASAN
	main_ctx = c;
#endif
}
