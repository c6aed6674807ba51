/*
 * What the monitor's network bring-up (net/net_boot.c, ip= boot argument)
 * offers the rest of the kernel.
 */
#ifndef TESSERA_NETBOOT_H
#define TESSERA_NETBOOT_H

#include <tessera/types.h>

struct rpc_ep;

/* The monitor's RPC endpoint once the stack is up and serving; NULL before
 * that, without ip=, or if bring-up failed. Safe from any thread. */
struct rpc_ep *net_rpc_ep(void);
/* This monitor's address from ip=, or 0 without a valid one. */
u32 net_self_ip(void);

#endif
