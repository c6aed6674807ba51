/* arch_context_switch(from, to): save callee-saved registers on the current
 * stack, store rsp in *from, load rsp from *to, restore and return there.
 * A new context (arch_context_init) returns into context_first, which calls
 * entry(arg) with the values arch_context_init left in r12/r13. */
	.text
	.globl arch_context_switch
arch_context_switch:
	pushq %rbp
	pushq %rbx
	pushq %r12
	pushq %r13
	pushq %r14
	pushq %r15
	movq %rsp, (%rdi)
	movq (%rsi), %rsp
	popq %r15
	popq %r14
	popq %r13
	popq %r12
	popq %rbx
	popq %rbp
	ret

	.globl context_first
context_first:
	movq %r13, %rdi
	xorl %ebp, %ebp
	call *%r12
	ud2
