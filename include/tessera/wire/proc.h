/*
 * The launch protocol: GPM starts a program on a pMonitor (GP2P_EXEC)
 * and the pMonitor streams the program's output back (P2GP_OUTPUT) and
 * reports its end (P2GP_EXIT). Bodies follow struct rpc_hdr (wire/rpc.h);
 * PROC_OPCODES below is spliced into RPC_OPCODES (0x600..0x6ff are ours).
 *
 * A launch is named by GPM's launch id, echoed in every OUTPUT and EXIT.
 * The pMonitor answers EXEC once the program is loaded (or with the
 * -errno of its lookup and ELF checks: -ENOENT, -ENOEXEC, ...); it sends
 * one OUTPUT per write the program makes (split at PROC_OUTPUT_MAX), each
 * a blocking call, so they arrive in order; EXIT comes after the last.
 *
 * Every body starts with the protocol version; fields are fixed width,
 * little-endian; string areas are NUL-separated and checked by the
 * receiver (proc_exec_strings) before use.
 */
#ifndef TESSERA_WIRE_PROC_H
#define TESSERA_WIRE_PROC_H

#include <tessera/types.h>

#define PROC_VERSION 1
#define PROC_ARGS_MAX 64      /* argv entries, argv[0] included */
#define PROC_STRS_MAX 4096    /* path and argv bytes, NULs included */
#define PROC_PATH_MAX 256     /* bytes, NUL included */
#define PROC_REASON_MAX 80    /* bytes, NUL included */
#define PROC_OUTPUT_MAX 4096  /* bytes of one OUTPUT */

/* GPM to the chosen pMonitor: run path with argv in a vNode. strs holds
 * path, NUL, then argc strings (argv[0] first), each NUL-terminated:
 * strs_len bytes in all, and the body is exactly that long. */
struct gp2p_exec_msg {
	u16 version;
	u16 argc;      /* 1..PROC_ARGS_MAX */
	u32 vnode;     /* GPM's vNode id */
	u64 launch;    /* GPM's launch id */
	u32 home_ip;   /* the vNode's home mMonitor */
	u32 storage_ip; /* the vNode's sMonitor */
	u64 excache_bytes; /* cap on the process's ExCache lines; 0: none */
	u32 strs_len;
	u32 backup_ip; /* the mMonitor keeping the replica, 0: none */
	char strs[PROC_STRS_MAX];
};
_Static_assert(sizeof(struct gp2p_exec_msg) == 40 + PROC_STRS_MAX, "gp2p_exec_msg");
#define PROC_EXEC_HDR (sizeof(struct gp2p_exec_msg) - PROC_STRS_MAX)

struct gp2p_exec_reply {
	u16 version;
	u16 pad;
	u32 pid; /* the process's id on the pMonitor */
	u64 excache_bytes; /* the ExCache the process may use */
};
_Static_assert(sizeof(struct gp2p_exec_reply) == 16, "gp2p_exec_reply");

#define PROC_STDOUT 1
#define PROC_STDERR 2

/* pMonitor to GPM: bytes the program wrote to fd 1 or 2. */
struct p2gp_output_msg {
	u16 version;
	u16 stream; /* PROC_STDOUT or PROC_STDERR */
	u32 len;    /* bytes in data; the body is exactly that long */
	u64 launch;
	u8 data[PROC_OUTPUT_MAX];
};
_Static_assert(sizeof(struct p2gp_output_msg) == 16 + PROC_OUTPUT_MAX, "p2gp_output_msg");
#define PROC_OUTPUT_HDR (sizeof(struct p2gp_output_msg) - PROC_OUTPUT_MAX)

/* The fault path's and the ExCache's counters of one process. */
struct proc_wire_stats {
	u64 misses, zero_fills, file_fills, fetches;
	u64 soft_hits, evictions, writebacks;
	u64 run_ns; /* from EXEC to exit */
	/* Misses that fetched from the memory backend, fault to resume
	 * (of the first few thousand): median and 99th percentile. */
	u64 miss_median_ns, miss_p99_ns;
	/* Forks the program made, and the bytes the pMonitor's memory
	 * client moved for them (dirty lines written back, the fork
	 * request) and for its children's exits. */
	u64 forks, fork_bytes;
};
_Static_assert(sizeof(struct proc_wire_stats) == 96, "proc_wire_stats");

/* pMonitor to GPM: the program ended. status is as wait(2) decodes it
 * (0..255; 128+N for death by signal N); reason is "" for a normal exit,
 * else one line ("segmentation fault at 0x0 (rip 0x401000)"). */
struct p2gp_exit_msg {
	u16 version;
	u16 pad;
	s32 status;
	u64 launch;
	char reason[PROC_REASON_MAX];
	struct proc_wire_stats stats;
};
_Static_assert(sizeof(struct p2gp_exit_msg) == 16 + PROC_REASON_MAX + 96, "p2gp_exit_msg");

/* GPM to the pMonitor: bytes for the launch's stdin. fd 0 of the
 * launch's first process is a pipe (inherited by its children) whose
 * write end the launch holds: INPUT writes into it what fits without
 * waiting, and the reply says how much that was (GPM sends the rest
 * again later); PROC_INPUT_EOF (len 0) closes the write end, so readers
 * see end of file. -ENOENT: no such launch (over, or never); -EPIPE:
 * every reader has closed it. */
#define PROC_INPUT_MAX 4096
#define PROC_INPUT_EOF 1u
struct gp2p_input_msg {
	u16 version;
	u16 flags;  /* PROC_INPUT_EOF */
	u32 len;    /* bytes in data; the body is exactly that long */
	u64 launch;
	u8 data[PROC_INPUT_MAX];
};
_Static_assert(sizeof(struct gp2p_input_msg) == 16 + PROC_INPUT_MAX, "gp2p_input_msg");
#define PROC_INPUT_HDR (sizeof(struct gp2p_input_msg) - PROC_INPUT_MAX)

struct gp2p_input_reply {
	u16 version;
	u16 pad;
	u32 taken; /* bytes the pipe took: 0..len */
};
_Static_assert(sizeof(struct gp2p_input_reply) == 8, "gp2p_input_reply");

/* GPM to the pMonitor: kill(pid, signo) as a process of vNode vnode
 * would call it (pid > 0: that process; pid < -1: the group -pid, within
 * the vNode). Empty reply; -ESRCH if no process matched, -EINVAL for a
 * bad signal or pid. */
struct gp2p_kill_msg {
	u16 version;
	u16 signo; /* 1..64 */
	u32 vnode;
	s32 pid;
	u32 pad;
};
_Static_assert(sizeof(struct gp2p_kill_msg) == 16, "gp2p_kill_msg");

/* GPM to the pMonitor: the threads of the processes of vNode vnode (0:
 * all), one entry each (a zombie: one, its tid its pid), those at or past
 * (from, from_tid) in (pid, tid) order, up to PROC_PS_MAX; more says
 * whether the list went on (ask again from the last pid and tid + 1). */
struct gp2p_ps_msg {
	u16 version;
	u16 pad;
	u32 vnode;
	u32 from;
	u32 from_tid;
};
_Static_assert(sizeof(struct gp2p_ps_msg) == 16, "gp2p_ps_msg");

#define PROC_PS_MAX 64
#define PROC_COMM_MAX 16
#define PROC_ARGS_SHOW 48
struct proc_ps_entry {
	u32 pid, ppid, pgid, sid;
	u32 vnode;
	u32 lines;  /* its lines in the pMonitor's ExCache */
	u8 state;   /* the thread's, as Linux's ps shows it: 'R', 'S', 'T' or 'Z' */
	u8 cpu;     /* the CPU the thread runs or last ran on */
	u8 pad[2];
	u32 tid;
	char comm[PROC_COMM_MAX]; /* NUL-terminated */
	char args[PROC_ARGS_SHOW]; /* argv joined by spaces, cut short; NUL-terminated */
};
_Static_assert(sizeof(struct proc_ps_entry) == 96, "proc_ps_entry");

struct gp2p_ps_reply {
	u16 version;
	u16 count; /* entries that follow: the body is exactly that long */
	u32 more;  /* 1: processes past the last entry remain */
	struct proc_ps_entry e[PROC_PS_MAX];
};
_Static_assert(sizeof(struct gp2p_ps_reply) == 8 + 96 * PROC_PS_MAX, "gp2p_ps_reply");
#define PROC_PS_HDR (sizeof(struct gp2p_ps_reply) - 96 * PROC_PS_MAX)

/* X(name, value, request body bounds, reply body bounds), the format of
 * RPC_OPCODES in wire/rpc.h. OUTPUT and EXIT have empty replies. */
#define PROC_OPCODES(X)                                                  \
	X(GP2P_EXEC, 0x600, PROC_EXEC_HDR + 2, sizeof(struct gp2p_exec_msg), \
	  RPC_FIXED(struct gp2p_exec_reply))                             \
	X(P2GP_OUTPUT, 0x620, PROC_OUTPUT_HDR + 1,                       \
	  sizeof(struct p2gp_output_msg), 0, 0)                          \
	X(GP2P_INPUT, 0x601, PROC_INPUT_HDR, sizeof(struct gp2p_input_msg), \
	  RPC_FIXED(struct gp2p_input_reply))                            \
	X(GP2P_KILL, 0x602, RPC_FIXED(struct gp2p_kill_msg), 0, 0)       \
	X(GP2P_PS, 0x603, RPC_FIXED(struct gp2p_ps_msg), PROC_PS_HDR,    \
	  sizeof(struct gp2p_ps_reply))                                  \
	X(P2GP_EXIT, 0x621, RPC_FIXED(struct p2gp_exit_msg), 0, 0)

/* Last: rpc.h splices this protocol's opcodes into RPC_OPCODES. */
#include <tessera/wire/rpc.h>

#endif
