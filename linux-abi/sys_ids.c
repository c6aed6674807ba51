/* Identity syscalls: process, thread and user ids, set_tid_address, and
 * uname, which says Linux so that libc and programs take their Linux
 * paths. */
#include <tessera/string.h>
#include <tessera/uapi/utsname.h>

#include "linux-abi/syscalls.h"
#include "linux-abi/user.h"

#define UTS_SYSNAME "Linux"
#define UTS_RELEASE "6.1.0-tessera"
#define UTS_VERSION "#1 SMP Tessera"
#define UTS_MACHINE "x86_64"
#define UTS_NODENAME "tessera"
#define UTS_DOMAINNAME "(none)"

long sys_getpid(struct syscall_args *a)
{
	return a->t->proc->pid;
}

long sys_getppid(struct syscall_args *a)
{
	return __atomic_load_n(&a->t->proc->ppid, __ATOMIC_RELAXED);
}

long sys_gettid(struct syscall_args *a)
{
	return a->t->tid;
}

long sys_getuid(struct syscall_args *a)
{
	return a->t->proc->uid;
}

long sys_geteuid(struct syscall_args *a)
{
	return a->t->proc->euid;
}

long sys_getgid(struct syscall_args *a)
{
	return a->t->proc->gid;
}

long sys_getegid(struct syscall_args *a)
{
	return a->t->proc->egid;
}

long sys_getpgrp(struct syscall_args *a)
{
	return __atomic_load_n(&a->t->proc->pgid, __ATOMIC_RELAXED);
}

/* set_tid_address(tidptr): remembered for thread exit (CLONE_CHILD_CLEARTID
 * semantics); returns the caller's tid. */
long sys_set_tid_address(struct syscall_args *a)
{
	a->t->clear_child_tid = a->a[0];
	return a->t->tid;
}

/* uname(buf) */
long sys_uname(struct syscall_args *a)
{
	const struct abi_proc *p = a->t->proc;
	struct utsname u;

	memset(&u, 0, sizeof(u));
	str_copy(u.sysname, UTS_SYSNAME, UTS_LEN);
	str_copy(u.nodename, p->nodename ? p->nodename : UTS_NODENAME, UTS_LEN);
	str_copy(u.release, UTS_RELEASE, UTS_LEN);
	str_copy(u.version, UTS_VERSION, UTS_LEN);
	str_copy(u.machine, UTS_MACHINE, UTS_LEN);
	str_copy(u.domainname, UTS_DOMAINNAME, UTS_LEN);
	return abi_copy_out(a->t, a->a[0], &u, sizeof(u));
}
