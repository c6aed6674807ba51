# kernel/: the portable kernel core: page and heap allocators, threads,
# the scheduler, wait queues, locks and mutexes, time, printk, boot
# arguments, the role and initcall tables. kernel/lib and kernel/drivers
# have their own build.mk. Test images add the in-kernel tests, the KTAP
# runner (ktest.c, ktest= boot argument) and the fault demo.

ksrcs-kernel += kernel/main.c kernel/printk.c kernel/lock.c kernel/lockrank.c kernel/irqoff.c \
	kernel/pmm.c kernel/page.c kernel/kmalloc.c kernel/bootargs.c \
	kernel/bootargs_kernel.c kernel/time.c kernel/thread.c kernel/sched.c \
	kernel/wait.c kernel/globals.c kernel/role.c kernel/mutex.c kernel/walltime.c \
	kernel/random.c
ktests-kernel += kernel/ktest.c kernel/lockrank_check.c kernel/lockrank_test.c kernel/pmm_test.c kernel/page_test.c \
	kernel/kmalloc_test.c kernel/bootargs_test.c kernel/time_test.c \
	kernel/thread_test.c kernel/mmu_test.c kernel/fault_demo.c \
	kernel/user_test.c kernel/mutex_test.c kernel/smp_test.c kernel/random_test.c

$(eval $(call host_test,pmm,kernel/pmm.c kernel/pmm_test.c kernel/lock.c kernel/lockrank.c tests/host/shim_kernel.c))
$(eval $(call host_test,kmalloc,kernel/kmalloc.c kernel/kmalloc_test.c kernel/lock.c kernel/lockrank.c tests/host/shim_kernel.c tests/host/shim_pages.c))
$(eval $(call host_test,bootargs,kernel/bootargs.c kernel/bootargs_test.c kernel/lib/fmt.c tests/host/shim_kernel.c))
