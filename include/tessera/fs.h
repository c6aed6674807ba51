/*
 * The sMonitor's file system interface: an ext2 volume read through a
 * block device, files named by stateless handles (inode number plus
 * generation, as NFS does), so a handle stays valid across remounts and a
 * restarted sMonitor loses no client state.
 *
 * Memory: the caller provides the struct fs and the block cache's memory;
 * the file system allocates nothing. Locking: none inside; the caller
 * serializes every call on one struct fs (one lock per mounted volume).
 * Errors: 0 or -errno; a corrupt volume gives -EUCLEAN or -EIO, never a
 * crash or an endless loop. Read-only for now.
 */
#ifndef TESSERA_FS_H
#define TESSERA_FS_H

#include <tessera/types.h>

/* The device the file system reads through: virtio-blk in the sMonitor,
 * a file or a memory buffer in host tests. */
struct fs_blkdev {
	u32 sector_size; /* bytes per device block: 512 or 1024 */
	u64 sector_count;
	/* Read count sectors starting at sector first into buf; 0 or -errno. */
	int (*read_blocks)(struct fs_blkdev *dev, u64 first, u32 count,
			   void *buf);
	void *priv;
};

/* A block cache: a fixed number of file-system blocks, least recently
 * used evicted first. A buffer is pinned between bcache_get and
 * bcache_put and is never evicted while pinned. */
struct bcache_buf {
	u64 blkno;
	u64 last_use; /* bcache.clock at the last get */
	u32 refs;
	bool valid;
	u8 *data; /* block_size bytes */
};

struct bcache {
	struct fs_blkdev *dev;
	u32 block_size;
	u32 nbufs;
	struct bcache_buf *bufs;
	u64 clock;
	u64 hits, misses;
};

/* Bytes of cache memory needed per block of size block_size. */
#define BCACHE_BYTES_PER_BLOCK(block_size) \
	((block_size) + sizeof(struct bcache_buf))

/* Carve mem (len bytes) into buffers of block_size; -ENOMEM if fewer than
 * BCACHE_MIN_BUFS fit, -EINVAL if the device cannot hold such blocks. */
#define BCACHE_MIN_BUFS 4
int bcache_init(struct bcache *bc, struct fs_blkdev *dev, u32 block_size,
		void *mem, size_t len);
/* Pin block blkno, reading it from the device on a miss. */
int bcache_get(struct bcache *bc, u64 blkno, struct bcache_buf **out);
void bcache_put(struct bcache *bc, struct bcache_buf *b);

#define FS_PATH_MAX 4096 /* with the NUL, as Linux's PATH_MAX */
#define FS_NAME_MAX 255
#define FS_MAXSYMLINKS 40

/* A file handle: stateless, valid as long as the inode is not reused. */
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
	u32 mode;
	u32 nlink;
	u32 uid;
	u32 gid;
	u32 gen;
	u32 blksize;
	u32 rdev; /* Linux encoding: major << 8 | minor, for device files */
	u32 pad;
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

/* A mounted ext2 volume. The fields are the mount's; read them, do not
 * change them. */
struct fs {
	struct bcache cache;
	const char *error; /* why the last ext2_mount failed, or NULL */
	u32 block_size;
	u32 addr_bits; /* log2 of block numbers per indirect block */
	u64 blocks_count;
	u32 first_data_block;
	u32 inodes_count;
	u32 blocks_per_group;
	u32 inodes_per_group;
	u32 inode_size;
	u32 first_ino;
	u32 groups;
	u32 rev;
	u32 feature_compat, feature_incompat, feature_ro_compat;
	bool has_filetype; /* directory entries carry a type byte */
	bool read_only; /* always, until write support arrives */
	struct fs_handle root;
	char path[2][FS_PATH_MAX]; /* path resolution scratch */
};

/* Mount the ext2 volume on dev, using cache_mem for the block cache (at
 * least BCACHE_MIN_BUFS blocks of the volume's block size; 64 KiB is
 * plenty). On failure fs->error says why: -EINVAL (not ext2, bad
 * geometry), -EOPNOTSUPP (features this code cannot read), -EIO. */
int ext2_mount(struct fs *fs, struct fs_blkdev *dev, void *cache_mem,
	       size_t cache_len);

/* The root directory's handle. */
struct fs_handle fs_root(struct fs *fs);

/* Resolve path (absolute, or relative to dir) to a handle. "." and ".."
 * as Linux, symlinks followed up to FS_MAXSYMLINKS deep (-ELOOP beyond);
 * the last component's symlink is not followed with FS_LOOKUP_NOFOLLOW.
 * Errors: -ENOENT, -ENOTDIR, -ENAMETOOLONG, -ELOOP, -ESTALE (dir). */
#define FS_LOOKUP_NOFOLLOW 1u
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

#endif
