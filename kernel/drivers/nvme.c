/*
 * NVMe controllers on PCI (class 01:08:02) as block devices "nvme<N>n1":
 * namespace 1 of each. BAR0 holds the registers; the portable core
 * (nvme_priv.h) does the rest. With MSI-X, I/O queue i completes on
 * table entry i, whose handler reaps the queue and wakes its waiters;
 * without it, submitters poll. One I/O queue pair per CPU where the
 * controller grants them: a CPU submits to queue (cpu % queues).
 *
 * Locking: the queues lock themselves; nvme_devs[] and nvme_nr are
 * written only by nvme_init (an initcall) and read without a lock after.
 */
#include <tessera/arch.h>
#include <tessera/errno.h>
#include <tessera/fmt.h>
#include <tessera/kmalloc.h>
#include <tessera/pci.h>
#include <tessera/printk.h>
#include <tessera/role.h>
#include <tessera/thread.h>
#include <tessera/wait.h>

#include "kernel/drivers/nvme.h"

#define NVME_MAX_DEVS 4

/* A queue's interrupt side; q->priv points here. */
struct nvme_kq {
	struct nvme_queue *q;
	struct wait_queue wq;   /* completions: its requests, room */
	u64 irqs;               /* atomic adds */
};

struct nvme_dev {
	struct blkdev bdev;
	struct nvme_ctrl ctrl;
	struct nvme_hw hw;
	struct pci_dev *pci;
	volatile u8 *regs;
	struct nvme_kq kq[NVME_MAX_IOQ];
};

static struct nvme_dev *nvme_devs[NVME_MAX_DEVS];
static int nvme_nr;

static u32 nvme_mmio_read32(void *ctx, u32 off)
{
	return *(volatile u32 *)((volatile u8 *)ctx + off);
}

static void nvme_mmio_write32(void *ctx, u32 off, u32 v)
{
	*(volatile u32 *)((volatile u8 *)ctx + off) = v;
}

static void nvme_irq(void *arg)
{
	struct nvme_kq *kq = arg;

	__atomic_fetch_add(&kq->irqs, 1, __ATOMIC_RELAXED);
	nvme_q_reap(kq->q);
	wake_up_all(&kq->wq);
}

static bool nvme_req_done(struct nvme_req *req)
{
	return __atomic_load_n(&req->done, __ATOMIC_ACQUIRE);
}

/* A missed interrupt costs a timeout, not the request: reap once more. */
static int nvme_wait_done(struct nvme_queue *q, struct nvme_req *req, u64 ns)
{
	struct nvme_kq *kq = q->priv;

	if (wait_event_timeout(&kq->wq, nvme_req_done(req), ns))
		return 0;
	nvme_q_reap(q);
	nvme_q_abandon(q, req);
	return nvme_req_done(req) ? 0 : -ETIMEDOUT;
}

static void nvme_wait_room(struct nvme_queue *q, u64 ns)
{
	struct nvme_kq *kq = q->priv;

	wait_event_timeout(&kq->wq, nvme_q_has_room(q), ns);
}

static const struct nvme_waits nvme_irq_waits = {
	.done = nvme_wait_done,
	.room = nvme_wait_room,
};

struct nvme_queue *nvme_queue_here(struct nvme_ctrl *c)
{
	return &c->ioq[sched_cpu_index() % c->nr_ioq];
}

static int nvme_blk_rw(struct blkdev *dev, bool write, u64 sector, u32 count, void *buf)
{
	struct nvme_dev *n = dev->priv;

	return nvme_rw(&n->ctrl, nvme_queue_here(&n->ctrl), write, sector, count, buf);
}

static int nvme_blk_flush(struct blkdev *dev)
{
	struct nvme_dev *n = dev->priv;

	return nvme_flush(&n->ctrl, nvme_queue_here(&n->ctrl));
}

static const struct blkdev_ops nvme_blk_ops = { .rw = nvme_blk_rw,
						.flush = nvme_blk_flush };

/* Route table entry i + 1 to I/O queue i; any failure means polling. */
static int nvme_route_irqs(struct nvme_dev *n)
{
	for (int i = 0; i < n->ctrl.nr_ioq; i++) {
		struct nvme_kq *kq = &n->kq[i];
		int err;

		kq->q = &n->ctrl.ioq[i];
		wait_queue_init(&kq->wq);
		kq->q->priv = kq;
		err = pci_msix_route(n->pci, (u16)(i + 1), nvme_irq, kq);
		if (err)
			return err;
	}
	n->ctrl.waits = &nvme_irq_waits;
	return 0;
}

static int nvme_probe(struct nvme_dev *n)
{
	u16 vectors = 0;
	int err;

	pci_enable(n->pci);
	n->regs = pci_map_bar(n->pci, 0);
	if (!n->regs)
		return -ENXIO;
	n->hw = (struct nvme_hw){ nvme_mmio_read32, nvme_mmio_write32, (void *)n->regs };
	n->ctrl.hw = &n->hw;
	if (pci_msix_enable(n->pci) == 0)
		vectors = n->pci->msix.nr;
	err = nvme_ctrl_init(&n->ctrl, sched_ncpus(), vectors);
	if (err)
		return err;
	if (vectors && nvme_route_irqs(n)) {
		pr_warn("%s: MSI-X routing failed; polling\n", n->ctrl.name);
		n->ctrl.waits = NULL;
	}
	fmt_snprintf(n->bdev.name, sizeof(n->bdev.name), "%sn1", n->ctrl.name);
	n->bdev.capacity = n->ctrl.nsze;
	n->bdev.read_only = n->ctrl.read_only;
	n->bdev.ops = &nvme_blk_ops;
	n->bdev.priv = n;
	err = blk_register(&n->bdev);
	if (err)
		nvme_ctrl_shutdown(&n->ctrl);
	return err;
}

static void nvme_report(const struct nvme_dev *n)
{
	const struct nvme_ctrl *c = &n->ctrl;

	pr_info("%s: %s (serial %s), %lu sectors (%lu MiB), %d I/O queue%s, %s, "
		"%u KiB per command%s%s\n", n->bdev.name, c->model, c->serial, c->nsze,
		c->nsze >> 11, c->nr_ioq, c->nr_ioq == 1 ? "" : "s",
		c->waits ? "MSI-X" : "polled", c->max_bytes / 1024,
		c->vwc ? ", write cache" : "", c->read_only ? ", write protected" : "");
}

static int nvme_init(void)
{
	for (int i = 0; i < pci_count() && nvme_nr < NVME_MAX_DEVS; i++) {
		struct pci_dev *d = pci_get(i);
		struct nvme_dev *n;
		int err;

		if (d->class != NVME_PCI_CLASS)
			continue;
		n = kzalloc(sizeof(*n));
		if (!n)
			return -ENOMEM;
		n->pci = d;
		fmt_snprintf(n->ctrl.name, sizeof(n->ctrl.name), "nvme%d", nvme_nr);
		err = nvme_probe(n);
		if (err) {
			pr_err("nvme %02x:%02x.%x: probe failed: %d\n", d->bus, d->dev,
			       d->fn, err);
			kfree(n);
			continue;
		}
		nvme_devs[nvme_nr++] = n;
		nvme_report(n);
	}
	return 0;
}
INITCALL(nvme_init);

struct nvme_ctrl *nvme_ctrl_of(struct blkdev *dev)
{
	return dev && dev->ops == &nvme_blk_ops ? &((struct nvme_dev *)dev->priv)->ctrl : NULL;
}

u64 nvme_irqs(struct nvme_ctrl *c)
{
	struct nvme_dev *n = container_of(c, struct nvme_dev, ctrl);
	u64 sum = 0;

	for (int i = 0; i < c->nr_ioq; i++)
		sum += __atomic_load_n(&n->kq[i].irqs, __ATOMIC_RELAXED);
	return sum;
}

int nvme_pci_count(void)
{
	int count = 0;

	for (int i = 0; i < pci_count(); i++)
		count += pci_get(i)->class == NVME_PCI_CLASS;
	return count;
}
