/*
 * GPM's `run`: start a program in a vNode and stream it to the CLI. The
 * request picks or creates the vNode (gpm_vnode_get: GPM's processor,
 * GMM's home and owner, GSM's storage), registers a launch, and sends
 * GP2P_EXEC to the vNode's pComponent (tessera/wire/proc.h). The
 * pMonitor's P2GP_OUTPUT calls are written to the CLI connection as they
 * come, each as a frame "out STREAM LEN\n" and LEN bytes; P2GP_EXIT ends
 * the launch, and the request's answer ends with
 *
 *	exit STATUS
 *	reason TEXT          (only if the program died of a fault)
 *	stats KEY=VALUE ...  (the process's fault and ExCache counters)
 *	ok
 *
 * Once the program runs, the answer's first line is "launch ID PID" (the
 * CLI's Ctrl-C names the launch to `signal`), and the connection's bytes
 * after the request line are the program's stdin (gpm_input.c).
 *
 * With --upload SIZE, PATH is a bare name and the connection's first SIZE
 * bytes (before stdin) are the program: GPM puts it on the vNode's
 * storage under RUN_UPLOAD_DIR, runs it from there and removes it after.
 *
 * If the pComponent dies first, the answer is "err ...". A vNode the run
 * made for itself (no --vnode) is forgotten when the run is over.
 *
 * Locking: see mgr.h (gpm->launch_lock). The CLI thread waits on
 * launch_cond; the RPC workers run the OUTPUT and EXIT handlers.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <tessera/net/rpc.h>

#include "managers/mgr.h"

#define RUN_CONNECT_NS (5ull * 1000000000ull)
#define RUN_EXEC_NS (60ull * 1000000000ull)
#define RUN_POLL_MS 500
#define RUN_UPLOAD_DIR "/.upload" /* where uploaded programs stay while they run */

struct run_req {
	const char *vnode; /* NULL: a fresh vNode */
	u64 excache;
	bool upload;       /* the program's upload_size bytes come first */
	u64 upload_size;
	int argc; /* path and its argv: argv[0] is the path */
	char **argv;
};

/* Decode %XX escapes in place; -1 if s holds a bad one. */
static int run_unescape(char *s)
{
	char *w = s;

	for (; *s; s++) {
		unsigned v;

		if (*s != '%') {
			*w++ = *s;
			continue;
		}
		if (sscanf(s + 1, "%2x", &v) != 1 || !s[1] || !s[2])
			return -1;
		*w++ = (char)v;
		s += 2;
	}
	*w = '\0';
	return 0;
}

static int run_parse(int argc, char **argv, struct run_req *r, struct mgr_out *o)
{
	int i = 1;
	char *end;

	memset(r, 0, sizeof(*r));
	for (; i + 1 < argc && !strncmp(argv[i], "--", 2); i += 2) {
		if (!strcmp(argv[i], "--vnode")) {
			r->vnode = argv[i + 1];
		} else if (!strcmp(argv[i], "--upload")) {
			r->upload = true;
			r->upload_size = strtoull(argv[i + 1], &end, 10);
			if (*end || !r->upload_size)
				return mgr_outf(o, "err bad --upload %s\n", argv[i + 1]), -EINVAL;
		} else if (!strcmp(argv[i], "--excache")) {
			r->excache = strtoull(argv[i + 1], &end, 10);
			if (*end || !r->excache)
				return mgr_outf(o, "err bad --excache %s\n", argv[i + 1]), -EINVAL;
		} else {
			return mgr_outf(o, "err run: unknown option %s\n", argv[i]), -EINVAL;
		}
	}
	if (i == argc)
		return mgr_outf(o, "err usage: run [--vnode NAME] [--excache BYTES] [--upload SIZE] "
			    "PATH [ARGS...]\n"),
		       -EINVAL;
	r->argc = argc - i;
	r->argv = argv + i;
	for (int a = 0; a < r->argc; a++)
		if (run_unescape(r->argv[a]))
			return mgr_outf(o, "err run: bad %%-escape in \"%s\"\n", r->argv[a]), -EINVAL;
	if (r->argv[0][0] != '/' && !r->upload)
		return mgr_outf(o, "err run: the path must be absolute: %s\n", r->argv[0]), -EINVAL;
	if (r->upload && strchr(r->argv[0], '/'))
		return mgr_outf(o, "err run: an uploaded program is named without a '/': %s\n",
				r->argv[0]), -EINVAL;
	return 0;
}

/* Pack the EXEC body: path, then argv (argv[0] is the path as given). */
static int run_pack(const struct run_req *r, const struct gpm_vnode *v, u64 launch,
		    struct gp2p_exec_msg *m, struct mgr_out *o)
{
	u32 off = 0;

	memset(m, 0, PROC_EXEC_HDR);
	m->version = PROC_VERSION;
	m->argc = (u16)r->argc;
	m->vnode = v->id;
	m->launch = launch;
	m->home_ip = v->home_ip;
	m->backup_ip = v->backup_ip;
	m->storage_ip = v->storage_ip;
	m->excache_bytes = r->excache;
	if (r->argc > PROC_ARGS_MAX || strlen(r->argv[0]) >= PROC_PATH_MAX)
		return mgr_outf(o, "err run: more than %d arguments or a path over %d bytes\n",
				PROC_ARGS_MAX - 1, PROC_PATH_MAX - 1), -E2BIG;
	for (int a = -1; a < r->argc; a++) {
		const char *s = r->argv[a < 0 ? 0 : a];
		size_t n = strlen(s) + 1;

		if (off + n > PROC_STRS_MAX)
			return mgr_outf(o, "err run: arguments over %d bytes\n", PROC_STRS_MAX),
			       -E2BIG;
		memcpy(m->strs + off, s, n);
		off += (u32)n;
	}
	m->strs_len = off;
	return 0;
}

/* --- the launch table --- */

static struct gpm_launch *launch_add(struct gpm *g, int fd)
{
	struct gpm_launch *l = calloc(1, sizeof(*l));

	if (!l)
		return NULL;
	l->fd = fd;
	pthread_mutex_lock(&g->launch_lock);
	for (int i = 0; i < GPM_MAX_LAUNCHES; i++)
		if (!g->launches[i]) {
			l->id = g->next_launch++;
			g->launches[i] = l;
			break;
		}
	pthread_mutex_unlock(&g->launch_lock);
	if (!l->id) {
		free(l);
		return NULL;
	}
	return l;
}

static void launch_del(struct gpm *g, struct gpm_launch *l)
{
	pthread_mutex_lock(&g->launch_lock);
	for (int i = 0; i < GPM_MAX_LAUNCHES; i++)
		if (g->launches[i] == l)
			g->launches[i] = NULL;
	pthread_mutex_unlock(&g->launch_lock);
	free(l);
}

/* The launch with id; launch_lock held. */
static struct gpm_launch *launch_find(struct gpm *g, u64 id)
{
	for (int i = 0; i < GPM_MAX_LAUNCHES; i++)
		if (g->launches[i] && g->launches[i]->id == id)
			return g->launches[i];
	return NULL;
}

/* --- the pMonitor's calls --- */

static int handle_p2gp_output(void *arg, const struct rpc_req *rq, void *reply,
			      u32 *reply_len)
{
	const struct p2gp_output_msg *msg = rq->body;
	struct gpm *g = ((struct mgr *)arg)->role_state;
	struct gpm_launch *l;
	char head[48];
	int err = 0;

	(void)reply;
	*reply_len = 0;
	if (msg->version != PROC_VERSION || msg->len != rq->len - PROC_OUTPUT_HDR ||
	    (msg->stream != PROC_STDOUT && msg->stream != PROC_STDERR))
		return -EINVAL;
	snprintf(head, sizeof(head), "out %u %u\n", msg->stream, msg->len);
	pthread_mutex_lock(&g->launch_lock);
	l = launch_find(g, msg->launch);
	if (!l)
		err = -ENOENT;
	else if (!l->lost && (mgr_write_all(l->fd, head, strlen(head)) ||
			      mgr_write_all(l->fd, msg->data, msg->len)))
		l->lost = true;
	pthread_mutex_unlock(&g->launch_lock);
	return err;
}

static int handle_p2gp_exit(void *arg, const struct rpc_req *rq, void *reply,
			    u32 *reply_len)
{
	const struct p2gp_exit_msg *msg = rq->body;
	struct gpm *g = ((struct mgr *)arg)->role_state;
	struct gpm_launch *l;

	(void)reply;
	*reply_len = 0;
	if (msg->version != PROC_VERSION || !memchr(msg->reason, 0, sizeof(msg->reason)))
		return -EINVAL;
	pthread_mutex_lock(&g->launch_lock);
	l = launch_find(g, msg->launch);
	if (l) {
		l->exit = *msg;
		l->done = true;
		pthread_cond_broadcast(&g->launch_cond);
	}
	pthread_mutex_unlock(&g->launch_lock);
	return l ? 0 : -ENOENT;
}

int gpm_run_serve(struct mgr *m)
{
	int err = rpc_register(m->ep, P2GP_OUTPUT, handle_p2gp_output, m);

	return err ? err : rpc_register(m->ep, P2GP_EXIT, handle_p2gp_exit, m);
}

/* --- the run --- */

static int run_exec(struct mgr *m, const struct gpm_vnode *v, const struct gp2p_exec_msg *msg,
		    u32 *pid, struct mgr_out *o)
{
	struct gp2p_exec_reply rep;
	struct rpc_peer *peer;
	char who[MGR_NAME_MAX];
	int err = rpc_connect(m->ep, v->processor_ip, RUN_CONNECT_NS, &peer);

	if (!err) {
		err = rpc_call(peer, GP2P_EXEC, msg, (u32)PROC_EXEC_HDR + msg->strs_len, &rep,
			       sizeof(rep), RUN_EXEC_NS);
		rpc_peer_close(peer);
	}
	if (err >= 0) {
		*pid = rep.pid;
		return 0;
	}
	pthread_mutex_lock(&m->reg.lock);
	snprintf(who, sizeof(who), "%s", mgr_name_of(&m->reg, v->processor_ip));
	pthread_mutex_unlock(&m->reg.lock);
	mgr_outf(o, "err %s cannot run %s: %s\n", who, msg->strs, strerror(-err));
	return err;
}

/* The pComponent at ip is dead or rebooted since nonce. */
static bool run_lost_processor(struct mgr_registry *r, u32 ip, u64 nonce)
{
	struct mgr_comp *c;
	bool lost;

	pthread_mutex_lock(&r->lock);
	c = mgr_find_ip(r, ip);
	lost = !c || c->state == MGR_DEAD || c->nonce != nonce;
	pthread_mutex_unlock(&r->lock);
	return lost;
}

static u64 run_nonce(struct mgr_registry *r, u32 ip)
{
	struct mgr_comp *c;
	u64 nonce;

	pthread_mutex_lock(&r->lock);
	c = mgr_find_ip(r, ip);
	nonce = c ? c->nonce : 0;
	pthread_mutex_unlock(&r->lock);
	return nonce;
}

/* Wait for l's EXIT; -EHOSTDOWN if its pComponent went away first. */
static int run_wait(struct mgr *m, struct gpm_launch *l, u32 ip, u64 nonce)
{
	struct gpm *g = m->role_state;
	int err = 0;

	pthread_mutex_lock(&g->launch_lock);
	while (!l->done && !err) {
		struct timespec ts;

		clock_gettime(CLOCK_REALTIME, &ts);
		ts.tv_nsec += RUN_POLL_MS * 1000000L;
		ts.tv_sec += ts.tv_nsec / 1000000000L;
		ts.tv_nsec %= 1000000000L;
		pthread_cond_timedwait(&g->launch_cond, &g->launch_lock, &ts);
		pthread_mutex_unlock(&g->launch_lock);
		if (run_lost_processor(&m->reg, ip, nonce))
			err = -EHOSTDOWN;
		pthread_mutex_lock(&g->launch_lock);
	}
	pthread_mutex_unlock(&g->launch_lock);
	return l->done ? 0 : err;
}

/* The answer to the CLI; components in the reason are named. */
static void run_answer(struct mgr_registry *r, const struct p2gp_exit_msg *e,
		       struct mgr_out *o)
{
	const struct proc_wire_stats *s = &e->stats;
	char why[2 * PROC_REASON_MAX];

	mgr_outf(o, "exit %d\n", e->status);
	pthread_mutex_lock(&r->lock);
	mgr_names_in(r, e->reason, why, sizeof(why));
	pthread_mutex_unlock(&r->lock);
	if (why[0])
		mgr_outf(o, "reason %s\n", why);
	mgr_outf(o, "stats misses=%llu zero_fills=%llu file_fills=%llu fetches=%llu "
		    "soft_hits=%llu evictions=%llu writebacks=%llu run_ms=%llu "
		    "miss_median_us=%llu miss_p99_us=%llu forks=%llu fork_bytes=%llu\n",
		 (unsigned long long)s->misses, (unsigned long long)s->zero_fills,
		 (unsigned long long)s->file_fills, (unsigned long long)s->fetches,
		 (unsigned long long)s->soft_hits, (unsigned long long)s->evictions,
		 (unsigned long long)s->writebacks, (unsigned long long)(s->run_ns / 1000000),
		 (unsigned long long)(s->miss_median_ns / 1000),
		 (unsigned long long)(s->miss_p99_ns / 1000), (unsigned long long)s->forks,
		 (unsigned long long)s->fork_bytes);
}

/* The program runs as pid: tell the CLI, note where, pump its stdin. */
static void run_started(struct mgr *m, struct gpm_launch *l, const struct gpm_vnode *v,
			u32 pid)
{
	struct gpm *g = m->role_state;
	char line[64];

	snprintf(line, sizeof(line), "launch %llu %u\n", (unsigned long long)l->id, pid);
	pthread_mutex_lock(&g->launch_lock);
	l->processor_ip = v->processor_ip;
	l->vnode = v->id;
	l->pid = pid;
	if (!l->lost && mgr_write_all(l->fd, line, strlen(line)))
		l->lost = true;
	pthread_mutex_unlock(&g->launch_lock);
	if (gpm_input_start(m, l, v->processor_ip))
		fprintf(stderr, "%s: launch %llu: no stdin\n", m->opts.name,
			(unsigned long long)l->id);
}

int gpm_launch_where(struct mgr *m, u64 id, u32 *ip, u32 *vnode, u32 *pid)
{
	struct gpm *g = m->role_state;
	struct gpm_launch *l;
	int err = -ENOENT;

	pthread_mutex_lock(&g->launch_lock);
	l = launch_find(g, id);
	if (l && l->pid && !l->done) {
		*ip = l->processor_ip;
		*vnode = l->vnode;
		*pid = l->pid;
		err = 0;
	}
	pthread_mutex_unlock(&g->launch_lock);
	return err;
}

static int run_launch(struct mgr *m, const struct run_req *r, const struct gpm_vnode *v,
		      struct mgr_out *o)
{
	struct gp2p_exec_msg *msg = malloc(sizeof(*msg));
	struct gpm_launch *l = msg ? launch_add(m->role_state, o->fd) : NULL;
	u64 nonce = run_nonce(&m->reg, v->processor_ip);
	u32 pid = 0;
	int err;

	if (!l) {
		free(msg);
		return mgr_outf(o, "err too many programs running (%d)\n", GPM_MAX_LAUNCHES),
		       -EBUSY;
	}
	err = run_pack(r, v, l->id, msg, o);
	if (!err)
		err = run_exec(m, v, msg, &pid, o);
	free(msg);
	if (!err)
		run_started(m, l, v, pid);
	if (!err)
		err = run_wait(m, l, v->processor_ip, nonce);
	gpm_input_stop(l);
	if (err == -EHOSTDOWN)
		mgr_outf(o, "err the pComponent running %s went away\n", r->argv[0]);
	if (!err)
		run_answer(&m->reg, &l->exit, o);
	launch_del(m->role_state, l);
	return err;
}

/* Put the program the CLI sends first on the vNode's storage (as
 * RUN_UPLOAD_DIR/N/NAME, N a directory of its own, so that the program
 * keeps its name: busybox looks at it), run it, and remove both. */
static int run_uploaded(struct mgr *m, struct run_req *r, const struct gpm_vnode *v,
			struct mgr_out *o)
{
	static u64 next;
	char dir[64], path[PROC_PATH_MAX], *name = r->argv[0];
	int err;

	snprintf(dir, sizeof(dir), RUN_UPLOAD_DIR "/%llu-%llx",
		 (unsigned long long)__atomic_add_fetch(&next, 1, __ATOMIC_RELAXED),
		 (unsigned long long)m->reg.epoch);
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	err = gpm_files_mkdir(m, v, RUN_UPLOAD_DIR, o);
	if (!err)
		err = gpm_files_mkdir(m, v, dir, o);
	if (!err)
		err = gpm_files_put(m, v, path, r->upload_size, 0755, o->fd, o);
	if (!err) {
		r->argv[0] = path;
		err = run_launch(m, r, v, o);
		r->argv[0] = name;
	}
	if (gpm_files_unlink(m, v, path, false) + gpm_files_unlink(m, v, dir, true))
		fprintf(stderr, "%s: could not remove all of %s\n", m->opts.name, dir);
	return err;
}

int gpm_run(struct mgr *m, int argc, char **argv, struct mgr_out *o)
{
	struct gpm_vnode v;
	struct run_req r;
	int err = run_parse(argc, argv, &r, o);

	if (!err)
		err = gpm_vnode_get(m, r.vnode, true, &v, o);
	if (err)
		return err;
	printf("%s: run %s in vnode %s\n", m->opts.name, r.argv[0], v.name);
	err = r.upload ? run_uploaded(m, &r, &v, o) : run_launch(m, &r, &v, o);
	if (!r.vnode)
		gpm_vnode_remove(m, v.id);
	return err;
}
