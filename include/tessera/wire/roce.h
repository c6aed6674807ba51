/*
 * RoCEv2 transport headers (InfiniBand Architecture Specification vol. 1,
 * chapter 9, carried in UDP/IPv4 to port 4791 per annex A17). Only the
 * reliable-connected opcodes Tessera speaks are named. Every RoCEv2 packet
 * is: Ethernet | IPv4 | UDP | BTH | [RETH | AETH] [ImmDt] | payload | pad |
 * ICRC, where pad (BTH.PadCnt bytes) makes the payload a multiple of 4.
 */
#ifndef TESSERA_WIRE_ROCE_H
#define TESSERA_WIRE_ROCE_H

#include <tessera/types.h>

#define ROCE_UDP_PORT 4791
#define ROCE_ICRC_LEN 4
#define ROCE_PKEY_DEFAULT 0xffff
#define ROCE_PSN_MASK 0xffffffu
#define ROCE_QPN_MASK 0xffffffu

enum roce_opcode {
	RC_SEND_FIRST = 0x00,
	RC_SEND_MIDDLE = 0x01,
	RC_SEND_LAST = 0x02,
	RC_SEND_LAST_IMM = 0x03,
	RC_SEND_ONLY = 0x04,
	RC_SEND_ONLY_IMM = 0x05,
	RC_WRITE_FIRST = 0x06,
	RC_WRITE_MIDDLE = 0x07,
	RC_WRITE_LAST = 0x08,
	RC_WRITE_LAST_IMM = 0x09,
	RC_WRITE_ONLY = 0x0a,
	RC_WRITE_ONLY_IMM = 0x0b,
	RC_READ_REQUEST = 0x0c,
	RC_READ_RESP_FIRST = 0x0d,
	RC_READ_RESP_MIDDLE = 0x0e,
	RC_READ_RESP_LAST = 0x0f,
	RC_READ_RESP_ONLY = 0x10,
	RC_ACK = 0x11,
};

/* Base Transport Header. */
struct roce_bth {
	u8 opcode;
	u8 se_m_pad_tver; /* SE:1 M:1 PadCnt:2 TVer:4 */
	u8 pkey[2];
	u8 fecn_becn_resv; /* FECN:1 BECN:1 resv:6; masked in the ICRC */
	u8 dqpn[3];
	u8 ack_resv; /* AckReq:1 resv:7 */
	u8 psn[3];
};
_Static_assert(sizeof(struct roce_bth) == 12, "BTH is 12 bytes");

#define BTH_SE 0x80
#define BTH_MIG 0x40
#define BTH_PAD_SHIFT 4
#define BTH_ACKREQ 0x80

/* RDMA Extended Transport Header (first/only WRITE, READ request). */
struct roce_reth {
	u8 va[8];
	u8 rkey[4];
	u8 dma_len[4];
};
_Static_assert(sizeof(struct roce_reth) == 16, "RETH is 16 bytes");

/* ACK Extended Transport Header (ACK, first/last/only READ response). */
struct roce_aeth {
	u8 syndrome;
	u8 msn[3];
};
_Static_assert(sizeof(struct roce_aeth) == 4, "AETH is 4 bytes");

/* Immediate data (SEND/WRITE with immediate), opaque 32 bits. */
struct roce_immdt {
	u8 imm[4];
};
_Static_assert(sizeof(struct roce_immdt) == 4, "ImmDt is 4 bytes");

/* AETH syndrome: bits 6..5 say ACK/RNR NAK/NAK, bits 4..0 the value. */
#define AETH_TYPE_MASK 0x60
#define AETH_ACK 0x00
#define AETH_RNR_NAK 0x20
#define AETH_NAK 0x60
#define AETH_VALUE_MASK 0x1f
#define AETH_CREDIT_INVALID 0x1f

enum aeth_nak_code {
	NAK_PSN_SEQ_ERR = 0,
	NAK_INVALID_REQ = 1,
	NAK_REMOTE_ACCESS = 2,
	NAK_REMOTE_OP = 3,
};

/* Host-order view of the headers; see net/rdma/roce_hdr.c for the codec. */
struct roce_hdrs {
	u8 opcode;
	bool se, ackreq;
	u8 pad;
	u16 pkey;
	u32 dqpn, psn;
	u64 va; /* RETH */
	u32 rkey, dma_len;
	u8 syndrome; /* AETH */
	u32 msn;
	u32 imm; /* ImmDt */
};

/* Header presence flags for an opcode. */
#define ROCE_HAS_RETH 1u
#define ROCE_HAS_AETH 2u
#define ROCE_HAS_IMM 4u
#define ROCE_HAS_PAYLOAD 8u

#endif
