# Network test programs: rpc-client runs checked RPC echo load from Linux
# against monitors over the fabric (the net/ sources on the Linux platform,
# the cluster layer's diagnostics, the fabric's attach glue).

$(eval $(call host_prog,rpc-client,tests/net/rpc_client.c $(NET_HOST_SRCS) \
	$(CLUSTER_DIAG_HOST_SRCS) tools/fabric/plat_fabric.c tools/fabric/attach.c))
