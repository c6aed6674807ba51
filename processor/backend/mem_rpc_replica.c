/*
 * Where each process's memory is kept and what a failed replica changes
 * (mem_rpc_priv.h has the rules and the locking). Failures are learnt on
 * the call that meets them: the call waits out its own timeout (other
 * processes' calls and the monitor's membership go on meanwhile), the
 * replica is dropped for that process, and the request goes to the one
 * left. The process's first call to a restarted, empty mMonitor is
 * answered -ESRCH, which drops it the same way.
 */
#include <tessera/cluster/peer.h>
#include <tessera/errno.h>
#include <tessera/fmt.h>
#include <tessera/kmalloc.h>
#include <tessera/net/rpc.h>
#include <tessera/printk.h>
#include <tessera/string.h>
#include <tessera/time.h>
#include <tessera/wire/mem.h>

#include "processor/backend/mem_rpc.h"
#include "processor/backend/mem_rpc_priv.h"

#define PMEM_RPC_CALL_NS (5 * NSEC_PER_SEC)
#define PMEM_IP(ip) (ip) >> 24, (ip) >> 16 & 255, (ip) >> 8 & 255, (ip) & 255

static struct pmem_rpc_home **pmem_rpc_slot(struct pmem_rpc *r, u32 pid)
{
	struct pmem_rpc_home **pp = &r->homes[pid % PMEM_RPC_BUCKETS];

	while (*pp && (*pp)->pid != pid)
		pp = &(*pp)->next;
	return pp;
}

bool pmem_rpc_replicas(struct pmem_rpc *r, u32 pid, u32 out[PMEM_REPLICAS])
{
	struct pmem_rpc_home *h;
	bool replicated = false;

	spin_lock(&r->homes_lock);
	h = *pmem_rpc_slot(r, pid);
	out[0] = h ? h->ip[0] : r->default_home;
	out[1] = h ? h->ip[1] : 0;
	if (h)
		replicated = h->replicated;
	spin_unlock(&r->homes_lock);
	return replicated;
}

/* Put fresh (allocated by the caller) in as pid's entry, or update the
 * one there from it; what is left over to free. homes_lock held. */
static struct pmem_rpc_home *pmem_rpc_put(struct pmem_rpc *r, struct pmem_rpc_home *fresh)
{
	struct pmem_rpc_home **pp = pmem_rpc_slot(r, fresh->pid);

	if (!*pp) {
		*pp = fresh;
		return NULL;
	}
	fresh->next = (*pp)->next;
	**pp = *fresh;
	return fresh;
}

int pmem_rpc_home_set(struct pmem_rpc *r, u32 pid, u32 home, u32 backup)
{
	struct pmem_rpc_home *fresh = kzalloc(sizeof(*fresh));

	if (!fresh)
		return -ENOMEM;
	*fresh = (struct pmem_rpc_home){ .pid = pid, .ip = { home, backup },
					 .replicated = backup != 0 };
	spin_lock(&r->homes_lock);
	fresh = pmem_rpc_put(r, fresh);
	spin_unlock(&r->homes_lock);
	kfree(fresh);
	return 0;
}

int pmem_rpc_home_copy(struct pmem_rpc *r, u32 parent, u32 child)
{
	struct pmem_rpc_home *fresh = kzalloc(sizeof(*fresh)), *h;

	if (!fresh)
		return -ENOMEM;
	spin_lock(&r->homes_lock);
	h = *pmem_rpc_slot(r, parent);
	if (h)
		*fresh = *h;
	else
		fresh->ip[0] = r->default_home;
	if (fresh->filling)
		fresh->ip[1] = 0; /* the child looks for a whole one itself */
	fresh->filling = false;
	fresh->pid = child;
	fresh->next = NULL;
	fresh = pmem_rpc_put(r, fresh);
	spin_unlock(&r->homes_lock);
	kfree(fresh);
	return 0;
}

void pmem_rpc_forget(struct pmem_rpc *r, u32 pid)
{
	struct pmem_rpc_home **pp, *h;

	spin_lock(&r->homes_lock);
	pp = pmem_rpc_slot(r, pid);
	h = *pp;
	if (h)
		*pp = h->next;
	spin_unlock(&r->homes_lock);
	kfree(h);
}

void pmem_rpc_forget_all(struct pmem_rpc *r)
{
	for (u32 i = 0; i < PMEM_RPC_BUCKETS; i++)
		while (r->homes[i]) {
			struct pmem_rpc_home *h = r->homes[i];

			r->homes[i] = h->next;
			kfree(h);
		}
}

bool pmem_rpc_gone(int err)
{
	return err == -ETIMEDOUT || err == -ECONNRESET || err == -ECONNREFUSED ||
	       err == -ECONNABORTED || err == -ENETDOWN || err == -ESRCH;
}

/* The replica ip of pid failed with err: drop it (the backup becomes the
 * primary, unless it is still being filled) and remember it for the
 * reason (the last two failures). Another caller may have
 * dropped it already. false: pid has no entry (it uses the default home,
 * which is never dropped). */
static bool pmem_rpc_fail(struct pmem_rpc *r, u32 pid, u32 ip, int err)
{
	struct pmem_rpc_home *h;
	u32 now = 0;
	bool dropped = false, known;

	spin_lock(&r->homes_lock);
	h = *pmem_rpc_slot(r, pid);
	known = h != NULL;
	if (h && (h->ip[0] == ip || h->ip[1] == ip)) {
		if (h->ip[0] == ip)
			h->ip[0] = h->filling ? 0 : h->ip[1]; /* half a replica is none */
		h->ip[1] = 0;
		if (h->nfailed == PMEM_REPLICAS)
			h->failed[0] = h->failed[--h->nfailed];
		h->failed[h->nfailed++] = ip;
		now = h->ip[0];
		dropped = true;
	}
	spin_unlock(&r->homes_lock);
	if (dropped)
		pr_warn("pmem: pid %u: memory replica %u.%u.%u.%u failed (%d); %s%u.%u.%u.%u\n",
			pid & 0xffff, PMEM_IP(ip), err, now ? "primary now " : "none left",
			PMEM_IP(now));
	return known;
}

int pmem_rpc_call_at(struct pmem_rpc *r, u32 ip, u16 op, const void *req, u32 len,
		     void *reply, u32 want, bool page_ok)
{
	u32 cap = want + (page_ok ? MEM_PAGE_SIZE : 0);
	int got = peer_call(ip, op, req, len, reply, cap, PMEM_RPC_CALL_NS);

	__atomic_fetch_add(&r->bytes, 2 * sizeof(struct rpc_hdr) + len + (got > 0 ? got : 0),
			   __ATOMIC_RELAXED);
	if (got >= 0 && (u32)got != want && (u32)got != cap)
		return -EPROTO;
	return got;
}

int pmem_rpc_call(struct pmem_rpc *r, u32 pid, u16 op, const void *req, u32 len,
		  void *reply, u32 want, bool page_ok)
{
	u32 ip[PMEM_REPLICAS];
	int got;

	for (;;) {
		pmem_rpc_replicas(r, pid, ip);
		if (!ip[0])
			return -EHOSTUNREACH;
		got = pmem_rpc_call_at(r, ip[0], op, req, len, reply, want, page_ok);
		if (!pmem_rpc_gone(got) || !pmem_rpc_fail(r, pid, ip[0], got))
			return got;
	}
}

/* The backup answered got (reply in mine) where the primary answered
 * want_got (reply in theirs): anything but the same answer drops it. */
static void pmem_rpc_check_backup(struct pmem_rpc *r, u32 pid, u32 ip, int got,
				  const void *mine, int want_got, const void *theirs)
{
	if (got == want_got && (got <= 0 || !memcmp(mine, theirs, (u32)got)))
		return;
	if (!pmem_rpc_gone(got))
		pr_warn("pmem: pid %u: backup %u.%u.%u.%u answered %d, primary %d\n",
			pid & 0xffff, PMEM_IP(ip), got, want_got);
	pmem_rpc_fail(r, pid, ip, got);
}

int pmem_rpc_call_all(struct pmem_rpc *r, u32 pid, u16 op, const void *req, u32 len,
		      void *reply, u32 want)
{
	u64 mine[PMEM_RPC_SMALL / 8];
	u32 ip[PMEM_REPLICAS];
	int got = pmem_rpc_call(r, pid, op, req, len, reply, want, false), bgot;

	if (got < 0 || want > sizeof(mine))
		return got;
	pmem_rpc_replicas(r, pid, ip);
	if (!ip[1])
		return got;
	bgot = pmem_rpc_call_at(r, ip[1], op, req, len, mine, want, false);
	pmem_rpc_check_backup(r, pid, ip[1], bgot, mine, got, reply);
	return got;
}

void pmem_rpc_side_start(struct pmem_rpc *r, u32 pid, const void *req, u32 len,
			 struct pmem_rpc_side *sd)
{
	u32 ip[PMEM_REPLICAS];

	pmem_rpc_replicas(r, pid, ip);
	*sd = (struct pmem_rpc_side){ .ip = ip[1], .req = req, .len = len };
	if (sd->ip)
		sd->started = peer_call_start(sd->ip, P2M_WRITEBACK, req, len, NULL, 0,
					      PMEM_RPC_CALL_NS, &sd->pp);
}

void pmem_rpc_side_end(struct pmem_rpc *r, u32 pid, struct pmem_rpc_side *sd, bool compare,
		       int want)
{
	u32 ip[PMEM_REPLICAS];
	int got;

	if (sd->ip) {
		got = sd->started ? sd->started : peer_cache_call_wait(&sd->pp);
		__atomic_fetch_add(&r->bytes, 2 * sizeof(struct rpc_hdr) + sd->len,
				   __ATOMIC_RELAXED);
		pmem_rpc_check_backup(r, pid, sd->ip, got, NULL, compare ? want : got, NULL);
	}
	pmem_rpc_replicas(r, pid, ip);
	if (!ip[1] || ip[1] == sd->ip || ip[0] == sd->ip)
		return;
	/* A new backup came meanwhile (mem_rpc_refill.c): it gets the line too. */
	got = pmem_rpc_call_at(r, ip[1], P2M_WRITEBACK, sd->req, sd->len, NULL, 0, false);
	pmem_rpc_check_backup(r, pid, ip[1], got, NULL, 0, NULL);
}

bool pmem_rpc_lost(void *be, u32 pid, char *why, u32 cap)
{
	struct pmem_rpc *r = be;
	struct pmem_rpc_home *h;
	u32 failed[PMEM_REPLICAS] = { 0 }, n = 0;

	spin_lock(&r->homes_lock);
	h = *pmem_rpc_slot(r, pid);
	if (h && !h->ip[0]) {
		n = h->nfailed;
		memcpy(failed, h->failed, sizeof(failed));
	}
	spin_unlock(&r->homes_lock);
	if (!n)
		return false;
	if (n == 1)
		fmt_snprintf(why, cap, "memory lost: %u.%u.%u.%u failed", PMEM_IP(failed[0]));
	else
		fmt_snprintf(why, cap, "memory lost: %u.%u.%u.%u and %u.%u.%u.%u failed",
			     PMEM_IP(failed[0]), PMEM_IP(failed[1]));
	return true;
}
