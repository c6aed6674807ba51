/*
 * The mMonitor's RPC service (mmon.h): handlers for every P2M_
 * and M2M_ opcode feed mem_rpc_serve under the pid's lock; the node's
 * mem_ops reach the rest of the cluster: vRegion owners from GMM
 * (M2G_VREGION_OWNER), forwards to other mMonitors as M2M_ calls with the
 * page at the end of the body.
 */
#include <tessera/cluster/peer.h>
#include <tessera/errno.h>
#include <tessera/kmalloc.h>
#include <tessera/net/rpc.h>
#include <tessera/printk.h>
#include <tessera/string.h>
#include <tessera/time.h>
#include <tessera/wire/mgr.h>

#include "memory/mem_alloc.h"
#include "memory/mem_rpc.h"
#include "memory/mmon.h"

#define MMON_CALL_NS (5 * NSEC_PER_SEC)

static int mmon_vregion_alloc(void *ctx, u32 pid, u64 idx, u32 *owner)
{
	struct mmon *m = ctx;
	struct m2g_vregion_owner_msg q = { .version = MGR_VERSION, .pid = pid,
					   .idx = idx };
	struct m2g_vregion_owner_reply r;
	int err;

	if (!m->gmm_ip) {
		*owner = m->node.self;
		return 0;
	}
	err = peer_call(m->gmm_ip, M2G_VREGION_OWNER, &q, sizeof(q), &r,
			sizeof(r), MMON_CALL_NS);
	if (err >= 0 && (err != sizeof(r) || r.version != MGR_VERSION || !r.owner_ip))
		err = -EPROTO;
	if (err < 0) {
		pr_warn("mmon: GMM gave no owner for vRegion %lu of pid %u: %d\n",
			idx, pid, err);
		return err;
	}
	*owner = r.owner_ip;
	pr_info("mmon: pid %u vRegion %lu owner %u.%u.%u.%u\n", pid, idx,
		*owner >> 24, *owner >> 16 & 255, *owner >> 8 & 255, *owner & 255);
	return 0;
}

/* The M2M reply: reply_len bytes of message, then maybe a page. */
static int mmon_unpack(const u8 *buf, int got, void *reply, u32 reply_len,
		       void *page_out)
{
	if (got < 0)
		return got;
	if ((u32)got != reply_len &&
	    !(page_out && (u32)got == reply_len + MEM_PAGE_SIZE))
		return -EPROTO;
	memcpy(reply, buf, reply_len);
	if ((u32)got > reply_len)
		memcpy(page_out, buf + reply_len, MEM_PAGE_SIZE);
	return 0;
}

static int mmon_forward(void *ctx, u32 node, u16 op, const void *body,
			u32 len, const void *page_in, void *reply,
			u32 reply_len, void *page_out)
{
	u8 *req = kmalloc(2 * RPC_MAX_BODY), *rep = req + RPC_MAX_BODY;
	int got;

	if (!req)
		return -ENOMEM;
	memcpy(req, body, len);
	if (page_in) {
		memcpy(req + len, page_in, MEM_PAGE_SIZE);
		len += MEM_PAGE_SIZE;
	}
	got = peer_call(node, op, req, len, rep, RPC_MAX_BODY, MMON_CALL_NS);
	got = mmon_unpack(rep, got, reply, reply_len, page_out);
	kfree(req);
	return got;
}

/* Pages are filled from files by the pMonitor itself on first touch; an
 * mMonitor only stores lines that were written back, so it never reads. */
static int mmon_file_read(void *ctx, const struct mem_file_handle *f, u64 off,
			  void *page)
{
	return -EIO;
}

static const struct mem_ops mmon_ops = {
	.vregion_alloc = mmon_vregion_alloc,
	.forward = mmon_forward,
	.file_read = mmon_file_read,
};

/* A new replica that could not be filled: say where and why. */
static void mmon_replicate_failed(const struct p2m_replicate_msg *q, int err)
{
	pr_warn("mmon: pid %u: filling a replica at %u.%u.%u.%u failed (%d)\n", q->pid,
		q->to >> 24, q->to >> 16 & 255, q->to >> 8 & 255, q->to & 255, err);
}

static int mmon_handle(void *arg, const struct rpc_req *rq, void *reply,
		       u32 *reply_len)
{
	struct mmon *m = arg;
	struct mutex *lock = &m->pid_lock[mem_rpc_pid(rq->body, rq->len) %
					  MMON_PID_LOCKS];
	int err;

	mutex_lock(lock);
	err = mem_rpc_serve(&m->node, rq->opcode, rq->body, rq->len, reply,
			    RPC_MAX_BODY, reply_len);
	mutex_unlock(lock);
	if (err && rq->opcode == P2M_REPLICATE && rq->len == sizeof(struct p2m_replicate_msg))
		mmon_replicate_failed(rq->body, err);
	return err;
}

#define MMON_OPCODE(name, val, ...) name,
static const u16 mmon_opcodes[] = { MEM_OPCODES(MMON_OPCODE) };
#undef MMON_OPCODE

int mmon_start(struct mmon *m, struct rpc_ep *ep, u32 self, u32 gmm_ip)
{
	int err = mem_node_init(&m->node, self, 0, &mmon_ops, m, &mem_kalloc);

	if (err)
		return err;
	m->gmm_ip = gmm_ip;
	for (u32 i = 0; i < MMON_PID_LOCKS; i++)
		mutex_init(&m->pid_lock[i], "mmon.pid", LOCK_RANK_MEM_PID);
	for (u32 i = 0; i < ARRAY_SIZE(mmon_opcodes) && !err; i++)
		err = rpc_register(ep, mmon_opcodes[i], mmon_handle, m);
	return err;
}
