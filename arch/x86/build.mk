# arch/x86/: boot (PVH and Multiboot2 entry, early page tables), the GDT,
# IDT and trap entry, paging and TLB shootdown, the local APIC and its
# timer, IPIs, ACPI's MADT and bringing up the other CPUs, the TSC, the
# CMOS clock, the serial console, context switch and user-mode entry. Everything the
# portable kernel calls is an arch_* hook (tessera/arch.h).

ksrcs-arch/x86 += arch/x86/boot.S arch/x86/setup.c arch/x86/serial.c \
	arch/x86/bootinfo.c arch/x86/gdt.c arch/x86/idt.c arch/x86/entry.S \
	arch/x86/trap.c arch/x86/paging.c arch/x86/lapic.c arch/x86/tsc.c \
	arch/x86/cpu.c arch/x86/switch.S arch/x86/user.c arch/x86/acpi.c \
	arch/x86/smp.c arch/x86/trampoline.S arch/x86/tlb.c arch/x86/rtc.c \
	arch/x86/cpuid.c
