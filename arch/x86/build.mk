ksrcs-arch/x86 += arch/x86/boot.S arch/x86/setup.c arch/x86/serial.c \
	arch/x86/bootinfo.c arch/x86/gdt.c arch/x86/idt.c arch/x86/entry.S \
	arch/x86/trap.c arch/x86/paging.c arch/x86/lapic.c arch/x86/tsc.c \
	arch/x86/cpu.c arch/x86/switch.S arch/x86/user.c
