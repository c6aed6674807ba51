/*
 * The transport's input path on a node of a simulated link: Ethernet,
 * ARP, IPv4 and UDP, the RoCEv2 receive path with the RC responder and
 * requester of a connected QP pair, and the connection manager (UDP 4792).
 * The input is a sequence of frames for node b, each a kind and bytes:
 *   kind 0   the bytes as a whole frame;
 *   kind 1   a UDP datagram from a to b (valid Ethernet and IPv4 headers,
 *            checksum included) to port 7000 (bound), the CM's or RoCE's,
 *            whose payload is the bytes;
 *   kind 2   a RoCEv2 packet to b's connected QP (BTH with the QP number
 *            and a PSN near the expected one), the bytes after the BTH,
 *            and a valid ICRC, so that it gets past the checks into the
 *            RC state machines;
 *   kind 3   the link runs for a while (timers, retransmissions, acks).
 * Node a also posts sends and RDMA writes to b now and then, so that b's
 * requester and a's responder see real traffic interleaved with the
 * hostile. Any frame may be dropped; nothing may crash or leak.
 */
#include <stdlib.h>
#include <string.h>

#include <tessera/net/cm.h>
#include <tessera/net/rdma.h>
#include <tessera/net/stack.h>
#include <tessera/wire/byteorder.h>
#include <tessera/wire/inet.h>
#include <tessera/wire/rdma_cm.h>
#include <tessera/wire/roce.h>

#include "net/inet/net_priv.h"
#include "net/rdma/rc_test_util.h"
#include "net/rdma/roce.h"
#include "tests/fuzz/fuzz.h"

#define FZ_MTU 1024
#define FZ_PSN_A 100
#define FZ_PSN_B 5000
#define FZ_RECVS 16
#define FZ_FRAME_MAX 2048

static const u16 fz_ports[] = { 7000, CM_UDP_PORT, ROCE_UDP_PORT, 9 };

static void fz_udp_rx(struct net_if *nif, const struct udp_dgram *d, void *arg)
{
	FUZZ_CHECK(d->len <= FZ_FRAME_MAX);
}

/* Ethernet + IPv4 + UDP headers from a to b around a payload of len. */
static size_t fz_udp(u8 *f, u16 dport, size_t len)
{
	struct ipv4_hdr *ih = (void *)(f + NET_IP_OFF);
	struct udp_hdr *uh = (void *)(f + NET_UDP_OFF);

	memcpy(f, (u8[]){ 2, 0, 0, 0, 0, 2, 2, 0, 0, 0, 0, 1, 8, 0 }, 14);
	memset(ih, 0, sizeof(*ih));
	ih->ver_ihl = 0x45;
	ih->ttl = 64;
	ih->proto = IPPROTO_UDP;
	put_be16(ih->tot_len, (u16)(20 + 8 + len));
	put_be32(ih->src, tnode_ip(1));
	put_be32(ih->dst, tnode_ip(2));
	put_be16(ih->csum, ip_checksum(ih, 20));
	put_be16(uh->sport, 49152);
	put_be16(uh->dport, dport);
	put_be16(uh->len, (u16)(8 + len));
	put_be16(uh->csum, 0);
	return NET_UDP_PAYLOAD_OFF + len;
}

/* A RoCEv2 packet to b's QP: BTH, then the fuzz bytes, then the ICRC. */
static size_t fz_roce(u8 *f, struct tnode *b, u8 opcode, u8 psn_delta, const u8 *rest,
		      size_t n)
{
	struct roce_bth *bth = (void *)(f + NET_UDP_PAYLOAD_OFF);
	size_t len;

	memset(bth, 0, sizeof(*bth));
	bth->opcode = opcode;
	put_be16(bth->pkey, ROCE_PKEY_DEFAULT);
	put_be24(bth->dqpn, rdma_qp_num(b->qp));
	put_be24(bth->psn, (FZ_PSN_A + psn_delta - 8) & 0xffffff);
	bth->ack_resv = psn_delta & 0x80;
	memcpy(bth + 1, rest, n);
	len = fz_udp(f, ROCE_UDP_PORT, sizeof(*bth) + n + ROCE_ICRC_LEN);
	put_le32(f + len - ROCE_ICRC_LEN,
		 roce_icrc(f + NET_IP_OFF, len - ROCE_ICRC_LEN - NET_IP_OFF));
	return len;
}

static bool fz_never(void *arg)
{
	return false;
}

static void fz_post_recvs(struct tnode *n)
{
	for (u32 i = 0; i < FZ_RECVS; i++) {
		struct rdma_recv_wr wr = { .wr_id = i, .sge = { (u64)(uintptr_t)n->buf + i * 4096,
								4096, rdma_mr_lkey(n->mr) } };

		rdma_post_recv(n->qp, &wr);
	}
}

/* Real traffic from a: a send, or an RDMA write into b's buffer. */
static void fz_real_op(struct tnode *a, struct tnode *b, u8 sel)
{
	struct rdma_send_wr wr = { .wr_id = 1,
				   .sge = { (u64)(uintptr_t)a->buf, 64u + sel * 16u,
					    rdma_mr_lkey(a->mr) } };

	wr.op = sel & 1 ? RDMA_WR_WRITE : RDMA_WR_SEND;
	wr.remote_addr = (u64)(uintptr_t)b->buf + 65536;
	wr.rkey = rdma_mr_rkey(b->mr);
	rdma_post_send(a->qp, &wr);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static u8 f[FZ_FRAME_MAX + 128];
	struct simlink *l = simlink_new(1);
	struct fuzz_in in = { data, size };
	struct tnode a, b;
	struct rdma_wc wc[32];
	struct cm *cm = NULL;

	tnode_init(&a, l, 1, FZ_MTU);
	tnode_init(&b, l, 2, FZ_MTU);
	tpair_connect(&a, &b, FZ_MTU, FZ_PSN_A, FZ_PSN_B);
	fz_post_recvs(&a);
	fz_post_recvs(&b);
	udp_bind(b.nif, 7000, fz_udp_rx, NULL);
	FUZZ_CHECK(cm_create(b.nif, &cm) == 0);
	while (in.left) {
		u8 kind = fuzz_u8(&in), arg = fuzz_u8(&in);
		size_t n;
		const u8 *p = fuzz_bytes(&in, fuzz_u8(&in) * 4u, &n);

		switch (kind & 3) {
		case 0:
			memcpy(f, p, n);
			net_input(b.nif, f, n);
			break;
		case 1:
			memcpy(f + NET_UDP_PAYLOAD_OFF, p, n);
			net_input(b.nif, f, fz_udp(f, fz_ports[arg % ARRAY_SIZE(fz_ports)], n));
			break;
		case 2:
			net_input(b.nif, f, fz_roce(f, &b, (u8)(kind >> 2) | (arg & 0xC0),
						      arg, p, n));
			break;
		default:
			if (arg & 1)
				fz_real_op(&a, &b, arg >> 1);
			simlink_run(l, simlink_now(l) + (u64)arg * 1000000ull, fz_never, NULL);
			break;
		}
		while (rdma_cq_poll(b.cq, wc, 32) > 0 || rdma_cq_poll(a.cq, wc, 32) > 0)
			;
	}
	cm_destroy(cm);
	tnode_fini(&a);
	tnode_fini(&b);
	simlink_free(l);
	return 0;
}
