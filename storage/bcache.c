/*
 * The block cache: a fixed set of file-system-sized buffers carved from
 * memory the caller provides, looked up by block number, least recently
 * used unpinned buffer recycled on a miss. Small (tens of buffers), so a
 * linear scan is the index.
 *
 * Locking: none; the owner of the struct fs serializes all calls.
 */
#include <tessera/errno.h>
#include <tessera/fs.h>

int bcache_init(struct bcache *bc, struct fs_blkdev *dev, u32 block_size,
		void *mem, size_t len)
{
	size_t n = len / BCACHE_BYTES_PER_BLOCK(block_size);
	u8 *data;

	if (!dev->sector_size || block_size % dev->sector_size)
		return -EINVAL;
	if (n < BCACHE_MIN_BUFS)
		return -ENOMEM;
	bc->dev = dev;
	bc->block_size = block_size;
	bc->nbufs = (u32)MIN(n, (size_t)0xffffffffu);
	bc->bufs = mem;
	bc->clock = 0;
	bc->hits = 0;
	bc->misses = 0;
	data = (u8 *)mem + n * sizeof(struct bcache_buf);
	for (u32 i = 0; i < bc->nbufs; i++) {
		bc->bufs[i] = (struct bcache_buf){ .data = data };
		data += block_size;
	}
	return 0;
}

static struct bcache_buf *bcache_find(struct bcache *bc, u64 blkno)
{
	for (u32 i = 0; i < bc->nbufs; i++)
		if (bc->bufs[i].valid && bc->bufs[i].blkno == blkno)
			return &bc->bufs[i];
	return NULL;
}

/* The unpinned buffer used least recently (invalid ones first). */
static struct bcache_buf *bcache_victim(struct bcache *bc)
{
	struct bcache_buf *best = NULL;

	for (u32 i = 0; i < bc->nbufs; i++) {
		struct bcache_buf *b = &bc->bufs[i];

		if (b->refs)
			continue;
		if (!b->valid)
			return b;
		if (!best || b->last_use < best->last_use)
			best = b;
	}
	return best;
}

static int bcache_fill(struct bcache *bc, struct bcache_buf *b, u64 blkno)
{
	struct fs_blkdev *dev = bc->dev;
	u32 per = bc->block_size / dev->sector_size;
	int err;

	if (blkno >= dev->sector_count / per)
		return -EIO;
	b->valid = false;
	err = dev->read_blocks(dev, blkno * per, per, b->data);
	if (err)
		return err;
	b->blkno = blkno;
	b->valid = true;
	return 0;
}

int bcache_get(struct bcache *bc, u64 blkno, struct bcache_buf **out)
{
	struct bcache_buf *b = bcache_find(bc, blkno);
	int err;

	if (b) {
		bc->hits++;
	} else {
		b = bcache_victim(bc);
		if (!b)
			return -ENOBUFS;
		bc->misses++;
		err = bcache_fill(bc, b, blkno);
		if (err)
			return err;
	}
	b->refs++;
	b->last_use = ++bc->clock;
	*out = b;
	return 0;
}

void bcache_put(struct bcache *bc, struct bcache_buf *b)
{
	b->refs--;
}
