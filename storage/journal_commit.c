/*
 * Committing the running transaction (the protocol is described at the
 * top of journal.c): the log from its first block, the commit block, the
 * checkpoint, then an empty log again. Writes to adjacent blocks are
 * gathered in the staging blocks: its first half for log and checkpoint
 * runs, its second half for the checkpoint's sort keys.
 *
 * Locking: none; the caller serializes calls on one struct fs. Never
 * called inside an operation.
 */
#include <tessera/errno.h>
#include <tessera/sort.h>
#include <tessera/string.h>

#include "storage/ext2.h"
#include "storage/journal.h"

#define RUN_BLOCKS (FS_STAGE_BLOCKS / 2)

/* A run of adjacent device blocks being gathered in fs->stage. */
struct jrun {
	struct fs *fs;
	u32 pblk, n;
};

static int run_flush(struct jrun *r)
{
	int err = r->n ? fs_data_write(r->fs, r->pblk, r->n, r->fs->stage) : 0;

	r->n = 0;
	return err;
}

/* The staging slot for device block pblk (flushing what cannot join). */
static int run_slot(struct jrun *r, u32 pblk, u8 **slot)
{
	int err = 0;

	if (r->n && (pblk != r->pblk + r->n || r->n == RUN_BLOCKS))
		err = run_flush(r);
	if (!r->n)
		r->pblk = pblk;
	*slot = r->fs->stage + (size_t)r->n++ * r->fs->block_size;
	return err;
}

/* The slot of the next log block. */
static int log_slot(struct jrun *r, u32 *jblk, u8 **slot)
{
	u32 pblk;
	int err = journal_map(r->fs, (*jblk)++, &pblk);

	return err ? err : run_slot(r, pblk, slot);
}

static struct bcache_buf *dirty_buf(struct fs *fs, u32 i)
{
	return &fs->cache.bufs[fs->cache.dirty[i]];
}

/* One descriptor for dirty buffers [from, to), then their copies. */
static int log_group(struct jrun *r, u32 *jblk, u32 from, u32 to, u32 seq)
{
	struct fs *fs = r->fs;
	u32 pos = JH_SIZE;
	u8 *d, *slot;
	int err = log_slot(r, jblk, &d);

	if (err)
		return err;
	memset(d, 0, fs->block_size);
	jbd2_header(d, JBD2_DESCRIPTOR, seq);
	for (u32 i = from; i < to; i++) {
		const u8 *data = dirty_buf(fs, i)->data;
		u32 flags = (i > from ? JBD2_FLAG_SAME_UUID : 0) |
			    (i + 1 == to ? JBD2_FLAG_LAST_TAG : 0) |
			    (get_be32(data) == JBD2_MAGIC ? JBD2_FLAG_ESCAPE : 0);

		put_be32(d + pos + JT_BLOCKNR, (u32)dirty_buf(fs, i)->blkno);
		put_be16(d + pos + JT_FLAGS, (u16)flags);
		pos += JT_SIZE;
		if (i == from) {
			memcpy(d + pos, fs->j.jsb + JSB_UUID, JT_UUID_SIZE);
			pos += JT_UUID_SIZE;
		}
	}
	for (u32 i = from; i < to && !err; i++) {
		const u8 *data = dirty_buf(fs, i)->data;

		err = log_slot(r, jblk, &slot);
		if (!err)
			memcpy(slot, data, fs->block_size);
		if (!err && get_be32(data) == JBD2_MAGIC)
			put_be32(slot, 0);
	}
	return err;
}

/* Descriptors and copies of every dirty buffer from the log's start;
 * *jblk ends at the block after the last one. */
static int write_log(struct fs *fs, u32 *jblk)
{
	struct jrun r = { .fs = fs };
	u32 per = jbd2_tags_per_block(fs->block_size), n = fs->cache.ndirty;
	int err = 0;

	*jblk = fs->j.first;
	for (u32 i = 0; i < n && !err; i += per)
		err = log_group(&r, jblk, i, MIN(i + per, n), fs->j.seq);
	if (!err)
		err = run_flush(&r);
	return err;
}

static int write_commit(struct fs *fs, u32 jblk)
{
	s64 now = fs_now(fs);
	struct jrun r = { .fs = fs };
	u8 *c;
	int err = log_slot(&r, &jblk, &c);

	if (err)
		return err;
	memset(c, 0, fs->block_size);
	jbd2_header(c, JBD2_COMMIT, fs->j.seq);
	put_be64(c + JC_SEC, (u64)(now / 1000000000));
	put_be32(c + JC_NSEC, (u32)(now % 1000000000));
	return run_flush(&r);
}

/* Every dirty buffer to its place, in block order. */
static int checkpoint(struct fs *fs)
{
	u64 *keys = (u64 *)(fs->stage + (size_t)RUN_BLOCKS * fs->block_size);
	struct bcache *bc = &fs->cache;
	struct jrun r = { .fs = fs };
	u8 *slot;
	int err = 0;

	for (u32 i = 0; i < bc->ndirty; i++)
		keys[i] = dirty_buf(fs, i)->blkno << 24 | bc->dirty[i];
	sort_u64(keys, bc->ndirty);
	for (u32 i = 0; i < bc->ndirty && !err; i++) {
		struct bcache_buf *b = &bc->bufs[keys[i] & 0xffffff];

		err = run_slot(&r, (u32)b->blkno, &slot);
		if (!err)
			memcpy(slot, b->data, fs->block_size);
	}
	return err ? err : run_flush(&r);
}

int journal_commit(struct fs *fs)
{
	struct fs_journal *j = &fs->j;
	u32 jblk;
	int err;

	if (!fs->cache.ndirty)
		return 0;
	err = ext2_super_dirty(fs);
	if (!err)
		err = write_log(fs, &jblk);
	if (!err)
		err = journal_write_jsb(fs, j->first, j->seq);
	if (!err)
		err = fs->dev->flush(fs->dev);
	if (!err)
		err = write_commit(fs, jblk);
	if (!err)
		err = fs->dev->flush(fs->dev);
	if (!err)
		err = checkpoint(fs);
	if (!err)
		err = fs->dev->flush(fs->dev);
	if (!err)
		err = journal_write_jsb(fs, 0, j->seq + 1);
	if (err)
		return -EIO;
	j->seq++;
	j->recover_on_disk = true;
	bcache_txn_done(&fs->cache);
	fs->data_pending = false;
	fs->txn_start_ns = 0;
	return 0;
}
