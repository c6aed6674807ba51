# kernel/lib/: freestanding helpers that need nothing from the kernel:
# string functions, number and text formatting, sorting, and the VMA set
# (an ordered set of address ranges) that both monitors keep.

ksrcs-kernel/lib += kernel/lib/string.c kernel/lib/strutil.c kernel/lib/fmt.c \
	kernel/lib/sort.c kernel/lib/vmaset.c
ktests-kernel/lib += kernel/lib/fmt_test.c kernel/lib/sort_test.c \
	kernel/lib/vmaset_test.c

$(eval $(call host_test,fmt,kernel/lib/fmt.c kernel/lib/fmt_test.c))
$(eval $(call host_test,sort,kernel/lib/sort.c kernel/lib/sort_test.c))
$(eval $(call host_test,vmaset,kernel/lib/vmaset.c kernel/lib/vmaset_test.c kernel/kmalloc.c \
	kernel/lock.c kernel/lockrank.c kernel/lib/strutil.c tests/host/shim_kernel.c tests/host/shim_pages.c))
