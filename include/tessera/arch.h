/*
 * Hooks the portable kernel calls into the architecture (arch/x86/). Portable
 * code includes only this header for anything machine-specific.
 */
#ifndef TESSERA_ARCH_H
#define TESSERA_ARCH_H

#include <tessera/types.h>

/* Console: write bytes to the serial console (polled, any context). */
void arch_console_write(const char *s, size_t n);

/* Stop the machine, asking the emulator to exit: success or failure. */
__noreturn void arch_exit(bool success);
__noreturn void arch_halt_forever(void);
void arch_wait_for_interrupt(void); /* sti; hlt, returns with irqs on */
void arch_dump_stack(void);

/* Interrupt flag. */
unsigned long arch_irq_save(void);
void arch_irq_restore(unsigned long flags);
void arch_irq_enable(void);
void arch_irq_disable(void);
bool arch_irqs_enabled(void);
static inline void arch_cpu_relax(void)
{
	__builtin_ia32_pause();
}

/* CPUs. Indices are dense, 0 = the boot CPU. arch_cpu_index() is stable
 * only while interrupts are off (a thread may move to another CPU). */
#define MAX_CPUS 16
int arch_cpu_index(void);
/* Start every other CPU the firmware lists; each runs ap_main(index) with
 * interrupts off on its own boot stack and never returns. Returns the
 * number of CPUs online, this one included. */
int arch_smp_start(__noreturn void (*ap_main)(int index));
/* Ask CPU index to reschedule (an interrupt that sets nothing itself:
 * irq_return_hook runs on its way out). */
void arch_ipi_resched(int index);
/* Stop every other CPU, whatever it is doing (the panic path). */
void arch_halt_others(void);

/* Time: the TSC, calibrated at boot; the periodic tick (irq_timer_tick). */
void arch_timer_start(unsigned hz);
u64 arch_cycles(void);
u64 arch_cycles_per_sec(void);

/* CPUID leaf (and subleaf) into eax, ebx, ecx, edx. */
void arch_cpuid(u32 leaf, u32 sub, u32 out[4]);
/* 64 bits from the CPU's random number generator: false if it has none
 * or it gave nothing. */
bool arch_random_u64(u64 *out);

/* The battery-backed clock: UTC seconds since 1970, read from the
 * hardware (slow: port I/O, may wait for an update). 0, -EINVAL for a
 * clock that holds no valid date, -EIO if it would not settle. */
int arch_rtc_read(u64 *unix_sec);

/* Threads: what a switch saves and restores. User state (FS base, the
 * FPU/SSE registers) exists only once the thread has entered user mode. */
struct arch_context {
	unsigned long rsp;        /* saved kernel stack pointer */
	unsigned long kstack_top; /* where entries from user mode land */
	u64 fs_base;              /* user TLS base */
	void *fpu;                /* fxsave area, NULL for kernel-only threads */
	paddr_t space;            /* page-table root of its user space, 0: any */
};
void arch_context_switch(struct arch_context *from, struct arch_context *to);
/* Prepare a new stack so that switching to it calls entry(arg) with irqs on. */
void arch_context_init(struct arch_context *ctx, void *stack_top,
		       void (*entry)(void *), void *arg);
/* Release what the context owns (the FPU area); the stack is the caller's. */
void arch_context_destroy(struct arch_context *ctx);

/* Direct map of physical memory. */
void *phys_to_virt(paddr_t pa);
paddr_t virt_to_phys(const void *va);
/* Map a device MMIO window uncached; NULL if out of window space. */
void *arch_ioremap(paddr_t pa, size_t size);

/* Interrupt vectors for devices (MSI/MSI-X). */
typedef void (*irq_handler_fn)(void *arg);
int arch_irq_alloc_vector(irq_handler_fn fn, void *arg);
/* MSI message for delivering vector to the boot CPU. */
void arch_msi_message(int vector, u64 *addr, u32 *data);

/* Port I/O (PCI configuration mechanism #1 uses it). */
u32 arch_inl(u16 port);
void arch_outl(u16 port, u32 v);

#endif
