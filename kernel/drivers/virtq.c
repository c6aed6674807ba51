/*
 * Split virtqueues: the descriptor table, the available ring (ours) and the
 * used ring (the device's), in one physically contiguous block. Descriptors
 * not in use form a free list through their next fields.
 *
 * Locking: none here. Each queue's driver serialises every call on it (and
 * documents how); virtq_has_used only reads and may race harmlessly.
 */
#include <tessera/errno.h>
#include <tessera/pmm.h>
#include <tessera/string.h>

#include "kernel/drivers/virtio_priv.h"

static size_t virtq_avail_off(u16 size)
{
	return (size_t)size * sizeof(struct virtq_desc);
}

static size_t virtq_used_off(u16 size)
{
	/* avail: flags, idx, ring[size], used_event */
	return ALIGN_UP(virtq_avail_off(size) + 6 + 2 * (size_t)size, 64);
}

static size_t virtq_bytes(u16 size)
{
	return virtq_used_off(size) + 6 + sizeof(struct virtq_used_elem) * size;
}

int virtq_init(struct virtq *vq, u16 index, u16 size)
{
	size_t bytes = virtq_bytes(size);
	char *base;

	memset(vq, 0, sizeof(*vq));
	while ((PAGE_SIZE << vq->order) < bytes)
		vq->order++;
	vq->ring_pa = page_alloc(vq->order);
	if (!vq->ring_pa)
		return -ENOMEM;
	base = phys_to_virt(vq->ring_pa);
	memset(base, 0, PAGE_SIZE << vq->order);
	vq->index = index;
	vq->size = size;
	vq->desc = (struct virtq_desc *)base;
	vq->avail = (struct virtq_avail *)(base + virtq_avail_off(size));
	vq->used = (struct virtq_used *)(base + virtq_used_off(size));
	for (u16 i = 0; i < size; i++)
		vq->desc[i].next = i + 1;
	vq->num_free = size;
	return 0;
}

void virtq_free(struct virtq *vq)
{
	if (vq->ring_pa)
		page_free(vq->ring_pa, vq->order);
	vq->ring_pa = 0;
}

paddr_t virtq_desc_pa(const struct virtq *vq)
{
	return vq->ring_pa;
}

paddr_t virtq_avail_pa(const struct virtq *vq)
{
	return vq->ring_pa + virtq_avail_off(vq->size);
}

paddr_t virtq_used_pa(const struct virtq *vq)
{
	return vq->ring_pa + virtq_used_off(vq->size);
}

int virtq_add(struct virtq *vq, const struct virtq_buf *bufs, int n, void *cookie)
{
	u16 head = vq->free_head, i = head, last = head;

	if (n <= 0 || vq->num_free < n)
		return -ENOSPC;
	for (int k = 0; k < n; k++) {
		struct virtq_desc *d = &vq->desc[i];

		d->addr = bufs[k].addr;
		d->len = bufs[k].len;
		d->flags = (bufs[k].write ? VIRTQ_DESC_F_WRITE : 0) |
			   (k + 1 < n ? VIRTQ_DESC_F_NEXT : 0);
		last = i;
		i = d->next;
	}
	vq->free_head = vq->desc[last].next;
	vq->num_free -= n;
	vq->cookie[head] = cookie;
	vq->avail->ring[vq->avail_idx & (vq->size - 1)] = head;
	vq->avail_idx++;
	/* the ring entry and descriptors are visible before the index */
	__atomic_store_n(&vq->avail->idx, vq->avail_idx, __ATOMIC_RELEASE);
	return 0;
}

void virtq_kick(struct virtq *vq)
{
	/* our avail->idx store must be seen before we read the device's flags */
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	if (!(__atomic_load_n(&vq->used->flags, __ATOMIC_ACQUIRE) & VIRTQ_USED_F_NO_NOTIFY))
		*vq->notify = vq->index;
}

bool virtq_has_used(const struct virtq *vq)
{
	return __atomic_load_n(&vq->used->idx, __ATOMIC_ACQUIRE) != vq->last_used;
}

void *virtq_get_used(struct virtq *vq, u32 *len)
{
	struct virtq_used_elem *e;
	u16 id, i;
	void *cookie;

	if (!virtq_has_used(vq))
		return NULL;
	e = &vq->used->ring[vq->last_used & (vq->size - 1)];
	id = (u16)e->id;
	*len = e->len;
	vq->last_used++;
	if (e->id >= vq->size || !vq->cookie[id])
		return NULL; /* a device bug: nothing of ours to give back */
	cookie = vq->cookie[id];
	vq->cookie[id] = NULL;
	/* give the chain back to the free list */
	for (i = id; vq->desc[i].flags & VIRTQ_DESC_F_NEXT; i = vq->desc[i].next)
		vq->num_free++;
	vq->num_free++;
	vq->desc[i].next = vq->free_head;
	vq->free_head = id;
	return cookie;
}
