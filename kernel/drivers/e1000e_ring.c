/* The e1000e descriptor rings (see e1000e_ring.h). */
#include <tessera/errno.h>
#include <tessera/string.h>

#include "kernel/drivers/e1000e_ring.h"

/* The device sets DD last: nothing else of a descriptor is read before
 * DD is seen set. */
static u8 e1k_status(const u8 *status)
{
	return __atomic_load_n(status, __ATOMIC_ACQUIRE);
}

static u16 e1k_next(u16 i, u16 size)
{
	return (u16)(i + 1 == size ? 0 : i + 1);
}

void e1k_rx_init(struct e1k_rxr *r, struct e1k_rx_desc *d, u16 size, const u64 *buf)
{
	memset(d, 0, sizeof(*d) * size);
	for (u16 i = 0; i < size; i++)
		d[i].addr = buf[i];
	r->d = d;
	r->size = size;
	r->next = 0;
	r->dropping = false;
}

u16 e1k_rx_first_tail(const struct e1k_rxr *r)
{
	return (u16)(r->size - 1);
}

bool e1k_rx_pending(const struct e1k_rxr *r)
{
	return e1k_status(&r->d[r->next].status) & E1K_RXD_DD;
}

/* One completed descriptor: deliver, drop or count it. */
static void e1k_rx_one(struct e1k_rxr *r, struct e1k_rx_desc *d, u16 min_len,
		       e1k_rx_fn fn, void *arg, struct e1k_rx_counts *c)
{
	bool eop = d->status & E1K_RXD_EOP;

	if (!eop) {
		if (!r->dropping)
			c->split++;
		r->dropping = true;
		return;
	}
	if (r->dropping)
		r->dropping = false;
	else if (d->errors || d->length < min_len)
		c->errors++;
	else {
		c->frames++;
		fn(arg, r->next, d->length);
	}
}

int e1k_rx_poll(struct e1k_rxr *r, u16 min_len, e1k_rx_fn fn, void *arg,
		struct e1k_rx_counts *c)
{
	int tail = -1;

	while (e1k_rx_pending(r)) {
		struct e1k_rx_desc *d = &r->d[r->next];

		e1k_rx_one(r, d, min_len, fn, arg, c);
		d->status = 0;
		tail = r->next;
		r->next = e1k_next(r->next, r->size);
	}
	return tail;
}

void e1k_tx_init(struct e1k_txr *r, struct e1k_tx_desc *d, u16 size)
{
	memset(d, 0, sizeof(*d) * size);
	r->d = d;
	r->size = size;
	r->next_use = 0;
	r->next_clean = 0;
}

void e1k_tx_reclaim(struct e1k_txr *r)
{
	while (r->next_clean != r->next_use &&
	       (e1k_status(&r->d[r->next_clean].status) & E1K_TXD_DD))
		r->next_clean = e1k_next(r->next_clean, r->size);
}

int e1k_tx_slot(const struct e1k_txr *r)
{
	if (e1k_next(r->next_use, r->size) == r->next_clean)
		return -ENOBUFS;
	return r->next_use;
}

u16 e1k_tx_post(struct e1k_txr *r, u64 addr, u16 len)
{
	struct e1k_tx_desc *d = &r->d[r->next_use];

	d->addr = addr;
	d->length = len;
	d->cso = d->css = 0;
	d->special = 0;
	d->cmd = E1K_TXD_CMD_EOP | E1K_TXD_CMD_IFCS | E1K_TXD_CMD_RS;
	__atomic_store_n(&d->status, 0, __ATOMIC_RELEASE);
	r->next_use = e1k_next(r->next_use, r->size);
	return r->next_use;
}

u16 e1k_tx_in_flight(const struct e1k_txr *r)
{
	return (u16)((r->next_use + r->size - r->next_clean) % r->size);
}
