/*
 * The launch service: GPM's GP2P_EXEC starts a program in a vNode on this
 * pMonitor (tessera/wire/proc.h). The handler checks the message, routes
 * the new process to the vNode's home mMonitor and sMonitor
 * (launch_route.c), and spawns it with two sinks that send what the
 * program writes to fds 1 and 2 back to GPM as P2GP_OUTPUT, one blocking
 * call per write, in order. A waiter thread per launch sends P2GP_EXIT
 * with the status, the reason and the counters when the process ends, and
 * frees it; a faulting program ends only itself.
 *
 * Locking: a struct plaunch belongs to its launch; out_lock (mutex)
 * serializes its OUTPUT calls, so writes of several threads stay whole
 * and ordered. The connection to GPM is plaunch_gpm, guarded by
 * plaunch_gpm_lock (mutex, held across connecting; taken inside out_lock).
 */
#include <tessera/errno.h>
#include <tessera/kmalloc.h>
#include <tessera/mutex.h>
#include <tessera/net/rpc.h>
#include <tessera/printk.h>
#include <tessera/string.h>
#include <tessera/thread.h>
#include <tessera/time.h>
#include <tessera/wire/proc.h>

#include "processor/launch/launch.h"
#include "processor/proc/proc.h"

#define PLAUNCH_CALL_NS (5ull * NSEC_PER_SEC)

struct plaunch_stream {
	struct plaunch *l;
	u16 stream;
};

struct plaunch {
	struct pmon *mon;
	struct pproc *p;
	u64 launch;
	u32 gpm_ip;
	u64 start_ns;
	struct plaunch_route route;
	struct plaunch_stream out_ctx, err_ctx;
	struct pfd_sink out, err;
	struct mutex out_lock;
	struct p2gp_output_msg msg; /* [out_lock] */
};

/* What a launched program finds in its environment. */
static const char *const plaunch_env[] = { "PATH=/bin:/usr/bin", "HOME=/" };

static struct mutex plaunch_gpm_lock;
static struct rpc_peer *plaunch_gpm; /* [plaunch_gpm_lock] */
static struct rpc_ep *plaunch_ep;
static struct pmon *plaunch_mon;

/* Call GPM at ip (the one that sent EXEC), connecting again once if the
 * connection failed. The reply has no body. */
static int plaunch_call(u32 ip, u16 op, const void *body, u32 len)
{
	int err = -ECONNRESET;

	mutex_lock(&plaunch_gpm_lock);
	for (int attempt = 0; attempt < 2 && (err == -ECONNRESET || err == -ETIMEDOUT);
	     attempt++) {
		if (plaunch_gpm && rpc_peer_ip(plaunch_gpm) != ip) {
			rpc_peer_close(plaunch_gpm);
			plaunch_gpm = NULL;
		}
		err = plaunch_gpm ? 0 : rpc_connect(plaunch_ep, ip, PLAUNCH_CALL_NS, &plaunch_gpm);
		if (!err)
			err = rpc_call(plaunch_gpm, op, body, len, NULL, 0, PLAUNCH_CALL_NS);
		if (plaunch_gpm && (err == -ECONNRESET || err == -ETIMEDOUT)) {
			rpc_peer_close(plaunch_gpm);
			plaunch_gpm = NULL;
		}
	}
	mutex_unlock(&plaunch_gpm_lock);
	return err < 0 ? err : 0;
}

/* A sink's write: the bytes go to GPM in OUTPUT messages. */
static void plaunch_write(void *ctx, const void *buf, u64 len)
{
	struct plaunch_stream *s = ctx;
	struct plaunch *l = s->l;
	const u8 *b = buf;

	mutex_lock(&l->out_lock);
	while (len) {
		u32 n = (u32)MIN(len, (u64)PROC_OUTPUT_MAX);

		l->msg = (struct p2gp_output_msg){ .version = PROC_VERSION, .stream = s->stream,
						   .len = n, .launch = l->launch };
		memcpy(l->msg.data, b, n);
		if (plaunch_call(l->gpm_ip, P2GP_OUTPUT, &l->msg, (u32)PROC_OUTPUT_HDR + n))
			pr_warn("launch %lu: output lost: GPM does not answer\n", l->launch);
		b += n;
		len -= n;
	}
	mutex_unlock(&l->out_lock);
}

static void plaunch_exit_msg(struct plaunch *l, struct p2gp_exit_msg *m)
{
	const struct pproc_stats *s = &l->p->stats;

	memset(m, 0, sizeof(*m));
	m->version = PROC_VERSION;
	m->status = l->p->exit_status;
	m->launch = l->launch;
	str_copy(m->reason, l->p->exit_reason, sizeof(m->reason));
	m->stats = (struct proc_wire_stats){
		.misses = s->misses, .zero_fills = s->zero_fills, .file_fills = s->file_fills,
		.fetches = s->fetches, .soft_hits = s->soft_hits, .evictions = s->evictions,
		.writebacks = s->writebacks, .run_ns = time_ns() - l->start_ns,
	};
	pfault_miss_latency(l->p, &m->stats.miss_median_ns, &m->stats.miss_p99_ns);
}

static void plaunch_free(struct plaunch *l)
{
	plaunch_unroute(&l->route);
	kfree(l);
}

/* The launch's waiter: EXIT to GPM once the process has ended. */
static void plaunch_wait_main(void *arg)
{
	struct plaunch *l = arg;
	struct p2gp_exit_msg m;
	int err;

	pproc_wait(l->p);
	plaunch_exit_msg(l, &m);
	pproc_free(l->p);
	err = plaunch_call(l->gpm_ip, P2GP_EXIT, &m, sizeof(m));
	if (err)
		pr_warn("launch %lu: GPM did not take the exit status: %d\n", l->launch, err);
	plaunch_free(l);
}

static struct plaunch *plaunch_new(const struct gp2p_exec_msg *m, u32 gpm_ip)
{
	struct plaunch *l = kzalloc(sizeof(*l));

	if (!l)
		return NULL;
	l->mon = plaunch_mon;
	l->launch = m->launch;
	l->gpm_ip = gpm_ip;
	l->start_ns = time_ns();
	l->out_ctx = (struct plaunch_stream){ l, PROC_STDOUT };
	l->err_ctx = (struct plaunch_stream){ l, PROC_STDERR };
	l->out = (struct pfd_sink){ .write = plaunch_write, .ctx = &l->out_ctx };
	l->err = (struct pfd_sink){ .write = plaunch_write, .ctx = &l->err_ctx };
	mutex_init(&l->out_lock, "launch.out", LOCK_RANK_LAUNCH_OUT);
	return l;
}

static int plaunch_start(struct plaunch *l, const struct gp2p_exec_msg *m,
			 const char *const *argv)
{
	struct pproc_spawn a = {
		.path = m->strs, .argv = argv, .argc = m->argc,
		.envp = plaunch_env, .envc = ARRAY_SIZE(plaunch_env),
		.out = &l->out, .err = &l->err,
		.pid = pmon_new_pid(l->mon),
	};
	int err = plaunch_route(l->mon, a.pid, m, &l->route);

	if (err)
		return err;
	a.files = &l->route.files;
	err = pproc_spawn(l->mon, &a, &l->p);
	if (err) {
		excache_unlimit_space(&l->mon->cache, a.pid);
		return err;
	}
	err = thread_spawn(plaunch_wait_main, l, "launch");
	if (err) {
		/* No waiter: the process uses l until it ends, so wait here. */
		pproc_wait(l->p);
		pproc_free(l->p);
	}
	return err;
}

static int handle_gp2p_exec(void *arg, const struct rpc_req *rq, void *reply,
			    u32 *reply_len)
{
	const struct gp2p_exec_msg *m = rq->body;
	const char *argv[PROC_ARGS_MAX + 1];
	struct gp2p_exec_reply *rep = reply;
	struct plaunch *l;
	int err = plaunch_parse(m, rq->len, argv);

	if (err)
		return err;
	l = plaunch_new(m, rq->peer_ip);
	if (!l)
		return -ENOMEM;
	err = plaunch_start(l, m, argv);
	if (err) {
		pr_info("launch %lu: %s: error %d\n", m->launch, m->strs, err);
		plaunch_free(l);
		return err;
	}
	pr_info("launch %lu: %s is pid %u\n", m->launch, m->strs, l->p->pid);
	*rep = (struct gp2p_exec_reply){ .version = PROC_VERSION, .pid = l->p->pid,
					 .excache_bytes = l->route.excache_bytes };
	*reply_len = sizeof(*rep);
	return 0;
}

int plaunch_serve(struct pmon *mon, struct rpc_ep *ep)
{
	mutex_init(&plaunch_gpm_lock, "launch.gpm", LOCK_RANK_LAUNCH_GPM);
	plaunch_mon = mon;
	plaunch_ep = ep;
	return rpc_register(ep, GP2P_EXEC, handle_gp2p_exec, NULL);
}
