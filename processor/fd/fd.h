/*
 * File descriptors of a process. A descriptor points at an open file
 * (struct pfd_file), shared by dup and fork and counted by refs. What an
 * open file does depends on its kind, an ops table (struct pfd_ops): each
 * kind lives in a file of its own and plugs in by filling one table —
 * console streams (fd_console.c), files and directories of the file
 * backend (fd_backend.c), pipes (pipe.c); devices, /proc files and
 * writable files the same way.
 *
 * Contracts every kind keeps:
 *  - Buffers are kernel memory; the syscall layer copies to and from user
 *    space (processor/fd/abi_files.c calls the ops).
 *  - read/write return the count moved (short is fine, 0 from read is end
 *    of file) or -errno. An op that may block sleeps with the
 *    interruptible wait of processor/proc/signal.h: when a signal ends
 *    the wait before anything moved it returns -ERESTARTSYS (the syscall
 *    layer turns that into -EINTR or a restart, per SA_RESTART); once
 *    bytes moved it returns their count. With O_NONBLOCK in f->flags an
 *    op that would block returns -EAGAIN instead.
 *  - Access modes are checked before the op runs (pfd_read on an
 *    O_WRONLY file is -EBADF), so ops never check O_ACCMODE.
 *  - A NULL op gives Linux's answer for a file that cannot do it: read,
 *    write -EINVAL; pread, pwrite, lseek -ESPIPE; getdents -ENOTDIR;
 *    ioctl -ENOTTY; poll "always ready for what the access mode allows"
 *    (POLLIN | POLLOUT, as for a regular file); release nothing.
 *  - poll returns the POLL* events ready now; when pt is not NULL it also
 *    adds every wait queue whose wake-up may change them with
 *    pfd_poll_wait (it is called again after each wake-up).
 *  - release runs once, when the last reference goes; f->priv is the
 *    kind's to free then.
 *
 * Locking: pfd_table.lock (mutex) guards the slots and cloexec flags;
 * refs is atomic; flags is changed only by F_SETFL, with atomic stores,
 * and read with atomic loads. pfd_file.lock (mutex) guards pos, dir_eof
 * and attr for the kinds that have them, held across the backend
 * read so concurrent reads of one file do not share a position; kinds
 * with state of their own lock it themselves (a pipe has its own lock).
 * The other fields are set at open and read-only after.
 */
#ifndef PROCESSOR_FD_FD_H
#define PROCESSOR_FD_FD_H

#include <tessera/mutex.h>
#include <tessera/types.h>
#include <tessera/uapi/poll.h>
#include <tessera/uapi/stat.h>
#include <tessera/wait.h>

#include "linux-abi/abi.h"
#include "processor/backend/file_backend.h"

#define PFD_MAX ABI_NOFILE /* fds are 0..PFD_MAX-1 */

/* Where a console stream's bytes go: the serial console, or the CLI that
 * launched the process. hold, if set, is called with +1 when an open
 * file starts using the sink and -1 when it stops, so a sink that is
 * shared by a process and its children (fork shares fds) lives as long
 * as its last user. */
struct pfd_sink {
	void (*write)(void *ctx, const void *buf, u64 len);
	void (*hold)(void *ctx, int delta);
	void *ctx;
};

struct pfd_file;
struct pfd_poll;

#define PFD_MMAP_ANON 1

struct pfd_ops {
	const char *kind; /* "console", "file", "dir", "pipe", ...: diagnostics */
	long (*read)(struct pfd_file *f, void *buf, u64 len);
	long (*write)(struct pfd_file *f, const void *buf, u64 len);
	long (*pread)(struct pfd_file *f, void *buf, u64 len, u64 off);
	long (*pwrite)(struct pfd_file *f, const void *buf, u64 len, u64 off);
	/* whence is SEEK_SET, SEEK_CUR or SEEK_END; the new position or -errno. */
	s64 (*lseek)(struct pfd_file *f, s64 off, int whence);
	/* Required: Linux's struct stat of the open file. */
	int (*stat)(struct pfd_file *f, struct stat *st);
	/* linux_dirent64 records into buf: their size, 0 at the end,
	 * -EINVAL if len cannot hold the next one. */
	long (*getdents)(struct pfd_file *f, void *buf, u64 len);
	u32 (*poll)(struct pfd_file *f, struct pfd_poll *pt);
	/* An ioctl the generic code does not answer; arg is a user address
	 * or a value, as the request defines. */
	long (*ioctl)(struct pfd_file *f, u32 cmd, u64 arg);
	/* A file mapping: the backend file behind f, or -ENODEV; or
	 * PFD_MMAP_ANON: the mapping is anonymous memory (/dev/zero). */
	int (*mmap_file)(struct pfd_file *f, struct pfile_handle *h, u64 *size);
	void (*release)(struct pfd_file *f);
	bool tty; /* a terminal: isatty() is true, termios ioctls answer */
};

struct pfd_file {
	u32 refs;
	u32 flags;   /* O_* access mode and status flags (not O_CLOEXEC) */
	const struct pfd_ops *ops;
	void *priv;  /* the kind's own state */
	struct mutex lock;
	u64 pos;        /* [lock] file offset, or a directory's readdir cookie */
	bool dir_eof;   /* [lock] directories: the listing is done */
	struct pfile_backend files;   /* backend files and directories */
	struct pfile_handle h;
	struct pfile_attr attr;       /* [lock] the attributes last seen */
	char path[];    /* absolute, for *at() calls and /proc/<pid>/fd */
};

struct pfd_table {
	struct mutex lock;
	struct pfd_file *fd[PFD_MAX]; /* [lock] */
	u8 cloexec[PFD_MAX];          /* [lock] */
};

/* A process's working directory (cwd.c). */
struct pcwd {
	struct mutex lock;
	char *path; /* [lock] absolute, in normal form, kmalloc'd; NULL: "/" */
};

/* fd_file.c: open files. */

/* A new open file of kind ops with one reference (the caller's), flags
 * as open(2) gave them (O_CLOEXEC dropped); NULL if no memory. */
struct pfd_file *pfd_file_new(const struct pfd_ops *ops, u32 flags, const char *path);
void pfd_ref(struct pfd_file *f);
/* Drop a reference (f may be NULL); the last one releases the file. */
void pfd_put(struct pfd_file *f);
/* The generic half of each call: access mode and NULL-op answers, then
 * the kind's op. */
long pfd_read(struct pfd_file *f, void *buf, u64 len);
long pfd_write(struct pfd_file *f, const void *buf, u64 len);
long pfd_pread(struct pfd_file *f, void *buf, u64 len, u64 off);
long pfd_pwrite(struct pfd_file *f, const void *buf, u64 len, u64 off);
s64 pfd_lseek(struct pfd_file *f, s64 off, int whence);
long pfd_getdents(struct pfd_file *f, void *buf, u64 len);
u32 pfd_poll_file(struct pfd_file *f, struct pfd_poll *pt);
/* F_GETFL and F_SETFL: only O_APPEND, O_NONBLOCK, O_ASYNC, O_DIRECT and
 * O_NOATIME change; the rest of flags is ignored, as Linux does. */
u32 pfd_get_flags(struct pfd_file *f);
void pfd_set_flags(struct pfd_file *f, u32 flags);
bool pfd_nonblock(struct pfd_file *f);

/* fd_table.c: descriptor tables. */
void pfd_table_init(struct pfd_table *t);
/* dst (initialized, empty) gets every descriptor of src, sharing the open
 * files, with their cloexec flags (fork). */
void pfd_table_copy(struct pfd_table *dst, struct pfd_table *src);
/* Close every descriptor marked close-on-exec. */
void pfd_close_on_exec(struct pfd_table *t);
void pfd_close_all(struct pfd_table *t);
/* The open file behind fd with a reference the caller puts, or NULL. */
struct pfd_file *pfd_get(struct pfd_table *t, int fd);
/* Give f (the caller's reference moves to the table) the lowest free fd
 * >= min: the fd, or -EMFILE (the reference is dropped then; min beyond
 * the table: -EINVAL as F_DUPFD). */
int pfd_install(struct pfd_table *t, struct pfd_file *f, int min, bool cloexec);
int pfd_close(struct pfd_table *t, int fd);
/* dup3 rules: newfd < 0 takes the lowest free fd; oldfd == newfd is
 * returned as is. The new fd or -EBADF/-EMFILE. */
int pfd_dup(struct pfd_table *t, int oldfd, int newfd, bool cloexec);
/* FD_CLOEXEC of fd, or -EBADF; set_cloexec returns 0 or -EBADF. */
int pfd_get_cloexec(struct pfd_table *t, int fd);
int pfd_set_cloexec(struct pfd_table *t, int fd, bool on);

/* fd_console.c: fds 0, 1 and 2 as console streams, 0 and 1 writing to
 * out, 2 to err (the same open file as 0 and 1 when err == out); reads
 * see end of file. 0 or -ENOMEM. */
int pfd_open_console(struct pfd_table *t, const struct pfd_sink *out,
		     const struct pfd_sink *err);

/* fd_backend.c: a regular file or directory of the file backend fb. */
struct pfd_file *pfd_backend_open(const struct pfile_backend *fb, const char *path,
				  const struct pfile_handle *h, const struct pfile_attr *attr,
				  u32 flags);
bool pfd_is_dir(const struct pfd_file *f);
/* setattr of a backend file, remembering the attributes it returns. */
int pfd_backend_setattr(struct pfd_file *f, const struct pfile_setattr *sa);
/* Linux's struct stat for a file of the backend. */
void pfd_fill_stat(struct stat *st, const struct pfile_attr *a);
/* Append e to the linux_dirent64 records in buf (len bytes, *used taken):
 * false if it does not fit. */
bool pfd_dirent_pack(u8 *buf, u64 len, u64 *used, const struct pfile_dirent *e);

/* pipe.c: a new pipe, its read end in *rd and its write end in *wr
 * (flags: O_NONBLOCK for both). 0 or -ENOMEM. A write of at most
 * PIPE_BUF bytes is never interleaved with another; a write to a pipe
 * with no reader gives -EPIPE and SIGPIPE to the writer. */
#define PIPE_BUF 4096
#define PIPE_SIZE 65536 /* bytes a pipe holds */
int pfd_pipe_new(u32 flags, struct pfd_file **rd, struct pfd_file **wr);
/* Whether f is either end of a pipe. */
bool pfd_is_pipe(const struct pfd_file *f);

/* poll.c: waiting for several open files at once. A kind's poll op adds
 * its wait queues with pfd_poll_wait; the poller wakes when any of them
 * is woken. pfd_poll_files fills revents for the n files (NULL: a
 * negative fd, ignored; PFD_POLL_BADF: closed, POLLNVAL) and sleeps until
 * one is ready, a signal comes (-ERESTARTNOHAND) or time_ns() reaches
 * deadline (0 returned; deadline 0: no limit, ~0: do not wait); else the
 * number of files with events. */
#define PFD_POLL_WAITS 64
#define PFD_POLL_BADF ((struct pfd_file *)1)
struct pfd_poll_entry {
	struct wait_queue *wq;
	struct waiter w;
};
struct pfd_poll {
	u32 n;
	bool overflow; /* more queues than entries: poll on a short tick */
	struct pfd_poll_entry e[PFD_POLL_WAITS];
};
void pfd_poll_wait(struct pfd_poll *pt, struct wait_queue *wq);
int pfd_poll_files(struct pfd_file *const *files, struct pollfd *fds, u32 n, u64 deadline);

/* cwd.c: init gives "/"; copy (fork) is 0 or -ENOMEM; get copies the
 * path and its NUL into buf when they fit in size bytes and returns the
 * path's length either way. */
void pcwd_init(struct pcwd *c);
int pcwd_copy(struct pcwd *dst, struct pcwd *src);
void pcwd_free(struct pcwd *c);
u64 pcwd_get(struct pcwd *c, char *buf, u64 size);
/* Take "." and ".." and repeated '/' out of the absolute path, in place,
 * by name; no trailing '/' except for "/" itself. The result is never
 * longer; a string that does not start with '/' is left as it is. */
void ppath_normalize(char *path);

#endif
