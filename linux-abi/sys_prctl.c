/*
 * prctl(2): the options programs and libcs ask about. The name
 * (PR_SET_NAME, PR_GET_NAME) is the process's comm, which /proc shows;
 * the parent-death signal is kept in abi_proc and sent by the pMonitor
 * when the parent ends; a process is always dumpable and never a
 * subreaper (PR_SET_CHILD_SUBREAPER is EINVAL rather than a success that
 * would not re-parent). Any other option is EINVAL, as Linux answers an
 * option it does not know.
 */
#include <tessera/errno.h>
#include <tessera/string.h>
#include <tessera/uapi/prctl.h>
#include <tessera/uapi/signal.h>

#include "linux-abi/syscalls.h"
#include "linux-abi/user.h"

static long put_int(struct abi_thread *t, u64 uaddr, int v)
{
	return abi_copy_out(t, uaddr, &v, sizeof(v)) ? -EFAULT : 0;
}

static long set_name(struct abi_thread *t, u64 uname)
{
	char name[PR_TASK_COMM_LEN];

	for (u32 i = 0; i < sizeof(name) - 1; i++) {
		if (abi_copy_in(t, &name[i], uname + i, 1))
			return -EFAULT;
		if (!name[i])
			break;
	}
	name[sizeof(name) - 1] = '\0';
	t->proc->ops->comm(t, name, true);
	return 0;
}

static long get_name(struct abi_thread *t, u64 uname)
{
	char name[PR_TASK_COMM_LEN];

	t->proc->ops->comm(t, name, false);
	return abi_copy_out(t, uname, name, strlen(name) + 1) ? -EFAULT : 0;
}

static long set_pdeathsig(struct abi_thread *t, u64 sig)
{
	if (sig > NSIG)
		return -EINVAL;
	__atomic_store_n(&t->proc->pdeathsig, (u32)sig, __ATOMIC_RELAXED);
	return 0;
}

/* PR_SET_NO_NEW_PRIVS takes 1 and nothing else; it cannot be undone. */
static long set_no_new_privs(struct abi_thread *t, const u64 *arg)
{
	if (arg[0] != 1 || arg[1] || arg[2] || arg[3])
		return -EINVAL;
	__atomic_store_n(&t->proc->no_new_privs, true, __ATOMIC_RELAXED);
	return 0;
}

/* prctl(option, arg2, arg3, arg4, arg5) */
long sys_prctl(struct syscall_args *a)
{
	struct abi_thread *t = a->t;

	switch ((int)a->a[0]) {
	case PR_SET_NAME:
		return set_name(t, a->a[1]);
	case PR_GET_NAME:
		return get_name(t, a->a[1]);
	case PR_SET_PDEATHSIG:
		return set_pdeathsig(t, a->a[1]);
	case PR_GET_PDEATHSIG:
		return put_int(t, a->a[1], (int)__atomic_load_n(&t->proc->pdeathsig,
								 __ATOMIC_RELAXED));
	case PR_GET_DUMPABLE:
		return 1;
	case PR_SET_DUMPABLE:
		return a->a[1] == 1 ? 0 : -EINVAL;
	case PR_GET_CHILD_SUBREAPER:
		return put_int(t, a->a[1], 0);
	case PR_SET_NO_NEW_PRIVS:
		return set_no_new_privs(t, &a->a[1]);
	case PR_GET_NO_NEW_PRIVS:
		return __atomic_load_n(&t->proc->no_new_privs, __ATOMIC_RELAXED);
	default:
		return -EINVAL;
	}
}
