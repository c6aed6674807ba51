/*
 * Kernel entry: interrupts, exceptions and system calls all build the same
 * frame, struct user_regs (include/tessera/user.h).
 *
 * Interrupt/exception: one 16-byte stub per vector pushes a dummy error code
 * where the CPU does not, then the vector; trap_common swaps GS if we came
 * from user mode, saves the general registers and calls trap_dispatch.
 *
 * syscall: the CPU leaves rip in rcx, rflags in r11, masks IF; we swap GS,
 * switch to the thread's kernel stack (gs:0), push a frame that looks like
 * an interrupt's (vector 256) and call syscall_dispatch with interrupts on.
 * Every return to user mode goes through iretq in trap_exit, so a handler
 * may change any register (execve, signal return).
 */
#define HAS_ERR(v) ((v) == 8 || ((v) >= 10 && (v) <= 14) || (v) == 17 || (v) == 21 || (v) == 29 || (v) == 30)
#define FRAME_CS 24 /* offset of cs above the vector slot */

	.text
	.balign 16
	.globl trap_stubs
trap_stubs:
	.set vec, 0
	.rept 256
	.balign 16
	.if HAS_ERR(vec) == 0
	pushq $0
	.endif
	pushq $vec
	jmp trap_common
	.set vec, vec + 1
	.endr

.macro SAVE_REGS
	pushq %rax
	pushq %rbx
	pushq %rcx
	pushq %rdx
	pushq %rsi
	pushq %rdi
	pushq %rbp
	pushq %r8
	pushq %r9
	pushq %r10
	pushq %r11
	pushq %r12
	pushq %r13
	pushq %r14
	pushq %r15
.endm

trap_common:
	testb $3, FRAME_CS(%rsp)
	jz 1f
	swapgs
1:	SAVE_REGS
	cld
	mov %rsp, %rdi
	call trap_dispatch
	.globl trap_exit
trap_exit:
	popq %r15
	popq %r14
	popq %r13
	popq %r12
	popq %r11
	popq %r10
	popq %r9
	popq %r8
	popq %rbp
	popq %rdi
	popq %rsi
	popq %rdx
	popq %rcx
	popq %rbx
	popq %rax
	testb $3, FRAME_CS(%rsp)
	jz 2f
	cli
	swapgs
2:	addq $16, %rsp
	iretq

	.globl syscall_entry
syscall_entry:
	swapgs
	movq %rsp, %gs:8
	movq %gs:0, %rsp
	pushq $0x1B		/* ss */
	pushq %gs:8		/* rsp */
	pushq %r11		/* rflags */
	pushq $0x23		/* cs */
	pushq %rcx		/* rip */
	pushq $0		/* error */
	pushq $256		/* vector: system call */
	SAVE_REGS
	cld
	sti
	mov %rsp, %rdi
	call syscall_dispatch
	cli
	jmp trap_exit

/* user_enter_frame(frame): load a complete frame and return to user mode. */
	.globl user_enter_frame
user_enter_frame:
	cli
	movq %rdi, %rsp
	jmp trap_exit
