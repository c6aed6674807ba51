/*
 * An NVMe controller from reset to I/O: disable, admin queue, enable
 * (CSTS.RDY within CAP.TO), identify the controller and namespace 1, as
 * many I/O queue pairs as asked for and offered, then reads, writes and
 * flushes cut to the controller's largest transfer. Admin commands are
 * always polled; I/O waits as the driver's nvme_waits say (interrupts) or
 * polls. Every failure is one log line naming the controller and the
 * command, and comes back as -errno.
 *
 * Locking: the queues lock themselves (nvme_queue.c); the controller's
 * fields are written here during nvme_ctrl_init only.
 */
#include <tessera/arch.h>
#include <tessera/errno.h>
#include <tessera/kmalloc.h>
#include <tessera/printk.h>
#include <tessera/string.h>
#include <tessera/time.h>

#include "kernel/drivers/nvme_priv.h"

#define NVME_READY_POLL_US 1000
#define NVME_TO_UNIT_NS (500 * 1000000ull)

static u32 nvme_rd(struct nvme_ctrl *c, u32 off)
{
	return c->hw->read32(c->hw->ctx, off);
}

static void nvme_wr(struct nvme_ctrl *c, u32 off, u32 v)
{
	c->hw->write32(c->hw->ctx, off, v);
}

static void nvme_wr64(struct nvme_ctrl *c, u32 off, u64 v)
{
	nvme_wr(c, off, (u32)v);
	nvme_wr(c, off + 4, (u32)(v >> 32));
}

/* Wait for CSTS.RDY to become ready: 0, -ETIMEDOUT, -EIO (fatal status),
 * -ENODEV (the registers read all ones: no device). */
static int nvme_wait_ready(struct nvme_ctrl *c, bool ready)
{
	u64 t0 = time_ns();
	u32 csts;

	for (;;) {
		csts = nvme_rd(c, NVME_REG_CSTS);
		if (csts == 0xFFFFFFFFu) {
			pr_err("%s: registers read all ones: no controller\n", c->name);
			return -ENODEV;
		}
		if (ready && (csts & NVME_CSTS_CFS)) {
			pr_err("%s: controller fatal status while enabling (CSTS=%#x)\n",
			       c->name, csts);
			return -EIO;
		}
		if (!!(csts & NVME_CSTS_RDY) == ready)
			return 0;
		if (time_ns() - t0 >= c->ready_timeout_ns)
			break;
		time_delay_us(NVME_READY_POLL_US);
	}
	pr_err("%s: controller not %s within CAP.TO (%lu ms, CSTS=%#x)\n", c->name,
	       ready ? "ready" : "disabled", c->ready_timeout_ns / 1000000, csts);
	return -ETIMEDOUT;
}

static int nvme_disable(struct nvme_ctrl *c)
{
	u32 cc = nvme_rd(c, NVME_REG_CC);

	if (cc & NVME_CC_EN)
		nvme_wr(c, NVME_REG_CC, cc & ~NVME_CC_EN);
	return nvme_wait_ready(c, false);
}

static int nvme_read_cap(struct nvme_ctrl *c)
{
	c->cap = nvme_rd(c, NVME_REG_CAP) | (u64)nvme_rd(c, NVME_REG_CAP + 4) << 32;
	c->dstrd = NVME_CAP_DSTRD(c->cap);
	c->ready_timeout_ns = MAX(NVME_CAP_TO(c->cap), 1u) * NVME_TO_UNIT_NS;
	if (c->cap == ~0ull) {
		pr_err("%s: registers read all ones: no controller\n", c->name);
		return -ENODEV;
	}
	if (!NVME_CAP_CSS_NVM(c->cap) || NVME_CAP_MPSMIN(c->cap) || NVME_CAP_MQES(c->cap) < 1) {
		pr_err("%s: unusable controller (CAP=%#lx: no NVM command set, "
		       "no 4 KiB pages or queues of one entry)\n", c->name, c->cap);
		return -ENODEV;
	}
	return 0;
}

static int nvme_enable(struct nvme_ctrl *c)
{
	int err = nvme_read_cap(c);

	if (!err)
		err = nvme_disable(c);
	if (!err)
		err = nvme_q_init(&c->admin, c->hw, 0,
				  MIN(NVME_ADMIN_DEPTH, NVME_CAP_MQES(c->cap) + 1), c->dstrd);
	if (err)
		return err;
	nvme_wr(c, NVME_REG_AQA, (u32)(c->admin.depth - 1) << 16 | (c->admin.depth - 1));
	nvme_wr64(c, NVME_REG_ASQ, virt_to_phys(c->admin.sq));
	nvme_wr64(c, NVME_REG_ACQ, virt_to_phys((const void *)c->admin.cq));
	nvme_wr(c, NVME_REG_CC, NVME_CC_EN | NVME_CC_IOSQES | NVME_CC_IOCQES);
	return nvme_wait_ready(c, true);
}

static void nvme_copy_str(char *dst, const u8 *src, size_t n)
{
	memcpy(dst, src, n);
	dst[n] = 0;
	while (n && (dst[n - 1] == ' ' || dst[n - 1] == 0))
		dst[--n] = 0;
}

static u64 nvme_le64(const u8 *p)
{
	u64 v = 0;

	for (int i = 7; i >= 0; i--)
		v = v << 8 | p[i];
	return v;
}

static int nvme_identify(struct nvme_ctrl *c, u32 cns, u32 nsid, u8 *page)
{
	struct nvme_req req;

	memset(page, 0, NVME_PAGE);
	nvme_cmd_identify(&req.cmd, cns, nsid, virt_to_phys(page));
	return nvme_admin(c, &req);
}

static int nvme_identify_ctrl(struct nvme_ctrl *c, u8 *page)
{
	u8 mdts;
	int err = nvme_identify(c, NVME_CNS_CONTROLLER, 0, page);

	if (err)
		return err;
	nvme_copy_str(c->serial, page + NVME_IDC_SN, 20);
	nvme_copy_str(c->model, page + NVME_IDC_MN, 40);
	mdts = page[NVME_IDC_MDTS];
	c->vwc = page[NVME_IDC_VWC] & 1;
	c->max_bytes = NVME_MAX_XFER;
	if (mdts && mdts < 20)
		c->max_bytes = MIN(c->max_bytes, NVME_PAGE << mdts);
	if (!(page[NVME_IDC_NN] | page[NVME_IDC_NN + 1] | page[NVME_IDC_NN + 2] |
	      page[NVME_IDC_NN + 3])) {
		pr_err("%s: no namespaces\n", c->name);
		return -ENODEV;
	}
	return 0;
}

static int nvme_identify_ns(struct nvme_ctrl *c, u8 *page)
{
	u8 lbads;
	int err = nvme_identify(c, NVME_CNS_NAMESPACE, 1, page);

	if (err)
		return err;
	c->nsid = 1;
	c->nsze = nvme_le64(page + NVME_IDN_NSZE);
	c->read_only = page[NVME_IDN_NSATTR] & 1;
	lbads = page[NVME_IDN_LBAF + 4 * (page[NVME_IDN_FLBAS] & 0xF) + 2];
	if (!c->nsze) {
		pr_err("%s: namespace 1 is empty or inactive\n", c->name);
		return -ENODEV;
	}
	if (lbads != 9) {
		pr_err("%s: namespace 1 has %u-byte blocks; only 512-byte blocks "
		       "are supported\n", c->name, 1u << (lbads & 31));
		return -EOPNOTSUPP;
	}
	return 0;
}

/* How many I/O queue pairs the controller grants of the want asked. */
static int nvme_set_queues(struct nvme_ctrl *c, int want, int *got)
{
	struct nvme_req req;
	int err;

	nvme_cmd_set_queues(&req.cmd, (u16)want);
	err = nvme_admin(c, &req);
	if (err)
		return err;
	*got = MIN(want, (int)(req.dw0 & 0xFFFF) + 1);
	*got = MIN(*got, (int)(req.dw0 >> 16) + 1);
	return 0;
}

static int nvme_create_ioq(struct nvme_ctrl *c, int i, bool irq)
{
	struct nvme_queue *q = &c->ioq[i];
	u16 depth = MIN(NVME_QUEUE_MAX, NVME_CAP_MQES(c->cap) + 1);
	struct nvme_req req;
	int err = nvme_q_init(q, c->hw, (u16)(i + 1), depth, c->dstrd);

	if (err)
		return err;
	nvme_cmd_create_cq(&req.cmd, q, q->qid, irq);
	err = nvme_admin(c, &req);
	if (!err) {
		nvme_cmd_create_sq(&req.cmd, q, q->qid);
		err = nvme_admin(c, &req);
	}
	if (err)
		nvme_q_free(q);
	return err;
}

static int nvme_setup_io(struct nvme_ctrl *c, int want, u16 vectors)
{
	int n, err;

	if (vectors)
		want = MIN(want, vectors - 1);
	want = MAX(MIN(want, NVME_MAX_IOQ), 1);
	err = nvme_set_queues(c, want, &n);
	for (int i = 0; !err && i < n; i++) {
		err = nvme_create_ioq(c, i, vectors != 0);
		if (!err)
			c->nr_ioq = i + 1;
	}
	return err;
}

int nvme_ctrl_init(struct nvme_ctrl *c, int want_ioq, u16 vectors)
{
	u8 *page = kmem_pages_alloc(0);
	int err = page ? nvme_enable(c) : -ENOMEM;

	if (!err)
		err = nvme_identify_ctrl(c, page);
	if (!err)
		err = nvme_identify_ns(c, page);
	if (!err)
		err = nvme_setup_io(c, want_ioq, vectors);
	if (page)
		kmem_pages_free(page, 0);
	if (err)
		nvme_ctrl_shutdown(c);
	return err;
}

void nvme_ctrl_shutdown(struct nvme_ctrl *c)
{
	if (c->cap && c->cap != ~0ull)
		nvme_disable(c);
	for (int i = 0; i < c->nr_ioq; i++)
		nvme_q_free(&c->ioq[i]);
	c->nr_ioq = 0;
	nvme_q_free(&c->admin);
}
