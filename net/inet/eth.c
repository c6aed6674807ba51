/* Ethernet: demultiplex received frames by EtherType, frame output. */
#include <tessera/errno.h>
#include <tessera/string.h>
#include <tessera/wire/byteorder.h>

#include "net/inet/net_priv.h"

const u8 eth_broadcast[ETH_ADDR_LEN] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };

static bool eth_for_us(const struct net_if *nif, const u8 *dst)
{
	return !memcmp(dst, nif->mac, ETH_ADDR_LEN) ||
	       !memcmp(dst, eth_broadcast, ETH_ADDR_LEN);
}

void eth_input(struct net_if *nif, const u8 *frame, size_t len)
{
	const struct eth_hdr *eh = (const void *)frame;

	if (len < sizeof(*eh)) {
		nif->stats.eth_short++;
		return;
	}
	if (!eth_for_us(nif, eh->dst))
		return; /* another station's unicast: not an error */
	switch (get_be16(eh->type)) {
	case ETHERTYPE_ARP:
		arp_input(nif, frame + sizeof(*eh), len - sizeof(*eh));
		break;
	case ETHERTYPE_IPV4:
		ip_input(nif, frame + sizeof(*eh), len - sizeof(*eh));
		break;
	default:
		nif->stats.eth_type++;
	}
}

void eth_fill(struct net_if *nif, u8 *frame, const u8 *dst, u16 type)
{
	struct eth_hdr *eh = (void *)frame;

	memcpy(eh->dst, dst, ETH_ADDR_LEN);
	memcpy(eh->src, nif->mac, ETH_ADDR_LEN);
	put_be16(eh->type, type);
}

int net_xmit_locked(struct net_if *nif, const u8 *frame, size_t len)
{
	int err = netplat_xmit(nif->port, frame, len);

	if (!err)
		nif->stats.tx_frames++;
	return err;
}
