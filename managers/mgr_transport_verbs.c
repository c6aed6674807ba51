/*
 * The libibverbs transport, for hosts with a real RDMA NIC (or soft-RoCE,
 * rdma_rxe): the same wire format as the fabric transport, spoken by the
 * NIC. Linked only into tessera-mgr-verbs (-libverbs).
 *
 * Today it finds the device; the RPC layer does not yet run
 * over verbs queue pairs, so a manager started with a device still stops
 * with one line saying so.
 */
#include <errno.h>
#include <stdio.h>

#include <infiniband/verbs.h>

#include "managers/mgr.h"

static int verbs_start(struct mgr *m)
{
	struct ibv_device **list;
	int n = 0;

	list = ibv_get_device_list(&n);
	if (!list || n == 0) {
		fprintf(stderr, "%s: no RDMA device found (ibv_get_device_list "
			"returned none); use --transport fabric\n", m->opts.name);
		if (list)
			ibv_free_device_list(list);
		return -ENODEV;
	}
	fprintf(stderr, "%s: RDMA device %s found, but RPC over verbs queue "
		"pairs is not implemented yet; use --transport fabric\n",
		m->opts.name, ibv_get_device_name(list[0]));
	ibv_free_device_list(list);
	return -ENOSYS;
}

const struct mgr_transport mgr_transport_verbs = { "verbs", verbs_start };
