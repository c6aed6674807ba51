/* The RDMA device of an interface: its object tables, its timer, and the
 * senders to QPs it does not have. All under nif->lock. */
#include <tessera/errno.h>

#include "net/rdma/rdma_priv.h"

int rdma_dev_create(struct net_if *nif)
{
	struct rdma_dev *dev = netplat_alloc(sizeof(*dev));
	int err;

	if (!dev)
		return -ENOMEM;
	dev->nif = nif;
	dev->gen = netplat_random() & 0xffff;
	nif->rdma = dev;
	err = udp_bind(nif, ROCE_UDP_PORT, rc_input, dev);
	if (err) {
		nif->rdma = NULL;
		netplat_free(dev);
	}
	return err;
}

void rdma_dev_destroy(struct net_if *nif)
{
	udp_unbind(nif, ROCE_UDP_PORT);
	netplat_free(nif->rdma);
	nif->rdma = NULL;
}

void rdma_tick_locked(struct net_if *nif, u64 now)
{
	struct rdma_dev *dev = nif->rdma;

	for (u32 i = 0; i < RDMA_MAX_QP; i++)
		if (dev->qp[i] && dev->qp[i]->state == RDMA_QPS_RTS)
			rc_req_tick(dev->qp[i], now);
}

void rdma_note_stranger(struct rdma_dev *dev, u32 ip, u64 now)
{
	struct rdma_stranger *slot = NULL;

	for (u32 i = 0; i < RDMA_STRANGERS; i++) {
		struct rdma_stranger *s = &dev->strangers[i];

		if (s->ip == ip) {
			slot = s;
			break;
		}
		if (!slot || (slot->ip && s->quiet_until_ns < slot->quiet_until_ns))
			slot = s; /* a free one, else the longest quiet */
	}
	if (slot->ip == ip && (slot->pending || now < slot->quiet_until_ns))
		return;
	*slot = (struct rdma_stranger){ .ip = ip, .pending = true,
					.quiet_until_ns =
						now + RDMA_STRANGER_EVERY_NS };
}

int rdma_take_strangers(struct net_if *nif, u32 *ips, int max)
{
	struct rdma_dev *dev = nif->rdma;
	int n = 0;

	netplat_lock(nif->lock);
	for (u32 i = 0; i < RDMA_STRANGERS && n < max; i++) {
		if (dev->strangers[i].pending) {
			dev->strangers[i].pending = false;
			ips[n++] = dev->strangers[i].ip;
		}
	}
	netplat_unlock(nif->lock);
	return n;
}
