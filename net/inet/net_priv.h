/*
 * State shared by the files of net/: the interface, its ARP cache and UDP
 * bindings, and the internal calls between layers. All of it is guarded by
 * nif->lock (see tessera/net/stack.h); functions named *_locked, and every
 * function declared here unless it says otherwise, expect it held.
 */
#ifndef NET_INET_NET_PRIV_H
#define NET_INET_NET_PRIV_H

#include <tessera/net/plat.h>
#include <tessera/net/stack.h>

#define ARP_CACHE_SIZE 32
#define ARP_TTL_NS (60ull * 1000000000ull)
#define ARP_RETRY_NS (1000000ull) /* between requests for one IP */
#define UDP_MAX_BINDINGS 8
#define NET_ETH_MAX (NET_IF_MTU_MAX + 14)

struct arp_entry {
	u32 ip; /* 0: free */
	bool valid; /* mac known */
	u8 mac[ETH_ADDR_LEN];
	u64 expires_ns; /* valid: forget after; !valid: next request after */
};

struct udp_binding {
	u16 port; /* 0: free */
	bool unlocked; /* run after nif->lock is released (udp_defer) */
	udp_rx_fn fn;
	void *arg;
};

/* A datagram for an unlocked handler, queued until net_input unlocks. */
#define UDP_DEFER_QUEUE 32
struct udp_deferred {
	udp_rx_fn fn;
	void *arg;
	u32 src_ip, dst_ip;
	u16 sport, dport;
	u32 len;
	u8 data[UDP_DEFER_MAX];
};

struct net_tick_hook {
	void (*fn)(void *arg); /* NULL: free */
	void *arg;
};

struct net_if {
	struct netplat_lock *lock;
	u8 mac[ETH_ADDR_LEN];
	u32 ip;
	u32 mtu;
	void *port;
	u16 ip_id;
	struct net_stats stats;
	struct arp_entry arp[ARP_CACHE_SIZE];
	struct udp_binding udp[UDP_MAX_BINDINGS];
	struct udp_deferred *defer; /* UDP_DEFER_QUEUE entries, a ring */
	u32 defer_head, defer_count;
	struct net_tick_hook tick[NET_TICK_HOOKS];
	struct rdma_dev *rdma;
	u8 *txbuf; /* NET_ETH_MAX bytes, one frame being built */
};

/* eth.c */
void eth_input(struct net_if *nif, const u8 *frame, size_t len);
void eth_fill(struct net_if *nif, u8 *frame, const u8 *dst, u16 type);
int net_xmit_locked(struct net_if *nif, const u8 *frame, size_t len);
extern const u8 eth_broadcast[ETH_ADDR_LEN];

/* arp.c */
void arp_input(struct net_if *nif, const u8 *pkt, size_t len);
/* The MAC for ip, or -EHOSTUNREACH after sending a request. */
int arp_resolve(struct net_if *nif, u32 ip, u8 *mac);
void arp_expire(struct net_if *nif, u64 now);

/* ip.c */
void ip_input(struct net_if *nif, const u8 *pkt, size_t len);
u16 ip_checksum(const void *data, size_t len);
/* Write Ethernet, IPv4 and UDP headers for a payload of len bytes that
 * the caller places at frame + NET_UDP_PAYLOAD_OFF. 0 or -errno. */
int udp_frame_build(struct net_if *nif, u8 *frame, u32 dst_ip, u16 sport,
		    u16 dport, size_t len);
/* Queue d for its unlocked handler; net_run_deferred calls it. */
void udp_defer(struct net_if *nif, const struct udp_binding *b,
	       const struct udp_dgram *d);
int udp_send_locked(struct net_if *nif, u32 dst_ip, u16 sport, u16 dport,
		    const void *data, size_t len);

/* net_if.c: nif->lock NOT held. */
void net_run_deferred(struct net_if *nif);

/* rdma_dev.c */
int rdma_dev_create(struct net_if *nif);
void rdma_dev_destroy(struct net_if *nif);
void rdma_tick_locked(struct net_if *nif, u64 now);

#endif
