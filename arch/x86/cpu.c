/* Small CPU services for the portable kernel: interrupt flag, halting,
 * leaving the emulator, first frames of new threads, port I/O. */
#include <tessera/arch.h>
#include <tessera/printk.h>

#include "arch/x86/io.h"
#include "arch/x86/x86.h"

#define DEBUG_EXIT_PORT 0xF4 /* QEMU isa-debug-exit: status = (v << 1) | 1 */
#define EXIT_PASS 0x10       /* QEMU exits 33 */
#define EXIT_FAIL 0x11       /* QEMU exits 35 */

extern char context_first[];

unsigned long arch_irq_save(void)
{
	unsigned long f;

	asm volatile("pushfq; popq %0; cli" : "=r"(f) : : "memory");
	return f;
}

void arch_irq_restore(unsigned long flags)
{
	if (flags & 0x200)
		asm volatile("sti" : : : "memory");
}

void arch_irq_enable(void)
{
	asm volatile("sti" : : : "memory");
}

void arch_irq_disable(void)
{
	asm volatile("cli" : : : "memory");
}

bool arch_irqs_enabled(void)
{
	unsigned long f;

	asm volatile("pushfq; popq %0" : "=r"(f));
	return f & 0x200;
}

void arch_wait_for_interrupt(void)
{
	asm volatile("sti; hlt" : : : "memory");
}

void arch_halt_forever(void)
{
	for (;;)
		asm volatile("cli; hlt");
}

void arch_exit(bool success)
{
	outb(DEBUG_EXIT_PORT, success ? EXIT_PASS : EXIT_FAIL);
	arch_halt_forever(); /* no debug-exit device: stop here */
}

void arch_context_init(struct arch_context *ctx, void *stack_top,
		       void (*entry)(void *), void *arg)
{
	u64 *sp = (u64 *)ALIGN_DOWN((u64)stack_top, 16);

	*--sp = (u64)context_first; /* ret target of arch_context_switch */
	*--sp = 0;                  /* rbp */
	*--sp = 0;                  /* rbx */
	*--sp = (u64)entry;         /* r12 */
	*--sp = (u64)arg;           /* r13 */
	*--sp = 0;                  /* r14 */
	*--sp = 0;                  /* r15 */
	ctx->rsp = (u64)sp;
	ctx->kstack_top = ALIGN_DOWN((u64)stack_top, 16);
	ctx->fs_base = 0;
	ctx->fpu = NULL;
	ctx->space = 0;
}

void arch_dump_stack(void)
{
	u64 *fp = __builtin_frame_address(0);

	console_printf("call trace:\n");
	for (int i = 0; i < 16 && fp && ((u64)fp >> 47) && !((u64)fp & 7); i++) {
		console_printf("  %#llx\n", (unsigned long long)fp[1]);
		fp = (u64 *)fp[0];
	}
}

u32 arch_inl(u16 port)
{
	u32 v;

	asm volatile("inl %1, %0" : "=a"(v) : "Nd"(port));
	return v;
}

void arch_outl(u16 port, u32 v)
{
	asm volatile("outl %0, %1" : : "a"(v), "Nd"(port));
}

void arch_timer_start(unsigned hz)
{
	lapic_timer_start(hz);
}
