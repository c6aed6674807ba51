/*
 * The membership and placement protocol: messages between the monitors
 * and the global managers (C2G_: a component to GPM, GMM or GSM) and
 * between the managers (GP2GM_: GPM asks GMM, GP2GS_: GPM asks GSM).
 * Bodies follow struct rpc_hdr (wire/rpc.h); MGR_OPCODES below is spliced
 * into RPC_OPCODES, so the values never collide with other families
 * (0x500..0x5ff are ours).
 *
 * Membership: a monitor connects to each manager named in its boot
 * arguments and sends C2G_REGISTER (role, resources, address, a random
 * boot nonce and the cluster key); the manager answers with an id and
 * the heartbeat period and dead time it uses. The monitor then sends
 * C2G_HEARTBEAT every period; the reply is the manager's heartbeat (its
 * epoch changes when the manager restarts). A manager that does not know
 * the id (it restarted) answers -ENOENT and the monitor registers again.
 * A manager that hears nothing from a component for dead_ms declares it
 * dead; a monitor whose heartbeats fail reconnects and registers again.
 *
 * Every body starts with the protocol version; every field is fixed
 * width, little-endian; names are NUL-padded and must hold a NUL.
 */
#ifndef TESSERA_WIRE_MGR_H
#define TESSERA_WIRE_MGR_H

#include <tessera/types.h>

#define MGR_VERSION 1
#define MGR_NAME_MAX 32 /* bytes, NUL included */

/* What a component is (struct c2g_register_msg.role): X(enum, value,
 * the monitor role's name). */
#define MGR_ROLES(X)                                 \
	X(MGR_ROLE_PROCESSOR, 1, "processor")       \
	X(MGR_ROLE_MEMORY, 2, "memory")             \
	X(MGR_ROLE_STORAGE, 3, "storage")

#define MGR_ROLE_ENUM(name, val, str) name = val,
enum mgr_role { MGR_ROLES(MGR_ROLE_ENUM) };
#undef MGR_ROLE_ENUM
#define MGR_ROLE_MAX 4

struct c2g_register_msg {
	u16 version;
	u16 role; /* enum mgr_role */
	u32 ip; /* the component's RPC address, host order */
	u64 key; /* cluster key: registrations with another are refused */
	u64 nonce; /* random per boot: a new value is a new incarnation */
	u32 cores;
	u32 load; /* running processes (pComponents), else 0 */
	u64 ram_bytes; /* managed RAM */
	u64 ram_free;
	u64 disk_bytes; /* 0 without a disk */
	char name[MGR_NAME_MAX];
};
_Static_assert(sizeof(struct c2g_register_msg) == 88, "c2g_register_msg");

struct c2g_register_reply {
	u16 version;
	u16 pad;
	u32 id; /* the component's id at this manager */
	u64 epoch; /* the manager's: random per start */
	u32 incarnation; /* how many boots of this name the manager has seen */
	u32 heartbeat_ms; /* send C2G_HEARTBEAT this often */
	u32 dead_ms; /* silence after which the manager declares death */
	u32 pad2;
};
_Static_assert(sizeof(struct c2g_register_reply) == 32, "c2g_register_reply");

struct c2g_heartbeat_msg {
	u16 version;
	u16 pad;
	u32 id;
	u64 nonce; /* as registered */
	u64 seq;
	u64 ram_free;
	u32 load;
	u32 pad2;
};
_Static_assert(sizeof(struct c2g_heartbeat_msg) == 40, "c2g_heartbeat_msg");

struct c2g_heartbeat_reply {
	u16 version;
	u16 pad;
	u32 pad2;
	u64 seq; /* the request's */
	u64 epoch; /* the manager's */
};
_Static_assert(sizeof(struct c2g_heartbeat_reply) == 24, "c2g_heartbeat_reply");

/* GPM asks GMM where a new vNode's first process lives: a home
 * mComponent, the owner of its first vRegion, and a backup: another
 * mComponent that keeps a replica of every vRegion of the vNode's
 * processes (0 when only one mComponent is alive). */
struct gp2gm_place_msg {
	u16 version;
	u16 pad;
	u32 vnode; /* GPM's vNode id */
	u32 vregions; /* vRegion owners wanted (1..MGR_PLACE_MAX) */
	u32 pad2;
};
_Static_assert(sizeof(struct gp2gm_place_msg) == 16, "gp2gm_place_msg");

#define MGR_PLACE_MAX 8

/* Components are named by fabric address (what a peer connects to). */
struct gp2gm_place_reply {
	u16 version;
	u16 pad;
	u32 home_ip;
	u32 owner_ip[MGR_PLACE_MAX];
	u32 backup_ip; /* never home_ip; 0: none */
	u32 pad2;
};
_Static_assert(sizeof(struct gp2gm_place_reply) == 48, "gp2gm_place_reply");

/* GPM asks GSM which sComponent holds a new vNode's files. */
struct gp2gs_assign_msg {
	u16 version;
	u16 pad;
	u32 vnode;
};
_Static_assert(sizeof(struct gp2gs_assign_msg) == 8, "gp2gs_assign_msg");

struct gp2gs_assign_reply {
	u16 version;
	u16 pad;
	u32 storage_ip;
};
_Static_assert(sizeof(struct gp2gs_assign_reply) == 8, "gp2gs_assign_reply");

/* An mMonitor, home of a process, asks GMM who should own a new vRegion
 * of it (vRegion number idx). not_ip: a component to avoid, 0 for none. */
struct m2g_vregion_owner_msg {
	u16 version;
	u16 pad;
	u32 pid;
	u64 idx;
	u32 not_ip;
	u32 pad2;
};
_Static_assert(sizeof(struct m2g_vregion_owner_msg) == 24, "m2g_vregion_owner_msg");

struct m2g_vregion_owner_reply {
	u16 version;
	u16 pad;
	u32 owner_ip;
};
_Static_assert(sizeof(struct m2g_vregion_owner_reply) == 8, "m2g_vregion_owner_reply");

/* A pMonitor whose process has lost its backup asks GMM for a new one:
 * an alive mComponent other than primary_ip (0 in the reply: none). */
struct p2g_backup_msg {
	u16 version;
	u16 pad;
	u32 pid; /* as the memory protocol carries it */
	u32 primary_ip;
	u32 pad2;
};
_Static_assert(sizeof(struct p2g_backup_msg) == 16, "p2g_backup_msg");

struct p2g_backup_reply {
	u16 version;
	u16 pad;
	u32 backup_ip;
};
_Static_assert(sizeof(struct p2g_backup_reply) == 8, "p2g_backup_reply");

/* X(name, value, request body bounds, reply body bounds), the format of
 * RPC_OPCODES in wire/rpc.h. Requests are checked against the exact size;
 * the handlers check version, role, name and key. */
#define MGR_OPCODES(X)                                                  \
	X(C2G_REGISTER, 0x500, RPC_FIXED(struct c2g_register_msg),      \
	  RPC_FIXED(struct c2g_register_reply))                         \
	X(C2G_HEARTBEAT, 0x501, RPC_FIXED(struct c2g_heartbeat_msg),    \
	  RPC_FIXED(struct c2g_heartbeat_reply))                        \
	X(GP2GM_PLACE, 0x540, RPC_FIXED(struct gp2gm_place_msg),        \
	  RPC_FIXED(struct gp2gm_place_reply))                          \
	X(GP2GS_ASSIGN, 0x560, RPC_FIXED(struct gp2gs_assign_msg),      \
	  RPC_FIXED(struct gp2gs_assign_reply))                         \
	X(M2G_VREGION_OWNER, 0x580, RPC_FIXED(struct m2g_vregion_owner_msg), \
	  RPC_FIXED(struct m2g_vregion_owner_reply))                    \
	X(P2G_BACKUP, 0x5a0, RPC_FIXED(struct p2g_backup_msg),          \
	  RPC_FIXED(struct p2g_backup_reply))

/* Last: rpc.h splices this protocol's opcodes into RPC_OPCODES. */
#include <tessera/wire/rpc.h>

#endif
