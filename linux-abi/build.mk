# linux-abi/: what it takes to run unmodified static x86-64 Linux binaries:
# the ELF loader, the initial stack and auxiliary vector, the syscall table
# and the handlers that need only the process interface in abi_proc.h.
# Portable: the same files build into the processor image and into host
# tests. tests/progs/build.mk builds the binaries the loader tests read.

ABI_ELF_SRCS := linux-abi/elf_load.c linux-abi/exec_stack.c
ABI_SYS_SRCS := linux-abi/syscall.c linux-abi/syscall_table.c \
	linux-abi/proc.c linux-abi/user.c linux-abi/sys_ids.c \
	linux-abi/sys_arch.c linux-abi/sys_rlimit.c linux-abi/sys_time.c \
	linux-abi/sys_signal.c linux-abi/sys_rw.c linux-abi/sys_ioctl.c \
	linux-abi/sys_mem.c linux-abi/sys_path.c linux-abi/sys_exit.c \
	linux-abi/sys_mmap.c linux-abi/sys_file.c linux-abi/sys_fd.c \
	linux-abi/abi_signal.c linux-abi/sig_frame.c linux-abi/sys_kill.c \
	linux-abi/sys_pipe.c linux-abi/sys_poll.c linux-abi/sys_namei.c \
	linux-abi/sys_attr.c linux-abi/sys_sync.c \
	linux-abi/sys_fork.c linux-abi/sys_exec.c linux-abi/sys_wait.c linux-abi/sys_pgrp.c \
	linux-abi/sys_timer.c linux-abi/sys_access.c \
	linux-abi/sys_cwd.c linux-abi/sys_sched.c linux-abi/sys_prctl.c linux-abi/sys_advise.c \
	linux-abi/sys_futex.c

ksrcs-linux-abi += $(ABI_ELF_SRCS) $(ABI_SYS_SRCS)

$(eval $(call host_test,elf_load,linux-abi/elf_load_test.c \
	linux-abi/elf_reject_test.c linux-abi/elf_fuzz_test.c \
	linux-abi/elf_test_util.c $(ABI_ELF_SRCS)))
$(eval $(call host_test,exec_stack,linux-abi/exec_stack_test.c \
	linux-abi/exec_run_test.c linux-abi/elf_test_util.c $(ABI_ELF_SRCS)))
$(eval $(call host_test,syscalls,linux-abi/fake_proc.c \
	linux-abi/syscall_test.c linux-abi/sys_ids_test.c \
	linux-abi/sys_rw_test.c linux-abi/sys_signal_test.c linux-abi/sig_deliver_test.c \
	linux-abi/sys_misc_test.c linux-abi/sys_namei_test.c linux-abi/sys_futex_test.c \
	$(ABI_SYS_SRCS) kernel/lock.c kernel/lockrank.c kernel/lib/strutil.c \
	kernel/kmalloc.c tests/host/shim_kernel.c tests/host/shim_pages.c))
