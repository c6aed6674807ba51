/*
 * Threads of a process: clone with CLONE_THREAD, a thread's own exit
 * versus the end of the whole process, thread-directed signals, and the
 * CPU a thread runs on. Each thread is a kernel thread running pthread_main
 * (process.c) on the process's address space, with its own FS base, FPU
 * state, signal mask and tid (from the pid space). The first thread,
 * main, lives as long as the process; the others are joined and freed
 * by a later clone or by pproc_free, from p->dead.
 *
 * Ending: exit(2) of a thread that is not the last one makes it leave
 * (robust list, tid word, off the list); the last one ends the process
 * with its status. exit_group, a fatal signal or a fault end the process
 * (pproc_exit): the first thread to get there sets group_exit, sends
 * SIGKILL to the others and waits until it is alone; any other thread
 * that gets there meanwhile just leaves.
 * execve (pthread_single) makes the others leave the same way first.
 *
 * Deviations from Linux: a stop signal stops the thread that takes it,
 * not the whole group; a thread that execs keeps its own tid (Linux gives
 * it the pid); a main thread that has left is gone at once (Linux keeps
 * it as a zombie leader that tgkill still finds).
 * Locking: pmon.h (threads, nthreads, group_exit, dead: abi.sig_lock).
 */
#include <tessera/errno.h>
#include <tessera/kmalloc.h>
#include <tessera/mmu.h>
#include <tessera/thread.h>
#include <tessera/uapi/sched.h>
#include <tessera/user.h>

#include "processor/proc/proc.h"
#include "processor/proc/signal.h"

/* Join and free the threads that have left. */
void pthread_reap(struct pproc *p)
{
	struct list_node *n;

	for (;;) {
		spin_lock(&p->abi.sig_lock);
		n = list_pop_head(&p->dead);
		spin_unlock(&p->abi.sig_lock);
		if (!n)
			return;
		struct pthread *th = list_entry(n, struct pthread, link);

		thread_join(th->kthread);
		kfree(th);
	}
}

/* Put th on p's threads: false if p is ending. */
static bool pthread_add(struct pproc *p, struct pthread *th)
{
	bool ok;

	spin_lock(&p->abi.sig_lock);
	ok = !p->group_exit;
	if (ok) {
		list_add_tail(&p->threads, &th->link);
		p->nthreads++;
	}
	spin_unlock(&p->abi.sig_lock);
	return ok;
}

/* th never ran: off the list and freed. */
static void pthread_abandon(struct pproc *p, struct pthread *th)
{
	spin_lock(&p->abi.sig_lock);
	list_del(&th->link);
	p->nthreads--;
	spin_unlock(&p->abi.sig_lock);
	wake_up_all(&p->threads_wq);
	kfree(th->fork);
	kfree(th);
}

long pthread_clone(struct abi_thread *t, const struct abi_clone *c)
{
	struct pproc *p = t->proc->priv;
	struct pthread *th;
	struct thread *kt;
	u32 tid;

	pthread_reap(p);
	th = kzalloc(sizeof(*th));
	if (!th)
		return -EAGAIN;
	pthread_init(th, p, pmon_new_pid(p->mon));
	tid = th->abi.tid;
	th->abi.sigmask = t->sigmask;
	th->fork = pfork_start_new(th, c);
	if (!th->fork || !pthread_add(p, th)) {
		kfree(th->fork);
		kfree(th);
		return -EAGAIN;
	}
	/* Before the thread runs: it may read its tid from this word. */
	if (c->flags & CLONE_PARENT_SETTID)
		copy_to_user(c->parent_tid, &tid, sizeof(tid));
	/* From here th may run, leave and be freed: it sets its own kthread
	 * (pthread_started). */
	kt = pproc_thread_create(th);
	if (!kt) {
		pthread_abandon(p, th);
		return -EAGAIN;
	}
	return tid;
}

void pthread_started(struct pthread *th)
{
	spin_lock(&th->proc->abi.sig_lock);
	th->kthread = thread_current();
	spin_unlock(&th->proc->abi.sig_lock);
}

/* The last step of a thread that is not the process's last: it stops
 * using the address space (which the last thread may free now) and
 * leaves. Never returns. */
static __noreturn void pthread_leave(struct pthread *th)
{
	struct pproc *p = th->proc;

	mmu_space_activate(mmu_kernel());
	spin_lock(&p->abi.sig_lock);
	list_del(&th->link);
	p->nthreads--;
	if (th != p->main)
		list_add_tail(&p->dead, &th->link);
	spin_unlock(&p->abi.sig_lock);
	wake_up_all(&p->threads_wq);
	thread_exit();
}

void pthread_exit(struct pthread *th, int wstatus)
{
	struct pproc *p = th->proc;
	bool last;

	pfutex_thread_exit(th);
	spin_lock(&p->abi.sig_lock);
	last = p->nthreads == 1 && !p->group_exit;
	if (last)
		p->group_exit = true;
	spin_unlock(&p->abi.sig_lock);
	if (last)
		pproc_finish(p, wstatus, "");
	pthread_leave(th);
}

/* SIGKILL to every thread of p but self. sig_lock held. */
static void pthread_kill_others_locked(struct pproc *p, struct pthread *self)
{
	struct abi_sigrec rec = { .code = SI_KERNEL };
	struct list_node *n;

	list_for_each(n, &p->threads) {
		struct pthread *o = list_entry(n, struct pthread, link);

		if (o != self)
			psig_post_locked(p, o, SIGKILL, &rec);
	}
}

static u32 pthread_count(struct pproc *p)
{
	return __atomic_load_n(&p->nthreads, __ATOMIC_ACQUIRE);
}

void pthread_group_exit(struct pproc *p, struct pthread *self)
{
	bool first;

	spin_lock(&p->abi.sig_lock);
	first = !p->group_exit;
	if (first) {
		p->group_exit = true;
		pthread_kill_others_locked(p, self);
	}
	spin_unlock(&p->abi.sig_lock);
	if (!first) {
		pfutex_thread_exit(self);
		pthread_leave(self);
	}
	wait_event(&p->threads_wq, pthread_count(p) == 1);
	pthread_reap(p);
}

int pthread_single(struct pproc *p, struct pthread *self)
{
	spin_lock(&p->abi.sig_lock);
	if (p->group_exit) {
		spin_unlock(&p->abi.sig_lock);
		return -EAGAIN;
	}
	if (p->nthreads == 1) {
		spin_unlock(&p->abi.sig_lock);
		return 0;
	}
	p->group_exit = true;
	pthread_kill_others_locked(p, self);
	spin_unlock(&p->abi.sig_lock);
	wait_event(&p->threads_wq, pthread_count(p) == 1);
	pthread_reap(p);
	spin_lock(&p->abi.sig_lock);
	p->group_exit = false;
	spin_unlock(&p->abi.sig_lock);
	return 0;
}

/* The thread tid of p, or NULL. sig_lock held. */
static struct pthread *pthread_find_locked(struct pproc *p, u32 tid)
{
	struct list_node *n;

	list_for_each(n, &p->threads) {
		struct pthread *th = list_entry(n, struct pthread, link);

		if (th->abi.tid == tid)
			return th;
	}
	return NULL;
}

/* Post sig to thread tid of p if it is there: 0 or -ESRCH. */
static int pthread_signal(struct pproc *p, u32 tid, int sig, const struct abi_sigrec *rec)
{
	struct pthread *th;

	spin_lock(&p->abi.sig_lock);
	th = pthread_find_locked(p, tid);
	if (th && sig)
		psig_post_locked(p, th, sig, rec);
	spin_unlock(&p->abi.sig_lock);
	return th ? 0 : -ESRCH;
}

int pthread_tkill(struct abi_thread *t, s32 tgid, s32 tid, int sig)
{
	struct pproc *self = t->proc->priv;
	struct abi_sigrec rec = { .code = SI_TKILL, .pid = self->pid, .uid = t->proc->uid };
	struct list_node *n;
	int err = -ESRCH;

	spin_lock(&self->mon->lock);
	list_for_each(n, &self->mon->procs) {
		struct pproc *p = list_entry(n, struct pproc, link);

		if (tgid > 0 && p->pid != (u32)tgid)
			continue;
		if (p->state == PPROC_LIVE && !pthread_signal(p, (u32)tid, sig, &rec)) {
			err = 0;
			break;
		}
	}
	spin_unlock(&self->mon->lock);
	return err;
}

u32 pthread_cpu(struct abi_thread *t)
{
	return (u32)sched_cpu_index();
}
