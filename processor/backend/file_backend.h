/*
 * The file backend: how the pMonitor reads the files its processes open
 * and execute. The production backend is a client of the sMonitor's file
 * protocol (tessera/wire/fs.h); the test backend serves files embedded in
 * the image. The protocol is stateless, so an open file is just a handle
 * and an offset kept by the pMonitor.
 *
 * Every op returns 0 (or a count) or a negative errno: -ENOENT, -ENOTDIR,
 * -ESTALE for a handle whose file is gone, -EIO for a transport failure.
 * Ops may sleep; callers hold no spinlock.
 */
#ifndef PROCESSOR_BACKEND_FILE_BACKEND_H
#define PROCESSOR_BACKEND_FILE_BACKEND_H

#include <tessera/types.h>
#include <tessera/vmaset.h>

#define PFILE_NAME_MAX 255

/* A file as the storage protocol names it: inode number and generation. */
struct pfile_handle {
	u64 ino;
	u32 gen;
	u32 pad;
};

/* The same file as a VMA names it, and back. */
static inline struct vmaset_file pfile_to_vma(struct pfile_handle h)
{
	return (struct vmaset_file){ .ino = h.ino, .gen = h.gen };
}

static inline struct pfile_handle pfile_from_vma(struct vmaset_file f)
{
	return (struct pfile_handle){ .ino = f.ino, .gen = f.gen };
}

struct pfile_attr {
	u64 ino;
	u64 size;
	u64 blocks;  /* 512-byte units */
	s64 mtime;   /* seconds since 1970 */
	u32 mode;    /* Linux S_IF* and permission bits */
	u32 nlink;
	u32 uid, gid;
	u32 blksize;
	u32 pad;
};

struct pfile_dirent {
	u64 ino;
	u64 next_cookie;  /* resumes the listing after this entry */
	u8 type;          /* Linux DT_* */
	u8 name_len;
	char name[PFILE_NAME_MAX + 1]; /* NUL-terminated */
};

struct pfile_ops {
	/* Resolve an absolute path, following symlinks. */
	int (*lookup)(void *be, const char *path, struct pfile_handle *h,
		      struct pfile_attr *attr);
	int (*getattr)(void *be, const struct pfile_handle *h, struct pfile_attr *attr);
	/* Up to len bytes at off into buf: the count (0 at end of file). */
	long (*read)(void *be, const struct pfile_handle *h, u64 off, void *buf, u32 len);
	/* The target of a symlink (no NUL): its length, -EINVAL if h is not
	 * a symlink. */
	long (*readlink)(void *be, const struct pfile_handle *h, char *buf, u32 cap);
	/* Up to max entries of directory h starting at cookie (0: the start):
	 * the count, 0 at the end. */
	int (*readdir)(void *be, const struct pfile_handle *h, u64 cookie,
		       struct pfile_dirent *ents, u32 max);
};

struct pfile_backend {
	const struct pfile_ops *ops;
	void *be;
};

#endif
