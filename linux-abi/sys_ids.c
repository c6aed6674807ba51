/* Identity syscalls: process, thread and user ids, set_tid_address, and
 * uname, which says Linux so that libc and programs take their Linux
 * paths. A process has no saved set-user-ID of its own: the saved id is
 * the effective one (exec sets both from the real ones, and no call here
 * makes them differ), and it belongs to no supplementary group. */
#include <tessera/errno.h>
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
	return __atomic_load_n(&a->t->proc->uid, __ATOMIC_RELAXED);
}

long sys_geteuid(struct syscall_args *a)
{
	return __atomic_load_n(&a->t->proc->euid, __ATOMIC_RELAXED);
}

long sys_getgid(struct syscall_args *a)
{
	return __atomic_load_n(&a->t->proc->gid, __ATOMIC_RELAXED);
}

long sys_getegid(struct syscall_args *a)
{
	return __atomic_load_n(&a->t->proc->egid, __ATOMIC_RELAXED);
}

/* getresuid/getresgid: real, effective and saved into three user ints. */
static long put_res(struct abi_thread *t, const u64 *uptr, u32 real, u32 eff)
{
	u32 v[3] = { real, eff, eff };

	for (int i = 0; i < 3; i++)
		if (abi_copy_out(t, uptr[i], &v[i], sizeof(v[i])))
			return -EFAULT;
	return 0;
}

long sys_getresuid(struct syscall_args *a)
{
	struct abi_proc *p = a->t->proc;

	return put_res(a->t, a->a, __atomic_load_n(&p->uid, __ATOMIC_RELAXED),
		       __atomic_load_n(&p->euid, __ATOMIC_RELAXED));
}

long sys_getresgid(struct syscall_args *a)
{
	struct abi_proc *p = a->t->proc;

	return put_res(a->t, a->a, __atomic_load_n(&p->gid, __ATOMIC_RELAXED),
		       __atomic_load_n(&p->egid, __ATOMIC_RELAXED));
}

/* getgroups(size, list): no supplementary groups, so 0 for any size
 * that is not negative. */
long sys_getgroups(struct syscall_args *a)
{
	return (int)a->a[0] < 0 ? -EINVAL : 0;
}

/* setuid(id) and setgid(id), Linux's rules: with effective id 0 (root)
 * both become id; otherwise only the effective one may change, to the
 * real or saved id (which the effective one is); -1 is EINVAL. */
static long set_id(u32 *real, u32 *eff, bool root, u32 id)
{
	if (id == (u32)-1)
		return -EINVAL;
	if (root) {
		__atomic_store_n(real, id, __ATOMIC_RELAXED);
		__atomic_store_n(eff, id, __ATOMIC_RELAXED);
		return 0;
	}
	if (id != __atomic_load_n(real, __ATOMIC_RELAXED) &&
	    id != __atomic_load_n(eff, __ATOMIC_RELAXED))
		return -EPERM;
	__atomic_store_n(eff, id, __ATOMIC_RELAXED);
	return 0;
}

static bool is_root(struct abi_proc *p)
{
	return __atomic_load_n(&p->euid, __ATOMIC_RELAXED) == 0;
}

long sys_setuid(struct syscall_args *a)
{
	struct abi_proc *p = a->t->proc;

	return set_id(&p->uid, &p->euid, is_root(p), (u32)a->a[0]);
}

long sys_setgid(struct syscall_args *a)
{
	struct abi_proc *p = a->t->proc;

	return set_id(&p->gid, &p->egid, is_root(p), (u32)a->a[0]);
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
