/*
 * NVMe against QEMU's controller. The harness gives the storage test
 * image a 16 MiB NVMe disk beside its virtio-blk one: data written comes
 * back across PRP sizes (PRP1 alone, PRP2, lists, several commands), the
 * capacity is where the device itself starts refusing, a command the
 * device fails is -EIO and the queue goes on, one I/O queue pair per CPU,
 * threads on every CPU in flight at once. Without an NVMe function every
 * test checks that the driver, the registry and the PCI table agree there
 * is none.
 */
#include <tessera/blk.h>
#include <tessera/errno.h>
#include <tessera/kmalloc.h>
#include <tessera/ktest.h>
#include <tessera/pci.h>
#include <tessera/string.h>
#include <tessera/thread.h>

#include "kernel/drivers/nvme.h"

#define NT_THREADS 4
#define NT_ROUNDS 12
#define NT_THREAD_SECTORS 40 /* 20 KiB: a PRP list each */

static int nt_blkdevs(void)
{
	int n = 0;

	for (int i = 0; i < blk_count(); i++)
		n += nvme_ctrl_of(blk_get(i)) != NULL;
	return n;
}

/* The first NVMe disk, or NULL after checking that there is none. */
static struct blkdev *nt_disk(struct ktest_ctx *t)
{
	for (int i = 0; i < blk_count(); i++)
		if (nvme_ctrl_of(blk_get(i)))
			return blk_get(i);
	KT_EXPECT_EQ(t, nvme_pci_count(), 0);
	ktest_log("no NVMe disk: checked that no NVMe function is present");
	return NULL;
}

static void nt_pattern(u8 *buf, size_t len, u32 seed)
{
	for (size_t i = 0; i < len; i++)
		buf[i] = (u8)((i * 29 + seed * 151 + (i >> 9)) ^ (seed >> 2));
}

KTEST(nvme, functions_match_blkdevs)
{
	struct blkdev *dev;

	KT_EXPECT_EQ(t, nt_blkdevs(), nvme_pci_count());
	dev = nt_disk(t);
	if (!dev)
		return;
	KT_EXPECT(t, memcmp(dev->name, "nvme", 4) == 0);
	KT_EXPECT(t, blk_capacity(dev) == 16 * MiB / BLK_SECTOR_SIZE);
	ktest_log("%s: %s, %lu sectors", dev->name, nvme_ctrl_of(dev)->model,
		  blk_capacity(dev));
}

KTEST(nvme, one_queue_pair_per_cpu)
{
	struct blkdev *dev = nt_disk(t);
	struct nvme_ctrl *c;

	if (!dev)
		return;
	c = nvme_ctrl_of(dev);
	KT_EXPECT_EQ(t, c->nr_ioq, sched_ncpus()); /* QEMU grants 64 */
	KT_EXPECT(t, c->waits != NULL);            /* MSI-X offered: used */
	KT_EXPECT_EQ(t, c->ioq[0].qid, 1);
}

/* Write from a buffer at offset off of a fresh allocation, read back into
 * another at the same offset, compare. */
static void nt_round_trip(struct ktest_ctx *t, struct blkdev *dev, u64 sector,
			  u32 count, size_t off, u32 seed)
{
	size_t len = (size_t)count * BLK_SECTOR_SIZE;
	u8 *out = kmalloc(len + off), *in = kmalloc(len + off);

	KT_ASSERT(t, out && in);
	nt_pattern(out + off, len, seed);
	memset(in, 0, len + off);
	KT_EXPECT_EQ(t, blk_write(dev, sector, count, out + off), 0);
	KT_EXPECT_EQ(t, blk_read(dev, sector, count, in + off), 0);
	KT_EXPECT(t, memcmp(in + off, out + off, len) == 0);
	kfree(out);
	kfree(in);
}

KTEST(nvme, write_read_across_prp_sizes)
{
	struct blkdev *dev = nt_disk(t);

	if (!dev)
		return;
	nt_round_trip(t, dev, 0, 1, 0, 1);          /* PRP1 */
	nt_round_trip(t, dev, 8, 8, 0, 2);          /* one page */
	nt_round_trip(t, dev, 30, 8, 2048, 3);      /* two pages: PRP2 */
	nt_round_trip(t, dev, 100, 24, 0, 4);       /* three pages: a list */
	nt_round_trip(t, dev, 500, 300, 512, 5);    /* 150 KiB, unaligned */
	nt_round_trip(t, dev, 4096, 2500, 0, 6);    /* 1.2 MiB: several commands */
	nt_round_trip(t, dev, blk_capacity(dev) - 5, 5, 0, 7); /* the last ones */
	KT_EXPECT_EQ(t, blk_flush(dev), 0);
	KT_EXPECT(t, nvme_irqs(nvme_ctrl_of(dev)) > 0);
}

KTEST(nvme, capacity_is_where_device_stops)
{
	struct blkdev *dev = nt_disk(t);
	static u8 buf[2 * BLK_SECTOR_SIZE];
	struct nvme_ctrl *c;
	u64 cap;

	if (!dev)
		return;
	c = nvme_ctrl_of(dev);
	cap = blk_capacity(dev);
	KT_EXPECT_EQ(t, nvme_rw(c, nvme_queue_here(c), false, cap - 1, 1, buf), 0);
	KT_EXPECT_EQ(t, nvme_rw(c, nvme_queue_here(c), false, cap, 1, buf), -EIO);
	KT_EXPECT_EQ(t, blk_read(dev, cap, 1, buf), -ERANGE);
	KT_EXPECT_EQ(t, blk_read(dev, cap - 1, 2, buf), -ERANGE);
	KT_EXPECT_EQ(t, blk_write(dev, ~0ull, 2, buf), -ERANGE);
	KT_EXPECT_EQ(t, nvme_rw(c, nvme_queue_here(c), false, 0, 1, buf + 1), -EINVAL);
}

/* The device fails a command (a namespace it does not have): -EIO, one log
 * line, and the queue goes on serving. */
KTEST(nvme, failed_command_then_queue_goes_on)
{
	struct blkdev *dev = nt_disk(t);
	static u8 buf[BLK_SECTOR_SIZE];
	struct nvme_req req;
	struct nvme_ctrl *c;
	struct nvme_queue *q;

	if (!dev)
		return;
	c = nvme_ctrl_of(dev);
	q = nvme_queue_here(c);
	nvme_cmd_rw(&req.cmd, false, 0x7777, 0, 1);
	KT_ASSERT(t, nvme_prp_build(&req.cmd, buf, sizeof(buf), NULL) == 0);
	KT_EXPECT_EQ(t, nvme_exec(c, q, &req), -EIO);
	KT_EXPECT_EQ(t, NVME_SCT(req.status), NVME_SCT_GENERIC);
	ktest_log("status %#x: %s", req.status, nvme_status_str(req.status));
	nt_round_trip(t, dev, 64, 4, 0, 9);
	KT_EXPECT_EQ(t, q->inflight, 0);
}

struct nt_worker {
	struct blkdev *dev;
	int id;
	int errors;
};

static void nt_worker_fn(void *arg)
{
	struct nt_worker *w = arg;
	size_t len = NT_THREAD_SECTORS * BLK_SECTOR_SIZE;
	u8 *out = kmalloc(len), *in = kmalloc(len);
	u64 base = 8192 + (u64)w->id * NT_THREAD_SECTORS;

	if (!out || !in) {
		w->errors++;
		goto out_free;
	}
	for (int r = 0; r < NT_ROUNDS; r++) {
		nt_pattern(out, len, w->id * 100 + r);
		memset(in, 0, len);
		w->errors += blk_write(w->dev, base, NT_THREAD_SECTORS, out) != 0;
		w->errors += blk_read(w->dev, base, NT_THREAD_SECTORS, in) != 0;
		w->errors += memcmp(in, out, len) != 0;
	}
out_free:
	kfree(out);
	kfree(in);
}

KTEST(nvme, threads_on_every_cpu)
{
	static struct nt_worker w[NT_THREADS];
	struct thread *th[NT_THREADS];
	struct blkdev *dev = nt_disk(t);
	struct nvme_ctrl *c;
	u64 before[NVME_MAX_IOQ];

	if (!dev)
		return;
	c = nvme_ctrl_of(dev);
	for (int i = 0; i < c->nr_ioq; i++)
		before[i] = c->ioq[i].completions;
	for (int i = 0; i < NT_THREADS; i++) {
		w[i] = (struct nt_worker){ dev, i, 0 };
		th[i] = thread_create_on(nt_worker_fn, &w[i], "nvme-test", i % sched_ncpus());
		KT_ASSERT(t, th[i] != NULL);
	}
	for (int i = 0; i < NT_THREADS; i++) {
		thread_join(th[i]);
		KT_EXPECT_EQ(t, w[i].errors, 0);
	}
	for (int i = 0; i < c->nr_ioq; i++)
		KT_EXPECT(t, c->ioq[i].completions > before[i]);
}
