/* Functions shared inside arch/x86 only. */
#ifndef ARCH_X86_X86_H
#define ARCH_X86_X86_H

#include <tessera/types.h>
#include <tessera/user.h>

#define VEC_TIMER 32
#define VEC_FIRST_DEVICE 33
#define VEC_LAST_DEVICE 239
#define VEC_SPURIOUS 255

/* Saved by arch/x86/entry.S on every interrupt, exception and system call:
 * struct user_regs (include/tessera/user.h) is that frame. */
#define trap_frame user_regs

/* Per-CPU data at GS base while in the kernel; entry.S uses the offsets. */
struct x86_percpu {
	u64 kernel_rsp; /* gs:0, top of the current thread's kernel stack */
	u64 user_rsp;   /* gs:8, scratch for the syscall entry */
};

#define SEL_KCODE 0x08
#define SEL_KDATA 0x10
#define SEL_UDATA 0x1B
#define SEL_UCODE 0x23

extern struct x86_percpu x86_cpu0;
void tss_set_rsp0(u64 rsp0);
void user_init(void);
void syscall_dispatch(struct user_regs *regs);
bool user_fixup(struct user_regs *tf, u64 addr);
void user_fault(struct user_regs *tf, u64 addr);
void user_interrupt_return(struct user_regs *tf);
void arch_switch_stacks(unsigned long *from_rsp, unsigned long *to_rsp);

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
