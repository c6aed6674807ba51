/*
 * The glue between the fabric attach library and the portable stack for
 * Linux programs: frames the stack sends go out on the link (under
 * send_lock, since many threads transmit); one thread reads frames into
 * net_input and calls net_tick every millisecond. When the fabric
 * restarts, the listening link accepts it again and traffic resumes; the
 * RC transport retransmits what was lost meanwhile.
 */
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include <tessera/net/plat.h>
#include <tessera/net/stack.h>

#include "net/plat/plat_linux.h"
#include "tools/fabric/attach.h"
#include "tools/fabric/plat_fabric.h"

#define TICK_NS 1000000ull

struct plat_fabric {
	struct fabric_link link;
	pthread_mutex_t send_lock; /* guards link sends */
	struct net_if *nif;
	u8 frame[FABRIC_LINK_MAX_FRAME];
};

static int fabric_xmit(void *port, const void *frame, size_t len)
{
	struct plat_fabric *pf = port;
	int err;

	pthread_mutex_lock(&pf->send_lock);
	err = fabric_link_send(&pf->link, frame, len);
	pthread_mutex_unlock(&pf->send_lock);
	return err;
}

static void fabric_rx_main(void *arg)
{
	struct plat_fabric *pf = arg;
	u64 next_tick = netplat_now_ns() + TICK_NS;

	for (;;) {
		int n = fabric_link_recv(&pf->link, pf->frame, sizeof(pf->frame), 1);

		if (n > 0)
			net_input(pf->nif, pf->frame, (size_t)n);
		if (netplat_now_ns() >= next_tick) {
			net_tick(pf->nif);
			next_tick = netplat_now_ns() + TICK_NS;
		}
	}
}

int plat_fabric_start(const char *path, const u8 mac[6], u32 ip, int wait_ms,
		      struct plat_fabric **out)
{
	struct net_if_config cfg = { .ip = ip, .mtu = 1500 };
	struct plat_fabric *pf = calloc(1, sizeof(*pf));
	int err;

	if (!pf)
		return -ENOMEM;
	pthread_mutex_init(&pf->send_lock, NULL);
	err = fabric_link_listen(&pf->link, path);
	if (err)
		goto out_free;
	memcpy(cfg.mac, mac, ETH_ADDR_LEN);
	cfg.port = pf;
	plat_linux_set_xmit(fabric_xmit);
	err = net_if_create(&cfg, &pf->nif);
	if (err)
		goto out_close;
	fabric_link_wait(&pf->link, wait_ms);
	err = netplat_thread_start("fabric-rx", fabric_rx_main, pf);
	if (err)
		goto out_nif;
	*out = pf;
	return 0;
out_nif:
	net_if_destroy(pf->nif);
out_close:
	fabric_link_close(&pf->link);
out_free:
	free(pf);
	return err;
}

struct net_if *plat_fabric_nif(struct plat_fabric *pf)
{
	return pf->nif;
}
