# linux-abi/: what it takes to run unmodified static x86-64 Linux binaries:
# the ELF loader, the initial stack and auxiliary vector, the syscall table
# and the handlers that need only the process interface in abi_proc.h.
# Portable: the same files build into the processor image and into host
# tests. tests/progs/build.mk builds the binaries the loader tests read.

ABI_ELF_SRCS := linux-abi/elf_load.c linux-abi/exec_stack.c

ksrcs-linux-abi += $(ABI_ELF_SRCS)

$(eval $(call host_test,elf_load,linux-abi/elf_load_test.c \
	linux-abi/elf_reject_test.c linux-abi/elf_fuzz_test.c \
	linux-abi/elf_test_util.c $(ABI_ELF_SRCS)))
$(eval $(call host_test,exec_stack,linux-abi/exec_stack_test.c $(ABI_ELF_SRCS)))
