/*
 * virtio-blk: one request queue per disk, its completions on one MSI-X
 * vector (plus one for config changes). Each request is a chain of three
 * descriptors: header (device reads), data, status byte (device writes).
 * Callers sleep on done_wq until the interrupt handler has marked their
 * request done; many requests from different threads may be in flight.
 * Large transfers are cut into chunks of at most vblk->chunk bytes.
 *
 * Locking: vblk->lock guards vq (submitters and the interrupt handler).
 * A request's done flag is set by the handler under that lock and read by
 * its owner through wait_event.
 */
#include <tessera/errno.h>
#include <tessera/kmalloc.h>
#include <tessera/printk.h>
#include <tessera/role.h>
#include <tessera/virtio.h>
#include <tessera/wait.h>

#include "kernel/drivers/virtio_blk.h"

#define VIRTIO_BLK_F_SIZE_MAX (1ull << 1)
#define VIRTIO_BLK_F_RO (1ull << 5)
#define VIRTIO_BLK_F_FLUSH (1ull << 9)
#define VBLK_CFG_CAPACITY 0
#define VBLK_CFG_SIZE_MAX 8

#define VBLK_S_OK 0
#define VBLK_S_UNSUPP 2
#define VBLK_QUEUE_SIZE 128
#define VBLK_MAX_CHUNK (64 * 1024)
#define VBLK_MSIX_QUEUE 0
#define VBLK_MSIX_CONFIG 1

struct vblk_req_hdr {
	u32 type;
	u32 reserved;
	u64 sector;
};
_Static_assert(sizeof(struct vblk_req_hdr) == 16, "virtio_blk_req header");

/* Lives on the submitter's stack until done. */
struct vblk_req {
	struct vblk_req_hdr hdr;
	u8 status;
	bool done;
};

struct vblk {
	struct blkdev bdev;
	struct virtio_dev vd;
	struct spinlock lock;
	struct virtq vq;            /* lock */
	struct wait_queue done_wq;  /* completions and freed descriptors */
	u32 chunk;                  /* largest transfer per request, bytes */
	u64 irqs;                   /* atomic adds */
};

static void vblk_irq(void *arg)
{
	struct vblk *v = arg;
	struct vblk_req *req;
	u32 len;

	__atomic_fetch_add(&v->irqs, 1, __ATOMIC_RELAXED);
	spin_lock(&v->lock);
	while ((req = virtq_get_used(&v->vq, &len)) != NULL)
		__atomic_store_n(&req->done, true, __ATOMIC_RELEASE);
	spin_unlock(&v->lock);
	wake_up_all(&v->done_wq);
}

/* Capacity changes (a resized backing file) are picked up here. */
static void vblk_config_irq(void *arg)
{
	struct vblk *v = arg;

	virtio_read_config(&v->vd, VBLK_CFG_CAPACITY, &v->bdev.capacity,
			   sizeof(v->bdev.capacity));
}

static bool vblk_has_room(struct vblk *v, int n)
{
	return __atomic_load_n(&v->vq.num_free, __ATOMIC_RELAXED) >= n;
}

/* Queue the chain, waiting for descriptors if the ring is full. */
static void vblk_queue(struct vblk *v, const struct virtq_buf *bufs, int n,
		       struct vblk_req *req)
{
	spin_lock(&v->lock);
	while (virtq_add(&v->vq, bufs, n, req) == -ENOSPC) {
		spin_unlock(&v->lock);
		wait_event(&v->done_wq, vblk_has_room(v, n));
		spin_lock(&v->lock);
	}
	virtq_kick(&v->vq);
	spin_unlock(&v->lock);
}

int vblk_submit(struct blkdev *dev, u32 type, u64 sector, void *buf, u32 bytes)
{
	struct vblk *v = dev->priv;
	struct vblk_req req = { .hdr = { type, 0, sector }, .status = 0xFF };
	struct virtq_buf bufs[3];
	int n = 0;

	bufs[n++] = (struct virtq_buf){ virt_to_phys(&req.hdr), sizeof(req.hdr), false };
	if (bytes)
		bufs[n++] = (struct virtq_buf){ virt_to_phys(buf), bytes,
						type == VIRTIO_BLK_T_IN };
	bufs[n++] = (struct virtq_buf){ virt_to_phys(&req.status), 1, true };
	vblk_queue(v, bufs, n, &req);
	wait_event(&v->done_wq, __atomic_load_n(&req.done, __ATOMIC_ACQUIRE));
	if (req.status == VBLK_S_OK)
		return 0;
	return req.status == VBLK_S_UNSUPP ? -EOPNOTSUPP : -EIO;
}

static int vblk_rw(struct blkdev *dev, bool write, u64 sector, u32 count, void *buf)
{
	struct vblk *v = dev->priv;
	u32 per = v->chunk / BLK_SECTOR_SIZE;
	int err = 0;

	while (count && !err) {
		u32 n = MIN(count, per);

		err = vblk_submit(dev, write ? VIRTIO_BLK_T_OUT : VIRTIO_BLK_T_IN,
				  sector, buf, n * BLK_SECTOR_SIZE);
		sector += n;
		count -= n;
		buf = (char *)buf + n * BLK_SECTOR_SIZE;
	}
	return err;
}

/* Without VIRTIO_BLK_F_FLUSH the device writes through: nothing to do. */
static int vblk_flush(struct blkdev *dev)
{
	struct vblk *v = dev->priv;

	if (!(v->vd.features & VIRTIO_BLK_F_FLUSH))
		return 0;
	return vblk_submit(dev, VIRTIO_BLK_T_FLUSH, 0, NULL, 0);
}

static const struct blkdev_ops vblk_ops = { .rw = vblk_rw, .flush = vblk_flush };

static void vblk_read_limits(struct vblk *v)
{
	u32 size_max = 0;

	virtio_read_config(&v->vd, VBLK_CFG_CAPACITY, &v->bdev.capacity,
			   sizeof(v->bdev.capacity));
	if (v->vd.features & VIRTIO_BLK_F_SIZE_MAX)
		virtio_read_config(&v->vd, VBLK_CFG_SIZE_MAX, &size_max, sizeof(size_max));
	v->chunk = VBLK_MAX_CHUNK;
	if (size_max >= BLK_SECTOR_SIZE)
		v->chunk = MIN(v->chunk, ALIGN_DOWN(size_max, BLK_SECTOR_SIZE));
	v->bdev.read_only = v->vd.features & VIRTIO_BLK_F_RO;
}

static int vblk_probe(struct vblk *v, struct pci_dev *pci)
{
	int err;

	spin_init(&v->lock, "vblk", LOCK_RANK_VBLK);
	wait_queue_init(&v->done_wq);
	err = virtio_pci_probe(&v->vd, pci);
	if (!err)
		err = virtio_negotiate(&v->vd, VIRTIO_BLK_F_SIZE_MAX | VIRTIO_BLK_F_RO |
						       VIRTIO_BLK_F_FLUSH);
	if (!err)
		err = virtio_queue_setup(&v->vd, &v->vq, 0, VBLK_QUEUE_SIZE,
					 VBLK_MSIX_QUEUE, vblk_irq, v);
	if (!err)
		err = virtio_config_irq(&v->vd, VBLK_MSIX_CONFIG, vblk_config_irq, v);
	if (err)
		return err;
	vblk_read_limits(v);
	v->bdev.ops = &vblk_ops;
	v->bdev.priv = v;
	virtio_driver_ok(&v->vd);
	return blk_register(&v->bdev);
}

static int vblk_init(void)
{
	struct pci_dev *pci;

	for (int i = 0; (pci = pci_find(VIRTIO_PCI_VENDOR, VBLK_PCI_DEVICE, i)); i++) {
		struct vblk *v = kzalloc(sizeof(*v));
		int err = v ? vblk_probe(v, pci) : -ENOMEM;

		if (err) {
			pr_err("vblk %02x:%02x.%x: probe failed: %d\n", pci->bus,
			       pci->dev, pci->fn, err);
			if (v)
				virtio_fail(&v->vd);
			continue;
		}
		pr_info("vblk %s: %lu sectors (%lu MiB)%s%s\n", v->bdev.name,
			v->bdev.capacity, v->bdev.capacity >> 11,
			v->bdev.read_only ? ", read-only" : "",
			v->vd.features & VIRTIO_BLK_F_FLUSH ? ", flush" : "");
	}
	return 0;
}
INITCALL(vblk_init);

bool vblk_is(const struct blkdev *dev)
{
	return dev && dev->ops == &vblk_ops;
}

u64 vblk_irqs(const struct blkdev *dev)
{
	const struct vblk *v = dev->priv;

	return vblk_is(dev) ? v->irqs : 0;
}
