# managers/: the global managers, one program with three roles (GPM, GMM,
# GSM), linking the same net/ sources as the monitors. tessera-mgr has the
# fabric transport; tessera-mgr-verbs adds libibverbs for real RDMA NICs.

MGR_SRCS := managers/mgr_main.c managers/mgr_registry.c managers/mgr_serve.c managers/mgr_nodes.c \
	    managers/mgr_cli.c managers/gpm.c managers/gpm_run.c managers/gpm_input.c \
	    managers/gpm_proc.c managers/gpm_files.c managers/gmm.c managers/gsm.c \
	    managers/gpm_policy.c managers/gmm_policy.c managers/gsm_policy.c \
	    managers/mgr_transport_fabric.c tools/fabric/plat_fabric.c \
	    tools/fabric/attach.c $(NET_HOST_SRCS)

$(eval $(call host_prog,tessera-mgr,$(MGR_SRCS) managers/mgr_transport_noverbs.c))
$(eval $(call host_prog,tessera-mgr-verbs,$(MGR_SRCS) managers/mgr_transport_verbs.c,-libverbs))

$(eval $(call host_test,mgr_registry,managers/mgr_registry_test.c \
	managers/mgr_registry.c managers/mgr_nodes.c net/inet/inet_addr.c))
$(eval $(call host_test,mgr_policy,managers/mgr_policy_test.c \
	managers/gpm_policy.c managers/gmm_policy.c managers/gsm_policy.c))
# Runs the two programs above: the verbs transport without a device.
$(eval $(call host_test,mgr_verbs,managers/mgr_verbs_test.c tests/host/host_run.c))
