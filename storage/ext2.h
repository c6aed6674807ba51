/*
 * ext2 on-disk format and the file system's internal interface.
 *
 * On-disk fields are little-endian; every Tessera node is little-endian,
 * so the structs below are read in place. Sizes are checked at compile
 * time. Facts from the ext2 format as Linux's fs/ext2/ext2.h defines it.
 */
#ifndef STORAGE_EXT2_H
#define STORAGE_EXT2_H

#include <tessera/fs.h>

#define EXT2_SUPER_OFFSET 1024
#define EXT2_SUPER_MAGIC 0xEF53
#define EXT2_ROOT_INO 2
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

#define EXT2_FEATURE_COMPAT_HAS_JOURNAL 0x0004u
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
/* What this code reads correctly; any other INCOMPAT bit refuses mount. */
#define EXT2_INCOMPAT_SUPPORTED EXT2_FEATURE_INCOMPAT_FILETYPE
/* What a writer would have to honour; reading ignores them. */
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
	u16 s_padding1;
	u8 s_journal_uuid[16];
	u32 s_journal_inum;
	u32 s_journal_dev;
	u32 s_last_orphan;
	u32 s_hash_seed[4];
	u8 s_def_hash_version;
	u8 s_reserved_char_pad;
	u16 s_reserved_word_pad;
	u32 s_default_mount_opts;
	u32 s_first_meta_bg;
	u32 s_reserved[190];
};
_Static_assert(sizeof(struct ext2_super) == 1024, "ext2 superblock");
_Static_assert(offsetof(struct ext2_super, s_magic) == 56, "s_magic");
_Static_assert(offsetof(struct ext2_super, s_feature_incompat) == 96,
	       "s_feature_incompat");

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
};
_Static_assert(sizeof(struct ext2_inode) == 128, "ext2 inode");
_Static_assert(offsetof(struct ext2_inode, i_block) == 40, "i_block");
_Static_assert(offsetof(struct ext2_inode, i_generation) == 100, "i_gen");

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

/* ext2_inode.c */
int ext2_read_inode(struct fs *fs, u32 ino, struct ext2_inode *out);
int ext2_iget(struct fs *fs, struct fs_handle h, struct ext2_inode *out);
u64 ext2_isize(const struct ext2_inode *ip);
bool ext2_block_ok(struct fs *fs, u32 blk);
int ext2_bmap(struct fs *fs, const struct ext2_inode *ip, u64 lblk,
	      u32 *pblk);
int ext2_readlink(struct fs *fs, const struct ext2_inode *ip, char *buf,
		  u32 size, u32 *len);

/* ext2_dir.c */
/* Find name (len bytes) in directory ip: 0 and *ino, or -ENOENT. */
int ext2_dir_find(struct fs *fs, const struct ext2_inode *ip,
		  const char *name, u32 len, u32 *ino);

static inline bool ext2_is(const struct ext2_inode *ip, u32 fmt)
{
	return (ip->i_mode & FS_S_IFMT) == fmt;
}

#endif
