# net/: the transport, Ethernet to RPC, written once for the monitors and
# for Linux programs. Sub-folders by job:
#
#   net/inet/   the interface (net_if.c), Ethernet, ARP, IPv4 and UDP,
#               deferred work and timers of the layers above, addresses
#   net/rdma/   RoCEv2: BTH/RETH/AETH codecs and the ICRC, the verbs
#               objects (device, memory regions, CQs, QPs) and the RC
#               requester and responder
#   net/rpc/    connection setup (cm*.c, UDP 4792) and the RPC layer:
#               endpoints, peers, calls, serving, worker threads, the
#               framework's own PING, ECHO and STATS (rpc_builtin.c)
#   net/plat/   the platform each build links exactly one of
#               (tessera/net/plat.h): the kernel, Linux, or the host
#               tests' simulated link
#
# Diagnostics (echo, bench, the RDMA probe) and the monitors' boot-time
# wiring are the cluster layer's (cluster/build.mk); the fabric glue of
# Linux programs is the fabric's (tools/fabric/plat_fabric.c).

NET_SRCS := net/inet/net_if.c net/inet/eth.c net/inet/arp.c net/inet/ip.c \
	    net/inet/net_defer.c net/inet/inet_addr.c \
	    net/rdma/roce_hdr.c net/rdma/roce_icrc.c net/rdma/rdma_dev.c \
	    net/rdma/rdma_mr.c net/rdma/rdma_cq.c net/rdma/rdma_qp.c \
	    net/rdma/rc_pkt.c net/rdma/rc_req.c net/rdma/rc_resp.c \
	    net/rpc/cm.c net/rpc/cm_active.c net/rpc/cm_passive.c \
	    net/rpc/rpc_ep.c net/rpc/rpc_peer.c \
	    net/rpc/rpc_call.c net/rpc/rpc_serve.c net/rpc/rpc_thread.c \
	    net/rpc/rpc_builtin.c

# Kernel: the portable stack and the kernel platform; the codec tests
# also run in test images.
ksrcs-net += $(NET_SRCS) net/plat/plat_kernel.c
ktests-net += net/rdma/roce_hdr_test.c net/rdma/roce_icrc_test.c

# What Linux daemons and tools link.
NET_HOST_SRCS := $(NET_SRCS) kernel/lib/sort.c net/plat/plat_linux.c

NET_SIM_SRCS := $(NET_SRCS) kernel/lib/sort.c net/plat/plat_sim.c net/plat/simlink.c

$(eval $(call host_test,net_codec,net/rdma/roce_hdr_test.c net/rdma/roce_icrc_test.c $(NET_SIM_SRCS)))
$(eval $(call host_test,net_stack,net/inet/stack_test.c net/rdma/rc_test_util.c $(NET_SIM_SRCS)))
$(eval $(call host_test,rc,net/rdma/rc_test.c net/rdma/rc_test_util.c $(NET_SIM_SRCS)))
$(eval $(call host_test,net_plat_linux,net/plat/plat_linux_test.c $(NET_HOST_SRCS)))
$(eval $(call host_test,net_cm,net/rpc/cm_test.c net/rpc/rpc_test_util.c $(NET_SIM_SRCS)))
$(eval $(call host_test,net_rpc,net/rpc/rpc_test.c net/rpc/rpc_lossy_test.c net/rpc/rpc_slow_test.c net/rpc/rpc_test_util.c $(NET_SIM_SRCS)))
