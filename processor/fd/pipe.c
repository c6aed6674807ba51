/*
 * Pipes (fd.h), as Linux keeps them: PIPE_SLOTS page-sized buffers in a
 * ring between a read end and a write end, each an open file of its own
 * kind. A write first merges its sub-page remainder into the last buffer
 * if that fits, else it takes new buffers, a page each; so a write of at
 * most PIPE_BUF bytes lands whole in one buffer and is never interleaved
 * (the syscall layer hands over at most a PIPE_BUF bounce buffer at a
 * time, so longer writes go in PIPE_BUF pieces, which Linux allows to
 * interleave). A pipe is full when every buffer is taken, even if the
 * one being read has room. A read takes bytes across buffers and frees
 * each one it empties; it waits for bytes or the last writer's close
 * (end of file). Both waits are interruptible; O_NONBLOCK makes them
 * -EAGAIN. Writing with no reader left gives -EPIPE and SIGPIPE.
 *
 * Locking: pipe.lock (mutex) guards the buffers and the counts of open
 * ends; readers wait on rwait, writers on wwait, and whoever changes what
 * the other side waits for wakes its queue under the lock. The counts are
 * also read without the lock, atomically, for wait conditions and poll.
 */
#include <tessera/errno.h>
#include <tessera/kmalloc.h>
#include <tessera/string.h>
#include <tessera/uapi/fcntl.h>

#include "processor/fd/fd.h"
#include "processor/proc/signal.h"

#define PIPE_PAGE 4096u
#define PIPE_SLOTS (PIPE_SIZE / PIPE_PAGE)

struct pipe_slot {
	u32 off, len; /* the bytes held: [off, off + len) of its page */
};

struct pipe {
	struct mutex lock;
	u8 *pages;             /* [lock] PIPE_SLOTS pages, slot i at i * PIPE_PAGE */
	struct pipe_slot slot[PIPE_SLOTS]; /* [lock] */
	u32 tail;              /* [lock] the slot read next */
	u32 used;              /* [lock] slots holding bytes, from tail on */
	u32 bytes;             /* [lock] bytes held */
	u32 readers, writers;  /* [lock] open read and write ends */
	u32 ends;              /* [lock] ends not yet released: frees at 0 */
	u64 ino;
	struct wait_queue rwait, wwait;
};

static u64 pipe_next_ino = 1;

static u32 pipe_load(const u32 *v)
{
	return __atomic_load_n(v, __ATOMIC_ACQUIRE);
}

static bool pipe_can_read(struct pipe *pp)
{
	return pipe_load(&pp->bytes) || !pipe_load(&pp->writers);
}

static bool pipe_can_write(struct pipe *pp)
{
	return pipe_load(&pp->used) < PIPE_SLOTS || !pipe_load(&pp->readers);
}

static u8 *pipe_page(struct pipe *pp, u32 slot)
{
	return pp->pages + (u64)slot * PIPE_PAGE;
}

/* Move up to len bytes out into buf, freeing emptied buffers; the count.
 * lock held. */
static u32 pipe_take(struct pipe *pp, u8 *buf, u64 len)
{
	u32 done = 0;

	while (done < len && pp->used) {
		struct pipe_slot *s = &pp->slot[pp->tail];
		u32 n = (u32)MIN(len - done, (u64)s->len);

		memcpy(buf + done, pipe_page(pp, pp->tail) + s->off, n);
		s->off += n;
		s->len -= n;
		done += n;
		if (!s->len) {
			pp->tail = (pp->tail + 1) % PIPE_SLOTS;
			pp->used--;
		}
	}
	pp->bytes -= done;
	return done;
}

/* Append n bytes to the last buffer if they fit there; lock held. */
static bool pipe_merge(struct pipe *pp, const u8 *buf, u32 n)
{
	u32 last = (pp->tail + pp->used - 1) % PIPE_SLOTS;
	struct pipe_slot *s = &pp->slot[last];

	if (!pp->used || s->off + s->len + n > PIPE_PAGE)
		return false;
	memcpy(pipe_page(pp, last) + s->off + s->len, buf, n);
	s->len += n;
	pp->bytes += n;
	return true;
}

/* Fill new buffers from buf while there are free ones; the count. */
static u32 pipe_fill(struct pipe *pp, const u8 *buf, u64 len)
{
	u32 done = 0;

	while (done < len && pp->used < PIPE_SLOTS) {
		u32 slot = (pp->tail + pp->used) % PIPE_SLOTS;
		u32 n = (u32)MIN(len - done, (u64)PIPE_PAGE);

		memcpy(pipe_page(pp, slot), buf + done, n);
		pp->slot[slot] = (struct pipe_slot){ 0, n };
		pp->used++;
		pp->bytes += n;
		done += n;
	}
	return done;
}

static long pipe_read(struct pfd_file *f, void *buf, u64 len)
{
	struct pipe *pp = f->priv;
	int err;

	if (!len)
		return 0;
	for (;;) {
		mutex_lock(&pp->lock);
		if (pp->bytes || !pp->writers) {
			u32 n = pipe_take(pp, buf, len);

			wake_up_all(&pp->wwait);
			mutex_unlock(&pp->lock);
			return n;
		}
		mutex_unlock(&pp->lock);
		if (pfd_nonblock(f))
			return -EAGAIN;
		err = psig_wait_event(&pp->rwait, pipe_can_read(pp), 0);
		if (err)
			return err;
	}
}

/* One locked attempt to write: the count (0: wait for a free buffer), or
 * -EPIPE. first: these are a write's first bytes, whose sub-page
 * remainder may merge into the last buffer. */
static long pipe_try_write(struct pipe *pp, const u8 *buf, u64 len, bool first)
{
	u32 rem = (u32)(len % PIPE_PAGE), done = 0;

	if (!pp->readers)
		return -EPIPE;
	if (first && rem && len < PIPE_PAGE && pipe_merge(pp, buf, rem))
		done = rem;
	done += pipe_fill(pp, buf + done, len - done);
	if (done)
		wake_up_all(&pp->rwait);
	return done;
}

static long pipe_write(struct pfd_file *f, const void *buf, u64 len)
{
	struct pipe *pp = f->priv;
	u64 done = 0;
	long r;

	while (done < len) {
		mutex_lock(&pp->lock);
		r = pipe_try_write(pp, (const u8 *)buf + done, len - done, !done);
		mutex_unlock(&pp->lock);
		if (r == -EPIPE) {
			psig_raise(SIGPIPE);
			return done ? (long)done : r;
		}
		done += (u64)r;
		if (done == len || r > 0)
			continue;
		if (pfd_nonblock(f))
			return done ? (long)done : -EAGAIN;
		r = psig_wait_event(&pp->wwait, pipe_can_write(pp), 0);
		if (r)
			return done ? (long)done : r;
	}
	return (long)done;
}

static u32 pipe_poll_read(struct pfd_file *f, struct pfd_poll *pt)
{
	struct pipe *pp = f->priv;
	u32 mask = 0;

	if (pt)
		pfd_poll_wait(pt, &pp->rwait);
	if (pipe_load(&pp->bytes))
		mask |= POLLIN | POLLRDNORM;
	if (!pipe_load(&pp->writers))
		mask |= POLLHUP;
	return mask;
}

static u32 pipe_poll_write(struct pfd_file *f, struct pfd_poll *pt)
{
	struct pipe *pp = f->priv;
	u32 mask = 0;

	if (pt)
		pfd_poll_wait(pt, &pp->wwait);
	if (pipe_load(&pp->used) < PIPE_SLOTS)
		mask |= POLLOUT | POLLWRNORM;
	if (!pipe_load(&pp->readers))
		mask |= POLLERR;
	return mask;
}

static int pipe_stat(struct pfd_file *f, struct stat *st)
{
	struct pipe *pp = f->priv;
	struct pfile_attr a = { .ino = pp->ino, .mode = S_IFIFO | 0600, .nlink = 1,
				.blksize = PIPE_BUF };

	pfd_fill_stat(st, &a);
	st->st_dev = 0;
	return 0;
}

static void pipe_release(struct pfd_file *f)
{
	struct pipe *pp = f->priv;
	bool last;

	mutex_lock(&pp->lock);
	if ((f->flags & O_ACCMODE) == O_RDONLY)
		pp->readers--;
	else
		pp->writers--;
	last = --pp->ends == 0;
	wake_up_all(&pp->rwait);
	wake_up_all(&pp->wwait);
	mutex_unlock(&pp->lock);
	if (last) {
		kfree(pp->pages);
		kfree(pp);
	}
}

static const struct pfd_ops pipe_read_ops = {
	.kind = "pipe",
	.read = pipe_read,
	.stat = pipe_stat,
	.poll = pipe_poll_read,
	.release = pipe_release,
};

static const struct pfd_ops pipe_write_ops = {
	.kind = "pipe",
	.write = pipe_write,
	.stat = pipe_stat,
	.poll = pipe_poll_write,
	.release = pipe_release,
};

int pfd_pipe_new(u32 flags, struct pfd_file **rd, struct pfd_file **wr)
{
	struct pipe *pp = kzalloc(sizeof(*pp));
	u32 status = flags & O_NONBLOCK;

	if (!pp || !(pp->pages = kmalloc(PIPE_SIZE))) {
		kfree(pp);
		return -ENOMEM;
	}
	mutex_init(&pp->lock, "pipe", LOCK_RANK_PIPE);
	wait_queue_init(&pp->rwait);
	wait_queue_init(&pp->wwait);
	pp->ino = __atomic_fetch_add(&pipe_next_ino, 1, __ATOMIC_RELAXED);
	*rd = pfd_file_new(&pipe_read_ops, O_RDONLY | status, "pipe:");
	*wr = pfd_file_new(&pipe_write_ops, O_WRONLY | status, "pipe:");
	if (!*rd || !*wr) {
		kfree(*rd);
		kfree(*wr);
		kfree(pp->pages);
		kfree(pp);
		return -ENOMEM;
	}
	pp->readers = pp->writers = 1;
	pp->ends = 2;
	(*rd)->priv = (*wr)->priv = pp;
	return 0;
}

bool pfd_is_pipe(const struct pfd_file *f)
{
	return f->ops == &pipe_read_ops || f->ops == &pipe_write_ops;
}
