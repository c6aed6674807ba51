/*
 * Interrupt and exception dispatch. Device vectors are handed out by
 * arch_irq_alloc_vector(); their handler table is written once at
 * registration (irq_lock) and read without the lock in interrupt context.
 * An exception in the kernel prints a register dump and stops the machine
 * with a failure status: the monitor does not try to continue.
 */
#include <tessera/arch.h>
#include <tessera/errno.h>
#include <tessera/irq.h>
#include <tessera/lock.h>
#include <tessera/printk.h>

#include "arch/x86/io.h"
#include "arch/x86/x86.h"

struct irq_slot {
	irq_handler_fn fn;
	void *arg;
};

static struct irq_slot irq_table[256];
static struct spinlock irq_lock = SPINLOCK_INIT("irq", LOCK_RANK_IRQ);
static int irq_next = VEC_FIRST_DEVICE;

static const char *const exc_names[32] = {
	"divide error", "debug", "NMI", "breakpoint", "overflow",
	"bound range", "invalid opcode", "device not available",
	"double fault", "coprocessor overrun", "invalid TSS",
	"segment not present", "stack fault", "general protection",
	"page fault", "reserved", "x87 error", "alignment check",
	"machine check", "SIMD error", "virtualization", "control protection",
};

int arch_irq_alloc_vector(irq_handler_fn fn, void *arg)
{
	int v = -ENOSPC;

	spin_lock(&irq_lock);
	if (irq_next <= VEC_LAST_DEVICE) {
		v = irq_next++;
		irq_table[v].arg = arg;
		irq_table[v].fn = fn;
	}
	spin_unlock(&irq_lock);
	return v;
}

static void trap_dump(const struct trap_frame *tf)
{
	const char *name = tf->vector < 32 && exc_names[tf->vector] ?
			   exc_names[tf->vector] : "unknown";

	console_printf("\nEXCEPTION %lu (%s) error=%#lx\n", tf->vector, name, tf->error);
	if (tf->vector == 14)
		console_printf("faulting address (cr2) = %#lx\n", read_cr2());
	console_printf("rip=%016lx cs=%04lx rflags=%016lx\n", tf->rip, tf->cs, tf->rflags);
	console_printf("rsp=%016lx ss=%04lx\n", tf->rsp, tf->ss);
	console_printf("rax=%016lx rbx=%016lx rcx=%016lx\n", tf->rax, tf->rbx, tf->rcx);
	console_printf("rdx=%016lx rsi=%016lx rdi=%016lx\n", tf->rdx, tf->rsi, tf->rdi);
	console_printf("rbp=%016lx r8 =%016lx r9 =%016lx\n", tf->rbp, tf->r8, tf->r9);
	console_printf("r10=%016lx r11=%016lx r12=%016lx\n", tf->r10, tf->r11, tf->r12);
	console_printf("r13=%016lx r14=%016lx r15=%016lx\n", tf->r13, tf->r14, tf->r15);
	console_printf("cr3=%016lx\n", read_cr3());
}

static void trap_exception(struct trap_frame *tf)
{
	u64 addr = tf->vector == 14 ? read_cr2() : 0;

	if (tf->cs & 3) {
		user_fault(tf, addr);
		return;
	}
	if (tf->vector == 14 && user_fixup(tf, addr))
		return;
	trap_dump(tf);
	panic("unhandled kernel exception %lu at rip %#lx", tf->vector, tf->rip);
}

void trap_dispatch(struct trap_frame *tf)
{
	struct irq_slot *s;

	if (tf->vector == VEC_NMI) {
		x86_nmi(); /* no EOI, no preemption: it may interrupt anything */
		return;
	}
	if (tf->vector < 32) {
		trap_exception(tf);
		return;
	}
	if (tf->vector == VEC_SPURIOUS)
		return;
	s = &irq_table[tf->vector];
	if (tf->vector == VEC_TIMER)
		irq_timer_tick();
	else if (tf->vector == VEC_RESCHED)
		irq_resched();
	else if (s->fn)
		s->fn(s->arg);
	lapic_eoi();
	irq_return_hook();
	if (tf->cs & 3)
		user_interrupt_return(tf);
}
