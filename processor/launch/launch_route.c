/*
 * Where one launch's process lives: its memory goes to the vNode's home
 * mMonitor (pmem_rpc_set_home on the pMonitor's RPC memory backend, which
 * routes by pid) and its files come from the vNode's sMonitor (a file
 * backend of its own, pfile_rpc), seen with the vNode's tmpfs trees over
 * it (processor/fd/tmpfs.h). The ExCache is shared by every process
 * of the pMonitor; a per-launch cap smaller than it limits the process to
 * the first sets of the cache (excache_limit_space), removed when the
 * process's lines are dropped at exit. No state of its own.
 */
#include <tessera/errno.h>

#include "processor/backend/file_rpc.h"
#include "processor/backend/mem_rpc.h"
#include "processor/launch/launch.h"
#include "processor/proc/proc.h"

int plaunch_route(struct pmon *mon, u32 pid, const struct gp2p_exec_msg *m,
		  struct plaunch_route *r)
{
	u64 whole = (u64)mon->cache.nsets * mon->cache.ways * EXCACHE_LINE;
	int err;

	if (!mon->mem.ops)
		return -ENODEV;
	if (!m->home_ip || !m->storage_ip)
		return -EINVAL;
	if (m->excache_bytes && m->excache_bytes < whole)
		err = excache_limit_space(&mon->cache, pid, m->excache_bytes);
	else
		err = 0;
	if (!err)
		err = pmem_rpc_set_home(&mon->mem, pid, m->home_ip, m->backup_ip);
	if (!err)
		err = pfile_rpc_create(NULL, m->storage_ip, NULL, &r->volume);
	if (!err) {
		err = pmount_create(&mon->mounts, &r->volume, m->vnode, &r->files);
		if (err)
			pfile_rpc_destroy(&r->volume);
	}
	if (err) {
		excache_unlimit_space(&mon->cache, pid);
		return err;
	}
	r->excache_bytes = excache_space_bytes(&mon->cache, pid);
	return 0;
}

void plaunch_unroute(struct plaunch_route *r)
{
	if (r->files.ops)
		pmount_destroy(&r->files);
	if (r->volume.ops)
		pfile_rpc_destroy(&r->volume);
}
