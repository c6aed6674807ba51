/* Host-test fixtures for RPC (see rpc_test_util.h). */
#include <stdlib.h>
#include <string.h>

#include <tessera/errno.h>

#include "net/rpc/rpc_test_util.h"

u32 rnode_ip(u8 id)
{
	return 0x0a000000u | id;
}

void rnode_init(struct rnode *n, struct simlink *l, u8 id, u32 window,
		bool echo)
{
	struct net_if_config cfg = { .mac = { 2, 0, 0, 0, 0, id },
				     .ip = rnode_ip(id), .mtu = 1500 };
	struct rpc_ep_config ec = { .window = window };

	memset(n, 0, sizeof(*n));
	n->link = l;
	n->port = simlink_port(l);
	cfg.port = n->port;
	net_if_create(&cfg, &n->nif);
	simport_attach(n->port, n->nif);
	cm_create(n->nif, &n->cm);
	rpc_ep_create(n->nif, n->cm, &ec, &n->ep);
	if (echo)
		rpc_builtin_register(n->ep);
}

void rnode_fini(struct rnode *n)
{
	simport_detach(n->port);
	rpc_ep_destroy(n->ep);
	cm_destroy(n->cm);
	net_if_destroy(n->nif);
}

struct run_ctx {
	struct rnode **nodes;
	int n;
	const int *flag;
};

static bool run_done(void *arg)
{
	struct run_ctx *c = arg;

	for (int i = 0; i < c->n; i++)
		if (!simport_stalled(c->nodes[i]->port))
			rpc_poll(c->nodes[i]->ep);
	return *c->flag != 0;
}

bool rnodes_run(struct rnode **nodes, int n, const int *flag, u64 ns)
{
	struct run_ctx c = { nodes, n, flag };
	struct simlink *l = nodes[0]->link;

	return simlink_run(l, simlink_now(l) + ns, run_done, &c);
}

void rdone_cb(void *arg, int result)
{
	struct rdone *d = arg;

	d->result = result;
	d->calls++;
}

struct rpc_peer *rnode_connect(struct rnode *a, struct rnode *b, u64 ns)
{
	struct rnode *nodes[2] = { a, b };
	struct rdone d = { 0, 0 };
	struct rpc_peer *p;

	if (rpc_connect_start(a->ep, net_if_ip(b->nif), ns, rdone_cb, &d, &p))
		return NULL;
	rnodes_run(nodes, 2, &d.calls, ns + SEC);
	return d.calls == 1 && d.result == 0 ? p : NULL;
}

bool duo_up(struct duo *d, u64 seed, u32 window, bool echo)
{
	d->l = simlink_new(seed);
	rnode_init(&d->a, d->l, 1, window, true);
	rnode_init(&d->b, d->l, 2, window, echo);
	d->both[0] = &d->a;
	d->both[1] = &d->b;
	d->p = rnode_connect(&d->a, &d->b, SEC);
	return d->p != NULL;
}

void duo_down(struct duo *d)
{
	rpc_peer_close(d->p);
	rnode_fini(&d->a);
	rnode_fini(&d->b);
	simlink_free(d->l);
}

int call_sync(struct duo *d, u16 op, const void *req, u32 len, void *reply,
	      u32 cap, u64 timeout)
{
	struct rdone r = { 0, 0 };
	int err = rpc_call_async(d->p, op, req, len, reply, cap, timeout,
				 rdone_cb, &r);

	if (err)
		return err;
	rnodes_run(d->both, 2, &r.calls, timeout + SEC);
	return r.calls == 1 ? r.result : -EPROTO;
}
