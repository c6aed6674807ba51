# memory/: the mMonitor. The role (role.c, mmon.c) serves the memory
# protocol over RPC (mem_rpc.c); the portable core keeps processes' homes
# (mem_home.c, mem_proc.c), vRegion owners and their VMA spaces
# (vregion.c, vma_space.c, mem_owner.c, mem_route.c), stored lines
# (pstore.c, mem_line.c), the filling of a new replica (mem_replica.c) and
# the protocol's decoding (mem_proto.c). The
# core's tests run on the host and in the test image (mem_testenv.c is
# their fixture).

MEM_CORE_SRCS := memory/mem_kalloc.c memory/vma_space.c memory/pstore.c \
	memory/vregion.c memory/mem_proc.c memory/mem_home.c memory/mem_owner.c \
	memory/mem_route.c memory/mem_line.c memory/mem_proto.c memory/mem_rpc.c \
	memory/mem_fork.c memory/mem_replica.c
ksrcs-memory += memory/role.c memory/mmon.c $(MEM_CORE_SRCS)
ktests-memory += memory/mem_testenv.c memory/vma_space_test.c \
	memory/vma_space_random_test.c memory/pstore_test.c memory/mem_test.c \
	memory/mem_proto_test.c memory/mem_rpc_test.c

mem-core := kernel/lib/vmaset.c $(MEM_CORE_SRCS) memory/mem_testenv.c
mem-host := kernel/kmalloc.c kernel/lock.c kernel/lockrank.c tests/host/shim_kernel.c \
	tests/host/shim_pages.c
$(eval $(call host_test,memory_vma_space,$(mem-core) $(mem-host) memory/vma_space_test.c))
$(eval $(call host_test,memory_vma_space_random,$(mem-core) $(mem-host) memory/vma_space_random_test.c))
$(eval $(call host_test,memory_mem,$(mem-core) $(mem-host) memory/mem_test.c))
$(eval $(call host_test,memory_pstore,$(mem-core) $(mem-host) memory/pstore_test.c))
$(eval $(call host_test,memory_proto,$(mem-core) $(mem-host) memory/mem_proto_test.c))
$(eval $(call host_test,memory_rpc,$(mem-core) $(mem-host) memory/mem_rpc_test.c))
