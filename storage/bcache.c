/*
 * The block cache (bcache.h): buffers carved from memory the caller
 * provides, found through a hash of block numbers, the least recently
 * used clean unpinned buffer recycled on a miss; undo and snapshot copies
 * in a pool of spare blocks.
 *
 * Locking: none; the owner of the struct fs serializes all calls.
 */
#include <tessera/errno.h>
#include <tessera/string.h>

#include "storage/bcache.h"

/* Spare blocks per buffer: a whole operation's undo copies plus one
 * snapshot per sixteen buffers (bitmaps are few). */
static u32 spares_for(u32 nbufs)
{
	return BC_OP_MAX + nbufs / 16;
}

static u32 hash_size(u32 nbufs)
{
	u32 n = 1;

	while (n < nbufs)
		n <<= 1;
	return n;
}

static size_t per_buf(u32 block_size)
{
	return block_size + sizeof(struct bcache_buf) + 2 * sizeof(s32) +
	       sizeof(u32);
}

size_t bcache_bytes(u32 block_size, u32 nbufs)
{
	u32 spares = spares_for(nbufs);

	return (size_t)nbufs * per_buf(block_size) +
	       (size_t)spares * (block_size + sizeof(s32)) + block_size;
}

/* Lay out bufs, hash, dirty, spare_free, then the aligned blocks. */
static void bcache_carve(struct bcache *bc, u8 *mem, u32 n)
{
	u32 bs = bc->block_size, spares = spares_for(n);
	u8 *p = mem;
	u8 *data;

	bc->bufs = (struct bcache_buf *)p;
	p += (size_t)n * sizeof(struct bcache_buf);
	bc->hash = (s32 *)p;
	p += (size_t)hash_size(n) * sizeof(s32);
	bc->dirty = (u32 *)p;
	p += (size_t)n * sizeof(u32);
	bc->spare_free = (s32 *)p;
	p += (size_t)spares * sizeof(s32);
	data = (u8 *)ALIGN_UP((uintptr_t)p, (uintptr_t)bs);
	for (u32 i = 0; i < n; i++, data += bs)
		bc->bufs[i] = (struct bcache_buf){ .hnext = BC_NONE,
			.undo = BC_NONE, .snap = BC_NONE, .data = data };
	bc->spare = data;
	bc->nspare = bc->nspare_free = spares;
	for (u32 i = 0; i < spares; i++)
		bc->spare_free[i] = (s32)(spares - 1 - i);
	bc->hash_mask = hash_size(n) - 1;
	for (u32 i = 0; i <= bc->hash_mask; i++)
		bc->hash[i] = BC_NONE;
	bc->nbufs = n;
}

int bcache_init(struct bcache *bc, struct fs_blkdev *dev, u32 block_size,
		void *mem, size_t len)
{
	u32 n = (u32)MIN(len / per_buf(block_size), (size_t)1 << 20);

	if (!dev->sector_size || block_size % dev->sector_size)
		return -EINVAL;
	while (n >= BCACHE_MIN_BUFS && bcache_bytes(block_size, n) +
	       hash_size(n) * sizeof(s32) > len)
		n--;
	if (n < BCACHE_MIN_BUFS)
		return -ENOMEM;
	*bc = (struct bcache){ .dev = dev, .block_size = block_size };
	bcache_carve(bc, mem, n);
	return 0;
}

static u32 hash_of(const struct bcache *bc, u64 blkno)
{
	return (u32)((blkno * 0x9e3779b97f4a7c15ull) >> 32) & bc->hash_mask;
}

static struct bcache_buf *bcache_find(struct bcache *bc, u64 blkno)
{
	for (s32 i = bc->hash[hash_of(bc, blkno)]; i != BC_NONE;
	     i = bc->bufs[i].hnext)
		if (bc->bufs[i].blkno == blkno)
			return &bc->bufs[i];
	return NULL;
}

static void hash_remove(struct bcache *bc, struct bcache_buf *b)
{
	s32 *p = &bc->hash[hash_of(bc, b->blkno)];
	s32 self = (s32)(b - bc->bufs);

	while (*p != BC_NONE && *p != self)
		p = &bc->bufs[*p].hnext;
	if (*p == self)
		*p = b->hnext;
	b->hnext = BC_NONE;
}

static void hash_insert(struct bcache *bc, struct bcache_buf *b)
{
	s32 *head = &bc->hash[hash_of(bc, b->blkno)];

	b->hnext = *head;
	*head = (s32)(b - bc->bufs);
}

/* The clean unpinned buffer used least recently (invalid ones first). */
static struct bcache_buf *bcache_victim(struct bcache *bc)
{
	struct bcache_buf *best = NULL;

	for (u32 i = 0; i < bc->nbufs; i++) {
		struct bcache_buf *b = &bc->bufs[i];

		if (b->refs || (b->flags & BC_DIRTY) || b->undo != BC_NONE)
			continue;
		if (!(b->flags & BC_VALID))
			return b;
		if (!best || b->last_use < best->last_use)
			best = b;
	}
	return best;
}

/* A buffer for blkno (found, or recycled and not yet filled). */
static int bcache_slot(struct bcache *bc, u64 blkno, struct bcache_buf **out,
		       bool *hit)
{
	struct bcache_buf *b = bcache_find(bc, blkno);

	*hit = b && (b->flags & BC_VALID);
	if (!b) {
		b = bcache_victim(bc);
		if (!b)
			return -ENOBUFS;
		if (b->flags & BC_VALID)
			hash_remove(bc, b);
		b->flags = 0;
		b->blkno = blkno;
		hash_insert(bc, b);
	}
	*out = b;
	return 0;
}

static int bcache_fill(struct bcache *bc, struct bcache_buf *b)
{
	struct fs_blkdev *dev = bc->dev;
	u32 per = bc->block_size / dev->sector_size;
	int err;

	if (b->blkno >= dev->sector_count / per)
		return -EIO;
	err = dev->read_blocks(dev, b->blkno * per, per, b->data);
	if (err)
		return err;
	b->flags |= BC_VALID;
	return 0;
}

static int bcache_pin(struct bcache *bc, u64 blkno, bool read,
		      struct bcache_buf **out)
{
	struct bcache_buf *b;
	bool hit;
	int err = bcache_slot(bc, blkno, &b, &hit);

	if (err)
		return err;
	if (hit) {
		bc->hits++;
	} else if (read) {
		bc->misses++;
		err = bcache_fill(bc, b);
		if (err)
			return err;
	} else {
		memset(b->data, 0, bc->block_size);
		b->flags |= BC_VALID;
	}
	b->refs++;
	b->last_use = ++bc->clock;
	*out = b;
	return 0;
}

int bcache_get(struct bcache *bc, u64 blkno, struct bcache_buf **out)
{
	return bcache_pin(bc, blkno, true, out);
}

int bcache_get_new(struct bcache *bc, u64 blkno, struct bcache_buf **out)
{
	return bcache_pin(bc, blkno, false, out);
}

void bcache_put(struct bcache *bc, struct bcache_buf *b)
{
	if (b && b->refs)
		b->refs--;
}

static u8 *spare_data(struct bcache *bc, s32 slot)
{
	return bc->spare + (size_t)slot * bc->block_size;
}

/* A copy of b's data in a spare block: its slot, or BC_NONE if none. */
static s32 spare_copy(struct bcache *bc, const struct bcache_buf *b)
{
	s32 slot;

	if (!bc->nspare_free)
		return BC_NONE;
	slot = bc->spare_free[--bc->nspare_free];
	memcpy(spare_data(bc, slot), b->data, bc->block_size);
	return slot;
}

static void spare_free(struct bcache *bc, s32 *slot)
{
	if (*slot == BC_NONE)
		return;
	bc->spare_free[bc->nspare_free++] = *slot;
	*slot = BC_NONE;
}

static int op_save(struct bcache *bc, struct bcache_buf *b)
{
	if (!bc->in_op || b->undo != BC_NONE)
		return 0;
	if (bc->nop_undo == BC_OP_MAX)
		return -ENOMEM;
	b->undo = spare_copy(bc, b);
	if (b->undo == BC_NONE)
		return -ENOMEM;
	bc->op_undo[bc->nop_undo++] = (u32)(b - bc->bufs);
	return 0;
}

int bcache_dirty(struct bcache *bc, struct bcache_buf *b, bool snap)
{
	int err = op_save(bc, b);

	if (err)
		return err;
	if (!(b->flags & BC_DIRTY)) {
		if (snap) {
			b->snap = spare_copy(bc, b);
			if (b->snap == BC_NONE)
				return -ENOMEM;
		}
		b->flags |= BC_DIRTY;
		bc->dirty[bc->ndirty++] = (u32)(b - bc->bufs);
	}
	return 0;
}

const u8 *bcache_committed(struct bcache *bc, const struct bcache_buf *b)
{
	return b->snap == BC_NONE ? b->data : spare_data(bc, b->snap);
}

void bcache_op_begin(struct bcache *bc)
{
	bc->in_op = true;
	bc->nop_undo = 0;
	bc->op_mark = bc->ndirty;
}

void bcache_op_end(struct bcache *bc, bool ok)
{
	for (u32 i = 0; i < bc->nop_undo; i++) {
		struct bcache_buf *b = &bc->bufs[bc->op_undo[i]];

		if (!ok)
			memcpy(b->data, spare_data(bc, b->undo), bc->block_size);
		spare_free(bc, &b->undo);
	}
	for (u32 i = bc->op_mark; !ok && i < bc->ndirty; i++) {
		struct bcache_buf *b = &bc->bufs[bc->dirty[i]];

		b->flags &= ~BC_DIRTY;
		spare_free(bc, &b->snap);
	}
	if (!ok)
		bc->ndirty = bc->op_mark;
	bc->nop_undo = 0;
	bc->in_op = false;
}

void bcache_txn_done(struct bcache *bc)
{
	for (u32 i = 0; i < bc->ndirty; i++) {
		struct bcache_buf *b = &bc->bufs[bc->dirty[i]];

		b->flags &= ~BC_DIRTY;
		spare_free(bc, &b->snap);
	}
	bc->ndirty = 0;
}

void bcache_forget_clean(struct bcache *bc)
{
	for (u32 i = 0; i < bc->nbufs; i++) {
		struct bcache_buf *b = &bc->bufs[i];

		if (b->refs || (b->flags & BC_DIRTY) || !(b->flags & BC_VALID))
			continue;
		hash_remove(bc, b);
		b->flags = 0;
	}
}
