/*
 * Where one launch's process lives: its memory goes to the vNode's home
 * mMonitor and its files come from the vNode's sMonitor, both named in
 * the EXEC message. The ExCache is shared by every process of the
 * pMonitor; a per-launch cap smaller than it is refused (-EOPNOTSUPP)
 * rather than ignored. No state of its own.
 */
#include <tessera/errno.h>

#include "processor/plaunch.h"
#include "processor/pproc.h"

int plaunch_route(struct pmon *mon, u32 pid, const struct gp2p_exec_msg *m,
		  struct plaunch_route *r)
{
	u64 whole = (u64)mon->nframes * EXCACHE_LINE;

	(void)pid;
	if (!mon->mem.ops || !mon->files.ops)
		return -ENODEV;
	if (m->excache_bytes && m->excache_bytes < whole)
		return -EOPNOTSUPP;
	r->files = mon->files;
	r->excache_bytes = whole;
	return 0;
}

void plaunch_unroute(struct plaunch_route *r)
{
	r->files = (struct pfile_backend){ 0 };
}
