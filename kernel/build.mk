ksrcs-kernel += kernel/main.c kernel/printk.c kernel/lock.c kernel/irqoff.c \
	kernel/pmm.c kernel/pmm_test.c kernel/page.c kernel/page_test.c \
	kernel/kmalloc.c kernel/kmalloc_test.c kernel/bootargs.c \
	kernel/bootargs_test.c kernel/bootargs_kernel.c kernel/time.c kernel/time_test.c \
	kernel/thread.c kernel/sched.c kernel/wait.c kernel/thread_test.c \
	kernel/ktest.c kernel/globals.c kernel/role.c kernel/mmu_test.c \
	kernel/fault_demo.c kernel/user_test.c kernel/mutex.c kernel/mutex_test.c kernel/echo.c

$(eval $(call host_test,pmm,kernel/pmm.c kernel/pmm_test.c kernel/lock.c tests/host/shim_kernel.c))
$(eval $(call host_test,kmalloc,kernel/kmalloc.c kernel/kmalloc_test.c kernel/lock.c tests/host/shim_kernel.c tests/host/shim_pages.c))
$(eval $(call host_test,bootargs,kernel/bootargs.c kernel/bootargs_test.c kernel/lib/fmt.c tests/host/shim_kernel.c))
ksrcs-kernel += kernel/member.c
ksrcs-kernel += kernel/peer_cache.c
