ksrcs-processor += processor/role.c processor/excache.c processor/excache_fifo.c \
	processor/excache_clock.c processor/excache_test.c

$(eval $(call host_test,excache,processor/excache.c processor/excache_fifo.c \
	processor/excache_clock.c processor/excache_test.c kernel/kmalloc.c kernel/lock.c \
	kernel/lib/strutil.c tests/host/shim_kernel.c tests/host/shim_pages.c tests/host/shim_mutex.c))
