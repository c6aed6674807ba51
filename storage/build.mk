# The sMonitor role: mount vda and serve it over RPC (sfs.h).
ksrcs-storage += storage/role.c storage/sfs_mount.c storage/sfs_serve.c
# The file system: block cache, ext2 reader, path resolution, and the
# server side of the file protocol.
FS_SRCS := storage/bcache.c storage/ext2_super.c storage/ext2_inode.c \
	   storage/ext2_dir.c storage/fs_file.c storage/fs_path.c \
	   storage/fs_proto.c
ksrcs-storage += $(FS_SRCS)

$(eval $(call host_test,fs,$(FS_SRCS) storage/fs_test_util.c \
	storage/ext2_test.c storage/fs_path_test.c storage/ext2_corrupt_test.c \
	storage/ext2_fuzz_test.c storage/fs_proto_test.c))
