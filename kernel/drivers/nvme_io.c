/*
 * NVMe commands from submission to verdict: admin commands (polled), reads
 * and writes cut to the controller's largest transfer with their PRP
 * lists, flushes. A failed command is one log line (controller, command,
 * blocks, status and its meaning) and -EIO; a command the device never
 * answers is abandoned after its timeout, logged, and -EIO as well (its
 * PRP list page is then leaked on purpose: the device may still read it).
 *
 * Locking: none of its own; the queues lock themselves.
 */
#include <tessera/errno.h>
#include <tessera/fmt.h>
#include <tessera/kmalloc.h>
#include <tessera/printk.h>
#include <tessera/string.h>
#include <tessera/time.h>

#include "kernel/drivers/nvme_priv.h"

#define NVME_ROOM_POLL_US 5

static bool nvme_polled(const struct nvme_ctrl *c, const struct nvme_queue *q)
{
	return !c->waits || q == &c->admin;
}

static void nvme_wait_room(struct nvme_ctrl *c, struct nvme_queue *q, u64 ns)
{
	if (!nvme_polled(c, q)) {
		c->waits->room(q, ns);
		return;
	}
	nvme_q_reap(q);
	time_delay_us(NVME_ROOM_POLL_US);
}

static void nvme_log_failure(const struct nvme_ctrl *c, const struct nvme_queue *q,
			     const struct nvme_req *req, const char *why)
{
	const struct nvme_sqe *s = &req->cmd;
	bool admin = q == &c->admin;
	const char *op = nvme_opcode_name(admin, s->opcode);

	if (!admin && (s->opcode == NVME_CMD_READ || s->opcode == NVME_CMD_WRITE))
		pr_err("%s: %s of %u blocks at %lu (queue %u): %s\n", c->name, op,
		       (s->cdw12 & 0xFFFF) + 1, (u64)s->cdw11 << 32 | s->cdw10,
		       q->qid, why);
	else
		pr_err("%s: %s (queue %u): %s\n", c->name, op, q->qid, why);
}

int nvme_exec(struct nvme_ctrl *c, struct nvme_queue *q, struct nvme_req *req)
{
	u64 timeout = q == &c->admin ? NVME_ADMIN_TIMEOUT_NS : NVME_IO_TIMEOUT_NS;
	u64 t0 = time_ns();
	char why[64];
	int err;

	while (nvme_q_submit(q, req) == -EAGAIN) {
		if (time_ns() - t0 >= timeout) {
			pr_err("%s: queue %u stays full: the device completes nothing\n",
			       c->name, q->qid);
			return -ETIMEDOUT;
		}
		nvme_wait_room(c, q, timeout - (time_ns() - t0));
	}
	if (nvme_polled(c, q))
		err = nvme_q_poll(q, req, timeout);
	else
		err = c->waits->done(q, req, timeout);
	if (err) {
		nvme_log_failure(c, q, req, "no completion in time; abandoned");
		return err;
	}
	if (!req->status)
		return 0;
	fmt_snprintf(why, sizeof(why), "failed, status %#x (%s)", req->status,
		     nvme_status_str(req->status));
	nvme_log_failure(c, q, req, why);
	return -EIO;
}

int nvme_admin(struct nvme_ctrl *c, struct nvme_req *req)
{
	return nvme_exec(c, &c->admin, req);
}

static int nvme_rw_one(struct nvme_ctrl *c, struct nvme_queue *q, bool write,
		       u64 lba, u32 count, void *buf)
{
	u32 len = count * 512;
	u64 *list = NULL;
	struct nvme_req req;
	int err;

	nvme_cmd_rw(&req.cmd, write, c->nsid, lba, count);
	if (nvme_prp_pages(buf, len) > 2 && !(list = kmem_pages_alloc(0)))
		return -ENOMEM;
	err = nvme_prp_build(&req.cmd, buf, len, list);
	if (err)
		pr_err("%s: buffer %p is not 4-byte aligned\n", c->name, buf);
	else
		err = nvme_exec(c, q, &req);
	if (err == -ETIMEDOUT) {
		list = NULL;
		err = -EIO;
	}
	if (list)
		kmem_pages_free(list, 0);
	return err;
}

int nvme_rw(struct nvme_ctrl *c, struct nvme_queue *q, bool write, u64 lba,
	    u32 count, void *buf)
{
	u32 per = c->max_bytes / 512;
	int err = 0;

	while (count && !err) {
		u32 n = MIN(count, per);

		err = nvme_rw_one(c, q, write, lba, n, buf);
		lba += n;
		count -= n;
		buf = (char *)buf + (u64)n * 512;
	}
	return err;
}

int nvme_flush(struct nvme_ctrl *c, struct nvme_queue *q)
{
	struct nvme_req req;
	int err;

	nvme_cmd_flush(&req.cmd, c->nsid);
	err = nvme_exec(c, q, &req);
	return err == -ETIMEDOUT ? -EIO : err;
}
