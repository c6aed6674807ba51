/*
 * poll, ppoll, select, pselect6: the user's arrays and bitmaps become one
 * array of struct pollfd for the process interface's poll, which waits.
 * Timeouts become time_ns() deadlines; select and pselect6 write the time
 * left back, as Linux does. ppoll and pselect6 run with the mask they are
 * given, which stays until a handler that ended the wait has run.
 */
#include <tessera/errno.h>
#include <tessera/kmalloc.h>
#include <tessera/string.h>
#include <tessera/uapi/time.h>

#include "linux-abi/syscalls.h"
#include "linux-abi/user.h"

#define POLL_MAX_FDS 1024 /* RLIMIT_NOFILE */
#define POLL_NOWAIT (~0ull)
#define SEL_WORDS (ABI_FD_SETSIZE / 64)
#define SEL_IN (POLLIN | POLLRDNORM | POLLRDBAND | POLLHUP | POLLERR)
#define SEL_OUT (POLLOUT | POLLWRNORM | POLLWRBAND | POLLERR)
#define SEL_EX POLLPRI

static u64 poll_now(struct abi_thread *t)
{
	return t->proc->ops->clock_ns(t, ABI_CLOCK_MONOTONIC);
}

/* A deadline ns from now (0 ns: do not wait). */
static u64 poll_after(struct abi_thread *t, u64 ns)
{
	u64 now = poll_now(t);

	if (!ns)
		return POLL_NOWAIT;
	return ns > POLL_NOWAIT - 1 - now ? 0 : now + ns;
}

/* The deadline of a user timespec (NULL: none): 0 or -errno. */
static int poll_timespec(struct abi_thread *t, u64 uts, u64 *deadline)
{
	struct timespec ts;

	*deadline = 0;
	if (!uts)
		return 0;
	if (abi_copy_in(t, &ts, uts, sizeof(ts)))
		return -EFAULT;
	if (ts.tv_sec < 0 || ts.tv_nsec < 0 || ts.tv_nsec >= NSEC_PER_SEC)
		return -EINVAL;
	if ((u64)ts.tv_sec >= ~0ull / NSEC_PER_SEC / 2)
		return 0;
	*deadline = poll_after(t, (u64)ts.tv_sec * NSEC_PER_SEC + (u64)ts.tv_nsec);
	return 0;
}

/* The temporary mask of ppoll and pselect6 (umask 0: none). */
static int poll_set_mask(struct abi_thread *t, u64 umask, u64 size)
{
	k_sigset_t mask;

	if (!umask)
		return 0;
	if (size != sizeof(mask))
		return -EINVAL;
	if (abi_copy_in(t, &mask, umask, sizeof(mask)))
		return -EFAULT;
	t->saved_mask = t->sigmask;
	t->restore_mask = true;
	abi_sig_set_mask(t, mask);
	return 0;
}

/* Unless a signal ended the wait, the old mask comes back now. */
static void poll_end_mask(struct abi_thread *t, long ret)
{
	if (!t->restore_mask || ret == -ERESTARTNOHAND)
		return;
	t->restore_mask = false;
	abi_sig_set_mask(t, t->saved_mask);
}

static long do_poll(struct abi_thread *t, u64 ufds, u64 n, u64 deadline)
{
	struct pollfd *fds;
	long r;

	if (n > POLL_MAX_FDS)
		return -EINVAL;
	fds = kmalloc(MAX(n, 1ull) * sizeof(*fds));
	if (!fds)
		return -ENOMEM;
	r = abi_copy_in(t, fds, ufds, n * sizeof(*fds));
	if (!r)
		r = t->proc->ops->poll(t, fds, (u32)n, deadline);
	if (r >= 0 && abi_copy_out(t, ufds, fds, n * sizeof(*fds)))
		r = -EFAULT;
	kfree(fds);
	return r;
}

/* poll(fds, nfds, timeout_ms) */
long sys_poll(struct syscall_args *a)
{
	s32 ms = (s32)a->a[2];
	u64 deadline = ms < 0 ? 0 : poll_after(a->t, (u64)ms * 1000000ull);

	return do_poll(a->t, a->a[0], a->a[1], deadline);
}

/* ppoll(fds, nfds, tsp, sigmask, sigsetsize) */
long sys_ppoll(struct syscall_args *a)
{
	u64 deadline;
	long r = poll_timespec(a->t, a->a[2], &deadline);

	if (!r)
		r = poll_set_mask(a->t, a->a[3], a->a[4]);
	if (r)
		return r;
	r = do_poll(a->t, a->a[0], a->a[1], deadline);
	poll_end_mask(a->t, r);
	return r;
}

struct sel_sets {
	u64 in[3][SEL_WORDS]; /* read, write, except; what the user gave */
	u64 out[3][SEL_WORDS];
	u64 user[3];          /* their user addresses, 0: not given */
	u32 nfds;
};

static bool sel_bit(const u64 *set, u32 fd)
{
	return set[fd / 64] >> (fd % 64) & 1;
}

static int sel_copy_in(struct abi_thread *t, struct sel_sets *s)
{
	u64 bytes = ALIGN_UP((u64)s->nfds, 64ull) / 8;

	memset(s->in, 0, sizeof(s->in));
	memset(s->out, 0, sizeof(s->out));
	for (int k = 0; k < 3; k++)
		if (s->user[k] && abi_copy_in(t, s->in[k], s->user[k], bytes))
			return -EFAULT;
	return 0;
}

/* The pollfds of the fds named in any set; their count. */
static u32 sel_to_poll(const struct sel_sets *s, struct pollfd *fds)
{
	static const s16 ev[3] = { SEL_IN, SEL_OUT, SEL_EX };
	u32 n = 0;

	for (u32 fd = 0; fd < s->nfds; fd++) {
		s16 events = 0;

		for (int k = 0; k < 3; k++)
			if (sel_bit(s->in[k], fd))
				events |= ev[k];
		if (events)
			fds[n++] = (struct pollfd){ .fd = (s32)fd, .events = events };
	}
	return n;
}

/* The result sets from revents: the number of bits set, or -EBADF. */
static long sel_from_poll(struct sel_sets *s, const struct pollfd *fds, u32 n)
{
	static const u16 ev[3] = { SEL_IN, SEL_OUT, SEL_EX };
	long bits = 0;

	for (u32 i = 0; i < n; i++) {
		u32 fd = (u32)fds[i].fd;

		if (fds[i].revents & POLLNVAL)
			return -EBADF;
		for (int k = 0; k < 3; k++)
			if (sel_bit(s->in[k], fd) && ((u16)fds[i].revents & ev[k])) {
				s->out[k][fd / 64] |= 1ull << (fd % 64);
				bits++;
			}
	}
	return bits;
}

static long sel_copy_out(struct abi_thread *t, const struct sel_sets *s)
{
	u64 bytes = ALIGN_UP((u64)s->nfds, 64ull) / 8;

	for (int k = 0; k < 3; k++)
		if (s->user[k] && abi_copy_out(t, s->user[k], s->out[k], bytes))
			return -EFAULT;
	return 0;
}

static long sel_wait(struct abi_thread *t, struct sel_sets *s, struct pollfd *fds, u64 deadline)
{
	u32 n = sel_to_poll(s, fds);
	long r = t->proc->ops->poll(t, fds, n, deadline);

	if (r < 0)
		return r;
	r = sel_from_poll(s, fds, n);
	if (r >= 0 && sel_copy_out(t, s))
		r = -EFAULT;
	return r;
}

static long do_select(struct abi_thread *t, const u64 *args, u64 deadline)
{
	struct sel_sets *s;
	struct pollfd *fds;
	long r;

	if ((s64)args[0] < 0 || (s64)args[0] > INT32_MAX)
		return -EINVAL;
	s = kmalloc(sizeof(*s));
	fds = kmalloc(ABI_FD_SETSIZE * sizeof(*fds));
	r = s && fds ? 0 : -ENOMEM;
	if (!r) {
		s->nfds = (u32)MIN(args[0], (u64)ABI_FD_SETSIZE);
		s->user[0] = args[1], s->user[1] = args[2], s->user[2] = args[3];
		r = sel_copy_in(t, s);
	}
	if (!r)
		r = sel_wait(t, s, fds, deadline);
	kfree(fds);
	kfree(s);
	return r;
}

/* The time left until deadline into the user's timeval or timespec. */
static void sel_time_left(struct abi_thread *t, u64 uaddr, u64 deadline, bool timeval)
{
	u64 now = poll_now(t), left = deadline > now && deadline != POLL_NOWAIT ? deadline - now : 0;
	struct timespec ts = { (s64)(left / NSEC_PER_SEC), (s64)(left % NSEC_PER_SEC) };
	struct timeval tv = { ts.tv_sec, ts.tv_nsec / 1000 };

	if (!uaddr || !deadline)
		return;
	if (timeval)
		abi_copy_out(t, uaddr, &tv, sizeof(tv));
	else
		abi_copy_out(t, uaddr, &ts, sizeof(ts));
}

/* select(nfds, readfds, writefds, exceptfds, timeout) */
long sys_select(struct syscall_args *a)
{
	struct timeval tv;
	u64 deadline = 0;
	long r;

	if (a->a[4]) {
		if (abi_copy_in(a->t, &tv, a->a[4], sizeof(tv)))
			return -EFAULT;
		if (tv.tv_sec < 0 || tv.tv_usec < 0 || tv.tv_usec >= 1000000)
			return -EINVAL;
		if ((u64)tv.tv_sec < ~0ull / NSEC_PER_SEC / 2)
			deadline = poll_after(a->t, (u64)tv.tv_sec * NSEC_PER_SEC +
							(u64)tv.tv_usec * 1000);
	}
	r = do_select(a->t, a->a, deadline);
	sel_time_left(a->t, a->a[4], deadline, true);
	return r;
}

/* pselect6(nfds, readfds, writefds, exceptfds, timeout, {sigmask, size}) */
long sys_pselect6(struct syscall_args *a)
{
	u64 sig[2] = { 0, 0 };
	u64 deadline;
	long r = poll_timespec(a->t, a->a[4], &deadline);

	if (!r && a->a[5] && abi_copy_in(a->t, sig, a->a[5], sizeof(sig)))
		r = -EFAULT;
	if (!r)
		r = poll_set_mask(a->t, sig[0], sig[1]);
	if (r)
		return r;
	r = do_select(a->t, a->a, deadline);
	poll_end_mask(a->t, r);
	sel_time_left(a->t, a->a[4], deadline, false);
	return r;
}
