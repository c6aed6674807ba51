/*
 * execve and execveat: the path, argv and envp are copied in, with
 * Linux's limits (fs/exec.c): each string at most MAX_ARG_STRLEN bytes
 * with its NUL, and the path, the strings and the pointers to them
 * together within a quarter of the 8 MiB stack, else -E2BIG; but as
 * Linux (6.x) opens the file first, its errors come before. An empty
 * argv gets one empty string, as Linux gives it. The pMonitor loads the
 * program and replaces the frame; the result is then not a syscall's, so
 * no restart may touch it.
 */
#include <tessera/errno.h>
#include <tessera/kmalloc.h>
#include <tessera/uapi/fcntl.h>

#include "linux-abi/syscalls.h"
#include "linux-abi/user.h"

#define MAX_ARG_STRLEN (32 * 4096)
#define MAX_ARG_STRINGS 0x7fffffffu
#define EXEC_LIMIT (8 * 1024 * 1024 / 4) /* RLIMIT_STACK / 4 */
#define PATH_MAX 4096
#define EXEC_CHUNK 256

/* Strings of a user vector, packed: the pointers, then the bytes. */
struct exec_vec {
	u64 uvec;       /* user address of the pointer array (0: empty) */
	u32 n;
	const char **v;
};

/* The length (with NUL) of the user string at u, read a chunk at a
 * time, or -EFAULT, or -E2BIG beyond MAX_ARG_STRLEN. */
static long exec_strlen(struct abi_thread *t, u64 u)
{
	char buf[EXEC_CHUNK];
	u64 done = 0;

	while (done < MAX_ARG_STRLEN) {
		u64 at = u + done, n = MIN((u64)EXEC_CHUNK, 4096 - at % 4096);

		if (abi_copy_in(t, buf, at, n))
			return -EFAULT;
		for (u64 i = 0; i < n; i++)
			if (!buf[i])
				return (long)(done + i + 1);
		done += n;
	}
	return -E2BIG;
}

/* Count v's strings and add their bytes (and pointers) to *total. */
static long exec_measure(struct abi_thread *t, struct exec_vec *v, u64 *total)
{
	u64 p;

	for (v->n = 0; v->uvec; v->n++) {
		long len;

		if (abi_copy_in(t, &p, v->uvec + (u64)v->n * 8, 8))
			return -EFAULT;
		if (!p)
			break;
		if (v->n == MAX_ARG_STRINGS)
			return -E2BIG;
		len = exec_strlen(t, p);
		if (len < 0)
			return len;
		*total += (u64)len + 8;
		if (*total > EXEC_LIMIT)
			return -E2BIG;
	}
	return 0;
}

/* Copy v's strings into *buf (which moves on) and point v->v at them. */
static long exec_copy(struct abi_thread *t, struct exec_vec *v, char **buf, u64 *room)
{
	u64 p;

	for (u32 i = 0; i < v->n; i++) {
		long len;

		if (abi_copy_in(t, &p, v->uvec + (u64)i * 8, 8))
			return -EFAULT;
		len = abi_copy_str_in(t, *buf, p, *room);
		if (len < 0)
			return len == -ENAMETOOLONG ? -E2BIG : len; /* it changed under us */
		v->v[i] = *buf;
		*buf += len + 1;
		*room -= (u64)len + 1;
	}
	return 0;
}

static long exec_copy_all(struct abi_thread *t, struct exec_vec *av, struct exec_vec *ev,
			  u64 bytes, void **mem)
{
	char *buf;
	long err;

	*mem = kmalloc((av->n + ev->n + 1) * sizeof(char *) + bytes + 1);
	if (!*mem)
		return -ENOMEM;
	av->v = *mem;
	ev->v = av->v + av->n + 1;
	buf = (char *)(ev->v + ev->n);
	err = exec_copy(t, av, &buf, &bytes);
	if (!err)
		err = exec_copy(t, ev, &buf, &bytes);
	if (!err && av->n == 0) {
		*buf = 0; /* argv[0] = "" */
		av->v[0] = buf;
		av->n = 1;
	}
	return err;
}

static long do_execve(struct syscall_args *a, int dirfd, u64 upath, u64 uargv, u64 uenvp)
{
	struct abi_thread *t = a->t;
	struct exec_vec av = { .uvec = uargv }, ev = { .uvec = uenvp };
	char *path = kmalloc(PATH_MAX);
	long len = path ? abi_copy_str_in(t, path, upath, PATH_MAX) : -ENOMEM;
	u64 total = len > 0 ? (u64)len + 1 : 0;
	void *mem = NULL;

	if (len == 0)
		len = -ENOENT;
	if (len > 0)
		len = t->proc->ops->exec_check(t, dirfd, path);
	if (!len)
		len = exec_measure(t, &av, &total);
	if (!len)
		len = exec_measure(t, &ev, &total);
	if (!len && (u64)(av.n ? 0 : 8) + total > EXEC_LIMIT)
		len = -E2BIG;
	if (!len)
		len = exec_copy_all(t, &av, &ev, total, &mem);
	if (!len && !a->regs)
		len = -ENOSYS;
	if (!len) {
		struct abi_exec e = { .path = path, .argv = av.v, .argc = av.n,
				      .envp = ev.v, .envc = ev.n, .regs = a->regs };

		len = t->proc->ops->execve(t, dirfd, &e);
		a->no_restart = len == 0;
	}
	kfree(mem);
	kfree(path);
	return len ? len : (long)a->regs->rax;
}

/* execve(path, argv, envp) */
long sys_execve(struct syscall_args *a)
{
	return do_execve(a, AT_FDCWD, a->a[0], a->a[1], a->a[2]);
}

/* execveat(dirfd, path, argv, envp, flags): flags are not supported yet. */
long sys_execveat(struct syscall_args *a)
{
	if (a->a[4] & ~(u64)(AT_EMPTY_PATH | AT_SYMLINK_NOFOLLOW))
		return -EINVAL;
	if (a->a[4])
		return -ENOSYS;
	return do_execve(a, (int)a->a[0], a->a[1], a->a[2], a->a[3]);
}
