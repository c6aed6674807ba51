/*
 * /proc/<pid>: stat, status, cmdline, environ, comm, maps, mounts, the
 * exe and cwd links, and the fd and fdinfo directories (procfs_fd.c), as
 * Linux formats them. What another process shows is copied under
 * mon->lock (struct pprocfs_snap), which keeps it from being freed
 * meanwhile; what needs a process's sleeping locks (its mappings, its
 * descriptors, its working directory) is shown for the caller's own
 * process only, and is -EACCES for others.
 *
 * Counts Tessera does not keep print as 0: page faults, the nice value,
 * context switches. CPU time is the time since start, all of it user
 * time (as times(2) reports it).
 */
#include <tessera/errno.h>
#include <tessera/fmt.h>
#include <tessera/kmalloc.h>
#include <tessera/string.h>
#include <tessera/time.h>
#include <tessera/uapi/mman.h>

#include "processor/fd/procfs.h"
#include "processor/proc/proc.h"

#define PPROCFS_TICK_NS 10000000ull /* USER_HZ 100 */
#define PPROCFS_NAME_COL 73         /* where maps puts the path */
#define PPROCFS_PATH_MAX 4096

/* A process's state as its files show it. */
struct pprocfs_snap {
	u32 pid, ppid, pgid, sid, uid, euid, gid, egid, umask, exit_signal;
	char state; /* R, S, T or Z */
	bool nnp;
	char comm[PPROC_COMM_MAX];
	u64 start_ns, run_ns, cutime_ns, rss_kb, vm_kb, cpus;
	k_sigset_t blocked, pending, shared, ignored, caught;
	char exe[PPROC_PATH_MAX];
	struct pargs *args; /* a reference the reader drops */
};

static struct pproc *pprocfs_find_locked(struct pproc *caller, u32 pid)
{
	struct list_node *n;

	list_for_each(n, &caller->mon->procs) {
		struct pproc *q = list_entry(n, struct pproc, link);

		if (q->pid == pid && q->vnode == caller->vnode)
			return q;
	}
	return NULL;
}

bool pprocfs_visible(struct pproc *caller, u32 pid)
{
	bool seen;

	spin_lock(&caller->mon->lock);
	seen = pprocfs_find_locked(caller, pid) != NULL;
	spin_unlock(&caller->mon->lock);
	return seen;
}

/* The pid of caller's vNode that has exactly idx smaller ones, or 0. */
u32 pprocfs_nth(struct pproc *caller, u32 idx)
{
	struct list_node *n, *m;
	u32 found = 0;

	spin_lock(&caller->mon->lock);
	list_for_each(n, &caller->mon->procs) {
		struct pproc *q = list_entry(n, struct pproc, link);
		u32 below = 0;

		if (q->vnode != caller->vnode)
			continue;
		list_for_each(m, &caller->mon->procs) {
			struct pproc *r = list_entry(m, struct pproc, link);

			below += r->vnode == caller->vnode && r->pid < q->pid;
		}
		if (below == idx)
			found = q->pid;
	}
	spin_unlock(&caller->mon->lock);
	return found;
}

u32 pprocfs_count(struct pproc *caller)
{
	struct list_node *n;
	u32 count = 0;

	spin_lock(&caller->mon->lock);
	list_for_each(n, &caller->mon->procs)
		count += list_entry(n, struct pproc, link)->vnode == caller->vnode;
	spin_unlock(&caller->mon->lock);
	return count;
}

/* The signal half of a snapshot. q's sig_lock held. */
static void pprocfs_snap_signals(struct pproc *caller, struct pproc *q, struct pprocfs_snap *s)
{
	s->blocked = q->main->abi.sigmask;
	s->pending = q->main->abi.pending.set;
	s->shared = q->abi.shared.set;
	for (int sig = 1; sig <= NSIG; sig++) {
		u64 h = q->abi.sigactions[sig - 1].handler;

		s->ignored |= h == SIG_IGN ? 1ull << (sig - 1) : 0;
		s->caught |= h > SIG_IGN ? 1ull << (sig - 1) : 0;
	}
	s->state = q == caller ? 'R' : q->stopped ? 'T' : q->main->abi.sleeping ? 'S' : 'R';
	str_copy(s->comm, q->comm, sizeof(s->comm));
}

/* The process tree and ids half. mon->lock held. */
static void pprocfs_snap_ids(struct pproc *q, struct pprocfs_snap *s)
{
	const struct abi_proc *a = &q->abi;
	u64 res = q->stats.misses > q->stats.evictions ? q->stats.misses - q->stats.evictions : 0;
	u64 end = q->state == PPROC_ZOMBIE ? q->end_ns : time_ns();

	*s = (struct pprocfs_snap){ .pid = q->pid, .ppid = a->ppid, .pgid = a->pgid,
				    .sid = a->sid, .uid = a->uid, .euid = a->euid, .gid = a->gid,
				    .egid = a->egid, .umask = a->umask, .nnp = a->no_new_privs,
				    .exit_signal = q->exit_signal, .start_ns = q->start_ns,
				    .cutime_ns = q->cutime_ns, .rss_kb = res * 4,
				    .vm_kb = __atomic_load_n(&q->vm_bytes, __ATOMIC_RELAXED) / 1024,
				    .cpus = a->cpu_mask };
	s->run_ns = end > q->start_ns ? end - q->start_ns : 0;
	str_copy(s->exe, q->exe, sizeof(s->exe));
	s->args = pargs_get(q->pargs);
}

/* Snapshot of pid as caller sees it: 0 or -ENOENT (gone, or another
 * vNode's). */
static int pprocfs_snap(struct pproc *caller, u32 pid, struct pprocfs_snap *s)
{
	struct pproc *q;

	spin_lock(&caller->mon->lock);
	q = pprocfs_find_locked(caller, pid);
	if (q) {
		pprocfs_snap_ids(q, s);
		spin_lock(&q->abi.sig_lock);
		pprocfs_snap_signals(caller, q, s);
		spin_unlock(&q->abi.sig_lock);
		if (q->state == PPROC_ZOMBIE)
			s->state = 'Z';
	}
	spin_unlock(&caller->mon->lock);
	return q ? 0 : -ENOENT;
}

static unsigned long long pprocfs_ticks(u64 ns)
{
	return ns / PPROCFS_TICK_NS;
}

static int pprocfs_stat(struct pproc *caller, const struct pnode *n, struct pbuf *b)
{
	struct pprocfs_snap s;
	int err = pprocfs_snap(caller, n->pid, &s);

	if (err)
		return err;
	pbuf_printf(b, "%u (%s) %c %u %u %u 0 -1 4194304 0 0 0 0 %llu 0 %llu 0 20 0 1 0 %llu ",
		    s.pid, s.comm, s.state, s.ppid, s.pgid, s.sid, pprocfs_ticks(s.run_ns),
		    pprocfs_ticks(s.cutime_ns), pprocfs_ticks(s.start_ns));
	pbuf_printf(b, "%llu %llu 18446744073709551615 0 0 0 0 0 %llu %llu %llu %llu 0 0 0 %u ",
		    (unsigned long long)s.vm_kb * 1024, (unsigned long long)s.rss_kb / 4,
		    (unsigned long long)(s.pending | s.shared),
		    (unsigned long long)s.blocked, (unsigned long long)s.ignored,
		    (unsigned long long)s.caught, s.exit_signal);
	pbuf_printf(b, "0 0 0 0 0 0 0 0 0 0 0 0 0 0\n");
	pargs_put_ref(s.args);
	return 0;
}

static const char *pprocfs_state_name(char state)
{
	switch (state) {
	case 'S':
		return "S (sleeping)";
	case 'T':
		return "T (stopped)";
	case 'Z':
		return "Z (zombie)";
	default:
		return "R (running)";
	}
}

static void pprocfs_status_sigs(struct pbuf *b, const struct pprocfs_snap *s)
{
	pbuf_printf(b, "SigQ:\t0/%u\nSigPnd:\t%016llx\nShdPnd:\t%016llx\n", 127u,
		    (unsigned long long)s->pending, (unsigned long long)s->shared);
	pbuf_printf(b, "SigBlk:\t%016llx\nSigIgn:\t%016llx\nSigCgt:\t%016llx\n",
		    (unsigned long long)s->blocked, (unsigned long long)s->ignored,
		    (unsigned long long)s->caught);
	pbuf_printf(b, "CapInh:\t0000000000000000\nCapPrm:\t%s\nCapEff:\t%s\n",
		    s->euid ? "0000000000000000" : "000001ffffffffff",
		    s->euid ? "0000000000000000" : "000001ffffffffff");
	pbuf_printf(b, "CapBnd:\t000001ffffffffff\nCapAmb:\t0000000000000000\n");
	pbuf_printf(b, "NoNewPrivs:\t%d\nSeccomp:\t0\n", s->nnp);
}

static int pprocfs_status(struct pproc *caller, const struct pnode *n, struct pbuf *b)
{
	struct pprocfs_snap s;
	int err = pprocfs_snap(caller, n->pid, &s);

	if (err)
		return err;
	pbuf_printf(b, "Name:\t%s\nUmask:\t%04o\nState:\t%s\nTgid:\t%u\nNgid:\t0\n", s.comm,
		    s.umask, pprocfs_state_name(s.state), s.pid);
	pbuf_printf(b, "Pid:\t%u\nPPid:\t%u\nTracerPid:\t0\n", s.pid, s.ppid);
	pbuf_printf(b, "Uid:\t%u\t%u\t%u\t%u\nGid:\t%u\t%u\t%u\t%u\n", s.uid, s.euid, s.euid,
		    s.euid, s.gid, s.egid, s.egid, s.egid);
	pbuf_printf(b, "FDSize:\t%u\nGroups:\t\nNStgid:\t%u\nNSpid:\t%u\nNSpgid:\t%u\nNSsid:\t%u\n",
		    PFD_MAX, s.pid, s.pid, s.pgid, s.sid);
	if (s.state != 'Z')
		pbuf_printf(b, "VmSize:\t%8llu kB\nVmRSS:\t%8llu kB\n",
			    (unsigned long long)s.vm_kb, (unsigned long long)s.rss_kb);
	pbuf_printf(b, "Threads:\t1\n");
	pprocfs_status_sigs(b, &s);
	pbuf_printf(b, "voluntary_ctxt_switches:\t0\nnonvoluntary_ctxt_switches:\t0\n");
	pargs_put_ref(s.args);
	return 0;
}

/* cmdline (env false) or environ: the strings with their NULs. */
static int pprocfs_strings(struct pproc *caller, const struct pnode *n, struct pbuf *b,
			   bool env)
{
	struct pprocfs_snap s;
	int err = pprocfs_snap(caller, n->pid, &s);

	if (err)
		return err;
	if (s.args && s.state != 'Z')
		pbuf_put(b, s.args->data + (env ? s.args->argv_len : 0),
			 env ? s.args->env_len : s.args->argv_len);
	pargs_put_ref(s.args);
	return 0;
}

static int pprocfs_cmdline(struct pproc *caller, const struct pnode *n, struct pbuf *b)
{
	return pprocfs_strings(caller, n, b, false);
}

static int pprocfs_environ(struct pproc *caller, const struct pnode *n, struct pbuf *b)
{
	return pprocfs_strings(caller, n, b, true);
}

static int pprocfs_comm(struct pproc *caller, const struct pnode *n, struct pbuf *b)
{
	struct pprocfs_snap s;
	int err = pprocfs_snap(caller, n->pid, &s);

	if (err)
		return err;
	pbuf_printf(b, "%s\n", s.comm);
	pargs_put_ref(s.args);
	return 0;
}

/* One line of maps; name may be NULL. */
static void pprocfs_map_line(struct pbuf *b, const struct vma *v, const char *name)
{
	bool file = v->flags & VMASET_FILE;
	u64 start = b->len;

	pbuf_printf(b, "%08llx-%08llx %c%c%cp %08llx %02x:%02x %llu",
		    (unsigned long long)v->start, (unsigned long long)v->end,
		    v->prot & PROT_READ ? 'r' : '-', v->prot & PROT_WRITE ? 'w' : '-',
		    v->prot & PROT_EXEC ? 'x' : '-', (unsigned long long)(file ? v->off : 0), 0,
		    file ? 1 : 0, (unsigned long long)(file ? v->file.ino : 0));
	if (name) {
		for (u64 col = b->len - start; col < PPROCFS_NAME_COL; col++)
			pbuf_put(b, " ", 1);
		pbuf_printf(b, "%s", name);
	}
	pbuf_put(b, "\n", 1);
}

static const char *pprocfs_map_name(struct pproc *p, const struct vma *v, u64 exe_ino)
{
	if (v->flags & VMASET_FILE)
		return v->file.ino == exe_ino ? p->exe : NULL;
	if (v->start < p->abi.brk && v->end > p->abi.brk_start)
		return "[heap]";
	if (v->end == ABI_USER_TOP)
		return "[stack]";
	return NULL;
}

static int pprocfs_maps(struct pproc *caller, const struct pnode *n, struct pbuf *b)
{
	struct pfile_handle h;
	struct pfile_attr a;
	u64 exe_ino = 0;

	if (n->pid != caller->pid)
		return -EACCES;
	if (!pabi_lookup(caller, caller->exe, true, &h, &a))
		exe_ino = h.ino;
	mutex_lock(&caller->mm_lock);
	for (u32 i = 0; i < caller->vmas.n; i++)
		pprocfs_map_line(b, &caller->vmas.v[i],
				 pprocfs_map_name(caller, &caller->vmas.v[i], exe_ino));
	mutex_unlock(&caller->mm_lock);
	return 0;
}

/* exe and cwd. */
static long pprocfs_copy_link(const char *t, char *buf, u64 size)
{
	u64 len = MIN(strlen(t), size);

	memcpy(buf, t, len);
	return (long)len;
}

static long pprocfs_exe_link(struct pproc *caller, const struct pnode *n, char *buf, u64 size)
{
	struct pprocfs_snap s;
	long r = pprocfs_snap(caller, n->pid, &s);

	if (r)
		return r;
	r = s.state == 'Z' ? -ENOENT : pprocfs_copy_link(s.exe, buf, size);
	pargs_put_ref(s.args);
	return r;
}

static long pprocfs_cwd_link(struct pproc *caller, const struct pnode *n, char *buf, u64 size)
{
	char *cwd;
	long r;

	if (n->pid != caller->pid)
		return -EACCES;
	cwd = kmalloc(PPROCFS_PATH_MAX);
	if (!cwd)
		return -ENOMEM;
	r = pcwd_get(&caller->cwd, cwd, PPROCFS_PATH_MAX) < PPROCFS_PATH_MAX
		    ? pprocfs_copy_link(cwd, buf, size) : -ENAMETOOLONG;
	kfree(cwd);
	return r;
}

#define PPROCFS_TEXT(name, fn) \
	{ name, S_IFREG | 0444, &(const struct pnode_ops){ .fill = fn }, 0, 0, NULL }
#define PPROCFS_LINK(name, fn) \
	{ name, S_IFLNK | 0777, &(const struct pnode_ops){ .readlink = fn }, 0, 0, NULL }

static const struct pentry pprocfs_pid_entries[] = {
	PPROCFS_TEXT("stat", pprocfs_stat),
	PPROCFS_TEXT("status", pprocfs_status),
	PPROCFS_TEXT("cmdline", pprocfs_cmdline),
	PPROCFS_TEXT("environ", pprocfs_environ),
	PPROCFS_TEXT("comm", pprocfs_comm),
	PPROCFS_TEXT("maps", pprocfs_maps),
	PPROCFS_TEXT("mounts", pprocfs_mounts),
	PPROCFS_LINK("exe", pprocfs_exe_link),
	PPROCFS_LINK("cwd", pprocfs_cwd_link),
	{ "fd", S_IFDIR | 0500, &pprocfs_fd_dir_ops, 0, 0, NULL },
	{ "fdinfo", S_IFDIR | 0500, &pprocfs_fdinfo_dir_ops, 0, 0, NULL },
	{ NULL, 0, NULL, 0, 0, NULL },
};

void pprocfs_pid_dir(const struct pnode *root, u32 pid, struct pnode *out)
{
	*out = (struct pnode){ .ops = &pseudo_table_ops, .mode = S_IFDIR | 0555, .pid = pid,
			       .ino = (u64)pid << 16, .data = pprocfs_pid_entries,
			       .dev = root->dev };
}
