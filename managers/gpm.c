/*
 * GPM: tracks the pComponents (through the shared registry), creates and
 * lists vNodes, and places a vNode's first process on the least loaded
 * pComponent (gpm_policy.c). For a new vNode it asks GMM for a home
 * mComponent and a vRegion owner (GP2GM_PLACE) and GSM for storage
 * (GP2GS_ASSIGN). The `tessera` CLI reaches GPM through the CLI socket;
 * `run` (gpm_run.c) starts programs in vNodes, and `ps`, `kill` and
 * `signal` (gpm_proc.c) look at and signal their processes.
 *
 * Locking: gpm->lock guards the vNode table and the peers to GMM and GSM
 * (a vNode is created with it held, RPC calls included: creation is rare
 * and serialized); registry->lock is taken inside it.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <tessera/net/rpc.h>

#include "managers/mgr.h"

#define GPM_CALL_NS (2ull * 1000000000ull)

/* Call a manager at ip, connecting (again) when needed. */
static int gpm_call(struct mgr *m, struct rpc_peer **peer, u32 ip, u16 op,
		    const void *req, u32 len, void *rep, u32 cap)
{
	int err = -ECONNRESET;

	for (int attempt = 0; attempt < 2 && (err == -ECONNRESET ||
					      err == -ETIMEDOUT); attempt++) {
		if (!*peer)
			err = rpc_connect(m->ep, ip, GPM_CALL_NS, peer);
		if (*peer)
			err = rpc_call(*peer, op, req, len, rep, cap, GPM_CALL_NS);
		if (*peer && (err == -ECONNRESET || err == -ETIMEDOUT)) {
			rpc_peer_close(*peer);
			*peer = NULL;
		}
	}
	return err;
}

static int call_error(struct mgr_out *o, const char *who, u32 ip, int err,
		      const char *role)
{
	char a[16];

	mgr_ip_str(ip, a, sizeof(a));
	if (err == -ENODEV)
		mgr_outf(o, "err %s has no alive %s component\n", who, role);
	else
		mgr_outf(o, "err %s at %s did not answer: %s\n", who, a,
			 strerror(-err));
	return err;
}

/* Ask GMM and GSM where the vNode's memory and files go. */
static int place_remote(struct mgr *m, struct gpm *g, struct gpm_vnode *v,
			struct mgr_out *o)
{
	struct gp2gm_place_msg pq = { .version = MGR_VERSION, .vnode = v->id,
				      .vregions = 1 };
	struct gp2gs_assign_msg sq = { .version = MGR_VERSION, .vnode = v->id };
	struct gp2gm_place_reply pr;
	struct gp2gs_assign_reply sr;
	int err;

	err = gpm_call(m, &g->gmm, m->opts.gmm_ip, GP2GM_PLACE, &pq,
		       sizeof(pq), &pr, sizeof(pr));
	if (err < 0)
		return call_error(o, "GMM", m->opts.gmm_ip, err, "memory");
	err = gpm_call(m, &g->gsm, m->opts.gsm_ip, GP2GS_ASSIGN, &sq,
		       sizeof(sq), &sr, sizeof(sr));
	if (err < 0)
		return call_error(o, "GSM", m->opts.gsm_ip, err, "storage");
	v->home_ip = pr.home_ip;
	v->backup_ip = pr.backup_ip;
	v->owner_ip = pr.owner_ip[0];
	v->storage_ip = sr.storage_ip;
	return 0;
}

static int place_processor(struct mgr_registry *r, struct gpm_vnode *v)
{
	int p;

	pthread_mutex_lock(&r->lock);
	p = gpm_pick_processor(r->comps, r->n);
	if (p >= 0) {
		r->comps[p].placed++;
		v->processor_ip = r->comps[p].ip;
	}
	pthread_mutex_unlock(&r->lock);
	return p < 0 ? -ENODEV : 0;
}

static bool vnode_name_ok(const char *s)
{
	size_t n = strlen(s);

	if (n == 0 || n >= MGR_NAME_MAX || s[0] < 'a' || s[0] > 'z')
		return false;
	return strspn(s, "abcdefghijklmnopqrstuvwxyz0123456789_-") == n;
}

static void vnode_line(struct mgr_registry *r, const struct gpm_vnode *v,
		       struct mgr_out *o)
{
	pthread_mutex_lock(&r->lock);
	mgr_outf(o, "%3u %-12s %-9s %-8s %-8s %s\n", v->id, v->name,
		 mgr_name_of(r, v->processor_ip), mgr_name_of(r, v->home_ip),
		 mgr_name_of(r, v->owner_ip), mgr_name_of(r, v->storage_ip));
	pthread_mutex_unlock(&r->lock);
}

static struct gpm_vnode *vnode_find(struct gpm *g, const char *name)
{
	for (u32 i = 0; i < g->n; i++)
		if (!strcmp(g->vnodes[i].name, name))
			return &g->vnodes[i];
	return NULL;
}

/* Create vNode name; *out (if not NULL) gets a copy. gpm->lock held. */
static int vnode_create(struct mgr *m, struct gpm *g, const char *name,
			struct mgr_out *o, struct gpm_vnode *out)
{
	struct gpm_vnode v = { .id = g->next_id };
	int err;

	if (!vnode_name_ok(name))
		return mgr_outf(o, "err bad vnode name \"%s\" (a-z, then a-z 0-9 _ -, under %d)\n",
				name, MGR_NAME_MAX), -EINVAL;
	if (vnode_find(g, name))
		return mgr_outf(o, "err vnode %s exists\n", name), -EEXIST;
	if (g->n == MGR_MAX_VNODES)
		return mgr_outf(o, "err too many vnodes (%d)\n", MGR_MAX_VNODES), -ENOSPC;
	strcpy(v.name, name);
	err = place_remote(m, g, &v, o);
	if (!err && place_processor(&m->reg, &v))
		return mgr_outf(o, "err no alive processor component\n"), -ENODEV;
	if (err)
		return err;
	g->vnodes[g->n++] = v;
	g->next_id++;
	printf("%s: vnode %s id=%u created\n", m->opts.name, name, v.id);
	if (out) {
		*out = v;
		return 0;
	}
	mgr_outf(o, "%3s %-12s %-9s %-8s %-8s %s\n", "ID", "NAME",
		 "PROCESSOR", "HOME", "VREGION", "STORAGE");
	vnode_line(&m->reg, &v, o);
	return 0;
}

static int vnode_ls(struct mgr *m, struct gpm *g, struct mgr_out *o)
{
	mgr_outf(o, "%3s %-12s %-9s %-8s %-8s %s\n", "ID", "NAME",
		 "PROCESSOR", "HOME", "VREGION", "STORAGE");
	for (u32 i = 0; i < g->n; i++)
		vnode_line(&m->reg, &g->vnodes[i], o);
	return 0;
}

int gpm_vnode_get(struct mgr *m, const char *name, bool create, struct gpm_vnode *v,
		  struct mgr_out *o)
{
	struct gpm *g = m->role_state;
	struct gpm_vnode *found;
	char fresh[MGR_NAME_MAX];
	int err = 0;

	pthread_mutex_lock(&g->lock);
	if (!name) {
		snprintf(fresh, sizeof(fresh), "run-%u", g->next_id);
		name = fresh;
	}
	found = vnode_find(g, name);
	if (found)
		*v = *found;
	else if (create)
		err = vnode_create(m, g, name, o, v);
	else
		err = (mgr_outf(o, "err no vnode %s\n", name), -ENOENT);
	pthread_mutex_unlock(&g->lock);
	return err;
}

void gpm_vnode_remove(struct mgr *m, u32 id)
{
	struct gpm *g = m->role_state;

	pthread_mutex_lock(&g->lock);
	for (u32 i = 0; i < g->n; i++)
		if (g->vnodes[i].id == id) {
			memmove(&g->vnodes[i], &g->vnodes[i + 1],
				(g->n - i - 1) * sizeof(g->vnodes[0]));
			g->n--;
			break;
		}
	pthread_mutex_unlock(&g->lock);
}

static int gpm_command(struct mgr *m, int argc, char **argv, struct mgr_out *o)
{
	struct gpm *g = m->role_state;
	int err = 1;

	if (!strcmp(argv[0], "run"))
		return gpm_run(m, argc, argv, o);
	if (!strncmp(argv[0], "cp-", 3))
		return gpm_files_command(m, argc, argv, o);
	if (strcmp(argv[0], "vnode"))
		return gpm_proc_command(m, argc, argv, o);
	pthread_mutex_lock(&g->lock);
	if (argc == 3 && !strcmp(argv[1], "create"))
		err = vnode_create(m, g, argv[2], o, NULL);
	else if (argc == 2 && !strcmp(argv[1], "ls"))
		err = vnode_ls(m, g, o);
	pthread_mutex_unlock(&g->lock);
	if (err == 1)
		err = (mgr_outf(o, "err usage: vnode create NAME | vnode ls\n"), -EINVAL);
	return err;
}

static int gpm_start(struct mgr *m)
{
	struct gpm *g = calloc(1, sizeof(*g));

	if (!g)
		return -ENOMEM;
	pthread_mutex_init(&g->lock, NULL);
	pthread_mutex_init(&g->launch_lock, NULL);
	pthread_cond_init(&g->launch_cond, NULL);
	g->next_id = 1;
	g->next_launch = 1;
	m->role_state = g;
	return gpm_run_serve(m);
}

const struct mgr_role_ops gpm_ops = { "gpm", gpm_start, gpm_command };
