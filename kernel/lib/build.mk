ksrcs-kernel/lib += kernel/lib/string.c kernel/lib/strutil.c kernel/lib/fmt.c \
	kernel/lib/fmt_test.c kernel/lib/sort.c kernel/lib/sort_test.c \
	kernel/lib/vmaset.c kernel/lib/vmaset_test.c
$(eval $(call host_test,fmt,kernel/lib/fmt.c kernel/lib/fmt_test.c))
$(eval $(call host_test,sort,kernel/lib/sort.c kernel/lib/sort_test.c))
$(eval $(call host_test,vmaset,kernel/lib/vmaset.c kernel/lib/vmaset_test.c kernel/kmalloc.c \
	kernel/lock.c kernel/lib/strutil.c tests/host/shim_kernel.c tests/host/shim_pages.c))
