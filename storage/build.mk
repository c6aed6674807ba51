ksrcs-storage += storage/role.c
