/* The path, attribute and durability syscalls against the fake process:
 * what each passes to its op (modes with the umask out, flags, times),
 * and what it refuses before any op runs, as Linux does. */
#include <string.h>

#include <tessera/errno.h>
#include <tessera/ktest.h>
#include <tessera/uapi/fcntl.h>
#include <tessera/uapi/stat.h>
#include <tessera/uapi/time.h>

#include "linux-abi/fake_proc.h"

/* What the ops were last asked. */
static struct {
	int calls, dirfd, fd;
	char path[64], path2[64];
	bool null_path, flag;
	u32 mode, flags;
	struct abi_setattr sa;
} seen;

static void note(int dirfd, const char *path)
{
	seen.calls++;
	seen.dirfd = dirfd;
	seen.null_path = !path;
	if (path)
		strncpy(seen.path, path, sizeof(seen.path) - 1);
}

static int t_mknod(struct abi_thread *t, int dirfd, const char *path, u32 mode, u64 dev)
{
	note(dirfd, path);
	seen.mode = mode;
	return 0;
}

static int t_unlink(struct abi_thread *t, int dirfd, const char *path, bool dir)
{
	note(dirfd, path);
	seen.flag = dir;
	return 0;
}

static int t_rename(struct abi_thread *t, int od, const char *op, int nd, const char *np,
		    u32 flags)
{
	note(od, op);
	strncpy(seen.path2, np, sizeof(seen.path2) - 1);
	seen.flags = flags;
	return 0;
}

static int t_link(struct abi_thread *t, int od, const char *op, int nd, const char *np,
		  bool follow)
{
	note(od, op);
	seen.flag = follow;
	return 0;
}

static int t_setattr(struct abi_thread *t, int dirfd, const char *path, bool follow,
		     const struct abi_setattr *sa)
{
	note(dirfd, path);
	seen.flag = follow;
	seen.sa = *sa;
	return 0;
}

static long t_readlink(struct abi_thread *t, int dirfd, const char *path, char *buf, u64 size)
{
	u64 n = MIN(size, 6ull);

	note(dirfd, path);
	memcpy(buf, "target", n);
	return (long)n;
}

static long t_pwrite(struct abi_thread *t, int fd, const void *buf, u64 len, u64 off)
{
	note(fd, NULL);
	return (long)len;
}

static struct abi_proc_ops ops;
static struct fake_proc f;

static long call(u64 nr, u64 a0, u64 a1, u64 a2, u64 a3, u64 a4)
{
	struct syscall_args a = { .t = &f.thread, .nr = nr, .a = { a0, a1, a2, a3, a4, 0 } };

	return abi_syscall(&a);
}

static void setup(void)
{
	fake_init(&f);
	ops = *f.proc.ops;
	ops.mknod = t_mknod;
	ops.unlink = t_unlink;
	ops.rename = t_rename;
	ops.link = t_link;
	ops.setattr = t_setattr;
	ops.readlink = t_readlink;
	ops.fd_pwrite = t_pwrite;
	f.proc.ops = &ops;
	memset(&seen, 0, sizeof(seen));
}

#define P1 (FAKE_BASE + 0x100)
#define P2 (FAKE_BASE + 0x200)
#define EMPTY (FAKE_BASE + 0x300)
#define TIMES (FAKE_BASE + 0x400)

static void paths(void)
{
	fake_put(&f, 0x100, "/a/b", 5);
	fake_put(&f, 0x200, "c", 2);
	fake_put(&f, 0x300, "", 1);
}

KTEST(sys_namei, modes_and_types)
{
	setup();
	paths();
	KT_EXPECT_EQ(t, call(__NR_mkdir, P1, 0777, 0, 0, 0), 0);
	KT_EXPECT_EQ(t, seen.mode, S_IFDIR | 0755); /* umask 022 */
	KT_EXPECT(t, !strcmp(seen.path, "/a/b") && seen.dirfd == AT_FDCWD);
	KT_EXPECT_EQ(t, call(__NR_mknodat, 5, P2, 0644, 0, 0), 0);
	KT_EXPECT(t, seen.mode == (S_IFREG | 0644) && seen.dirfd == 5);
	KT_EXPECT_EQ(t, call(__NR_mknod, P1, S_IFDIR | 0755, 0, 0, 0), -EPERM);
	KT_EXPECT_EQ(t, call(__NR_mknod, P1, S_IFMT | 0755, 0, 0, 0), -EINVAL);
	KT_EXPECT_EQ(t, call(__NR_mkdir, EMPTY, 0777, 0, 0, 0), -ENOENT);
	KT_EXPECT_EQ(t, call(__NR_mkdir, FAKE_HOLE, 0777, 0, 0, 0), -EFAULT);
	KT_EXPECT_EQ(t, seen.calls, 2);
	fake_free(&f);
}

KTEST(sys_namei, flags_checked_first)
{
	setup();
	paths();
	KT_EXPECT_EQ(t, call(__NR_unlinkat, 3, P1, AT_REMOVEDIR, 0, 0), 0);
	KT_EXPECT(t, seen.flag && seen.dirfd == 3);
	KT_EXPECT_EQ(t, call(__NR_unlinkat, 3, P1, 1, 0, 0), -EINVAL);
	KT_EXPECT_EQ(t, call(__NR_renameat2, 3, P1, 4, P2, RENAME_NOREPLACE), 0);
	KT_EXPECT(t, seen.flags == RENAME_NOREPLACE && !strcmp(seen.path2, "c"));
	KT_EXPECT_EQ(t, call(__NR_renameat2, 3, P1, 4, P2, RENAME_WHITEOUT), -EINVAL);
	KT_EXPECT_EQ(t, call(__NR_renameat2, 3, P1, 4, P2,
			     RENAME_NOREPLACE | RENAME_EXCHANGE), -EINVAL);
	KT_EXPECT_EQ(t, call(__NR_linkat, 3, P1, 4, P2, AT_SYMLINK_FOLLOW), 0);
	KT_EXPECT(t, seen.flag && !seen.null_path);
	KT_EXPECT_EQ(t, call(__NR_linkat, 3, EMPTY, 4, P2, AT_EMPTY_PATH), 0);
	KT_EXPECT(t, seen.null_path && seen.dirfd == 3);
	KT_EXPECT_EQ(t, call(__NR_linkat, 3, P1, 4, P2, 1), -EINVAL);
	KT_EXPECT_EQ(t, call(__NR_pwrite64, 1, P1, 3, -1ull, 0), -EINVAL);
	KT_EXPECT_EQ(t, call(__NR_pread64, 1, P1, 3, -1ull, 0), -EINVAL);
	KT_EXPECT_EQ(t, call(__NR_pwrite64, 1, P1, 3, 10, 0), 3);
	KT_EXPECT_EQ(t, seen.calls, 5);
	fake_free(&f);
}

KTEST(sys_namei, attributes)
{
	struct timespec ts[2] = { { 5, UTIME_OMIT }, { 7, 9 } };

	setup();
	paths();
	KT_EXPECT_EQ(t, call(__NR_chown, P1, -1ull, 44, 0, 0), 0);
	KT_EXPECT(t, seen.sa.valid == ABI_SET_GID && seen.sa.gid == 44 && seen.flag);
	KT_EXPECT_EQ(t, call(__NR_lchown, P1, 3, -1ull, 0, 0), 0);
	KT_EXPECT(t, seen.sa.valid == ABI_SET_UID && !seen.flag);
	KT_EXPECT_EQ(t, call(__NR_fchmod, 6, 0104755, 0, 0, 0), 0);
	KT_EXPECT(t, seen.null_path && seen.dirfd == 6 && seen.sa.mode == 04755);
	KT_EXPECT_EQ(t, call(__NR_truncate, P1, -5ull, 0, 0, 0), -EINVAL);
	KT_EXPECT_EQ(t, call(__NR_ftruncate, 6, 100, 0, 0, 0), 0);
	KT_EXPECT(t, seen.sa.valid == ABI_SET_SIZE && seen.sa.size == 100);
	fake_put(&f, 0x400, ts, sizeof(ts));
	KT_EXPECT_EQ(t, call(__NR_utimensat, AT_FDCWD, P1, TIMES, 0, 0), 0);
	KT_EXPECT(t, seen.sa.valid == ABI_SET_MTIME && seen.sa.mtime_ns == 7000000009ll);
	KT_EXPECT_EQ(t, call(__NR_utimensat, 6, 0, 0, 0, 0), 0);
	KT_EXPECT(t, seen.null_path &&
		  seen.sa.valid == (ABI_SET_ATIME_NOW | ABI_SET_MTIME_NOW));
	ts[1].tv_nsec = NSEC_PER_SEC;
	fake_put(&f, 0x400, ts, sizeof(ts));
	KT_EXPECT_EQ(t, call(__NR_utimensat, AT_FDCWD, P1, TIMES, 0, 0), -EINVAL);
	ts[1].tv_nsec = UTIME_OMIT;
	fake_put(&f, 0x400, ts, sizeof(ts));
	seen.calls = 0;
	KT_EXPECT_EQ(t, call(__NR_utimensat, AT_FDCWD, P1, TIMES, 0, 0), 0);
	KT_EXPECT_EQ(t, seen.calls, 0); /* nothing to change */
	KT_EXPECT_EQ(t, call(__NR_utimensat, AT_FDCWD, P1, 0, 1, 0), -EINVAL);
	fake_free(&f);
}

KTEST(sys_namei, readlink_of_the_file_system)
{
	setup();
	paths();
	KT_EXPECT_EQ(t, call(__NR_readlinkat, 9, P2, P1, 3, 0), 3);
	KT_EXPECT(t, seen.dirfd == 9 && !strcmp(seen.path, "c"));
	KT_EXPECT(t, !memcmp(fake_ptr(&f, P1), "tar", 3));
	KT_EXPECT_EQ(t, call(__NR_readlink, P2, P1, 0, 0, 0), -EINVAL);
	fake_free(&f);
}
