# storage/: the sMonitor. The role mounts vda and serves it over RPC
# (role.c, sfs_mount.c, sfs_serve.c: sfs.h); the portable file system
# below it is the block cache (bcache.c), the ext2 reader (ext2_*.c),
# path resolution and file reads (fs_path.c, fs_file.c) and the server
# side of the file protocol (fs_proto.c). The file system's tests run on
# the host against images made by mke2fs.

ksrcs-storage += storage/role.c storage/sfs_mount.c storage/sfs_serve.c
FS_SRCS := storage/bcache.c storage/ext2_super.c storage/ext2_inode.c \
	   storage/ext2_dir.c storage/fs_file.c storage/fs_path.c \
	   storage/fs_proto.c
ksrcs-storage += $(FS_SRCS)

$(eval $(call host_test,fs,$(FS_SRCS) storage/fs_test_util.c \
	storage/ext2_test.c storage/fs_path_test.c storage/ext2_corrupt_test.c \
	storage/ext2_fuzz_test.c storage/fs_proto_test.c))
