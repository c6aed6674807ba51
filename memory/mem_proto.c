/*
 * The mMonitor's server side of the memory protocol: checks a decoded
 * request (its length against MEM_OPCODES, flags, alignment, ranges, page
 * buffers, that the pid is known) and calls the core. Anything malformed
 * is refused with -EINVAL (or -ESRCH, -EOPNOTSUPP, -EMSGSIZE) before the
 * core sees it, so no request can crash the monitor. Stateless; the
 * caller serializes requests of one pid (memory/mem.h).
 */
#include <tessera/errno.h>
#include <tessera/string.h>

#include "memory/mem.h"

struct mem_call {
	const void *body;
	const void *page_in; /* NULL if none came */
	void *reply;
	void *page_out; /* NULL if the caller has no page buffer */
};

typedef int (*mem_handler_t)(struct mem_node *n, const struct mem_call *c);

static bool mem_addr_ok(u64 vaddr)
{
	return !(vaddr & VMA_PAGE_MASK) && vaddr < VMA_TASK_SIZE;
}

/* [start, end) is a nonempty page-aligned range inside one vRegion. */
static bool mem_piece_ok(const struct mem_node *n, u64 start, u64 end)
{
	return mem_addr_ok(start) && !(end & VMA_PAGE_MASK) && start < end &&
	       end <= VMA_TASK_SIZE &&
	       start >> n->vregion_shift == (end - 1) >> n->vregion_shift;
}

static int handle_p2m_proc_create(struct mem_node *n, const struct mem_call *c)
{
	const struct p2m_proc_create_msg *m = c->body;

	if (m->flags & ~MEM_PROC_FLAGS)
		return -EINVAL;
	return mem_proc_create(n, m);
}

static int handle_p2m_proc_exit(struct mem_node *n, const struct mem_call *c)
{
	const struct p2m_proc_exit_msg *m = c->body;

	return m->pad ? -EINVAL : mem_proc_exit(n, m->pid);
}

static int handle_p2m_mmap(struct mem_node *n, const struct mem_call *c)
{
	const struct p2m_mmap_msg *m = c->body;
	struct p2m_mmap_reply *r = c->reply;

	if (m->pad || m->file.pad)
		return -EINVAL;
	return mem_mmap(n, m, &r->addr);
}

static int handle_p2m_munmap(struct mem_node *n, const struct mem_call *c)
{
	const struct p2m_munmap_msg *m = c->body;

	return m->pad ? -EINVAL : mem_munmap(n, m->pid, m->addr, m->len);
}

static int handle_p2m_brk(struct mem_node *n, const struct mem_call *c)
{
	const struct p2m_brk_msg *m = c->body;
	struct p2m_brk_reply *r = c->reply;

	return m->pad ? -EINVAL : mem_brk(n, m->pid, m->brk, &r->brk);
}

static int handle_p2m_mprotect(struct mem_node *n, const struct mem_call *c)
{
	const struct p2m_mprotect_msg *m = c->body;

	return mem_mprotect(n, m->pid, m->addr, m->len, m->prot);
}

static int handle_p2m_fetch(struct mem_node *n, const struct mem_call *c)
{
	const struct p2m_fetch_msg *m = c->body;
	bool victim = m->flags & MEM_FETCH_VICTIM;

	if ((m->flags & ~MEM_FETCH_FLAGS) || !mem_addr_ok(m->vaddr) ||
	    !c->page_out)
		return -EINVAL;
	if (victim && (!c->page_in || !mem_addr_ok(m->victim_vaddr)))
		return -EINVAL;
	if (!victim && (c->page_in || m->victim_vaddr))
		return -EINVAL;
	if (!mem_pid_known(n, m->pid, m->vaddr))
		return -ESRCH;
	return mem_fetch(n, m, c->page_in, c->page_out, c->reply);
}

static int handle_p2m_writeback(struct mem_node *n, const struct mem_call *c)
{
	const struct p2m_writeback_msg *m = c->body;

	if (m->pad || !mem_addr_ok(m->vaddr) || !c->page_in)
		return -EINVAL;
	if (!mem_pid_known(n, m->pid, m->vaddr))
		return -ESRCH;
	return mem_writeback(n, m->pid, m->vaddr, c->page_in);
}

static int handle_p2m_vregion(struct mem_node *n, const struct mem_call *c)
{
	const struct p2m_vregion_msg *m = c->body;

	if (m->pad || m->vaddr >= VMA_TASK_SIZE)
		return -EINVAL;
	return mem_vregion_query(n, m->pid, m->vaddr, c->reply);
}

static int handle_p2m_fork(struct mem_node *n, const struct mem_call *c)
{
	const struct p2m_fork_msg *m = c->body;

	if (m->version != MEM_FORK_VERSION)
		return -EPROTO;
	if (m->pad || m->pad2 || !m->child || m->child == m->pid)
		return -EINVAL;
	return mem_fork(n, m->pid, m->child);
}

/* A map message's fields, its range aside. An anonymous VMA the home
 * keeps may have an offset (a split moves it along), which owners ignore:
 * anon_off says that it may. */
static bool mem_map_fields_ok(const struct m2m_map_msg *m, bool anon_off)
{
	bool file = m->vflags & MEM_VMA_FILE;

	if (m->pad || m->file.pad || (m->prot & ~MEM_PROT_MASK) ||
	    (m->vflags & ~MEM_VMA_FLAGS))
		return false;
	if (file)
		return !(m->off & VMA_PAGE_MASK) && m->off + (m->end - m->start) >= m->off;
	return (anon_off || !m->off) && !m->file.ino && !m->file.gen; /* anon: no file */
}

static int handle_m2m_map(struct mem_node *n, const struct mem_call *c)
{
	const struct m2m_map_msg *m = c->body;

	if (!mem_piece_ok(n, m->start, m->end) || !mem_map_fields_ok(m, false))
		return -EINVAL;
	return mem_owner_map(n, m);
}

/* A whole VMA: it may span vRegions. */
static int handle_m2m_vma_copy(struct mem_node *n, const struct mem_call *c)
{
	const struct m2m_map_msg *m = c->body;

	if (!mem_addr_ok(m->start) || (m->end & VMA_PAGE_MASK) || m->start >= m->end ||
	    m->end > VMA_TASK_SIZE || !mem_map_fields_ok(m, true))
		return -EINVAL;
	return mem_replica_vma(n, m);
}

static int handle_m2m_proc_copy(struct mem_node *n, const struct mem_call *c)
{
	const struct m2m_proc_copy_msg *m = c->body;

	return m->pad ? -EINVAL : mem_replica_proc(n, m);
}

static int handle_p2m_replicate(struct mem_node *n, const struct mem_call *c)
{
	const struct p2m_replicate_msg *m = c->body;
	struct p2m_replicate_reply *r = c->reply;

	if ((m->flags & ~MEM_REPL_SETUP) || (m->from && !mem_addr_ok(m->from)))
		return -EINVAL;
	if (m->flags & MEM_REPL_SETUP) {
		r->next = 0;
		return m->max || m->from ? -EINVAL : mem_replica_setup(n, m->pid, m->to);
	}
	if (!m->max || m->max > MEM_REPL_MAX || !m->to || m->to == n->self)
		return -EINVAL;
	return mem_replica_copy(n, m->pid, m->to, m->from, m->max, &r->next, &r->copied);
}

static int handle_m2m_range(struct mem_node *n, const struct mem_call *c,
			    u16 op)
{
	const struct m2m_range_msg *m = c->body;

	if (!mem_piece_ok(n, m->start, m->end) || (m->prot & ~MEM_PROT_MASK))
		return -EINVAL;
	if (op == MEM_OP_M2M_UNMAP)
		return m->prot ? -EINVAL : mem_owner_unmap(n, m->pid, m->start, m->end);
	return mem_owner_protect(n, m->pid, m->start, m->end, m->prot);
}

static int handle_m2m_unmap(struct mem_node *n, const struct mem_call *c)
{
	return handle_m2m_range(n, c, MEM_OP_M2M_UNMAP);
}

static int handle_m2m_protect(struct mem_node *n, const struct mem_call *c)
{
	return handle_m2m_range(n, c, MEM_OP_M2M_PROTECT);
}

static int handle_m2m_fetch(struct mem_node *n, const struct mem_call *c)
{
	const struct m2m_line_msg *m = c->body;
	struct mem_line_reply *r = c->reply;

	if ((m->flags & ~MEM_FETCH_WRITE) || !mem_addr_ok(m->vaddr) ||
	    !c->page_out || c->page_in)
		return -EINVAL;
	r->vaddr = m->vaddr;
	r->victim_status = 0;
	return mem_owner_fetch(n, m->pid, m->vaddr, m->flags, c->page_out,
			       &r->result);
}

static int handle_m2m_writeback(struct mem_node *n, const struct mem_call *c)
{
	const struct m2m_line_msg *m = c->body;

	if ((m->flags & ~MEM_LINE_IF_ABSENT) || !mem_addr_ok(m->vaddr) || !c->page_in)
		return -EINVAL;
	return mem_owner_writeback(n, m->pid, m->vaddr, m->flags, c->page_in);
}

static int handle_m2m_fork(struct mem_node *n, const struct mem_call *c)
{
	const struct m2m_fork_msg *m = c->body;

	if (m->version != MEM_FORK_VERSION)
		return -EPROTO;
	if (m->pad || m->pad2 || !m->child || m->child == m->pid ||
	    m->idx > (VMA_TASK_SIZE - 1) >> n->vregion_shift)
		return -EINVAL;
	return mem_owner_fork(n, m);
}

/* Body bounds of every opcode, from the one list in wire/mem.h. */
struct mem_op_bounds {
	u16 op;
	u32 req_min, req_max, rep_min, rep_max;
};

#define MEM_OP_BOUNDS(name, val, ...) { val, __VA_ARGS__ },
static const struct mem_op_bounds mem_op_bounds[] = { MEM_OPCODES(MEM_OP_BOUNDS) };
#undef MEM_OP_BOUNDS

static const struct {
	u16 op;
	mem_handler_t fn;
} mem_handlers[] = {
	{ MEM_OP_P2M_PROC_CREATE, handle_p2m_proc_create },
	{ MEM_OP_P2M_PROC_EXIT, handle_p2m_proc_exit },
	{ MEM_OP_P2M_MMAP, handle_p2m_mmap },
	{ MEM_OP_P2M_MUNMAP, handle_p2m_munmap },
	{ MEM_OP_P2M_BRK, handle_p2m_brk },
	{ MEM_OP_P2M_MPROTECT, handle_p2m_mprotect },
	{ MEM_OP_P2M_FETCH, handle_p2m_fetch },
	{ MEM_OP_P2M_WRITEBACK, handle_p2m_writeback },
	{ MEM_OP_P2M_VREGION, handle_p2m_vregion },
	{ MEM_OP_P2M_FORK, handle_p2m_fork },
	{ MEM_OP_M2M_MAP, handle_m2m_map },
	{ MEM_OP_M2M_UNMAP, handle_m2m_unmap },
	{ MEM_OP_M2M_PROTECT, handle_m2m_protect },
	{ MEM_OP_M2M_FETCH, handle_m2m_fetch },
	{ MEM_OP_M2M_WRITEBACK, handle_m2m_writeback },
	{ MEM_OP_M2M_FORK, handle_m2m_fork },
	{ MEM_OP_P2M_REPLICATE, handle_p2m_replicate },
	{ MEM_OP_M2M_PROC_COPY, handle_m2m_proc_copy },
	{ MEM_OP_M2M_VMA_COPY, handle_m2m_vma_copy },
};
_Static_assert(ARRAY_SIZE(mem_handlers) == ARRAY_SIZE(mem_op_bounds),
	       "one handler per MEM_OPCODES entry");

static const struct mem_op_bounds *mem_bounds_of(u16 op)
{
	for (u32 i = 0; i < ARRAY_SIZE(mem_op_bounds); i++)
		if (mem_op_bounds[i].op == op)
			return &mem_op_bounds[i];
	return NULL;
}

static mem_handler_t mem_handler_of(u16 op)
{
	for (u32 i = 0; i < ARRAY_SIZE(mem_handlers); i++)
		if (mem_handlers[i].op == op)
			return mem_handlers[i].fn;
	return NULL;
}

int mem_dispatch(struct mem_node *n, u16 op, const void *body, u32 len,
		 const void *page_in, void *reply, u32 reply_cap,
		 u32 *reply_len, void *page_out)
{
	const struct mem_op_bounds *d = mem_bounds_of(op);
	mem_handler_t fn = mem_handler_of(op);
	struct mem_call c = { body, page_in, reply, page_out };
	int err;

	*reply_len = 0;
	if (!d || !fn)
		return -EOPNOTSUPP;
	if (!body || len < d->req_min || len > d->req_max)
		goto bad;
	if (reply_cap < d->rep_max || (d->rep_max && !reply))
		goto bad;
	if (page_in && !MEM_PAGE_IN(op))
		goto bad;
	if (d->rep_max)
		memset(reply, 0, d->rep_max);
	err = fn(n, &c);
	if (err == -EINVAL)
		mem_stat_inc(n, rejected);
	if (!err)
		*reply_len = d->rep_max;
	return err;
bad:
	mem_stat_inc(n, rejected);
	return -EINVAL;
}
