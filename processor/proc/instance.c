/*
 * A pMonitor instance (pmon.h): the ExCache's frames, taken from the page
 * allocator when the instance starts, and the process table that the
 * ExCache hooks use to find the page tables of a line's process.
 * Locking: see pmon.h.
 */
#include <tessera/arch.h>
#include <tessera/errno.h>
#include <tessera/kmalloc.h>
#include <tessera/pmm.h>
#include <tessera/string.h>

#include "processor/proc/proc.h"

static void pmon_free_frames(struct pmon *mon)
{
	for (u32 i = 0; i < mon->nframes; i++)
		page_free(mon->frames[i], 0);
	kfree(mon->frames);
	mon->frames = NULL;
	mon->nframes = 0;
}

static int pmon_alloc_frames(struct pmon *mon, u32 nframes)
{
	mon->frames = kmalloc(nframes * sizeof(paddr_t));
	if (!mon->frames)
		return -ENOMEM;
	for (mon->nframes = 0; mon->nframes < nframes; mon->nframes++) {
		paddr_t pa = page_alloc(0);

		if (!pa) {
			pmon_free_frames(mon);
			return -ENOMEM;
		}
		mon->frames[mon->nframes] = pa;
	}
	return 0;
}

int pmon_init(struct pmon *mon, const struct pmon_config *cfg)
{
	const struct excache_policy *policy = excache_policy_find(cfg->policy);
	u32 ways = cfg->ways;
	u32 nframes = (u32)(cfg->cache_bytes / EXCACHE_LINE);
	int err;

	memset(mon, 0, sizeof(*mon));
	if (!policy || !ways || nframes < ways)
		return -EINVAL;
	nframes -= nframes % ways;
	err = pmon_alloc_frames(mon, nframes);
	if (err)
		return err;
	mon->meta = kzalloc(excache_meta_size(nframes, ways));
	if (!mon->meta) {
		pmon_free_frames(mon);
		return -ENOMEM;
	}
	excache_init(&mon->cache, nframes, ways, mon->meta, policy, &pfault_hooks);
	mon->cache.priv = mon;
	mon->mem = cfg->mem;
	mon->files = cfg->files;
	spin_init(&mon->lock, "pmon", LOCK_RANK_PMON);
	list_init(&mon->procs);
	pmount_table_init(&mon->mounts);
	mon->next_pid = 1;
	err = ptimers_start(mon);
	if (err) {
		kfree(mon->meta);
		pmon_free_frames(mon);
	}
	return err;
}

void pmon_destroy(struct pmon *mon)
{
	ptimers_stop(mon);
	pmon_free_frames(mon);
	kfree(mon->meta);
	mon->meta = NULL;
}

struct pproc *pmon_find(struct pmon *mon, u32 pid)
{
	struct list_node *n;
	struct pproc *found = NULL;

	spin_lock(&mon->lock);
	list_for_each(n, &mon->procs) {
		struct pproc *p = list_entry(n, struct pproc, link);

		if (p->pid == pid) {
			found = p;
			break;
		}
	}
	spin_unlock(&mon->lock);
	return found;
}

u32 pmon_new_pid(struct pmon *mon)
{
	u32 pid;

	spin_lock(&mon->lock);
	pid = mon->next_pid++;
	spin_unlock(&mon->lock);
	return pid;
}
