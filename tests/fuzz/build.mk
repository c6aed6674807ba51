# tests/fuzz/: libFuzzer targets, one per decoder of bytes from the
# network or a disk (fuzz_NAME.c), each linked with the code it feeds;
# tools/fuzz.py runs them (make fuzz: the full budget; make test: a smoke
# pass and the crash inputs kept in tests/fuzz/crashes/). Seed inputs are
# in tests/fuzz/corpus/NAME/ or made by tools/fuzz.py (the ext2 volumes).

FUZZ_UTIL := tests/fuzz/fuzz_util.c

$(eval $(call fuzz_target,bootargs,tests/fuzz/fuzz_bootargs.c $(FUZZ_UTIL) \
	kernel/bootargs.c kernel/lib/fmt.c tests/host/shim_kernel.c))
$(eval $(call fuzz_target,roce,tests/fuzz/fuzz_roce.c $(FUZZ_UTIL) \
	net/rdma/roce_hdr.c net/rdma/roce_icrc.c))
$(eval $(call fuzz_target,elf,tests/fuzz/fuzz_elf.c $(FUZZ_UTIL) \
	linux-abi/elf_test_util.c $(ABI_ELF_SRCS)))
$(eval $(call fuzz_target,exec_stack,tests/fuzz/fuzz_exec_stack.c $(FUZZ_UTIL) \
	$(ABI_ELF_SRCS)))
$(eval $(call fuzz_target,mem,tests/fuzz/fuzz_mem.c $(FUZZ_UTIL) $(mem-core) $(mem-host)))
$(eval $(call fuzz_target,ext2,tests/fuzz/fuzz_ext2.c $(FUZZ_UTIL) $(FS_SRCS) kernel/lib/sort.c))
$(eval $(call fuzz_target,fs_proto,tests/fuzz/fuzz_fs_proto.c $(FUZZ_UTIL) $(FS_SRCS) \
	kernel/lib/sort.c storage/fs_test_util.c))
$(eval $(call fuzz_target,mgr,tests/fuzz/fuzz_mgr.c $(FUZZ_UTIL) \
	managers/mgr_registry.c managers/mgr_nodes.c net/inet/inet_addr.c))
$(eval $(call fuzz_target,launch,tests/fuzz/fuzz_launch.c $(FUZZ_UTIL) \
	processor/launch/launch_msg.c))
$(eval $(call fuzz_target,pfile,tests/fuzz/fuzz_pfile.c $(FUZZ_UTIL) \
	processor/backend/file_rpc_wire.c))
$(eval $(call fuzz_target,net,tests/fuzz/fuzz_net.c $(FUZZ_UTIL) \
	net/rdma/rc_test_util.c $(NET_SIM_SRCS)))
$(eval $(call fuzz_target,rpc,tests/fuzz/fuzz_rpc.c $(FUZZ_UTIL) \
	net/rpc/rpc_test_util.c $(NET_SIM_SRCS)))
