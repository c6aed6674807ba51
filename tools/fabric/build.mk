# The fabric (the rig's virtual Ethernet switch): unit tests of the
# forwarding core.

$(eval $(call host_test,fabric_switch,tools/fabric/switch.c \
	tools/fabric/switch_test.c,-lm))
