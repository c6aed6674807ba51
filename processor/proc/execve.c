/*
 * execve (the op of linux-abi/abi_proc.h): the new program is loaded
 * first (exec.c), so every error up to then — a missing file, no execute
 * bit, not ELF, too many arguments — leaves the caller running as before.
 * Past that point the old program is gone: a vfork parent goes on, close-
 * on-exec descriptors close, caught signals go back to their default
 * (ignored ones stay ignored; the mask and pending signals stay), the
 * alternate stack and the tid word are forgotten, the ExCache lines and
 * the address space (at the memory backend, MEM_PROC_EXEC) are emptied,
 * the page tables made anew, and the new image mapped. A failure there
 * ends the process (SIGSEGV), as on Linux.
 *
 * /proc/self/exe (and /proc/<own pid>/exe, /proc/thread-self/exe) names
 * the running program, as busybox expects when it runs an applet again.
 */
#include <tessera/errno.h>
#include <tessera/fmt.h>
#include <tessera/kmalloc.h>
#include <tessera/mmu.h>
#include <tessera/string.h>
#include <tessera/uapi/fcntl.h>
#include <tessera/user.h>

#include "processor/proc/proc.h"

/* The absolute path execve means by path (a new buffer to kfree). */
static int pexec_resolve(struct pproc *p, int dirfd, const char *path, char **out)
{
	char own[32];

	fmt_snprintf(own, sizeof(own), "/proc/%u/exe", p->pid);
	if (!strcmp(path, "/proc/self/exe") || !strcmp(path, "/proc/thread-self/exe") ||
	    !strcmp(path, own))
		path = p->exe;
	return pabi_abs_path(p, dirfd, path, out);
}

/* Handlers become SIG_DFL; SIG_IGN stays, as do the mask and pending. */
static void pexec_reset_signals(struct pproc *p)
{
	struct pthread *self = pthread_current();
	struct abi_proc *ap = &p->abi;

	spin_lock(&ap->sig_lock);
	for (int s = 0; s < NSIG; s++) {
		struct kernel_sigaction *a = &ap->sigactions[s];

		if (a->handler != SIG_IGN)
			*a = (struct kernel_sigaction){ .handler = SIG_DFL };
		else
			*a = (struct kernel_sigaction){ .handler = SIG_IGN };
	}
	spin_unlock(&ap->sig_lock);
	self->abi.altstack = (struct sigaltstack){ .ss_flags = SS_DISABLE };
	self->abi.clear_child_tid = 0;
	self->abi.robust_list = 0;
	self->abi.restart = (struct abi_restart){ 0 };
}

/* An empty address space for the new image: lines, mirror, backend,
 * page tables. mm_lock held. */
static int pexec_reset_memory(struct pproc *p, u64 brk_start)
{
	struct pmon *mon = p->mon;
	struct mmu_space *fresh = mmu_space_create(), *old = p->space;

	if (!fresh)
		return -ENOMEM;
	excache_drop_space(&mon->cache, p->pid);
	vmaset_destroy(&p->vmas);
	vmaset_init(&p->vmas, kmalloc, kfree);
	pwset_clear(&p->written);
	spin_lock(&p->pt_lock);
	p->space = fresh;
	spin_unlock(&p->pt_lock);
	mmu_space_activate(fresh);
	mmu_space_destroy(old);
	return mon->mem.ops->proc_exec(mon->mem.be, p->pid, brk_start);
}

/* The point of no return: the old program goes. */
static int pexec_replace(struct pproc *p, const struct pexec_image *img)
{
	u64 brk = pexec_brk(img);
	int err;

	pfork_vfork_done(p);
	pfd_close_on_exec(&p->fds);
	pexec_reset_signals(p);
	mutex_lock(&p->mm_lock);
	err = pexec_reset_memory(p, brk);
	mutex_unlock(&p->mm_lock);
	p->abi.brk_start = p->abi.brk = brk;
	p->abi.brk_max = brk + PPROC_BRK_MAX;
	user_set_fs_base(0);
	user_fpu_reset();
	spin_lock(&p->mon->lock);
	p->execed = true;
	spin_unlock(&p->mon->lock);
	return err;
}

int pexec_check(struct abi_thread *t, int dirfd, const char *path)
{
	struct pproc *p = t->proc->priv;
	char *abs;
	int err = pexec_resolve(p, dirfd, path, &abs);

	if (!err)
		err = pexec_runnable(p, abs);
	kfree(abs);
	return err;
}

int pexec_execve(struct abi_thread *t, int dirfd, const struct abi_exec *e)
{
	struct pproc *p = t->proc->priv;
	struct pexec_request rq = { .argv = e->argv, .argc = e->argc, .envp = e->envp,
				    .envc = e->envc };
	struct pexec_image *img;
	char *abs, why[PPROC_REASON_MAX];
	int err = pexec_resolve(p, dirfd, e->path, &abs);

	if (err)
		return err;
	rq.path = abs;
	err = pexec_load(p, &rq, &img);
	if (!err)
		err = pthread_single(p, t->priv); /* the other threads end */
	if (err) {
		pexec_free(img);
		kfree(abs);
		return err;
	}
	err = pexec_replace(p, img);
	pexec_set_names(p, abs, pexec_exe(img));
	pexec_set_args(p, e->argv, e->argc);
	pexec_keep_args(p, img);
	kfree(abs);
	if (!err)
		err = pexec_map(p, img, e->regs);
	pexec_free(img);
	if (err) {
		fmt_snprintf(why, sizeof(why), "exec of %s failed: error %d", p->exe, err);
		pproc_exit(p, PWSTATUS_SIG(SIGSEGV), why);
	}
	return 0;
}
