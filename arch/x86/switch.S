/* Stack switching and user copies.
 *
 * arch_switch_stacks(from_rsp, to_rsp): save callee-saved registers on the
 * current stack, store rsp in *from_rsp, load rsp from *to_rsp, restore and
 * return there. A new context (arch_context_init) returns into
 * context_first, which calls entry(arg) with the values left in r12/r13. */
	.text
	.globl arch_switch_stacks
arch_switch_stacks:
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

/* long copy_user_raw(void *dst, const void *src, size_t n): 0, or -EFAULT
 * when a fault at copy_user_insn could not be resolved (trap.c moves rip to
 * copy_user_fixup). Callers check that the user range is in user space. */
	.globl copy_user_raw, copy_user_insn, copy_user_fixup
copy_user_raw:
	movq %rdx, %rcx
copy_user_insn:
	rep movsb
	xorl %eax, %eax
	ret
copy_user_fixup:
	movq $-14, %rax
	ret

/* long user_cmpxchg_raw(u32 *uaddr, u32 old, u32 new, u32 *cur): one
 * locked compare-and-exchange of a user word, its previous value in *cur;
 * 0, or -EFAULT as for copy_user_raw (user_cmpxchg_insn may fault). */
	.globl user_cmpxchg_raw, user_cmpxchg_insn, user_cmpxchg_fixup
user_cmpxchg_raw:
	movl %esi, %eax
user_cmpxchg_insn:
	lock cmpxchgl %edx, (%rdi)
	movl %eax, (%rcx)
	xorl %eax, %eax
	ret
user_cmpxchg_fixup:
	movq $-14, %rax
	ret
