/* tmpfs and the mount table through the file backend ops: make, write
 * with a hole, read, list, link, rename (over a file, of a directory,
 * into itself), unlink with ESTALE after, rmdir rules, symlinks, a full
 * tmpfs (ENOSPC, then room again after unlink), and the view routing
 * /tmp and /dev/shm to their trees with EXDEV between trees. Host and
 * in-kernel. */
#include <tessera/errno.h>
#include <tessera/kmalloc.h>
#include <tessera/ktest.h>
#include <tessera/string.h>
#include <tessera/uapi/stat.h>

#include "processor/fd/tmpfs.h"

struct tfs {
	struct pfile_backend b;
	const struct pfile_ops *o;
	void *be;
	struct pfile_handle root;
};

static void tfs_init(struct ktest_ctx *t, struct tfs *f, u64 cap)
{
	KT_ASSERT(t, !ptmpfs_create(cap, &f->b));
	f->o = f->b.ops;
	f->be = f->b.be;
	KT_ASSERT(t, !f->o->lookup(f->be, "/", &f->root, NULL));
}

static int mkfile(struct tfs *f, const struct pfile_handle *dir, const char *name,
		  struct pfile_handle *h)
{
	bool created;

	return f->o->create(f->be, dir, name, S_IFREG | 0644, 0, PFILE_CREATE_EXCL, h, NULL,
			    &created);
}

/* The names of directory h, space-separated, into buf (3 per call). */
static void names(struct tfs *f, const struct pfile_handle *h, char *buf, u32 cap)
{
	struct pfile_dirent d[3];
	u64 cookie = 0, used = 0;
	int n;

	while ((n = f->o->readdir(f->be, h, cookie, d, 3)) > 0) {
		for (int i = 0; i < n && used + d[i].name_len + 2 < cap; i++) {
			if (used)
				buf[used++] = ' ';
			memcpy(buf + used, d[i].name, d[i].name_len);
			used += d[i].name_len;
			cookie = d[i].next_cookie;
		}
	}
	buf[used] = 0;
}

KTEST(tmpfs, files_and_holes)
{
	struct tfs f;
	struct pfile_handle a, again;
	struct pfile_attr at;
	char buf[64], big[9000];

	tfs_init(t, &f, 1 << 20);
	KT_EXPECT_EQ(t, mkfile(&f, &f.root, "a", &a), 0);
	KT_EXPECT_EQ(t, mkfile(&f, &f.root, "a", &again), -EEXIST);
	KT_EXPECT_EQ(t, f.o->write(f.be, &a, 8192, "end", 3, 0, &at), 3);
	KT_EXPECT_EQ(t, (long)at.size, 8195);
	KT_EXPECT_EQ(t, (long)at.blocks, 8); /* one page of 4096: the hole holds none */
	KT_EXPECT_EQ(t, f.o->read(f.be, &a, 0, big, sizeof(big)), 8195);
	KT_EXPECT(t, big[0] == 0 && big[8191] == 0 && !memcmp(big + 8192, "end", 3));
	KT_EXPECT_EQ(t, f.o->write(f.be, &a, 0, "x", 1, PFILE_WRITE_APPEND, NULL), 1);
	KT_EXPECT_EQ(t, f.o->read(f.be, &a, 8192, buf, sizeof(buf)), 4);
	KT_EXPECT(t, !memcmp(buf, "endx", 4));
	KT_EXPECT_EQ(t, f.o->read(f.be, &a, 9000, buf, sizeof(buf)), 0);
	KT_EXPECT_EQ(t, f.o->setattr(f.be, &a, &(struct pfile_setattr){ .valid = PFILE_SET_SIZE,
		     .size = 2 }, &at), 0);
	KT_EXPECT_EQ(t, (long)at.size, 2);
	KT_EXPECT_EQ(t, f.o->read(f.be, &f.root, 0, buf, 4), -EISDIR);
	KT_EXPECT_EQ(t, f.o->lookup(f.be, "/a", &again, &at), 0);
	KT_EXPECT(t, again.ino == a.ino && again.gen == a.gen && (at.mode & S_IFMT) == S_IFREG);
	KT_EXPECT_EQ(t, f.o->lookup(f.be, "/a/b", &again, NULL), -ENOTDIR);
	KT_EXPECT_EQ(t, f.o->lookup(f.be, "/nope", &again, NULL), -ENOENT);
	ptmpfs_destroy(&f.b);
}

KTEST(tmpfs, names)
{
	struct tfs f;
	struct pfile_handle d, e, a, b, h;
	struct pfile_attr at;
	char list[200];

	tfs_init(t, &f, 1 << 20);
	KT_ASSERT(t, !f.o->mkdir(f.be, &f.root, "d", 0755, &d, &at));
	KT_EXPECT_EQ(t, (int)at.nlink, 2);
	KT_ASSERT(t, !f.o->mkdir(f.be, &d, "e", 0755, &e, NULL));
	KT_ASSERT(t, !mkfile(&f, &d, "a", &a) && !mkfile(&f, &d, "b", &b));
	names(&f, &d, list, sizeof(list));
	KT_EXPECT(t, !strcmp(list, ". .. e a b"));
	KT_EXPECT_EQ(t, f.o->link(f.be, &a, &e, "a2"), 0);
	KT_EXPECT_EQ(t, f.o->getattr(f.be, &a, &at), 0);
	KT_EXPECT_EQ(t, (int)at.nlink, 2);
	KT_EXPECT_EQ(t, f.o->rename(f.be, &d, "a", &d, "b", 0), 0); /* over b */
	KT_EXPECT_EQ(t, f.o->getattr(f.be, &b, &at), -ESTALE);
	KT_EXPECT_EQ(t, f.o->lookup(f.be, "/d/b", &h, NULL), 0);
	KT_EXPECT(t, h.ino == a.ino);
	KT_EXPECT_EQ(t, f.o->rename(f.be, &f.root, "d", &e, "x", 0), -EINVAL);
	KT_EXPECT_EQ(t, f.o->rename(f.be, &d, "e", &f.root, "e", 0), 0);
	KT_EXPECT_EQ(t, f.o->getattr(f.be, &d, &at), 0);
	KT_EXPECT_EQ(t, (int)at.nlink, 2);
	KT_EXPECT_EQ(t, f.o->lookup(f.be, "/e/a2", &h, NULL), 0);
	KT_EXPECT_EQ(t, f.o->unlink(f.be, &f.root, "e", PFILE_UNLINK_DIR), -ENOTEMPTY);
	KT_EXPECT_EQ(t, f.o->unlink(f.be, &f.root, "e", 0), -EISDIR);
	KT_EXPECT_EQ(t, f.o->unlink(f.be, &e, "a2", PFILE_UNLINK_DIR), -ENOTDIR);
	KT_EXPECT_EQ(t, f.o->unlink(f.be, &e, "a2", 0), 0);
	KT_EXPECT_EQ(t, f.o->unlink(f.be, &f.root, "e", PFILE_UNLINK_DIR), 0);
	KT_EXPECT_EQ(t, f.o->getattr(f.be, &e, &at), -ESTALE);
	KT_EXPECT_EQ(t, f.o->rename(f.be, &d, "b", &f.root, "c", PFILE_RENAME_NOREPLACE), 0);
	KT_EXPECT_EQ(t, f.o->unlink(f.be, &d, "nope", 0), -ENOENT);
	KT_EXPECT_EQ(t, f.o->mkdir(f.be, &d, "..", 0755, &h, NULL), -EINVAL);
	ptmpfs_destroy(&f.b);
}

KTEST(tmpfs, symlinks)
{
	struct tfs f;
	struct pfile_handle d, l, h, a;
	char buf[16];

	tfs_init(t, &f, 1 << 20);
	KT_ASSERT(t, !f.o->mkdir(f.be, &f.root, "d", 0755, &d, NULL));
	KT_ASSERT(t, !mkfile(&f, &d, "a", &a));
	KT_ASSERT(t, !f.o->symlink(f.be, &f.root, "rel", "d/a", &l, NULL));
	KT_ASSERT(t, !f.o->symlink(f.be, &d, "abs", "/d", &h, NULL));
	KT_ASSERT(t, !f.o->symlink(f.be, &f.root, "loop", "loop", &h, NULL));
	KT_EXPECT_EQ(t, f.o->readlink(f.be, &l, buf, sizeof(buf)), 3);
	KT_EXPECT_EQ(t, f.o->lookup(f.be, "/rel", &h, NULL), 0);
	KT_EXPECT(t, h.ino == a.ino);
	KT_EXPECT_EQ(t, f.o->lookup(f.be, "/d/abs/abs/a", &h, NULL), 0);
	KT_EXPECT(t, h.ino == a.ino);
	KT_EXPECT_EQ(t, f.o->lookup_at(f.be, NULL, "/rel", PFILE_NOFOLLOW, &h, NULL), 0);
	KT_EXPECT(t, h.ino == l.ino);
	KT_EXPECT_EQ(t, f.o->lookup(f.be, "/loop", &h, NULL), -ELOOP);
	KT_EXPECT_EQ(t, f.o->lookup(f.be, "/../d/../rel", &h, NULL), 0);
	KT_EXPECT(t, h.ino == a.ino);
	ptmpfs_destroy(&f.b);
}

KTEST(tmpfs, full)
{
	static char page[4096];
	struct tfs f;
	struct pfile_handle a, b;
	struct pfile_statfs st;

	tfs_init(t, &f, 2 * 4096);
	KT_ASSERT(t, !mkfile(&f, &f.root, "a", &a) && !mkfile(&f, &f.root, "b", &b));
	KT_EXPECT_EQ(t, f.o->write(f.be, &a, 0, page, 4096, 0, NULL), 4096);
	KT_EXPECT_EQ(t, f.o->write(f.be, &b, 0, page, 4096, 0, NULL), 4096);
	KT_EXPECT_EQ(t, f.o->write(f.be, &b, 4096, page, 10, 0, NULL), -ENOSPC);
	KT_EXPECT_EQ(t, f.o->statfs(f.be, &f.root, &st), 0);
	KT_EXPECT(t, st.bfree == 0 && st.blocks == 2 && st.magic == PTMPFS_MAGIC);
	KT_EXPECT_EQ(t, f.o->unlink(f.be, &f.root, "a", 0), 0);
	KT_EXPECT_EQ(t, f.o->write(f.be, &b, 4096, page, 10, 0, NULL), 10);
	ptmpfs_destroy(&f.b);
}

KTEST(tmpfs, view_routes_trees)
{
	struct pmount_table *tab = kzalloc(sizeof(*tab)); /* too big for a stack */
	struct tfs root;
	struct pfile_backend v, v2;
	struct pfile_handle tmp, shm, x, y, r;
	struct pfile_attr at;
	struct pfile_statfs st;
	const struct pfile_ops *o;
	bool created;

	KT_ASSERT(t, tab != NULL);
	tfs_init(t, &root, 1 << 20);
	pmount_table_init(tab);
	KT_ASSERT(t, !pmount_create(tab, &root.b, 7, &v));
	o = v.ops;
	KT_ASSERT(t, !o->lookup(v.be, "/tmp", &tmp, &at));
	KT_EXPECT_EQ(t, (int)(at.mode & 07777), 01777);
	KT_ASSERT(t, !o->lookup(v.be, "/dev/shm/", &shm, NULL));
	KT_EXPECT(t, tmp.ino != shm.ino && at.ino == tmp.ino);
	KT_EXPECT(t, !o->statfs(v.be, &shm, &st) && st.magic == PTMPFS_MAGIC && st.blocks ==
		  PTMPFS_CAP / 4096);
	KT_ASSERT(t, !o->create(v.be, &tmp, "x", S_IFREG | 0600, 0, 0, &x, NULL, &created));
	KT_EXPECT_EQ(t, o->lookup(v.be, "/tmp/x", &y, NULL), 0);
	KT_EXPECT(t, y.ino == x.ino && created);
	KT_EXPECT_EQ(t, o->lookup(v.be, "/tmpx", &y, NULL), -ENOENT); /* the root's */
	KT_EXPECT_EQ(t, o->lookup(v.be, "/x", &y, NULL), -ENOENT);
	KT_EXPECT_EQ(t, o->write(v.be, &x, 0, "hi", 2, 0, NULL), 2);
	KT_EXPECT_EQ(t, o->link(v.be, &x, &shm, "x"), -EXDEV);
	KT_EXPECT_EQ(t, o->rename(v.be, &tmp, "x", &shm, "x", 0), -EXDEV);
	KT_EXPECT_EQ(t, o->lookup(v.be, "/", &r, NULL), 0);
	KT_EXPECT_EQ(t, o->rename(v.be, &tmp, "x", &r, "x", 0), -EXDEV);
	KT_ASSERT(t, !pmount_create(tab, &root.b, 7, &v2)); /* the same vNode's trees */
	KT_EXPECT_EQ(t, v2.ops->lookup(v2.be, "/tmp/x", &y, &at), 0);
	KT_EXPECT(t, y.ino == x.ino && at.size == 2);
	pmount_destroy(&v2);
	KT_ASSERT(t, !pmount_create(tab, &root.b, 8, &v2)); /* another vNode's */
	KT_EXPECT_EQ(t, v2.ops->lookup(v2.be, "/tmp/x", &y, NULL), -ENOENT);
	pmount_destroy(&v2);
	pmount_destroy(&v);
	for (u32 i = 0; i < PMOUNT_VNODES; i++)
		for (u32 k = 1; k < PMOUNT_TREES; k++)
			ptmpfs_destroy(&tab->v[i].tree[k]);
	ptmpfs_destroy(&root.b);
	kfree(tab);
}
