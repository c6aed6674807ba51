/* File descriptor tables (fd.h). */
#include <tessera/errno.h>
#include <tessera/string.h>

#include "processor/fd/fd.h"

void pfd_table_init(struct pfd_table *t)
{
	mutex_init(&t->lock, "fd_table", LOCK_RANK_FD_TABLE);
	memset(t->fd, 0, sizeof(t->fd));
	memset(t->cloexec, 0, sizeof(t->cloexec));
}

void pfd_table_copy(struct pfd_table *dst, struct pfd_table *src)
{
	mutex_lock(&src->lock);
	for (int fd = 0; fd < PFD_MAX; fd++) {
		dst->fd[fd] = src->fd[fd];
		dst->cloexec[fd] = src->cloexec[fd];
		if (dst->fd[fd])
			pfd_ref(dst->fd[fd]);
	}
	mutex_unlock(&src->lock);
}

void pfd_close_on_exec(struct pfd_table *t)
{
	for (int fd = 0; fd < PFD_MAX; fd++)
		if (pfd_get_cloexec(t, fd) == 1)
			pfd_close(t, fd);
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

	if (min >= PFD_MAX) {
		pfd_put(f);
		return -EINVAL;
	}
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
