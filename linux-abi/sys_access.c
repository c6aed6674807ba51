/*
 * access, faccessat, faccessat2: whether the caller may read, write or
 * run a file, from the mode and owner the stat op reports, as Linux
 * decides it: with the real ids unless AT_EACCESS; root may read and
 * write anything and run what has an execute bit (or is a directory).
 */
#include <tessera/errno.h>
#include <tessera/uapi/fcntl.h>
#include <tessera/uapi/stat.h>

#include "linux-abi/syscalls.h"

#define ACCESS_R 4
#define ACCESS_W 2
#define ACCESS_X 1
#define ACCESS_MODES (ACCESS_R | ACCESS_W | ACCESS_X)
#define ACCESS_FLAGS (AT_EACCESS | AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH)

/* 0 if ids (uid, gid) may use st for want, else -EACCES. */
static long access_check(const struct stat *st, u32 uid, u32 gid, u32 want)
{
	u32 bits;

	if (uid == 0) {
		bool runnable = (st->st_mode & S_IFMT) == S_IFDIR || (st->st_mode & 0111);

		return (want & ACCESS_X) && !runnable ? -EACCES : 0;
	}
	if (st->st_uid == uid)
		bits = st->st_mode >> 6;
	else if (st->st_gid == gid)
		bits = st->st_mode >> 3;
	else
		bits = st->st_mode;
	return (bits & want) == want ? 0 : -EACCES;
}

static long do_access(struct abi_thread *t, int dirfd, u64 upath, u32 want, u32 flags)
{
	const struct abi_proc *p = t->proc;
	bool eff = flags & AT_EACCESS;
	struct stat st;
	long r;

	if (want & ~ACCESS_MODES || flags & ~ACCESS_FLAGS)
		return -EINVAL;
	r = abi_stat_at(t, dirfd, upath, flags & ~AT_EACCESS, &st);
	if (r < 0)
		return r;
	return access_check(&st, eff ? p->euid : p->uid, eff ? p->egid : p->gid, want);
}

/* access(path, mode) */
long sys_access(struct syscall_args *a)
{
	return do_access(a->t, AT_FDCWD, a->a[0], (u32)a->a[1], 0);
}

/* faccessat(dirfd, path, mode): the system call has no flags. */
long sys_faccessat(struct syscall_args *a)
{
	return do_access(a->t, (int)a->a[0], a->a[1], (u32)a->a[2], 0);
}

/* faccessat2(dirfd, path, mode, flags) */
long sys_faccessat2(struct syscall_args *a)
{
	return do_access(a->t, (int)a->a[0], a->a[1], (u32)a->a[2], (u32)a->a[3]);
}
