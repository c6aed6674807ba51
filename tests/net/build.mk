# Network test programs: rpc-client runs checked RPC echo load from Linux
# against monitors over the fabric (the net/ sources on the Linux platform).

$(eval $(call host_prog,rpc-client,tests/net/rpc_client.c $(NET_HOST_SRCS) \
	net/plat_fabric.c tools/fabric/attach.c))
