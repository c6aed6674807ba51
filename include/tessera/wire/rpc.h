/*
 * The RPC wire format: every message Tessera components exchange over
 * their RC queue pairs, declared once here. A message is a struct rpc_hdr
 * followed by the body its opcode names; the receiver checks magic,
 * version and that len equals the body size of the opcode before use.
 *
 * Opcode names carry their direction: P2M_ (pMonitor to mMonitor),
 * M2S_, M2M_, P2G_ (to a global manager), ... ; RPC_ opcodes are the
 * framework's own. Replies use the request's opcode with RPC_F_REPLY set
 * in flags and the same req_id. Bodies are little-endian (the order of
 * every Tessera node) with fixed-width fields only; each has its size
 * checked at compile time.
 */
#ifndef TESSERA_WIRE_RPC_H
#define TESSERA_WIRE_RPC_H

#include <tessera/types.h>

#define RPC_MAGIC 0x54525043u /* "TRPC" */
#define RPC_VERSION 1
#define RPC_MAX_BODY 4000 /* header + body fit a 4096-byte receive */

enum rpc_opcode {
	RPC_PING = 1,
	RPC_ECHO = 2,
	/* Later issues add P2M_*, M2S_*, ... here, never reusing a value. */
	RPC_OPCODE_MAX,
};

#define RPC_F_REPLY 1u

struct rpc_hdr {
	u32 magic;
	u16 version;
	u16 opcode; /* enum rpc_opcode */
	u32 flags; /* RPC_F_* */
	u32 len; /* body bytes after this header */
	u64 req_id; /* chosen by the caller, echoed in the reply */
	s32 status; /* replies: 0 or -errno */
	u32 pad;
};
_Static_assert(sizeof(struct rpc_hdr) == 32, "rpc_hdr is 32 bytes");

struct rpc_ping_msg {
	u64 seq;
};
_Static_assert(sizeof(struct rpc_ping_msg) == 8, "rpc_ping_msg");

struct rpc_ping_reply {
	u64 seq;
	u64 server_time_ns;
};
_Static_assert(sizeof(struct rpc_ping_reply) == 16, "rpc_ping_reply");

/* ECHO: the body is returned unchanged; up to RPC_MAX_BODY bytes. */
struct rpc_echo_msg {
	u32 len;
	u32 pad;
	u8 data[RPC_MAX_BODY - 8];
};
_Static_assert(sizeof(struct rpc_echo_msg) == RPC_MAX_BODY, "rpc_echo_msg");

#endif
