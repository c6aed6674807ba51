/* arch_prctl: the FS and GS bases (libc sets FS to its TLS block as its
 * first syscall) and the CPUID-faulting query. */
#include <tessera/errno.h>
#include <tessera/uapi/prctl.h>

#include "linux-abi/abi.h"
#include "linux-abi/syscalls.h"
#include "linux-abi/user.h"

static long set_base(struct abi_thread *t, enum abi_seg seg, u64 base)
{
	if (!abi_user_range_ok(base, 0))
		return -EPERM; /* Linux: a base at or above TASK_SIZE_MAX */
	return t->proc->ops->set_seg_base(t, seg, base);
}

static long get_base(struct abi_thread *t, enum abi_seg seg, u64 uaddr)
{
	u64 base = t->proc->ops->get_seg_base(t, seg);

	return abi_copy_out(t, uaddr, &base, sizeof(base));
}

/* arch_prctl(code, addr) */
long sys_arch_prctl(struct syscall_args *a)
{
	switch (a->a[0]) {
	case ARCH_SET_FS:
		return set_base(a->t, ABI_SEG_FS, a->a[1]);
	case ARCH_SET_GS:
		return set_base(a->t, ABI_SEG_GS, a->a[1]);
	case ARCH_GET_FS:
		return get_base(a->t, ABI_SEG_FS, a->a[1]);
	case ARCH_GET_GS:
		return get_base(a->t, ABI_SEG_GS, a->a[1]);
	case ARCH_GET_CPUID:
		return 1; /* CPUID does not fault */
	case ARCH_SET_CPUID:
		return -ENODEV; /* no CPUID faulting */
	default:
		return -EINVAL;
	}
}
