ksrcs-kernel/lib += kernel/lib/string.c kernel/lib/strutil.c kernel/lib/fmt.c \
	kernel/lib/fmt_test.c kernel/lib/sort.c kernel/lib/sort_test.c
$(eval $(call host_test,fmt,kernel/lib/fmt.c kernel/lib/fmt_test.c))
$(eval $(call host_test,sort,kernel/lib/sort.c kernel/lib/sort_test.c))
