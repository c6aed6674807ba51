/*
 * Inside the RPC memory backend (mem_rpc.c: the ops; mem_rpc_replica.c:
 * where each process's memory is and what happens when a replica fails;
 * mem_rpc_refill.c: a new backup for one that failed).
 *
 * A process's memory is kept by one or two mMonitors, its replicas:
 * ip[0], the primary, serves fetches; every request that changes memory
 * goes to both and is done only when both answered alike: a line (a
 * write-back, a victim riding on a fetch) to the two at once, since
 * storing a line twice is harmless; mmap, munmap, mprotect, brk, fork,
 * create and exec to the primary and then to the backup, ip[1], so that
 * each replica applies each of them once. A replica that does not
 * answer (the call times out, the connection is reset or refused) or no
 * longer knows the process (it restarted empty: -ESRCH) has failed: the
 * backup becomes the primary and the request is retried there. When no
 * replica is left the process's memory is lost: calls fail with
 * -EHOSTUNREACH and pmem_ops.lost says which mMonitors failed.
 *
 * Locking: homes_lock (spinlock, rank LOCK_RANK_MEM_HOMES) guards every
 * entry; it is never held across a call or an allocation. One process's
 * address-space calls are ordered by the pMonitor (its mm_lock), so the
 * replicas see them in the same order; two stores of one line are never
 * in flight together (the ExCache set lock).
 */
#ifndef PROCESSOR_BACKEND_MEM_RPC_PRIV_H
#define PROCESSOR_BACKEND_MEM_RPC_PRIV_H

#include <tessera/cluster/peer.h>
#include <tessera/lock.h>
#include <tessera/types.h>

#define PMEM_RPC_BUCKETS 256
#define PMEM_REPLICAS 2

struct pmem_rpc_home {
	struct pmem_rpc_home *next; /* [homes_lock] bucket chain */
	u32 pid;
	u32 ip[PMEM_REPLICAS];     /* [homes_lock] primary, backup; 0: none */
	u32 failed[PMEM_REPLICAS]; /* [homes_lock] replicas lost, in order */
	u32 nfailed;               /* [homes_lock] */
	bool replicated;           /* given a backup: MEM_PROC_REPLICA homes */
	bool filling;              /* [homes_lock] a new backup is being set up
				    * or filled (ip[1], once set, is not yet a
				    * whole replica) */
	u64 next_try_ns;           /* [homes_lock] the next look for a backup */
};

struct pmem_rpc {
	u32 default_home;
	u32 gmm_ip; /* where new backups come from; 0: none (set once) */
	u32 pid_base; /* (self ip & 0xffff) << 16, see mem_rpc.c */
	struct spinlock homes_lock;
	struct pmem_rpc_home *homes[PMEM_RPC_BUCKETS]; /* [homes_lock] */
	u64 bytes; /* atomic */
};

/* pid's replicas now: out[0] the primary (0: none left), out[1] the
 * backup (0: none); a pid never given any uses default_home alone.
 * Returns whether pid was given a backup. */
bool pmem_rpc_replicas(struct pmem_rpc *r, u32 pid, u32 out[PMEM_REPLICAS]);
/* pid's replicas are home and backup (0: none) from now on. 0 or -ENOMEM. */
int pmem_rpc_home_set(struct pmem_rpc *r, u32 pid, u32 home, u32 backup);
/* child's replicas are parent's as they are now. 0 or -ENOMEM. */
int pmem_rpc_home_copy(struct pmem_rpc *r, u32 parent, u32 child);
/* Forget pid (it exited, or its fork failed). */
void pmem_rpc_forget(struct pmem_rpc *r, u32 pid);
void pmem_rpc_forget_all(struct pmem_rpc *r);

/* Did a call that returned err show that its replica is gone? */
bool pmem_rpc_gone(int err);

/* One call to the mMonitor at ip; the reply must be exactly want bytes
 * (or, with page_ok, want + a page). The reply length, or -errno. */
int pmem_rpc_call_at(struct pmem_rpc *r, u32 ip, u16 op, const void *req, u32 len,
		     void *reply, u32 want, bool page_ok);
/* The call at pid's primary, failing over to the backup when the primary
 * is gone; -EHOSTUNREACH when no replica is left. */
int pmem_rpc_call(struct pmem_rpc *r, u32 pid, u16 op, const void *req, u32 len,
		  void *reply, u32 want, bool page_ok);
/* A change: pmem_rpc_call, then the same request at the backup, if any,
 * which must answer as the primary did (else it is dropped as failed).
 * Replies of want <= PMEM_RPC_SMALL bytes, no page. */
#define PMEM_RPC_SMALL 32
int pmem_rpc_call_all(struct pmem_rpc *r, u32 pid, u16 op, const void *req, u32 len,
		      void *reply, u32 want);
/* A line stored at the backup while the primary is called: side_start
 * sends req (a P2M_WRITEBACK body with its page) to the backup, if any,
 * without waiting; side_end waits for its answer, which must be want when
 * compare, and also stores the line at a backup that came meanwhile. A
 * write-back may reach a replica twice (the primary failed and the call
 * was retried at the promoted backup): storing a line is idempotent. req
 * must stay valid until side_end. */
struct pmem_rpc_side {
	u32 ip; /* the backup called, 0: none */
	int started; /* 0, or why the call could not be sent */
	const void *req;
	u32 len;
	struct peer_pending pp;
};
void pmem_rpc_side_start(struct pmem_rpc *r, u32 pid, const void *req, u32 len,
			 struct pmem_rpc_side *sd);
void pmem_rpc_side_end(struct pmem_rpc *r, u32 pid, struct pmem_rpc_side *sd, bool compare,
		       int want);

/* mem_rpc_refill.c: give pid a new backup if it lost one and it is time
 * to look (once a second): GMM names one, the primary sets pid up there
 * (the caller holds the process's address space still: its mm_lock) and a
 * thread has the primary copy every line over. */
void pmem_rpc_refill(struct pmem_rpc *r, u32 pid);

/* The pid messages carry for local pid. */
static inline u32 pmem_rpc_wire_pid(const struct pmem_rpc *r, u32 pid)
{
	return r->pid_base | (pid & 0xffff);
}

/* pmem_ops.lost */
bool pmem_rpc_lost(void *be, u32 pid, char *why, u32 cap);

#endif
