/*
 * Crash consistency: the JBD2 journal of ext3, written by this file
 * system and replayed when it mounts.
 *
 * What we chose. Metadata journaling with ordered data, as ext3's default
 * data=ordered: every block of metadata (superblock, group descriptors,
 * bitmaps, inode tables, directories, indirect blocks, symlink blocks)
 * changes only in the cache and goes to its place on disk only after a
 * copy of it is in the journal and committed; file data goes straight to
 * its place, before the commit of the transaction that makes it part of a
 * file. A transaction gathers many operations (each atomic in memory,
 * fs_op.c) and commits on fsync/fdatasync/sync, when it grows large, or
 * when it is FS_COMMIT_AGE_NS old. A commit is:
 *
 *   1. the log: descriptor blocks and block copies from the log's first
 *      block, and the journal superblock saying where the log starts;
 *      a flush (data written earlier reaches the disk here too);
 *   2. the commit block; a flush: the transaction is durable;
 *   3. the checkpoint: every block to its place; a flush;
 *   4. the journal superblock marks the log empty again (made durable by
 *      the next commit's first flush, or when the volume goes idle).
 *
 * Why. It is the format e2fsprogs and Linux know (e2fsck can replay what
 * we write, we replay what Linux wrote), it needs nothing but ordered
 * flushes from the disk, and checkpointing each transaction at once keeps
 * the log holding at most one transaction: no revoke records are ever
 * needed on our side (a block freed and reused as data can never be
 * overwritten by an old copy replayed later, since no old copy survives a
 * commit), the log always starts at its first block, and replay is short.
 * Ordered data rather than journaled data halves the bytes a large write
 * moves; the price is that data overwritten in place without an fsync
 * may be half old, half new after a crash, as with Linux. Blocks freed by
 * the running transaction are not reused until it commits (bcache.h),
 * so committed files never point at another file's uncommitted data. The
 * sMonitor runs one volume lock and one thread per call, so commit needs
 * no locking of its own. The on-disk superblock says RECOVER from the
 * first commit after the volume was clean until it is idle again
 * (journal_idle), so an e2fsck -fn of an idle volume is clean.
 *
 * At mount (journal_replay), JBD2's three passes: scan from the log start
 * for complete transactions (descriptor blocks, then a commit block of the
 * expected sequence number), collect revoke records of those, replay every
 * tagged block not revoked by its own or a later transaction; then the log
 * is marked empty and, once the cache is reloaded, the volume clean.
 *
 * Locking: none; the caller serializes calls on one struct fs.
 */
#include <tessera/errno.h>
#include <tessera/string.h>

#include "storage/ext2.h"
#include "storage/journal.h"

#define JOURNAL_MIN_BLOCKS 64

/* Physical block of journal block jblk. */
int journal_map(struct fs *fs, u32 jblk, u32 *pblk)
{
	struct fs_journal *j = &fs->j;
	int err;

	for (u32 i = 0; i < j->nrun; i++)
		if (jblk >= j->run[i].lblk && jblk - j->run[i].lblk < j->run[i].count) {
			*pblk = j->run[i].pblk + (jblk - j->run[i].lblk);
			return 0;
		}
	err = ext2_bmap(fs, &j->ip, jblk, pblk);
	return !err && !*pblk ? -EUCLEAN : err;
}

/* Runs of adjacent physical blocks from journal block 0 on, as many as
 * fit in j->run. */
static int load_runs(struct fs *fs, u32 nblocks)
{
	struct fs_journal *j = &fs->j;
	struct fs_journal_run *r = NULL;
	u32 pblk;

	j->nrun = 0;
	for (u32 l = 0; l < nblocks; l++) {
		int err = ext2_bmap(fs, &j->ip, l, &pblk);

		if (!err && !pblk)
			err = -EUCLEAN;
		if (err)
			return err;
		if (r && pblk == r->pblk + r->count) {
			r->count++;
			continue;
		}
		if (j->nrun == FS_JOURNAL_RUNS)
			return 0;
		r = &j->run[j->nrun++];
		*r = (struct fs_journal_run){ l, pblk, 1 };
	}
	return 0;
}

static int read_jsb(struct fs *fs)
{
	struct fs_journal *j = &fs->j;
	u8 *b = fs->scratch;
	u32 pblk, type;
	int err = journal_map(fs, 0, &pblk);

	if (!err)
		err = fs_data_read(fs, pblk, 1, b);
	if (err)
		return err;
	type = get_be32(b + JH_TYPE);
	if (get_be32(b + JH_MAGIC) != JBD2_MAGIC ||
	    (type != JBD2_SUPERBLOCK_V1 && type != JBD2_SUPERBLOCK_V2) ||
	    get_be32(b + JSB_BLOCKSIZE) != fs->block_size)
		return -EUCLEAN;
	if (type == JBD2_SUPERBLOCK_V2 &&
	    (get_be32(b + JSB_INCOMPAT) & ~JBD2_INCOMPAT_KNOWN))
		return -EOPNOTSUPP;
	memcpy(j->jsb, b, FS_JSB_BYTES);
	return 0;
}

int journal_load(struct fs *fs)
{
	struct fs_journal *j = &fs->j;
	u32 nblocks;
	int err;

	j->present = false;
	if (!(fs->feature_compat & EXT2_FEATURE_COMPAT_HAS_JOURNAL))
		return 0;
	if (fs->sb.s_journal_inum != EXT2_JOURNAL_INO)
		return -EOPNOTSUPP;
	err = ext2_read_inode(fs, EXT2_JOURNAL_INO, &j->ip);
	if (err)
		return err;
	nblocks = (u32)MIN(ext2_isize(&j->ip) / fs->block_size, (u64)1 << 30);
	if (!ext2_is(&j->ip, FS_S_IFREG) || nblocks < JOURNAL_MIN_BLOCKS)
		return -EUCLEAN;
	err = load_runs(fs, nblocks);
	if (!err)
		err = read_jsb(fs);
	if (err)
		return err;
	j->maxlen = get_be32(j->jsb + JSB_MAXLEN);
	j->first = get_be32(j->jsb + JSB_FIRST);
	j->seq = get_be32(j->jsb + JSB_SEQUENCE);
	if (j->maxlen > nblocks || j->first < 1 ||
	    j->first + JOURNAL_MIN_BLOCKS / 2 > j->maxlen)
		return -EUCLEAN;
	j->recover_on_disk = get_be32(j->jsb + JSB_START) != 0 ||
			     (fs->feature_incompat & EXT3_FEATURE_INCOMPAT_RECOVER);
	j->present = true;
	return 0;
}

/* --- replay --- */

struct replay {
	u32 start_seq, end_seq; /* transactions [start, end) are complete */
	u32 nrevoke, max_revoke;
	u64 *revoke; /* block << 32 | sequence of its latest revoke */
	u32 replayed_blocks;
};

static u32 jnext(struct fs *fs, u32 jblk)
{
	return jblk + 1 >= fs->j.maxlen ? fs->j.first : jblk + 1;
}

static int jread(struct fs *fs, u32 jblk, u8 *buf)
{
	u32 pblk;
	int err = journal_map(fs, jblk, &pblk);

	return err ? err : fs_data_read(fs, pblk, 1, buf);
}

/* The header of log block jblk if it belongs to transaction seq: its
 * type, 0 if it does not, or -errno. */
static int jheader(struct fs *fs, u32 jblk, u32 seq, u8 *buf)
{
	int err = jread(fs, jblk, buf);

	if (err)
		return err;
	if (get_be32(buf + JH_MAGIC) != JBD2_MAGIC ||
	    get_be32(buf + JH_SEQ) != seq)
		return 0;
	return (int)get_be32(buf + JH_TYPE);
}

/* Call fn on each tag of descriptor d: its block number, flags, and the
 * log block holding its copy. Returns the tags' count or -errno. */
typedef int (*tag_fn)(struct fs *fs, struct replay *r, u32 seq, u32 blocknr,
		      u32 flags, u32 jblk);

static int for_tags(struct fs *fs, struct replay *r, u32 seq, const u8 *d,
		    u32 jblk, tag_fn fn)
{
	u32 pos = JH_SIZE, n = 0, flags = 0;

	while (!(flags & JBD2_FLAG_LAST_TAG) &&
	       pos + JT_SIZE <= fs->block_size) {
		u32 blocknr = get_be32(d + pos + JT_BLOCKNR);
		int err;

		flags = get_be16(d + pos + JT_FLAGS);
		pos += JT_SIZE + (flags & JBD2_FLAG_SAME_UUID ? 0 : JT_UUID_SIZE);
		jblk = jnext(fs, jblk);
		n++;
		if (fn && (err = fn(fs, r, seq, blocknr, flags, jblk)))
			return err;
	}
	return (int)n;
}

/* Walk the complete transactions from the log start; visit calls fn on
 * the tags of each (NULL: just count them) and rv on its revoke blocks. */
typedef int (*revoke_fn)(struct fs *fs, struct replay *r, u32 seq,
			 const u8 *b);

static int walk_log(struct fs *fs, struct replay *r, tag_fn fn, revoke_fn rv)
{
	u8 *b = fs->stage;
	u32 jblk = get_be32(fs->j.jsb + JSB_START), seq = r->start_seq;
	u32 seen = 0;
	int type, n;

	while (seen++ < fs->j.maxlen && (fn || rv ? seq < r->end_seq : true)) {
		type = jheader(fs, jblk, seq, b);
		if (type < 0)
			return type;
		if (type == JBD2_DESCRIPTOR) {
			n = for_tags(fs, r, seq, b, jblk, fn);
			if (n < 0)
				return n;
			while (n-- >= 0)
				jblk = jnext(fs, jblk);
			continue;
		}
		if (type == JBD2_REVOKE && rv && (n = rv(fs, r, seq, b)))
			return n;
		if (type == JBD2_COMMIT)
			seq++;
		if (type != JBD2_REVOKE && type != JBD2_COMMIT)
			break;
		jblk = jnext(fs, jblk);
	}
	if (!fn && !rv)
		r->end_seq = seq;
	return 0;
}

static int revoke_add(struct fs *fs, struct replay *r, u32 seq, const u8 *b)
{
	u32 used = get_be32(b + JR_COUNT);

	if (used > fs->block_size || used < JR_SIZE)
		return -EUCLEAN;
	for (u32 off = JR_SIZE; off + 4 <= used; off += 4) {
		u64 blk = get_be32(b + off);
		u32 i;

		for (i = 0; i < r->nrevoke && r->revoke[i] >> 32 != blk; i++)
			;
		if (i == r->nrevoke && r->nrevoke == r->max_revoke)
			return -EUCLEAN;
		if (i == r->nrevoke)
			r->nrevoke++;
		r->revoke[i] = blk << 32 | seq;
	}
	return 0;
}

static bool revoked(const struct replay *r, u32 blocknr, u32 seq)
{
	for (u32 i = 0; i < r->nrevoke; i++)
		if (r->revoke[i] >> 32 == blocknr &&
		    (s32)((u32)r->revoke[i] - seq) >= 0)
			return true;
	return false;
}

static int replay_tag(struct fs *fs, struct replay *r, u32 seq, u32 blocknr,
		      u32 flags, u32 jblk)
{
	u8 *b = fs->scratch;
	int err;

	if (revoked(r, blocknr, seq))
		return 0;
	if (blocknr >= fs->blocks_count)
		return -EUCLEAN;
	err = jread(fs, jblk, b);
	if (err)
		return err;
	if (flags & JBD2_FLAG_ESCAPE)
		put_be32(b, JBD2_MAGIC);
	r->replayed_blocks++;
	return fs_data_write(fs, blocknr, 1, b);
}

/* The log is empty from now on: start 0, the next sequence number. */
int journal_write_jsb(struct fs *fs, u32 start, u32 seq)
{
	struct fs_journal *j = &fs->j;
	u32 pblk;
	int err = journal_map(fs, 0, &pblk);

	put_be32(j->jsb + JSB_START, start);
	put_be32(j->jsb + JSB_SEQUENCE, seq);
	memset(fs->scratch, 0, fs->block_size);
	memcpy(fs->scratch, j->jsb, FS_JSB_BYTES);
	return err ? err : fs_data_write(fs, pblk, 1, fs->scratch);
}

int journal_replay(struct fs *fs)
{
	struct fs_journal *j = &fs->j;
	struct replay r = { .start_seq = j->seq, .end_seq = j->seq,
			    .revoke = (u64 *)(fs->stage + fs->block_size),
			    .max_revoke = (FS_STAGE_BLOCKS - 1) *
					  fs->block_size / 8 };
	int err = 0;

	if (get_be32(j->jsb + JSB_START)) {
		if (get_be32(j->jsb + JSB_START) < j->first ||
		    get_be32(j->jsb + JSB_START) >= j->maxlen)
			return -EUCLEAN;
		err = walk_log(fs, &r, NULL, NULL);
		if (!err)
			err = walk_log(fs, &r, NULL, revoke_add);
		if (!err)
			err = walk_log(fs, &r, replay_tag, NULL);
	}
	if (!err)
		err = fs->dev->flush(fs->dev);
	if (!err)
		err = journal_write_jsb(fs, 0, r.end_seq);
	if (!err)
		err = fs->dev->flush(fs->dev);
	fs->replayed = r.end_seq - r.start_seq;
	j->seq = r.end_seq;
	return err;
}

/* Clean on disk: the log is durably empty, then the superblock loses
 * RECOVER. */
int journal_idle(struct fs *fs)
{
	int err;

	if (!fs->j.present || !fs->j.recover_on_disk)
		return 0;
	err = fs->dev->flush(fs->dev);
	fs->sb.s_feature_incompat &= ~EXT3_FEATURE_INCOMPAT_RECOVER;
	fs->feature_incompat = fs->sb.s_feature_incompat;
	if (!err)
		err = ext2_write_super_now(fs);
	if (!err)
		err = fs->dev->flush(fs->dev);
	if (!err)
		fs->j.recover_on_disk = false;
	return err;
}
