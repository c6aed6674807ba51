# net/: Ethernet/ARP/IPv4/UDP, the RoCEv2 RC transport and its verbs API,
# connection setup (cm.c) and the RPC layer (rpc_*.c). The portable sources
# build into the monitors (with net/plat_kernel.c and net/net_boot.c) and
# into Linux programs (with net/plat_linux.c); host tests link
# net/plat_sim.c and net/simlink.c.

NET_SRCS := net/net_if.c net/eth.c net/arp.c net/ip.c net/roce_hdr.c \
	    net/roce_icrc.c net/rdma_dev.c net/rdma_mr.c net/rdma_cq.c \
	    net/rdma_qp.c net/rc_pkt.c net/rc_req.c net/rc_resp.c \
	    net/net_defer.c net/cm.c net/rpc_ep.c net/rpc_peer.c \
	    net/rpc_call.c net/rpc_serve.c net/rpc_thread.c net/rpc_echo.c \
	    net/rpc_bench.c net/rdma_probe.c net/inet_addr.c

# Kernel: the portable stack, the kernel platform, boot-time bring-up
# (ip=, rpc_peers=) and the portable codec tests, which run in ktest=all.
ksrcs-net += $(NET_SRCS) net/plat_kernel.c net/net_boot.c \
	     net/roce_hdr_test.c net/roce_icrc_test.c

# What Linux daemons and tools link.
NET_HOST_SRCS := $(NET_SRCS) kernel/lib/sort.c net/plat_linux.c

NET_SIM_SRCS := $(NET_SRCS) kernel/lib/sort.c net/plat_sim.c net/simlink.c

$(eval $(call host_test,net_codec,net/roce_hdr_test.c net/roce_icrc_test.c $(NET_SIM_SRCS)))
$(eval $(call host_test,net_stack,net/stack_test.c net/rc_test_util.c $(NET_SIM_SRCS)))
$(eval $(call host_test,rc,net/rc_test.c net/rc_test_util.c $(NET_SIM_SRCS)))
$(eval $(call host_test,net_plat_linux,net/plat_linux_test.c $(NET_HOST_SRCS)))
$(eval $(call host_test,net_cm,net/cm_test.c net/rpc_test_util.c $(NET_SIM_SRCS)))
$(eval $(call host_test,net_rpc,net/rpc_test.c net/rpc_lossy_test.c net/rpc_test_util.c $(NET_SIM_SRCS)))
$(eval $(call host_test,net_rpc_linux,net/rpc_linux_test.c $(NET_HOST_SRCS)))
