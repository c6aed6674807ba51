/*
 * The minimal IPv4 stack: Ethernet, ARP, IPv4 (no fragments, no options
 * on output), UDP. No TCP. One struct net_if per NIC port. Anything
 * malformed is dropped and counted in struct net_stats.
 *
 * Locking: nif->lock guards everything reachable from a net_if (ARP cache,
 * UDP bindings, and the RDMA objects of net/rdma_*.c). net_input and
 * net_tick take it; UDP receive handlers run with it held.
 */
#ifndef TESSERA_NET_STACK_H
#define TESSERA_NET_STACK_H

#include <tessera/types.h>
#include <tessera/wire/inet.h>

struct net_if;
struct rdma_dev;

#define NET_IF_MTU_MAX 9000 /* largest mtu net_if_create accepts */

struct net_if_config {
	u8 mac[ETH_ADDR_LEN];
	u32 ip; /* host byte order */
	u32 mtu; /* largest IP packet; 1500 unless jumbo frames */
	void *port; /* handed back to netplat_xmit */
};

/* Drop and event counters; read with net_get_stats. */
struct net_stats {
	u64 rx_frames, tx_frames;
	u64 eth_short, eth_type;
	u64 arp_bad, arp_req_in, arp_reply_in, arp_req_out, arp_unresolved;
	u64 ip_bad_hdr, ip_bad_csum, ip_frag, ip_not_us, ip_proto;
	u64 udp_bad_len, udp_bad_csum, udp_no_port;
	u64 roce_bad_icrc, roce_bad_hdr, roce_no_qp, roce_bad_state;
	u64 rdma_access_nak, rdma_inval_nak, rdma_rnr_nak, rdma_seq_nak;
	u64 rdma_dup, rdma_retrans, rdma_timeouts;
	u64 cm_bad;
	u64 udp_defer_drop; /* unlocked-handler queue full */
};

/* A received UDP datagram as handed to a handler (valid during the call). */
struct udp_dgram {
	const u8 *ip; /* start of the IPv4 header */
	size_t ip_len; /* IPv4 header length */
	const u8 *data;
	size_t len;
	u32 src_ip, dst_ip;
	u16 sport, dport;
};

typedef void (*udp_rx_fn)(struct net_if *nif, const struct udp_dgram *d,
			  void *arg);

int net_if_create(const struct net_if_config *cfg, struct net_if **out);
void net_if_destroy(struct net_if *nif);
void net_get_stats(struct net_if *nif, struct net_stats *out);
u32 net_if_ip(const struct net_if *nif);
u32 net_if_mtu(const struct net_if *nif);
struct rdma_dev *net_if_rdma(struct net_if *nif);

/* fn(arg) runs at each net_tick after nif->lock is released (timers of
 * the layers above: connection setup retries, RPC timeouts). At most
 * NET_TICK_HOOKS; 0, -ENOSPC. Remove a hook before freeing arg. */
#define NET_TICK_HOOKS 4
int net_if_add_tick(struct net_if *nif, void (*fn)(void *arg), void *arg);
void net_if_del_tick(struct net_if *nif, void (*fn)(void *arg), void *arg);

/* Platform entry points (see tessera/net/plat.h). */
void net_input(struct net_if *nif, const void *frame, size_t len);
void net_tick(struct net_if *nif);

int udp_bind(struct net_if *nif, u16 port, udp_rx_fn fn, void *arg);
/* As udp_bind, but fn runs after nif->lock is released, still from the
 * receive thread (after net_input's frame), so it may call any net/ API.
 * Datagrams longer than UDP_DEFER_MAX are dropped (udp_bad_len); d->ip is
 * NULL for such a handler. */
#define UDP_DEFER_MAX 128
int udp_bind_unlocked(struct net_if *nif, u16 port, udp_rx_fn fn, void *arg);
void udp_unbind(struct net_if *nif, u16 port);
/* Send one datagram. -EHOSTUNREACH while the peer's MAC is unknown (an ARP
 * request has then been sent; the caller retries). nif->lock not held. */
int udp_send(struct net_if *nif, u32 dst_ip, u16 sport, u16 dport,
	     const void *data, size_t len);

#endif
