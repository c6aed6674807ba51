/* From a home to a vRegion owner: a direct call when the owner is this
 * node, else an M2M request through mem_ops.forward (no lock held). */
#include <tessera/errno.h>

#include "memory/mem.h"

static int mem_forward(struct mem_node *n, u32 owner, u16 op, const void *body,
		       u32 len, const void *page_in, void *reply,
		       u32 reply_len, void *page_out)
{
	mem_stat_inc(n, forwards);
	return n->ops->forward(n->ops_ctx, owner, op, body, len, page_in,
			       reply, reply_len, page_out);
}

int mem_route_map(struct mem_node *n, u32 owner, const struct m2m_map_msg *m)
{
	if (owner == n->self)
		return mem_owner_map(n, m);
	return mem_forward(n, owner, MEM_OP_M2M_MAP, m, sizeof(*m), NULL, NULL,
			   0, NULL);
}

int mem_route_range(struct mem_node *n, u32 owner, u16 op,
		    const struct m2m_range_msg *m)
{
	if (owner != n->self)
		return mem_forward(n, owner, op, m, sizeof(*m), NULL, NULL, 0,
				   NULL);
	if (op == MEM_OP_M2M_UNMAP)
		return mem_owner_unmap(n, m->pid, m->start, m->end);
	return mem_owner_protect(n, m->pid, m->start, m->end, m->prot);
}

int mem_route_fetch(struct mem_node *n, u32 owner,
		    const struct m2m_line_msg *m, void *page_out, u32 *result)
{
	struct mem_line_reply rep = { 0 };
	int err;

	if (owner == n->self)
		return mem_owner_fetch(n, m->pid, m->vaddr, m->flags, page_out,
				       result);
	err = mem_forward(n, owner, MEM_OP_M2M_FETCH, m, sizeof(*m), NULL,
			  &rep, sizeof(rep), page_out);
	if (err)
		return err;
	if (rep.result != MEM_LINE_DATA && rep.result != MEM_LINE_ZERO)
		return -EPROTO;
	*result = rep.result;
	return 0;
}

int mem_route_writeback(struct mem_node *n, u32 owner,
			const struct m2m_line_msg *m, const void *page)
{
	if (owner == n->self)
		return mem_owner_writeback(n, m->pid, m->vaddr, m->flags, page);
	return mem_forward(n, owner, MEM_OP_M2M_WRITEBACK, m, sizeof(*m), page,
			   NULL, 0, NULL);
}

int mem_route_fork(struct mem_node *n, u32 owner, const struct m2m_fork_msg *m)
{
	if (owner == n->self)
		return mem_owner_fork(n, m);
	return mem_forward(n, owner, MEM_OP_M2M_FORK, m, sizeof(*m), NULL, NULL, 0, NULL);
}
