/* What the /proc files share (procfs.c, procfs_pid.c, procfs_fd.c). */
#ifndef PROCESSOR_FD_PROCFS_H
#define PROCESSOR_FD_PROCFS_H

#include "processor/fd/pseudo.h"

#define PPROCFS_DEV 22 /* st_dev of /proc (procfs's 0:22) */

/* The processes caller sees: those of its vNode, zombies included.
 * visible: whether pid is one; nth: the idx-th pid in increasing order
 * (0 past the last); count: how many. Each takes mon->lock. */
bool pprocfs_visible(struct pproc *caller, u32 pid);
u32 pprocfs_nth(struct pproc *caller, u32 idx);
u32 pprocfs_count(struct pproc *caller);

/* The directory /proc/<pid> (procfs_pid.c), under root. */
void pprocfs_pid_dir(const struct pnode *root, u32 pid, struct pnode *out);
/* The mount table as /proc/mounts shows it. */
int pprocfs_mounts(struct pproc *caller, const struct pnode *n, struct pbuf *b);
/* pseudo.c: the pseudo trees' lines of /proc/mounts. */
void pseudo_mounts_text(struct pbuf *b);

/* procfs_fd.c: /proc/<pid>/fd and fdinfo, the caller's own only. */
extern const struct pnode_ops pprocfs_fd_dir_ops;
extern const struct pnode_ops pprocfs_fdinfo_dir_ops;

#endif
