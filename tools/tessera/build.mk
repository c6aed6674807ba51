# The tessera CLI (a client of GPM's CLI socket), and the net/ objects of
# the manager programs (managers/build.mk), which can only be named once
# net/build.mk has defined NET_HOST_SRCS.

$(eval $(call host_prog,tessera,tools/tessera/tessera.c tools/tessera/tessera_run.c))

$(BUILD)/host/tessera-mgr $(BUILD)/host/tessera-mgr-verbs: \
	$(call hobjs,$(NET_HOST_SRCS))

$(eval $(call host_test,cli,tools/tessera/tessera_test.c tests/host/host_run.c))
