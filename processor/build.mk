# processor/: the pMonitor. The ExCache core (excache*.c, also a host
# test), processes and their fault path, exec and the Linux ABI ops
# (pproc.h lists the files), and the test backends (ptest_*) with the
# static test programs embedded as a ustar archive for the in-kernel tests.
PROC_SRCS := processor/role.c processor/excache.c processor/excache_limit.c processor/excache_fifo.c \
	processor/excache_clock.c processor/pmon.c processor/pproc.c \
	processor/pexec.c processor/pfault.c processor/pcarry.c processor/pmap.c processor/pabi.c \
	processor/pabi_fs.c processor/pfd.c processor/pwset.c \
	processor/plaunch.c processor/plaunch_msg.c processor/plaunch_route.c
PROC_TEST_SRCS := processor/excache_test.c processor/ptest_mem.c \
	processor/ptest_files.c processor/ptest_progs.S processor/pproc_test.c \
	processor/pabi_test.c

ksrcs-processor += $(PROC_SRCS) $(PROC_TEST_SRCS)

# The sMonitor file client (pfile_rpc.h) and its boot-time check
# (pfile_selftest=IP:PATH).
PFILE_RPC_SRCS := processor/pfile_rpc.c processor/pfile_rpc_wire.c
ksrcs-processor += $(PFILE_RPC_SRCS) processor/pfile_selftest.c \
	processor/pfile_rpc_test.c

PTEST_PROGS := $(addprefix $(BUILD)/progs/,hello-musl hello-glibc hello-pie exit3 \
	nullderef efault memtest)
PTEST_PROGS_TAR := $(BUILD)/k/ptest_progs.tar

$(PTEST_PROGS_TAR): $(PTEST_PROGS)
	@mkdir -p $(dir $@)
	@echo "  TAR  $@"
	@tar --format=ustar --owner=0 --group=0 --numeric-owner -cf $@ \
		-C $(BUILD)/progs $(notdir $(PTEST_PROGS))

$(KOBJ)/processor/ptest_progs.o: $(PTEST_PROGS_TAR)
$(KOBJ)/processor/ptest_progs.o: KASFLAGS += -DPTEST_PROGS_TAR='"$(PTEST_PROGS_TAR)"'

$(eval $(call host_test,excache,processor/excache.c processor/excache_limit.c processor/excache_fifo.c \
	processor/excache_clock.c processor/excache_test.c kernel/kmalloc.c kernel/lock.c \
	kernel/lib/strutil.c tests/host/shim_kernel.c tests/host/shim_pages.c tests/host/shim_mutex.c))
$(eval $(call host_test,pfile_rpc,processor/pfile_rpc_wire.c \
	processor/pfile_rpc_test.c))

# The memory backend over RPC and its end-to-end self-test (pmem_selftest=).
ksrcs-processor += processor/pmem_rpc.c processor/pmem_selftest.c
