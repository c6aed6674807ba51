/*
 * The end of a process, on its last thread (thread.c makes the others
 * leave first): it lets go of its memory (its
 * ExCache lines first, so no eviction can reach its page tables any
 * more, then its address space at the memory backend), its files and its
 * page tables, and becomes a zombie. Its children go to the first
 * process of its launch (the tree's root), or have no parent if that one
 * is gone; its parent gets exit_signal and a wake-up on child_wq. A
 * zombie is reaped — its thread joined and its struct freed — by its
 * parent's wait, by its launch (a root, pproc_wait), or at once by a
 * reaper thread when nobody will wait for it: no parent, or a parent
 * that ignores SIGCHLD or set SA_NOCLDWAIT.
 * Locking (pmon.h): the tree changes under mon->lock.
 */
#include <tessera/bootargs.h>
#include <tessera/errno.h>
#include <tessera/mmu.h>
#include <tessera/printk.h>
#include <tessera/string.h>
#include <tessera/thread.h>
#include <tessera/time.h>
#include <tessera/user.h>

#include "processor/proc/proc.h"
#include "processor/proc/signal.h"

BOOTARG_KNOWN(proc_stats, "print each process's fault and ExCache counters at exit");

static void pproc_print_stats(struct pproc *p)
{
	const struct pproc_stats *s = &p->stats;

	console_printf("pid %u (%s) exit %d: misses %lu zero-fills %lu file-fills %lu "
		       "fetches %lu soft-hits %lu evictions %lu write-backs %lu (carried %lu) "
		       "forks %lu fork-bytes %lu\n",
		       p->pid, p->comm, p->exit_status, s->misses, s->zero_fills,
		       s->file_fills, s->fetches, s->soft_hits, s->evictions, s->writebacks,
		       s->carried, s->forks, s->fork_bytes);
}

/* The bytes the memory backend moves for p's exit, counted with its
 * parent's forks (fork and exit of a child are one cost). */
static void pproc_release_memory(struct pproc *p)
{
	struct pmon *mon = p->mon;
	u64 before = mon->mem.ops->bytes_moved(mon->mem.be);

	excache_drop_space(&mon->cache, p->pid);
	excache_unlimit_space(&mon->cache, p->pid);
	if (p->mem_created)
		mon->mem.ops->proc_exit(mon->mem.be, p->pid);
	p->mem_created = false;
	p->exit_bytes = mon->mem.ops->bytes_moved(mon->mem.be) - before;
}

/* Free what the process holds outside its struct; no lines survive. */
static void pproc_teardown(struct pproc *p)
{
	pproc_release_memory(p);
	pfd_close_all(&p->fds);
	mmu_space_destroy(p->space);
	p->space = NULL;
}

/* A parent that will never wait for p: no parent, or one that ignores
 * SIGCHLD or asked for SA_NOCLDWAIT. mon->lock held. */
static bool pproc_nobody_waits(struct pproc *p)
{
	struct abi_proc *pa;
	bool ignored;

	if (!p->parent)
		return p->root != p;
	pa = &p->parent->abi;
	spin_lock(&pa->sig_lock);
	ignored = pa->sigactions[SIGCHLD - 1].handler == SIG_IGN ||
		  (pa->sigactions[SIGCHLD - 1].flags & SA_NOCLDWAIT);
	spin_unlock(&pa->sig_lock);
	return ignored;
}

static void pproc_reaper_main(void *arg)
{
	pproc_free(arg);
}

/* Free zombie p soon, on a thread of its own (p's thread cannot join
 * itself). mon->lock not held. */
static void pproc_autoreap(struct pproc *p)
{
	if (thread_spawn(pproc_reaper_main, p, "reaper"))
		pr_warn("pid %u: no thread to reap it; it stays a zombie\n", p->pid);
}

/* Does adopter (NULL: none) leave zombie c for nobody to wait for? */
static bool pproc_unwanted_zombie(struct pproc *c, struct pproc *adopter)
{
	return c->state == PPROC_ZOMBIE && (!adopter || pproc_nobody_waits(c));
}

/* PR_SET_PDEATHSIG: c's parent is gone; c gets the signal it asked for,
 * as from the kernel (SI_USER, no sender). mon->lock held. */
static void pproc_parent_died(struct pproc *c)
{
	struct abi_sigrec rec = { .code = SI_USER };
	u32 sig = __atomic_load_n(&c->abi.pdeathsig, __ATOMIC_RELAXED);

	if (sig && c->state == PPROC_LIVE)
		psig_send(c, (int)sig, &rec);
}

/* Hand p's children to p's root, or to nobody; zombies that nobody will
 * wait for now go on *reap (chained through sibling). mon->lock held. */
static void pproc_reparent(struct pproc *p, struct list_node *reap)
{
	struct pproc *to = p->root != p && p->root && p->root->state == PPROC_LIVE ? p->root : NULL;
	struct list_node *n, *tmp;
	bool moved = false;

	list_for_each_safe(n, tmp, &p->children) {
		struct pproc *c = list_entry(n, struct pproc, sibling);

		list_del(&c->sibling);
		c->parent = to;
		c->exit_signal = SIGCHLD; /* as Linux's reparent_leader */
		__atomic_store_n(&c->abi.ppid, to ? to->pid : 0, __ATOMIC_RELAXED);
		pproc_parent_died(c);
		if (pproc_unwanted_zombie(c, to)) {
			list_add_tail(reap, &c->sibling);
			continue;
		}
		if (to)
			list_add_tail(&to->children, &c->sibling);
		moved = true;
	}
	if (to && moved) {
		to->child_events++;
		wake_up_all(&to->child_wq);
	}
}

/* The launch's first process is gone: nobody adopts orphans of its tree
 * any more. mon->lock held. */
static void pproc_forget_root(struct pproc *p)
{
	struct list_node *n;

	if (p->root != p)
		return;
	list_for_each(n, &p->mon->procs) {
		struct pproc *q = list_entry(n, struct pproc, link);

		if (q->root == p && q != p)
			q->root = NULL;
	}
}

/* The parent hears of p's end: exit_signal with a SIGCHLD siginfo. */
static void pproc_notify_parent(struct pproc *p)
{
	struct abi_sigrec rec = { .pid = p->pid, .uid = p->abi.uid };
	int w = p->wstatus;

	if (!p->parent)
		return;
	rec.code = (w & 0x7f) == 0 ? CLD_EXITED : (w & 0x80) ? CLD_DUMPED : CLD_KILLED;
	rec.status = (w & 0x7f) == 0 ? (w >> 8) & 0xff : w & 0x7f;
	if (p->exit_signal)
		psig_send(p->parent, (int)p->exit_signal, &rec);
	p->parent->child_events++;
	wake_up_all(&p->parent->child_wq);
}

/* Become a zombie; true if nobody will wait, so p must be reaped now. */
static bool pproc_become_zombie(struct pproc *p, struct list_node *reap)
{
	bool orphan;

	spin_lock(&p->mon->lock);
	p->state = PPROC_ZOMBIE;
	p->exited = true;
	/* The run time is the parent's only once it reaps (pwait). */
	p->end_ns = time_ns();
	if (p->parent)
		__atomic_fetch_add(&p->parent->stats.fork_bytes, p->exit_bytes, __ATOMIC_RELAXED);
	pproc_reparent(p, reap);
	pproc_forget_root(p);
	pproc_notify_parent(p);
	orphan = pproc_nobody_waits(p);
	if (orphan && p->parent)
		list_del(&p->sibling);
	spin_unlock(&p->mon->lock);
	wake_up_all(&p->exit_wq);
	return orphan;
}

static void pproc_reap_list(struct list_node *reap)
{
	struct list_node *n;

	while ((n = list_pop_head(reap)))
		pproc_autoreap(list_entry(n, struct pproc, sibling));
}

void pproc_exit(struct pproc *p, int wstatus, const char *reason)
{
	struct pthread *self = pthread_current();

	pthread_group_exit(p, self);
	pproc_finish(p, wstatus, reason);
}

void pproc_finish(struct pproc *p, int wstatus, const char *reason)
{
	struct list_node reap = LIST_INIT(reap);
	struct pthread *self = pthread_current();

	pfork_vfork_done(p);
	ptimer_set(p, 0, 0, NULL, NULL);
	p->wstatus = wstatus;
	p->exit_status = (wstatus & 0x7f) ? 128 + (wstatus & 0x7f) : (wstatus >> 8) & 0xff;
	str_copy(p->exit_reason, reason, sizeof(p->exit_reason));
	if (reason[0])
		pr_info("pid %u (%s): %s\n", p->pid, p->comm, reason);
	if (bootarg_bool("proc_stats", false))
		pproc_print_stats(p);
	pfutex_thread_exit(self);
	pproc_teardown(p);
	if (pproc_become_zombie(p, &reap))
		pproc_autoreap(p);
	pproc_reap_list(&reap);
	thread_exit();
}
