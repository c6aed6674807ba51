/*
 * Processes: spawn, exit, wait, and the trap entry points (user_ops) that
 * route a user thread's syscalls and faults to the Linux ABI and the
 * fault path. A process has one thread for now, a kernel thread that
 * entered user mode; its struct thread's arg is its struct pthread.
 *
 * Exit runs on the exiting thread: it drops the process's ExCache lines
 * (so no eviction can reach its page tables any more), tells the memory
 * backend, closes its files, frees its address space, then marks it
 * exited for the waiter, who joins the thread and frees the rest.
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
#include <tessera/uapi/mman.h>
#include <tessera/user.h>

#include "linux-abi/syscall.h"
#include "processor/proc/proc.h"
#include "processor/proc/signal.h"

BOOTARG_KNOWN(proc_stats, "print each process's fault and ExCache counters at exit");

#define PPROC_BRK_MAX (1 * GiB) /* how far the break may grow past the image */
#define SIGBUS_STATUS (128 + 7)
#define SIGSEGV_STATUS (128 + 11)

/* The default sink of fds 0-2: the serial console, each line prefixed
 * with the process's name and pid. Only the process's threads write. */
static void pproc_console_write(void *ctx, const void *buf, u64 len)
{
	struct pproc *p = ctx;
	const char *s = buf;

	while (len) {
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

static void pthread_main(void *arg);

struct pthread *pthread_current(void)
{
	struct thread *t = thread_current();

	return t->fn == pthread_main ? t->arg : NULL;
}

static void pproc_print_stats(struct pproc *p)
{
	const struct pproc_stats *s = &p->stats;

	console_printf("pid %u (%s) exit %d: misses %lu zero-fills %lu file-fills %lu "
		       "fetches %lu soft-hits %lu evictions %lu write-backs %lu (carried %lu)\n",
		       p->pid, p->comm, p->exit_status, s->misses, s->zero_fills,
		       s->file_fills, s->fetches, s->soft_hits, s->evictions, s->writebacks,
		       s->carried);
}

/* Free what the process holds outside its struct; no lines survive. */
static void pproc_teardown(struct pproc *p)
{
	struct pmon *mon = p->mon;

	excache_drop_space(&mon->cache, p->pid);
	excache_unlimit_space(&mon->cache, p->pid);
	if (p->mem_created)
		mon->mem.ops->proc_exit(mon->mem.be, p->pid);
	pfd_close_all(&p->fds);
	vmaset_destroy(&p->vmas);
	pwset_clear(&p->written);
	spin_lock(&mon->lock);
	list_del(&p->link);
	spin_unlock(&mon->lock);
	mmu_space_destroy(p->space);
	p->space = NULL;
}

static void pproc_mark_exited(struct pproc *p)
{
	spin_lock(&p->mon->lock);
	p->exited = true;
	spin_unlock(&p->mon->lock);
	wake_up_all(&p->exit_wq);
}

void pproc_exit(struct pproc *p, int status, const char *reason)
{
	p->exit_status = status;
	str_copy(p->exit_reason, reason, sizeof(p->exit_reason));
	if (reason[0])
		pr_info("pid %u (%s): %s\n", p->pid, p->comm, reason);
	if (bootarg_bool("proc_stats", false))
		pproc_print_stats(p);
	pproc_teardown(p);
	pproc_mark_exited(p);
	thread_exit();
}

static void pthread_main(void *arg)
{
	struct pthread *th = arg;
	struct pproc *p = th->proc;
	struct user_regs regs;
	char why[PPROC_REASON_MAX];
	int err;

	mmu_space_activate(p->space);
	err = pexec_start(p, &regs);
	pexec_release(p);
	if (err) {
		fmt_snprintf(why, sizeof(why), "cannot start %s: error %d", p->exe, err);
		pproc_exit(p, 127, why);
	}
	user_enter(&regs);
}

static void pproc_init_fields(struct pproc *p, struct pmon *mon,
			      const struct pproc_spawn *a)
{
	p->mon = mon;
	p->pid = a->pid ? a->pid : pmon_new_pid(mon);
	p->vnode = a->vnode;
	p->files = a->files ? *a->files : mon->files;
	spin_init(&p->pt_lock, "pproc.pt", LOCK_RANK_PROC_PT);
	mutex_init(&p->mm_lock, "pproc.mm", LOCK_RANK_PROC_MM);
	vmaset_init(&p->vmas, kmalloc, kfree);
	pwset_init(&p->written);
	pfd_table_init(&p->fds);
	wait_queue_init(&p->exit_wq);
	wait_queue_init(&p->stop_wq);
	list_init(&p->link);
}

static void pproc_init_abi(struct pproc *p)
{
	struct abi_proc *ap = &p->abi;
	u64 brk = pexec_brk_start(p);

	abi_proc_init(ap, &pabi_ops, brk, brk + PPROC_BRK_MAX);
	ap->priv = p;
	ap->pid = ap->pgid = ap->sid = p->pid;
	ap->exe_path = p->exe;
	ap->nodename = bootarg_str("name", "processor");
	p->main->abi.proc = ap;
	p->main->abi.priv = p->main;
	p->main->abi.tid = p->pid;
	p->main->abi.iobuf = p->main->iobuf;
	p->main->abi.iobuf_size = sizeof(p->main->iobuf);
	abi_thread_init(&p->main->abi, 0);
	wait_queue_init(&p->main->sleep_wq);
	p->main->proc = p;
}

/* Everything up to the thread; on failure p holds what to free. */
static int pproc_setup(struct pproc *p, const struct pproc_spawn *a)
{
	const struct pfd_sink *out;
	int err = pexec_prepare(p, a);

	if (err)
		return err;
	p->space = mmu_space_create();
	p->main = kzalloc(sizeof(*p->main));
	if (!p->space || !p->main)
		return -ENOMEM;
	pproc_init_abi(p);
	p->console = (struct pfd_sink){ .write = pproc_console_write, .ctx = p };
	p->console_bol = true;
	out = a->out ? a->out : &p->console;
	return pfd_open_console(&p->fds, out, a->err ? a->err : out);
}

int pproc_spawn(struct pmon *mon, const struct pproc_spawn *a, struct pproc **out)
{
	struct pproc *p = kzalloc(sizeof(*p));
	int err;

	if (!p)
		return -ENOMEM;
	pproc_init_fields(p, mon, a);
	err = pproc_setup(p, a);
	if (!err) {
		spin_lock(&mon->lock);
		list_add_tail(&mon->procs, &p->link);
		spin_unlock(&mon->lock);
		p->kthread = thread_create(pthread_main, p->main, p->comm);
		if (!p->kthread) {
			pproc_teardown(p);
			err = -ENOMEM;
		}
	} else if (p->space) {
		mmu_space_destroy(p->space);
	}
	if (err) {
		pfd_close_all(&p->fds);
		pproc_free(p);
		return err;
	}
	*out = p;
	return 0;
}

static bool pproc_exited(struct pproc *p)
{
	bool done;

	spin_lock(&p->mon->lock);
	done = p->exited;
	spin_unlock(&p->mon->lock);
	return done;
}

int pproc_wait(struct pproc *p)
{
	wait_event(&p->exit_wq, pproc_exited(p));
	if (p->kthread)
		thread_join(p->kthread);
	p->kthread = NULL;
	return p->exit_status;
}

void pproc_free(struct pproc *p)
{
	pexec_release(p);
	kfree(p->miss_ns);
	kfree(p->victim_buf);
	kfree(p->main);
	kfree(p);
}

/* Trap entry points. */

#define PPROC_MEM_LOST "memory component unreachable (a dirty line was lost)"

/* A process whose memory lost a line (victim_carry.c) cannot go on. */
static void pproc_check_mem(struct pproc *p)
{
	if (__atomic_load_n(&p->mem_lost, __ATOMIC_ACQUIRE))
		pproc_exit(p, SIGBUS_STATUS, PPROC_MEM_LOST);
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
		*code = err == -EFAULT ? SEGV_MAPERR : BUS_ADRERR;
		return err == -EFAULT ? SIGSEGV : SIGBUS;
	}
	*code = SI_KERNEL;
	return pproc_trap_signal(r->vector, &name);
}

static __noreturn void pproc_kill(struct pproc *p, struct user_regs *r,
				  enum user_fault_kind kind, u64 addr, int err)
{
	char why[PPROC_REASON_MAX];
	const char *name;
	int sig;

	if (kind == USER_FAULT_PAGE && err == -EFAULT) {
		fmt_snprintf(why, sizeof(why), "segmentation fault at 0x%lx (rip 0x%lx)", addr,
			     r->rip);
		pproc_exit(p, SIGSEGV_STATUS, why);
	}
	pproc_check_mem(p);
	if (kind == USER_FAULT_PAGE) {
		fmt_snprintf(why, sizeof(why), "bus error at 0x%lx (memory backend error %d)",
			     addr, err);
		pproc_exit(p, SIGBUS_STATUS, why);
	}
	sig = pproc_trap_signal(r->vector, &name);
	fmt_snprintf(why, sizeof(why), "%s at rip 0x%lx", name, r->rip);
	pproc_exit(p, 128 + sig, why);
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
