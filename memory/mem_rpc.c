/*
 * The memory protocol as RPC bodies (tessera/wire/mem.h): a page travels
 * as the last MEM_PAGE_SIZE bytes of a body. mem_rpc_serve splits a
 * request's page off before mem_dispatch checks the message, and puts a
 * fetched line after the reply message; the pages are used in place, no
 * copy. Every message is shorter than a page, so a body of at least
 * MEM_PAGE_SIZE bytes of an opcode that may carry one holds a page, and
 * any other length is the message alone (and mem_dispatch judges it).
 * Stateless; the caller serializes requests of one pid (memory/mem.h).
 */
#include <tessera/errno.h>
#include <tessera/string.h>

#include "memory/mem_rpc.h"

_Static_assert(sizeof(struct p2m_mmap_msg) < MEM_PAGE_SIZE, "messages are shorter than a page");
_Static_assert(MEM_RPC_REPLY_MAX <= RPC_MAX_BODY, "a line reply fits an RPC body");

u32 mem_rpc_pid(const void *body, u32 len)
{
	u32 pid = 0;

	if (body && len >= sizeof(pid))
		memcpy(&pid, body, sizeof(pid));
	return pid;
}

int mem_rpc_serve(struct mem_node *n, u16 op, const void *body, u32 len,
		  void *reply, u32 cap, u32 *reply_len)
{
	const void *page_in = NULL;
	void *page_out = NULL;
	int err;

	*reply_len = 0;
	if (body && MEM_PAGE_IN(op) && len >= MEM_PAGE_SIZE) {
		len -= MEM_PAGE_SIZE;
		page_in = (const u8 *)body + len;
	}
	if (MEM_PAGE_OUT(op)) {
		if (cap < MEM_RPC_REPLY_MAX)
			return -EINVAL;
		page_out = (u8 *)reply + sizeof(struct mem_line_reply);
		cap = sizeof(struct mem_line_reply);
	}
	err = mem_dispatch(n, op, body, len, page_in, reply, cap, reply_len,
			   page_out);
	if (!err && page_out &&
	    ((struct mem_line_reply *)reply)->result == MEM_LINE_DATA)
		*reply_len += MEM_PAGE_SIZE;
	return err;
}
