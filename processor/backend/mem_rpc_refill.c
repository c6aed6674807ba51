/*
 * A new backup for a process whose backup failed or was promoted
 * (mem_rpc_priv.h). When the process next misses (its mm_lock held, so
 * its address space stays as it is), at most once a second:
 *   1. GMM names an alive mComponent other than the primary (P2G_BACKUP);
 *   2. the primary sets the process up there with its VMAs and break and
 *      no lines (P2M_REPLICATE with MEM_REPL_SETUP);
 *   3. it becomes the backup: every change goes to it from now on, but it
 *      is "filling": should the primary fail now, it is not promoted;
 *   4. a thread has the primary copy every line it holds over, a batch
 *      per request (memory/mem_replica.c says why none is lost or stale);
 *      then the backup is whole and filling ends.
 * Any failure drops the new backup; a miss a second after the failure
 * tries again. A restarted (empty) mComponent rejoins this way, as a backup.
 */
#include <tessera/cluster/peer.h>
#include <tessera/errno.h>
#include <tessera/kmalloc.h>
#include <tessera/printk.h>
#include <tessera/thread.h>
#include <tessera/time.h>
#include <tessera/wire/mem.h>
#include <tessera/wire/mgr.h>

#include "processor/backend/mem_rpc_priv.h"

#define PMEM_REFILL_EVERY_NS NSEC_PER_SEC
#define PMEM_REFILL_ASK_NS (NSEC_PER_SEC / 2) /* a miss waits for GMM no longer */
#define PMEM_IP(ip) (ip) >> 24, (ip) >> 16 & 255, (ip) >> 8 & 255, (ip) & 255

struct pmem_refill {
	struct pmem_rpc *r;
	u32 pid, primary, backup;
};

static struct pmem_rpc_home *pmem_refill_entry(struct pmem_rpc *r, u32 pid)
{
	struct pmem_rpc_home *h = r->homes[pid % PMEM_RPC_BUCKETS];

	while (h && h->pid != pid)
		h = h->next;
	return h;
}

/* Take pid's refill if one is due: true and its primary. */
static bool pmem_refill_claim(struct pmem_rpc *r, u32 pid, u32 *primary)
{
	struct pmem_rpc_home *h;
	u64 now = time_ns();
	bool due;

	spin_lock(&r->homes_lock);
	h = pmem_refill_entry(r, pid);
	due = h && h->replicated && h->ip[0] && !h->ip[1] && !h->filling &&
	      now >= h->next_try_ns;
	if (due) {
		h->filling = true;
		h->next_try_ns = now + PMEM_REFILL_EVERY_NS;
		*primary = h->ip[0];
	}
	spin_unlock(&r->homes_lock);
	return due;
}

/* backup becomes pid's backup if primary is still its primary. */
static bool pmem_refill_attach(struct pmem_rpc *r, u32 pid, u32 primary, u32 backup)
{
	struct pmem_rpc_home *h;
	bool ok;

	spin_lock(&r->homes_lock);
	h = pmem_refill_entry(r, pid);
	ok = h && h->ip[0] == primary && !h->ip[1];
	if (ok)
		h->ip[1] = backup;
	spin_unlock(&r->homes_lock);
	return ok;
}

/* The refill ends: whole (the backup is a replica now) or not (it is
 * dropped if it is still there). Whether backup is still pid's backup. */
static bool pmem_refill_end(struct pmem_rpc *r, u32 pid, u32 backup, bool whole)
{
	struct pmem_rpc_home *h;
	bool there;

	spin_lock(&r->homes_lock);
	h = pmem_refill_entry(r, pid);
	there = h && backup && h->ip[1] == backup;
	if (h) {
		h->filling = false;
		if (!whole)
			h->next_try_ns = time_ns() + PMEM_REFILL_EVERY_NS;
		if (there && !whole)
			h->ip[1] = 0;
	}
	spin_unlock(&r->homes_lock);
	return there;
}

/* GMM's pick of a new backup for pid, 0 if none. */
static u32 pmem_refill_pick(struct pmem_rpc *r, u32 pid, u32 primary)
{
	struct p2g_backup_msg q = { .version = MGR_VERSION, .pid = pmem_rpc_wire_pid(r, pid),
				    .primary_ip = primary };
	struct p2g_backup_reply rep;
	int got = peer_call(r->gmm_ip, P2G_BACKUP, &q, sizeof(q), &rep, sizeof(rep),
			    PMEM_REFILL_ASK_NS);

	if (got != sizeof(rep) || rep.version != MGR_VERSION || rep.backup_ip == primary)
		return 0;
	return rep.backup_ip;
}

/* One P2M_REPLICATE at the primary; *next and *copied from its reply. */
static int pmem_refill_call(const struct pmem_refill *j, u32 flags, u64 from, u64 *next,
			    u32 *copied)
{
	struct p2m_replicate_msg m = { .pid = pmem_rpc_wire_pid(j->r, j->pid), .to = j->backup,
				       .flags = flags, .max = flags ? 0 : MEM_REPL_MAX,
				       .from = from };
	struct p2m_replicate_reply rep;
	int got = pmem_rpc_call_at(j->r, j->primary, P2M_REPLICATE, &m, sizeof(m), &rep,
				   sizeof(rep), false);

	if (got < 0)
		return got;
	*next = rep.next;
	*copied = rep.copied;
	return 0;
}

/* The thread of step 4. */
static void pmem_refill_run(void *arg)
{
	struct pmem_refill *j = arg;
	u64 from = 0, lines = 0;
	u32 copied;
	int err = 0;

	while (from != MEM_REPL_DONE && !err) {
		err = pmem_refill_call(j, 0, from, &from, &copied);
		lines += copied;
	}
	if (pmem_refill_end(j->r, j->pid, j->backup, !err) && !err)
		pr_info("pmem: pid %u: new backup %u.%u.%u.%u filled (%lu lines)\n",
			j->pid & 0xffff, PMEM_IP(j->backup), lines);
	else
		pr_warn("pmem: pid %u: new backup %u.%u.%u.%u not filled (%d)\n",
			j->pid & 0xffff, PMEM_IP(j->backup), err);
	kfree(j);
}

void pmem_rpc_refill(struct pmem_rpc *r, u32 pid)
{
	struct pmem_refill *j;
	u32 primary, copied;
	u64 next;
	int err;

	if (!r->gmm_ip || !pmem_refill_claim(r, pid, &primary))
		return;
	j = kmalloc(sizeof(*j));
	if (!j) {
		pmem_refill_end(r, pid, 0, false);
		return;
	}
	*j = (struct pmem_refill){ r, pid, primary, pmem_refill_pick(r, pid, primary) };
	err = j->backup ? pmem_refill_call(j, MEM_REPL_SETUP, 0, &next, &copied) : -ENODEV;
	if (!err && !pmem_refill_attach(r, pid, primary, j->backup))
		err = -ESTALE;
	if (!err)
		err = thread_spawn(pmem_refill_run, j, "pmem.refill");
	if (err && err != -ENODEV)
		pr_warn("pmem: pid %u: new backup %u.%u.%u.%u not set up (%d)\n", pid & 0xffff,
			PMEM_IP(j->backup), err);
	if (err) {
		pmem_refill_end(r, pid, j->backup, false);
		kfree(j);
	}
}
