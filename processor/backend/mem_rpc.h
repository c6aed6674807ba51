/*
 * The production memory backend (mem_backend.h): every op is a P2M_
 * call to the process's home mMonitor, which forwards per-vRegion work to
 * the owners; with a backup, every change goes to it too and a failed
 * home is replaced by it (mem_rpc_priv.h). A process's home is set before it is spawned
 * (pmem_rpc_set_home); a process with none uses the backend's default.
 */
#ifndef PROCESSOR_BACKEND_MEM_RPC_H
#define PROCESSOR_BACKEND_MEM_RPC_H

#include <tessera/types.h>

#include "processor/backend/mem_backend.h"

/* A backend whose processes live at default_home (an IPv4 address, 0
 * for none: then every pid needs pmem_rpc_set_home). 0 or -ENOMEM. */
int pmem_rpc_create(u32 self_ip, u32 default_home, struct pmem_backend *out);
void pmem_rpc_destroy(struct pmem_backend *b);
/* pid's home is home_ip from now on (until its proc_exit), with a replica
 * of all its memory at backup_ip (0: none); a fork's child gets its
 * parent's. 0 or -ENOMEM. */
int pmem_rpc_set_home(const struct pmem_backend *b, u32 pid, u32 home_ip, u32 backup_ip);

/* New backups, for processes whose backup failed, are asked of the GMM
 * at gmm_ip (0: none). Set before any process runs. */
void pmem_rpc_set_gmm(const struct pmem_backend *b, u32 gmm_ip);

#endif
