/*
 * Bringing up the other CPUs and what identifies each: the per-CPU areas
 * (x86_cpus, one per CPU, at GS base in the kernel), the MADT's APIC ids,
 * INIT-SIPI-SIPI through the real-mode trampoline (trampoline.S), each
 * AP's own descriptor tables, syscall MSRs, APIC and timer, then the
 * portable kernel's ap_main. The boot CPU starts the APs one at a time
 * (one trampoline page); x86_ncpus and the areas' apic ids are written
 * only then, before any AP runs portable code.
 */
#include <tessera/arch.h>
#include <tessera/kmalloc.h>
#include <tessera/printk.h>
#include <tessera/string.h>
#include <tessera/time.h>

#include "arch/x86/io.h"
#include "arch/x86/layout.h"
#include "arch/x86/x86.h"

#define MSR_GS_BASE 0xC0000101
#define AP_STACK_SIZE (16 * 1024)
#define AP_START_NS (5 * NSEC_PER_SEC)
#define ICR_INIT 0x4500    /* INIT, level assert */
#define ICR_STARTUP 0x4600 /* STARTUP; vector = start page */

struct tramp_params {
	u64 cr3, stack, arg, entry;
};

extern char tramp_start[], tramp_end[], tramp_params[];

struct x86_percpu x86_cpus[MAX_CPUS];
int x86_ncpus = 1;
static __noreturn void (*smp_ap_main)(int index);
static volatile bool smp_halting; /* set once by the panic path */

struct x86_percpu *x86_this_cpu(void)
{
	return &x86_cpus[arch_cpu_index()];
}

int arch_cpu_index(void)
{
	u32 i;

	asm volatile("movl %%gs:%c1, %0" : "=r"(i) : "i"(X86_PERCPU_INDEX));
	return (int)i;
}

/* Make pc the running CPU's area (GS base). */
void x86_percpu_init(struct x86_percpu *pc, u32 index)
{
	pc->index = index;
	wrmsr(MSR_GS_BASE, (u64)pc);
}

struct x86_percpu *x86_cpu_by_apic(u32 apic_id)
{
	for (int i = 0; i < x86_ncpus; i++)
		if (x86_cpus[i].apic_id == apic_id)
			return &x86_cpus[i];
	return NULL;
}

/* First C code of an AP, on the trampoline's page tables and GDT. */
static __noreturn void smp_ap_entry(struct x86_percpu *pc)
{
	x86_percpu_init(pc, pc->index);
	gdt_init(pc);
	idt_load();
	x86_set_cr3(paging_kernel_root());
	user_init();
	lapic_cpu_init();
	__atomic_store_n(&pc->online, 1, __ATOMIC_RELEASE);
	smp_ap_main((int)pc->index);
}

static void smp_send_startup(u32 apic_id)
{
	lapic_send_ipi(apic_id, ICR_INIT);
	time_delay_us(10000);
	for (int i = 0; i < 2; i++) {
		lapic_send_ipi(apic_id, ICR_STARTUP | (TRAMP_PHYS >> 12));
		time_delay_us(200);
	}
}

static bool smp_wait_online(struct x86_percpu *pc)
{
	u64 end = time_ns() + AP_START_NS;

	while (!__atomic_load_n(&pc->online, __ATOMIC_ACQUIRE))
		if (time_ns() > end)
			return false;
	return true;
}

/* Start the AP whose area is pc; false (and the stack freed) if it did
 * not come up. */
static bool smp_start_one(struct x86_percpu *pc)
{
	struct tramp_params *tp = phys_to_virt(TRAMP_PHYS + (tramp_params - tramp_start));
	char *stack = kmalloc(AP_STACK_SIZE);

	if (!stack)
		return false;
	tp->cr3 = paging_ap_root();
	tp->stack = (u64)(stack + AP_STACK_SIZE - 8); /* as if called */
	tp->arg = (u64)pc;
	tp->entry = (u64)smp_ap_entry;
	smp_send_startup(pc->apic_id);
	if (smp_wait_online(pc))
		return true;
	pr_err("smp: CPU with APIC id %u did not start\n", pc->apic_id);
	return false; /* the stack stays: the CPU might still be running on it */
}

int arch_smp_start(__noreturn void (*ap_main)(int index))
{
	u32 ids[MAX_CPUS], self = lapic_id();
	int n = acpi_madt_apic_ids(ids, MAX_CPUS);

	x86_cpus[0].apic_id = self;
	smp_ap_main = ap_main;
	if (n == 0)
		pr_warn("smp: no ACPI MADT: running on the boot CPU only\n");
	memcpy(phys_to_virt(TRAMP_PHYS), tramp_start, (size_t)(tramp_end - tramp_start));
	for (int i = 0; i < n; i++) {
		struct x86_percpu *pc = &x86_cpus[x86_ncpus];

		if (ids[i] == self)
			continue;
		pc->index = (u32)x86_ncpus;
		pc->apic_id = ids[i];
		if (!smp_start_one(pc))
			break; /* its area may still be in use: start no more */
		x86_ncpus++;
	}
	pr_info("smp: %d CPU%s online (%d listed by the firmware)\n", x86_ncpus,
		x86_ncpus == 1 ? "" : "s", n ? n : 1);
	return x86_ncpus;
}

void arch_ipi_resched(int index)
{
	if (index != arch_cpu_index())
		lapic_send_ipi(x86_cpus[index].apic_id, VEC_RESCHED);
}

void arch_halt_others(void)
{
	if (x86_ncpus == 1 || __atomic_exchange_n(&smp_halting, true, __ATOMIC_SEQ_CST))
		return;
	lapic_send_nmi_others();
}

/* Every NMI comes here, on its own stack, perhaps with the user's GS. */
void x86_nmi(void)
{
	if (__atomic_load_n(&smp_halting, __ATOMIC_ACQUIRE))
		arch_halt_forever();
	tlb_nmi();
}
