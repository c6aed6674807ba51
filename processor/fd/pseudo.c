/*
 * The walker of the pseudo file systems, their mount table, and fixed
 * directories (a table of entries); their kinds of open file are in
 * pseudo_file.c. See pseudo.h.
 *
 * Paths are walked lexically: the absolute path is put in normal form
 * first ("." and ".." by name), then each name is looked up in turn; a
 * link is followed by splicing its target into the path and starting
 * over, at most PSEUDO_LINKS times (-ELOOP).
 *
 * Locking: none; nodes are read-only once made.
 */
#include <stdarg.h>

#include <tessera/errno.h>
#include <tessera/fmt.h>
#include <tessera/kmalloc.h>
#include <tessera/string.h>
#include <tessera/uapi/fcntl.h>
#include <tessera/uapi/statfs.h>

#include "processor/fd/procfs.h"

#define PSEUDO_PATH_MAX 4096
#define PSEUDO_LINKS 40

struct pmount {
	const char *path;
	void (*root)(struct pnode *out);
	const char *source, *type, *opts; /* what /proc/mounts says */
	u32 magic;                         /* statfs's f_type, as Linux's */
};

/* The mount table: the directories the pseudo trees are mounted on. */
static const struct pmount pseudo_mounts[] = {
	{ "/dev", pdev_root, "udev", "devtmpfs", "rw,nosuid,relatime", 0x01021994 },
	{ "/proc", pprocfs_root, "proc", "proc", "rw,nosuid,nodev,noexec,relatime", 0x9fa0 },
};

/* The pseudo trees and mount.c's tmpfs trees, as /proc/mounts lists them. */
void pseudo_mounts_text(struct pbuf *b)
{
	for (u32 i = 0; i < ARRAY_SIZE(pseudo_mounts); i++) {
		const struct pmount *m = &pseudo_mounts[i];

		pbuf_printf(b, "%s %s %s %s 0 0\n", m->source, m->path, m->type, m->opts);
	}
	pbuf_printf(b, "tmpfs /tmp tmpfs rw,nosuid,nodev 0 0\n"
		       "tmpfs /dev/shm tmpfs rw,nosuid,nodev 0 0\n");
}

void pbuf_put(struct pbuf *b, const void *data, u64 len)
{
	if (b->oom)
		return;
	if (b->len + len + 1 > b->cap) {
		u64 cap = MAX(b->cap * 2, ALIGN_UP(b->len + len + 1, 256ull));
		char *d = kmalloc(cap);

		if (!d) {
			b->oom = true;
			return;
		}
		memcpy(d, b->data, b->len);
		kfree(b->data);
		b->data = d;
		b->cap = cap;
	}
	memcpy(b->data + b->len, data, len);
	b->len += len;
	b->data[b->len] = '\0';
}

void pbuf_printf(struct pbuf *b, const char *fmt, ...)
{
	char line[256];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = fmt_vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	pbuf_put(b, line, (u64)MIN(n, (int)sizeof(line) - 1));
}

/* Directories inside the pseudo trees that the file backend's own mount
 * table (mount.c: tmpfs) covers: paths there are the backend's. */
static const char *const pseudo_holes[] = { "/dev/shm" };

static bool pseudo_under(const char *abs, const char *dir)
{
	u64 n = strlen(dir);

	return !strncmp(abs, dir, n) && (abs[n] == '/' || !abs[n]);
}

/* The mount abs (in normal form) lies under, and the rest of abs. */
static const struct pmount *pseudo_mount_of(const char *abs, const char **rest)
{
	for (u32 i = 0; i < ARRAY_SIZE(pseudo_holes); i++)
		if (pseudo_under(abs, pseudo_holes[i]))
			return NULL;
	for (u32 i = 0; i < ARRAY_SIZE(pseudo_mounts); i++) {
		const struct pmount *m = &pseudo_mounts[i];

		if (pseudo_under(abs, m->path)) {
			*rest = abs + strlen(m->path);
			return m;
		}
	}
	return NULL;
}

bool pseudo_mounted(const char *abs)
{
	char *buf = kmalloc(PSEUDO_PATH_MAX);
	const char *rest;
	bool in;

	if (!buf || strlen(abs) >= PSEUDO_PATH_MAX) {
		kfree(buf);
		return false;
	}
	memcpy(buf, abs, strlen(abs) + 1);
	ppath_normalize(buf);
	in = pseudo_mount_of(buf, &rest) != NULL;
	kfree(buf);
	return in;
}

int pseudo_statfs(const char *abs, struct statfs *st)
{
	char *buf = kmalloc(PSEUDO_PATH_MAX);
	const struct pmount *m = NULL;
	const char *rest;

	if (buf && abs[0] == '/' && strlen(abs) < PSEUDO_PATH_MAX) {
		memcpy(buf, abs, strlen(abs) + 1);
		ppath_normalize(buf);
		m = pseudo_mount_of(buf, &rest);
	}
	kfree(buf);
	if (!m)
		return PSEUDO_OUTSIDE;
	*st = (struct statfs){ .f_type = m->magic, .f_bsize = 4096, .f_namelen = PFILE_NAME_MAX,
			       .f_frsize = 4096 };
	return 0;
}

/* buf becomes head + "/" + target + tail, in normal form. */
static int pseudo_splice(char *buf, u64 head, const char *target, const char *tail)
{
	char *tmp = kmalloc(PSEUDO_PATH_MAX);
	int n;

	if (!tmp)
		return -ENOMEM;
	n = fmt_snprintf(tmp, PSEUDO_PATH_MAX, "%.*s/%s%s", target[0] == '/' ? 0 : (int)head,
			 buf, target, tail);
	if (n < PSEUDO_PATH_MAX) {
		memcpy(buf, tmp, (u64)n + 1);
		ppath_normalize(buf);
	}
	kfree(tmp);
	return n < PSEUDO_PATH_MAX ? 0 : -ENAMETOOLONG;
}

/* Follow link (met at name, which starts at buf + at; tail follows it):
 * 0 with buf rewritten, 1 when the link is a magic one to be opened. */
static int pseudo_follow(struct pproc *p, const struct pnode *link, char *buf, u64 at,
			 const char *tail)
{
	char *target = kmalloc(PSEUDO_PATH_MAX);
	long len;
	int err;

	if (!target)
		return -ENOMEM;
	len = link->ops->readlink(p, link, target, PSEUDO_PATH_MAX - 1);
	if (len < 0) {
		kfree(target);
		return (int)len;
	}
	target[len] = '\0';
	if (link->magic && target[0] != '/')
		err = *tail ? -ENOTDIR : 1;
	else
		err = pseudo_splice(buf, at ? at - 1 : 0, target, tail);
	kfree(target);
	return err;
}

/* One name of the walk: from *n (a directory) to its child name, the
 * name [at, end) of buf. 0, 1 (walk again from the start of buf: a link
 * was spliced in), 2 (a magic link is the end), or -errno. */
static int pseudo_step(struct pproc *p, struct pnode *n, char *buf, u64 at, u64 end,
		       bool follow)
{
	char name[PFILE_NAME_MAX + 1];
	struct pnode child;
	bool last = !buf[end];
	int err;

	if (end - at > PFILE_NAME_MAX)
		return -ENAMETOOLONG;
	if ((n->mode & S_IFMT) != S_IFDIR)
		return -ENOTDIR;
	memcpy(name, buf + at, end - at);
	name[end - at] = '\0';
	err = n->ops->lookup(p, n, name, &child);
	if (err)
		return err;
	if ((child.mode & S_IFMT) == S_IFLNK && (!last || follow)) {
		err = pseudo_follow(p, &child, buf, at, buf + end);
		if (err <= 0)
			return err ? err : 1;
		*n = child;
		return 2;
	}
	*n = child;
	n->magic = false; /* a link the walk stops at is a link, even a magic one */
	return 0;
}

/* Walk buf (normal form) from its mount: 0 with *n, 1 when buf was
 * rewritten by a link, PSEUDO_OUTSIDE + 1 when buf is under no mount. */
static int pseudo_walk_once(struct pproc *p, char *buf, bool follow, struct pnode *n)
{
	const char *rest;
	const struct pmount *m = pseudo_mount_of(buf, &rest);
	u64 at = (u64)(rest - buf);

	if (!m)
		return PSEUDO_OUTSIDE + 1;
	m->root(n);
	while (buf[at]) {
		u64 end = ++at;
		int r;

		while (buf[end] && buf[end] != '/')
			end++;
		r = pseudo_step(p, n, buf, at, end, follow);
		if (r == 2)
			return 0;
		if (r)
			return r;
		at = end;
	}
	return 0;
}

int pseudo_walk(struct pproc *p, const char *abs, bool follow, struct pnode *n, char **resolved)
{
	char *buf = kmalloc(PSEUDO_PATH_MAX);
	int r = -ENOMEM, links;

	*resolved = NULL;
	if (!buf)
		return r;
	if (strlen(abs) >= PSEUDO_PATH_MAX) {
		kfree(buf);
		return -ENAMETOOLONG;
	}
	memcpy(buf, abs, strlen(abs) + 1);
	follow |= abs[0] && abs[strlen(abs) - 1] == '/'; /* "link/" names the target */
	ppath_normalize(buf);
	for (links = 0; links <= PSEUDO_LINKS; links++) {
		r = pseudo_walk_once(p, buf, follow, n);
		if (r != 1)
			break;
		r = -ELOOP;
	}
	if (r == 0 || (r == PSEUDO_OUTSIDE + 1 && links)) {
		*resolved = buf;
		return r ? PSEUDO_OUTSIDE : 0;
	}
	kfree(buf);
	return r == PSEUDO_OUTSIDE + 1 ? PSEUDO_OUTSIDE : r;
}

/* Fixed directories. */

static void pseudo_entry_node(const struct pnode *dir, const struct pentry *e, u32 idx,
			      struct pnode *out)
{
	*out = (struct pnode){ .ops = e->ops, .mode = e->mode, .pid = dir->pid, .arg = e->arg,
			       .rdev = e->rdev, .data = e->sub, .dev = dir->dev,
			       .ino = dir->ino * 64 + idx + 1 };
}

int pseudo_table_lookup(struct pproc *caller, const struct pnode *dir, const char *name,
			struct pnode *out)
{
	const struct pentry *e = dir->data;

	for (u32 i = 0; e && e[i].name; i++) {
		if (!strcmp(e[i].name, name)) {
			pseudo_entry_node(dir, &e[i], i, out);
			return 0;
		}
	}
	return -ENOENT;
}

int pseudo_table_entry(struct pproc *caller, const struct pnode *dir, u32 idx,
		       struct pnode *out, char *name)
{
	const struct pentry *e = dir->data;

	for (u32 i = 0; e && e[i].name; i++) {
		if (i == idx) {
			pseudo_entry_node(dir, &e[i], i, out);
			str_copy(name, e[i].name, PFILE_NAME_MAX + 1);
			return 0;
		}
	}
	return -ENOENT;
}

const struct pnode_ops pseudo_table_ops = {
	.lookup = pseudo_table_lookup,
	.entry = pseudo_table_entry,
};
