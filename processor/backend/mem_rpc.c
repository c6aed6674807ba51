/*
 * The memory backend as an RPC client of the mMonitors (mem_rpc.h).
 * Requests go to the process's home; a FETCH reply carries the line after
 * its mem_line_reply when the result is MEM_LINE_DATA, a WRITEBACK
 * request, and a FETCH with a dirty victim riding on it, carry the page
 * after the message (tessera/wire/mem.h). The VMA
 * changes each address-space op reports follow from Linux's rules, which
 * the home applies: an mmap is one new VMA where the home put it, munmap
 * and mprotect cover the page-rounded range, brk maps or unmaps between
 * the old and the new end.
 *
 * Process ids on the wire: an mMonitor serves processes of many
 * pMonitors, whose pids are only unique per pMonitor, so the pid a message
 * carries is this pMonitor's address (its low 16 bits: unique in the
 * fabric's /16) above the local pid's low 16 bits.
 *
 * Homes: a pid that was given one, maybe with a backup (pmem_rpc_set_home,
 * or a fork, which gives the child its parent's), is found in a hash of
 * entries; any other uses the default. Fetches go to the primary; every
 * change goes to both replicas, the primary first (mem_rpc_priv.h, where
 * failover is described too). bytes counts what every call moved, headers
 * included.
 *
 * Locking: the entries under homes_lock (mem_rpc_priv.h); bytes is
 * atomic; connections are the monitor's shared ones
 * (tessera/cluster/peer.h). Calls for different processes run in
 * parallel; the pMonitor's mm_lock orders those of one.
 */
#include <tessera/cluster/peer.h>
#include <tessera/errno.h>
#include <tessera/kmalloc.h>
#include <tessera/lock.h>
#include <tessera/string.h>
#include <tessera/time.h>
#include <tessera/uapi/mman.h>
#include <tessera/wire/mem.h>

#include "processor/backend/mem_rpc.h"
#include "processor/backend/mem_rpc_priv.h"

_Static_assert(sizeof(struct mem_line_reply) + MEM_PAGE_SIZE <= RPC_MAX_BODY,
	       "a line and its reply fit one body");

/* A process given a backup is created at each replica as one. */
static int pmem_rpc_create_as(void *be, u32 pid, u64 brk_start, u32 flags)
{
	struct p2m_proc_create_msg m = { .pid = pmem_rpc_wire_pid(be, pid), .flags = flags,
					 .brk_start = brk_start };
	u32 ip[PMEM_REPLICAS];
	int got;

	if (pmem_rpc_replicas(be, pid, ip))
		m.flags |= MEM_PROC_REPLICA;
	got = pmem_rpc_call_all(be, pid, P2M_PROC_CREATE, &m, sizeof(m), NULL, 0);

	return got < 0 ? got : 0;
}

static int pmem_rpc_proc_create(void *be, u32 pid, u64 brk_start)
{
	return pmem_rpc_create_as(be, pid, brk_start, 0);
}

static int pmem_rpc_proc_exec(void *be, u32 pid, u64 brk_start)
{
	return pmem_rpc_create_as(be, pid, brk_start, MEM_PROC_EXEC);
}

/* Every replica left frees pid; one that fails here is not waited for
 * again. */
static void pmem_rpc_proc_exit(void *be, u32 pid)
{
	struct p2m_proc_exit_msg m = { .pid = pmem_rpc_wire_pid(be, pid) };

	pmem_rpc_call_all(be, pid, P2M_PROC_EXIT, &m, sizeof(m), NULL, 0);
	pmem_rpc_forget(be, pid);
}

static int pmem_rpc_mmap(void *be, u32 pid, const struct pmem_mmap_req *rq,
			 struct pmem_change *ch)
{
	struct p2m_mmap_msg m = {
		.pid = pmem_rpc_wire_pid(be, pid), .prot = rq->prot, .flags = rq->flags, .addr = rq->addr,
		.len = rq->len, .off = rq->off,
	};
	struct p2m_mmap_reply rep;
	int got;

	if (!(rq->flags & MAP_ANONYMOUS))
		m.file = (struct mem_file_handle){ .ino = rq->file.ino, .gen = rq->file.gen };
	got = pmem_rpc_call_all(be, pid, P2M_MMAP, &m, sizeof(m), &rep, sizeof(rep));
	if (got < 0)
		return got;
	*ch = (struct pmem_change){ PMEM_MAP, rq->prot, rep.addr,
				    rep.addr + ALIGN_UP(rq->len, PMEM_PAGE) };
	return 0;
}

static int pmem_rpc_munmap(void *be, u32 pid, u64 addr, u64 len, struct pmem_change *ch)
{
	struct p2m_munmap_msg m = { .pid = pmem_rpc_wire_pid(be, pid), .addr = addr, .len = len };
	int got = pmem_rpc_call_all(be, pid, P2M_MUNMAP, &m, sizeof(m), NULL, 0);

	if (got < 0)
		return got;
	*ch = (struct pmem_change){ PMEM_UNMAP, 0, addr, addr + ALIGN_UP(len, PMEM_PAGE) };
	return 0;
}

static int pmem_rpc_mprotect(void *be, u32 pid, u64 addr, u64 len, u32 prot,
			     struct pmem_change *ch)
{
	struct p2m_mprotect_msg m = { .pid = pmem_rpc_wire_pid(be, pid), .prot = prot, .addr = addr, .len = len };
	int got = pmem_rpc_call_all(be, pid, P2M_MPROTECT, &m, sizeof(m), NULL, 0);

	if (got < 0)
		return got;
	*ch = (struct pmem_change){ PMEM_PROTECT, prot, addr, addr + ALIGN_UP(len, PMEM_PAGE) };
	return 0;
}

static int pmem_rpc_brk(void *be, u32 pid, u64 old_brk, u64 brk, struct pmem_change *ch)
{
	u64 old_end = ALIGN_UP(old_brk, PMEM_PAGE), new_end = ALIGN_UP(brk, PMEM_PAGE);
	struct p2m_brk_msg m = { .pid = pmem_rpc_wire_pid(be, pid), .brk = brk };
	struct p2m_brk_reply rep;
	int got = pmem_rpc_call_all(be, pid, P2M_BRK, &m, sizeof(m), &rep, sizeof(rep));

	if (got < 0)
		return got;
	if (rep.brk != brk)
		return -ENOMEM;
	*ch = (struct pmem_change){ PMEM_NONE, 0, 0, 0 };
	if (new_end > old_end)
		*ch = (struct pmem_change){ PMEM_MAP, PROT_READ | PROT_WRITE, old_end, new_end };
	else if (new_end < old_end)
		*ch = (struct pmem_change){ PMEM_UNMAP, 0, new_end, old_end };
	return 0;
}

/* The line a FETCH reply of got bytes carries into page: PMEM_LINE_*, or
 * -EPROTO for a reply that is neither. */
static int pmem_rpc_line(const struct mem_line_reply *rep, int got, void *page)
{
	if (rep->result == MEM_LINE_DATA && got == sizeof(*rep) + MEM_PAGE_SIZE) {
		memcpy(page, rep + 1, MEM_PAGE_SIZE);
		return PMEM_LINE_DATA;
	}
	if (got == sizeof(*rep) && rep->result == MEM_LINE_ZERO)
		return PMEM_LINE_ZERO;
	return -EPROTO;
}

/* One P2M_FETCH of m (len bytes, a victim's page after it if
 * MEM_FETCH_VICTIM); *victim_err is the reply's victim_status, or the
 * call's error. */
static int pmem_rpc_fetch_call(void *be, u32 pid, const struct p2m_fetch_msg *m, u32 len,
			       void *page, int *victim_err)
{
	struct mem_line_reply *rep = kmalloc(sizeof(*rep) + MEM_PAGE_SIZE);
	int got;

	if (!rep)
		return *victim_err = -ENOMEM;
	got = pmem_rpc_call(be, pid, P2M_FETCH, m, len, rep, sizeof(*rep), true);
	*victim_err = got < 0 ? got : rep->victim_status;
	if (got >= 0)
		got = pmem_rpc_line(rep, got, page);
	kfree(rep);
	return got;
}

/* Fetches come from the fault path, which holds the process's mm_lock:
 * the moment to give it a new backup if it needs one. */
static int pmem_rpc_fetch(void *be, u32 pid, u64 vaddr, bool write, void *page)
{
	struct p2m_fetch_msg m = { .pid = pmem_rpc_wire_pid(be, pid), .flags = write ? MEM_FETCH_WRITE : 0,
				   .vaddr = vaddr };
	int unused;

	pmem_rpc_refill(be, pid);
	return pmem_rpc_fetch_call(be, pid, &m, sizeof(m), page, &unused);
}

/* A P2M_WRITEBACK body of the line page at vaddr; NULL: no memory. */
static struct p2m_writeback_msg *pmem_rpc_wb_msg(void *be, u32 pid, u64 vaddr,
						 const void *page)
{
	struct p2m_writeback_msg *m = kmalloc(sizeof(*m) + MEM_PAGE_SIZE);

	if (!m)
		return NULL;
	*m = (struct p2m_writeback_msg){ .pid = pmem_rpc_wire_pid(be, pid), .vaddr = vaddr };
	memcpy(m + 1, page, MEM_PAGE_SIZE);
	return m;
}

/* The victim rides on the fetch to the primary and goes to the backup as
 * a write-back at the same time. */
static int pmem_rpc_fetch_victim(void *be, u32 pid, u64 vaddr, bool write, void *page,
				 u64 victim_vaddr, const void *victim, int *victim_err)
{
	struct p2m_fetch_msg *m = kmalloc(sizeof(*m) + MEM_PAGE_SIZE);
	struct p2m_writeback_msg *wb = pmem_rpc_wb_msg(be, pid, victim_vaddr, victim);
	struct pmem_rpc_side sd;
	int got = -ENOMEM;

	*victim_err = -ENOMEM;
	if (!m || !wb)
		goto out_free;
	pmem_rpc_refill(be, pid);
	*m = (struct p2m_fetch_msg){
		.pid = pmem_rpc_wire_pid(be, pid), .vaddr = vaddr, .victim_vaddr = victim_vaddr,
		.flags = MEM_FETCH_VICTIM | (write ? MEM_FETCH_WRITE : 0),
	};
	memcpy(m + 1, victim, MEM_PAGE_SIZE);
	pmem_rpc_side_start(be, pid, wb, sizeof(*wb) + MEM_PAGE_SIZE, &sd);
	got = pmem_rpc_fetch_call(be, pid, m, sizeof(*m) + MEM_PAGE_SIZE, page, victim_err);
	pmem_rpc_side_end(be, pid, &sd, !*victim_err, 0);
out_free:
	kfree(m);
	kfree(wb);
	return got;
}

/* At both replicas at once (pmem_rpc_side_start). */
static int pmem_rpc_writeback(void *be, u32 pid, u64 vaddr, const void *page)
{
	struct p2m_writeback_msg *m = pmem_rpc_wb_msg(be, pid, vaddr, page);
	struct pmem_rpc_side sd;
	int got;

	if (!m)
		return -ENOMEM;
	pmem_rpc_side_start(be, pid, m, sizeof(*m) + MEM_PAGE_SIZE, &sd);
	got = pmem_rpc_call(be, pid, P2M_WRITEBACK, m, sizeof(*m) + MEM_PAGE_SIZE, NULL, 0,
			    false);
	pmem_rpc_side_end(be, pid, &sd, true, got < 0 ? got : 0);
	kfree(m);
	return got < 0 ? got : 0;
}

/* The child's replicas are the parent's; each copies the address space. */
static int pmem_rpc_fork(void *be, u32 pid, u32 child)
{
	struct pmem_rpc *r = be;
	struct p2m_fork_msg m = { .pid = pmem_rpc_wire_pid(r, pid),
				  .child = pmem_rpc_wire_pid(r, child),
				  .version = MEM_FORK_VERSION };
	int err = pmem_rpc_home_copy(r, pid, child);

	if (!err)
		err = pmem_rpc_call_all(r, child, P2M_FORK, &m, sizeof(m), NULL, 0);
	if (err < 0) {
		pmem_rpc_forget(r, child);
		return err;
	}
	return 0;
}

static u64 pmem_rpc_bytes(void *be)
{
	return __atomic_load_n(&((struct pmem_rpc *)be)->bytes, __ATOMIC_RELAXED);
}

static const struct pmem_ops pmem_rpc_ops = {
	.proc_create = pmem_rpc_proc_create, .proc_exec = pmem_rpc_proc_exec,
	.proc_exit = pmem_rpc_proc_exit,
	.mmap = pmem_rpc_mmap, .munmap = pmem_rpc_munmap, .mprotect = pmem_rpc_mprotect,
	.brk = pmem_rpc_brk, .fetch = pmem_rpc_fetch, .writeback = pmem_rpc_writeback,
	.fetch_victim = pmem_rpc_fetch_victim, .fork = pmem_rpc_fork,
	.bytes_moved = pmem_rpc_bytes, .lost = pmem_rpc_lost,
};

int pmem_rpc_create(u32 self_ip, u32 default_home, struct pmem_backend *out)
{
	struct pmem_rpc *r = kzalloc(sizeof(*r));

	if (!r)
		return -ENOMEM;
	r->default_home = default_home;
	r->pid_base = (self_ip & 0xffff) << 16;
	spin_init(&r->homes_lock, "pmem_rpc.homes", LOCK_RANK_MEM_HOMES);
	*out = (struct pmem_backend){ &pmem_rpc_ops, r };
	return 0;
}

void pmem_rpc_destroy(struct pmem_backend *b)
{
	struct pmem_rpc *r = b->be;

	pmem_rpc_forget_all(r);
	kfree(r);
	b->be = NULL;
}

void pmem_rpc_set_gmm(const struct pmem_backend *b, u32 gmm_ip)
{
	((struct pmem_rpc *)b->be)->gmm_ip = gmm_ip;
}

int pmem_rpc_set_home(const struct pmem_backend *b, u32 pid, u32 home_ip, u32 backup_ip)
{
	return pmem_rpc_home_set(b->be, pid, home_ip, backup_ip);
}
