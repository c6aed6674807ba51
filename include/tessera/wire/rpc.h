/*
 * The RPC wire format: every message Tessera components exchange over
 * their RC queue pairs, declared once here. A message is a struct rpc_hdr
 * followed by the body its opcode names; the receiver checks magic,
 * version, opcode and that len is within the opcode's body bounds
 * (RPC_OPCODES below) before use.
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

/* Each protocol declares its opcodes in its own header, in one range:
 * mem.h 0x100-0x2ff (P2M_, M2M_), fs.h 0x300-0x3ff (P2S_), mgr.h
 * 0x500-0x5ff (C2G_, GP2GM_, ...), proc.h 0x600-0x6ff (GP2P_, P2GP_);
 * RPC_OPCODES below splices them. They
 * need nothing from this file until their macros are expanded. */
#include <tessera/wire/fs.h>
#include <tessera/wire/mem.h>
#include <tessera/wire/mgr.h>
#include <tessera/wire/proc.h>

#define RPC_MAGIC 0x54525043u /* "TRPC" */
#define RPC_VERSION 1
#define RPC_MAX_BODY 8160 /* header + body fit an 8192-byte receive: a
                           * 4 KiB page and its message fit one body */

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

/* STATS: the server's RPC counters, so a caller can check that each of
 * its calls was served exactly once (served before and after a run). */
struct rpc_stats_msg {
	u64 reserved;
};
_Static_assert(sizeof(struct rpc_stats_msg) == 8, "rpc_stats_msg");

struct rpc_stats_reply {
	u64 served, unknown_op, malformed, late_replies;
};
_Static_assert(sizeof(struct rpc_stats_reply) == 32, "rpc_stats_reply");

/* BENCH: a request of 8..RPC_MAX_BODY bytes asking for a reply of
 * reply_len bytes (8..RPC_MAX_BODY): the same header, then data[i] =
 * (u8)(seq * 7 + i), which the caller checks. Request data is ignored. */
struct rpc_bench_msg {
	u32 reply_len;
	u32 seq;
	u8 data[RPC_MAX_BODY - 8];
};
_Static_assert(sizeof(struct rpc_bench_msg) == RPC_MAX_BODY, "rpc_bench_msg");

/* RDMA_PROBE: where the server's probe region is (registered for remote
 * read and write), for one-sided RDMA WRITE and READ over a connection to
 * CM_SERVICE_RDMA_PROBE (cluster/rdma_probe.c). */
struct rpc_rdma_probe_msg {
	u64 reserved;
};
_Static_assert(sizeof(struct rpc_rdma_probe_msg) == 8, "rpc_rdma_probe_msg");

struct rpc_rdma_probe_reply {
	u64 addr;
	u32 rkey;
	u32 len;
};
_Static_assert(sizeof(struct rpc_rdma_probe_reply) == 16,
	       "rpc_rdma_probe_reply");

/*
 * Every opcode, once: X(name, value, request body bounds, reply body
 * bounds). A bound pair is RPC_FIXED(type) (exactly sizeof) or
 * RPC_VAR(type, min) (min up to sizeof). Receivers check a message's
 * len against them; a reply with a nonzero status has no body.
 */
#define RPC_FIXED(type) sizeof(type), sizeof(type)
#define RPC_VAR(type, min) (min), sizeof(type)
#define RPC_OPCODES(X)                                                 \
	X(RPC_PING, 1, RPC_FIXED(struct rpc_ping_msg),                 \
	  RPC_FIXED(struct rpc_ping_reply))                            \
	X(RPC_ECHO, 2, RPC_VAR(struct rpc_echo_msg, 8),                \
	  RPC_VAR(struct rpc_echo_msg, 8))                            \
	X(RPC_STATS, 3, RPC_FIXED(struct rpc_stats_msg),               \
	  RPC_FIXED(struct rpc_stats_reply))                           \
	X(RPC_BENCH, 4, RPC_VAR(struct rpc_bench_msg, 8),              \
	  RPC_VAR(struct rpc_bench_msg, 8))                            \
	X(RPC_RDMA_PROBE, 5, RPC_FIXED(struct rpc_rdma_probe_msg),     \
	  RPC_FIXED(struct rpc_rdma_probe_reply))                      \
	MEM_OPCODES_PG(X, MEM_PAGE_SIZE)                               \
	FS_OPCODES(X)                                                  \
	MGR_OPCODES(X)                                                 \
	PROC_OPCODES(X)

#define RPC_OPCODE_ENUM(name, val, ...) name = val,
enum rpc_opcode {
	RPC_OPCODES(RPC_OPCODE_ENUM)
	RPC_OPCODE_MAX,
};
#undef RPC_OPCODE_ENUM

struct rpc_op_bounds {
	u32 req_min, req_max, rep_min, rep_max;
};

/* The whole message: header and the largest body. */
#define RPC_MSG_MAX (sizeof(struct rpc_hdr) + RPC_MAX_BODY)

#endif
