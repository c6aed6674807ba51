/*
 * RC packets on the wire: building and sending one (headers, pad, ICRC),
 * and the receive path from UDP port 4791 to a QP's requester or
 * responder. Received packets are checked in this order: IPv4 header
 * without options, ICRC, transport headers and lengths, P_Key, QP number,
 * QP state, source address; a failure is dropped and counted.
 */
#include <tessera/string.h>
#include <tessera/wire/byteorder.h>

#include "net/rdma/rdma_priv.h"

static u16 rc_sport(const struct rdma_qp *qp)
{
	return (u16)(0xc000 | (qp->qpn & 0x3fff));
}

void rc_xmit(struct rdma_qp *qp, struct rc_tx *tx)
{
	struct net_if *nif = qp->dev->nif;
	u8 *f = nif->txbuf;
	u32 pad = (4 - (tx->len & 3)) & 3;
	size_t hlen = roce_hdr_len(tx->h.opcode);
	size_t ulen = hlen + tx->len + pad + ROCE_ICRC_LEN;
	u8 *p = f + NET_UDP_PAYLOAD_OFF;

	if (udp_frame_build(nif, f, qp->conn.dest_ip, rc_sport(qp),
			    ROCE_UDP_PORT, ulen))
		return; /* the retransmission timer tries again */
	tx->h.pad = (u8)pad;
	tx->h.pkey = ROCE_PKEY_DEFAULT;
	tx->h.dqpn = qp->conn.dest_qpn;
	p += roce_encode(&tx->h, p);
	if (tx->len)
		memcpy(p, tx->payload, tx->len);
	memset(p + tx->len, 0, pad);
	p += tx->len + pad;
	put_le32(p, roce_icrc(f + NET_IP_OFF, (size_t)(p - f) - NET_IP_OFF));
	net_xmit_locked(nif, f, (size_t)(p - f) + ROCE_ICRC_LEN);
}

void rc_send_ack(struct rdma_qp *qp, u8 syndrome, u32 psn)
{
	struct rc_tx tx = { .h = { .opcode = RC_ACK, .psn = psn,
				   .syndrome = syndrome,
				   .msn = qp->resp.msn } };

	rc_xmit(qp, &tx);
}

static bool rc_is_response(u8 opcode)
{
	return opcode >= RC_READ_RESP_FIRST && opcode <= RC_ACK;
}

/* Parse a datagram into headers and payload; false if malformed. */
static bool rc_parse(struct net_if *nif, const struct udp_dgram *d,
		     struct roce_hdrs *h, const u8 **payload, u32 *len)
{
	int hlen;

	if (d->ip_len != sizeof(struct ipv4_hdr) ||
	    d->len < sizeof(struct roce_bth) + ROCE_ICRC_LEN) {
		nif->stats.roce_bad_hdr++;
		return false;
	}
	if (!roce_icrc_ok(d->ip, d->ip_len + sizeof(struct udp_hdr) + d->len)) {
		nif->stats.roce_bad_icrc++;
		return false;
	}
	hlen = roce_decode(d->data, d->len - ROCE_ICRC_LEN, h);
	if (hlen < 0 || d->len - ROCE_ICRC_LEN - (size_t)hlen < h->pad ||
	    h->pkey != ROCE_PKEY_DEFAULT ||
	    (!(roce_op_flags_of(h->opcode) & ROCE_HAS_PAYLOAD) &&
	     d->len - ROCE_ICRC_LEN != (size_t)hlen)) {
		nif->stats.roce_bad_hdr++;
		return false;
	}
	*payload = d->data + hlen;
	*len = (u32)(d->len - ROCE_ICRC_LEN - (size_t)hlen - h->pad);
	return true;
}

void rc_input(struct net_if *nif, const struct udp_dgram *d, void *arg)
{
	struct rdma_dev *dev = arg;
	struct roce_hdrs h;
	const u8 *payload;
	struct rdma_qp *qp;
	u32 len;

	if (!rc_parse(nif, d, &h, &payload, &len))
		return;
	qp = rdma_qp_lookup(dev, h.dqpn);
	if (!qp) {
		nif->stats.roce_no_qp++;
		rdma_note_stranger(dev, d->src_ip, netplat_now_ns());
		return;
	}
	if (qp->state != RDMA_QPS_RTS || d->src_ip != qp->conn.dest_ip ||
	    len > qp->conn.mtu) {
		nif->stats.roce_bad_state++;
		return;
	}
	if (rc_is_response(h.opcode))
		rc_req_input(qp, &h, payload, len);
	else
		rc_resp_input(qp, &h, payload, len);
}
