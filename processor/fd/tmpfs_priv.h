/*
 * tmpfs inside (tmpfs.h): nodes, their data pages and directory entries
 * (tmpfs_node.c), and the file backend ops on them (tmpfs.c).
 *
 * A node is named by its slot in the node table (ino = slot + 1) and the
 * slot's generation, bumped when a node leaves it, so a handle of a
 * removed file gives -ESTALE even once its slot is used again. A node
 * leaves when its last name goes (nlink 0): open files of it then get
 * -ESTALE, as with the sMonitor's stateless handles.
 *
 * Locking: ptmpfs.lock (mutex, LOCK_RANK_TMPFS) guards everything in a
 * tmpfs: the table, every node and entry, and bytes; each op holds it
 * from start to end, so every op is atomic.
 */
#ifndef PROCESSOR_FD_TMPFS_PRIV_H
#define PROCESSOR_FD_TMPFS_PRIV_H

#include <tessera/mutex.h>
#include <tessera/uapi/stat.h>

#include "processor/fd/tmpfs.h"

#define TMPFS_PAGE 4096ull
#define TMPFS_FILE_MAX (1ull << 40) /* largest file size */
#define TMPFS_IS(n, type) (((n)->mode & S_IFMT) == (type))

struct tmpfs_node;

struct tmpfs_dirent {
	struct tmpfs_dirent *next;
	struct tmpfs_node *node;
	u64 cookie;  /* its place in the listing: grows with each entry made */
	u8 len;
	char name[]; /* NUL-terminated */
};

struct tmpfs_node {
	u64 ino;
	u32 gen;
	u32 mode, nlink, uid, gid, rdev;
	u64 size;
	u64 atime_ns, mtime_ns, ctime_ns;
	u8 **page;                 /* regular files: npage slots, NULL a hole */
	u64 npage;
	struct tmpfs_dirent *ents; /* directories: in the order made */
	u64 next_cookie;
	struct tmpfs_node *parent; /* directories: ".." (the root's own) */
	char *target;              /* symlinks: NUL-terminated */
};

struct ptmpfs {
	struct mutex lock;
	struct tmpfs_node **slot; /* [lock] nslot entries, NULL free */
	u32 *slot_gen;            /* [lock] the generation of each slot */
	u32 nslot;
	struct tmpfs_node *root;
	u64 bytes, cap;           /* [lock] data pages held, the limit */
};

/* tmpfs_node.c. Every function is called with fs->lock held. */
/* A new node of mode (type and bits) with one link, or NULL (no memory,
 * -ENOMEM, or no slot). */
struct tmpfs_node *tmpfs_node_new(struct ptmpfs *fs, u32 mode);
/* The node of handle h, or NULL (-ESTALE). */
struct tmpfs_node *tmpfs_node_get(struct ptmpfs *fs, const struct pfile_handle *h);
/* One name less; the last one frees the node. A directory (empty: the
 * caller checked) has one name and is freed. */
void tmpfs_node_unlink(struct ptmpfs *fs, struct tmpfs_node *n);
void tmpfs_node_attr(const struct tmpfs_node *n, struct pfile_attr *a);
void tmpfs_node_touch(struct tmpfs_node *n, bool modified);

struct tmpfs_dirent *tmpfs_dir_find(struct tmpfs_node *dir, const char *name);
/* Add name (one component, checked by the caller) for n in dir (n's
 * links are the caller's). 0 or -ENOMEM. */
int tmpfs_dir_add(struct tmpfs_node *dir, const char *name, struct tmpfs_node *n);
/* Take e out of dir and free it (n's links are the caller's). */
void tmpfs_dir_remove(struct tmpfs_node *dir, struct tmpfs_dirent *e);

long tmpfs_data_read(struct tmpfs_node *n, u64 off, void *buf, u32 len);
/* The count (short when the tmpfs is full, -ENOSPC if nothing fit). */
long tmpfs_data_write(struct ptmpfs *fs, struct tmpfs_node *n, u64 off, const void *buf,
		      u32 len);
/* Set n's size, freeing pages past it. 0, -EFBIG, or -ENOMEM. */
int tmpfs_data_truncate(struct ptmpfs *fs, struct tmpfs_node *n, u64 size);
void tmpfs_node_free_all(struct ptmpfs *fs);

#endif
