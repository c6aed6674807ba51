/*
 * virtio-blk against QEMU. With a disk (the harness gives the storage image
 * a 16 MiB raw one), data written comes back, the capacity in config space
 * is where the device itself starts refusing, and several threads can have
 * requests in flight, also with an NVMe disk registered beside it. Without
 * virtio-blk functions, every test checks that the driver, the registry
 * and the PCI table agree there are none.
 */
#include <tessera/blk.h>
#include <tessera/errno.h>
#include <tessera/kmalloc.h>
#include <tessera/ktest.h>
#include <tessera/string.h>
#include <tessera/thread.h>
#include <tessera/virtio.h>

#include "kernel/drivers/virtio_blk.h"

#define VB_THREADS 4
#define VB_ROUNDS 16
#define VB_THREAD_SECTORS 24

static int vb_pci_disks(void)
{
	int n = 0;

	while (pci_find(VIRTIO_PCI_VENDOR, VBLK_PCI_DEVICE, n))
		n++;
	return n;
}

/* The index-th block device virtio-blk drives (other drivers' disks, NVMe,
 * may sit beside them), or NULL. */
static struct blkdev *vb_blkdev(int index)
{
	for (int i = 0; i < blk_count(); i++)
		if (vblk_is(blk_get(i)) && index-- == 0)
			return blk_get(i);
	return NULL;
}

static int vb_blkdevs(void)
{
	int n = 0;

	while (vb_blkdev(n))
		n++;
	return n;
}

/* The first disk, or NULL after checking that there is none at all. */
static struct blkdev *vb_disk(struct ktest_ctx *t)
{
	if (vb_pci_disks() > 0 && vb_blkdevs() > 0)
		return vb_blkdev(0);
	KT_EXPECT_EQ(t, vb_pci_disks(), 0);
	KT_EXPECT_EQ(t, vb_blkdevs(), 0);
	ktest_log("no virtio-blk disk: checked that none is present");
	return NULL;
}

static void vb_pattern(u8 *buf, size_t len, u32 seed)
{
	for (size_t i = 0; i < len; i++)
		buf[i] = (u8)((i * 31 + seed * 131 + (i >> 9)) ^ (seed >> 3));
}

KTEST(vblk, functions_match_blkdevs)
{
	int n = vb_pci_disks();

	KT_EXPECT_EQ(t, vb_blkdevs(), n);
	for (int i = 0; i < n; i++) {
		struct pci_dev *d = pci_find(VIRTIO_PCI_VENDOR, VBLK_PCI_DEVICE, i);

		KT_EXPECT_EQ(t, d->class >> 16, 0x01); /* mass storage */
		KT_EXPECT(t, d->revision >= 1);
		KT_EXPECT(t, pci_find_cap(d, PCI_CAP_MSIX, 0) != 0);
		KT_EXPECT(t, blk_capacity(vb_blkdev(i)) > 0);
	}
	ktest_log("%d virtio-blk functions", n);
}

/* Write, read back into a cleared buffer, compare. */
static void vb_round_trip(struct ktest_ctx *t, struct blkdev *dev, u64 sector,
			  u32 count, u32 seed)
{
	size_t len = (size_t)count * BLK_SECTOR_SIZE;
	u8 *out = kmalloc(len), *in = kmalloc(len);

	KT_ASSERT(t, out && in);
	vb_pattern(out, len, seed);
	memset(in, 0, len);
	KT_EXPECT_EQ(t, blk_write(dev, sector, count, out), 0);
	KT_EXPECT_EQ(t, blk_read(dev, sector, count, in), 0);
	KT_EXPECT(t, memcmp(in, out, len) == 0);
	kfree(out);
	kfree(in);
}

KTEST(vblk, write_read_back)
{
	struct blkdev *dev = vb_disk(t);

	if (!dev)
		return;
	vb_round_trip(t, dev, 0, 1, 1);
	vb_round_trip(t, dev, 7, 64, 2);     /* 32 KiB */
	vb_round_trip(t, dev, 1000, 300, 3); /* 150 KiB: several requests */
	vb_round_trip(t, dev, blk_capacity(dev) - 5, 5, 4); /* the last sectors */
	KT_EXPECT_EQ(t, blk_flush(dev), 0);
	KT_EXPECT(t, vblk_irqs(dev) > 0);
}

KTEST(vblk, capacity_is_where_device_stops)
{
	struct blkdev *dev = vb_disk(t);
	static u8 buf[2 * BLK_SECTOR_SIZE];
	u64 cap;

	if (!dev)
		return;
	cap = blk_capacity(dev);
	ktest_log("%s: %lu sectors", dev->name, cap);
	KT_EXPECT_EQ(t, vblk_submit(dev, VIRTIO_BLK_T_IN, cap - 1, buf, BLK_SECTOR_SIZE), 0);
	KT_EXPECT_EQ(t, vblk_submit(dev, VIRTIO_BLK_T_IN, cap, buf, BLK_SECTOR_SIZE), -EIO);
	KT_EXPECT_EQ(t, blk_read(dev, cap, 1, buf), -ERANGE);
	KT_EXPECT_EQ(t, blk_read(dev, cap - 1, 2, buf), -ERANGE);
	KT_EXPECT_EQ(t, blk_write(dev, cap + 100, 1, buf), -ERANGE);
	KT_EXPECT_EQ(t, blk_read(dev, ~0ull, 2, buf), -ERANGE);
	KT_EXPECT_EQ(t, blk_read(dev, 0, 0, buf), -EINVAL);
}

struct vb_worker {
	struct blkdev *dev;
	int id;
	int errors;
};

static void vb_worker_fn(void *arg)
{
	struct vb_worker *w = arg;
	size_t len = VB_THREAD_SECTORS * BLK_SECTOR_SIZE;
	u8 *out = kmalloc(len), *in = kmalloc(len);
	u64 base = 4096 + (u64)w->id * VB_THREAD_SECTORS;

	if (!out || !in) {
		w->errors++;
		goto out_free;
	}
	for (int r = 0; r < VB_ROUNDS; r++) {
		vb_pattern(out, len, w->id * 1000 + r);
		memset(in, 0, len);
		w->errors += blk_write(w->dev, base, VB_THREAD_SECTORS, out) != 0;
		w->errors += blk_read(w->dev, base, VB_THREAD_SECTORS, in) != 0;
		w->errors += memcmp(in, out, len) != 0;
	}
out_free:
	kfree(out);
	kfree(in);
}

KTEST(vblk, threads_in_flight)
{
	static struct vb_worker w[VB_THREADS];
	struct thread *th[VB_THREADS];
	struct blkdev *dev = vb_disk(t);

	if (!dev)
		return;
	for (int i = 0; i < VB_THREADS; i++) {
		w[i] = (struct vb_worker){ dev, i, 0 };
		th[i] = thread_create(vb_worker_fn, &w[i], "vblk-test");
		KT_ASSERT(t, th[i] != NULL);
	}
	for (int i = 0; i < VB_THREADS; i++) {
		thread_join(th[i]);
		KT_EXPECT_EQ(t, w[i].errors, 0);
	}
}
