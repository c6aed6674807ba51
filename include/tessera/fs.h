/*
 * The sMonitor's file system: an ext2/ext3 volume on a block device, with
 * files named by stateless handles (inode number plus generation, as NFS
 * does), so a handle stays valid across remounts and a restarted sMonitor
 * loses no client state; a handle whose inode was freed (or freed and
 * reused) gives -ESTALE.
 *
 * Writes are crash consistent on a volume with a journal (ext3: mke2fs -t
 * ext3): every operation is atomic in memory and joins the running
 * transaction, which fs_commit makes durable through the JBD2 journal;
 * after a crash at any moment, mounting replays the journal, e2fsck -fn is
 * clean and everything committed is there (storage/journal.c explains
 * the protocol). A volume without a journal, with unknown features, with
 * recorded errors or on a read-only device is mounted read-only (writes
 * give -EROFS); one that cannot be read is refused.
 *
 * Memory: the caller gives fs_mount one block of memory; the struct fs,
 * the block cache and every buffer are carved from it, and nothing else is
 * allocated. Locking: none inside; the caller serializes every call on one
 * struct fs (one lock per mounted volume). Errors: 0 or -errno; a corrupt
 * volume gives -EUCLEAN or -EIO, never a crash or an endless loop, and a
 * write that meets corruption changes nothing and leaves the volume
 * read-only.
 */
#ifndef TESSERA_FS_H
#define TESSERA_FS_H

#include <tessera/types.h>

/* The device: virtio-blk in the sMonitor, memory or a file in host tests.
 * Buffers handed to read_blocks and write_blocks are the file system's
 * own (its cache memory) or the caller's fs_read/fs_write buffers. */
struct fs_blkdev {
	u32 sector_size; /* bytes per device block: 512 or 1024 */
	u64 sector_count;
	bool read_only;
	/* Transfer count sectors starting at sector first; 0 or -errno. */
	int (*read_blocks)(struct fs_blkdev *dev, u64 first, u32 count,
			   void *buf);
	int (*write_blocks)(struct fs_blkdev *dev, u64 first, u32 count,
			    const void *buf);
	/* Make every completed write durable; 0 or -errno. */
	int (*flush)(struct fs_blkdev *dev);
	void *priv;
};

struct fs_mount_opts {
	bool read_only; /* never write, not even to replay the journal */
	/* The wall clock in nanoseconds since 1970, for timestamps. */
	s64 (*now_ns)(void *arg);
	void *now_arg;
	u32 gen_seed; /* varies new inodes' generations between mounts */
};

#define FS_MOUNT_MIN_BYTES (1024 * 1024)

struct fs;

/* Mount the volume on dev with mem (len >= FS_MOUNT_MIN_BYTES; more is a
 * bigger block cache). On success *out points into mem. On failure *why
 * says why in one line: -EINVAL (not ext2, bad geometry), -EOPNOTSUPP
 * (features this code cannot read), -EUCLEAN (damaged metadata or
 * journal), -EIO, -ENOMEM (mem too small). */
int fs_mount(struct fs_blkdev *dev, void *mem, size_t len,
	     const struct fs_mount_opts *opts, struct fs **out,
	     const char **why);
/* Commit what is pending and stop; the memory may then be reused. */
int fs_unmount(struct fs *fs);

struct fs_info {
	u64 blocks, block_size;
	bool journal; /* crash consistent writes */
	bool read_only;
	const char *ro_reason; /* why it is read-only, or NULL */
	u32 replayed; /* transactions replayed from the journal at mount */
};
void fs_info(struct fs *fs, struct fs_info *out);

#define FS_PATH_MAX 4096 /* with the NUL, as Linux's PATH_MAX */
#define FS_NAME_MAX 255
#define FS_MAXSYMLINKS 40
#define FS_LINK_MAX 65000 /* links of a non-directory (ext2's limit) */

/* A file handle: stateless, valid as long as the inode is not freed. */
struct fs_handle {
	u32 ino;
	u32 gen;
};

/* What fs_getattr returns; mode bits are Linux's (S_IFREG, 0644, ...). */
struct fs_attr {
	u64 ino;
	u64 size;
	u64 blocks; /* 512-byte units allocated, indirect blocks included */
	s64 atime, mtime, ctime; /* seconds since the epoch */
	u32 atime_ns, mtime_ns, ctime_ns;
	u32 mode;
	u32 nlink;
	u32 uid;
	u32 gid;
	u32 gen;
	u32 blksize;
	u32 rdev; /* Linux encoding: major << 8 | minor, for device files */
};

#define FS_S_IFMT 0170000u
#define FS_S_IFSOCK 0140000u
#define FS_S_IFLNK 0120000u
#define FS_S_IFREG 0100000u
#define FS_S_IFBLK 0060000u
#define FS_S_IFDIR 0040000u
#define FS_S_IFCHR 0020000u
#define FS_S_IFIFO 0010000u

/* Directory entry types: Linux's DT_* values. */
enum fs_dtype {
	FS_DT_UNKNOWN = 0,
	FS_DT_FIFO = 1,
	FS_DT_CHR = 2,
	FS_DT_DIR = 4,
	FS_DT_BLK = 6,
	FS_DT_REG = 8,
	FS_DT_LNK = 10,
	FS_DT_SOCK = 12,
};

/* The root directory's handle. */
struct fs_handle fs_root(struct fs *fs);

/* Resolve path (absolute, or relative to dir) to a handle. Absolute paths
 * and absolute symlinks start at root (a vNode's root directory; its ".."
 * is itself), "." and ".." as Linux, symlinks followed up to
 * FS_MAXSYMLINKS deep (-ELOOP beyond); the last component's symlink is not
 * followed with FS_LOOKUP_NOFOLLOW. Errors: -ENOENT, -ENOTDIR,
 * -ENAMETOOLONG, -ELOOP, -ESTALE (dir or root). */
#define FS_LOOKUP_NOFOLLOW 1u
int fs_lookup_in(struct fs *fs, struct fs_handle root, struct fs_handle dir,
		 const char *path, u32 flags, struct fs_handle *out);
/* The same with the volume's root as root. */
int fs_lookup_at(struct fs *fs, struct fs_handle dir, const char *path,
		 u32 flags, struct fs_handle *out);
/* An absolute path from the root (-EINVAL if it is not absolute). */
int fs_lookup(struct fs *fs, const char *path, struct fs_handle *out);

int fs_getattr(struct fs *fs, struct fs_handle h, struct fs_attr *out);

/* Read up to len bytes at offset of a regular file; *nread is short only
 * at end of file. Holes read as zeros. -EISDIR for a directory, -EINVAL
 * for other non-regular files. */
int fs_read(struct fs *fs, struct fs_handle h, u64 offset, void *buf,
	    u32 len, u32 *nread);

/* One directory entry, valid only during the fill callback. */
struct fs_dirent {
	u64 ino;
	u64 cookie; /* resumes the listing at this entry */
	u64 next_cookie; /* resumes it after this entry */
	const char *name; /* name_len bytes, not NUL-terminated */
	u32 name_len;
	u32 type; /* enum fs_dtype */
};

/* Return 0 to take the entry, 1 to stop before it (it is not taken), or
 * -errno to stop with that error. It must not call into the file system. */
typedef int (*fs_filldir_t)(void *arg, const struct fs_dirent *d);

#define FS_COOKIE_EOF (~0ull)
/* List directory h from cookie (0: the start) through fill; *next is the
 * cookie to resume with, FS_COOKIE_EOF after the last entry. */
int fs_readdir(struct fs *fs, struct fs_handle h, u64 cookie,
	       fs_filldir_t fill, void *arg, u64 *next);

/* Copy a symlink's target into buf (truncated to size, not terminated);
 * *len is the bytes copied. -EINVAL if h is not a symlink. */
int fs_readlink(struct fs *fs, struct fs_handle h, char *buf, u32 size,
		u32 *len);

/*
 * Changing the volume. Names are one path component (name_len bytes, no
 * '/' or NUL, not "." or ".."): -EINVAL otherwise, -ENAMETOOLONG over
 * FS_NAME_MAX. Every call is atomic: it is done whole or, with an error,
 * changes nothing. Errors besides those named: -EROFS, -ENOSPC, -ESTALE,
 * -ENOTDIR (a directory handle that is not one), -EUCLEAN, -EIO.
 */
struct fs_owner {
	u32 uid, gid;
};

/* Create name in dir: mode's type is S_IFREG, S_IFIFO, S_IFSOCK, S_IFCHR
 * or S_IFBLK (rdev for the last two). If the name exists, -EEXIST with
 * FS_CREATE_EXCL, else the existing file is returned (truncated to 0 with
 * FS_CREATE_TRUNC if it is a regular file) and *created is false. */
#define FS_CREATE_EXCL 1u
#define FS_CREATE_TRUNC 2u
int fs_create(struct fs *fs, struct fs_handle dir, const char *name,
	      u32 name_len, u32 mode, u32 rdev, u32 flags,
	      const struct fs_owner *who, struct fs_handle *out,
	      bool *created);
/* -EEXIST if name exists, -EMLINK if dir has too many subdirectories. */
int fs_mkdir(struct fs *fs, struct fs_handle dir, const char *name,
	     u32 name_len, u32 mode, const struct fs_owner *who,
	     struct fs_handle *out);
/* A symlink to target (1..FS_PATH_MAX - 1 bytes). */
int fs_symlink(struct fs *fs, struct fs_handle dir, const char *name,
	       u32 name_len, const char *target, u32 target_len,
	       const struct fs_owner *who, struct fs_handle *out);
/* A new name for h in dir: -EEXIST, -EPERM for a directory, -EMLINK. */
int fs_link(struct fs *fs, struct fs_handle h, struct fs_handle dir,
	    const char *name, u32 name_len);
/* Remove name from dir: a non-directory (-EISDIR otherwise), or with
 * FS_UNLINK_DIR an empty directory (-ENOTDIR, -ENOTEMPTY). The inode is
 * freed with its last link. */
#define FS_UNLINK_DIR 1u
int fs_unlink(struct fs *fs, struct fs_handle dir, const char *name,
	      u32 name_len, u32 flags);
/* rename(2) and renameat2's flags: atomic replace of an existing target
 * (a directory only by an empty directory), -EINVAL for a directory moved
 * into itself, FS_RENAME_NOREPLACE gives -EEXIST if the target exists,
 * FS_RENAME_EXCHANGE swaps two existing names. */
#define FS_RENAME_NOREPLACE 1u
#define FS_RENAME_EXCHANGE 2u
int fs_rename(struct fs *fs, struct fs_handle sdir, const char *sname,
	      u32 slen, struct fs_handle ddir, const char *dname, u32 dlen,
	      u32 flags);

/* Change attributes: the fields named in valid. SIZE truncates or extends
 * (sparse) a regular file (-EISDIR, -EINVAL otherwise); MODE keeps the
 * file type; times are ns since 1970, *_NOW takes the clock. ctime is
 * always set to now. */
#define FS_SET_MODE 1u
#define FS_SET_UID 2u
#define FS_SET_GID 4u
#define FS_SET_SIZE 8u
#define FS_SET_ATIME 16u
#define FS_SET_MTIME 32u
#define FS_SET_ATIME_NOW 64u
#define FS_SET_MTIME_NOW 128u
struct fs_setattr {
	u32 valid;
	u32 mode, uid, gid;
	u64 size;
	s64 atime_ns, mtime_ns;
};
int fs_setattr(struct fs *fs, struct fs_handle h, const struct fs_setattr *sa);

/* Write len bytes from buf at offset (at the end of the file with
 * FS_WRITE_APPEND) of a regular file. *nwritten is short only when the
 * volume filled up (-ENOSPC if nothing could be written); -EFBIG beyond
 * the largest file. *at is where the bytes went. */
#define FS_WRITE_APPEND 1u
int fs_write(struct fs *fs, struct fs_handle h, u64 offset, const void *buf,
	     u32 len, u32 flags, u32 *nwritten, u64 *at);

/* Make every change so far durable (fsync, fdatasync and sync alike). */
int fs_commit(struct fs *fs);
/* fs_commit, then mark the volume clean on disk (as an unmount would,
 * until the next change): what sync(2) asks for. */
int fs_settle(struct fs *fs);
/* Housekeeping for an idle volume (call every so often, e.g. 100 ms, with
 * the time in ns): commits a transaction older than FS_COMMIT_AGE_NS and,
 * once nothing is pending, marks the volume clean on disk. */
#define FS_COMMIT_AGE_NS (1000ull * 1000 * 1000)
int fs_tick(struct fs *fs, u64 now_ns);

struct fs_statfs {
	u64 blocks, bfree, bavail; /* in block_size units */
	u64 files, ffree;
	u32 block_size, name_max;
	u32 magic; /* 0xEF53 */
	u32 pad;
	u64 fsid;
};
int fs_statfs(struct fs *fs, struct fs_statfs *out);

#endif
