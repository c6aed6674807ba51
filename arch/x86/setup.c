/* arch_boot: from boot.S to kernel_main. Order matters: the console first
 * (so anything can print), the boot loader's memory map, descriptor tables,
 * low memory for the page allocator, our own page tables, then the rest of
 * RAM, the local APIC and a calibrated clock. The other CPUs start later,
 * from kernel_main (arch_smp_start). */
#include <tessera/arch.h>
#include <tessera/boot.h>
#include <tessera/printk.h>
#include <tessera/time.h>

#include "arch/x86/x86.h"

void arch_boot(u32 magic, u64 info_pa);

void arch_boot(u32 magic, u64 info_pa)
{
	x86_percpu_init(&x86_cpus[0], 0); /* before anything takes a lock */
	serial_init();
	if (!bootinfo_parse(magic, info_pa))
		panic("unknown boot loader (magic %#x)", magic);
	gdt_init(&x86_cpus[0]);
	idt_init();
	user_init();
	page_init_low();
	paging_init();
	page_add_high_memory();
	lapic_init();
	tsc_calibrate();
	time_init();
	kernel_main();
}
