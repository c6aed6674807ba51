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
 * A launch's process may fork: every process of its tree holds the launch
 * (pproc_owner), whose sinks and file backend they use, and the waiter
 * holds it too; the last one frees it. Output written after EXIT was sent
 * (by processes that outlive the first) is dropped: GPM has closed the
 * launch.
 *
 * The launch's stdin is a pipe: its read end is fd 0 of the first process
 * (and of its children, as they inherit it), its write end is the
 * launch's, fed by GPM's INPUT calls (plaunch_input) without waiting:
 * what does not fit GPM sends again. INPUT finds its launch in the
 * launch table, by GPM's launch id.
 *
 * Calls to GPM go through the monitor's shared connection to its address
 * (tessera/cluster/peer.h), the one membership uses: a peer keeps one
 * connection per address, so a second one of our own would replace it.
 *
 * Locking: a struct plaunch belongs to its launch; refs is atomic;
 * out_lock (mutex) serializes its OUTPUT calls, so writes of several
 * threads stay whole and ordered, and guards done. in_lock (mutex)
 * guards in_wr. plaunch_lock (spinlock) guards the launch table; a
 * launch leaves it before it is freed, and a lookup takes a reference
 * only while refs is not 0 yet.
 */
#include <tessera/cluster/peer.h>
#include <tessera/errno.h>
#include <tessera/kmalloc.h>
#include <tessera/list.h>
#include <tessera/lock.h>
#include <tessera/mutex.h>
#include <tessera/net/rpc.h>
#include <tessera/printk.h>
#include <tessera/string.h>
#include <tessera/thread.h>
#include <tessera/time.h>
#include <tessera/uapi/fcntl.h>
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
	u32 refs;          /* the EXEC handler, the waiter, each process */
	u32 pid;           /* p's, readable after p is freed */
	bool done;         /* [out_lock] EXIT was sent */
	u64 launch;
	u32 gpm_ip;
	u64 start_ns;
	struct plaunch_route route;
	struct plaunch_stream out_ctx, err_ctx;
	struct pfd_sink out, err;
	struct mutex out_lock;
	struct p2gp_output_msg msg; /* [out_lock] */
	struct mutex in_lock;
	struct pfd_file *in_wr; /* [in_lock] stdin's write end; NULL after EOF */
	struct pfd_file *in_rd; /* stdin's read end until the spawn */
	struct list_node link;  /* [plaunch_lock] on plaunch_table */
};

/* What a launched program finds in its environment. */
static const char *const plaunch_env[] = { "PATH=/bin:/usr/bin", "HOME=/" };

static struct pmon *plaunch_mon;
static struct spinlock plaunch_lock = SPINLOCK_INIT("launches", LOCK_RANK_LAUNCHES);
static struct list_node plaunch_table = LIST_INIT(plaunch_table);

/* Call GPM at ip (the one that sent EXEC), once more if the connection
 * failed (peer_call connects again). The reply has no body. */
static int plaunch_call(u32 ip, u16 op, const void *body, u32 len)
{
	int err = -ECONNRESET;

	for (int attempt = 0; attempt < 2 && (err == -ECONNRESET || err == -ETIMEDOUT);
	     attempt++)
		err = peer_call(ip, op, body, len, NULL, 0, PLAUNCH_CALL_NS);
	return err < 0 ? err : 0;
}

/* A sink's write: the bytes go to GPM in OUTPUT messages. */
static void plaunch_write(void *ctx, const void *buf, u64 len)
{
	struct plaunch_stream *s = ctx;
	struct plaunch *l = s->l;
	const u8 *b = buf;

	mutex_lock(&l->out_lock);
	while (len && !l->done) {
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
		.forks = s->forks, .fork_bytes = s->fork_bytes,
	};
	pfault_miss_latency(l->p, &m->stats.miss_median_ns, &m->stats.miss_p99_ns);
}

static void plaunch_free(struct plaunch *l)
{
	spin_lock(&plaunch_lock);
	list_del(&l->link); /* a launch never listed is linked to itself */
	spin_unlock(&plaunch_lock);
	pfd_put(l->in_wr);
	pfd_put(l->in_rd);
	plaunch_unroute(&l->route);
	kfree(l);
}

/* pproc_owner.hold of every process of the launch's tree. */
static void plaunch_hold(void *ctx, int delta)
{
	struct plaunch *l = ctx;

	if (__atomic_add_fetch(&l->refs, delta, __ATOMIC_ACQ_REL) == 0)
		plaunch_free(l);
}

struct plaunch *plaunch_get(u64 launch)
{
	struct plaunch *found = NULL;
	struct list_node *n;

	spin_lock(&plaunch_lock);
	list_for_each(n, &plaunch_table) {
		struct plaunch *l = list_entry(n, struct plaunch, link);
		u32 refs = __atomic_load_n(&l->refs, __ATOMIC_RELAXED);

		while (l->launch == launch && refs && !found)
			if (__atomic_compare_exchange_n(&l->refs, &refs, refs + 1, false,
							__ATOMIC_ACQ_REL, __ATOMIC_RELAXED))
				found = l;
	}
	spin_unlock(&plaunch_lock);
	return found;
}

void plaunch_put(struct plaunch *l)
{
	plaunch_hold(l, -1);
}

long plaunch_input(struct plaunch *l, const void *buf, u32 len, bool eof)
{
	long r = 0;

	mutex_lock(&l->in_lock);
	if (!l->in_wr)
		r = -EPIPE;
	else if (len)
		r = pfd_write(l->in_wr, buf, len);
	if (r == -EAGAIN)
		r = 0;
	if (eof && l->in_wr) {
		pfd_put(l->in_wr);
		l->in_wr = NULL;
	}
	mutex_unlock(&l->in_lock);
	return r;
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
	mutex_lock(&l->out_lock);
	err = plaunch_call(l->gpm_ip, P2GP_EXIT, &m, sizeof(m));
	l->done = true;
	mutex_unlock(&l->out_lock);
	if (err)
		pr_warn("launch %lu: GPM did not take the exit status: %d\n", l->launch, err);
	plaunch_hold(l, -1);
}

static struct plaunch *plaunch_new(const struct gp2p_exec_msg *m, u32 gpm_ip)
{
	struct plaunch *l = kzalloc(sizeof(*l));

	if (!l)
		return NULL;
	l->mon = plaunch_mon;
	l->refs = 2; /* the handler's and the waiter's */
	l->launch = m->launch;
	l->gpm_ip = gpm_ip;
	l->start_ns = time_ns();
	l->out_ctx = (struct plaunch_stream){ l, PROC_STDOUT };
	l->err_ctx = (struct plaunch_stream){ l, PROC_STDERR };
	l->out = (struct pfd_sink){ .write = plaunch_write, .ctx = &l->out_ctx };
	l->err = (struct pfd_sink){ .write = plaunch_write, .ctx = &l->err_ctx };
	mutex_init(&l->out_lock, "launch.out", LOCK_RANK_LAUNCH_OUT);
	mutex_init(&l->in_lock, "launch.in", LOCK_RANK_LAUNCH_IN);
	list_init(&l->link);
	if (pfd_pipe_new(0, &l->in_rd, &l->in_wr)) {
		kfree(l);
		return NULL;
	}
	pfd_set_flags(l->in_wr, O_WRONLY | O_NONBLOCK);
	return l;
}

static int plaunch_start(struct plaunch *l, const struct gp2p_exec_msg *m,
			 const char *const *argv)
{
	struct pproc_owner owner = { plaunch_hold, l };
	struct pproc_spawn a = {
		.path = m->strs, .argv = argv, .argc = m->argc,
		.envp = plaunch_env, .envc = ARRAY_SIZE(plaunch_env),
		.out = &l->out, .err = &l->err, .in = l->in_rd,
		.pid = pmon_new_pid(l->mon), .vnode = m->vnode, .owner = &owner,
	};
	int err = plaunch_route(l->mon, a.pid, m, &l->route);

	if (err)
		return err;
	l->pid = a.pid;
	a.files = &l->route.files;
	err = pproc_spawn(l->mon, &a, &l->p);
	pfd_put(l->in_rd);
	l->in_rd = NULL;
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
		plaunch_hold(l, -2); /* no waiter either */
		return err;
	}
	spin_lock(&plaunch_lock);
	list_add_tail(&plaunch_table, &l->link);
	spin_unlock(&plaunch_lock);
	pr_info("launch %lu: %s is pid %u\n", m->launch, m->strs, l->pid);
	*rep = (struct gp2p_exec_reply){ .version = PROC_VERSION, .pid = l->pid,
					 .excache_bytes = l->route.excache_bytes };
	*reply_len = sizeof(*rep);
	plaunch_hold(l, -1);
	return 0;
}

int plaunch_serve(struct pmon *mon, struct rpc_ep *ep)
{
	int err = rpc_register(ep, GP2P_EXEC, handle_gp2p_exec, NULL);

	plaunch_mon = mon;
	return err ? err : plaunch_ctl_serve(mon, ep);
}
