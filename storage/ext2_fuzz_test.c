/*
 * Fuzzing the ext2 reader: a few hundred deterministic rounds, each
 * overlaying random bytes on the superblock, group descriptors, inode
 * table or directory blocks of the 1 KiB image, then mounting and walking
 * the whole tree (bounded depth and entry count, bounded reads). Any
 * answer is fine; the test checks that every round ends.
 */
#include <string.h>

#include <tessera/errno.h>
#include <tessera/ktest.h>

#include "storage/ext2.h"
#include "storage/fs_test_util.h"

#define ROUNDS 400
#define MAX_WALK 3000
#define NAMES 64

static struct fstest_vol vol;
static u64 seed = 0x9e3779b97f4a7c15ull;

static u64 rnd(void)
{
	seed ^= seed << 13;
	seed ^= seed >> 7;
	seed ^= seed << 17;
	return seed;
}

struct region {
	u64 off, len;
};

static struct region regions[8];
static u32 nregions;

static void add_region(u64 off, u64 len)
{
	if (off && nregions < ARRAY_SIZE(regions))
		regions[nregions++] = (struct region){ off, len };
}

/* Superblock, descriptors, the first inodes, and directory blocks. */
static void find_regions(struct fs *fs)
{
	static const char *const dirs[] = { "/", "/dir", "/many", "/links" };
	struct ext2_group_desc gd;
	u64 bs = fs->block_size;

	add_region(EXT2_SUPER_OFFSET, 256);
	add_region((fs->first_data_block + 1) * bs, 64);
	memcpy(&gd, vol.img + (fs->first_data_block + 1) * bs, sizeof(gd));
	add_region(gd.bg_inode_table * bs, 64ull * fs->inode_size);
	for (u32 i = 0; i < ARRAY_SIZE(dirs); i++) {
		struct ext2_inode ip;
		struct fs_handle h;
		u32 pblk;

		if (!fs_lookup(fs, dirs[i], &h) &&
		    !ext2_read_inode(fs, h.ino, &ip) &&
		    !ext2_bmap(fs, &ip, 0, &pblk))
			add_region(pblk * bs, bs);
	}
}

struct name_list {
	u32 n;
	u8 len[NAMES];
	char name[NAMES][FS_NAME_MAX + 1];
};

static int collect(void *arg, const struct fs_dirent *d)
{
	struct name_list *l = arg;

	if (l->n == NAMES)
		return 1;
	memcpy(l->name[l->n], d->name, d->name_len);
	l->name[l->n][d->name_len] = 0;
	l->len[l->n++] = (u8)d->name_len;
	return 0;
}

static void poke(struct fs *fs, struct fs_handle h)
{
	static u8 buf[8192];
	struct fs_attr a;
	u32 n;

	if (fs_getattr(fs, h, &a))
		return;
	fs_read(fs, h, 0, buf, sizeof(buf), &n);
	fs_read(fs, h, a.size > 100 ? a.size - 100 : 0, buf, sizeof(buf), &n);
	fs_readlink(fs, h, (char *)buf, sizeof(buf), &n);
}

static void walk(struct fs *fs, struct fs_handle dir, int depth, u32 *seen)
{
	struct name_list l;
	u64 cookie = 0;

	for (int batch = 0; batch < 8 && cookie != FS_COOKIE_EOF; batch++) {
		l.n = 0;
		if (fs_readdir(fs, dir, cookie, collect, &l, &cookie))
			return;
		for (u32 i = 0; i < l.n && *seen < MAX_WALK; i++) {
			struct fs_handle h;

			++*seen;
			if (fs_lookup_at(fs, dir, l.name[i], FS_LOOKUP_NOFOLLOW,
					 &h))
				continue;
			poke(fs, h);
			if (depth < 5 && strcmp(l.name[i], ".") &&
			    strcmp(l.name[i], ".."))
				walk(fs, h, depth + 1, seen);
		}
	}
}

static void corrupt_round(void)
{
	u32 n = 1 + rnd() % 6;

	vol.npatch = 0;
	for (u32 i = 0; i < n; i++) {
		struct region *r = &regions[rnd() % nregions];
		u64 off = r->off + rnd() % r->len;

		vol.patch_off[vol.npatch] = off;
		vol.patch_val[vol.npatch++] = (u8)(rnd() & 1 ?
			vol.img[off] ^ (1u << (rnd() % 8)) : rnd());
	}
}

KTEST(ext2_fuzz, random_metadata)
{
	static const char *const paths[] = { "/dir/sub/deep/file.txt",
		"/links/slow", "/links/c01", "/many/entry-250", "/huge" };
	u32 mounted = 0, seen_total = 0;

	KT_ASSERT(t, !fstest_load(&vol, fstest_std_image(1024)));
	KT_ASSERT(t, !fstest_mount(&vol));
	find_regions(vol.fs);
	KT_ASSERT(t, nregions >= 6);
	for (int round = 0; round < ROUNDS; round++) {
		u32 seen = 0;

		corrupt_round();
		if (fstest_mount(&vol))
			continue;
		mounted++;
		walk(vol.fs, fs_root(vol.fs), 0, &seen);
		for (u32 i = 0; i < ARRAY_SIZE(paths); i++) {
			struct fs_handle h;

			if (!fs_lookup(vol.fs, paths[i], &h))
				poke(vol.fs, h);
		}
		seen_total += seen;
	}
	ktest_log("%d rounds, %u mounted, %u entries walked", ROUNDS, mounted,
		  seen_total);
	KT_EXPECT(t, mounted > ROUNDS / 4);
}
