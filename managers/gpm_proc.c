/*
 * GPM's process commands, answered by asking the pComponents
 * (tessera/wire/proc.h):
 *
 *	ps [VNODE]              every process of each vNode (or of one):
 *	                        VNODE PID PPID PGID STAT PCOMP LINES TID CPU COMMAND
 *	                        (one row per thread: its tid, its state, the CPU
 *	                        it last ran on)
 *	kill VNODE PID SIGNO    kill(PID, SIGNO) in the vNode (PID < -1: a group)
 *	signal LAUNCH SIGNO     SIGNO to the process group of a run's first
 *	                        process (the CLI's Ctrl-C), or to that process
 *	                        if it left its group
 *
 * Locking: the vNode table is copied under gpm->lock and the registry's
 * names read under registry->lock; no lock is held across a call.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <tessera/net/rpc.h>

#include "managers/mgr.h"

#define PROC_CONNECT_NS (3ull * 1000000000ull)
#define PROC_CALL_NS (3ull * 1000000000ull)

static int proc_call(struct mgr *m, u32 ip, u16 op, const void *req, u32 len, void *rep,
		     u32 cap)
{
	struct rpc_peer *peer;
	int err = rpc_connect(m->ep, ip, PROC_CONNECT_NS, &peer);

	if (err)
		return err;
	err = rpc_call(peer, op, req, len, rep, cap, PROC_CALL_NS);
	rpc_peer_close(peer);
	return err < 0 ? err : 0;
}

/* *v: the decimal s, in [lo, hi]. 0, or -EINVAL with an error line. */
static int proc_num(const char *s, long long lo, long long hi, const char *what,
		    long long *v, struct mgr_out *o)
{
	char *end;

	errno = 0;
	*v = strtoll(s, &end, 10);
	if (!*s || *end || errno || *v < lo || *v > hi)
		return mgr_outf(o, "err bad %s \"%s\"\n", what, s), -EINVAL;
	return 0;
}

static void ps_rows(struct mgr *m, const struct gpm_vnode *v, const struct gp2p_ps_reply *r,
		    struct mgr_out *o)
{
	pthread_mutex_lock(&m->reg.lock);
	for (u32 i = 0; i < r->count; i++) {
		const struct proc_ps_entry *e = &r->e[i];

		mgr_outf(o, "%-12s %6u %6u %6u %-4c %-9s %6u %6u %3u %.*s\n", v->name, e->pid,
			 e->ppid, e->pgid, e->state, mgr_name_of(&m->reg, v->processor_ip),
			 e->lines, e->tid, e->cpu, PROC_ARGS_SHOW, e->args[0] ? e->args : e->comm);
	}
	pthread_mutex_unlock(&m->reg.lock);
}

/* The rows of one vNode, page by page. */
static int ps_vnode(struct mgr *m, const struct gpm_vnode *v, struct mgr_out *o)
{
	struct gp2p_ps_msg q = { .version = PROC_VERSION, .vnode = v->id };
	struct gp2p_ps_reply *r = malloc(sizeof(*r));
	int err = r ? 0 : -ENOMEM;

	while (!err) {
		err = proc_call(m, v->processor_ip, GP2P_PS, &q, sizeof(q), r, sizeof(*r));
		if (err)
			break;
		ps_rows(m, v, r, o);
		if (!r->more || !r->count)
			break;
		q.from = r->e[r->count - 1].pid;
		q.from_tid = r->e[r->count - 1].tid + 1;
	}
	free(r);
	if (err)
		mgr_outf(o, "%-12s (its pComponent did not answer: %s)\n", v->name, strerror(-err));
	return 0;
}

static int proc_ps(struct mgr *m, const char *name, struct mgr_out *o)
{
	struct gpm *g = m->role_state;
	struct gpm_vnode *vs = malloc(sizeof(g->vnodes));
	u32 n = 0;

	if (!vs)
		return mgr_outf(o, "err no memory\n"), -ENOMEM;
	pthread_mutex_lock(&g->lock);
	for (u32 i = 0; i < g->n; i++)
		if (!name || !strcmp(g->vnodes[i].name, name))
			vs[n++] = g->vnodes[i];
	pthread_mutex_unlock(&g->lock);
	if (name && !n) {
		free(vs);
		return mgr_outf(o, "err no vnode %s\n", name), -ENOENT;
	}
	mgr_outf(o, "%-12s %6s %6s %6s %-4s %-9s %6s %6s %3s %s\n", "VNODE", "PID", "PPID",
		 "PGID", "STAT", "PCOMP", "LINES", "TID", "CPU", "COMMAND");
	for (u32 i = 0; i < n; i++)
		ps_vnode(m, &vs[i], o);
	free(vs);
	return 0;
}

static int proc_kill_at(struct mgr *m, u32 ip, u32 vnode, s32 pid, int sig)
{
	struct gp2p_kill_msg q = { .version = PROC_VERSION, .signo = (u16)sig, .vnode = vnode,
				   .pid = pid };

	return proc_call(m, ip, GP2P_KILL, &q, sizeof(q), NULL, 0);
}

static int proc_kill(struct mgr *m, char **argv, struct mgr_out *o)
{
	long long pid, sig;
	struct gpm_vnode v;
	int err = proc_num(argv[2], -0x7fffffffll, 0x7fffffffll, "pid", &pid, o);

	if (!err)
		err = proc_num(argv[3], 0, 64, "signal", &sig, o);
	if (err)
		return err;
	if (pid == 0 || pid == -1)
		return mgr_outf(o, "err kill: pid 0 and -1 name no process from outside\n"),
		       -EINVAL;
	err = gpm_vnode_get(m, argv[1], false, &v, o);
	if (err)
		return err;
	err = proc_kill_at(m, v.processor_ip, v.id, (s32)pid, (int)sig);
	if (err)
		return mgr_outf(o, "err kill %lld in %s: %s\n", pid, v.name, strerror(-err)), err;
	return 0;
}

static int proc_signal(struct mgr *m, char **argv, struct mgr_out *o)
{
	long long id, sig;
	u32 ip, vnode, pid;
	int err = proc_num(argv[1], 1, 0x7fffffffffffffffll, "launch", &id, o);

	if (!err)
		err = proc_num(argv[2], 1, 64, "signal", &sig, o);
	if (err)
		return err;
	if (gpm_launch_where(m, (u64)id, &ip, &vnode, &pid))
		return mgr_outf(o, "err no running launch %lld\n", id), -ENOENT;
	err = proc_kill_at(m, ip, vnode, -(s32)pid, (int)sig);
	if (err == -ESRCH)
		err = proc_kill_at(m, ip, vnode, (s32)pid, (int)sig);
	if (err)
		return mgr_outf(o, "err signal launch %lld: %s\n", id, strerror(-err)), err;
	return 0;
}

int gpm_proc_command(struct mgr *m, int argc, char **argv, struct mgr_out *o)
{
	if (!strcmp(argv[0], "ps") && argc <= 2)
		return proc_ps(m, argc == 2 ? argv[1] : NULL, o);
	if (!strcmp(argv[0], "kill") && argc == 4)
		return proc_kill(m, argv, o);
	if (!strcmp(argv[0], "signal") && argc == 3)
		return proc_signal(m, argv, o);
	if (!strcmp(argv[0], "ps") || !strcmp(argv[0], "kill") || !strcmp(argv[0], "signal"))
		return mgr_outf(o, "err usage: ps [VNODE] | kill VNODE PID SIGNO | "
			       "signal LAUNCH SIGNO\n"), -EINVAL;
	return 1;
}
