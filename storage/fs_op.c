/*
 * Operations: the frame around every call that changes the volume. An
 * operation begins (the running transaction is committed first if it
 * could not hold another one), changes buffers and the in-memory
 * superblock, and ends: kept on success, undone on error (bcache.h), so a
 * failed call leaves no trace. Corruption met inside an operation
 * (-EUCLEAN) is recorded in the superblock, committed, and leaves the
 * volume read-only, as ext3's errors=remount-ro does; a device error
 * (-EIO) leaves it read-only at once.
 *
 * Also here: the clock, name checks, fs_commit, fs_tick and statfs.
 *
 * Locking: none; the caller serializes calls on one struct fs.
 */
#include <tessera/errno.h>
#include <tessera/string.h>

#include "storage/ext2.h"

s64 fs_now(struct fs *fs)
{
	return fs->opts.now_ns ? fs->opts.now_ns(fs->opts.now_arg) : 0;
}

int fs_name_check(const char *name, u32 len)
{
	if (!len)
		return -EINVAL;
	if (len > FS_NAME_MAX)
		return -ENAMETOOLONG;
	if ((len == 1 && name[0] == '.') ||
	    (len == 2 && name[0] == '.' && name[1] == '.'))
		return -EINVAL;
	for (u32 i = 0; i < len; i++)
		if (name[i] == '/' || !name[i])
			return -EINVAL;
	return 0;
}

/* Blocks a transaction may dirty: it must fit the journal (with a
 * descriptor block per tag block's worth and a commit block), leave the
 * cache room for the next operation, and its sort keys must fit the
 * staging blocks (journal_commit.c). */
static u32 txn_limit(struct fs *fs)
{
	u32 tags = (fs->block_size - 12 - 16) / 8;
	u32 log = fs->j.maxlen - fs->j.first;
	u32 by_log = log > 2 ? (log - 2) * tags / (tags + 1) : 0;

	u32 by_keys = FS_STAGE_BLOCKS / 2 * fs->block_size / 8;

	return MIN(MIN(by_log, fs->cache.nbufs / 2), by_keys);
}

int fs_op_begin(struct fs *fs)
{
	int err;

	if (fs->read_only)
		return -EROFS;
	if (fs->cache.ndirty + BC_OP_MAX > txn_limit(fs)) {
		err = journal_commit(fs);
		if (err)
			return err;
	}
	fs->op_sb = fs->sb;
	bcache_op_begin(&fs->cache);
	return 0;
}

static void fs_fail(struct fs *fs, int err)
{
	if (err == -EUCLEAN) {
		fs->sb.s_state |= EXT2_ERROR_FS;
		if (!ext2_super_dirty(fs))
			journal_commit(fs);
		fs->ro_reason = "corruption found: read-only until e2fsck";
	} else {
		fs->ro_reason = "device error: read-only";
	}
	fs->read_only = true;
}

int fs_op_end(struct fs *fs, int err)
{
	bcache_op_end(&fs->cache, !err);
	if (err)
		fs->sb = fs->op_sb;
	if (err == -EUCLEAN || err == -EIO)
		fs_fail(fs, err);
	return err;
}

int fs_commit(struct fs *fs)
{
	int err = 0;

	if (fs->read_only)
		return 0;
	if (fs->cache.ndirty)
		err = journal_commit(fs);
	else if (fs->data_pending)
		err = fs->dev->flush(fs->dev);
	if (!err)
		fs->data_pending = false;
	if (err == -EIO)
		fs_fail(fs, err);
	return err;
}

int fs_settle(struct fs *fs)
{
	int err = fs_commit(fs);

	if (!err && !fs->read_only)
		err = journal_idle(fs);
	return err;
}

int fs_tick(struct fs *fs, u64 now_ns)
{
	if (fs->read_only)
		return 0;
	if (!fs->cache.ndirty && !fs->data_pending) {
		fs->txn_start_ns = 0;
		return fs->j.recover_on_disk ? journal_idle(fs) : 0;
	}
	if (!fs->txn_start_ns)
		fs->txn_start_ns = now_ns;
	if (now_ns - fs->txn_start_ns < FS_COMMIT_AGE_NS)
		return 0;
	fs->txn_start_ns = 0;
	return fs_commit(fs);
}

static bool group_has_super(struct fs *fs, u32 g)
{
	if (g <= 1 || !(fs->feature_ro_compat &
			EXT2_FEATURE_RO_COMPAT_SPARSE_SUPER))
		return true;
	for (u32 base = 3; base <= 7; base += 2) {
		u64 p = base;

		while (p < g)
			p *= base;
		if (p == g)
			return true;
	}
	return false;
}

/* Blocks that hold no files: superblocks, descriptors, bitmaps, inode
 * tables (as Linux's ext2_statfs counts them). */
static u64 overhead(struct fs *fs)
{
	u64 n = fs->first_data_block;

	for (u32 g = 0; g < fs->groups; g++) {
		if (group_has_super(fs, g))
			n += 1 + fs->gdt_blocks + fs->sb.s_reserved_gdt_blocks;
		n += 2 + fs->itable_blocks;
	}
	return n;
}

int fs_statfs(struct fs *fs, struct fs_statfs *out)
{
	u64 free = fs->sb.s_free_blocks_count, rsv = fs->sb.s_r_blocks_count;
	const u32 *u = (const u32 *)fs->sb.s_uuid;

	*out = (struct fs_statfs){
		.blocks = fs->blocks_count - MIN(overhead(fs), fs->blocks_count),
		.bfree = free,
		.bavail = free > rsv ? free - rsv : 0,
		.files = fs->inodes_count,
		.ffree = fs->sb.s_free_inodes_count,
		.block_size = fs->block_size,
		.name_max = FS_NAME_MAX,
		.magic = EXT2_SUPER_MAGIC,
		.fsid = (u64)(u[0] ^ u[2]) | (u64)(u[1] ^ u[3]) << 32,
	};
	return 0;
}
