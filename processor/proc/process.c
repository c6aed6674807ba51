/*
 * Processes: making one (spawn from a program, or the shared half of a
 * fork: pproc_alloc), freeing one, and the trap entry points (user_ops)
 * that route a user thread's syscalls and faults to the Linux ABI and the
 * fault path and take signals at every return to user mode. Each thread
 * of a process is a kernel thread that entered user mode; its struct
 * thread's arg is its struct pthread. Exit and the tree are in exit.c,
 * waiting for children in wait.c, fork in fork.c, threads in thread.c.
 * Locking: see pmon.h.
 */
#include <tessera/arch.h>
#include <tessera/bootargs.h>
#include <tessera/errno.h>
#include <tessera/fmt.h>
#include <tessera/kmalloc.h>
#include <tessera/mmu.h>
#include <tessera/printk.h>
#include <tessera/string.h>
#include <tessera/thread.h>
#include <tessera/time.h>
#include <tessera/uapi/mman.h>
#include <tessera/user.h>

#include "linux-abi/syscall.h"
#include "processor/proc/proc.h"
#include "processor/proc/signal.h"

/* The default sink of fds 0-2: the serial console, each line prefixed
 * with the writing process's name and pid. */
static void pproc_console_write(void *ctx, const void *buf, u64 len)
{
	struct pthread *th = pthread_current();
	struct pproc *p = th ? th->proc : NULL;
	const char *s = buf;

	while (p && len) {
		u64 n = 0;

		if (p->console_bol)
			console_printf("[%s:%u] ", p->comm, p->pid);
		while (n < len && s[n++] != '\n')
			;
		arch_console_write(s, n);
		p->console_bol = s[n - 1] == '\n';
		s += n;
		len -= n;
	}
}

static const struct pfd_sink pproc_console = { .write = pproc_console_write };

static void pthread_main(void *arg);

struct pthread *pthread_current(void)
{
	struct thread *t = thread_current();

	return t->fn == pthread_main ? t->arg : NULL;
}

/* A process's thread: a fork's child goes straight to user mode; a new
 * program builds its address space first. */
static void pthread_main(void *arg)
{
	struct pthread *th = arg;
	struct pproc *p = th->proc;
	struct user_regs regs;
	char why[PPROC_REASON_MAX];
	int err;

	pthread_started(th);
	mmu_space_activate(p->space);
	if (th->fork)
		pfork_child_start(th);
	err = pexec_start(p, &regs);
	pexec_release(p);
	if (err) {
		fmt_snprintf(why, sizeof(why), "cannot start %s: error %d", p->exe, err);
		pproc_exit(p, PWSTATUS_EXIT(127), why);
	}
	user_enter(&regs);
}

struct thread *pproc_thread_create(struct pthread *th)
{
	return thread_create(pthread_main, th, th->proc->comm);
}

int pproc_start_thread(struct pproc *p)
{
	struct thread *kt;

	spin_lock(&p->abi.sig_lock);
	list_add_tail(&p->threads, &p->main->link);
	p->nthreads = 1;
	spin_unlock(&p->abi.sig_lock);
	kt = pproc_thread_create(p->main);
	spin_lock(&p->abi.sig_lock);
	p->kthread = p->main->kthread = kt;
	if (!kt) {
		list_del(&p->main->link);
		p->nthreads = 0;
	}
	spin_unlock(&p->abi.sig_lock);
	return kt ? 0 : -ENOMEM;
}

void pthread_init(struct pthread *th, struct pproc *p, u32 tid)
{
	th->proc = p;
	th->abi.proc = &p->abi;
	th->abi.priv = th;
	th->abi.tid = tid;
	th->abi.iobuf = th->iobuf;
	th->abi.iobuf_size = sizeof(th->iobuf);
	abi_thread_init(&th->abi, 0);
	wait_queue_init(&th->sleep_wq);
	list_init(&th->link);
}

struct pproc *pproc_alloc(struct pmon *mon, u32 pid, u32 vnode, const struct pfile_backend *files,
			  const struct pproc_owner *owner)
{
	struct pproc *p = kzalloc(sizeof(*p));

	if (!p)
		return NULL;
	p->mon = mon;
	p->pid = pid ? pid : pmon_new_pid(mon);
	p->vnode = vnode;
	p->files = files ? *files : mon->files;
	spin_init(&p->pt_lock, "pproc.pt", LOCK_RANK_PROC_PT);
	mutex_init(&p->mm_lock, "pproc.mm", LOCK_RANK_PROC_MM);
	vmaset_init(&p->vmas, kmalloc, kfree);
	pwset_init(&p->written);
	pfd_table_init(&p->fds);
	pcwd_init(&p->cwd);
	wait_queue_init(&p->exit_wq);
	wait_queue_init(&p->stop_wq);
	wait_queue_init(&p->child_wq);
	wait_queue_init(&p->vfork_wq);
	list_init(&p->link);
	list_init(&p->timer.link);
	list_init(&p->children);
	list_init(&p->sibling);
	list_init(&p->threads);
	list_init(&p->dead);
	wait_queue_init(&p->threads_wq);
	pfutex_init(&p->futex);
	p->console_bol = true;
	p->start_ns = time_ns();
	p->exit_signal = SIGCHLD;
	p->main = kzalloc(sizeof(*p->main));
	p->space = mmu_space_create();
	if (owner)
		p->owner = *owner;
	if (p->owner.hold)
		p->owner.hold(p->owner.ctx, 1);
	if (!p->main || !p->space) {
		pproc_free(p);
		return NULL;
	}
	pthread_init(p->main, p, p->pid);
	return p;
}

static void pproc_init_abi(struct pproc *p)
{
	struct abi_proc *ap = &p->abi;
	u64 brk = pexec_brk(p->image);

	abi_proc_init(ap, &pabi_ops, brk, brk + PPROC_BRK_MAX);
	ap->priv = p;
	ap->pid = ap->pgid = ap->sid = p->pid;
	ap->exe_path = p->exe;
	ap->nodename = bootarg_str("name", "processor");
}

/* Everything up to the thread. */
static int pproc_setup(struct pproc *p, const struct pproc_spawn *a)
{
	const struct pfd_sink *out = a->out ? a->out : &pproc_console;
	int err = pexec_prepare(p, a);

	if (err)
		return err;
	pproc_init_abi(p);
	err = pfd_open_console(&p->fds, out, a->err ? a->err : out);
	if (err || !a->in)
		return err;
	pfd_close(&p->fds, 0);
	pfd_ref(a->in);
	return pfd_install(&p->fds, a->in, 0, false) == 0 ? 0 : -EMFILE;
}

/* Put p on the process table (and under parent, if any). */
void pproc_publish(struct pproc *p, struct pproc *parent)
{
	spin_lock(&p->mon->lock);
	list_add_tail(&p->mon->procs, &p->link);
	if (parent) {
		p->parent = parent;
		p->root = parent->root;
		list_add_tail(&parent->children, &p->sibling);
	} else {
		p->root = p;
	}
	spin_unlock(&p->mon->lock);
}

int pproc_spawn(struct pmon *mon, const struct pproc_spawn *a, struct pproc **out)
{
	struct pproc *p = pproc_alloc(mon, a->pid, a->vnode, a->files, a->owner);
	int err;

	if (!p)
		return -ENOMEM;
	err = pproc_setup(p, a);
	if (!err) {
		pproc_publish(p, NULL);
		err = pproc_start_thread(p);
	}
	if (err) {
		pproc_free(p);
		return err;
	}
	*out = p;
	return 0;
}

void pproc_free(struct pproc *p)
{
	struct pproc_owner owner = p->owner;

	spin_lock(&p->mon->lock);
	list_del(&p->link);
	list_del(&p->sibling);
	spin_unlock(&p->mon->lock);
	if (p->kthread)
		thread_join(p->kthread);
	pthread_reap(p);
	pfd_close_all(&p->fds);
	pcwd_free(&p->cwd);
	pargs_put_ref(p->pargs);
	if (p->space)
		mmu_space_destroy(p->space);
	vmaset_destroy(&p->vmas);
	pwset_clear(&p->written);
	pexec_release(p);
	kfree(p->miss_ns);
	kfree(p->victim_buf);
	kfree(p->main);
	kfree(p);
	if (owner.hold)
		owner.hold(owner.ctx, -1);
}

/* Trap entry points. */

#define PPROC_MEM_LOST "memory component unreachable (a dirty line was lost)"

/* The memory backend's word when every component keeping p's memory
 * failed ("memory lost: ... failed"), else dflt. */
static const char *pproc_mem_reason(struct pproc *p, char *why, const char *dflt)
{
	const struct pmem_backend *m = &p->mon->mem;

	if (m->ops && m->ops->lost && m->ops->lost(m->be, p->pid, why, PPROC_REASON_MAX))
		return why;
	return dflt;
}

/* A process whose memory lost a line (victim_carry.c) cannot go on. */
static void pproc_check_mem(struct pproc *p)
{
	char why[PPROC_REASON_MAX];

	if (__atomic_load_n(&p->mem_lost, __ATOMIC_ACQUIRE))
		pproc_exit(p, PWSTATUS_SIG(SIGBUS), pproc_mem_reason(p, why, PPROC_MEM_LOST));
}

static void pproc_syscall(struct user_regs *r)
{
	struct pthread *th = pthread_current();
	struct syscall_args a = {
		.t = &th->abi, .nr = r->rax,
		.a = { r->rdi, r->rsi, r->rdx, r->r10, r->r8, r->r9 },
		.regs = r,
	};

	pproc_check_mem(th->proc);
	r->rax = (u64)abi_syscall(&a);
	pproc_check_mem(th->proc);
	psig_return(th, r, a.no_restart ? -1 : (s64)a.nr);
}

static void pproc_interrupt_return(struct user_regs *r)
{
	struct pthread *th = pthread_current();

	if (th)
		psig_return(th, r, -1);
}

/* The si_code Linux gives the exception at vector. */
static int pproc_trap_code(u64 vector)
{
	switch (vector) {
	case 0:
		return FPE_INTDIV;
	case 6:
		return ILL_ILLOPN;
	default:
		return SI_KERNEL;
	}
}

/* The signal an exception other than a page fault raises, and its name. */
static int pproc_trap_signal(u64 vector, const char **name)
{
	switch (vector) {
	case 0:
	case 16:
	case 19:
		*name = "floating point exception";
		return 8;
	case 6:
		*name = "illegal instruction";
		return 4;
	case 1:
	case 3:
		*name = "trace/breakpoint trap";
		return 5;
	default:
		*name = "general protection fault";
		return 11;
	}
}

/* The signal a fault raises and its si_code, for a handler to catch. */
static int pproc_fault_signal(const struct user_regs *r, enum user_fault_kind kind, int err,
			      int *code)
{
	const char *name;

	if (kind == USER_FAULT_PAGE) {
		bool segv = err == -EFAULT || err == -EACCES;

		*code = err == -EFAULT ? SEGV_MAPERR : err == -EACCES ? SEGV_ACCERR : BUS_ADRERR;
		return segv ? SIGSEGV : SIGBUS;
	}
	*code = pproc_trap_code(r->vector);
	return pproc_trap_signal(r->vector, &name);
}

static __noreturn void pproc_kill(struct pproc *p, struct user_regs *r,
				  enum user_fault_kind kind, u64 addr, int err)
{
	char why[PPROC_REASON_MAX];
	const char *name;
	int sig;

	if (kind == USER_FAULT_PAGE && (err == -EFAULT || err == -EACCES)) {
		fmt_snprintf(why, sizeof(why), "segmentation fault at 0x%lx (rip 0x%lx)", addr,
			     r->rip);
		pproc_exit(p, PWSTATUS_SIG(SIGSEGV), why);
	}
	pproc_check_mem(p);
	if (kind == USER_FAULT_PAGE && err == -ENXIO) {
		fmt_snprintf(why, sizeof(why), "bus error at 0x%lx (past the mapped file's end)",
			     addr);
		pproc_exit(p, PWSTATUS_SIG(SIGBUS), why);
	}
	if (kind == USER_FAULT_PAGE) {
		fmt_snprintf(why, sizeof(why), "bus error at 0x%lx (memory backend error %d)",
			     addr, err);
		pproc_exit(p, PWSTATUS_SIG(SIGBUS), pproc_mem_reason(p, why, why));
	}
	sig = pproc_trap_signal(r->vector, &name);
	fmt_snprintf(why, sizeof(why), "%s at rip 0x%lx", name, r->rip);
	pproc_exit(p, PWSTATUS_SIG(sig), why);
}

/* The access a user page fault made: error code bit 4 is an instruction
 * fetch. */
static u32 pproc_access(const struct user_regs *r, bool write)
{
	if (write)
		return PROT_WRITE;
	return (r->error & 0x10) ? PROT_EXEC : PROT_READ;
}

static void pproc_fault(struct user_regs *r, enum user_fault_kind kind, u64 addr, bool write)
{
	struct pthread *th = pthread_current();
	int err = -EFAULT;

	if (!th)
		thread_exit();
	if (kind == USER_FAULT_PAGE)
		err = pfault_handle(th->proc, addr, pproc_access(r, write));
	if (err) {
		int code, sig = pproc_fault_signal(r, kind, err, &code);

		if (err == -EHOSTUNREACH || !psig_fault(th, sig, code, addr))
			pproc_kill(th->proc, r, kind, addr, err);
	}
	psig_return(th, r, -1);
}

/* A fault inside copy_from_user/copy_to_user: the trap runs with
 * interrupts off, the fault path sleeps. */
static bool pproc_resolve(u64 addr, bool write)
{
	struct pthread *th = pthread_current();
	unsigned long flags;
	int err;

	if (!th)
		return false;
	flags = arch_irq_save();
	arch_irq_enable();
	err = pfault_handle(th->proc, addr, write ? PROT_WRITE : PROT_READ);
	arch_irq_restore(flags);
	return err == 0;
}

static const struct user_ops pproc_user_ops = {
	.syscall = pproc_syscall,
	.fault = pproc_fault,
	.resolve = pproc_resolve,
	.interrupt_return = pproc_interrupt_return,
};

void pproc_install_user_ops(void)
{
	user_set_ops(&pproc_user_ops);
}
