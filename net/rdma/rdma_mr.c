/*
 * Protection domains and memory regions, and the checks every access goes
 * through: key, protection domain, bounds (overflow-safe) and rights.
 */
#include <tessera/errno.h>
#include <tessera/string.h>

#include "net/rdma/rdma_priv.h"

#define MR_INDEX_BITS 10

int rdma_pd_alloc(struct net_if *nif, struct rdma_pd **out)
{
	struct rdma_pd *pd = netplat_alloc(sizeof(*pd));

	if (!pd)
		return -ENOMEM;
	pd->dev = nif->rdma;
	*out = pd;
	return 0;
}

int rdma_pd_free(struct rdma_pd *pd)
{
	struct netplat_lock *lock = pd->dev->nif->lock;
	int err = 0;

	netplat_lock(lock);
	if (pd->users)
		err = -EBUSY;
	netplat_unlock(lock);
	if (!err)
		netplat_free(pd);
	return err;
}

static int mr_insert(struct rdma_dev *dev, struct rdma_mr *mr)
{
	for (u32 i = 0; i < RDMA_MAX_MR; i++) {
		if (!dev->mr[i]) {
			dev->gen++;
			mr->key = dev->gen << MR_INDEX_BITS | i;
			dev->mr[i] = mr;
			return 0;
		}
	}
	return -ENOSPC;
}

int rdma_mr_reg(struct rdma_pd *pd, void *addr, size_t len, u32 access,
		struct rdma_mr **out)
{
	struct net_if *nif = pd->dev->nif;
	struct rdma_mr *mr;
	int err;

	if ((u64)(uintptr_t)addr + len < (u64)(uintptr_t)addr)
		return -EINVAL;
	mr = netplat_alloc(sizeof(*mr));
	if (!mr)
		return -ENOMEM;
	*mr = (struct rdma_mr){ .pd = pd, .addr = addr, .len = len,
				.access = access };
	netplat_lock(nif->lock);
	err = mr_insert(pd->dev, mr);
	if (!err)
		pd->users++;
	netplat_unlock(nif->lock);
	if (err)
		netplat_free(mr);
	else
		*out = mr;
	return err;
}

int rdma_mr_dereg(struct rdma_mr *mr)
{
	struct rdma_dev *dev = mr->pd->dev;

	netplat_lock(dev->nif->lock);
	dev->mr[mr->key & (RDMA_MAX_MR - 1)] = NULL;
	mr->pd->users--;
	netplat_unlock(dev->nif->lock);
	netplat_free(mr);
	return 0;
}

u32 rdma_mr_lkey(const struct rdma_mr *mr)
{
	return mr->key;
}

u32 rdma_mr_rkey(const struct rdma_mr *mr)
{
	return mr->key;
}

/* The region named by key in pd that holds [va, va+len) with the given
 * rights, or NULL. */
struct rdma_mr *rdma_mr_lookup(struct rdma_dev *dev, struct rdma_pd *pd,
			       u32 key, u64 va, u64 len, u32 access)
{
	struct rdma_mr *mr = dev->mr[key & (RDMA_MAX_MR - 1)];
	u64 base;

	if (!mr || mr->key != key || mr->pd != pd ||
	    (mr->access & access) != access)
		return NULL;
	base = (u64)(uintptr_t)mr->addr;
	if (va < base || len > mr->len || va - base > mr->len - len)
		return NULL;
	return mr;
}

/* The local address of a work request's buffer, or NULL if the lkey does
 * not cover it. A zero-length buffer needs no region. */
u8 *rdma_sge_resolve(struct rdma_pd *pd, const struct rdma_sge *sge,
		     u32 access)
{
	struct rdma_mr *mr;

	if (!sge->len)
		return (u8 *)(uintptr_t)sge->addr;
	mr = rdma_mr_lookup(pd->dev, pd, sge->lkey, sge->addr, sge->len,
			    access);
	return mr ? mr->addr + (sge->addr - (u64)(uintptr_t)mr->addr) : NULL;
}
