/*
 * Pseudo file systems: /dev (dev.c) and /proc (procfs*.c), trees made up
 * as they are walked, never stored. Each directory, link and file is a
 * struct pnode whose ops say what it does; the walker (pseudo.c) turns a
 * path into a node for open, stat and readlink, following links, and
 * hands back a path when a link leads out of the pseudo trees (to the
 * file backend: /proc/self/exe, /proc/self/cwd).
 *
 * Where they sit: pseudo.c's mount table names the directory each tree
 * is mounted on; a path under none of them belongs to the file backend.
 * A tree of another kind (a tmpfs on /dev/shm) goes in the same table.
 * Names in a pseudo tree cannot be made, removed or changed (-EACCES).
 *
 * Files are text made whole at open (struct pbuf) and read from that
 * copy, as Linux's seq_file makes a consistent snapshot for a reader;
 * devices and links to open files (/proc/<pid>/fd/N) have open ops of
 * their own.
 */
#ifndef PROCESSOR_FD_PSEUDO_H
#define PROCESSOR_FD_PSEUDO_H

#include <tessera/types.h>

#include "processor/fd/fd.h"

#define PSEUDO_NAME_MAX 24 /* with the NUL */

struct pnode;
struct pproc;

/* A text being made: grows as it is written; oom once it could not. */
struct pbuf {
	char *data;
	u64 len, cap;
	bool oom;
};
void pbuf_printf(struct pbuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void pbuf_put(struct pbuf *b, const void *data, u64 len);

struct pnode_ops {
	/* Directories: the child called name (-ENOENT if none), and the
	 * idx-th entry (idx from 0; -ENOENT past the last), its name in
	 * name (PFILE_NAME_MAX + 1 bytes; pseudo names are shorter than
	 * PSEUDO_NAME_MAX). A directory's listing is taken whole when it
	 * is opened, so entry runs in the opener, which is alive. */
	int (*lookup)(struct pproc *caller, const struct pnode *dir, const char *name,
		      struct pnode *out);
	int (*entry)(struct pproc *caller, const struct pnode *dir, u32 idx, struct pnode *out,
		     char *name);
	/* Links: the target, its length (at most size, no NUL) or -errno. */
	long (*readlink)(struct pproc *caller, const struct pnode *n, char *buf, u64 size);
	/* Text files: the whole text. 0 or -errno (-ENOENT: the process is
	 * gone). */
	int (*fill)(struct pproc *caller, const struct pnode *n, struct pbuf *b);
	/* Anything else: an open file of n (flags as open(2)'s). */
	int (*open)(struct pproc *caller, const struct pnode *n, u32 flags, const char *path,
		    struct pfd_file **out);
};

struct pnode {
	const struct pnode_ops *ops;
	u32 mode;          /* S_IF* and permission bits */
	u32 rdev;          /* devices: Linux's dev_t */
	u64 ino;
	u32 pid;           /* the process a /proc node is about (0: none) */
	u32 arg;           /* the kind's own: an fd, a device's minor */
	const void *data;  /* the kind's own: a fixed directory's entries */
	u32 dev;           /* st_dev of its tree */
	bool magic;        /* a link to an open file: following it opens the
	                    * file (open op), unless its target is a path;
	                    * a walk that ends on the link itself clears it */
};

/* A fixed directory's entries, ending with a NULL name. */
struct pentry {
	const char *name;
	u32 mode;
	const struct pnode_ops *ops;
	u32 arg;
	u32 rdev;
	const struct pentry *sub; /* a directory's entries (pseudo_table_ops) */
};
extern const struct pnode_ops pseudo_table_ops;
/* Lookup and entry over dir->data, for directories that add entries of
 * their own after the table's (procfs's root). */
int pseudo_table_lookup(struct pproc *caller, const struct pnode *dir, const char *name,
			struct pnode *out);
int pseudo_table_entry(struct pproc *caller, const struct pnode *dir, u32 idx,
		       struct pnode *out, char *name);

/* The trees' roots (dev.c, procfs.c). */
void pdev_root(struct pnode *out);
void pprocfs_root(struct pnode *out);

/* What the walk of an absolute path found. */
#define PSEUDO_OUTSIDE 1 /* not a pseudo path: the backend's (at *redirect
                          * if a link led there, kfree it) */
int pseudo_walk(struct pproc *p, const char *abs, bool follow, struct pnode *n,
		char **redirect);
/* Whether abs (absolute) lies in a pseudo tree, by name: the calls that
 * make, remove or change names answer -EACCES there. */
bool pseudo_mounted(const char *abs);
/* statfs of a path in a pseudo tree (by name), or PSEUDO_OUTSIDE. */
struct statfs;
int pseudo_statfs(const char *abs, struct statfs *st);
/* The calls on a walked node. */
int pseudo_open_node(struct pproc *p, const struct pnode *n, u32 flags, const char *path,
		     struct pfd_file **out);
int pseudo_stat_node(struct pproc *p, const struct pnode *n, struct stat *st);
/* A text file of text (moved to the file: the caller's pbuf is spent). */
int pseudo_text_file(const struct pnode *n, u32 flags, const char *path, struct pbuf *text,
		     struct pfd_file **out);
bool pseudo_is_dir(const struct pfd_file *f);

#endif
