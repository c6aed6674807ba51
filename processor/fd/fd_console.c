/*
 * Console streams (fd.h): the kind of fds 0-2 of a process that was
 * started with output sinks. Writes go to the sink whole; reads see end
 * of file; fstat says a FIFO, which is what the program's output is once
 * it leaves the pMonitor. The open file holds its sink (pfd_sink.hold).
 */
#include <tessera/errno.h>
#include <tessera/uapi/fcntl.h>

#include "processor/fd/fd.h"

static const struct pfd_sink *pfd_console_sink(struct pfd_file *f)
{
	return f->priv;
}

static long pfd_console_read(struct pfd_file *f, void *buf, u64 len)
{
	return 0;
}

static long pfd_console_write(struct pfd_file *f, const void *buf, u64 len)
{
	const struct pfd_sink *s = pfd_console_sink(f);

	s->write(s->ctx, buf, len);
	return (long)len;
}

static int pfd_console_stat(struct pfd_file *f, struct stat *st)
{
	struct pfile_attr a = { .mode = S_IFIFO | 0600, .nlink = 1, .blksize = 4096 };

	pfd_fill_stat(st, &a);
	return 0;
}

static void pfd_console_release(struct pfd_file *f)
{
	const struct pfd_sink *s = pfd_console_sink(f);

	if (s->hold)
		s->hold(s->ctx, -1);
}

static const struct pfd_ops pfd_console_ops = {
	.kind = "console",
	.read = pfd_console_read,
	.write = pfd_console_write,
	.stat = pfd_console_stat,
	.release = pfd_console_release,
};

static struct pfd_file *pfd_console_new(const struct pfd_sink *sink)
{
	struct pfd_file *f = pfd_file_new(&pfd_console_ops, O_RDWR, "");

	if (!f)
		return NULL;
	f->priv = (void *)sink;
	if (sink->hold)
		sink->hold(sink->ctx, 1);
	return f;
}

int pfd_open_console(struct pfd_table *t, const struct pfd_sink *out,
		     const struct pfd_sink *err)
{
	struct pfd_file *f = pfd_console_new(out);
	struct pfd_file *e = err == out ? f : pfd_console_new(err);

	if (!f || !e) {
		pfd_put(f);
		pfd_put(e);
		return -ENOMEM;
	}
	mutex_lock(&t->lock);
	for (int fd = 0; fd < 3; fd++) {
		pfd_ref(fd < 2 ? f : e);
		t->fd[fd] = fd < 2 ? f : e;
	}
	mutex_unlock(&t->lock);
	pfd_put(f);
	if (e != f)
		pfd_put(e);
	return 0;
}
