/*
 * File descriptors of a process. A descriptor points at an open file
 * (struct pfd_file), shared by dup and counted by refs. Kinds: the
 * console stream of fds 0-2 (writes go to a sink, reads see end of file),
 * and regular files and directories read through the file backend.
 *
 * Locking: pfd_table.lock (mutex) guards the slots and cloexec flags;
 * refs is atomic; pfd_file.lock (mutex) guards pos and dir_cookie, held
 * across the backend read so concurrent reads of one file do not share a
 * position. The other fields are set at open and read-only after.
 */
#ifndef PROCESSOR_FD_FD_H
#define PROCESSOR_FD_FD_H

#include <tessera/mutex.h>
#include <tessera/types.h>

#include "processor/backend/file_backend.h"

#define PFD_MAX 64

/* Where a console stream's bytes go: the serial console now, the CLI that
 * launched the process later. */
struct pfd_sink {
	void (*write)(void *ctx, const void *buf, u64 len);
	void *ctx;
};

enum pfd_kind { PFD_STREAM, PFD_FILE, PFD_DIR };

struct pfd_file {
	u32 refs;
	u32 kind;    /* enum pfd_kind */
	u32 flags;   /* O_* given to open */
	u32 pad;
	const struct pfd_sink *sink;  /* PFD_STREAM */
	struct pfile_handle h;        /* PFD_FILE, PFD_DIR */
	struct pfile_attr attr;
	struct mutex lock;
	u64 pos;        /* [lock] PFD_FILE: offset; PFD_DIR: readdir cookie */
	bool dir_eof;   /* [lock] PFD_DIR: the listing is done */
	char path[];    /* absolute, for *at() calls relative to a dir */
};

struct pfd_table {
	struct mutex lock;
	struct pfd_file *fd[PFD_MAX]; /* [lock] */
	u8 cloexec[PFD_MAX];          /* [lock] */
};

void pfd_table_init(struct pfd_table *t);
/* fds 0, 1 and 2: console streams, 0 and 1 writing to out, 2 to err (the
 * same open file as 0 and 1 when err == out). 0 or -ENOMEM. */
int pfd_open_console(struct pfd_table *t, const struct pfd_sink *out,
		     const struct pfd_sink *err);
void pfd_close_all(struct pfd_table *t);

/* A new open file with one reference (the caller's); NULL if no memory. */
struct pfd_file *pfd_file_new(enum pfd_kind kind, const char *path);
/* The open file behind fd with a reference the caller puts, or NULL. */
struct pfd_file *pfd_get(struct pfd_table *t, int fd);
void pfd_put(struct pfd_file *f);

/* Give f (the caller's reference moves to the table) the lowest free fd
 * >= min: the fd or -EMFILE (the reference is dropped then). */
int pfd_install(struct pfd_table *t, struct pfd_file *f, int min, bool cloexec);
int pfd_close(struct pfd_table *t, int fd);
/* dup3 rules: newfd < 0 takes the lowest free fd; oldfd == newfd is
 * returned as is. The new fd or -EBADF/-EMFILE. */
int pfd_dup(struct pfd_table *t, int oldfd, int newfd, bool cloexec);
/* FD_CLOEXEC of fd, or -EBADF; set_cloexec returns 0 or -EBADF. */
int pfd_get_cloexec(struct pfd_table *t, int fd);
int pfd_set_cloexec(struct pfd_table *t, int fd, bool on);

#endif
