/* Functions shared inside arch/x86 only. */
#ifndef ARCH_X86_X86_H
#define ARCH_X86_X86_H

#include <tessera/types.h>

#define VEC_TIMER 32
#define VEC_FIRST_DEVICE 33
#define VEC_LAST_DEVICE 239
#define VEC_SPURIOUS 255

/* Saved by arch/x86/entry.S on every interrupt or exception, in this order. */
struct trap_frame {
	u64 r15, r14, r13, r12, r11, r10, r9, r8;
	u64 rbp, rdi, rsi, rdx, rcx, rbx, rax;
	u64 vector, error;
	u64 rip, cs, rflags, rsp, ss;
};
_Static_assert(sizeof(struct trap_frame) == 22 * 8, "trap.S frame layout");

void serial_init(void);
bool bootinfo_parse(u32 magic, u64 info_pa);
void gdt_init(void);
void idt_init(void);
void trap_dispatch(struct trap_frame *tf);
void paging_init(void);
void lapic_init(void);
void lapic_eoi(void);
void lapic_timer_start(u32 hz);
void tsc_calibrate(void);
u64 pit_measure_tsc(u32 ms);

#endif
