# processor/: the pMonitor. One folder per job:
#
#   role.c, pmon.h  the role's start, and all of the pMonitor's state in
#                   one header (struct pmon, pproc, pthread; lock order)
#   cache/          the ExCache: sets, ways, victims, per-space caps, and
#                   its eviction policies (one file each, registered with
#                   EXCACHE_POLICY); portable, also a host test
#   proc/           processes: a pMonitor instance, spawn/exit/wait, exec,
#                   the fault path and its victim carrying, address-space
#                   changes, written-back sets, the process interface the
#                   Linux syscall handlers run against (abi_ops.c)
#   fd/             file descriptors and the file half of that interface
#   launch/         GPM's launches: EXEC checks, routing, output, exit
#   backend/        where memory and files really live: the interfaces
#                   (mem_backend.h, file_backend.h) and their RPC clients
#                   of the mMonitors and sMonitors
#   test/           test images only: the local test backends, the test
#                   programs embedded as a ustar archive, the end-to-end
#                   process tests and the boot-time self-tests
#                   (pmem_selftest=, pfile_selftest=)

EXCACHE_SRCS := processor/cache/excache.c processor/cache/excache_limit.c \
	processor/cache/excache_fifo.c processor/cache/excache_clock.c
PROC_SRCS := processor/role.c $(EXCACHE_SRCS) \
	processor/proc/instance.c processor/proc/process.c processor/proc/exec.c \
	processor/proc/fault.c processor/proc/victim_carry.c \
	processor/proc/addr_space.c processor/proc/wb_set.c processor/proc/abi_ops.c \
	processor/proc/signal.c processor/proc/exit.c processor/proc/wait.c processor/proc/fork.c \
	processor/proc/pgrp.c processor/proc/execve.c processor/proc/timer.c processor/proc/ps.c \
	processor/proc/exec_args.c \
	processor/proc/thread.c processor/proc/futex.c \
	processor/fd/fd_file.c processor/fd/fd_table.c processor/fd/fd_console.c \
	processor/fd/fd_backend.c processor/fd/abi_files.c processor/fd/pipe.c \
	processor/fd/poll.c processor/fd/path_ops.c processor/fd/attr_ops.c processor/fd/cwd.c \
	processor/fd/tmpfs.c processor/fd/tmpfs_node.c processor/fd/mount.c \
	processor/fd/pseudo.c processor/fd/pseudo_file.c processor/fd/dev.c processor/fd/procfs.c \
	processor/fd/procfs_pid.c \
	processor/fd/procfs_fd.c \
	processor/launch/launch.c processor/launch/launch_msg.c \
	processor/launch/launch_route.c processor/launch/launch_ctl.c \
	processor/backend/mem_rpc.c processor/backend/mem_rpc_replica.c \
	processor/backend/mem_rpc_refill.c \
	processor/backend/file_rpc.c \
	processor/backend/file_rpc_write.c processor/backend/file_rpc_wire.c

ksrcs-processor += $(PROC_SRCS)
ktests-processor += processor/cache/excache_test.c \
	processor/backend/file_rpc_test.c processor/fd/tmpfs_test.c \
	processor/test/test_mem.c processor/test/test_files.c \
	processor/test/test_progs.S processor/test/ptest_run.c processor/test/proc_test.c \
	processor/test/signal_test.c processor/test/pipe_test.c processor/test/fork_test.c \
	processor/test/exec_test.c processor/test/timer_test.c \
	processor/test/abi_test.c processor/test/mem_selftest.c \
	processor/test/file_selftest.c

PTEST_PROGS := $(addprefix $(BUILD)/progs/,hello-musl hello-glibc hello-pie exit3 \
	nullderef efault memtest sigself pipes forks execs timers)
# "#!" scripts whose interpreter is /execs: paths of the embedded archive.
PTEST_SCRIPTS := tests/progs/exec-script tests/progs/exec-script2
PTEST_PROGS_TAR := $(BUILD)/k/ptest_progs.tar

$(PTEST_PROGS_TAR): $(PTEST_PROGS) $(PTEST_SCRIPTS)
	@mkdir -p $(dir $@)
	@echo "  TAR  $@"
	@tar --format=ustar --owner=0 --group=0 --numeric-owner -cf $@ \
		-C $(BUILD)/progs $(notdir $(PTEST_PROGS)) \
		-C $(CURDIR)/tests/progs $(notdir $(PTEST_SCRIPTS))

$(KOBJ)/processor/test/test_progs.o: $(PTEST_PROGS_TAR)
$(KOBJ)/processor/test/test_progs.o: KASFLAGS += -DPTEST_PROGS_TAR='"$(PTEST_PROGS_TAR)"'

$(eval $(call host_test,excache,$(EXCACHE_SRCS) processor/cache/excache_test.c \
	kernel/kmalloc.c kernel/lock.c kernel/lockrank.c kernel/lib/strutil.c tests/host/shim_kernel.c \
	tests/host/shim_pages.c tests/host/shim_mutex.c))
$(eval $(call host_test,tmpfs,processor/fd/tmpfs.c processor/fd/tmpfs_node.c \
	processor/fd/mount.c processor/fd/tmpfs_test.c kernel/kmalloc.c kernel/lock.c \
	kernel/lockrank.c kernel/lib/strutil.c tests/host/shim_kernel.c tests/host/shim_pages.c \
	tests/host/shim_mutex.c tests/host/shim_time.c))
$(eval $(call host_test,pfile_rpc,processor/backend/file_rpc_wire.c \
	processor/backend/file_rpc_test.c))
