/*
 * /proc/<pid>/fd and /proc/<pid>/fdinfo of the caller's own process: a
 * link per open descriptor, named by its number, and a text per
 * descriptor with its position and flags. A link's target is the file's
 * path when it has one (following it opens that path anew, as Linux
 * reopens the file: a new open file at offset 0); a pipe or a console
 * stream shows "pipe:[INODE]", and following that link gives the same
 * open file again (Linux would make a new open file of the pipe with the
 * access mode asked for; here it keeps the one it has).
 */
#include <tessera/errno.h>
#include <tessera/fmt.h>
#include <tessera/string.h>
#include <tessera/uapi/fcntl.h>

#include "processor/fd/procfs.h"
#include "processor/proc/proc.h"

static bool pprocfs_fd_number(const char *name, int *fd)
{
	int v = 0;

	if (!name[0] || (name[0] == '0' && name[1]))
		return false;
	for (const char *s = name; *s; s++) {
		if (*s < '0' || *s > '9' || v >= PFD_MAX)
			return false;
		v = v * 10 + (*s - '0');
	}
	*fd = v;
	return v < PFD_MAX;
}

/* The idx-th open descriptor of p, or -1. */
static int pprocfs_nth_fd(struct pproc *p, u32 idx)
{
	int found = -1;

	mutex_lock(&p->fds.lock);
	for (int fd = 0; fd < PFD_MAX && found < 0; fd++)
		if (p->fds.fd[fd] && idx-- == 0)
			found = fd;
	mutex_unlock(&p->fds.lock);
	return found;
}

static long pprocfs_fd_readlink(struct pproc *caller, const struct pnode *n, char *buf,
				u64 size)
{
	struct pfd_file *f = pfd_get(&caller->fds, (int)n->arg);
	char t[PSEUDO_NAME_MAX + 32];
	const char *target = t;
	struct stat st;
	u64 len;

	if (!f)
		return -ENOENT;
	if (f->path[0] == '/')
		target = f->path;
	else if (!f->ops->stat(f, &st) && (st.st_mode & S_IFMT) == S_IFIFO)
		fmt_snprintf(t, sizeof(t), "pipe:[%llu]", (unsigned long long)st.st_ino);
	else
		fmt_snprintf(t, sizeof(t), "anon_inode:[%s]", f->ops->kind);
	len = MIN(strlen(target), size);
	memcpy(buf, target, len);
	pfd_put(f);
	return (long)len;
}

/* Following a link that names no path: the open file itself. */
static int pprocfs_fd_open(struct pproc *caller, const struct pnode *n, u32 flags,
			   const char *path, struct pfd_file **out)
{
	*out = pfd_get(&caller->fds, (int)n->arg);
	return *out ? 0 : -ENOENT;
}

static const struct pnode_ops pprocfs_fd_link_ops = {
	.readlink = pprocfs_fd_readlink,
	.open = pprocfs_fd_open,
};

static int pprocfs_fdinfo(struct pproc *caller, const struct pnode *n, struct pbuf *b)
{
	struct pfd_file *f = pfd_get(&caller->fds, (int)n->arg);
	int cloexec = pfd_get_cloexec(&caller->fds, (int)n->arg);
	u64 pos;

	if (!f)
		return -ENOENT;
	mutex_lock(&f->lock);
	pos = f->pos;
	mutex_unlock(&f->lock);
	pbuf_printf(b, "pos:\t%llu\nflags:\t0%o\nmnt_id:\t0\n", (unsigned long long)pos,
		    pfd_get_flags(f) | (cloexec > 0 ? O_CLOEXEC : 0));
	pfd_put(f);
	return 0;
}

static const struct pnode_ops pprocfs_fdinfo_ops = { .fill = pprocfs_fdinfo };

/* The node for descriptor fd in directory dir (fd or fdinfo). */
static void pprocfs_fd_node(const struct pnode *dir, int fd, bool info, struct pnode *out)
{
	*out = (struct pnode){ .ops = info ? &pprocfs_fdinfo_ops : &pprocfs_fd_link_ops,
			       .mode = info ? S_IFREG | 0444 : S_IFLNK | 0700, .pid = dir->pid,
			       .arg = (u32)fd, .ino = dir->ino * PFD_MAX + (u64)fd,
			       .dev = dir->dev, .magic = !info };
}

static int pprocfs_fds_lookup(struct pproc *caller, const struct pnode *dir, const char *name,
			      struct pnode *out, bool info)
{
	struct pfd_file *f;
	int fd;

	if (dir->pid != caller->pid)
		return -EACCES;
	if (!pprocfs_fd_number(name, &fd))
		return -ENOENT;
	f = pfd_get(&caller->fds, fd);
	if (!f)
		return -ENOENT;
	pfd_put(f);
	pprocfs_fd_node(dir, fd, info, out);
	return 0;
}

static int pprocfs_fds_entry(struct pproc *caller, const struct pnode *dir, u32 idx,
			     struct pnode *out, char *name, bool info)
{
	int fd = dir->pid == caller->pid ? pprocfs_nth_fd(caller, idx) : -1;

	if (fd < 0)
		return -ENOENT;
	pprocfs_fd_node(dir, fd, info, out);
	fmt_snprintf(name, PSEUDO_NAME_MAX, "%d", fd);
	return 0;
}

static int pprocfs_fd_lookup(struct pproc *caller, const struct pnode *dir, const char *name,
			     struct pnode *out)
{
	return pprocfs_fds_lookup(caller, dir, name, out, false);
}

static int pprocfs_fd_entry(struct pproc *caller, const struct pnode *dir, u32 idx,
			    struct pnode *out, char *name)
{
	return pprocfs_fds_entry(caller, dir, idx, out, name, false);
}

static int pprocfs_fdinfo_lookup(struct pproc *caller, const struct pnode *dir,
				 const char *name, struct pnode *out)
{
	return pprocfs_fds_lookup(caller, dir, name, out, true);
}

static int pprocfs_fdinfo_entry(struct pproc *caller, const struct pnode *dir, u32 idx,
				struct pnode *out, char *name)
{
	return pprocfs_fds_entry(caller, dir, idx, out, name, true);
}

const struct pnode_ops pprocfs_fd_dir_ops = {
	.lookup = pprocfs_fd_lookup,
	.entry = pprocfs_fd_entry,
};

const struct pnode_ops pprocfs_fdinfo_dir_ops = {
	.lookup = pprocfs_fdinfo_lookup,
	.entry = pprocfs_fdinfo_entry,
};
