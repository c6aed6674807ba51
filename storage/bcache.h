/*
 * The block cache of the file system's metadata (superblock, group
 * descriptors, bitmaps, inode tables, directories, indirect blocks,
 * symlink blocks; file data never comes here: fs_read and fs_write move
 * it between the device and the caller's buffer).
 *
 * A buffer is pinned between bcache_get and bcache_put and never evicted
 * while pinned or dirty. A dirty buffer belongs to the running transaction
 * (bc->dirty lists them) until bcache_txn_done after its commit; the
 * journal (storage/journal.c) writes them. Two kinds of copies live in the
 * spare blocks:
 *  - undo: between bcache_op_begin and bcache_op_end, the first
 *    bcache_dirty of a buffer saves its content, so a failed operation
 *    puts every buffer back as it was (operations are atomic);
 *  - snap: a block bitmap's content as last committed, taken when the
 *    transaction first dirties it, so a block freed in the running
 *    transaction is not reused before that transaction commits (a crash
 *    could otherwise leave a committed file pointing at another file's
 *    new data).
 *
 * Locking: none; the owner of the struct fs serializes all calls.
 */
#ifndef STORAGE_BCACHE_H
#define STORAGE_BCACHE_H

#include <tessera/fs.h>

#define BC_VALID 1u
#define BC_DIRTY 2u
#define BC_NONE (-1)
#define BC_OP_MAX 96 /* buffers one operation may dirty */

struct bcache_buf {
	u64 blkno;
	u64 last_use; /* bcache.clock at the last get */
	u32 refs;
	u32 flags; /* BC_* */
	s32 hnext; /* next buffer in its hash chain, or BC_NONE */
	s32 undo; /* spare holding its pre-operation content, or BC_NONE */
	s32 snap; /* spare holding its committed content, or BC_NONE */
	u32 pad;
	u8 *data; /* block_size bytes */
};

struct bcache {
	struct fs_blkdev *dev;
	u32 block_size;
	u32 nbufs;
	struct bcache_buf *bufs;
	s32 *hash; /* heads of the hash chains */
	u32 hash_mask;
	u64 clock;
	u64 hits, misses;
	/* The running transaction: indices of the dirty buffers. */
	u32 *dirty;
	u32 ndirty;
	/* Spare blocks for undo and snap copies. */
	u8 *spare;
	u32 nspare;
	s32 *spare_free;
	u32 nspare_free;
	/* The operation in progress. */
	bool in_op;
	u32 op_mark; /* ndirty when it began */
	u32 nop_undo;
	u32 op_undo[BC_OP_MAX]; /* buffers with an undo copy */
};

/* Bytes needed for nbufs buffers of block_size (with their spares). */
size_t bcache_bytes(u32 block_size, u32 nbufs);
/* Carve mem (len bytes) into as many buffers of block_size as fit; -ENOMEM
 * if fewer than BCACHE_MIN_BUFS do, -EINVAL if the device cannot hold
 * such blocks. Everything cached before is forgotten. */
#define BCACHE_MIN_BUFS 16
int bcache_init(struct bcache *bc, struct fs_blkdev *dev, u32 block_size,
		void *mem, size_t len);
/* Pin block blkno, reading it from the device on a miss. */
int bcache_get(struct bcache *bc, u64 blkno, struct bcache_buf **out);
/* Pin block blkno without reading it: for a block about to be
 * overwritten whole (dirty it, then fill it). */
int bcache_get_new(struct bcache *bc, u64 blkno, struct bcache_buf **out);
void bcache_put(struct bcache *bc, struct bcache_buf *b);
/* About to change b: it joins the running transaction, and its content is
 * saved for the operation's undo (and as its committed snapshot with
 * snap). -ENOMEM when no spare block is left (the operation fails). */
int bcache_dirty(struct bcache *bc, struct bcache_buf *b, bool snap);
/* The committed content of a dirty buffer with a snapshot, else its
 * data. */
const u8 *bcache_committed(struct bcache *bc, const struct bcache_buf *b);

void bcache_op_begin(struct bcache *bc);
/* End the operation: with ok, keep its changes; else undo them. */
void bcache_op_end(struct bcache *bc, bool ok);
/* The running transaction is on disk: its buffers are clean again. */
void bcache_txn_done(struct bcache *bc);
/* Forget every clean buffer (after the device was written behind the
 * cache's back, as journal replay does). */
void bcache_forget_clean(struct bcache *bc);

#endif
