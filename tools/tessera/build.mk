# The tessera CLI, a client of GPM's CLI socket.

$(eval $(call host_prog,tessera,tools/tessera/tessera.c tools/tessera/tessera_run.c \
	tools/tessera/tessera_proc.c tools/tessera/tessera_cp.c))

$(eval $(call host_test,cli,tools/tessera/tessera_test.c tests/host/host_run.c))
