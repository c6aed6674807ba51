/* The RDMA device of an interface: its object tables and its timer. */
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
