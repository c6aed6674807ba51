# storage/: the sMonitor. The role mounts vda and serves it over RPC
# (role.c, sfs_mount.c, sfs_serve.c: sfs.h); the portable file system
# below it is the block cache (bcache.c), ext2/ext3 on disk (ext2_*.c:
# superblock, inodes, block maps, allocation, directories, hashed
# directories), the journal (journal*.c), the file system's calls
# (fs_*.c) and the server side of the file protocol (fs_proto.c). The
# file system's tests run on the host against images made by mke2fs and
# checked by e2fsck.

ksrcs-storage += storage/role.c storage/sfs_mount.c storage/sfs_serve.c
FS_SRCS := storage/bcache.c storage/ext2_super.c storage/ext2_inode.c \
	   storage/ext2_bmap.c storage/ext2_alloc.c storage/ext2_dir.c \
	   storage/ext2_htree.c storage/ext2_hash.c storage/journal.c \
	   storage/journal_commit.c storage/fs_op.c storage/fs_file.c \
	   storage/fs_namei.c storage/fs_rename.c storage/fs_path.c \
	   storage/fs_proto.c storage/fs_proto_write.c storage/fs_drc.c
ksrcs-storage += $(FS_SRCS)

$(eval $(call host_test,fs,$(FS_SRCS) kernel/lib/sort.c \
	storage/fs_test_util.c storage/ext2_test.c storage/fs_path_test.c \
	storage/ext2_corrupt_test.c storage/ext2_fuzz_test.c \
	storage/fs_proto_test.c storage/fs_write_test.c storage/fs_htree_test.c \
	storage/fs_journal_test.c))
