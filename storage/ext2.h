/*
 * ext2/ext3 on-disk format and the file system's internal interface:
 * struct fs (all the state of a mounted volume) and the functions the
 * files of storage/ share.
 *
 * On-disk fields are little-endian (the journal's are big-endian, see
 * journal.h); every Tessera node is little-endian, so the structs below are
 * read in place. Sizes are checked at compile time. Facts from the ext2
 * format as Linux's fs/ext2/ext2.h and the ext4 documentation define it.
 *
 * Locking: none; the caller serializes every call on one struct fs.
 * Changes happen inside an operation (fs_op_begin/fs_op_end, fs_op.c):
 * every helper below that changes the volume may only be called inside
 * one, and an error it returns makes the whole operation undo itself.
 */
#ifndef STORAGE_EXT2_H
#define STORAGE_EXT2_H

#include <tessera/fs.h>

#include "storage/bcache.h"

#define EXT2_SUPER_OFFSET 1024
#define EXT2_SUPER_MAGIC 0xEF53
#define EXT2_ROOT_INO 2
#define EXT2_RESIZE_INO 7
#define EXT2_JOURNAL_INO 8
#define EXT2_GOOD_OLD_REV 0
#define EXT2_DYNAMIC_REV 1
#define EXT2_GOOD_OLD_INODE_SIZE 128
#define EXT2_GOOD_OLD_FIRST_INO 11
#define EXT2_NDIR_BLOCKS 12
#define EXT2_IND_BLOCK 12
#define EXT2_DIND_BLOCK 13
#define EXT2_TIND_BLOCK 14
#define EXT2_N_BLOCKS 15
#define EXT2_FAST_SYMLINK_MAX (EXT2_N_BLOCKS * 4)
#define EXT2_LINK_MAX 32000 /* links of a directory */

#define EXT2_VALID_FS 1u
#define EXT2_ERROR_FS 2u
#define EXT2_FLAGS_UNSIGNED_HASH 2u
#define EXT2_INDEX_FL 0x1000u /* i_flags: hashed directory */

#define EXT2_FEATURE_COMPAT_HAS_JOURNAL 0x0004u
#define EXT2_FEATURE_COMPAT_DIR_INDEX 0x0020u
#define EXT2_FEATURE_RO_COMPAT_SPARSE_SUPER 0x0001u
#define EXT2_FEATURE_RO_COMPAT_LARGE_FILE 0x0002u
#define EXT2_FEATURE_RO_COMPAT_BTREE_DIR 0x0004u
#define EXT2_FEATURE_INCOMPAT_COMPRESSION 0x0001u
#define EXT2_FEATURE_INCOMPAT_FILETYPE 0x0002u
#define EXT3_FEATURE_INCOMPAT_RECOVER 0x0004u
#define EXT3_FEATURE_INCOMPAT_JOURNAL_DEV 0x0008u
#define EXT2_FEATURE_INCOMPAT_META_BG 0x0010u
#define EXT4_FEATURE_INCOMPAT_EXTENTS 0x0040u
#define EXT4_FEATURE_INCOMPAT_64BIT 0x0080u
/* What this code reads correctly; any other INCOMPAT bit refuses mount
 * (RECOVER is handled by replaying the journal). */
#define EXT2_INCOMPAT_SUPPORTED \
	(EXT2_FEATURE_INCOMPAT_FILETYPE | EXT3_FEATURE_INCOMPAT_RECOVER)
/* What this code keeps right when it writes; any other RO_COMPAT bit
 * makes the mount read-only. */
#define EXT2_RO_COMPAT_SUPPORTED                                         \
	(EXT2_FEATURE_RO_COMPAT_SPARSE_SUPER |                           \
	 EXT2_FEATURE_RO_COMPAT_LARGE_FILE | EXT2_FEATURE_RO_COMPAT_BTREE_DIR)

struct ext2_super {
	u32 s_inodes_count;
	u32 s_blocks_count;
	u32 s_r_blocks_count;
	u32 s_free_blocks_count;
	u32 s_free_inodes_count;
	u32 s_first_data_block;
	u32 s_log_block_size;
	u32 s_log_frag_size;
	u32 s_blocks_per_group;
	u32 s_frags_per_group;
	u32 s_inodes_per_group;
	u32 s_mtime;
	u32 s_wtime;
	u16 s_mnt_count;
	u16 s_max_mnt_count;
	u16 s_magic;
	u16 s_state;
	u16 s_errors;
	u16 s_minor_rev_level;
	u32 s_lastcheck;
	u32 s_checkinterval;
	u32 s_creator_os;
	u32 s_rev_level;
	u16 s_def_resuid;
	u16 s_def_resgid;
	/* EXT2_DYNAMIC_REV only */
	u32 s_first_ino;
	u16 s_inode_size;
	u16 s_block_group_nr;
	u32 s_feature_compat;
	u32 s_feature_incompat;
	u32 s_feature_ro_compat;
	u8 s_uuid[16];
	char s_volume_name[16];
	char s_last_mounted[64];
	u32 s_algorithm_usage_bitmap;
	u8 s_prealloc_blocks;
	u8 s_prealloc_dir_blocks;
	u16 s_reserved_gdt_blocks;
	u8 s_journal_uuid[16];
	u32 s_journal_inum;
	u32 s_journal_dev;
	u32 s_last_orphan;
	u32 s_hash_seed[4];
	u8 s_def_hash_version;
	u8 s_jnl_backup_type;
	u16 s_desc_size;
	u32 s_default_mount_opts;
	u32 s_first_meta_bg;
	u32 s_mkfs_time;
	u32 s_jnl_blocks[17];
	u32 s_blocks_count_hi;
	u32 s_r_blocks_count_hi;
	u32 s_free_blocks_hi;
	u16 s_min_extra_isize;
	u16 s_want_extra_isize;
	u32 s_flags;
	u32 s_reserved[167];
};
_Static_assert(sizeof(struct ext2_super) == 1024, "ext2 superblock");
_Static_assert(offsetof(struct ext2_super, s_magic) == 56, "s_magic");
_Static_assert(offsetof(struct ext2_super, s_feature_incompat) == 96,
	       "s_feature_incompat");
_Static_assert(offsetof(struct ext2_super, s_hash_seed) == 0xEC, "seed");
_Static_assert(offsetof(struct ext2_super, s_flags) == 0x160, "s_flags");

struct ext2_group_desc {
	u32 bg_block_bitmap;
	u32 bg_inode_bitmap;
	u32 bg_inode_table;
	u16 bg_free_blocks_count;
	u16 bg_free_inodes_count;
	u16 bg_used_dirs_count;
	u16 bg_pad;
	u32 bg_reserved[3];
};
_Static_assert(sizeof(struct ext2_group_desc) == 32, "ext2 group desc");

/* An inode: the 128 bytes every revision has, then the extra fields of
 * larger inodes (i_extra_isize says how many are valid). */
struct ext2_inode {
	u16 i_mode;
	u16 i_uid;
	u32 i_size;
	u32 i_atime;
	u32 i_ctime;
	u32 i_mtime;
	u32 i_dtime;
	u16 i_gid;
	u16 i_links_count;
	u32 i_blocks; /* 512-byte units */
	u32 i_flags;
	u32 i_osd1;
	u32 i_block[EXT2_N_BLOCKS];
	u32 i_generation;
	u32 i_file_acl;
	u32 i_size_high; /* i_dir_acl for directories */
	u32 i_faddr;
	u8 l_i_frag;
	u8 l_i_fsize;
	u16 i_pad1;
	u16 l_i_uid_high;
	u16 l_i_gid_high;
	u32 l_i_reserved2;
	/* large inodes */
	u16 i_extra_isize;
	u16 i_checksum_hi;
	u32 i_ctime_extra;
	u32 i_mtime_extra;
	u32 i_atime_extra;
	u32 i_crtime;
	u32 i_crtime_extra;
	u32 i_version_hi;
	u32 i_projid;
};
_Static_assert(offsetof(struct ext2_inode, i_block) == 40, "i_block");
_Static_assert(offsetof(struct ext2_inode, i_generation) == 100, "i_gen");
_Static_assert(offsetof(struct ext2_inode, i_extra_isize) == 128, "extra");
_Static_assert(sizeof(struct ext2_inode) == 160, "ext2 inode");
#define EXT2_EXTRA_ISIZE 32 /* the extra fields this code keeps */

/* Directory entry header; the name follows. Without the filetype
 * feature, file_type is the high byte of a 16-bit name length. */
struct ext2_dirent {
	u32 inode;
	u16 rec_len;
	u8 name_len;
	u8 file_type;
};
_Static_assert(sizeof(struct ext2_dirent) == 8, "ext2 dirent header");
#define EXT2_DIR_REC_LEN(name_len) (((name_len) + 8 + 3) & ~3u)

enum ext2_ftype {
	EXT2_FT_UNKNOWN, EXT2_FT_REG, EXT2_FT_DIR, EXT2_FT_CHR,
	EXT2_FT_BLK, EXT2_FT_FIFO, EXT2_FT_SOCK, EXT2_FT_LNK,
};

/* The journal as the file system sees it (journal.c). */
#define FS_JOURNAL_RUNS 16
#define FS_JSB_BYTES 1024 /* the journal superblock's fields */
struct fs_journal_run {
	u32 lblk, pblk, count;
};

struct fs_journal {
	bool present;
	bool recover_on_disk; /* the on-disk superblock may say RECOVER */
	u32 maxlen; /* blocks of the journal, its superblock at 0 */
	u32 first; /* first block of the log */
	u32 seq; /* sequence number of the next transaction */
	u32 nrun; /* runs of adjacent blocks, from journal block 0 */
	struct fs_journal_run run[FS_JOURNAL_RUNS];
	struct ext2_inode ip; /* the journal inode, for blocks past the runs */
	u8 jsb[FS_JSB_BYTES]; /* the journal superblock as last read/written */
};

#define FS_STAGE_BLOCKS 64 /* staging for coalesced writes */

struct fs {
	struct bcache cache;
	struct fs_blkdev *dev;
	struct fs_mount_opts opts;
	/* Geometry, from the superblock, bounded at mount. */
	u32 block_size;
	u32 addr_bits; /* log2 of block numbers per indirect block */
	u32 per_block; /* device sectors per block */
	u64 blocks_count;
	u32 first_data_block;
	u32 inodes_count;
	u32 blocks_per_group;
	u32 inodes_per_group;
	u32 inode_size;
	u32 first_ino;
	u32 groups;
	u32 gdt_blocks; /* blocks of group descriptors */
	u32 itable_blocks; /* blocks of one group's inode table */
	u32 rev;
	u32 feature_compat, feature_incompat, feature_ro_compat;
	bool has_filetype; /* directory entries carry a type byte */
	bool dir_index; /* directories may be hashed (htree) */
	u8 def_hash; /* hash of new htrees */
	u8 hash_add; /* 3 if the volume hashes unsigned chars */
	u32 hash_seed[4];
	u32 sb_block, sb_offset; /* where the superblock lies */
	bool read_only;
	const char *ro_reason;
	/* The superblock as the running transaction has it: free counts are
	 * kept here and copied into its buffer at commit. */
	struct ext2_super sb;
	struct ext2_super op_sb; /* as the current operation found it */
	struct fs_handle root;
	struct fs_journal j;
	u64 txn_start_ns; /* the running transaction's first change, 0: none */
	bool data_pending; /* data written since the last flush */
	u32 next_gen;
	u32 replayed;
	u8 *scratch; /* one block: partial data blocks, superblock reads */
	u8 *stage; /* FS_STAGE_BLOCKS blocks */
	char path[2][FS_PATH_MAX]; /* path resolution scratch */
};

static inline bool ext2_is(const struct ext2_inode *ip, u32 fmt)
{
	return (ip->i_mode & FS_S_IFMT) == fmt;
}

/* ext2_super.c: the superblock and group descriptors. */
int ext2_read_super(struct fs *fs, struct ext2_super *sb);
/* Group g's descriptor, pinned in *b (put it). */
int ext2_gd_get(struct fs *fs, u32 g, struct bcache_buf **b,
		struct ext2_group_desc **gd);
/* Put the in-memory superblock into its buffer, in the running
 * transaction (journal_commit does this for every commit). */
int ext2_super_dirty(struct fs *fs);
/* Write the superblock in place now (outside any transaction). */
int ext2_write_super_now(struct fs *fs);

/* ext2_inode.c: inodes and the block map. */
int ext2_read_inode(struct fs *fs, u32 ino, struct ext2_inode *out);
int ext2_write_inode(struct fs *fs, u32 ino, const struct ext2_inode *ip);
int ext2_iget(struct fs *fs, struct fs_handle h, struct ext2_inode *out);
u64 ext2_isize(const struct ext2_inode *ip);
void ext2_set_isize(struct ext2_inode *ip, u64 size);
bool ext2_block_ok(struct fs *fs, u32 blk);
int ext2_bmap(struct fs *fs, const struct ext2_inode *ip, u64 lblk,
	      u32 *pblk);
int ext2_readlink(struct fs *fs, const struct ext2_inode *ip, char *buf,
		  u32 size, u32 *len);
/* Set a time field pair (seconds and the extra word) to ns. */
void ext2_set_time(struct ext2_inode *ip, u32 *sec, u32 *extra, s64 ns);
s64 ext2_get_time(const struct ext2_inode *ip, u32 sec, u32 extra,
		  u32 *nsec);

/* ext2_bmap.c: allocating and freeing a file's blocks. */
/* Map lblk, allocating it (and indirect blocks) if it is a hole; *fresh
 * says the block is new (its data is undefined). ip is updated (blocks,
 * i_block); the caller writes it. */
int ext2_bmap_alloc(struct fs *fs, u32 ino, struct ext2_inode *ip, u64 lblk,
		    u32 *pblk, bool *fresh);
/* Free every block at or after logical block from (indirect blocks that
 * become empty too); ip updated, the caller writes it. */
int ext2_free_from(struct fs *fs, struct ext2_inode *ip, u64 from);

/* ext2_alloc.c: bitmaps and counts. */
int ext2_alloc_block(struct fs *fs, u32 goal, u32 *out);
int ext2_free_block(struct fs *fs, u32 blk);
int ext2_alloc_inode(struct fs *fs, u32 dir_ino, bool is_dir, u32 *out);
int ext2_free_inode(struct fs *fs, u32 ino, bool is_dir);
/* Group of an inode, first block of a group. */
u32 ext2_ino_group(struct fs *fs, u32 ino);
u32 ext2_group_first(struct fs *fs, u32 g);

/* ext2_dir.c: directories, linear and hashed. */
struct ext2_dirloc {
	u64 lblk; /* directory block */
	u32 off; /* entry offset in it */
	u32 prev; /* offset of the entry before it, or ~0u if first */
};
/* Find name (len bytes) in directory ip: 0, *ino and *loc, or -ENOENT. */
int ext2_dir_find(struct fs *fs, const struct ext2_inode *ip,
		  const char *name, u32 len, u32 *ino,
		  struct ext2_dirloc *loc);
/* Add an entry; dir's inode (ip) may grow and is written here. */
int ext2_dir_add(struct fs *fs, u32 dir, struct ext2_inode *ip,
		 const char *name, u32 len, u32 ino, u32 mode);
int ext2_dir_remove(struct fs *fs, const struct ext2_inode *ip,
		    const struct ext2_dirloc *loc);
/* Point the entry at loc to ino (of mode's type). */
int ext2_dir_retarget(struct fs *fs, const struct ext2_inode *ip,
		      const struct ext2_dirloc *loc, u32 ino, u32 mode);
/* 1 if directory ip holds only "." and "..", 0 if not, or -errno. */
int ext2_dir_is_empty(struct fs *fs, const struct ext2_inode *ip);
/* The first block of a new directory ino in parent. */
int ext2_dir_init(struct fs *fs, u32 ino, struct ext2_inode *ip, u32 parent);
u8 ext2_ftype(u32 mode);

/* Walk the live entries of a directory from offset start: fn returns 0
 * to go on, > 0 to stop (returned), < 0 to fail. */
typedef int (*ext2_dir_fn)(void *arg, const struct fs_dirent *d,
			   u64 lblk, u32 off, u32 prev);
int ext2_dir_iterate(struct fs *fs, const struct ext2_inode *ip, u64 start,
		     ext2_dir_fn fn, void *arg);
/* The cache block of directory block lblk (pinned). */
int ext2_dir_block(struct fs *fs, const struct ext2_inode *ip, u64 lblk,
		   struct bcache_buf **b);
/* Put an entry into block b if it has room: 1 if it did, 0 if not. */
int ext2_dir_insert(struct fs *fs, struct bcache_buf *b, const char *name,
		    u32 len, u32 ino, u8 ftype);
/* A new, empty block at the end of directory ip (pinned in *out); ip's
 * size and blocks grow, the caller writes it. */
int ext2_dir_grow(struct fs *fs, u32 dir, struct ext2_inode *ip,
		  struct bcache_buf **out);
/* Check and decode the entry at pos of a directory block. */
int ext2_dirent_decode(struct fs *fs, const u8 *blk, u32 pos,
		       struct fs_dirent *d, u32 *rec_len);

/* ext2_htree.c: hashed directories. */
bool ext2_is_htree(struct fs *fs, const struct ext2_inode *ip);
int ext2_htree_find(struct fs *fs, const struct ext2_inode *ip,
		    const char *name, u32 len, u32 *ino,
		    struct ext2_dirloc *loc);
int ext2_htree_add(struct fs *fs, u32 dir, struct ext2_inode *ip,
		   const char *name, u32 len, u32 ino, u8 ftype);
/* Turn a one-block linear directory into a hashed one. */
int ext2_htree_make(struct fs *fs, u32 dir, struct ext2_inode *ip);

/* ext2_hash.c: the htree hashes. */
#define EXT2_HASH_LEGACY 0
#define EXT2_HASH_HALF_MD4 1
#define EXT2_HASH_TEA 2
#define EXT2_HASH_UNSIGNED 3 /* added to a version for unsigned chars */
#define EXT2_HTREE_EOF 0x7fffffffu
/* The major hash of name (low bit clear), or -EINVAL for an unknown
 * version. */
int ext2_hash(u32 version, const u32 seed[4], const char *name, u32 len,
	      u32 *hash);

/* fs_namei.c: the directory a handle names (-ENOTDIR if it is not
 * one); the in-use inode an entry names (-EUCLEAN if it is not in use);
 * dropping one link of an inode (all of a directory's), freeing it and
 * its blocks with the last. */
int ext2_dir_get(struct fs *fs, struct fs_handle h, struct ext2_inode *ip);
int ext2_entry_inode(struct fs *fs, u32 ino, struct ext2_inode *ip);
int ext2_unlink_inode(struct fs *fs, u32 ino, struct ext2_inode *ip);

/* fs_op.c: operations and time. */
int fs_op_begin(struct fs *fs);
/* End an operation with its result: an error undoes it. Returns err. */
int fs_op_end(struct fs *fs, int err);
s64 fs_now(struct fs *fs);
/* A name that is one path component: 0, -EINVAL or -ENAMETOOLONG. */
int fs_name_check(const char *name, u32 len);

/* fs_file.c: file data straight between the device and a buffer, and
 * a regular file's size (truncating frees blocks); ip is updated, the
 * caller writes it. */
int ext2_set_size(struct fs *fs, struct ext2_inode *ip, u64 size);
int fs_data_read(struct fs *fs, u64 blk, u32 count, void *buf);
int fs_data_write(struct fs *fs, u64 blk, u32 count, const void *buf);

/* journal.c and journal_commit.c */
int journal_load(struct fs *fs);
int journal_replay(struct fs *fs);
/* Physical block of journal block jblk. */
int journal_map(struct fs *fs, u32 jblk, u32 *pblk);
/* Write the journal superblock with the log starting at start (0:
 * empty) and sequence seq. */
int journal_write_jsb(struct fs *fs, u32 start, u32 seq);
/* Commit the running transaction: journal, commit block, checkpoint. */
int journal_commit(struct fs *fs);
/* Mark the volume clean on disk once nothing is pending. */
int journal_idle(struct fs *fs);

#endif
