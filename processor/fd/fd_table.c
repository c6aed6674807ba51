/* File descriptor tables and open files (fd.h). */
#include <tessera/errno.h>
#include <tessera/kmalloc.h>
#include <tessera/string.h>

#include "processor/fd/fd.h"

void pfd_table_init(struct pfd_table *t)
{
	mutex_init(&t->lock, "fd_table", LOCK_RANK_FD_TABLE);
	memset(t->fd, 0, sizeof(t->fd));
	memset(t->cloexec, 0, sizeof(t->cloexec));
}

struct pfd_file *pfd_file_new(enum pfd_kind kind, const char *path)
{
	size_t len = strlen(path);
	struct pfd_file *f = kzalloc(sizeof(*f) + len + 1);

	if (!f)
		return NULL;
	f->refs = 1;
	f->kind = kind;
	mutex_init(&f->lock, "fd_file", LOCK_RANK_FD_FILE);
	memcpy(f->path, path, len + 1);
	return f;
}

void pfd_put(struct pfd_file *f)
{
	if (f && __atomic_sub_fetch(&f->refs, 1, __ATOMIC_ACQ_REL) == 0)
		kfree(f);
}

static void pfd_ref(struct pfd_file *f)
{
	__atomic_add_fetch(&f->refs, 1, __ATOMIC_RELAXED);
}

static struct pfd_file *pfd_stream_new(const struct pfd_sink *sink)
{
	struct pfd_file *f = pfd_file_new(PFD_STREAM, "");

	if (f) {
		f->sink = sink;
		f->flags = 2; /* O_RDWR */
	}
	return f;
}

int pfd_open_console(struct pfd_table *t, const struct pfd_sink *out,
		     const struct pfd_sink *err)
{
	struct pfd_file *f = pfd_stream_new(out);
	struct pfd_file *e = err == out ? f : pfd_stream_new(err);

	if (!f || !e) {
		if (f)
			pfd_put(f);
		return -ENOMEM;
	}
	mutex_lock(&t->lock);
	for (int fd = 0; fd < 3; fd++) {
		pfd_ref(fd < 2 ? f : e);
		t->fd[fd] = fd < 2 ? f : e;
	}
	mutex_unlock(&t->lock);
	pfd_put(f);
	if (e != f)
		pfd_put(e);
	return 0;
}

void pfd_close_all(struct pfd_table *t)
{
	for (int fd = 0; fd < PFD_MAX; fd++)
		pfd_close(t, fd);
}

struct pfd_file *pfd_get(struct pfd_table *t, int fd)
{
	struct pfd_file *f = NULL;

	if (fd < 0 || fd >= PFD_MAX)
		return NULL;
	mutex_lock(&t->lock);
	f = t->fd[fd];
	if (f)
		pfd_ref(f);
	mutex_unlock(&t->lock);
	return f;
}

int pfd_install(struct pfd_table *t, struct pfd_file *f, int min, bool cloexec)
{
	int fd;

	mutex_lock(&t->lock);
	for (fd = MAX(min, 0); fd < PFD_MAX && t->fd[fd]; fd++)
		;
	if (fd < PFD_MAX) {
		t->fd[fd] = f;
		t->cloexec[fd] = cloexec;
	}
	mutex_unlock(&t->lock);
	if (fd < PFD_MAX)
		return fd;
	pfd_put(f);
	return -EMFILE;
}

int pfd_close(struct pfd_table *t, int fd)
{
	struct pfd_file *f;

	if (fd < 0 || fd >= PFD_MAX)
		return -EBADF;
	mutex_lock(&t->lock);
	f = t->fd[fd];
	t->fd[fd] = NULL;
	t->cloexec[fd] = 0;
	mutex_unlock(&t->lock);
	if (!f)
		return -EBADF;
	pfd_put(f);
	return 0;
}

int pfd_dup(struct pfd_table *t, int oldfd, int newfd, bool cloexec)
{
	struct pfd_file *f = pfd_get(t, oldfd), *old;

	if (!f)
		return -EBADF;
	if (newfd == oldfd) {
		pfd_put(f);
		return newfd;
	}
	if (newfd < 0)
		return pfd_install(t, f, 0, cloexec);
	if (newfd >= PFD_MAX) {
		pfd_put(f);
		return -EBADF;
	}
	mutex_lock(&t->lock);
	old = t->fd[newfd];
	t->fd[newfd] = f;
	t->cloexec[newfd] = cloexec;
	mutex_unlock(&t->lock);
	pfd_put(old);
	return newfd;
}

int pfd_get_cloexec(struct pfd_table *t, int fd)
{
	int r = -EBADF;

	if (fd < 0 || fd >= PFD_MAX)
		return r;
	mutex_lock(&t->lock);
	if (t->fd[fd])
		r = t->cloexec[fd];
	mutex_unlock(&t->lock);
	return r;
}

int pfd_set_cloexec(struct pfd_table *t, int fd, bool on)
{
	int r = -EBADF;

	if (fd < 0 || fd >= PFD_MAX)
		return r;
	mutex_lock(&t->lock);
	if (t->fd[fd]) {
		t->cloexec[fd] = on;
		r = 0;
	}
	mutex_unlock(&t->lock);
	return r;
}
