/*
 * Sleeping and timers: nanosleep, clock_nanosleep and restart_syscall
 * really sleep (in the process interface's interruptible sig_sleep, to a
 * CLOCK_MONOTONIC deadline); alarm, setitimer and getitimer (ITIMER_REAL;
 * the CPU-time timers are not implemented: -ENOSYS); and the accounting
 * calls times, getrusage and sysinfo.
 *
 * A relative sleep that a signal ends writes the time left to rem and
 * returns -ERESTART_RESTARTBLOCK: if no handler runs (a stop, then
 * SIGCONT), restart_syscall sleeps to the same deadline; after a handler
 * it is -EINTR. An absolute sleep returns -ERESTARTNOHAND (it can simply
 * be made again).
 */
#include <tessera/errno.h>
#include <tessera/string.h>
#include <tessera/uapi/time.h>
#include <tessera/uapi/times.h>
#include <tessera/uapi/wait.h>

#include "linux-abi/syscalls.h"
#include "linux-abi/user.h"

#define USER_HZ 100
#define NS_PER_TICK (1000000000ull / USER_HZ)

static u64 mono_now(struct abi_thread *t)
{
	return t->proc->ops->clock_ns(t, ABI_CLOCK_MONOTONIC);
}

static int ts_in(struct abi_thread *t, u64 uts, u64 *ns)
{
	struct timespec ts;

	if (abi_copy_in(t, &ts, uts, sizeof(ts)))
		return -EFAULT;
	if (ts.tv_sec < 0 || ts.tv_nsec < 0 || ts.tv_nsec >= NSEC_PER_SEC)
		return -EINVAL;
	*ns = (u64)ts.tv_sec >= ~0ull / NSEC_PER_SEC / 2 ? ~0ull / 2
							   : (u64)ts.tv_sec * NSEC_PER_SEC + (u64)ts.tv_nsec;
	return 0;
}

static int ts_out(struct abi_thread *t, u64 uts, u64 ns)
{
	struct timespec ts = { (s64)(ns / NSEC_PER_SEC), (s64)(ns % NSEC_PER_SEC) };

	return uts ? abi_copy_out(t, uts, &ts, sizeof(ts)) : 0;
}

/* Sleep to the monotonic deadline; rem: where the time left goes if a
 * signal ends it (relative sleeps), or ~0 for an absolute one. */
static long sleep_until(struct abi_thread *t, u64 deadline, u64 rem)
{
	u64 now = mono_now(t);

	if (deadline <= now)
		return 0;
	if (t->proc->ops->sig_sleep(t, 0, deadline) == -ETIMEDOUT)
		return 0;
	if (rem == ~0ull)
		return -ERESTARTNOHAND;
	now = mono_now(t);
	if (ts_out(t, rem, deadline > now ? deadline - now : 0))
		return -EFAULT;
	t->restart = (struct abi_restart){ .deadline = deadline, .rem = rem };
	return -ERESTART_RESTARTBLOCK;
}

/* nanosleep(req, rem) */
long sys_nanosleep(struct syscall_args *a)
{
	u64 ns;
	int err = ts_in(a->t, a->a[0], &ns);

	if (err)
		return err;
	return sleep_until(a->t, mono_now(a->t) + ns, a->a[1]);
}

/* The monotonic deadline of an absolute time on clock id. */
static u64 abs_deadline(struct abi_thread *t, u64 id, u64 at)
{
	u64 now = mono_now(t), wall;

	if (id != CLOCK_REALTIME && id != CLOCK_TAI)
		return at;
	wall = t->proc->ops->clock_ns(t, ABI_CLOCK_REALTIME);
	return at > wall ? now + (at - wall) : now;
}

/* clock_nanosleep(clock, flags, req, rem) */
long sys_clock_nanosleep(struct syscall_args *a)
{
	u64 id = a->a[0], ns;
	int err;

	if (id == CLOCK_PROCESS_CPUTIME_ID)
		return -EOPNOTSUPP;
	if (id != CLOCK_REALTIME && id != CLOCK_MONOTONIC && id != CLOCK_BOOTTIME &&
	    id != CLOCK_TAI)
		return -EINVAL;
	if (a->a[1] & ~(u64)TIMER_ABSTIME)
		return -EINVAL;
	err = ts_in(a->t, a->a[2], &ns);
	if (err)
		return err;
	if (a->a[1] & TIMER_ABSTIME)
		return sleep_until(a->t, abs_deadline(a->t, id, ns), ~0ull);
	return sleep_until(a->t, mono_now(a->t) + ns, a->a[3]);
}

/* restart_syscall(): an interrupted sleep goes on to its deadline. */
long sys_restart_syscall(struct syscall_args *a)
{
	struct abi_restart r = a->t->restart;

	a->t->restart = (struct abi_restart){ 0 };
	if (!r.deadline)
		return -EINTR;
	return sleep_until(a->t, r.deadline, r.rem);
}

static u64 tv_ns(const struct timeval *tv)
{
	return (u64)tv->tv_sec * NSEC_PER_SEC + (u64)tv->tv_usec * 1000;
}

static struct timeval ns_tv(u64 ns)
{
	return (struct timeval){ (s64)(ns / NSEC_PER_SEC), (s64)(ns % NSEC_PER_SEC / 1000) };
}

/* alarm(seconds): the seconds the last alarm had left, rounded as Linux. */
long sys_alarm(struct syscall_args *a)
{
	u64 value = (u64)(u32)a->a[0] * NSEC_PER_SEC, interval = 0;
	struct timeval left;

	a->t->proc->ops->real_timer(a->t, true, &value, &interval);
	left = ns_tv(value);
	if ((!left.tv_sec && left.tv_usec) || left.tv_usec >= 500000)
		left.tv_sec++;
	return left.tv_sec;
}

static bool tv_valid(const struct timeval *tv)
{
	return tv->tv_sec >= 0 && tv->tv_usec >= 0 && tv->tv_usec < 1000000;
}

/* setitimer(which, new, old); a NULL new disarms, as Linux does. */
long sys_setitimer(struct syscall_args *a)
{
	struct itimerval nv = { { 0, 0 }, { 0, 0 } }, ov;
	u64 value, interval;

	if (a->a[0] > ITIMER_PROF)
		return -EINVAL;
	if (a->a[1] && abi_copy_in(a->t, &nv, a->a[1], sizeof(nv)))
		return -EFAULT;
	if (!tv_valid(&nv.it_value) || !tv_valid(&nv.it_interval))
		return -EINVAL;
	if (a->a[0] != ITIMER_REAL)
		return -ENOSYS;
	value = tv_ns(&nv.it_value);
	interval = tv_ns(&nv.it_interval);
	a->t->proc->ops->real_timer(a->t, true, &value, &interval);
	ov = (struct itimerval){ ns_tv(interval), ns_tv(value) };
	return a->a[2] ? abi_copy_out(a->t, a->a[2], &ov, sizeof(ov)) : 0;
}

/* getitimer(which, curr) */
long sys_getitimer(struct syscall_args *a)
{
	struct itimerval cv;
	u64 value, interval;

	if (a->a[0] > ITIMER_PROF)
		return -EINVAL;
	if (a->a[0] != ITIMER_REAL)
		return -ENOSYS;
	a->t->proc->ops->real_timer(a->t, false, &value, &interval);
	cv = (struct itimerval){ ns_tv(interval), ns_tv(value) };
	return abi_copy_out(a->t, a->a[1], &cv, sizeof(cv));
}

/* times(buf): the clock ticks since boot. */
long sys_times(struct syscall_args *a)
{
	struct abi_times at;
	struct tms tm;

	a->t->proc->ops->times(a->t, &at);
	tm = (struct tms){ (s64)(at.utime_ns / NS_PER_TICK), (s64)(at.stime_ns / NS_PER_TICK),
			   (s64)(at.cutime_ns / NS_PER_TICK), (s64)(at.cstime_ns / NS_PER_TICK) };
	if (a->a[0] && abi_copy_out(a->t, a->a[0], &tm, sizeof(tm)))
		return -EFAULT;
	return (long)(mono_now(a->t) / NS_PER_TICK);
}

/* getrusage(who, usage): CPU times; the other fields stay 0. */
long sys_getrusage(struct syscall_args *a)
{
	s32 who = (s32)a->a[0];
	struct abi_times at;
	struct rusage ru;
	u64 u, s;

	if (who != RUSAGE_SELF && who != RUSAGE_CHILDREN && who != RUSAGE_THREAD)
		return -EINVAL;
	a->t->proc->ops->times(a->t, &at);
	u = who == RUSAGE_CHILDREN ? at.cutime_ns : at.utime_ns;
	s = who == RUSAGE_CHILDREN ? at.cstime_ns : at.stime_ns;
	memset(&ru, 0, sizeof(ru));
	ru.ru_utime = ns_tv(u);
	ru.ru_stime = ns_tv(s);
	if (who != RUSAGE_CHILDREN)
		ru.ru_maxrss = (s64)at.maxrss_kib;
	return abi_copy_out(a->t, a->a[1], &ru, sizeof(ru));
}

/* sysinfo(info) */
long sys_sysinfo(struct syscall_args *a)
{
	struct abi_sysinfo si;
	struct sysinfo out;

	a->t->proc->ops->sysinfo(a->t, &si);
	memset(&out, 0, sizeof(out));
	out.uptime = (s64)(mono_now(a->t) / NSEC_PER_SEC);
	out.totalram = si.totalram;
	out.freeram = si.freeram;
	out.procs = (u16)MIN(si.procs, 0xffffu);
	out.mem_unit = 1;
	return abi_copy_out(a->t, a->a[0], &out, sizeof(out));
}
