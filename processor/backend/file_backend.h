/*
 * The file backend: how the pMonitor reaches the files its processes open
 * and execute. The production backend is a client of the sMonitor's file
 * protocol (tessera/wire/fs.h); the test backend serves files embedded in
 * the image. The protocol is stateless, so an open file is just a handle
 * and an offset kept by the pMonitor.
 *
 * Every op returns 0 (or a count) or a negative errno: -ENOENT, -ENOTDIR,
 * -ESTALE for a handle whose file is gone, -EIO for a transport failure.
 * Ops may sleep; callers hold no spinlock. The ops that change files may
 * be NULL for a backend that cannot (callers answer -EROFS); names given
 * to them are one path component.
 */
#ifndef PROCESSOR_BACKEND_FILE_BACKEND_H
#define PROCESSOR_BACKEND_FILE_BACKEND_H

#include <tessera/types.h>
#include <tessera/vmaset.h>

#define PFILE_NAME_MAX 255

/* A file as the storage protocol names it: inode number and generation.
 * pad belongs to whoever routes between backends (the namespace, fd.h);
 * a backend gives 0 and ignores it. */
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
	s64 atime, mtime, ctime; /* seconds since 1970 */
	u32 atime_ns, mtime_ns, ctime_ns;
	u32 mode;    /* Linux S_IF* and permission bits */
	u32 nlink;
	u32 uid, gid;
	u32 blksize;
	u32 rdev;    /* Linux dev_t, for device files */
	u32 pad;
};

struct pfile_dirent {
	u64 ino;
	u64 next_cookie;  /* resumes the listing after this entry */
	u8 type;          /* Linux DT_* */
	u8 name_len;
	char name[PFILE_NAME_MAX + 1]; /* NUL-terminated */
};

/* setattr's fields (the file protocol's P2S_SET_* bits). */
#define PFILE_SET_MODE 1u
#define PFILE_SET_UID 2u
#define PFILE_SET_GID 4u
#define PFILE_SET_SIZE 8u
#define PFILE_SET_ATIME 16u
#define PFILE_SET_MTIME 32u
#define PFILE_SET_ATIME_NOW 64u
#define PFILE_SET_MTIME_NOW 128u

struct pfile_setattr {
	u32 valid; /* PFILE_SET_* */
	u32 mode, uid, gid;
	u64 size;
	s64 atime_ns, mtime_ns;
};

struct pfile_statfs {
	u64 blocks, bfree, bavail; /* in bsize units */
	u64 files, ffree;
	u64 fsid;
	u32 bsize, name_max, magic;
	u32 pad;
};

#define PFILE_NOFOLLOW 1u      /* lookup_at: a final symlink is not followed */
#define PFILE_CREATE_EXCL 1u   /* create: -EEXIST if the name exists */
#define PFILE_CREATE_TRUNC 2u  /* create: an existing regular file is emptied */
#define PFILE_UNLINK_DIR 1u    /* unlink: rmdir */
#define PFILE_RENAME_NOREPLACE 1u
#define PFILE_RENAME_EXCHANGE 2u
#define PFILE_WRITE_APPEND 1u  /* write: at the end of the file */
#define PFILE_COMMIT_SETTLE 1u /* commit: sync(2) */

struct pfile_ops {
	/* Resolve an absolute path, following symlinks. */
	int (*lookup)(void *be, const char *path, struct pfile_handle *h,
		      struct pfile_attr *attr);
	/* Resolve path: absolute from the root, relative from dir (NULL: the
	 * root); PFILE_NOFOLLOW keeps a final symlink. */
	int (*lookup_at)(void *be, const struct pfile_handle *dir, const char *path,
			 u32 flags, struct pfile_handle *h, struct pfile_attr *attr);
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

	/* Changes: each done whole or not at all; names and attributes are
	 * durable when they return, data only after commit. */
	/* A regular file, FIFO, socket or device node (mode's type) named
	 * name in dir; an existing one is returned (*created false) unless
	 * PFILE_CREATE_EXCL. */
	int (*create)(void *be, const struct pfile_handle *dir, const char *name,
		      u32 mode, u32 rdev, u32 flags, struct pfile_handle *h,
		      struct pfile_attr *attr, bool *created);
	int (*mkdir)(void *be, const struct pfile_handle *dir, const char *name,
		     u32 mode, struct pfile_handle *h, struct pfile_attr *attr);
	int (*symlink)(void *be, const struct pfile_handle *dir, const char *name,
		       const char *target, struct pfile_handle *h,
		       struct pfile_attr *attr);
	int (*link)(void *be, const struct pfile_handle *h,
		    const struct pfile_handle *dir, const char *name);
	int (*unlink)(void *be, const struct pfile_handle *dir, const char *name,
		      u32 flags);
	int (*rename)(void *be, const struct pfile_handle *sdir, const char *sname,
		      const struct pfile_handle *ddir, const char *dname, u32 flags);
	/* attr (may be NULL) gets the attributes after the change. */
	int (*setattr)(void *be, const struct pfile_handle *h,
		       const struct pfile_setattr *sa, struct pfile_attr *attr);
	/* len bytes of buf at off (the end with PFILE_WRITE_APPEND): the
	 * count, short only when the volume is full; attr (may be NULL) gets
	 * the attributes after it. */
	long (*write)(void *be, const struct pfile_handle *h, u64 off, const void *buf,
		      u32 len, u32 flags, struct pfile_attr *attr);
	/* Every write so far durable (fsync, fdatasync, sync); with
	 * PFILE_COMMIT_SETTLE (sync(2)) the backend also settles: a volume
	 * is left clean on disk. */
	int (*commit)(void *be, u32 flags);
	/* The file system that holds h. */
	int (*statfs)(void *be, const struct pfile_handle *h, struct pfile_statfs *st);
};

struct pfile_backend {
	const struct pfile_ops *ops;
	void *be;
};

#endif
