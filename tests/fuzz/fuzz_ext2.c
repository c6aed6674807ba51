/* The sMonitor's file system on any volume image: mount it read-only and
 * walk it (readdir, lookup, getattr, read, readlink, bounded), then mount a
 * private copy writable and create, write, rename and remove through it.
 * Any error is a fine answer; a crash, a hang or a bad memory access is
 * not. Seed inputs are small ext2 volumes made by mke2fs. */
#include <stdlib.h>
#include <string.h>

#include <tessera/errno.h>

#include "tests/fuzz/fuzz.h"

#include <tessera/fs.h>

#define FZ_SECTOR 512
#define FZ_MEM (2 * 1024 * 1024)
#define FZ_MAX_WALK 500
#define FZ_NAMES 32

struct fz_disk {
	u8 *img;
	size_t len;
};

static int fz_rd(struct fs_blkdev *dev, u64 first, u32 count, void *buf)
{
	struct fz_disk *d = dev->priv;

	if (first * FZ_SECTOR > d->len || (u64)count * FZ_SECTOR > d->len - first * FZ_SECTOR)
		return -EIO;
	memcpy(buf, d->img + first * FZ_SECTOR, (size_t)count * FZ_SECTOR);
	return 0;
}

static int fz_wr(struct fs_blkdev *dev, u64 first, u32 count, const void *buf)
{
	struct fz_disk *d = dev->priv;

	if (dev->read_only)
		return -EROFS;
	if (first * FZ_SECTOR > d->len || (u64)count * FZ_SECTOR > d->len - first * FZ_SECTOR)
		return -EIO;
	memcpy(d->img + first * FZ_SECTOR, buf, (size_t)count * FZ_SECTOR);
	return 0;
}

static int fz_flush(struct fs_blkdev *dev)
{
	return 0;
}

static s64 fz_now(void *arg)
{
	return 1700000000ll * 1000000000ll;
}

struct fz_names {
	u32 n;
	char name[FZ_NAMES][FS_NAME_MAX + 1];
};

static int fz_collect(void *arg, const struct fs_dirent *d)
{
	struct fz_names *l = arg;

	FUZZ_CHECK(d->name_len <= FS_NAME_MAX);
	if (l->n == FZ_NAMES)
		return 1;
	memcpy(l->name[l->n], d->name, d->name_len);
	l->name[l->n++][d->name_len] = 0;
	return 0;
}

static void fz_poke(struct fs *fs, struct fs_handle h)
{
	static u8 buf[8192];
	struct fs_attr a;
	u32 n;

	if (fs_getattr(fs, h, &a))
		return;
	if (fs_read(fs, h, 0, buf, sizeof(buf), &n) == 0)
		FUZZ_CHECK(n <= sizeof(buf));
	fs_read(fs, h, a.size > 100 ? a.size - 100 : 0, buf, sizeof(buf), &n);
	if (fs_readlink(fs, h, (char *)buf, sizeof(buf), &n) == 0)
		FUZZ_CHECK(n <= sizeof(buf));
}

static void fz_walk(struct fs *fs, struct fs_handle dir, int depth, u32 *seen)
{
	struct fz_names l;
	u64 cookie = 0;

	for (int batch = 0; batch < 4 && cookie != FS_COOKIE_EOF; batch++) {
		l.n = 0;
		if (fs_readdir(fs, dir, cookie, fz_collect, &l, &cookie))
			return;
		for (u32 i = 0; i < l.n && *seen < FZ_MAX_WALK; i++) {
			struct fs_handle h;

			++*seen;
			if (fs_lookup_at(fs, dir, l.name[i], FS_LOOKUP_NOFOLLOW, &h))
				continue;
			fz_poke(fs, h);
			if (depth < 4 && strcmp(l.name[i], ".") && strcmp(l.name[i], ".."))
				fz_walk(fs, h, depth + 1, seen);
		}
	}
}

static struct fs *fz_mount(struct fs_blkdev *dev, struct fz_disk *d, u8 *mem, bool ro)
{
	struct fs_mount_opts o = { .read_only = ro, .now_ns = fz_now };
	const char *why = NULL;
	struct fs *fs = NULL;

	dev->sector_size = FZ_SECTOR;
	dev->sector_count = d->len / FZ_SECTOR;
	dev->read_only = ro;
	dev->read_blocks = fz_rd;
	dev->write_blocks = fz_wr;
	dev->flush = fz_flush;
	dev->priv = d;
	if (fs_mount(dev, mem, FZ_MEM, &o, &fs, &why)) {
		FUZZ_CHECK(why != NULL);
		return NULL;
	}
	return fs;
}

/* Changes through a writable mount; each may fail. */
static void fz_change(struct fs *fs)
{
	static const struct fs_owner who = { 0, 0 };
	static u8 buf[5000];
	struct fs_handle root = fs_root(fs), f, dir;
	bool created;
	u32 n;
	u64 at;

	memset(buf, 'x', sizeof(buf));
	if (!fs_create(fs, root, "fz-new", 6, 0100644, 0, 0, &who, &f, &created)) {
		fs_write(fs, f, 0, buf, sizeof(buf), 0, &n, &at);
		fs_write(fs, f, 70000, buf, 100, 0, &n, &at);
	}
	if (!fs_mkdir(fs, root, "fz-dir", 6, 040755, &who, &dir)) {
		fs_rename(fs, root, "fz-new", 6, dir, "moved", 5, 0);
		fs_unlink(fs, dir, "moved", 5, 0);
		fs_unlink(fs, root, "fz-dir", 6, FS_UNLINK_DIR);
	}
	fs_commit(fs);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static u8 mem[FZ_MEM];
	struct fz_disk d = { (u8 *)malloc(size), size };
	struct fs_blkdev dev;
	struct fs *fs;
	u32 seen = 0;

	memcpy(d.img, data, size);
	fs = fz_mount(&dev, &d, mem, true);
	if (fs) {
		fz_walk(fs, fs_root(fs), 0, &seen);
		fs_unmount(fs);
		FUZZ_CHECK(memcmp(d.img, data, size) == 0); /* read-only wrote nothing */
	}
	fs = fz_mount(&dev, &d, mem, false);
	if (fs) {
		fz_change(fs);
		fs_unmount(fs);
	}
	free(d.img);
	return 0;
}
