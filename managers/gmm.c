/*
 * GMM: tracks the mComponents (through the shared registry) and places
 * memory: a home mComponent for a new process, a backup for it (another
 * mComponent, when one is alive, that keeps a replica of the whole address
 * space: the pMonitor sends every change to both, see
 * processor/backend/mem_rpc.c) and an owner for each new vRegion (policy
 * in gmm_policy.c). GPM asks with GP2GM_PLACE when it
 * creates a vNode; a process's home mMonitor asks with M2G_VREGION_OWNER
 * when the process needs a new vRegion. The counts it places are soft state, lost on restart
 * like the rest of the registry.
 *
 * Locking: registry->lock, held while picking and counting.
 */
#include <errno.h>
#include <stdio.h>

#include <tessera/net/rpc.h>

#include "managers/mgr.h"

static int place(struct mgr_registry *r, const struct gp2gm_place_msg *q,
		 struct gp2gm_place_reply *rep)
{
	int home = gmm_pick_home(r->comps, r->n), backup;

	if (home < 0)
		return -ENODEV;
	*rep = (struct gp2gm_place_reply){ .version = MGR_VERSION,
					   .home_ip = r->comps[home].ip };
	r->comps[home].placed++;
	backup = gmm_pick_owner(r->comps, r->n, rep->home_ip);
	if (backup >= 0)
		rep->backup_ip = r->comps[backup].ip;
	for (u32 i = 0; i < q->vregions; i++) {
		int owner = gmm_pick_owner(r->comps, r->n, 0);

		rep->owner_ip[i] = r->comps[owner].ip;
		r->comps[owner].vregions++;
	}
	printf("%s: vnode %u: home %s, backup %s, first vregion owner %s\n", r->who,
	       q->vnode, r->comps[home].name,
	       backup >= 0 ? r->comps[backup].name : "none",
	       mgr_name_of(r, rep->owner_ip[0]));
	return 0;
}

static int handle_gp2gm_place(void *arg, const struct rpc_req *rq,
			      void *reply, u32 *reply_len)
{
	const struct gp2gm_place_msg *q = rq->body;
	struct mgr_registry *r = arg;
	int err;

	*reply_len = 0;
	if (rq->len != sizeof(*q) || q->version != MGR_VERSION ||
	    !q->vregions || q->vregions > MGR_PLACE_MAX)
		return -EINVAL;
	pthread_mutex_lock(&r->lock);
	err = place(r, q, reply);
	pthread_mutex_unlock(&r->lock);
	if (!err)
		*reply_len = sizeof(struct gp2gm_place_reply);
	return err;
}

static int handle_m2g_vregion_owner(void *arg, const struct rpc_req *rq,
				    void *reply, u32 *reply_len)
{
	const struct m2g_vregion_owner_msg *q = rq->body;
	struct m2g_vregion_owner_reply *rep = reply;
	struct mgr_registry *r = arg;
	int owner;

	*reply_len = 0;
	if (rq->len != sizeof(*q) || q->version != MGR_VERSION)
		return -EINVAL;
	pthread_mutex_lock(&r->lock);
	owner = gmm_pick_owner(r->comps, r->n, q->not_ip);
	if (owner >= 0) {
		r->comps[owner].vregions++;
		*rep = (struct m2g_vregion_owner_reply){
			.version = MGR_VERSION, .owner_ip = r->comps[owner].ip };
	}
	pthread_mutex_unlock(&r->lock);
	if (owner < 0)
		return -ENOMEM;
	*reply_len = sizeof(*rep);
	return 0;
}

/* A new backup for a process whose backup failed: any alive mComponent
 * but its primary, picked as a vRegion owner is; 0 when there is none. */
static int handle_p2g_backup(void *arg, const struct rpc_req *rq, void *reply,
			     u32 *reply_len)
{
	const struct p2g_backup_msg *q = rq->body;
	struct p2g_backup_reply *rep = reply;
	struct mgr_registry *r = arg;
	int pick;

	*reply_len = 0;
	if (rq->len != sizeof(*q) || q->version != MGR_VERSION || !q->primary_ip)
		return -EINVAL;
	*rep = (struct p2g_backup_reply){ .version = MGR_VERSION };
	pthread_mutex_lock(&r->lock);
	pick = gmm_pick_owner(r->comps, r->n, q->primary_ip);
	if (pick >= 0) {
		r->comps[pick].vregions++;
		rep->backup_ip = r->comps[pick].ip;
		printf("%s: pid %#x: new backup %s (primary %s)\n", r->who, q->pid,
		       r->comps[pick].name, mgr_name_of(r, q->primary_ip));
	}
	pthread_mutex_unlock(&r->lock);
	*reply_len = sizeof(*rep);
	return 0;
}

static int gmm_start(struct mgr *m)
{
	int err = rpc_register(m->ep, GP2GM_PLACE, handle_gp2gm_place, &m->reg);

	if (!err)
		err = rpc_register(m->ep, M2G_VREGION_OWNER, handle_m2g_vregion_owner, &m->reg);
	return err ? err : rpc_register(m->ep, P2G_BACKUP, handle_p2g_backup, &m->reg);
}

static int gmm_command(struct mgr *m, int argc, char **argv, struct mgr_out *o)
{
	return 1;
}

const struct mgr_role_ops gmm_ops = { "gmm", gmm_start, gmm_command };
