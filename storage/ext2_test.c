/*
 * Host tests of the ext2 reader against images mke2fs builds from a tree
 * made at test time: every file's content, attributes and symlink target,
 * and every directory's listing, compared with the host's view of the
 * same tree, for 1, 2 and 4 KiB blocks.
 */
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <tessera/errno.h>
#include <tessera/ktest.h>

#include "storage/ext2.h"
#include "storage/fs_test_util.h"

#define MAX_NAMES 400
#define BIG_FILE (64ull << 20) /* larger files are compared in windows */

struct names {
	int n;
	char name[MAX_NAMES][FS_NAME_MAX + 1];
	u32 type[MAX_NAMES];
};

static int name_cmp(const void *a, const void *b)
{
	return strcmp(a, b);
}

/* Take at most 7 entries per call, so listings resume from cookies. */
struct batch {
	struct names *out;
	int taken;
};

static int take(void *arg, const struct fs_dirent *d)
{
	struct batch *b = arg;
	struct names *o = b->out;

	if (b->taken == 7 || o->n == MAX_NAMES)
		return 1;
	memcpy(o->name[o->n], d->name, d->name_len);
	o->name[o->n][d->name_len] = 0;
	o->type[o->n++] = d->type;
	b->taken++;
	return 0;
}

static int fs_list(struct fs *fs, struct fs_handle h, struct names *out)
{
	u64 cookie = 0;
	int err = 0;

	out->n = 0;
	while (!err && cookie != FS_COOKIE_EOF) {
		struct batch b = { out, 0 };

		err = fs_readdir(fs, h, cookie, take, &b, &cookie);
	}
	return err;
}

static int drop_name(struct names *g, const char *name)
{
	for (int i = 0; i < g->n; i++) {
		if (strcmp(g->name[i], name))
			continue;
		memcpy(g->name[i], g->name[g->n - 1], sizeof(g->name[i]));
		g->type[i] = g->type[g->n - 1];
		return 1;
	}
	return 0;
}

static void host_list(const char *path, struct names *out)
{
	DIR *d = opendir(path);
	struct dirent *e;

	out->n = 0;
	while (d && (e = readdir(d)) && out->n < MAX_NAMES)
		snprintf(out->name[out->n++], FS_NAME_MAX + 1, "%s", e->d_name);
	if (d)
		closedir(d);
	qsort(out->name, out->n, sizeof(out->name[0]), name_cmp);
}

static int cmp_window(struct ktest_ctx *t, struct fs *fs, struct fs_handle h,
		      int fd, u64 off, u32 len)
{
	static u8 a[1 << 20], b[1 << 20];
	ssize_t want = pread(fd, a, len, (off_t)off);
	u32 got = ~0u;

	KT_EXPECT_EQ(t, fs_read(fs, h, off, b, len, &got), 0);
	KT_EXPECT_EQ(t, got, (u32)want);
	return want > 0 && memcmp(a, b, (size_t)want);
}

/* Compare content in odd-sized chunks that straddle block boundaries. */
static void check_content(struct ktest_ctx *t, struct fs *fs,
			  struct fs_handle h, const char *path, u64 size)
{
	static const u32 chunk[] = { 1000, 4096, 1 << 20, 777 };
	int fd = open(path, O_RDONLY), bad = 0, i = 0;
	u64 off = 0;

	KT_ASSERT(t, fd >= 0);
	if (size <= BIG_FILE) {
		for (; off <= size; off += chunk[i++ % 4])
			bad |= cmp_window(t, fs, h, fd, off, chunk[i % 4]);
	} else {
		bad |= cmp_window(t, fs, h, fd, 0, 70000);
		bad |= cmp_window(t, fs, h, fd, (4ull << 30) - 4096, 8192);
		bad |= cmp_window(t, fs, h, fd, (4608ull << 20) - 3000, 16384);
		bad |= cmp_window(t, fs, h, fd, size - 100, 4096);
	}
	if (bad)
		ktest_log("content differs: %s", path);
	KT_EXPECT(t, !bad);
	close(fd);
}

static void check_attr(struct ktest_ctx *t, const struct fs_attr *a,
		       const struct stat *st, const char *path)
{
	int bad = a->mode != st->st_mode ||
		  (!S_ISDIR(st->st_mode) && a->size != (u64)st->st_size) ||
		  a->uid != st->st_uid || a->gid != st->st_gid ||
		  a->mtime != st->st_mtime ||
		  (!S_ISDIR(st->st_mode) && a->nlink != st->st_nlink);

	if (bad)
		ktest_log("attributes differ: %s", path);
	KT_EXPECT(t, !bad);
}

static void check_dir(struct ktest_ctx *t, struct fs *fs, struct fs_handle h,
		      const char *path, int depth);

static void check_entry(struct ktest_ctx *t, struct fs *fs,
			struct fs_handle dir, const char *path,
			const char *name, int depth)
{
	char full[1024], a_buf[FS_PATH_MAX], b_buf[FS_PATH_MAX];
	struct fs_handle h;
	struct fs_attr a;
	struct stat st;
	u32 n;

	snprintf(full, sizeof(full), "%s/%s", path, name);
	KT_ASSERT(t, !lstat(full, &st));
	KT_EXPECT_EQ(t, fs_lookup_at(fs, dir, name, FS_LOOKUP_NOFOLLOW, &h), 0);
	KT_ASSERT(t, !fs_getattr(fs, h, &a));
	check_attr(t, &a, &st, full);
	if (S_ISREG(st.st_mode))
		check_content(t, fs, h, full, a.size);
	if (S_ISDIR(st.st_mode))
		check_dir(t, fs, h, full, depth + 1);
	if (S_ISLNK(st.st_mode)) {
		ssize_t len = readlink(full, a_buf, sizeof(a_buf));

		KT_EXPECT_EQ(t, fs_readlink(fs, h, b_buf, sizeof(b_buf), &n), 0);
		KT_EXPECT(t, len == n && !memcmp(a_buf, b_buf, n));
	}
}

static void check_dir(struct ktest_ctx *t, struct fs *fs, struct fs_handle h,
		      const char *path, int depth)
{
	static struct names want[8], got[8];
	struct names *w = &want[depth], *g = &got[depth];
	int subdirs = 0;
	struct fs_attr a;

	KT_ASSERT(t, depth < 8);
	host_list(path, w);
	KT_EXPECT_EQ(t, fs_list(fs, h, g), 0);
	for (int i = 0; i < g->n; i++)
		subdirs += g->type[i] == FS_DT_DIR;
	if (depth == 0) /* mke2fs adds it */
		g->n -= drop_name(g, "lost+found");
	qsort(g->name, g->n, sizeof(g->name[0]), name_cmp);
	KT_EXPECT_EQ(t, g->n, w->n);
	for (int i = 0; i < w->n && i < g->n; i++)
		KT_EXPECT(t, !strcmp(w->name[i], g->name[i]));
	for (int i = 0; i < w->n; i++) {
		if (!strcmp(w->name[i], ".") || !strcmp(w->name[i], ".."))
			continue;
		check_entry(t, fs, h, path, w->name[i], depth);
	}
	KT_EXPECT_EQ(t, fs_getattr(fs, h, &a), 0);
	KT_EXPECT_EQ(t, a.nlink, subdirs); /* "." and ".." are DT_DIR too */
}

static struct fstest_vol *mount_std(struct ktest_ctx *t, u32 bs)
{
	static struct fstest_vol v;
	const char *img = fstest_std_image(bs);

	if (!img || fstest_load(&v, img) || fstest_mount(&v)) {
		ktest_fail(t, __FILE__, __LINE__, "mount standard image");
		return NULL;
	}
	return &v;
}

static void check_tree(struct ktest_ctx *t, u32 bs)
{
	struct fstest_vol *v = mount_std(t, bs);

	if (!v)
		return;
	KT_EXPECT_EQ(t, fstest_fsck(fstest_std_image(bs)), 0);
	KT_EXPECT_EQ(t, v->fs->block_size, bs);
	check_dir(t, v->fs, fs_root(v->fs), fstest_tree(), 0);
	ktest_log("%u-byte blocks: cache hits %lu misses %lu", bs,
		  (unsigned long)v->fs->cache.hits,
		  (unsigned long)v->fs->cache.misses);
	KT_EXPECT(t, v->fs->cache.hits > v->fs->cache.misses);
}

KTEST(ext2, tree_1k)
{
	check_tree(t, 1024);
}

KTEST(ext2, tree_2k)
{
	check_tree(t, 2048);
}

KTEST(ext2, tree_4k)
{
	check_tree(t, 4096);
}

/* Sparse files: holes are not allocated and read as zeros. */
KTEST(ext2, holes)
{
	struct fstest_vol *v = mount_std(t, 1024);
	static u8 buf[8192];
	struct fs_handle h;
	struct fs_attr a;
	u32 n;

	KT_ASSERT(t, v);
	KT_ASSERT(t, !fs_lookup(v->fs, "/huge", &h));
	KT_ASSERT(t, !fs_getattr(v->fs, h, &a));
	KT_EXPECT_EQ(t, a.size, 5 * GiB + 77);
	KT_EXPECT(t, a.blocks * 512 < 64 * 1024);
	memset(buf, 0xaa, sizeof(buf));
	KT_EXPECT_EQ(t, fs_read(v->fs, h, 3 * GiB, buf, sizeof(buf), &n), 0);
	KT_EXPECT_EQ(t, n, sizeof(buf));
	KT_EXPECT(t, buf[0] == 0 && buf[4095] == 0 && buf[8191] == 0);
	KT_EXPECT_EQ(t, fs_read(v->fs, h, 5 * GiB + 70, buf, 100, &n), 0);
	KT_EXPECT_EQ(t, n, 7);
	KT_EXPECT_EQ(t, fs_read(v->fs, h, 6 * GiB, buf, 100, &n), 0);
	KT_EXPECT_EQ(t, n, 0);
	KT_ASSERT(t, !fs_lookup(v->fs, "/sparse", &h));
	KT_ASSERT(t, !fs_getattr(v->fs, h, &a));
	KT_EXPECT(t, a.blocks * 512 < a.size);
}
