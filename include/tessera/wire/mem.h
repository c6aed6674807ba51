/*
 * The memory protocol: messages between pMonitors and mMonitors (P2M_) and
 * between the mMonitors of one process (M2M_: its home and its vRegion
 * owners). Bodies follow struct rpc_hdr (wire/rpc.h); MEM_OPCODES below is
 * spliced into RPC_OPCODES, so the values never collide with other
 * families (0x100..0x1ff are ours).
 *
 * A page travels at the end of the RPC body (RPC_MAX_BODY holds a message
 * and a page): a FETCH reply with MEM_LINE_DATA, a WRITEBACK and a FETCH
 * with a piggy-backed victim end with the line's 4096 bytes; the bounds in
 * MEM_OPCODES say which. mem_dispatch takes the page as a separate buffer,
 * so the RPC glue splits the body.
 *
 * PROT and MAP flag values are Linux's, so the pMonitor passes a user's
 * mmap arguments through unchanged.
 */
#ifndef TESSERA_WIRE_MEM_H
#define TESSERA_WIRE_MEM_H

#include <tessera/types.h>

#define MEM_PAGE_SIZE 4096u

#define MEM_PROT_READ 0x1u
#define MEM_PROT_WRITE 0x2u
#define MEM_PROT_EXEC 0x4u
#define MEM_PROT_MASK 0x7u

#define MEM_MAP_SHARED 0x01u
#define MEM_MAP_PRIVATE 0x02u
#define MEM_MAP_SHARED_VALIDATE 0x03u
#define MEM_MAP_TYPE 0x0fu
#define MEM_MAP_FIXED 0x10u
#define MEM_MAP_ANONYMOUS 0x20u
#define MEM_MAP_FIXED_NOREPLACE 0x100000u

/* A file, named as the storage protocol names it (stateless handle). */
struct mem_file_handle {
	u64 ino;
	u32 gen;
	u32 pad;
};
_Static_assert(sizeof(struct mem_file_handle) == 16, "mem_file_handle");

/* P2M_PROC_CREATE: make this node the home of pid. With MEM_PROC_EXEC an
 * existing address space is emptied first (execve). With MEM_PROC_REPLICA
 * this home is one of the process's replicas: it keeps every vRegion of
 * the process itself (it asks GMM for no owner), and the pMonitor sends
 * every change to each replica. brk_start is the end of the ELF image;
 * mmap_base 0 picks the default. */
#define MEM_PROC_EXEC 1u
#define MEM_PROC_REPLICA 2u
#define MEM_PROC_FLAGS (MEM_PROC_EXEC | MEM_PROC_REPLICA)
struct p2m_proc_create_msg {
	u32 pid;
	u32 flags;
	u64 brk_start;
	u64 mmap_base;
};
_Static_assert(sizeof(struct p2m_proc_create_msg) == 24, "p2m_proc_create_msg");

/* P2M_PROC_EXIT: free every VMA and page of pid, everywhere. */
struct p2m_proc_exit_msg {
	u32 pid;
	u32 pad;
};
_Static_assert(sizeof(struct p2m_proc_exit_msg) == 8, "p2m_proc_exit_msg");

/* P2M_MMAP: mmap(2) arguments; file is used unless MEM_MAP_ANONYMOUS. */
struct p2m_mmap_msg {
	u32 pid;
	u32 prot;
	u32 flags;
	u32 pad;
	u64 addr;
	u64 len;
	u64 off;
	struct mem_file_handle file;
};
_Static_assert(sizeof(struct p2m_mmap_msg) == 56, "p2m_mmap_msg");

struct p2m_mmap_reply {
	u64 addr;
};
_Static_assert(sizeof(struct p2m_mmap_reply) == 8, "p2m_mmap_reply");

/* P2M_MUNMAP; the reply has no body. */
struct p2m_munmap_msg {
	u32 pid;
	u32 pad;
	u64 addr;
	u64 len;
};
_Static_assert(sizeof(struct p2m_munmap_msg) == 24, "p2m_munmap_msg");

/* P2M_MPROTECT; the reply has no body. */
struct p2m_mprotect_msg {
	u32 pid;
	u32 prot;
	u64 addr;
	u64 len;
};
_Static_assert(sizeof(struct p2m_mprotect_msg) == 24, "p2m_mprotect_msg");

/* P2M_BRK: the reply holds the new break (the old one if brk failed). */
struct p2m_brk_msg {
	u32 pid;
	u32 pad;
	u64 brk;
};
_Static_assert(sizeof(struct p2m_brk_msg) == 16, "p2m_brk_msg");

struct p2m_brk_reply {
	u64 brk;
};
_Static_assert(sizeof(struct p2m_brk_reply) == 8, "p2m_brk_reply");

/*
 * P2M_FETCH: a miss on the line at vaddr (page aligned). MEM_FETCH_WRITE:
 * a write access. MEM_FETCH_VICTIM: the dirty line at victim_vaddr rides
 * along in the request's page buffer and is written back first.
 * The reply says whether the reply page buffer holds the line
 * (MEM_LINE_DATA) or the line is untouched anonymous memory that the
 * processor zero-fills itself (MEM_LINE_ZERO, no page moved);
 * victim_status is the write-back's 0/-errno.
 */
#define MEM_FETCH_WRITE 1u
#define MEM_FETCH_VICTIM 2u
#define MEM_FETCH_FLAGS (MEM_FETCH_WRITE | MEM_FETCH_VICTIM)
struct p2m_fetch_msg {
	u32 pid;
	u32 flags;
	u64 vaddr;
	u64 victim_vaddr;
};
_Static_assert(sizeof(struct p2m_fetch_msg) == 24, "p2m_fetch_msg");

#define MEM_LINE_DATA 1u
#define MEM_LINE_ZERO 2u
struct mem_line_reply {
	u32 result; /* MEM_LINE_* */
	s32 victim_status;
	u64 vaddr;
};
_Static_assert(sizeof(struct mem_line_reply) == 16, "mem_line_reply");

/* P2M_WRITEBACK: store the request's page buffer at vaddr; no reply body. */
struct p2m_writeback_msg {
	u32 pid;
	u32 pad;
	u64 vaddr;
};
_Static_assert(sizeof(struct p2m_writeback_msg) == 16, "p2m_writeback_msg");

/* P2M_VREGION: who owns the vRegion holding vaddr, so a pMonitor can send
 * FETCH and WRITEBACK to the owner directly. Served by the home. */
struct p2m_vregion_msg {
	u32 pid;
	u32 pad;
	u64 vaddr;
};
_Static_assert(sizeof(struct p2m_vregion_msg) == 16, "p2m_vregion_msg");

struct p2m_vregion_reply {
	u64 base;
	u64 size;
	u32 owner; /* node id */
	u32 backup; /* node id; MEM_NODE_NONE until replication */
};
_Static_assert(sizeof(struct p2m_vregion_reply) == 24, "p2m_vregion_reply");

#define MEM_NODE_NONE 0xffffffffu

/*
 * P2M_FORK: give the new process child a copy of pid's address space (a
 * fork): the home copies the VMAs, the break and the vRegion owners, and
 * each owner copies its VMAs and shares its stored lines with child until
 * either process writes one back (copy on write). The pMonitor has
 * written back pid's dirty lines first. child must be new to the home;
 * the reply has no body. Messages added after the first protocol carry
 * a version; another version is refused (-EPROTO).
 */
#define MEM_FORK_VERSION 1
struct p2m_fork_msg {
	u32 pid;     /* the parent: first, as in every message (serialization) */
	u32 child;
	u16 version; /* MEM_FORK_VERSION */
	u16 pad;
	u32 pad2;
};
_Static_assert(sizeof(struct p2m_fork_msg) == 16, "p2m_fork_msg");

/*
 * M2M_MAP: the home installs [start, end), inside one vRegion, at its
 * owner, replacing what was there (and freeing its pages).
 * vflags: MEM_VMA_*; off: file offset of start.
 */
#define MEM_VMA_FILE 1u
#define MEM_VMA_SHARED 2u
#define MEM_VMA_FLAGS (MEM_VMA_FILE | MEM_VMA_SHARED)
struct m2m_map_msg {
	u32 pid;
	u32 prot;
	u32 vflags;
	u32 pad;
	u64 start;
	u64 end;
	u64 off;
	struct mem_file_handle file;
};
_Static_assert(sizeof(struct m2m_map_msg) == 56, "m2m_map_msg");

/* M2M_UNMAP (prot unused) and M2M_PROTECT on [start, end) inside one
 * vRegion; no reply body. */
struct m2m_range_msg {
	u32 pid;
	u32 prot;
	u64 start;
	u64 end;
};
_Static_assert(sizeof(struct m2m_range_msg) == 24, "m2m_range_msg");

/* M2M_FETCH (reply: mem_line_reply and maybe a page) and M2M_WRITEBACK
 * (request page; no reply body), forwarded by a home to an owner.
 * flags: MEM_FETCH_WRITE. */
struct m2m_line_msg {
	u32 pid;
	u32 flags;
	u64 vaddr;
};
_Static_assert(sizeof(struct m2m_line_msg) == 16, "m2m_line_msg");

/* M2M_FORK: the home asks the owner of vRegion idx of pid to give child
 * the same VMAs and (shared) lines there; no reply body. */
struct m2m_fork_msg {
	u32 pid;
	u32 child;
	u16 version; /* MEM_FORK_VERSION */
	u16 pad;
	u32 pad2;
	u64 idx;
};
_Static_assert(sizeof(struct m2m_fork_msg) == 24, "m2m_fork_msg");

/*
 * Filling a new replica. P2M_REPLICATE: the pMonitor asks pid's primary
 * to fill a new replica of pid at node `to`. With MEM_REPL_SETUP the
 * primary makes pid there as it is here, with no lines: M2M_PROC_COPY
 * (the break and the mmap base), then M2M_VMA_COPY for every VMA (the
 * pMonitor keeps the address space still meanwhile and sends every
 * change to both from then on). Without it the primary copies up to max
 * (1..MEM_REPL_MAX) of the lines it holds for pid at or after `from`, in
 * address order, as M2M_WRITEBACKs with MEM_LINE_IF_ABSENT: a line the
 * new replica already has came from a later write-back and is kept. The
 * reply says where to go on (MEM_REPL_DONE: every line was copied).
 */
#define MEM_REPL_SETUP 1u
#define MEM_REPL_MAX 64u
#define MEM_REPL_DONE 0xffffffffffffffffull
struct p2m_replicate_msg {
	u32 pid;
	u32 to; /* node id of the new replica */
	u32 flags; /* MEM_REPL_SETUP */
	u32 max;
	u64 from;
};
_Static_assert(sizeof(struct p2m_replicate_msg) == 24, "p2m_replicate_msg");

struct p2m_replicate_reply {
	u64 next; /* MEM_REPL_DONE when done */
	u32 copied;
	u32 pad;
};
_Static_assert(sizeof(struct p2m_replicate_reply) == 16, "p2m_replicate_reply");

/* M2M_PROC_COPY: pid becomes a MEM_PROC_REPLICA process here with this
 * break and mmap base and no VMA (one that was here is emptied first). */
struct m2m_proc_copy_msg {
	u32 pid;
	u32 pad;
	u64 brk_start;
	u64 brk;
	u64 mmap_base;
};
_Static_assert(sizeof(struct m2m_proc_copy_msg) == 32, "m2m_proc_copy_msg");

/* M2M_VMA_COPY (a struct m2m_map_msg, which may span vRegions): one VMA
 * of a replica process, put in its home's tree and its owner's set. */

/* M2M_WRITEBACK flag: keep the line there is, if any. */
#define MEM_LINE_IF_ABSENT 4u

/* X(name, value, request body bounds, reply body bounds), the format of
 * RPC_OPCODES in wire/rpc.h. MEM_NO_BODY: a reply with no body. */
#define MEM_NO_BODY 0, 0
/* PG is the room for a page after the message: 0 for the bounds of the
 * messages themselves (mem_dispatch), MEM_PAGE_SIZE for RPC bodies, where
 * a page, when there is one, is the body's last 4096 bytes. */
#define MEM_PG(type, PG) sizeof(type), sizeof(type) + (PG)
#define MEM_OPCODES(X) MEM_OPCODES_PG(X, 0)
#define MEM_OPCODES_PG(X, PG) \
	X(P2M_PROC_CREATE, 0x100, RPC_FIXED(struct p2m_proc_create_msg), MEM_NO_BODY) \
	X(P2M_PROC_EXIT, 0x101, RPC_FIXED(struct p2m_proc_exit_msg), MEM_NO_BODY) \
	X(P2M_MMAP, 0x102, RPC_FIXED(struct p2m_mmap_msg), RPC_FIXED(struct p2m_mmap_reply)) \
	X(P2M_MUNMAP, 0x103, RPC_FIXED(struct p2m_munmap_msg), MEM_NO_BODY) \
	X(P2M_BRK, 0x104, RPC_FIXED(struct p2m_brk_msg), RPC_FIXED(struct p2m_brk_reply)) \
	X(P2M_MPROTECT, 0x105, RPC_FIXED(struct p2m_mprotect_msg), MEM_NO_BODY) \
	X(P2M_FETCH, 0x106, MEM_PG(struct p2m_fetch_msg, PG), MEM_PG(struct mem_line_reply, PG)) \
	X(P2M_WRITEBACK, 0x107, MEM_PG(struct p2m_writeback_msg, PG), MEM_NO_BODY) \
	X(P2M_VREGION, 0x108, RPC_FIXED(struct p2m_vregion_msg), RPC_FIXED(struct p2m_vregion_reply)) \
	X(P2M_FORK, 0x109, RPC_FIXED(struct p2m_fork_msg), MEM_NO_BODY) \
	X(M2M_MAP, 0x180, RPC_FIXED(struct m2m_map_msg), MEM_NO_BODY) \
	X(M2M_UNMAP, 0x181, RPC_FIXED(struct m2m_range_msg), MEM_NO_BODY) \
	X(M2M_PROTECT, 0x182, RPC_FIXED(struct m2m_range_msg), MEM_NO_BODY) \
	X(M2M_FETCH, 0x183, RPC_FIXED(struct m2m_line_msg), MEM_PG(struct mem_line_reply, PG)) \
	X(M2M_WRITEBACK, 0x184, MEM_PG(struct m2m_line_msg, PG), MEM_NO_BODY) \
	X(M2M_FORK, 0x185, RPC_FIXED(struct m2m_fork_msg), MEM_NO_BODY) \
	X(P2M_REPLICATE, 0x10a, RPC_FIXED(struct p2m_replicate_msg), RPC_FIXED(struct p2m_replicate_reply)) \
	X(M2M_PROC_COPY, 0x186, RPC_FIXED(struct m2m_proc_copy_msg), MEM_NO_BODY) \
	X(M2M_VMA_COPY, 0x187, RPC_FIXED(struct m2m_map_msg), MEM_NO_BODY)

#define MEM_OPCODE_ENUM(name, val, ...) MEM_OP_##name = val,
enum mem_opcode { MEM_OPCODES(MEM_OPCODE_ENUM) };
#undef MEM_OPCODE_ENUM

/* Requests that send a page buffer (FETCH only with MEM_FETCH_VICTIM). */
#define MEM_PAGE_IN(op)                                                     \
	((op) == MEM_OP_P2M_FETCH || (op) == MEM_OP_P2M_WRITEBACK ||         \
	 (op) == MEM_OP_M2M_WRITEBACK)
/* Replies that may return a page buffer (when result is MEM_LINE_DATA). */
#define MEM_PAGE_OUT(op) ((op) == MEM_OP_P2M_FETCH || (op) == MEM_OP_M2M_FETCH)

/* Last: rpc.h splices this protocol's opcodes into RPC_OPCODES. */
#include <tessera/wire/rpc.h>

#endif
