/*
 * Linux programs on the rig's fabric: one network interface whose frames
 * travel over a fabric link (attach.h), with its receive and
 * tick thread. Links with net/plat/plat_linux.c and attach.c; used
 * by the managers and by any Linux tool that speaks RPC to the monitors.
 */
#ifndef TOOLS_FABRIC_PLAT_FABRIC_H
#define TOOLS_FABRIC_PLAT_FABRIC_H

#include <tessera/types.h>

struct net_if;
struct plat_fabric;

/* Listen on the Unix socket path for the fabric (it connects, as to a
 * QEMU server=on netdev), create the interface (mac, ip host order) and
 * start its thread once the fabric is attached or wait_ms has passed
 * (frames sent before that are dropped). 0 or -errno. One per program:
 * the transmit hook of net/plat/plat_linux.c is process-wide. */
int plat_fabric_start(const char *path, const u8 mac[6], u32 ip, int wait_ms,
		      struct plat_fabric **out);
struct net_if *plat_fabric_nif(struct plat_fabric *pf);

#endif
