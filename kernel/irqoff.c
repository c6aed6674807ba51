/* Nested interrupt disabling per CPU (xv6 push_off/pop_off). */
#include <tessera/arch.h>
#include <tessera/lock.h>
#include <tessera/printk.h>

#include "kernel/globals.h"

void irq_push_off(void)
{
	unsigned long flags = arch_irq_save();

	if (this_cpu.ncli++ == 0)
		this_cpu.irq_was_on = (flags & 0x200) != 0;
}

void irq_pop_off(void)
{
	BUG_ON(arch_irqs_enabled());
	BUG_ON(this_cpu.ncli == 0);
	if (--this_cpu.ncli == 0 && this_cpu.irq_was_on)
		arch_irq_enable();
}
