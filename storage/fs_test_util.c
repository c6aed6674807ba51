/*
 * Host-test helpers: the test tree, images made from it by mke2fs, and a
 * memory block device with a corruption overlay. Everything is built in
 * one temporary directory, removed when the test program exits.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "storage/fs_test_util.h"

static char tmpdir[64];
static char tree[128];

#define SH_PATH "PATH=/sbin:/usr/sbin:$PATH "

static void cleanup(void)
{
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmpdir);
	if (system(cmd))
		fprintf(stderr, "cannot remove %s\n", tmpdir);
}

static const char *tmp_root(void)
{
	const char *base = getenv("TMPDIR");

	if (tmpdir[0])
		return tmpdir;
	snprintf(tmpdir, sizeof(tmpdir), "%s/tessera-fs-XXXXXX",
		 base && strlen(base) < 40 ? base : "/tmp");
	if (!mkdtemp(tmpdir))
		abort();
	atexit(cleanup);
	return tmpdir;
}

static u8 pattern(u32 id, u64 off)
{
	return (u8)(off ^ off >> 8 ^ (off >> 16) * 13 ^ id * 37);
}

/* Write len pattern bytes of file id at offset off of path. */
static void put_data(const char *path, u32 id, u64 off, u64 len, u64 size)
{
	static u8 buf[65536];
	int fd = open(path, O_WRONLY | O_CREAT, 0644);

	if (fd < 0)
		abort();
	for (u64 done = 0; done < len;) {
		u64 n = MIN(len - done, (u64)sizeof(buf));

		for (u64 i = 0; i < n; i++)
			buf[i] = pattern(id, off + done + i);
		if (pwrite(fd, buf, n, (off_t)(off + done)) != (ssize_t)n)
			abort();
		done += n;
	}
	if (size && ftruncate(fd, (off_t)size))
		abort();
	close(fd);
}

static void at(char *out, const char *rel)
{
	snprintf(out, 512, "%s/%s", tree, rel);
}

static void mk_dir(const char *rel)
{
	char p[512];

	at(p, rel);
	if (mkdir(p, 0755))
		abort();
}

static void mk_file(const char *rel, u32 id, u64 len)
{
	char p[512];

	at(p, rel);
	put_data(p, id, 0, len, 0);
}

static void mk_link(const char *target, const char *rel)
{
	char p[512];

	at(p, rel);
	if (symlink(target, p))
		abort();
}

static void build_links(void)
{
	char name[16], target[16];

	mk_dir("links");
	mk_link("../small.txt", "links/fast");
	mk_link("../dir/./././././././././././././././././././././././sub/deep/"
		"file.txt", "links/slow");
	mk_link("/dir/sub", "links/abs");
	mk_link("../dir", "links/dirlink");
	mk_link("loop2", "links/loop1");
	mk_link("loop1", "links/loop2");
	mk_link("nowhere", "links/dangling");
	for (int i = 0; i < 40; i++) {
		snprintf(name, sizeof(name), "links/c%02d", i);
		snprintf(target, sizeof(target), "c%02d", i + 1);
		mk_link(target, name);
	}
	mk_link("../small.txt", "links/c40");
}

static void build_many(void)
{
	char name[32];

	mk_dir("many");
	for (int i = 0; i < 300; i++) {
		snprintf(name, sizeof(name), "many/entry-%03d", i);
		mk_file(name, 100 + i, (u64)i * 7);
	}
}

static void build_sparse(void)
{
	char p[512];

	at(p, "sparse");
	put_data(p, 7, 0, 4096, 0);
	put_data(p, 7, 600 * 1024, 4096, 2 * 1024 * 1024);
	at(p, "huge");
	put_data(p, 8, 4608ull * 1024 * 1024 + 1000, 8192,
		 5ull * 1024 * 1024 * 1024 + 77);
}

const char *fstest_tree(void)
{
	char p[512], q[512], longname[300];

	if (tree[0])
		return tree;
	snprintf(tree, sizeof(tree), "%s/tree", tmp_root());
	if (mkdir(tree, 0755))
		abort();
	mk_file("small.txt", 1, 100);
	mk_file("empty", 2, 0);
	mk_file("b13k", 3, 13 * 1024 + 7);
	mk_file("b300k", 4, 300 * 1024 + 5);
	mk_file("b5m", 5, 5 * 1024 * 1024 + 3);
	mk_dir("dir");
	mk_dir("dir/sub");
	mk_dir("dir/sub/deep");
	mk_dir("emptydir");
	mk_file("dir/sub/deep/file.txt", 6, 3000);
	memcpy(longname, "dir/", 4);
	memset(longname + 4, 'n', FS_NAME_MAX);
	longname[4 + FS_NAME_MAX] = 0;
	mk_file(longname, 9, 10);
	at(p, "small.txt");
	at(q, "dir/hardlink");
	if (link(p, q))
		abort();
	at(p, "fifo");
	if (mkfifo(p, 0600))
		abort();
	build_many();
	build_sparse();
	build_links();
	return tree;
}

const char *fstest_image(const char *name, const char *args, const char *sub,
			 const char *size)
{
	static char paths[16][128];
	static char names[16][32];
	static int n;
	char cmd[1024];

	for (int i = 0; i < n; i++)
		if (!strcmp(names[i], name))
			return paths[i];
	if (n == 16)
		return NULL;
	fstest_tree();
	snprintf(paths[n], sizeof(paths[n]), "%s/%s", tmp_root(), name);
	snprintf(cmd, sizeof(cmd), SH_PATH "mke2fs -q -F %s -d '%s%s' '%s' %s "
		 ">'%s.log' 2>&1", args, tree, sub, paths[n], size, paths[n]);
	if (system(cmd)) {
		printf("# failed: %s\n", cmd);
		return NULL;
	}
	snprintf(names[n], sizeof(names[n]), "%s", name);
	return paths[n++];
}

const char *fstest_tmp(const char *name)
{
	static char paths[16][128];
	static int next;
	char *p = paths[next++ % 16];

	snprintf(p, 128, "%s/%s", tmp_root(), name);
	return p;
}

int fstest_sh(const char *cmd, char *out, size_t cap)
{
	static char full[4096];
	const char *log = fstest_tmp("sh.out");
	ssize_t len = 0;
	int st, fd;

	snprintf(full, sizeof(full), "(%s) >'%s' 2>&1", cmd, log);
	st = system(full);
	fd = open(log, O_RDONLY);
	if (fd >= 0)
		len = read(fd, out, cap - 1);
	if (fd >= 0)
		close(fd);
	out[len > 0 ? len : 0] = '\0';
	return st != -1 && WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

/* Lines a clean e2fsck -fn prints: its version, the passes, the summary. */
static bool fsck_line_ok(const char *line)
{
	return !*line || !strncmp(line, "e2fsck ", 7) ||
	       !strncmp(line, "Pass ", 5) || strstr(line, " files (");
}

int fstest_fsck(const char *img)
{
	static char out[16384];
	char cmd[256], *line, *save;
	int st;
	bool clean = true;

	snprintf(cmd, sizeof(cmd), SH_PATH "e2fsck -fn '%s' 2>&1", img);
	st = fstest_sh(cmd, out, sizeof(out));
	for (line = strtok_r(out, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		if (!fsck_line_ok(line))
			clean = false;
		if (st || !clean)
			printf("# e2fsck: %s\n", line);
	}
	return st ? st : clean ? 0 : -1;
}

int fstest_save(struct fstest_vol *v, const char *path)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	ssize_t n;

	if (fd < 0)
		return -errno;
	n = write(fd, v->img, v->len);
	close(fd);
	return n == (ssize_t)v->len ? 0 : -EIO;
}

int fstest_fsck_vol(struct fstest_vol *v)
{
	const char *path = fstest_tmp("fsck.img");

	return fstest_save(v, path) ? -1 : fstest_fsck(path);
}

const char *fstest_std_image(u32 block_size)
{
	char name[32], args[64];

	snprintf(name, sizeof(name), "std-%u.img", block_size);
	snprintf(args, sizeof(args), "-t ext2 -b %u", block_size);
	return fstest_image(name, args, "", "32M");
}

const char *fstest_ext3_image(u32 block_size)
{
	char name[32], args[64];

	snprintf(name, sizeof(name), "ext3-%u.img", block_size);
	snprintf(args, sizeof(args), "-t ext3 -b %u", block_size);
	return fstest_image(name, args, "", "48M");
}

s64 fstest_clock(void *arg)
{
	static s64 t = 1700000000ll * 1000000000ll;

	return t += 1000000000ll;
}

static int mem_read(struct fs_blkdev *dev, u64 first, u32 count, void *buf)
{
	struct fstest_vol *v = dev->priv;
	u64 off = first * dev->sector_size, len = (u64)count * dev->sector_size;

	if (first + count > dev->sector_count)
		return -EIO;
	memcpy(buf, v->img + off, len);
	for (u32 i = 0; i < v->npatch; i++)
		if (v->patch_off[i] >= off && v->patch_off[i] < off + len)
			((u8 *)buf)[v->patch_off[i] - off] = v->patch_val[i];
	return 0;
}

static void pending_add(struct fstest_vol *v, u64 off, u64 len)
{
	struct fstest_pending *p;

	if (v->npending == v->cap) {
		v->cap = v->cap ? 2 * v->cap : 64;
		v->pending = realloc(v->pending, v->cap * sizeof(*v->pending));
		if (!v->pending)
			abort();
	}
	p = &v->pending[v->npending++];
	*p = (struct fstest_pending){ off, len, malloc(len) };
	if (!p->old)
		abort();
	memcpy(p->old, v->img + off, len);
}

static void pending_clear(struct fstest_vol *v)
{
	for (u32 i = 0; i < v->npending; i++)
		free(v->pending[i].old);
	v->npending = 0;
}

static int mem_write(struct fs_blkdev *dev, u64 first, u32 count,
		     const void *buf)
{
	struct fstest_vol *v = dev->priv;
	u64 off = first * dev->sector_size, len = (u64)count * dev->sector_size;

	if (first + count > dev->sector_count || !count)
		return -EIO;
	if (v->crash_at && ++v->writes >= v->crash_at)
		return 0;
	pending_add(v, off, len);
	memcpy(v->img + off, buf, len);
	return 0;
}

static int mem_flush(struct fs_blkdev *dev)
{
	struct fstest_vol *v = dev->priv;

	if (!v->crash_at || v->writes < v->crash_at) {
		v->flushes++;
		pending_clear(v);
	}
	return 0;
}

void fstest_crash(struct fstest_vol *v, u32 seed)
{
	u64 x = seed * 0x9e3779b97f4a7c15ull | 1;

	for (u32 i = v->npending; i-- > 0;) {
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		if (x & 1)
			memcpy(v->img + v->pending[i].off, v->pending[i].old,
			       v->pending[i].len);
	}
	pending_clear(v);
	v->fs = NULL;
	v->crash_at = 0;
	v->writes = 0;
}

/* Read a whole image file; the buffers live until the program exits. */
static u8 *slurp(const char *path, size_t *len)
{
	static struct { const char *path; u8 *data; size_t len; } seen[16];
	struct stat st;
	int fd, i;

	for (i = 0; i < 16 && seen[i].path; i++)
		if (!strcmp(seen[i].path, path))
			break;
	if (i < 16 && seen[i].path) {
		*len = seen[i].len;
		return seen[i].data;
	}
	fd = open(path, O_RDONLY);
	if (i == 16 || fd < 0 || fstat(fd, &st))
		return NULL;
	seen[i].data = malloc((size_t)st.st_size);
	if (!seen[i].data || read(fd, seen[i].data, (size_t)st.st_size) !=
				     st.st_size)
		abort();
	close(fd);
	seen[i].path = path;
	*len = seen[i].len = (size_t)st.st_size;
	return seen[i].data;
}

static void vol_reset(struct fstest_vol *v)
{
	if (v->rw)
		free(v->img);
	pending_clear(v);
	v->img = NULL;
	v->rw = false;
	v->fs = NULL;
	v->npatch = 0;
	v->crash_at = v->writes = v->flushes = 0;
}

int fstest_load(struct fstest_vol *v, const char *img)
{
	vol_reset(v);
	v->img = img ? slurp(img, &v->len) : NULL;
	if (!v->img)
		return -ENOENT;
	v->dev = (struct fs_blkdev){ .sector_size = 512,
				     .sector_count = v->len / 512,
				     .read_only = true,
				     .read_blocks = mem_read, .priv = v };
	return 0;
}

int fstest_load_rw(struct fstest_vol *v, const char *img)
{
	int err = fstest_load(v, img);
	u8 *copy;

	if (err)
		return err;
	copy = malloc(v->len);
	if (!copy)
		abort();
	memcpy(copy, v->img, v->len);
	v->img = copy;
	v->rw = true;
	v->dev.read_only = false;
	v->dev.write_blocks = mem_write;
	v->dev.flush = mem_flush;
	return 0;
}

int fstest_mount(struct fstest_vol *v)
{
	struct fs_mount_opts o = { .now_ns = fstest_clock, .gen_seed = 7 };

	if (!v->mem && !(v->mem = malloc(FSTEST_MEM_BYTES)))
		abort();
	v->fs = NULL;
	return fs_mount(&v->dev, v->mem, FSTEST_MEM_BYTES, &o, &v->fs, &v->why);
}
