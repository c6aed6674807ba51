/*
 * The fabric transport: the manager attaches to the rig's fabric through
 * the listening socket given with --listen and runs the same portable
 * stack, RC transport and RPC layer as the monitors (net/), over
 * tools/fabric/plat_fabric.c.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <tessera/net/cm.h>
#include <tessera/net/rpc.h>

#include "managers/mgr.h"
#include "tools/fabric/plat_fabric.h"

#define FABRIC_WAIT_MS 10000

static int fabric_start(struct mgr *m)
{
	struct rpc_ep_config ec = { .window = 16, .workers = 2 };
	struct plat_fabric *pf;
	struct cm *cm;
	int err;

	if (!m->opts.listen || !m->opts.ip) {
		fprintf(stderr, "%s: the fabric transport needs --listen and --ip\n",
			m->opts.name);
		return -EINVAL;
	}
	err = plat_fabric_start(m->opts.listen, m->opts.mac, m->opts.ip,
				FABRIC_WAIT_MS, &pf);
	if (!err)
		err = cm_create(plat_fabric_nif(pf), &cm);
	if (!err)
		err = rpc_ep_create(plat_fabric_nif(pf), cm, &ec, &m->ep);
	if (err)
		fprintf(stderr, "%s: cannot start on the fabric at %s: %s\n",
			m->opts.name, m->opts.listen, strerror(-err));
	return err;
}

const struct mgr_transport mgr_transport_fabric = { "fabric", fabric_start };
