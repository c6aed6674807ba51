/*
 * A process's working directory (Linux's fs_struct, without a root of its
 * own): an absolute path in normal form, which every relative path of the
 * process's calls is resolved against (pabi_abs_path). chdir checks the
 * directory through the same stat every path call uses. The form is
 * lexical: "." and ".." are taken out by name, so a ".." after a symlink
 * goes back to the link's parent, not to the target's.
 *
 * Locking: pcwd.lock (mutex) guards path; it is held only to copy or swap
 * the string, never across a lookup.
 */
#include <tessera/errno.h>
#include <tessera/kmalloc.h>
#include <tessera/lockrank.h>
#include <tessera/string.h>
#include <tessera/uapi/fcntl.h>
#include <tessera/uapi/stat.h>

#include "processor/proc/proc.h"

void pcwd_init(struct pcwd *c)
{
	mutex_init(&c->lock, "pcwd", LOCK_RANK_PROC_CWD);
	c->path = NULL;
}

void pcwd_free(struct pcwd *c)
{
	kfree(c->path);
	c->path = NULL;
}

int pcwd_copy(struct pcwd *dst, struct pcwd *src)
{
	int err = 0;

	mutex_lock(&src->lock);
	if (src->path) {
		dst->path = kmalloc(strlen(src->path) + 1);
		if (dst->path)
			memcpy(dst->path, src->path, strlen(src->path) + 1);
		else
			err = -ENOMEM;
	}
	mutex_unlock(&src->lock);
	return err;
}

u64 pcwd_get(struct pcwd *c, char *buf, u64 size)
{
	u64 len;

	mutex_lock(&c->lock);
	len = c->path ? strlen(c->path) : 1;
	if (len < size)
		memcpy(buf, c->path ? c->path : "/", len + 1);
	mutex_unlock(&c->lock);
	return len;
}

void ppath_normalize(char *path)
{
	char *out = path, *in = path;

	if (path[0] != '/')
		return; /* not a path ("pipe:"): the form only shrinks absolute ones */
	while (*in) {
		u64 n;

		while (*in == '/')
			in++;
		for (n = 0; in[n] && in[n] != '/'; n++)
			;
		if (n == 2 && in[0] == '.' && in[1] == '.') {
			while (out > path && *--out != '/')
				;
		} else if (n && !(n == 1 && in[0] == '.')) {
			*out++ = '/';
			memmove(out, in, n);
			out += n;
		}
		in += n;
	}
	if (out == path)
		*out++ = '/';
	*out = '\0';
}

/* The directory a chdir names, as an absolute path in normal form. */
static int pcwd_target(struct abi_thread *t, int dirfd, const char *path, char **out)
{
	struct pproc *p = t->proc->priv;
	struct pfd_file *f;

	if (path)
		return pabi_abs_path(p, dirfd, path, out);
	f = pfd_get(&p->fds, dirfd);
	if (!f)
		return -EBADF;
	*out = kmalloc(strlen(f->path) + 2);
	if (*out)
		memcpy(*out, f->path, strlen(f->path) + 1);
	pfd_put(f);
	return *out ? 0 : -ENOMEM;
}

/* May the caller search directory st? Root may if anyone may. */
static bool pcwd_searchable(const struct abi_proc *ap, const struct stat *st)
{
	u32 bits = ap->euid == 0 ? 0111 : st->st_uid == ap->euid ? 0100
					  : st->st_gid == ap->egid ? 0010 : 0001;

	return (st->st_mode & bits) != 0;
}

int pabi_chdir(struct abi_thread *t, int dirfd, const char *path)
{
	struct pproc *p = t->proc->priv;
	struct stat st;
	char *abs, *old;
	int err = pcwd_target(t, dirfd, path, &abs);

	if (err)
		return err;
	err = path ? pabi_stat(t, AT_FDCWD, abs, true, &st) : pabi_fstat(t, dirfd, &st);
	if (!err && (st.st_mode & S_IFMT) != S_IFDIR)
		err = -ENOTDIR;
	if (!err && !pcwd_searchable(t->proc, &st))
		err = -EACCES;
	if (err) {
		kfree(abs);
		return err;
	}
	ppath_normalize(abs);
	mutex_lock(&p->cwd.lock);
	old = p->cwd.path;
	p->cwd.path = abs;
	mutex_unlock(&p->cwd.lock);
	kfree(old);
	return 0;
}

long pabi_getcwd(struct abi_thread *t, char *buf, u64 size)
{
	struct pproc *p = t->proc->priv;
	u64 len = pcwd_get(&p->cwd, buf, size);

	return len < size ? (long)len + 1 : -ERANGE;
}
