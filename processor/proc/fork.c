/*
 * fork (the clone op of linux-abi/abi_proc.h): a new process on this
 * pMonitor (children stay where their parent runs, DESIGN §2) with a copy
 * of the parent's address space, descriptors (shared open files), signal
 * dispositions and mask, ids, groups, and its registers and FPU state as
 * they were at the call, returning 0.
 *
 * The address space is copied on the memory side, not through here: with
 * the parent's mm_lock held, its dirty ExCache lines are written back
 * (and stay cached, clean), the memory backend copies VMAs and stored
 * lines for the child (P2M_FORK: the owners share them, copy on write),
 * and the child's VMA mirror and written-back set start as the parent's.
 * The child's ExCache starts empty: its lines come from the memory side,
 * the file or zero fills as the parent's would. The bytes the memory
 * backend moved for it are the parent's stats.fork_bytes.
 *
 * vfork: the child gets a copy too (a deviation: Linux shares the memory
 * until exec), and the parent sleeps until the child execs or exits.
 * CLONE_THREAD goes to thread.c, which starts its thread here too.
 */
#include <tessera/errno.h>
#include <tessera/kmalloc.h>
#include <tessera/string.h>
#include <tessera/uapi/sched.h>
#include <tessera/user.h>

#include "processor/proc/proc.h"
#include "processor/proc/signal.h"

/* Where a fork's child enters user mode. */
struct pfork_start {
	u8 fpu[USER_FPU_SIZE] __attribute__((aligned(16)));
	struct user_regs regs;
	u64 fs_base;
	u64 set_tid; /* CLONE_CHILD_SETTID: the child writes its tid here */
};

static int pfork_memory(struct pproc *parent, struct pproc *child)
{
	const struct pmem_backend *m = &parent->mon->mem;
	u64 before = m->ops->bytes_moved(m->be);
	int err;

	mutex_lock(&parent->mm_lock);
	err = excache_flush_space(&parent->mon->cache, parent->pid);
	if (!err)
		err = m->ops->fork(m->be, parent->pid, child->pid);
	if (!err) {
		child->mem_created = true;
		err = vmaset_copy(&child->vmas, &parent->vmas);
	}
	if (!err)
		err = pwset_copy(&child->written, &parent->written);
	child->vm_bytes = parent->vm_bytes;
	mutex_unlock(&parent->mm_lock);
	__atomic_fetch_add(&parent->stats.fork_bytes, m->ops->bytes_moved(m->be) - before,
			   __ATOMIC_RELAXED);
	__atomic_fetch_add(&parent->stats.forks, 1, __ATOMIC_RELAXED);
	return err;
}

/* The child's Linux-side state: the parent's, less what a fork resets;
 * the calling thread self's mask and alternate stack. */
static void pfork_copy_abi(struct pproc *parent, const struct abi_thread *self,
			   struct pproc *child)
{
	struct abi_proc *pa = &parent->abi, *ca = &child->abi;

	spin_lock(&pa->sig_lock);
	*ca = *pa;
	memset(&ca->shared, 0, sizeof(ca->shared));
	child->main->abi.sigmask = self->sigmask;
	spin_unlock(&pa->sig_lock);
	spin_init(&ca->sig_lock, "abi_proc.sig", LOCK_RANK_ABI_SIG);
	ca->priv = child;
	ca->pid = child->pid;
	ca->ppid = parent->pid;
	ca->exe_path = child->exe;
	ca->pdeathsig = 0;
	child->main->abi.altstack = self->altstack;
	child->main->abi.clear_child_tid = 0;
	memcpy(child->exe, parent->exe, sizeof(child->exe));
	memcpy(child->comm, parent->comm, sizeof(child->comm));
	memcpy(child->args, parent->args, sizeof(child->args));
	child->pargs = pargs_get(parent->pargs);
}

struct pfork_start *pfork_start_new(struct pthread *th, const struct abi_clone *c)
{
	struct pfork_start *s = kzalloc(sizeof(*s));

	if (!s)
		return NULL;
	user_fpu_save(s->fpu);
	s->regs = *c->regs;
	s->regs.rax = 0;
	if (c->stack)
		s->regs.rsp = c->stack;
	s->fs_base = (c->flags & CLONE_SETTLS) ? c->tls : user_get_fs_base();
	if (c->flags & CLONE_CHILD_SETTID)
		s->set_tid = c->child_tid;
	if (c->flags & CLONE_CHILD_CLEARTID)
		th->abi.clear_child_tid = c->child_tid;
	return s;
}

/* The ExCache cap of a capped parent goes to its child. */
static void pfork_cache_cap(struct pproc *parent, struct pproc *child)
{
	struct excache *cache = &parent->mon->cache;
	u64 bytes = excache_space_bytes(cache, parent->pid);

	if (excache_space_sets(cache, parent->pid) < cache->nsets)
		excache_limit_space(cache, child->pid, bytes);
}

/* Everything of the child but its thread; on failure the caller frees. */
static int pfork_setup(struct pproc *parent, const struct abi_thread *self,
		       struct pproc *child, const struct abi_clone *c)
{
	pfork_copy_abi(parent, self, child);
	pfd_table_copy(&child->fds, &parent->fds);
	if (pcwd_copy(&child->cwd, &parent->cwd))
		return -ENOMEM;
	child->exit_signal = c->exit_signal;
	child->main->fork = pfork_start_new(child->main, c);
	if (!child->main->fork)
		return -ENOMEM;
	pfork_cache_cap(parent, child);
	return pfork_memory(parent, child);
}

/* Undo a child that never ran. */
static void pfork_abandon(struct pproc *child)
{
	struct pmon *mon = child->mon;

	excache_unlimit_space(&mon->cache, child->pid);
	if (child->mem_created)
		mon->mem.ops->proc_exit(mon->mem.be, child->pid);
	kfree(child->main->fork);
	child->main->fork = NULL;
	pproc_free(child);
}

static void pfork_vfork_wait(struct pproc *parent)
{
	wait_event(&parent->vfork_wq, !__atomic_load_n(&parent->vfork_waiting, __ATOMIC_ACQUIRE));
}

long pfork(struct abi_thread *t, const struct abi_clone *c)
{
	struct pproc *parent = t->proc->priv;
	bool vfork = c->flags & CLONE_VFORK;
	struct pproc *child;
	u32 pid;
	int err;

	if (c->flags & CLONE_THREAD)
		return pthread_clone(t, c);
	child = pproc_alloc(parent->mon, 0, parent->vnode, &parent->files, &parent->owner);
	if (!child)
		return -EAGAIN;
	err = pfork_setup(parent, t, child, c);
	if (err) {
		pfork_abandon(child);
		return err == -ENOMEM ? -EAGAIN : err;
	}
	pid = child->pid;
	if (vfork) {
		child->vfork_parent = parent;
		__atomic_store_n(&parent->vfork_waiting, true, __ATOMIC_RELEASE);
	}
	pproc_publish(child, parent);
	if (pproc_start_thread(child)) {
		__atomic_store_n(&parent->vfork_waiting, false, __ATOMIC_RELEASE);
		pfork_abandon(child);
		return -EAGAIN;
	}
	if (c->flags & CLONE_PARENT_SETTID)
		copy_to_user(c->parent_tid, &pid, sizeof(pid));
	if (vfork)
		pfork_vfork_wait(parent);
	return pid;
}

void pfork_vfork_done(struct pproc *p)
{
	struct pproc *parent = p->vfork_parent;

	if (!parent)
		return;
	p->vfork_parent = NULL;
	__atomic_store_n(&parent->vfork_waiting, false, __ATOMIC_RELEASE);
	wake_up_all(&parent->vfork_wq);
}

void pfork_child_start(struct pthread *th)
{
	struct pfork_start *s = th->fork;
	struct user_regs regs = s->regs;
	u32 tid = th->abi.tid;

	user_fpu_load(s->fpu);
	user_set_fs_base(s->fs_base);
	if (s->set_tid)
		copy_to_user(s->set_tid, &tid, sizeof(tid));
	th->fork = NULL;
	kfree(s);
	psig_return(th, &regs, -1);
	user_enter(&regs);
}
