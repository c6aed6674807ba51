/*
 * RoCEv2 transport header codec: which extension headers each RC opcode
 * carries, and encode/decode between the wire bytes and struct roce_hdrs.
 */
#include <tessera/errno.h>
#include <tessera/string.h>
#include <tessera/wire/byteorder.h>

#include "net/rdma/roce.h"

#define P ROCE_HAS_PAYLOAD
static const u8 roce_op_flags[RC_ACK + 1] = {
	[RC_SEND_FIRST] = P,
	[RC_SEND_MIDDLE] = P,
	[RC_SEND_LAST] = P,
	[RC_SEND_LAST_IMM] = P | ROCE_HAS_IMM,
	[RC_SEND_ONLY] = P,
	[RC_SEND_ONLY_IMM] = P | ROCE_HAS_IMM,
	[RC_WRITE_FIRST] = P | ROCE_HAS_RETH,
	[RC_WRITE_MIDDLE] = P,
	[RC_WRITE_LAST] = P,
	[RC_WRITE_LAST_IMM] = P | ROCE_HAS_IMM,
	[RC_WRITE_ONLY] = P | ROCE_HAS_RETH,
	[RC_WRITE_ONLY_IMM] = P | ROCE_HAS_RETH | ROCE_HAS_IMM,
	[RC_READ_REQUEST] = ROCE_HAS_RETH,
	[RC_READ_RESP_FIRST] = P | ROCE_HAS_AETH,
	[RC_READ_RESP_MIDDLE] = P,
	[RC_READ_RESP_LAST] = P | ROCE_HAS_AETH,
	[RC_READ_RESP_ONLY] = P | ROCE_HAS_AETH,
	[RC_ACK] = ROCE_HAS_AETH,
};
#undef P

bool roce_op_valid(u8 opcode)
{
	return opcode <= RC_ACK;
}

u32 roce_op_flags_of(u8 opcode)
{
	return roce_op_valid(opcode) ? roce_op_flags[opcode] : 0;
}

size_t roce_hdr_len(u8 opcode)
{
	u32 f = roce_op_flags_of(opcode);

	return sizeof(struct roce_bth) +
	       (f & ROCE_HAS_RETH ? sizeof(struct roce_reth) : 0) +
	       (f & ROCE_HAS_AETH ? sizeof(struct roce_aeth) : 0) +
	       (f & ROCE_HAS_IMM ? sizeof(struct roce_immdt) : 0);
}

size_t roce_encode(const struct roce_hdrs *h, u8 *buf)
{
	struct roce_bth *bth = (void *)buf;
	u32 f = roce_op_flags_of(h->opcode);
	u8 *p = buf + sizeof(*bth);

	bth->opcode = h->opcode;
	bth->se_m_pad_tver = (u8)((h->se ? BTH_SE : 0) | BTH_MIG |
				  (h->pad & 3) << BTH_PAD_SHIFT);
	put_be16(bth->pkey, h->pkey);
	bth->fecn_becn_resv = 0;
	put_be24(bth->dqpn, h->dqpn & ROCE_QPN_MASK);
	bth->ack_resv = h->ackreq ? BTH_ACKREQ : 0;
	put_be24(bth->psn, h->psn & ROCE_PSN_MASK);
	if (f & ROCE_HAS_RETH) {
		struct roce_reth *r = (void *)p;

		put_be64(r->va, h->va);
		put_be32(r->rkey, h->rkey);
		put_be32(r->dma_len, h->dma_len);
		p += sizeof(*r);
	}
	if (f & ROCE_HAS_AETH) {
		((struct roce_aeth *)p)->syndrome = h->syndrome;
		put_be24(((struct roce_aeth *)p)->msn, h->msn);
		p += sizeof(struct roce_aeth);
	}
	if (f & ROCE_HAS_IMM) {
		put_be32(p, h->imm);
		p += sizeof(struct roce_immdt);
	}
	return (size_t)(p - buf);
}

static void roce_decode_ext(const u8 *p, u32 f, struct roce_hdrs *h)
{
	if (f & ROCE_HAS_RETH) {
		const struct roce_reth *r = (const void *)p;

		h->va = get_be64(r->va);
		h->rkey = get_be32(r->rkey);
		h->dma_len = get_be32(r->dma_len);
		p += sizeof(*r);
	}
	if (f & ROCE_HAS_AETH) {
		h->syndrome = ((const struct roce_aeth *)p)->syndrome;
		h->msn = get_be24(((const struct roce_aeth *)p)->msn);
		p += sizeof(struct roce_aeth);
	}
	if (f & ROCE_HAS_IMM)
		h->imm = get_be32(p);
}

int roce_decode(const u8 *buf, size_t len, struct roce_hdrs *h)
{
	const struct roce_bth *bth = (const void *)buf;
	size_t hlen;

	if (len < sizeof(*bth) || !roce_op_valid(bth->opcode))
		return -EBADMSG;
	hlen = roce_hdr_len(bth->opcode);
	if (len < hlen || (bth->se_m_pad_tver & 0x0f) != 0)
		return -EBADMSG;
	memset(h, 0, sizeof(*h));
	h->opcode = bth->opcode;
	h->se = bth->se_m_pad_tver & BTH_SE;
	h->pad = (bth->se_m_pad_tver >> BTH_PAD_SHIFT) & 3;
	h->pkey = get_be16(bth->pkey);
	h->dqpn = get_be24(bth->dqpn);
	h->ackreq = bth->ack_resv & BTH_ACKREQ;
	h->psn = get_be24(bth->psn);
	roce_decode_ext(buf + sizeof(*bth), roce_op_flags_of(h->opcode), h);
	return (int)hlen;
}
