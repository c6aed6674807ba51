/*
 * The launch service of the pMonitor (tessera/wire/proc.h):
 *
 *   launch.c         GP2P_EXEC handler, output sinks, stdin, exit reports
 *   launch_ctl.c     GP2P_INPUT, GP2P_KILL and GP2P_PS handlers
 *   launch_msg.c     checking an EXEC message
 *   launch_route.c   the backends and ExCache share of one launch
 */
#ifndef PROCESSOR_LAUNCH_LAUNCH_H
#define PROCESSOR_LAUNCH_LAUNCH_H

#include <tessera/types.h>
#include <tessera/wire/proc.h>

#include "processor/backend/file_backend.h"

struct pmon;
struct rpc_ep;

/* Serve GP2P_EXEC on ep, running programs on mon. 0 or -errno. */
int plaunch_serve(struct pmon *mon, struct rpc_ep *ep);

/* A launch by GPM's id, with a reference the caller puts; NULL if there
 * is none (or it is being freed). */
struct plaunch;
struct plaunch *plaunch_get(u64 launch);
void plaunch_put(struct plaunch *l);
/* Write what fits of buf into the launch's stdin without waiting: the
 * count (0: the pipe is full), or -EPIPE (no reader left, or stdin was
 * closed); then, if eof, close stdin's write end. */
long plaunch_input(struct plaunch *l, const void *buf, u32 len, bool eof);
/* launch_ctl.c: serve GP2P_INPUT, GP2P_KILL and GP2P_PS on ep. */
int plaunch_ctl_serve(struct pmon *mon, struct rpc_ep *ep);

/* launch_msg.c: check an EXEC body of len bytes and point argv[0..argc)
 * into its strings (argv[argc] = NULL). 0, or -EINVAL / -EPROTO (version)
 * / -ENAMETOOLONG. */
int plaunch_parse(const struct gp2p_exec_msg *m, u32 len, const char **argv);

/* What one launch runs against. */
struct plaunch_route {
	struct pfile_backend volume; /* the vNode's sMonitor */
	struct pfile_backend files;  /* what the process sees: volume, tmpfs */
	u64 excache_bytes; /* the ExCache the process may fill */
};

/* launch_route.c: route process pid of the launch m to its vNode's home
 * mMonitor and sMonitor. 0, -ENODEV (no backend), -EOPNOTSUPP (an
 * ExCache cap this pMonitor cannot apply) or -errno. */
int plaunch_route(struct pmon *mon, u32 pid, const struct gp2p_exec_msg *m,
		  struct plaunch_route *r);
void plaunch_unroute(struct plaunch_route *r);

#endif
