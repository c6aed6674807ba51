/*
 * The global managers (GPM, GMM, GSM): one Linux program, three roles.
 * Every role shares the membership registry (who is in the cluster, who
 * is alive), the CLI socket and the transport; a role adds its own RPC
 * handlers, CLI commands and placement policy. All mutable state of a
 * manager is declared here.
 *
 * Locking: registry->lock guards every field of the registry and of its
 * components (placement counters included). gpm->lock guards the vNode
 * table and GPM's peers to GMM and GSM; it is taken before registry->lock,
 * never after, and is held across the calls that place a new vNode.
 * gpm->launch_lock guards the launch table and each launch's done, lost
 * and exit fields; no other lock is taken inside it and it is held only
 * to write a launch's output to its CLI connection. No other lock is held
 * across an RPC call.
 */
#ifndef MANAGERS_MGR_H
#define MANAGERS_MGR_H

#include <pthread.h>
#include <stddef.h>

#include <tessera/types.h>
#include <tessera/wire/mgr.h>
#include <tessera/wire/proc.h>

struct rpc_ep;
struct rpc_peer;
struct rpc_req;

#define MGR_MAX_COMPS 64
#define MGR_MAX_VNODES 64
#define MGR_OUT_MAX 16384

enum mgr_comp_state { MGR_ALIVE, MGR_DEAD };

/* One component as last reported, plus what this manager placed on it. */
struct mgr_comp {
	u32 id;
	u16 role; /* enum mgr_role */
	u16 state; /* enum mgr_comp_state */
	char name[MGR_NAME_MAX];
	u32 ip;
	u32 incarnation;
	u64 nonce;
	u32 cores, load;
	u64 ram_bytes, ram_free, disk_bytes;
	u64 last_hb_ns; /* last register or heartbeat */
	u32 placed; /* processes (GPM), homes (GMM), vNodes (GSM) placed here */
	u32 vregions; /* vRegions this component owns (GMM) */
};

/* Rejected messages, by reason, and events. */
struct mgr_counters {
	u64 registered, heartbeats, deaths;
	u64 bad_len, bad_version, bad_role, bad_name, bad_key, unknown_id;
};

struct mgr_registry {
	pthread_mutex_t lock;
	const char *who; /* the manager's name, prefix of its log lines */
	u64 key, epoch, start_ns;
	u32 heartbeat_ms, dead_ms;
	u32 n, next_id;
	struct mgr_comp comps[MGR_MAX_COMPS];
	struct mgr_counters c;
};

/* Text a command answers with (the CLI prints it as is). A command that
 * streams its answer (run) writes to fd, the CLI connection, as it goes:
 * mgr_out_flush sends what buf holds so far. */
struct mgr_out {
	int fd; /* -1: no connection (tests) */
	size_t len;
	char buf[MGR_OUT_MAX];
};
void mgr_outf(struct mgr_out *o, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* Write buf to fd and empty it: 0, or -1 if the connection is gone. */
int mgr_out_flush(struct mgr_out *o);
/* Write len bytes to the CLI connection fd: 0 or -1. */
int mgr_write_all(int fd, const void *buf, size_t len);

/* --- registry (mgr_registry.c) --- */
void mgr_registry_init(struct mgr_registry *r, const char *who, u64 key,
		       u32 heartbeat_ms, u32 dead_ms);
/* Handle a C2G_REGISTER / C2G_HEARTBEAT body of len bytes at time now.
 * Malformed or refused messages are counted and answered -errno. */
int mgr_register(struct mgr_registry *r, const void *body, u32 len,
		 u32 src_ip, struct c2g_register_reply *rep, u64 now);
int mgr_heartbeat(struct mgr_registry *r, const void *body, u32 len,
		  struct c2g_heartbeat_reply *rep, u64 now);
/* Declare dead every alive component silent for dead_ms; how many. */
int mgr_sweep(struct mgr_registry *r, u64 now);
/* Serve C2G_REGISTER and C2G_HEARTBEAT on ep. */
int mgr_registry_serve(struct mgr_registry *r, struct rpc_ep *ep);
/* The name of the component at ip ("?" if unknown); r->lock held. */
const char *mgr_name_of(struct mgr_registry *r, u32 ip);
struct mgr_comp *mgr_find_ip(struct mgr_registry *r, u32 ip);
/* in copied to out (cap bytes, always terminated) with each dotted
 * address of a known component replaced by its name; r->lock held. */
void mgr_names_in(struct mgr_registry *r, const char *in, char *out, size_t cap);
const char *mgr_role_name(u16 role);
u64 mgr_now_ns(void);

/* --- CLI text (mgr_nodes.c) --- */
void mgr_nodes(struct mgr_registry *r, struct mgr_out *o, u64 now);
void mgr_stats(struct mgr_registry *r, struct mgr_out *o);
void mgr_ip_str(u32 ip, char *buf, size_t cap);

/* --- placement policies: index into comps[0..n) or -1 --- */
int gpm_pick_processor(const struct mgr_comp *comps, u32 n);
int gmm_pick_home(const struct mgr_comp *comps, u32 n);
int gmm_pick_owner(const struct mgr_comp *comps, u32 n, u32 not_ip);
int gsm_pick_storage(const struct mgr_comp *comps, u32 n);

/* --- the daemon --- */
struct mgr_opts {
	const char *role, *name, *transport, *listen, *cli;
	u8 mac[6];
	u32 ip, gmm_ip, gsm_ip;
	u64 key;
	u32 heartbeat_ms, dead_ms;
};

struct mgr;

/* --- GPM's state (gpm.c: vNodes, gpm_run.c: launches) --- */
struct gpm_vnode {
	u32 id;
	char name[MGR_NAME_MAX];
	u32 processor_ip, home_ip, owner_ip, storage_ip;
	u32 backup_ip; /* the home's replica, 0: none */
};

/* A program started by `tessera run`, from EXEC until its CLI request
 * has been answered. */
struct gpm_launch {
	u64 id;
	int fd; /* the CLI connection its output is written to */
	bool done; /* [launch_lock] P2GP_EXIT came */
	bool lost; /* [launch_lock] the CLI connection is gone */
	struct p2gp_exit_msg exit; /* [launch_lock] valid once done */
	u32 processor_ip, vnode, pid; /* [launch_lock] once started (pid != 0) */
	pthread_t pump;   /* its stdin pump (gpm_input.c), if pumping */
	bool pumping;     /* [the run's thread] */
};

#define GPM_MAX_LAUNCHES 64

struct gpm {
	pthread_mutex_t lock;
	struct rpc_peer *gmm, *gsm; /* [lock] */
	u32 n, next_id; /* [lock] */
	struct gpm_vnode vnodes[MGR_MAX_VNODES]; /* [lock] */
	pthread_mutex_t launch_lock;
	pthread_cond_t launch_cond; /* a launch is done */
	u64 next_launch; /* [launch_lock] */
	struct gpm_launch *launches[GPM_MAX_LAUNCHES]; /* [launch_lock] */
};

/* The vNode called name (created if create and there is none), or a new
 * vNode with a fresh name when name is NULL, copied to *v. 0, or -errno
 * with an error line in o. Takes gpm->lock. */
int gpm_vnode_get(struct mgr *m, const char *name, bool create, struct gpm_vnode *v,
		  struct mgr_out *o);
/* Forget vNode id (a run's own vNode, once the run is over). */
void gpm_vnode_remove(struct mgr *m, u32 id);
/* `run [--vnode NAME] [--excache BYTES] PATH ARGS...` (ARGS %-encoded):
 * 0 once the program's exit has been written to o, or -errno. */
int gpm_run(struct mgr *m, int argc, char **argv, struct mgr_out *o);
/* Serve P2GP_OUTPUT and P2GP_EXIT on m->ep. */
int gpm_run_serve(struct mgr *m);
/* Where launch id runs: its pComponent, vNode and first process. 0, or
 * -ENOENT if it is not running. */
int gpm_launch_where(struct mgr *m, u64 id, u32 *ip, u32 *vnode, u32 *pid);
/* gpm_input.c: pump the CLI connection's bytes after the request line to
 * launch l's stdin on its pComponent at ip, until end of file or the
 * run's end; gpm_input_stop (the run's thread, once l is done) ends it. */
int gpm_input_start(struct mgr *m, struct gpm_launch *l, u32 ip);
void gpm_input_stop(struct gpm_launch *l);
/* gpm_files.c: `cp-in VNODE PATH SIZE MODE` (SIZE bytes follow on the
 * CLI connection) and `cp-out VNODE PATH`: 0 or -errno with an error line
 * in o. put writes size bytes read from fd into path on v's storage
 * (made or emptied, with mode), get streams path to o in data frames,
 * unlink removes path (an empty directory if is_dir) and commits. */
int gpm_files_command(struct mgr *m, int argc, char **argv, struct mgr_out *o);
int gpm_files_put(struct mgr *m, const struct gpm_vnode *v, const char *path, u64 size,
		  u32 mode, int fd, struct mgr_out *o);
int gpm_files_get(struct mgr *m, const struct gpm_vnode *v, const char *path,
		  struct mgr_out *o);
int gpm_files_unlink(struct mgr *m, const struct gpm_vnode *v, const char *path, bool is_dir);
/* The directory path (made if missing). 0, or -errno with a line in o. */
int gpm_files_mkdir(struct mgr *m, const struct gpm_vnode *v, const char *path,
		    struct mgr_out *o);
/* gpm_proc.c: `ps [VNODE]`, `kill VNODE PID SIGNO` and `signal LAUNCH
 * SIGNO` (to the launch's process group): 0, -errno, or 1 if argv is
 * none of these. */
int gpm_proc_command(struct mgr *m, int argc, char **argv, struct mgr_out *o);

/* A role: its RPC handlers and CLI commands besides nodes/stats. */
struct mgr_role_ops {
	const char *name;
	int (*start)(struct mgr *m);
	/* 0 with output, 1 if the command is not this role's, or -errno
	 * with an error line in o. */
	int (*command)(struct mgr *m, int argc, char **argv, struct mgr_out *o);
};

struct mgr {
	struct mgr_opts opts;
	const struct mgr_role_ops *ops;
	struct rpc_ep *ep;
	struct mgr_registry reg;
	void *role_state;
};

extern const struct mgr_role_ops gpm_ops, gmm_ops, gsm_ops;

/* The transports; see mgr_transport_*.c. 0 with m->ep set, or -errno
 * after printing one line. */
struct mgr_transport {
	const char *name;
	int (*start)(struct mgr *m);
};
extern const struct mgr_transport mgr_transport_fabric, mgr_transport_verbs;

/* The CLI socket (mgr_cli.c): serves requests in its own thread. */
int mgr_cli_start(struct mgr *m);
int mgr_cli_run(struct mgr *m, char *line, struct mgr_out *o);

#endif
