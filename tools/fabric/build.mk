# The fabric (the rig's virtual Ethernet switch), its attach library, the
# fabric-echo host tool, and unit tests of the forwarding core and delay queue.

$(eval $(call host_prog,fabric,tools/fabric/main.c tools/fabric/switch.c \
	tools/fabric/port.c tools/fabric/ctl.c tools/fabric/pcap.c \
	tools/fabric/delayq.c tools/fabric/attach.c))
$(eval $(call host_test,fabric_switch,tools/fabric/switch.c \
	tools/fabric/switch_test.c,-lm))
$(eval $(call host_prog,fabric-echo,tools/fabric/echo.c \
	tools/fabric/echo_cmd.c tools/fabric/attach.c))
$(eval $(call host_test,fabric_delayq,tools/fabric/delayq.c \
	tools/fabric/delayq_test.c))
