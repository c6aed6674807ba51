/*
 * Open files (fd.h): references, and the generic half of every call —
 * the access-mode checks and the answers for ops a kind leaves NULL —
 * before the kind's op runs.
 */
#include <tessera/errno.h>
#include <tessera/kmalloc.h>
#include <tessera/string.h>
#include <tessera/uapi/fcntl.h>

#include "processor/fd/fd.h"

/* The status flags F_SETFL may change (Linux's SETFL_MASK, less what we
 * do not implement: O_ASYNC, O_DIRECT and O_NOATIME are kept, not acted on). */
#define PFD_SETFL_MASK (O_APPEND | O_NONBLOCK | FASYNC | O_DIRECT | O_NOATIME)

struct pfd_file *pfd_file_new(const struct pfd_ops *ops, u32 flags, const char *path)
{
	size_t len = strlen(path);
	struct pfd_file *f = kzalloc(sizeof(*f) + len + 1);

	if (!f)
		return NULL;
	f->refs = 1;
	f->ops = ops;
	f->flags = flags & ~(u32)O_CLOEXEC;
	mutex_init(&f->lock, "fd_file", LOCK_RANK_FD_FILE);
	memcpy(f->path, path, len + 1);
	return f;
}

void pfd_ref(struct pfd_file *f)
{
	__atomic_add_fetch(&f->refs, 1, __ATOMIC_RELAXED);
}

void pfd_put(struct pfd_file *f)
{
	if (!f || __atomic_sub_fetch(&f->refs, 1, __ATOMIC_ACQ_REL) != 0)
		return;
	if (f->ops->release)
		f->ops->release(f);
	kfree(f);
}

u32 pfd_get_flags(struct pfd_file *f)
{
	return __atomic_load_n(&f->flags, __ATOMIC_RELAXED);
}

void pfd_set_flags(struct pfd_file *f, u32 flags)
{
	u32 old = pfd_get_flags(f), want;

	do
		want = (old & ~(u32)PFD_SETFL_MASK) | (flags & PFD_SETFL_MASK);
	while (!__atomic_compare_exchange_n(&f->flags, &old, want, false, __ATOMIC_RELAXED,
					    __ATOMIC_RELAXED));
}

bool pfd_nonblock(struct pfd_file *f)
{
	return pfd_get_flags(f) & O_NONBLOCK;
}

static bool pfd_readable(struct pfd_file *f)
{
	return (pfd_get_flags(f) & O_ACCMODE) != O_WRONLY;
}

static bool pfd_writable(struct pfd_file *f)
{
	u32 mode = pfd_get_flags(f) & O_ACCMODE;

	return mode == O_WRONLY || mode == O_RDWR;
}

long pfd_read(struct pfd_file *f, void *buf, u64 len)
{
	if (!pfd_readable(f))
		return -EBADF;
	return f->ops->read ? f->ops->read(f, buf, len) : -EINVAL;
}

long pfd_write(struct pfd_file *f, const void *buf, u64 len)
{
	if (!pfd_writable(f))
		return -EBADF;
	return f->ops->write ? f->ops->write(f, buf, len) : -EINVAL;
}

long pfd_pread(struct pfd_file *f, void *buf, u64 len, u64 off)
{
	if (!pfd_readable(f))
		return -EBADF;
	return f->ops->pread ? f->ops->pread(f, buf, len, off) : -ESPIPE;
}

long pfd_pwrite(struct pfd_file *f, const void *buf, u64 len, u64 off)
{
	if (!pfd_writable(f))
		return -EBADF;
	return f->ops->pwrite ? f->ops->pwrite(f, buf, len, off) : -ESPIPE;
}

s64 pfd_lseek(struct pfd_file *f, s64 off, int whence)
{
	return f->ops->lseek ? f->ops->lseek(f, off, whence) : -ESPIPE;
}

long pfd_getdents(struct pfd_file *f, void *buf, u64 len)
{
	return f->ops->getdents ? f->ops->getdents(f, buf, len) : -ENOTDIR;
}

u32 pfd_poll_file(struct pfd_file *f, struct pfd_poll *pt)
{
	u32 ready = 0;

	if (f->ops->poll)
		return f->ops->poll(f, pt);
	if (pfd_readable(f))
		ready |= POLLIN | POLLRDNORM;
	if (pfd_writable(f))
		ready |= POLLOUT | POLLWRNORM;
	return ready;
}
