/*
 * ctx_x86_64.S - the x86-64 context switch (System V ABI).
 *
 * sim_ctx_switch_asm(void **from_sp, void *to_sp): push the callee-saved
 * registers, store the stack pointer, load the other one, pop its registers
 * and return into it.  The SSE and x87 control words (callee-saved too) are
 * not switched: no context changes them (no fesetround, no FTZ), so every
 * context runs with the thread's, and ldmxcsr / fldcw are slow (microcoded).
 * A new context's first frame (laid out by sim_ctx_make) returns into
 * sim_ctx_trampoline, which calls r12(r13).
 */
	.text
	.globl	sim_ctx_switch_asm
	.type	sim_ctx_switch_asm, @function
sim_ctx_switch_asm:
	pushq	%rbp
	pushq	%rbx
	pushq	%r12
	pushq	%r13
	pushq	%r14
	pushq	%r15
	movq	%rsp, (%rdi)
	movq	%rsi, %rsp
	popq	%r15
	popq	%r14
	popq	%r13
	popq	%r12
	popq	%rbx
	popq	%rbp
	ret
	.size	sim_ctx_switch_asm, .-sim_ctx_switch_asm

	.globl	sim_ctx_trampoline
	.type	sim_ctx_trampoline, @function
sim_ctx_trampoline:
	movq	%r13, %rdi
	callq	*%r12
	ud2
	.size	sim_ctx_trampoline, .-sim_ctx_trampoline

	.section .note.GNU-stack,"",@progbits
