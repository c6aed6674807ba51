# cluster/: what makes a monitor a member of a cluster, above net/ and
# below the roles:
#
#   net_boot.c     ip=: the interface, CM and RPC endpoint on netdev 0,
#                  with every endpoint service the image links
#   member.c       registration and heartbeats with the managers
#   peer_cache.c   shared RPC connections by address (portable: also in
#                  the host test net_rpc_linux)
#
# and the diagnostic services an image config names on its service line:
#
#   frame-echo     the rig's raw Ethernet echo (frame_echo.c: echo_peers=,
#                  echo_bench=)
#   rpc-diag       the framework's PING, ECHO and STATS with a BENCH
#                  server (rpc_bench_serve.c), the RDMA probe
#                  (rdma_probe.c) and the boot-time load client
#                  (rpc_diag.c, rpc_bench.c: rpc_peers=, rdma_probe=)
#
# rpc_bench_serve.c, rpc_bench.c and rdma_probe.c also build into Linux
# programs (CLUSTER_DIAG_HOST_SRCS).

ksrcs-cluster += cluster/net_boot.c cluster/member.c cluster/peer_cache.c
ksrcs-service-frame-echo += cluster/frame_echo.c
ksrcs-service-rpc-diag += cluster/rpc_diag.c cluster/rpc_bench_serve.c \
	cluster/rpc_bench.c cluster/rdma_probe.c

CLUSTER_DIAG_HOST_SRCS := cluster/rpc_bench_serve.c cluster/rpc_bench.c cluster/rdma_probe.c

$(eval $(call host_test,net_rpc_linux,cluster/rpc_linux_test.c cluster/peer_cache.c $(CLUSTER_DIAG_HOST_SRCS) $(NET_HOST_SRCS)))
