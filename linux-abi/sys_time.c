/* Clocks and randomness: clock_gettime and friends read the process's
 * clock hook, getrandom its random hook. Coarse, raw, boot and TAI clocks
 * are served by the nearest of the four clocks the hook knows. */
#include <tessera/errno.h>
#include <tessera/uapi/random.h>
#include <tessera/uapi/time.h>

#include "linux-abi/syscalls.h"
#include "linux-abi/user.h"

#define COARSE_RES_NS 4000000 /* a 250 Hz tick, as Linux reports */
#define GETRANDOM_MAX (32 * MiB)

/* The hook clock for a Linux clock id; false for ids Linux rejects. */
static bool clock_of(u64 id, enum abi_clock *c)
{
	switch (id) {
	case CLOCK_REALTIME:
	case CLOCK_REALTIME_COARSE:
	case CLOCK_TAI:
		*c = ABI_CLOCK_REALTIME;
		return true;
	case CLOCK_MONOTONIC:
	case CLOCK_MONOTONIC_RAW:
	case CLOCK_MONOTONIC_COARSE:
	case CLOCK_BOOTTIME:
		*c = ABI_CLOCK_MONOTONIC;
		return true;
	case CLOCK_PROCESS_CPUTIME_ID:
		*c = ABI_CLOCK_PROCESS_CPU;
		return true;
	case CLOCK_THREAD_CPUTIME_ID:
		*c = ABI_CLOCK_THREAD_CPU;
		return true;
	default:
		return false;
	}
}

static u64 now_ns(struct abi_thread *t, enum abi_clock c)
{
	return t->proc->ops->clock_ns(t, c);
}

/* clock_gettime(id, tp) */
long sys_clock_gettime(struct syscall_args *a)
{
	enum abi_clock c;
	struct timespec ts;
	u64 ns;

	if (!clock_of(a->a[0], &c))
		return -EINVAL;
	ns = now_ns(a->t, c);
	ts.tv_sec = ns / NSEC_PER_SEC;
	ts.tv_nsec = ns % NSEC_PER_SEC;
	return abi_copy_out(a->t, a->a[1], &ts, sizeof(ts));
}

/* clock_getres(id, res): res may be NULL. */
long sys_clock_getres(struct syscall_args *a)
{
	enum abi_clock c;
	struct timespec ts = { 0, 1 };

	if (!clock_of(a->a[0], &c))
		return -EINVAL;
	if (a->a[0] == CLOCK_REALTIME_COARSE || a->a[0] == CLOCK_MONOTONIC_COARSE)
		ts.tv_nsec = COARSE_RES_NS;
	if (!a->a[1])
		return 0;
	return abi_copy_out(a->t, a->a[1], &ts, sizeof(ts));
}

/* gettimeofday(tv, tz): tz, if given, reads as UTC (two zero ints). */
long sys_gettimeofday(struct syscall_args *a)
{
	u64 ns = now_ns(a->t, ABI_CLOCK_REALTIME);
	struct timeval tv = { ns / NSEC_PER_SEC, ns % NSEC_PER_SEC / 1000 };
	static const u32 utc[2] = { 0, 0 };

	if (a->a[0] && abi_copy_out(a->t, a->a[0], &tv, sizeof(tv)))
		return -EFAULT;
	if (a->a[1] && abi_copy_out(a->t, a->a[1], utc, sizeof(utc)))
		return -EFAULT;
	return 0;
}

/* time(tloc) */
long sys_time(struct syscall_args *a)
{
	s64 sec = now_ns(a->t, ABI_CLOCK_REALTIME) / NSEC_PER_SEC;

	if (a->a[0] && abi_copy_out(a->t, a->a[0], &sec, sizeof(sec)))
		return -EFAULT;
	return sec;
}

/* getrandom(buf, len, flags): through the bounce buffer, a chunk at a time;
 * a bad buffer after some bytes gives the count so far. */
long sys_getrandom(struct syscall_args *a)
{
	struct abi_thread *t = a->t;
	u64 len = MIN(a->a[1], GETRANDOM_MAX), done = 0;
	u64 flags = a->a[2];

	if (flags & ~(u64)(GRND_NONBLOCK | GRND_RANDOM | GRND_INSECURE))
		return -EINVAL;
	if ((flags & GRND_INSECURE) && (flags & GRND_RANDOM))
		return -EINVAL;
	while (done < len) {
		u32 n = MIN(len - done, (u64)t->iobuf_size);
		int err = t->proc->ops->random(t, t->iobuf, n);

		if (!err)
			err = abi_copy_out(t, a->a[0] + done, t->iobuf, n);
		if (err)
			return done ? (long)done : err;
		done += n;
	}
	return done;
}
