/*
 * The memory protocol over RPC bodies (memory/mem_rpc.c): how the
 * mMonitor's RPC service feeds mem_dispatch.
 */
#ifndef MEMORY_MEM_RPC_H
#define MEMORY_MEM_RPC_H

#include "memory/mem.h"

/* The largest reply: a line reply and its page. */
#define MEM_RPC_REPLY_MAX (sizeof(struct mem_line_reply) + MEM_PAGE_SIZE)

/* The pid a request names (its first field), 0 if too short: the key
 * that serializes requests of one process. */
u32 mem_rpc_pid(const void *body, u32 len);
/* Serve one RPC request body: split off its page, dispatch, append the
 * fetched page to the reply. reply has cap bytes; 0 with *reply_len set,
 * or -errno (then no reply body). */
int mem_rpc_serve(struct mem_node *n, u16 op, const void *body, u32 len,
		  void *reply, u32 cap, u32 *reply_len);

#endif
