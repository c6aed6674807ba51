/* What the portable kernel provides to interrupt handling in arch code. */
#ifndef TESSERA_IRQ_H
#define TESSERA_IRQ_H

/* Called on every local timer interrupt (interrupts off). */
void irq_timer_tick(void);
/* Called on a reschedule IPI (arch_ipi_resched), interrupts off. */
void irq_resched(void);
/* Called last on every interrupt, after EOI, still with interrupts off: the
 * scheduler may switch threads here (preemption). */
void irq_return_hook(void);

#endif
