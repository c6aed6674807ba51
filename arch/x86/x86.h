/* Functions shared inside arch/x86 only. */
#ifndef ARCH_X86_X86_H
#define ARCH_X86_X86_H

#include <tessera/arch.h>
#include <tessera/types.h>
#include <tessera/user.h>

#define VEC_NMI 2
#define VEC_TIMER 32
#define VEC_FIRST_DEVICE 33
#define VEC_LAST_DEVICE 239
#define VEC_RESCHED 240
#define VEC_SPURIOUS 255

/* Saved by arch/x86/entry.S on every interrupt, exception and system call:
 * struct user_regs (include/tessera/user.h) is that frame. */
#define trap_frame user_regs

struct tss {
	u32 reserved0;
	u64 rsp[3];
	u64 reserved1;
	u64 ist[7];
	u64 reserved2;
	u16 reserved3, iomap_base;
} __packed;
_Static_assert(sizeof(struct tss) == 104, "x86-64 TSS layout");

#define X86_IST_STACK 4096

/* Per-CPU data at GS base while in the kernel (arch/x86/smp.c); entry.S
 * uses the first offsets. Written only by its own CPU, except that cr3,
 * lazy and tlb_want are read by others (arch/x86/tlb.c) and online is set
 * once by the CPU, read by the boot CPU. The NMI handler finds its CPU by the local APIC id, never
 * through GS (an NMI may arrive before swapgs). */
struct x86_percpu {
	u64 kernel_rsp;           /* gs:0, top of the current thread's kernel stack */
	u64 user_rsp;             /* gs:8, scratch for the syscall entry */
	u32 index;                /* gs:16, 0 = the boot CPU */
	u32 apic_id;
	volatile u64 cr3;         /* page-table root loaded now */
	volatile u32 lazy;        /* cr3 is a user root only because a kernel
				   * thread runs on it: it may be dropped */
	volatile u32 tlb_want;    /* a shootdown waits for this CPU */
	volatile u32 online;
	u64 gdt[7];
	struct tss tss;
	u8 df_stack[X86_IST_STACK] __attribute__((aligned(16)));
	u8 nmi_stack[X86_IST_STACK] __attribute__((aligned(16)));
};
#define X86_PERCPU_INDEX 16

#define SEL_KCODE 0x08
#define SEL_KDATA 0x10
#define SEL_UDATA 0x1B
#define SEL_UCODE 0x23

extern struct x86_percpu x86_cpus[MAX_CPUS];
extern int x86_ncpus; /* CPUs online, written while the APs start */
struct x86_percpu *x86_this_cpu(void);
struct x86_percpu *x86_cpu_by_apic(u32 apic_id); /* NULL if unknown */
void x86_percpu_init(struct x86_percpu *pc, u32 index);
void x86_set_cr3(u64 root); /* load a root and record it for shootdowns */
void x86_switch_space(u64 root); /* at a thread switch: root, or 0 = any */
void tss_set_rsp0(u64 rsp0);
void user_init(void);
void syscall_dispatch(struct user_regs *regs);
bool user_fixup(struct user_regs *tf, u64 addr);
void user_fault(struct user_regs *tf, u64 addr);
void user_interrupt_return(struct user_regs *tf);
void arch_switch_stacks(unsigned long *from_rsp, unsigned long *to_rsp);

void serial_init(void);
bool bootinfo_parse(u32 magic, u64 info_pa);
void gdt_init(struct x86_percpu *pc);
void idt_init(void);
void idt_load(void);
void trap_dispatch(struct trap_frame *tf);
void paging_init(void);
u64 paging_kernel_root(void);
u64 paging_ap_root(void); /* the kernel's, plus low memory identity-mapped */
void lapic_init(void);
void lapic_cpu_init(void);
u32 lapic_id(void);
void lapic_send_ipi(u32 apic_id, u32 icr);
void lapic_send_nmi_others(void);
void lapic_eoi(void);
void lapic_timer_start(u32 hz);
bool acpi_find_root(u64 rsdp_pa);
int acpi_madt_apic_ids(u32 *ids, int max);
void x86_nmi(void);
void tlb_nmi(void);
bool tlb_flush_others(u64 root, u64 va, u64 npages);
void tlb_drop_root(u64 root);
void tsc_calibrate(void);
u64 pit_measure_tsc(u32 ms);

#endif
